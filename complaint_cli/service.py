"""Use cases the commands call: each takes paths and dates, does one job, and returns a typed result.

Usable from Python without the CLI::

    from complaint_cli.service import render_claim_for_file
    result = render_claim_for_file(Path("case.yaml"), out_dir=Path("out"), on=date.today(), fmt="both")
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from complaint_cli.documents import Document, render_claim
from complaint_cli.model import Case

Format = Literal["docx", "pdf", "both"]
FORMATS: tuple[str, ...] = ("docx", "pdf", "both")


@dataclass
class RenderResult:
    documents: list[Document] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    evidence: list[Path] = field(default_factory=list)
    case: Case | None = None


def render_claim_for_file(
    case_path: Path,
    *,
    out_dir: Path | None = None,
    on: dt.date,
    force: bool = False,
    templates_dir: Path | None = None,
    fmt: Format = "docx",
) -> RenderResult:
    """Validate a case file and render its claim next to it (or into ``out_dir``).

    Evidence files named in the case are checked first (a missing one is an error and nothing is written), then
    copied into ``<out>/Приложения``. ``fmt`` "both" adds a PDF made by LibreOffice as a second ``claim`` document;
    "pdf" keeps only the PDF (the .docx LibreOffice converted is removed once the PDF exists). Without LibreOffice
    the .docx is kept and listed, with a warning giving the install command — never an error.
    """
    from complaint_cli.casefile import read_case_data
    from complaint_cli.documents import document_name
    from complaint_cli.errors import OutputExists
    from complaint_cli.evidence import copy_evidence, evidence_files, photo_warnings, with_attachment_names
    from complaint_cli.validation import validate_data

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    report = validate_data(read_case_data(case_path), today=on)
    case = report.raise_for_errors()
    files = evidence_files(case, Path(case_path).resolve().parent)
    from complaint_cli.paths import case_output_dir, is_example

    out = Path(out_dir) if out_dir is not None else case_output_dir(case_path)
    if fmt != "docx" and not force:
        pdf_target = out / document_name("claim", case, "pdf")
        if pdf_target.exists():
            raise OutputExists(f"Файл уже существует: {pdf_target}. Чтобы перезаписать, добавьте --force.")
    if files:  # a link planted at «Приложения» is refused before anything is written
        from complaint_cli.evidence import EVIDENCE_FOLDER
        from complaint_cli.fsutil import inside

        inside(out, EVIDENCE_FOLDER)
    pdf_warnings: list[str] = []
    if fmt == "pdf":  # only the PDF is asked for: an existing .docx (perhaps edited in Word) is not touched
        doc, pdf_warnings = _render_pdf_only(with_attachment_names(case, files), out, on, force, templates_dir)
    else:
        doc = render_claim(with_attachment_names(case, files), out_dir=out, on=on, force=force,
                           templates_dir=templates_dir)
    from complaint_cli.law.analysis import analyze

    legal = analyze(case, case.submission.sent_on or on).console()  # what the letter does not say, and why
    photos = photo_warnings(case, files, on=on)  # capture times (EXIF): none, another than typed, out of the case
    result = RenderResult(documents=[doc], warnings=list(dict.fromkeys([*report.warnings, *photos, *legal])),
                          case=case)
    result.warnings.extend(pdf_warnings)
    result.evidence = copy_evidence(files, out)
    if fmt == "both":
        from complaint_cli.pdf import apply_format

        converted, pdf_warnings = apply_format([doc.path], fmt)
        result.warnings.extend(pdf_warnings)
        if doc.path in converted:
            result.documents = [doc, Document("claim", converted[doc.path])]
    from complaint_cli.tracking import record_document, record_files

    for document in result.documents:
        # the claim's own date (the one printed on it): later letters refer to the claim by it
        record_document(Path(case_path), case, document.kind, document.path, on=case.submission.sent_on or on)
    originals = {f.source.resolve() for f in files}
    copies = [p for p in result.evidence if p.resolve() not in originals]  # never the user's own file
    if copies:
        record_files(Path(case_path), case, "attachment", copies)
    if is_example(case_path):
        from complaint_cli.samples import TRY_NOTE

        result.warnings.append(TRY_NOTE.format(out=out, name=Path(case_path).stem))
    result.next_steps.append(
        "Проверьте текст, подпишите и отправьте претензию. После отправки отметьте это: "
        f"complaint sent {case_path} --on ДД.ММ.ГГГГ"
    )
    return result


def _render_pdf_only(case, out: Path, on: dt.date, force: bool, templates_dir: Path | None) -> tuple[Document, list[str]]:
    """``--format pdf``: the claim rendered and converted in a private folder, then only the PDF moved into ``out``.

    The rule for every file the tool writes: what exists is replaced only with ``--force``. So a .docx beside the
    PDF (from an earlier ``render``, perhaps edited) is never touched by a PDF-only run; without LibreOffice the
    .docx is the result and obeys the same rule.
    """
    import os
    import shutil
    import tempfile

    from complaint_cli.documents import document_name
    from complaint_cli.errors import OutputExists
    from complaint_cli.fsutil import make_dirs
    from complaint_cli.pdf import apply_format

    make_dirs(out)
    work = Path(tempfile.mkdtemp(prefix=".complaint-pdf-", dir=out))
    try:
        draft = render_claim(case, out_dir=work, on=on, force=True, templates_dir=templates_dir)
        converted, warnings = apply_format([draft.path], "pdf")
        made = converted.get(draft.path, draft.path)  # the PDF, or the .docx when LibreOffice is missing
        target = out / document_name("claim", case, made.suffix.lstrip("."))
        if target.exists() and not force:
            raise OutputExists(f"Файл уже существует: {target}. Чтобы перезаписать, добавьте --force.")
        os.replace(made, target)
        return Document("claim", target), warnings
    finally:
        shutil.rmtree(work, ignore_errors=True)
