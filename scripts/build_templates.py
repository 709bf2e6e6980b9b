"""Regenerate the bundled Word templates in templates/ (run after changing the text here).

    python scripts/build_templates.py

The templates are ordinary .docx files: a lawyer may also edit them in Word directly (or export them with
``complaint templates export``). Variables are documented in docs/template-variables.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docxbuild import build_docx  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from complaint_cli.language import bind_legal  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

ADDRESSEE = [
    ("ctl", "{%p if addressee.position %}"),
    ("Addressee", "{{ addressee.position }}"),
    ("ctl", "{%p endif %}"),
    ("Addressee", "{{ addressee.name }}"),
    ("Addressee", "{{ addressee.address }}"),
    ("ctl", "{%p if addressee.ids %}"),
    ("Addressee", "{{ addressee.ids }}"),
    ("ctl", "{%p endif %}"),
    ("ctl", "{%p if addressee.email %}"),
    ("Addressee", "e-mail: {{ addressee.email }}"),
    ("ctl", "{%p endif %}"),
    ("ctl", "{%p if copy_to %}"),
    ("Addressee", "Копия: {{ copy_to.name }}, {{ copy_to.address }}"),
    ("ctl", "{%p endif %}"),
    ("Addressee", ""),
    ("Addressee", "от {{ claimant.name_genitive }}"),
    ("Addressee", "адрес: {{ claimant.address }}"),
    ("Addressee", "тел.: {{ claimant.phone }}{% if claimant.email %}, e-mail: {{ claimant.email }}{% endif %}"),
]

ATTACHMENTS = [
    ("ctl", "{%p if attachments %}"),
    ("Lead", "Приложения:"),
    ("ctl", "{%p for item in attachments %}"),
    ("Item", "{{ loop.index }}. {{ item }}"),
    ("ctl", "{%p endfor %}"),
    ("ctl", "{%p endif %}"),
]

SIGNATURE = [("Signature", "{{ date }}\t_______________ / {{ claimant.signature }}")]

CLAIM = [
    *ADDRESSEE,
    ("Title", "ПРЕТЕНЗИЯ"),
    ("Subtitle", "{{ subtitle }}"),
    ("Normal", "{{ facts.order }}"),
    ("ctl", "{%p if order.goods %}"),
    ("Normal", "Состав заказа:"),
    ("ctl", "{%p for item in order.goods %}"),
    ("Item", "– {{ item }}"),
    ("ctl", "{%p endfor %}"),
    ("ctl", "{%p endif %}"),
    ("ctl", "{%p if facts.seller %}"),
    ("Normal", "{{ facts.seller }}"),
    ("ctl", "{%p endif %}"),
    ("Normal", "{{ facts.problem }}"),
    ("Normal", "{{ problem.description }}"),
    ("ctl", "{%p for paragraph in grounds %}"),
    ("Normal", "{{ paragraph }}"),
    ("ctl", "{%p endfor %}"),
    ("Normal", "На основании изложенного, руководствуясь {{ articles }},"),
    ("Lead", "ТРЕБУЮ:"),
    ("ctl", "{%p for demand in demands %}"),
    ("Item", "{{ demand.number }}. {{ demand.text }}"),
    ("ctl", "{%p endfor %}"),
    ("Normal", "{{ deadline_sentence }}"),
    ("ctl", "{%p if refund_sentence %}"),
    ("Normal", "{{ refund_sentence }}"),
    ("ctl", "{%p endif %}"),
    (
        "Normal",
        "В случае неудовлетворения моих требований в установленный срок я буду {{ claimant.forced }} обратиться "
        "с жалобой в Управление Роспотребнадзора и с исковым заявлением в суд, где помимо указанных сумм потребую "
        "взыскать {{ consequences.penalty }}компенсацию морального вреда (ст. 15 Закона РФ «О защите прав "
        "потребителей»), штраф в размере 50 % от суммы, присуждённой судом (п. 6 ст. 13 Закона РФ «О защите прав "
        "потребителей»), и судебные расходы.",
    ),
    (
        "Normal",
        "Ответ на претензию прошу направить по адресу: {{ claimant.address }}"
        "{% if claimant.email %} или на адрес электронной почты {{ claimant.email }}{% endif %}.",
    ),
    *ATTACHMENTS,
    *SIGNATURE,
]

TEMPLATES_SPEC = {
    "claim.docx": (CLAIM, "Претензия"),
}


def spec(paragraphs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Fixed legal text gets no-break spaces («ст.\u00a015», «50\u00a0%»); Jinja control paragraphs stay as they are."""
    return [(style, text if style == "ctl" else bind_legal(text)) for style, text in paragraphs]


def main() -> None:
    for name, (paragraphs, title) in TEMPLATES_SPEC.items():
        data = build_docx(spec(paragraphs), title=title)
        (TEMPLATES / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
