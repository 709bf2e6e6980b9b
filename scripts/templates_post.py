"""The post-office kit's Word templates: the inventory of contents on form ф. 107 and the address label with the steps.

    python scripts/build_templates.py   (picks this module up: ``templates()`` → {name: .docx bytes})

Form ф. 107 «Опись вложения» of АО «Почта России» (sources in complaint_cli/data/post.yaml): «ф. 107» in the corner,
«ОПИСЬ вложения в …», «Куда», «Кому», the table «№ п/п | Наименование предметов | Количество предметов | Объявленная
ценность, руб.» with «Итого», «Отправитель … (подпись)», «Проверил … (подпись работника связи)» and the place of the
calendar stamp. The sender hands in two identical copies: each letter's form is printed twice on one A4 sheet with a
cut line between them (on two sheets when the list is long: ``form.page_break``). docxbuild writes paragraphs only, so
the tables are written here; the files stay ordinary .docx a lawyer can edit in Word. Context: see
complaint_cli/postkit.py (``inventory_context``, ``label_context``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent))

from docxbuild import package  # noqa: E402

# A4 with 2 cm on the left and 1.5 cm elsewhere: 11906 - 1134 - 850 twips of text.
WIDTH = 9922
SECTION = ('<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="850" w:right="850" w:bottom="850" '
           'w:left="1134" w:header="425" w:footer="425" w:gutter="0"/></w:sectPr>')


# --------------------------------------------------------------------------- XML pieces


def run(text: str, *, size: float | None = None, bold: bool = False, underline: bool = False,
        italic: bool = False, spacing: int | None = None, color: str | None = None) -> str:
    """One run; ``size`` in points; Jinja tags in ``text`` are kept as they are."""
    rpr = ""
    if bold:
        rpr += "<w:b/><w:bCs/>"
    if italic:
        rpr += "<w:i/><w:iCs/>"
    if underline:
        rpr += '<w:u w:val="single"/>'
    if color:
        rpr += f'<w:color w:val="{color}"/>'
    if spacing:
        rpr += f'<w:spacing w:val="{spacing}"/>'
    if size:
        rpr += f'<w:sz w:val="{int(size * 2)}"/><w:szCs w:val="{int(size * 2)}"/>'
    rpr = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(*runs: str, align: str = "left", before: int = 0, after: int = 0, keep_next: bool = False,
         indent: int = 0, line: int | None = None) -> str:
    """A plain paragraph (style «Без отступа»): alignment, spacing before/after in twips."""
    ppr = '<w:pStyle w:val="Plain"/>'
    if keep_next:
        ppr += "<w:keepNext/>"
    ppr += f'<w:spacing w:before="{before}" w:after="{after}"' + (
        f' w:line="{line}" w:lineRule="auto"/>' if line else "/>")
    if indent:
        ppr += f'<w:ind w:left="{indent}" w:firstLine="0"/>'
    ppr += f'<w:jc w:val="{align}"/>'
    return f"<w:p><w:pPr>{ppr}</w:pPr>{''.join(runs)}</w:p>"


def ctl(tag: str) -> str:
    """A Jinja control paragraph (``{%p … %}``), removed by docxtpl on render."""
    return f'<w:p><w:r><w:t xml:space="preserve">{escape(tag)}</w:t></w:r></w:p>'


PAGE_BREAK = '<w:p><w:pPr><w:pStyle w:val="Plain"/><w:spacing w:before="0" w:after="0"/></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>'


def borders(value: str = "single", size: int = 4, inside: bool = True) -> str:
    sides = ["top", "left", "bottom", "right"] + (["insideH", "insideV"] if inside else [])
    return "<w:tblBorders>" + "".join(
        f'<w:{s} w:val="{value}" w:sz="{size}" w:space="0" w:color="000000"/>' for s in sides) + "</w:tblBorders>"


def cell(width: int, *paragraphs: str, valign: str = "top", border: str = "", span: int = 1) -> str:
    tcpr = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        tcpr += f'<w:gridSpan w:val="{span}"/>'
    tcpr += border + f'<w:vAlign w:val="{valign}"/>'
    return f"<w:tc><w:tcPr>{tcpr}</w:tcPr>{''.join(paragraphs) or para()}</w:tc>"


def row(*cells: str, header: bool = False, cant_split: bool = True, height: int | None = None) -> str:
    trpr = ("<w:cantSplit/>" if cant_split else "") + ("<w:tblHeader/>" if header else "")
    if height:
        trpr += f'<w:trHeight w:val="{height}" w:hRule="atLeast"/>'
    return f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>"


def table(widths: list[int], rows: list[str], *, tbl_borders: str, margins: int = 85) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    tblpr = (f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>{tbl_borders}<w:tblLayout w:type="fixed"/>'
             f'<w:tblCellMar><w:left w:w="{margins}" w:type="dxa"/><w:right w:w="{margins}" w:type="dxa"/>'
             "</w:tblCellMar>")
    return f"<w:tbl><w:tblPr>{tblpr}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


def tr_tag(tag: str, widths: list[int]) -> str:
    """A row holding only ``{%tr … %}``: docxtpl replaces the whole row with the tag."""
    return row(cell(widths[0], para(run(tag))), *(cell(w, para()) for w in widths[1:]))


# --------------------------------------------------------------------------- ф. 107

COLUMNS = [700, 5622, 1700, 1900]  # № п/п | Наименование предметов | Количество | Объявленная ценность
SMALL = 9.5
BODY = 11


def inventory_form() -> str:
    """One copy of form ф. 107 for ``form`` (a letter): heading, addressee, the list, signatures, stamp place."""
    head = [para(run("ф. 107", size=SMALL), align="right"),
            para(run("ОПИСЬ", size=14, bold=True, spacing=40), align="center", keep_next=True),
            para(run("вложения в ", size=BODY), run("{{ form.kind }}", size=BODY, underline=True),
                 align="center", after=120, keep_next=True),
            para(run("Куда: ", size=BODY, bold=True), run("{{ form.to_address }}", size=BODY, underline=True),
                 after=40, keep_next=True),
            para(run("Кому: ", size=BODY, bold=True), run("{{ form.to_name }}", size=BODY, underline=True),
                 after=120, keep_next=True)]
    header_cells = ["№ п/п", "Наименование предметов", "Количество предметов", "Объявленная ценность, руб."]
    rows = [row(*(cell(w, para(run(t, size=SMALL, bold=True), align="center"), valign="center")
                  for w, t in zip(COLUMNS, header_cells)), header=True)]
    rows.append(tr_tag("{%tr for item in form.rows %}", COLUMNS))
    rows.append(row(cell(COLUMNS[0], para(run("{{ item.number }}", size=BODY), align="center")),
                    cell(COLUMNS[1], para(run("{{ item.name }}", size=BODY))),
                    cell(COLUMNS[2], para(run("{{ item.quantity }}", size=BODY), align="center")),
                    cell(COLUMNS[3], para(run("{{ item.value }}", size=BODY), align="center"))))
    rows.append(tr_tag("{%tr endfor %}", COLUMNS))
    rows.append(row(cell(COLUMNS[0], para()),
                    cell(COLUMNS[1], para(run("Итого", size=BODY, bold=True), align="right")),
                    cell(COLUMNS[2], para(run("{{ form.quantity_total }}", size=BODY, bold=True), align="center")),
                    cell(COLUMNS[3], para(run("{{ form.value_total }}", size=BODY, bold=True), align="center"))))
    items = table(COLUMNS, rows, tbl_borders=borders())
    # Signatures on the left, the calendar stamp's place on the right (a framed box the postal worker stamps).
    left, right = 6622, 3300
    stamp_border = ("<w:tcBorders>" + "".join(
        f'<w:{s} w:val="dashed" w:sz="4" w:space="0" w:color="808080"/>' for s in ("top", "left", "bottom", "right"))
        + "</w:tcBorders>")
    signatures = table([left, right], [row(
        cell(left,
             para(run("Отправитель ", size=BODY, bold=True), run("_________________", size=BODY),
                  run("  {{ form.sender_signature }}", size=BODY), before=200),
             para(run("(подпись)", size=8), indent=1300),
             para(run("Проверил ", size=BODY, bold=True), run("_________________", size=BODY), before=200),
             para(run("(подпись работника связи)", size=8), indent=1000)),
        cell(right, para(run("Место для оттиска календарного штемпеля", size=8, color="808080"),
                         align="center", before=60), border=stamp_border, valign="center"),
        height=1300)], tbl_borders=borders("nil", 0, inside=True), margins=60)
    return "".join(head) + items + para(before=0) + signatures


CUT_LINE = para(run("- - - - - - - - - - - - - - - - - - - -   линия отреза   - - - - - - - - - - - - - - - - - - - -",
                    size=8, color="808080"), align="center", before=240, after=240)


def inventory_body() -> str:
    """Every letter's form, twice; a page break before each letter but the first, a cut line between the copies."""
    return "".join([
        ctl("{%p for form in forms %}"),
        ctl("{%p if form.page_break %}"), PAGE_BREAK, ctl("{%p endif %}"),
        ctl("{%p if form.cut_line %}"), CUT_LINE, ctl("{%p endif %}"),
        inventory_form(),
        ctl("{%p endfor %}"),
        para(run("{{ note }}", size=7, color="808080"), before=120),
    ])


# --------------------------------------------------------------------------- the address label and the steps


def label_body() -> str:
    """Per letter a framed block to cut out and glue on the envelope (sender top left, addressee below, the postcodes
    large); two labels to a page; then the steps at the post office on a page of their own."""
    width = WIDTH
    frame = borders("dashed", 8, inside=False)
    label = table([width], [
        row(cell(width,
                 para(run("От кого: ", size=11, bold=True), run("{{ label.sender.name }}", size=13), before=60),
                 para(run("Откуда: ", size=11, bold=True), run("{{ label.sender.address }}", size=13), before=40),
                 para(run("Индекс: ", size=11, bold=True),
                      run("{{ label.sender.postcode }}", size=18, bold=True, spacing=60), before=40, after=240),
                 para(run("Кому: ", size=13, bold=True), run("{{ label.to.name }}", size=16, bold=True), indent=2800,
                      before=120),
                 para(run("Куда: ", size=13, bold=True), run("{{ label.to.address }}", size=15), indent=2800,
                      before=60),
                 para(run("Индекс: ", size=13, bold=True),
                      run("{{ label.to.postcode }}", size=26, bold=True, spacing=100), indent=2800, before=60),
                 para(run("{{ label.mark }}", size=10, italic=True), before=200, after=60))),
    ], tbl_borders=frame, margins=200)
    steps_title = para(run("{{ steps_title }}", size=14, bold=True), align="center", after=200)
    return "".join([
        ctl("{%p for label in labels %}"),
        ctl("{%p if label.page_break %}"), PAGE_BREAK, ctl("{%p endif %}"),
        ctl("{%p if label.gap %}"), para(after=600), ctl("{%p endif %}"),
        label,
        ctl("{%p endfor %}"),
        PAGE_BREAK,
        steps_title,
        ctl("{%p for step in steps %}"),
        para(run("{{ loop.index }}. {{ step }}", size=12), after=120, line=264),
        ctl("{%p endfor %}"),
        para(run("{{ note }}", size=8, color="808080"), before=240),
    ])


# --------------------------------------------------------------------------- packaging


def build(body: str, *, title: str) -> bytes:
    return package(body, title=title, section=SECTION)  # the forms' narrower margins, no page numbers


def templates() -> dict[str, bytes]:
    return {
        "post_inventory.docx": build(inventory_body(), title="Опись вложения (ф. 107)"),
        "post_label.docx": build(label_body(), title="Адресный ярлык и порядок отправки"),
    }
