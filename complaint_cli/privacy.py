"""A person's data (152-ФЗ): export everything held about a case, or forget it entirely.

Advocates hold many people's data; a client may ask what is kept about them and to have it deleted. ``export``
writes one ZIP (mode 0600) with the case file, the registry's record, events and document list, and the documents
themselves; ``forget`` deletes the case file, its registered documents and every registry row about the case.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from complaint_cli.fsutil import atomic_write_bytes
from complaint_cli.registry import Registry
from complaint_cli.tracking import resolve_case


@dataclass
class ForgetPlan:
    case_id: int
    files: list[Path] = field(default_factory=list)
    missing: list[Path] = field(default_factory=list)


def _jsonable(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    return value


def export_case(case_ref: str, out: Path | None, *, today: dt.date) -> tuple[Path, int]:
    """Write everything held about a case into a ZIP; returns its path and the number of files in it."""
    with Registry.open() as registry:
        record = resolve_case(case_ref, registry, today=today)
        events = registry.events(record.id)
        documents = registry.documents(record.id)
    meta = {
        "case": {k: _jsonable(v) for k, v in asdict(record).items()},
        "events": [{k: _jsonable(v) for k, v in asdict(e).items()} for e in events],
        "documents": [{k: _jsonable(v) for k, v in asdict(d).items()} for d in documents],
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
        for i, doc in enumerate(documents, 1):
            if doc.path.is_file():
                zf.write(doc.path, f"документы/{i:02d}_{doc.path.name}")
                count += 1
    target = Path(out) if out else Path.cwd() / f"дело_{record.id}_выгрузка.zip"
    atomic_write_bytes(target, buffer.getvalue())
    return target, count


def plan_forget(case_ref: str, *, today: dt.date) -> ForgetPlan:
    """What ``forget`` would delete (shown to the user before they confirm)."""
    with Registry.open() as registry:
        record = resolve_case(case_ref, registry, today=today)
        documents = [d.path for d in registry.documents(record.id)]
    # A document's PDF (made by --format pdf|both) and the evidence copied beside it belong to the case too.
    paths = [record.case_file] + documents + [p.with_suffix(".pdf") for p in documents if p.suffix == ".docx"]
    plan = ForgetPlan(case_id=record.id)
    for path in dict.fromkeys(paths):
        (plan.files if path.is_file() else plan.missing).append(path)
    return plan


def forget_case(plan: ForgetPlan) -> list[Path]:
    """Delete the files of a plan and every registry row about the case; returns the files deleted."""
    deleted = []
    for path in plan.files:
        try:
            path.unlink()
            deleted.append(path)
        except FileNotFoundError:
            pass
    from complaint_cli.batchjournal import forget_folder

    if plan.files:  # a case folder made by a batch: its journal line and the empty folder go too
        forget_folder(plan.files[0].parent)
    with Registry.open() as registry:
        registry.forget(plan.case_id)
    return deleted
