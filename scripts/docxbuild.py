"""Build slim Word templates from a list of paragraphs (used by scripts/build_templates.py).

Why not python-docx: its default template carries ~790 KB of style XML that every rendered document would inherit
and every render would re-parse. These files hold only the parts Word needs (a few KB) and open in Word and
LibreOffice as ordinary editable documents: Times New Roman 12, A4, margins 3/1.5/2/2 cm, justified body, and (where
asked) the page number centred in the footer.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>
{footer}<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>"""

RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
</Relationships>"""

DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>
{footer}</Relationships>"""

FOOTER_CONTENT_TYPE = (
    '<Override PartName="/word/footer1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>\n'
)
FOOTER_REL = (
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" '
    'Target="footer1.xml"/>\n'
)
# The page number, centred at the foot of every page: a PAGE field in the body font (Times New Roman 12).
FOOTER = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr><w:pStyle w:val="PageNumber"/></w:pPr>\
<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>\
<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>\
</w:p></w:ftr>"""

SETTINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{W_NS}"><w:defaultTabStop w:val="708"/><w:characterSpacingControl w:val="doNotCompress"/>
<w:compat><w:doNotExpandShiftReturn/><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>
</w:settings>"""

CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>{title}</dc:title><dc:creator>complaint_cli</dc:creator><dc:language>ru-RU</dc:language>
</cp:coreProperties>"""

APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>complaint_cli</Application></Properties>"""

# Text width on A4 with 3 cm + 1.5 cm margins: 11906 - 1701 - 850 = 9355 twips.
TEXT_WIDTH = 9355


def _style(style_id: str, name: str, ppr: str, rpr: str = "") -> str:
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f'<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr>{ppr}</w:pPr>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}</w:style>'
    )


STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="ru-RU" w:eastAsia="ru-RU" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:jc w:val="both"/><w:ind w:firstLine="709"/></w:pPr></w:style>
{_style("Addressee", "Адресат", '<w:ind w:left="4820" w:firstLine="0"/><w:jc w:val="left"/>')}
{_style("Title", "Заголовок документа", '<w:keepNext/><w:spacing w:before="360" w:after="0"/><w:ind w:firstLine="0"/><w:jc w:val="center"/>', '<w:b/><w:bCs/><w:sz w:val="28"/><w:szCs w:val="28"/>')}
{_style("Subtitle", "Подзаголовок", '<w:keepNext/><w:spacing w:after="240"/><w:ind w:firstLine="0"/><w:jc w:val="center"/>')}
{_style("Lead", "Вводное слово", '<w:keepNext/><w:spacing w:before="120" w:after="60"/><w:ind w:firstLine="0"/><w:jc w:val="left"/>', '<w:b/><w:bCs/>')}
{_style("Item", "Пункт списка", '<w:ind w:left="709" w:hanging="0" w:firstLine="0"/><w:jc w:val="both"/>')}
{_style("Intro", "Вводный абзац (держится со следующим)", '<w:keepNext/><w:jc w:val="both"/><w:ind w:firstLine="709"/>')}
{_style("Attachment", "Приложение (держится с подписью)", '<w:keepNext/><w:ind w:left="709" w:hanging="0" w:firstLine="0"/><w:jc w:val="both"/>')}
{_style("TitleNewPage", "Заголовок с новой страницы", '<w:keepNext/><w:pageBreakBefore/><w:spacing w:before="0" w:after="0"/><w:ind w:firstLine="0"/><w:jc w:val="center"/>', '<w:b/><w:bCs/><w:sz w:val="28"/><w:szCs w:val="28"/>')}
{_style("Plain", "Без отступа", '<w:ind w:firstLine="0"/><w:jc w:val="left"/>')}
{_style("Signature", "Подпись", f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs><w:spacing w:before="480"/><w:ind w:firstLine="0"/><w:jc w:val="left"/>')}
{_style("PageNumber", "Номер страницы", '<w:ind w:firstLine="0"/><w:jc w:val="center"/>')}
{_style("Small", "Примечание", '<w:spacing w:before="240"/><w:ind w:firstLine="0"/><w:jc w:val="both"/>', '<w:i/><w:iCs/><w:sz w:val="20"/><w:szCs w:val="20"/>')}
</w:styles>"""

SECTION = (
    '<w:sectPr>{footer}<w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="709" w:footer="709" w:gutter="0"/>'
    "</w:sectPr>"
)
FOOTER_REFERENCE = '<w:footerReference w:type="default" r:id="rId3"/>'



NB_HYPHEN = "\u2011"  # written as Word's <w:noBreakHyphen/>


def paragraph(style: str, text: str) -> str:
    """One paragraph of one run. ``\\t`` becomes a tab, U+2011 Word's non-breaking hyphen; Jinja tags are kept."""
    ppr = "" if style == "Normal" else f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
    if style == "ctl":  # a Jinja control paragraph ({%p for … %}) removed by docxtpl on render
        ppr = ""
    parts = escape(text, {'"': "&quot;"}).split("\t")
    hyphen = '</w:t><w:noBreakHyphen/><w:t xml:space="preserve">'
    runs = '<w:r><w:tab/></w:r>'.join(
        f'<w:r><w:t xml:space="preserve">{p.replace(NB_HYPHEN, hyphen)}</w:t></w:r>' for p in parts
    )
    return f"<w:p>{ppr}{runs}</w:p>"


def build_docx(paragraphs: list[tuple[str, str]], *, title: str, page_numbers: bool = False) -> bytes:
    """A complete .docx (as bytes) with the given ``(style, text)`` paragraphs; ``page_numbers``: a footer with them."""
    body = "".join(paragraph(style, text) for style, text in paragraphs)
    return package(body, title=title, page_numbers=page_numbers)


def package(body: str, *, title: str, page_numbers: bool = False, section: str | None = None) -> bytes:
    """A complete .docx (as bytes) around the document body's XML (paragraphs and tables); ``section``: the section
    properties (default: the letters' A4 page, with the page-number footer when ``page_numbers``)."""
    if section is None:
        section = SECTION.format(footer=FOOTER_REFERENCE if page_numbers else "")
    document = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{body}{section}</w:body></w:document>'
    )
    out = io.BytesIO()
    # A fixed timestamp keeps the committed templates byte-for-byte reproducible.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in (
            ("[Content_Types].xml", CONTENT_TYPES.format(footer=FOOTER_CONTENT_TYPE if page_numbers else "")),
            ("_rels/.rels", RELS),
            ("word/document.xml", document),
            ("word/_rels/document.xml.rels", DOC_RELS.format(footer=FOOTER_REL if page_numbers else "")),
            ("word/styles.xml", STYLES),
            ("word/settings.xml", SETTINGS),
            *((("word/footer1.xml", FOOTER),) if page_numbers else ()),
            ("docProps/core.xml", CORE.format(title=escape(title))),
            ("docProps/app.xml", APP),
        ):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return out.getvalue()
