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
    from complaint_cli.evidence import copy_evidence, evidence_files, with_attachment_names
    from complaint_cli.validation import validate_data

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    report = validate_data(read_case_data(case_path), today=on)
    case = report.raise_for_errors()
    files = evidence_files(case, Path(case_path).resolve().parent)
    out = Path(out_dir) if out_dir is not None else Path(case_path).resolve().parent
    if fmt != "docx" and not force:
        pdf_target = out / document_name("claim", case, "pdf")
        if pdf_target.exists():
            raise OutputExists(f"Файл уже существует: {pdf_target}. Чтобы перезаписать, добавьте --force.")
    doc = render_claim(with_attachment_names(case, files), out_dir=out, on=on, force=force, templates_dir=templates_dir)
    from complaint_cli.law.analysis import analyze

    legal = analyze(case, case.submission.sent_on or on).console()  # what the letter does not say, and why
    result = RenderResult(documents=[doc], warnings=list(dict.fromkeys([*report.warnings, *legal])), case=case)
    result.evidence = copy_evidence(files, out)
    if fmt != "docx":
        from complaint_cli.pdf import apply_format

        converted, pdf_warnings = apply_format([doc.path], fmt)
        result.warnings.extend(pdf_warnings)
        if doc.path in converted:
            pdf = Document("claim", converted[doc.path])
            result.documents = [doc, pdf] if fmt == "both" else [pdf]
    from complaint_cli.tracking import record_document

    for document in result.documents:
        # the claim's own date (the one printed on it): later letters refer to the claim by it
        record_document(Path(case_path), case, document.kind, document.path, on=case.submission.sent_on or on)
    result.next_steps.append(
        "Проверьте текст, подпишите и отправьте претензию. После отправки отметьте это: "
        f"complaint sent {case_path} --on ДД.ММ.ГГГГ"
    )
    return result
