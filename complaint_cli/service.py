"""Use cases the commands call: each takes paths and dates, does one job, and returns a typed result.

Usable from Python without the CLI::

    from complaint_cli.service import render_claim_for_file
    result = render_claim_for_file(Path("case.yaml"), out_dir=Path("out"), on=date.today())
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from complaint_cli.documents import Document, render_claim


@dataclass
class RenderResult:
    documents: list[Document] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)


def render_claim_for_file(
    case_path: Path,
    *,
    out_dir: Path | None = None,
    on: dt.date,
    force: bool = False,
    templates_dir: Path | None = None,
) -> RenderResult:
    """Validate a case file and render its claim next to it (or into ``out_dir``)."""
    from complaint_cli.casefile import read_case_data
    from complaint_cli.validation import validate_data

    report = validate_data(read_case_data(case_path), today=on)
    case = report.raise_for_errors()
    out = Path(out_dir) if out_dir is not None else Path(case_path).resolve().parent
    doc = render_claim(case, out_dir=out, on=on, force=force, templates_dir=templates_dir)
    result = RenderResult(documents=[doc], warnings=list(report.warnings))
    result.next_steps.append(
        "Проверьте текст, подпишите и отправьте претензию. После отправки отметьте это: "
        f"complaint sent {case_path} --on ДД.ММ.ГГГГ"
    )
    return result
