"""A person's data (152-ФЗ): export everything held about a case, or forget it entirely.

Advocates hold many people's data; a client may ask what is kept about them and to have it deleted. ``export``
writes one ZIP (mode 0600) with the case file, the registry's record, events and document list, and the documents
themselves; ``forget`` deletes the case file, its registered documents and every registry row about the case.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from complaint_cli.evidence import EVIDENCE_FOLDER
from complaint_cli.fsutil import atomic_write_bytes
from complaint_cli.registry import Registry
from complaint_cli.tracking import resolve_case


@dataclass
class ForgetPlan:
    case_id: int
    files: list[Path] = field(default_factory=list)
    missing: list[Path] = field(default_factory=list)
    reports: list[Path] = field(default_factory=list)  # batch reports whose line about the case is removed
    folder_name: str | None = None  # the case's folder in a batch's output (named after the claimant)
    lock: Path | None = None  # the case file's lock (:func:`complaint_cli.casefile.lock_path`)


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def export_case(case_ref: str, out: Path | None, *, today: dt.date) -> tuple[Path, int]:
    """Write everything held about a case into a ZIP; returns its path and the number of files in it.

    Each file once (a document listed twice, or a claim's PDF beside its .docx, is not packed again), the case's
    e-mail drafts, calendar files and evidence copies included; batch reports are not packed (they hold other
    people's lines).
    """
    with Registry.open() as registry:
        record = resolve_case(case_ref, registry, today=today)
        events = registry.events(record.id)
        documents = registry.documents(record.id)
    meta = {
        "case": {k: _jsonable(v) for k, v in asdict(record).items()},
        "events": [{k: _jsonable(v) for k, v in asdict(e).items()} for e in events],
        "documents": [{k: _jsonable(v) for k, v in asdict(d).items()} for d in documents if d.kind != "report"],
        "exported_at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    buffer = io.BytesIO()
    count = 0
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("реестр.json", json.dumps(meta, ensure_ascii=False, indent=2, default=str))
        count += 1
        if record.case_file.is_file():
            zf.write(record.case_file, f"дело/{record.case_file.name}")
            count += 1
        files = [d.path for d in documents if d.kind != "report"]
        for i, path in enumerate((p for p in dict.fromkeys(files) if p.is_file()), 1):
            zf.write(path, f"документы/{i:02d}_{path.name}")
            count += 1
    target = Path(out) if out else Path.cwd() / f"дело_{record.id}_выгрузка.zip"
    atomic_write_bytes(target, buffer.getvalue())
    return target, count


def plan_forget(case_ref: str, *, today: dt.date) -> ForgetPlan:
    """What ``forget`` would delete (shown to the user before they confirm).

    Everything the tool made for the case: the case file, its letters (and their PDFs), the evidence copied into
    «Приложения», e-mail drafts, calendar files and the wizard's draft of the same order; batch reports lose the
    case's line. Never the user's own evidence originals, nor an export the user asked for.
    """
    with Registry.open() as registry:
        record = resolve_case(case_ref, registry, today=today)
        documents = registry.documents(record.id)
    made = [d.path for d in documents if d.kind != "report"]
    paths = [record.case_file, _draft_of(record.case_file), *made,
             *(p.with_suffix(".pdf") for p in made if p.suffix == ".docx")]
    from complaint_cli.casefile import lock_path

    plan = ForgetPlan(case_id=record.id, reports=[d.path for d in documents if d.kind == "report"],
                      lock=lock_path(record.case_file))
    if plan.reports:
        plan.folder_name = record.case_file.parent.name
    for path in dict.fromkeys(paths):
        if path is not None:
            (plan.files if path.is_file() else plan.missing).append(path)
    plan.missing = [p for p in plan.missing if p != _draft_of(record.case_file)]  # a draft is usually gone
    return plan


def _draft_of(case_file: Path) -> Path | None:
    """The wizard's draft of the same order (``черновик_<номер>.yaml`` beside ``дело_<номер>.yaml``)."""
    prefix = "дело_"
    if not case_file.name.startswith(prefix):
        return None
    return case_file.with_name("черновик_" + case_file.name[len(prefix):])


def forget_case(plan: ForgetPlan) -> list[Path]:
    """Delete the files of a plan and every registry row about the case; returns the files deleted."""
    deleted = []
    for path in plan.files:
        try:
            path.unlink()
            deleted.append(path)
        except FileNotFoundError:
            pass
    for folder in dict.fromkeys(p.parent for p in deleted if p.parent.name == EVIDENCE_FOLDER):
        with contextlib.suppress(OSError):
            folder.rmdir()  # «Приложения» goes when only the case's copies were in it
    for report in plan.reports:
        if plan.folder_name:
            _drop_report_lines(report, plan.folder_name)
    from complaint_cli.batchjournal import forget_folder

    if plan.files:  # a case folder made by a batch: its journal line and the empty folder go too
        forget_folder(plan.files[0].parent)
    with Registry.open() as registry:
        registry.forget(plan.case_id)
    if plan.lock is not None:
        with contextlib.suppress(FileNotFoundError):
            plan.lock.unlink()  # empty, but named after the case file's path
    return deleted


def _drop_report_lines(report: Path, folder_name: str) -> None:
    """Rewrite a batch report (CSV) without the lines about one case folder (its name holds the person's name)."""
    import csv

    from complaint_cli.batch import REPORT_HEADER

    try:
        text = report.read_text(encoding="utf-8-sig")
    except (FileNotFoundError, UnicodeDecodeError):
        return
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    if not rows or rows[0] != REPORT_HEADER:
        return  # not a report as the tool wrote it: left alone
    column = REPORT_HEADER.index("Папка")
    names = {folder_name, "'" + folder_name}  # a name starting with «=» is written with a quote in front
    kept = [r for r in rows if len(r) <= column or r[column] not in names]
    if len(kept) == len(rows):
        return
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(kept)
    atomic_write_bytes(report, buffer.getvalue().encode("utf-8-sig"))
