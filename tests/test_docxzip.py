"""The fast .docx writer: the package it writes is a ZIP that zipfile, python-docx and LibreOffice read as before."""

from __future__ import annotations

import io
import zipfile

import pytest

from complaint_cli.docxzip import Package
from complaint_cli.render import BUNDLED, DOCUMENT_PART, bundled_path, document_text, load_template


def _parts(path):
    with zipfile.ZipFile(path) as zf:
        return [(info, zf.read(info)) for info in zf.infolist()]


@pytest.mark.parametrize("name", BUNDLED)
def test_every_part_comes_back_in_order_and_the_zip_checks(name):
    parts = _parts(bundled_path(name))
    document = "<w:document>Привет, «мир» — \u00a0№ 1</w:document>".encode()
    data = Package(parts, DOCUMENT_PART).build(document)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None  # every CRC matches
        assert zf.namelist() == [info.filename for info, _ in parts]
        for info, original in parts:
            expected = document if info.filename == DOCUMENT_PART else original
            assert zf.read(info.filename) == expected
            assert zf.getinfo(info.filename).date_time == info.date_time
        assert zf.getinfo(DOCUMENT_PART).compress_type == zipfile.ZIP_DEFLATED


def test_a_rendered_letter_opens_in_python_docx(late_case):
    from complaint_cli.claim import claim_context
    from complaint_cli.validation import validate_data
    from tests.conftest import TODAY

    case = validate_data(late_case, today=TODAY).raise_for_errors()
    data = load_template("claim.docx").render(claim_context(case, on=TODAY))
    assert case.claimant.full_name.split()[0] in document_text(data)


def test_a_package_needs_exactly_one_variable_part():
    info = zipfile.ZipInfo("word/styles.xml")
    with pytest.raises(ValueError):
        Package([(info, b"<styles/>")], DOCUMENT_PART)
    with pytest.raises(ValueError):
        Package([(zipfile.ZipInfo(DOCUMENT_PART), b""), (zipfile.ZipInfo(DOCUMENT_PART), b"")], DOCUMENT_PART)


def test_non_ascii_part_names_are_flagged_utf8():
    parts = [(zipfile.ZipInfo("media/фото.png"), b"\x89PNG"), (zipfile.ZipInfo(DOCUMENT_PART), b"")]
    data = Package(parts, DOCUMENT_PART).build(b"<x/>")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.read("media/фото.png") == b"\x89PNG"


def test_a_template_with_the_document_part_twice_is_refused_in_russian(tmp_path):
    import warnings

    from complaint_cli.errors import TemplateError
    from complaint_cli.render import CompiledTemplate

    path = tmp_path / "claim.docx"
    with warnings.catch_warnings(), zipfile.ZipFile(path, "w") as zf:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        for info, data in _parts(bundled_path("claim.docx")):
            zf.writestr(info, data)
        zf.writestr(DOCUMENT_PART, b"<w:document/>")
    with pytest.raises(TemplateError, match="записана в нём дважды"):
        CompiledTemplate(path, label="claim.docx")
