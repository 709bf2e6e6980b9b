"""Writing rendered documents: file names from data, never overwriting without ``--force``, atomic writes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from complaint_cli.errors import OutputExists
from complaint_cli.fsutil import atomic_write_bytes, inside, safe_name
from complaint_cli.model import Case

KIND_FILE_PREFIX = {
    "claim": "Претензия",
    "inaction": "Повторная_претензия",
    "rospotrebnadzor": "Жалоба_Роспотребнадзор",
    "court": "Исковое_заявление",
    "review": "Отзыв",
    # issue 18: the penalty appendix, the bank dispute, the post-office kit
    "penalty": "Расчёт_неустойки",
    "bank": "Заявление_в_банк",
    "post_inventory": "Опись_вложения_Ф107",
    "post_label": "Адресный_ярлык",
}


@dataclass(frozen=True)
class Document:
    kind: str
    path: Path

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "path": str(self.path)}


def document_name(kind: str, case: Case, ext: str = "docx") -> str:
    """``Претензия_заказ_<номер>.docx`` — the order number made safe for a file name (the letter keeps it verbatim)."""
    number = safe_name(case.order.number or "", max_len=60, fallback="без_номера")
    return f"{KIND_FILE_PREFIX[kind]}_заказ_{number}.{ext}"


def write_document(out_dir: Path, name: str, data: bytes, *, force: bool) -> Path:
    target = inside(Path(out_dir), name)
    if target.exists() and not force:
        raise OutputExists(f"Файл уже существует: {target}. Чтобы перезаписать, добавьте --force.")
    return atomic_write_bytes(target, data)


def render_claim(
    case: Case,
    *,
    out_dir: Path,
    on: dt.date,
    force: bool = False,
    templates_dir: Path | None = None,
) -> Document:
    """Render the first claim of a validated case into ``out_dir``."""
    from complaint_cli.claim import claim_context
    from complaint_cli.render import load_template

    template = load_template("claim.docx", templates_dir)
    data = template.render(claim_context(case, on=on))
    path = write_document(out_dir, document_name("claim", case), data, force=force)
    return Document("claim", path)
