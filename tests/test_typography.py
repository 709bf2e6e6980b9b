"""Typography of every rendered letter (issue 14): no-break spaces after «№» and inside short address parts, order
numbers that never break at a hyphen, no doubled parentheses, description lines as indented paragraphs, page numbers.

The letters are rendered from the examples exactly as the CLI renders them and read back from their XML.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from lxml import etree

from complaint_cli.documents import render_claim
from complaint_cli.escalation import EscalationOptions, escalate
from complaint_cli.render import (
    BUNDLED,
    LETTER_TEMPLATES,
    DOCUMENT_PART,
    _split_paragraphs,
    _split_paragraphs_tree,
    _split_simple_paragraphs,
    bundled_path,
    document_text,
)
from complaint_cli.validation import validate_data
from tests.conftest import TODAY

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NBSP = "\u00a0"
NB_HYPHEN = "\u2011"


def _case(data: dict, *, reference: str = "5512", channel: str = "app"):
    """The claim sent through the app and received the day after the order (the examples' orders are in November)."""
    ordered = data["order"]["date"]
    if isinstance(ordered, str):  # «05.11.2026» in one example
        ordered = dt.datetime.strptime(ordered, "%d.%m.%Y").date()
    day = ordered + dt.timedelta(days=1)
    data["submission"] = {"channel": channel, "sent_on": day, "received_on": day, "reference": reference}
    return validate_data(data, today=TODAY).raise_for_errors()


def letters(data: dict, tmp_path, **submission) -> dict[str, bytes]:
    """Every letter of a case: the claim and, drafted early with --force, the three escalation documents."""
    case = _case(data, **submission)
    out: dict[str, bytes] = {"claim": render_claim(case, out_dir=tmp_path / "claim", on=TODAY, force=True)
                             .path.read_bytes()}
    result = escalate(case, out_dir=tmp_path / "escalation", on=TODAY,
                      options=EscalationOptions(only=("inaction", "rospotrebnadzor", "court"), force=True))
    for doc in result.documents:
        if doc.path.suffix == ".docx" and doc.kind != "penalty":  # the appendix table: tests/test_appendix.py
            out[doc.kind] = doc.path.read_bytes()
    assert set(out) == {"claim", "inaction", "rospotrebnadzor", "court"}
    return out


def body(docx: bytes) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read(DOCUMENT_PART))


def paragraph_texts(docx: bytes) -> list[str]:
    """Each paragraph's text as printed: a non-breaking hyphen as U+2011, a line break as «\\n»."""
    texts = []
    for p in body(docx).iter(f"{W}p"):
        parts = []
        for node in p.iter(f"{W}t", f"{W}noBreakHyphen", f"{W}br", f"{W}tab"):
            parts.append({f"{W}t": node.text or "", f"{W}noBreakHyphen": NB_HYPHEN, f"{W}br": "\n",
                          f"{W}tab": "\t"}[node.tag])
        texts.append("".join(parts))
    return texts


EXAMPLES = ["late_case", "missing_case", "expired_case"]


@pytest.fixture(params=EXAMPLES)
def example(request) -> dict:
    return request.getfixturevalue(request.param)


def test_no_break_space_after_the_number_sign_and_inside_address_parts(late_case, tmp_path):
    for kind, docx in letters(late_case, tmp_path).items():
        text = "\n".join(paragraph_texts(docx))
        assert re.search(r"№ \S", text) is None, kind  # every «№» is followed by a no-break space
        assert f"г.{NBSP}Москва" in text, kind
        assert f"д.{NBSP}9А" in text, kind
        assert f"ул.{NBSP}Садовническая" in text, kind
        assert f"№{NBSP}R{NB_HYPHEN}84512376" in text, kind


def test_the_claimants_city_in_kazan_is_bound_too(missing_case, tmp_path):
    text = "\n".join(paragraph_texts(letters(missing_case, tmp_path)["claim"]))
    assert f"420111, Республика Татарстан, г.{NBSP}Казань, ул.{NBSP}Баумана, д.{NBSP}15, кв.{NBSP}7" in text


@pytest.mark.parametrize(("fixture", "number"), [("late_case", "R-84512376"), ("expired_case", "SM-2026-000777")])
def test_an_order_number_never_breaks_at_its_hyphen(fixture, number, request, tmp_path):
    data = request.getfixturevalue(fixture)
    for kind, docx in letters(data, tmp_path).items():
        texts = paragraph_texts(docx)
        printed = [t for t in texts if number.replace("-", NB_HYPHEN) in t]
        assert printed, kind
        assert not [t for t in texts if number in t], kind  # no plain, breakable hyphen left in it
        # python-docx (and so document_text) reads Word's non-breaking hyphen back as «-»: the number stays findable.
        assert number in document_text(docx), kind


def _depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth = max(depth - 1, 0)
    return deepest


def test_no_letter_of_any_example_nests_or_doubles_parentheses(example, tmp_path):
    for kind, docx in letters(example, tmp_path).items():
        for text in paragraph_texts(docx):
            assert _depth(text) <= 1 and "((" not in text and "))" not in text, (kind, text)


def test_values_that_bring_their_own_parentheses_are_not_wrapped_in_more(late_case, tmp_path):
    late_case["order"]["payment"] = "(оплачен картой ****1234 в приложении)"
    late_case["evidence"][1] = {"description": "Скриншоты переписки (обращение № 5512)", "file": "chat.png"}
    docs = letters(late_case, tmp_path, reference="№ (чат) 5512")
    for kind, docx in docs.items():
        for text in paragraph_texts(docx):
            # «… рублей 00 копеек) (п. 2 ст. 23.1 …)»: a sum in words, then the norm — the usual legal form
            assert _depth(text) <= 1 and "((" not in text and ") (" not in text.replace(") (п.", ""), (kind, text)
            assert "№ №" not in text.replace(NBSP, " "), (kind, text)
    claim = "\n".join(paragraph_texts(docs["claim"])).replace(NBSP, " ")
    assert "копеек) — (оплачен картой ****1234 в приложении)." in claim  # the user's text as typed
    assert "Скриншоты переписки (обращение № 5512) — файл chat.png" in claim


def test_the_users_own_text_is_printed_as_typed(late_case, tmp_path):
    late_case["problem"]["description"] = "Курьер (по словам поддержки (чат)) не приехал."
    text = document_text(letters(late_case, tmp_path)["claim"])
    assert "Курьер (по словам поддержки (чат)) не приехал." in text


def test_every_line_of_the_description_is_an_indented_paragraph(late_case, tmp_path):
    lines = ["Доставка была назначена на 02.11.2026 с 17:00 до 18:00.", "Заказ не привезли.",
             "В чате поддержки мне обещали доставку «в ближайшее время»."]
    late_case["problem"]["description"] = "\n".join(lines)
    for kind, docx in letters(late_case, tmp_path).items():
        paragraphs = list(body(docx).iter(f"{W}p"))
        texts = paragraph_texts(docx)
        found = [i for i, t in enumerate(texts) if t.replace(NBSP, " ") in lines]
        assert len(found) == 3 and found == list(range(found[0], found[0] + 3)), kind
        reference = paragraphs[found[0] - 1]  # the body paragraph before: «… Обстоятельства:» or the facts
        for i in found:
            p = paragraphs[i]
            assert p.find(f".//{W}br") is None, kind
            # the same paragraph properties as the body text: no style of its own means «Normal» (first-line indent)
            ppr, ref_ppr = p.find(f"{W}pPr"), reference.find(f"{W}pPr")
            assert (None if ppr is None else etree.tostring(ppr)) == (
                None if ref_ppr is None else etree.tostring(ref_ppr)), kind
        assert "\n".join(lines) in document_text(docx), kind


def test_normal_style_of_the_bundled_templates_has_the_first_line_indent():
    for name in BUNDLED:
        styles = zipfile.ZipFile(bundled_path(name)).read("word/styles.xml").decode("utf-8")
        normal = re.search(r'<w:style w:type="paragraph" w:default="1" w:styleId="Normal">.*?</w:style>', styles)
        assert normal and 'w:firstLine="709"' in normal.group(), name


def test_a_line_break_stays_a_break_in_a_numbered_paragraph_or_a_hyperlink():
    pi = "</w:t><?complaint-paragraph?><w:t xml:space=\"preserve\">"
    xml = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        '<w:p><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr>'
        f'<w:r><w:t xml:space="preserve">a{pi}b</w:t></w:r></w:p>'
        f'<w:p><w:hyperlink><w:r><w:t xml:space="preserve">c{pi}d</w:t></w:r></w:hyperlink></w:p>'
        '<w:p><w:pPr><w:pStyle w:val="Item"/></w:pPr>'
        f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">e{pi}f</w:t></w:r>'
        '<w:r><w:t>g</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    root = etree.fromstring(_split_paragraphs(xml, "test").encode("utf-8"))
    paragraphs = list(root.iter(f"{W}p"))
    assert len(paragraphs) == 4
    assert len(paragraphs[0].findall(f".//{W}br")) == 1 and len(paragraphs[1].findall(f".//{W}br")) == 1
    third, fourth = paragraphs[2], paragraphs[3]
    assert "".join(third.itertext()) == "e" and "".join(fourth.itertext()) == "fg"
    assert fourth.find(f"{W}pPr/{W}pStyle").get(f"{W}val") == "Item"
    assert fourth.find(f"{W}r/{W}rPr/{W}b") is not None  # the run keeps its bold
    assert not list(root.iter(etree.PI))


def test_the_fast_split_of_a_plain_paragraph_equals_the_parsed_one():
    pi = "</w:t><?complaint-paragraph?><w:t xml:space=\"preserve\">"
    xml = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        f'<w:p w:rsidR="1"><w:pPr><w:pStyle w:val="Item"/><w:ind w:firstLine="709"/></w:pPr><w:r><w:t>x</w:t></w:r>'
        f'<w:r w:rsidR="2"><w:rPr><w:i/></w:rPr><w:t xml:space="preserve">a{pi}b{pi}{pi}c</w:t></w:r>'
        '<w:r><w:t>d</w:t></w:r></w:p>'
        f'<w:p><w:r><w:t xml:space="preserve">e{pi}f</w:t></w:r></w:p>'
        "</w:body></w:document>"
    )
    fast = _split_simple_paragraphs(xml)
    assert fast is not None

    def canonical(text: str) -> list[tuple[str, bytes | None, str]]:
        root = etree.fromstring(text.encode("utf-8"))
        return [("".join(p.itertext()), etree.tostring(p.find(f"{W}pPr")) if p.find(f"{W}pPr") is not None else None,
                 "".join(etree.tostring(r.find(f"{W}rPr")).decode() for r in p.iter(f"{W}r")
                         if r.find(f"{W}rPr") is not None)) for p in root.iter(f"{W}p")]

    assert canonical(fast) == canonical(_split_paragraphs_tree(xml, "test"))
    assert [t for t, _, _ in canonical(fast)] == ["xa", "b", "", "cd", "e", "f"]
    hyperlink = xml.replace("<w:p><w:r>", "<w:p><w:hyperlink><w:r>").replace("f</w:t></w:r></w:p>",
                                                                          "f</w:t></w:r></w:hyperlink></w:p>")
    assert _split_simple_paragraphs(hyperlink) is None


def _footer_of(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as zf:
        document = zf.read(DOCUMENT_PART).decode("utf-8")
        ref = re.search(r'<w:footerReference w:type="default" r:id="(\w+)"/>', document)
        assert ref, "no footer in the section properties"
        rels = zf.read("word/_rels/document.xml.rels").decode("utf-8")
        target = re.search(rf'Id="{ref.group(1)}" Type="[^"]+/footer" Target="([^"]+)"', rels)
        assert target
        assert f'PartName="/word/{target.group(1)}"' in zf.read("[Content_Types].xml").decode("utf-8")
        return zf.read(f"word/{target.group(1)}").decode("utf-8")


def test_the_court_claim_and_the_other_letters_number_their_pages(late_case, tmp_path):
    for kind, docx in letters(late_case, tmp_path).items():
        footer = _footer_of(docx)
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", footer), kind
        assert 'w:fldCharType="begin"' in footer and 'w:fldCharType="end"' in footer, kind
    for name in LETTER_TEMPLATES:  # the post office's forms (one sheet each) have no page numbers
        assert " PAGE " in _footer_of(bundled_path(name).read_bytes()), name


def test_no_break_spaces_go_into_the_tools_words_only_never_into_the_users(late_case, tmp_path):
    """Issue 15 item 11: «д. 5», «10 дней», «50 %», «№ 7», «R-1» the user typed stay exactly as typed, in every
    letter; the tool's own «ст. 23.1» and «№ заказа» keep their no-break spaces."""
    own = "Учесть, что я ждал у д. 5 кв. № 7 за 10 дней до этого, 50 % заказа, код R-1"
    late_case["problem"]["description"] = "Курьер не приехал к д. 5, ждал 10 дней."
    late_case["demands"].append({"kind": "other", "text": own})
    late_case["demands"][0]["text"] = "Деньги вернуть на карту, д. 5"
    docs = letters(late_case, tmp_path)
    for kind in ("claim", "inaction"):
        texts = paragraph_texts(docs[kind])
        whole = "\n".join(texts)
        assert own + "." in whole, kind  # verbatim: plain spaces, plain hyphen
        assert "Деньги вернуть на карту, д. 5." in whole, kind
        assert "ст.\u00a023.1" in whole or "ст.\u00a028" in whole, kind  # the tool's own words are still bound
    claim = "\n".join(paragraph_texts(docs["claim"]))
    assert "Курьер не приехал к д. 5, ждал 10 дней." in claim


def test_verbatim_text_survives_pickling_and_is_plain_text_elsewhere():
    import pickle

    from complaint_cli.language import Verbatim, bind_legal

    text = Verbatim(("Вернуть по ст. 23 ", False), ("за 10 дней", True))
    again = pickle.loads(pickle.dumps(text))
    assert isinstance(again, Verbatim) and again.segments == text.segments
    assert str(bind_legal(text)) == "Вернуть по ст.\u00a023 за 10 дней"
    assert bind_legal("за 10 дней") == "за 10\u00a0дней"  # a plain str is the tool's: bound
