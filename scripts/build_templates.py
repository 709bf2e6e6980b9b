"""Regenerate the bundled Word templates in templates/ (run after changing the text here).

    python scripts/build_templates.py

It also writes templates/compiled/<hash>.xml: each template's Jinja source as docxtpl's ``patch_xml`` makes it, so
a run does not import docxtpl (~0.1 s) just for that; ``complaint_cli.render.template_source`` finds them by a hash of
the document part and patches anything else as usual.

The templates are ordinary .docx files: a lawyer may also edit them in Word directly (or export them with
``complaint templates export``). Variables are documented in docs/template-variables.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docxbuild import build_docx  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from complaint_cli.language import bind_hyphens, bind_legal  # noqa: E402

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
    ("ctl", "{%p if copy_to.joint %}"),
    ("Addressee", ""),
    ("Addressee", "{{ copy_to.name }}"),
    ("Addressee", "{{ copy_to.address }}"),
    ("ctl", "{%p if copy_to.ids %}"),
    ("Addressee", "{{ copy_to.ids }}"),
    ("ctl", "{%p endif %}"),
    ("ctl", "{%p else %}"),
    ("Addressee", "Копия: {{ copy_to.name }}, {{ copy_to.address }}"),
    ("ctl", "{%p endif %}"),
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
    ("Attachment", "{{ loop.index }}. {{ item }}"),  # kept with the signature: it never stands alone on a page
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
    ("Intro", "Состав заказа:"),
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

CONSEQUENCES_TAIL = (
    "компенсацию морального вреда (ст. 15 Закона РФ "
    "«О защите прав потребителей»), штраф в размере 50 % от суммы, присуждённой судом (п. 6 ст. 13 Закона РФ "
    "«О защите прав потребителей»), и судебные расходы."
)

FACTS = [
    ("Normal", "{{ facts.order }}"),
    ("ctl", "{%p if facts.seller %}"),
    ("Normal", "{{ facts.seller }}"),
    ("ctl", "{%p endif %}"),
]

HISTORY = [
    ("ctl", "{%p for paragraph in history %}"),
    ("Normal", "{{ paragraph }}"),
    ("ctl", "{%p endfor %}"),
]

PENALTIES = [
    ("ctl", "{%p for paragraph in penalties %}"),
    ("Item", "{{ paragraph }}"),
    ("ctl", "{%p endfor %}"),
    ("ctl", "{%p for paragraph in interest %}"),
    ("Normal", "{{ paragraph }}"),
    ("ctl", "{%p endfor %}"),
]

# Repeat claim «на бездействие» (law.md §1.4): same addressee as the first claim.
INACTION = [
    *ADDRESSEE,
    ("Title", "ПОВТОРНАЯ ПРЕТЕНЗИЯ"),
    ("Subtitle", "{{ subtitle }}"),
    *FACTS,
    ("Normal", "{{ facts.problem }}"),
    ("Normal", "{{ problem.description }}"),
    *HISTORY[:2],
    ("ctl", "{%p if loop.first %}"),
    ("Intro", "В претензии были заявлены следующие требования:"),
    ("ctl", "{%p for demand in first_demands %}"),
    ("Item", "{{ demand.number }}. {{ demand.text }}"),
    ("ctl", "{%p endfor %}"),
    ("ctl", "{%p endif %}"),
    HISTORY[2],
    ("ctl", "{%p if penalties %}"),
    ("Intro", "{{ penalty_intro }}"),
    ("ctl", "{%p endif %}"),
    *PENALTIES,
    ("ctl", "{%p if penalty_total %}"),
    ("Normal", "{{ penalty_total }}"),
    ("ctl", "{%p endif %}"),
    ("Normal", "На основании изложенного, руководствуясь {{ articles }},"),
    ("Lead", "ПОВТОРНО ТРЕБУЮ:"),
    ("ctl", "{%p for demand in demands %}"),
    ("Item", "{{ demand.number }}. {{ demand.text }}"),
    ("ctl", "{%p endfor %}"),
    ("Normal", "{{ reply_sentence }}"),
    ("ctl", "{%p if refund_sentence %}"),
    ("Normal", "{{ refund_sentence }}"),
    ("ctl", "{%p endif %}"),
    (
        "Normal",
        "В случае неудовлетворения требований в указанный срок я буду {{ claimant.forced }} без дополнительного "
        "уведомления обратиться с жалобой {{ office_phrase }} и с исковым заявлением в суд, где потребую взыскать, "
        "помимо указанных сумм, {% if penalty_running %}неустойку по день фактического исполнения обязательства, "
        "{% endif %}" + CONSEQUENCES_TAIL,
    ),
    (
        "Normal",
        "Ответ на претензию прошу направить по адресу: {{ claimant.address }}"
        "{% if claimant.email %} или на адрес электронной почты {{ claimant.email }}{% endif %}.",
    ),
    *ATTACHMENTS,
    *SIGNATURE,
]

# Complaint to the territorial office of Rospotrebnadzor (law.md §5; 59-ФЗ ст. 7). Its fixed sentences and requests
# (what 248-ФЗ lets the office do: law.md §0b.2) come from complaint_cli/data/rospotrebnadzor.yaml through the context,
# so the paste-ready text of `complaint guide --document rospotrebnadzor` says the same.
ROSPOTREBNADZOR = [
    ("Addressee", "{{ office.position }}"),
    ("Addressee", "{{ office.name }}"),
    ("ctl", "{%p if office.address %}"),
    ("Addressee", "{{ office.address }}"),
    ("ctl", "{%p endif %}"),
    ("Addressee", ""),
    ("Addressee", "от {{ claimant.name_genitive }}"),
    ("Addressee", "адрес: {{ claimant.address }}"),
    ("Addressee", "тел.: {{ claimant.phone }}{% if claimant.email %}, e-mail: {{ claimant.email }}{% endif %}"),
    ("Title", "ЖАЛОБА"),
    ("Subtitle", "(о нарушении прав потребителя)"),
    ("ctl", "{%p if urgent %}"),
    ("Normal", "{{ urgent }}"),
    ("ctl", "{%p endif %}"),
    ("Normal", "{{ intro }}"),
    ("ctl", "{%p for subject in subjects %}"),
    ("Item", "– {{ subject }}"),
    ("ctl", "{%p endfor %}"),
    *FACTS,
    ("Normal", "{{ facts.problem }}"),
    ("Normal", "{{ problem.description }}"),
    *HISTORY[:2],
    ("ctl", "{%p if loop.first and claim_demands %}"),
    ("Normal", "{{ claim_demands_lead }}"),
    ("ctl", "{%p for demand in claim_demands %}"),
    ("Item", "{{ demand.number }}. {{ demand.text }}"),
    ("ctl", "{%p endfor %}"),
    ("ctl", "{%p endif %}"),
    HISTORY[2],
    ("Normal", "{{ grounds_lead }}"),
    ("ctl", "{%p for ground in grounds %}"),
    ("Item", "– {{ ground }}{% if loop.last %}.{% else %};{% endif %}"),
    ("ctl", "{%p endfor %}"),
    ("ctl", "{%p if offence %}"),
    ("Normal", "{{ offence }}"),
    ("ctl", "{%p endif %}"),
    ("Normal", "{{ basis }}"),
    ("Lead", "ПРОШУ:"),
    ("ctl", "{%p for item in requests %}"),
    ("Item", "{{ loop.index }}. {{ item }}"),
    ("ctl", "{%p endfor %}"),
    ("Normal", "{{ money_note }}"),
    *ATTACHMENTS,
    *SIGNATURE,
]

# Draft court claim (ГПК ст. 131–132; law.md §4.3).
COURT = [
    ("Addressee", "{{ court.name }}"),
    ("Addressee", ""),
    ("Addressee", "Истец: {{ plaintiff.full_name }}"),
    ("Addressee", "дата и место рождения: {{ plaintiff.birth }}"),
    ("Addressee", "адрес: {{ plaintiff.address }}"),
    ("Addressee", "{{ plaintiff.identifier }}"),
    ("ctl", "{%p if plaintiff.contacts %}"),
    ("Addressee", "{{ plaintiff.contacts }}"),
    ("ctl", "{%p endif %}"),
    ("ctl", "{%p if representative %}"),
    ("Addressee", ""),
    ("Addressee", "Представитель истца: {{ representative.full_name }}"),
    ("Addressee", "адрес: {{ representative.address }}"),
    ("Addressee", "{{ representative.power }}"),
    ("ctl", "{%p endif %}"),
    ("Addressee", ""),
    ("Addressee", "Ответчик{% if co_defendant %} 1{% endif %}: {{ defendant.name }}"),
    ("Addressee", "адрес: {{ defendant.address }}"),
    ("ctl", "{%p if defendant.ids %}"),
    ("Addressee", "{{ defendant.ids }}"),
    ("ctl", "{%p endif %}"),
    ("ctl", "{%p if co_defendant %}"),
    ("Addressee", ""),
    ("Addressee", "Ответчик 2: {{ co_defendant.name }}"),
    ("Addressee", "адрес: {{ co_defendant.address }}"),
    ("ctl", "{%p if co_defendant.ids %}"),
    ("Addressee", "{{ co_defendant.ids }}"),
    ("ctl", "{%p endif %}"),
    ("ctl", "{%p endif %}"),
    ("Addressee", ""),
    ("Addressee", "Цена иска: {{ claim_value }}"),
    ("Addressee", "Госпошлина: {{ duty_short }}"),
    ("Title", "ИСКОВОЕ ЗАЯВЛЕНИЕ"),
    ("Subtitle", "(о защите прав потребителя)"),
    *FACTS,
    ("Normal", "{{ facts.problem }}"),
    ("Normal", "{{ problem.description }}"),
    *HISTORY,
    ("Intro", "Правовые основания исковых требований:"),
    ("ctl", "{%p for ground in grounds %}"),
    ("Item", "– {{ ground }}{% if loop.last %}.{% else %};{% endif %}"),
    ("ctl", "{%p endfor %}"),
    ("ctl", "{%p if penalties %}"),
    ("Intro", "{{ penalty_intro }}"),
    ("ctl", "{%p endif %}"),
    *PENALTIES,
    ("Normal", "{{ moral_sentence }}"),
    ("Normal", "Согласно п. 6 ст. 13 Закона РФ «О защите прав потребителей» при удовлетворении судом требований "
               "потребителя, не удовлетворённых изготовителем (исполнителем, продавцом) в добровольном порядке, суд "
               "взыскивает в пользу потребителя штраф в размере 50 % от присуждённой суммы."),
    ("ctl", "{%p if costs_sentence %}"),
    ("Normal", "{{ costs_sentence }}"),
    ("ctl", "{%p endif %}"),
    ("Normal", "Обязательный досудебный порядок урегулирования спора законом не установлен; тем не менее "
               "претензия {% if co_defendant %}ответчикам{% else %}ответчику{% endif %} направлялась и оставлена без "
               "удовлетворения."),
    ("Normal", "{{ jurisdiction }}"),
    ("Normal", "{{ duty_sentence }}"),
    ("Normal", "На основании изложенного, руководствуясь {{ articles }},"),
    ("Lead", "ПРОШУ:"),
    ("ctl", "{%p for item in prayer %}"),
    ("Item", "{{ loop.index }}. {{ item }}"),
    ("ctl", "{%p endfor %}"),
    *ATTACHMENTS,
    ("Signature", "{{ date }}\t{% if signer_role %}{{ signer_role }} {% endif %}_______________ / {{ signature }}"),
    ("TitleNewPage", "РАСЧЁТ"),  # its own sheet (pageBreakBefore: no blank page when the claim ends a page)
    ("Subtitle", "взыскиваемых денежных сумм к исковому заявлению {{ plaintiff.name_genitive }} "
                 "к {{ defendant.name_dative }}{% if co_defendant %} и {{ co_defendant.name_dative }}{% endif %} "
                 "о защите прав потребителя (по состоянию на {{ date }})"),
    ("ctl", "{%p for line in calculation %}"),
    ("Item", "{{ loop.index }}. {{ line }}"),
    ("ctl", "{%p endfor %}"),
    ("Signature", "{{ date }}\t{% if signer_role %}{{ signer_role }} {% endif %}_______________ / {{ signature }}"),
]

TEMPLATES_SPEC = {
    "claim.docx": (CLAIM, "Претензия"),
    "inaction.docx": (INACTION, "Повторная претензия"),
    "rospotrebnadzor.docx": (ROSPOTREBNADZOR, "Жалоба в Роспотребнадзор"),
    "court.docx": (COURT, "Исковое заявление"),
}


# Every letter can run over one page (the examples' letters take two to four): all are numbered in the footer.
PAGE_NUMBERS = frozenset(TEMPLATES_SPEC)


def spec(paragraphs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Fixed legal text gets no-break spaces («ст.\u00a015», «50\u00a0%») and non-breaking hyphens («№ 59\u2011ФЗ»);
    Jinja control paragraphs stay as they are."""
    return [(style, text if style == "ctl" else bind_hyphens(bind_legal(text))) for style, text in paragraphs]


def more_templates() -> dict[str, bytes]:
    """The templates built by ``scripts/templates_*.py`` (one module per document family: the post-office kit, the
    penalty appendix, the bank dispute…), each exposing ``templates() -> {name: .docx bytes}``."""
    import importlib

    files: dict[str, bytes] = {}
    for module_path in sorted(Path(__file__).resolve().parent.glob("templates_*.py")):
        module = importlib.import_module(module_path.stem)
        for name, data in module.templates().items():
            if name in files or name in TEMPLATES_SPEC:
                raise SystemExit(f"{module_path.name}: the template {name} is built twice")
            files[name] = data
    return files


def build_all() -> dict[str, bytes]:
    """Every bundled file by its path under templates/: the .docx files and their precomputed Jinja sources."""
    import io
    import zipfile

    from complaint_cli.render import COMPILED_DIR, DOCUMENT_PART, patched_source, source_key

    files: dict[str, bytes] = {}
    built = {name: build_docx(spec(paragraphs), title=title, page_numbers=name in PAGE_NUMBERS)
             for name, (paragraphs, title) in TEMPLATES_SPEC.items()}
    built.update(more_templates())
    for name, data in built.items():
        files[name] = data
        xml = zipfile.ZipFile(io.BytesIO(data)).read(DOCUMENT_PART).decode("utf-8")
        files[f"{COMPILED_DIR}/{source_key(xml)}"] = patched_source(xml).encode("utf-8")
    return files


def main() -> None:
    from complaint_cli.render import COMPILED_DIR

    files = build_all()
    for stale in (TEMPLATES / COMPILED_DIR).glob("*.xml"):
        if f"{COMPILED_DIR}/{stale.name}" not in files:
            stale.unlink()
    (TEMPLATES / COMPILED_DIR).mkdir(exist_ok=True)
    for name, data in files.items():
        (TEMPLATES / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


if __name__ == "__main__":
    main()
