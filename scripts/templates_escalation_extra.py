"""Word templates of issue 18's escalation extras: the penalty appendix (``penalty.docx``, a table) and the request
to the card's issuing bank (``bank.docx``). Picked up by scripts/build_templates.py (``templates()``).

docxbuild.build_docx writes paragraphs only; the appendix's table is written here as WordprocessingML and put where a
marker paragraph stands. Its rows repeat with docxtpl's ``{%tr for … %}`` (the row holding the tag is replaced by
the loop), so a lawyer can edit the table in Word like any other.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docxbuild import TEXT_WIDTH, build_docx  # noqa: E402

from complaint_cli.language import bind_hyphens, bind_legal  # noqa: E402

MARKER = "TableHere"
SIGNATURE = ("Signature", "{{ date }}\t{% if signer_role %}{{ signer_role }} {% endif %}_______________ / "
             "{{ signature }}")

# --------------------------------------------------------------------------- the penalty appendix


def _optional(name: str, text: str | None = None) -> list[tuple[str, bool]]:
    """An italic cell paragraph kept only when ``name`` is not empty (docxtpl drops the ``{%p …%}`` paragraphs)."""
    return [(f"{{%p if {name} %}}", False), (text or f"{{{{ {name} }}}}", True), ("{%p endif %}", False)]


# (heading, width in twips, alignment, the row's cell paragraphs: (text, italic))
COLUMNS: list[tuple[str, int, str, list[tuple[str, bool]]]] = [
    ("№", 350, "center", [("{{ row.number }}", False)]),
    ("Основание (норма)", 2700, "left", [("{{ row.norm }}", False), ("{{ row.what }}", True)]),
    ("База, руб.", 1000, "right", [("{{ row.base }}", False), ("{{ row.base_name }}", True)]),
    ("Ставка", 850, "center", [("{{ row.rate }}", False)]),
    ("Период", 1350, "center", [("с {{ row.start }}", False), ("по {{ row.end }}", False)]),
    ("Дней (часов)", 850, "center", [("{{ row.count }}", False)]),
    ("Предел, руб.", 1100, "right", [("{{ row.cap }}", False), *_optional("row.cap_note")]),
    ("Сумма, руб.", 1155, "right", [("{{ row.amount }}", False), *_optional("row.raw_note")]),
]
assert sum(width for _, width, _, _ in COLUMNS) == TEXT_WIDTH

_BORDER = '<w:{0} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
TABLE_PROPERTIES = (
    f'<w:tblPr><w:tblW w:w="{TEXT_WIDTH}" w:type="dxa"/><w:tblBorders>'
    + "".join(_BORDER.format(side) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    + '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/>'
    '<w:right w:w="57" w:type="dxa"/></w:tblCellMar><w:tblLook w:val="04A0"/></w:tblPr>'
)


def _cell_paragraph(text: str, align: str, *, italic: bool = False, bold: bool = False) -> str:
    """A table paragraph in 10 pt (the body is 12 pt: eight columns fit the A4 text width)."""
    rpr = "<w:rPr>" + ("<w:b/><w:bCs/>" if bold else "") + ("<w:i/><w:iCs/>" if italic else "") + \
        '<w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr>'
    ppr = f'<w:pPr><w:pStyle w:val="Plain"/><w:spacing w:line="240" w:lineRule="auto"/><w:jc w:val="{align}"/></w:pPr>'
    return f'<w:p>{ppr}<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'


def _cell(width: int, paragraphs: str, *, span: int = 1, shade: bool = False) -> str:
    tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>' + (f'<w:gridSpan w:val="{span}"/>' if span > 1 else "") + \
        ('<w:shd w:val="clear" w:color="auto" w:fill="EDEDED"/>' if shade else "") + '<w:vAlign w:val="top"/>'
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{paragraphs}</w:tc>"


def _control_row(tag: str) -> str:
    """A row holding only a docxtpl ``{%tr … %}`` tag: docxtpl replaces the whole row by the tag."""
    return f"<w:tr>{_cell(TEXT_WIDTH, _cell_paragraph(tag, 'left'), span=len(COLUMNS))}</w:tr>"


def penalty_table() -> str:
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for _, width, _, _ in COLUMNS)
    header = "".join(_cell(width, _cell_paragraph(title, "center", bold=True), shade=True)
                     for title, width, _, _ in COLUMNS)
    row = "".join(_cell(width, "".join(_cell_paragraph(text if text.startswith("{%") else bind_legal(text), align,
                                                       italic=italic) for text, italic in cells))
                  for _, width, align, cells in COLUMNS)
    label_width = sum(width for _, width, _, _ in COLUMNS[:-1])
    total = (_cell(label_width, _cell_paragraph("Итого", "right", bold=True), span=len(COLUMNS) - 1)
             + _cell(COLUMNS[-1][1], _cell_paragraph("{{ total }}", "right", bold=True)))
    return (
        f"<w:tbl>{TABLE_PROPERTIES}<w:tblGrid>{grid}</w:tblGrid>"
        f'<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>{header}</w:tr>'
        + _control_row("{%tr for row in rows %}")
        + f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{row}</w:tr>"
        + _control_row("{%tr endfor %}")
        + f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{total}</w:tr></w:tbl>"
    )


PENALTY = [
    ("Title", "РАСЧЁТ НЕУСТОЙКИ"),
    ("Subtitle", "{{ subtitle }}"),
    ("Plain", "Потребитель: {{ claimant.full_name }}"),
    ("Plain", "{{ debtors }}"),
    ("ctl", "{%p if basis %}"),
    ("Plain", "{{ basis }}"),
    ("ctl", "{%p endif %}"),
    ("Plain", ""),
    (MARKER, ""),
    ("Plain", ""),
    ("Normal", "Итого неустойка на {{ date }}: {{ total_words }}."),
    ("Intro", "Неустойка по каждой строке равна базе, умноженной на ставку и на число дней (часов) просрочки, но не "
              "больше предела, если он установлен законом:"),
    ("ctl", "{%p for line in formulas %}"),
    ("Item", "{{ line }}"),
    ("ctl", "{%p endfor %}"),
    ("ctl", "{%p if accrual %}"),
    ("Normal", "{{ accrual }}"),
    ("ctl", "{%p endif %}"),
    ("ctl", "{%p for paragraph in pending %}"),
    ("Normal", "{{ paragraph }}"),
    ("ctl", "{%p endfor %}"),
    SIGNATURE,
]

# --------------------------------------------------------------------------- the request to the bank

BANK = [
    ("Addressee", "{{ bank.heading }}"),
    ("ctl", "{%p if bank.address %}"),
    ("Addressee", "{{ bank.address }}"),
    ("ctl", "{%p endif %}"),
    ("ctl", "{%p if bank.email %}"),
    ("Addressee", "e-mail: {{ bank.email }}"),
    ("ctl", "{%p endif %}"),
    ("Addressee", ""),
    ("Addressee", "от {{ claimant.name_genitive }}"),
    ("Addressee", "адрес: {{ claimant.address }}"),
    ("Addressee", "тел.: {{ claimant.phone }}{% if claimant.email %}, e-mail: {{ claimant.email }}{% endif %}"),
    ("Title", "ЗАЯВЛЕНИЕ"),
    ("Subtitle", "об оспаривании операции по банковской карте"),
    ("Normal", "{{ card_sentence }}"),
    ("Normal", "{{ operation_sentence }}"),
    ("Normal", "{{ problem_sentence }}"),
    ("ctl", "{%p if problem.description %}"),
    ("Normal", "{{ problem.description }}"),
    ("ctl", "{%p endif %}"),
    ("Intro", "Урегулировать спор без обращения в банк не удалось:"),
    ("ctl", "{%p for paragraph in history %}"),
    ("Normal", "{{ paragraph }}"),
    ("ctl", "{%p endfor %}"),
    ("Lead", "ПРОШУ:"),
    ("ctl", "{%p for item in requests %}"),
    ("Item", "{{ loop.index }}. {{ item }}"),
    ("ctl", "{%p endfor %}"),
    ("Normal", "{{ not_statute }}"),
    ("Normal", "{{ reply_sentence }}"),
    ("ctl", "{%p if attachments %}"),
    ("Lead", "Приложения:"),
    ("ctl", "{%p for item in attachments %}"),
    ("Attachment", "{{ loop.index }}. {{ item }}"),
    ("ctl", "{%p endfor %}"),
    ("ctl", "{%p endif %}"),
    ("Signature", "{{ date }}\t_______________ / {{ claimant.signature }}"),
]


def _spec(paragraphs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """No-break spaces and hyphens in the fixed text, as build_templates.spec does; control paragraphs as they are."""
    return [(style, text if style in ("ctl", MARKER) else bind_hyphens(bind_legal(text))) for style, text in paragraphs]


def _replace_marker(docx: bytes, xml: str) -> bytes:
    """The same package with the marker paragraph of word/document.xml replaced by ``xml`` (entries keep their
    fixed timestamps, so the built template stays byte-for-byte reproducible)."""
    marker = f'<w:p><w:pPr><w:pStyle w:val="{MARKER}"/></w:pPr><w:r><w:t xml:space="preserve"></w:t></w:r></w:p>'
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8")
                if text.count(marker) != 1:
                    raise SystemExit("templates_escalation_extra: the table marker is not in the document once")
                data = text.replace(marker, xml).encode("utf-8")
            zf.writestr(info, data)
    return out.getvalue()


def templates() -> dict[str, bytes]:
    penalty = build_docx(_spec(PENALTY), title="Расчёт неустойки", page_numbers=True)
    return {
        "penalty.docx": _replace_marker(penalty, penalty_table()),
        "bank.docx": build_docx(_spec(BANK), title="Заявление в банк об оспаривании операции", page_numbers=True),
    }
