"""Hostile input: any Unicode in any field gives a valid .docx with the text literally, or a clear error."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaint_cli.claim import claim_context
from complaint_cli.errors import Problem
from complaint_cli.fields import strip_control
from complaint_cli.render import document_text, load_template
from complaint_cli.validation import validate_data
from tests.conftest import TODAY, load_example

BASE = load_example("kuper_not_delivered.yaml")

# Fields whose text the claim prints verbatim (names are declined, so they are checked for "no crash" only).
VERBATIM = [
    ("problem", "description"),
    ("claimant", "address"),
    ("company", "address"),
    ("order", "number"),
    ("order", "payment"),
]

any_text = st.text(st.characters(codec=None, exclude_categories=("Cs",)), min_size=1, max_size=300)


def render_text(data) -> tuple[str | None, list[Problem]]:
    report = validate_data(data, today=TODAY)
    if report.errors:
        return None, report.errors
    docx = load_template("claim.docx").render(claim_context(report.case, on=TODAY))
    _parses(docx)  # the bundled templates skip the check at render time: prove here that they need none
    return document_text(docx), []


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(VERBATIM), value=any_text)
def test_any_unicode_is_printed_literally_or_rejected_clearly(field, value):
    data = copy.deepcopy(BASE)
    data[field[0]][field[1]] = value
    text, errors = render_text(data)
    expected = strip_control(value)[0].strip()
    if text is None:
        assert errors and all(p.message and p.field for p in errors)
        return
    # Typography may bind a space («ОГРН 0» → «ОГРН\u00a00»): the same characters, a space that does not break.
    assert expected.replace("\u00a0", " ") in text.replace("\u00a0", " ")


def _parses(docx: bytes) -> None:
    import io
    import zipfile

    from lxml import etree

    etree.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))


@settings(max_examples=300, deadline=None)
@given(value=any_text, where=st.sampled_from(["claimant.full_name", "company.name", "company.head_position",
                                               "demands.0.text", "evidence.0.description", "seller.name"]))
def test_names_and_free_texts_never_crash_the_renderer(value, where):
    data = copy.deepcopy(BASE)
    section, key = where.split(".", 1)
    if section == "seller":
        data["seller"] = {"name": value, "address": "г. Москва"}
        data["problem"]["kind"] = "expired_goods"
    elif "." in key:
        index, sub = key.split(".")
        data[section][int(index)][sub] = value
    else:
        data[section][key] = value
    text, errors = render_text(data)
    assert text is not None or errors


@pytest.mark.parametrize("value", [
    "{{ 7*7 }}", "{% for x in range(10**9) %}{% endfor %}", "{{ ''.__class__.__mro__ }}", "</w:t></w:r></w:p>",
    "<![CDATA[x]]>", "&amp; &lt; & < > \" '", "😀👨‍👩‍👧 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "\u202eRTL override", "{_{ x }_}", "%}{%",
])
def test_template_syntax_and_xml_in_user_data_come_out_literally(value):
    data = copy.deepcopy(BASE)
    data["problem"]["description"] = f"Начало {value} конец"
    text, errors = render_text(data)
    assert not errors
    assert f"Начало {value} конец" in text


def test_control_characters_are_removed_and_tabs_and_newlines_kept():
    data = copy.deepcopy(BASE)
    data["problem"]["description"] = "строка 1\x00\x01\x1b[31m\nстрока\t2\x7f"
    report = validate_data(data, today=TODAY)
    assert report.case.problem.description == "строка 1[31m\nстрока\t2"
    assert "problem.description: удалены управляющие (невидимые) символы" in report.warnings


def test_ten_thousand_character_description_renders():
    data = copy.deepcopy(BASE)
    data["problem"]["description"] = ("Очень длинное описание. " * 500)[:10_000]
    text, errors = render_text(data)
    assert not errors and data["problem"]["description"].strip() in text


def test_twenty_hostile_documents_open_in_libreoffice(tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) must be installed in CI: .ci/run installs libreoffice-writer-nogui")
        pytest.skip("LibreOffice is not installed")
    samples = ["{{ 7*7 }}", "<b>&amp;</b>", "😀 𝔘", "\u202e", "a" * 5000, "строка\nстрока\tтаб", "%}{%", "\\x00",
               "'\"", "]]>", "&#x0;", "\ufdd0", "ǅ", "ﷺ", "\u200b", "Ω≈ç√", "١٢٣", "中文", "🇷🇺", "z" * 3]
    for i, value in enumerate(samples):
        data = copy.deepcopy(BASE)
        data["problem"]["description"] = value
        report = validate_data(data, today=TODAY)
        docx = load_template("claim.docx").render(claim_context(report.raise_for_errors(), on=TODAY))
        (tmp_path / f"doc{i:02d}.docx").write_bytes(docx)
    profile = tmp_path / "profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir",
         str(tmp_path / "pdf"), *sorted(str(p) for p in tmp_path.glob("*.docx"))],
        check=True, capture_output=True, timeout=300,
    )
    pdfs = sorted((tmp_path / "pdf").glob("*.pdf"))
    assert len(pdfs) == 20
    assert all(p.stat().st_size > 1000 for p in pdfs)
