"""The e-mail draft: an .eml the standard parser reads back, attachments byte for byte with Cyrillic names (RFC 2231)
and the right MIME types, a clear error without the company's address, and a percent-encoded mailto: link."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from email import policy
from email.parser import BytesParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import yaml
from typer.testing import CliRunner

from complaint_cli.cli import app
from complaint_cli.emaildraft import mailto_link, write_email_draft
from complaint_cli.errors import ComplaintError
from complaint_cli.service import render_claim_for_file
from complaint_cli.tracking import record_document
from complaint_cli.validation import build_case
from tests.conftest import write_yaml

runner = CliRunner()
ON = dt.date(2026, 11, 25)
PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40  # a JPEG by its first bytes: evidence is checked by content
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def parse(path: Path):
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def attachments(message) -> dict[str, tuple[str, bytes]]:
    return {part.get_filename(): (part.get_content_type(), part.get_content()) for part in message.iter_attachments()}


@pytest.fixture
def case_path(tmp_path, late_case) -> Path:
    """A case with the company's e-mail and one photo, its claim rendered as .docx and .pdf."""
    folder = tmp_path / "дело"
    folder.mkdir()
    (folder / "фото заказа.jpg").write_bytes(PHOTO)
    late_case["company"]["email"] = "pretenzii@kuper.example"
    late_case["evidence"][0]["file"] = "фото заказа.jpg"
    path = write_yaml(folder / "case.yaml", late_case)
    render_claim_for_file(path, on=ON, fmt="both")
    return path


def test_the_eml_parses_and_every_attachment_round_trips_byte_for_byte(case_path):
    draft = write_email_draft(case_path, on=ON)
    folder = case_path.parent
    assert draft.path == folder / "Письмо_Претензия_заказ_R-84512376.eml"
    message = parse(draft.path)
    assert message["To"].addresses[0].addr_spec == "pretenzii@kuper.example"
    assert message["From"].addresses[0].addr_spec == "o.kuznetsova@example.ru"
    assert message["Subject"] == "Претензия по заказу № R-84512376"
    assert message["X-Unsent"] == "1"
    docx = folder / "Претензия_заказ_R-84512376.docx"
    assert attachments(message) == {
        docx.name: (DOCX_TYPE, docx.read_bytes()),
        docx.with_suffix(".pdf").name: ("application/pdf", docx.with_suffix(".pdf").read_bytes()),
        "фото_заказа.jpg": ("image/jpeg", PHOTO),
    }


def test_cyrillic_attachment_names_are_encoded_per_rfc_2231(case_path):
    raw = write_email_draft(case_path, on=ON).path.read_bytes()
    assert re.search(rb"filename\*(0\*)?=utf-8''%D0%9F%D1%80%D0%B5", raw), "«Пре…» percent-encoded in UTF-8"
    assert raw.isascii(), "every header and part is 7-bit: no raw Cyrillic in the file"


def test_the_body_is_a_short_russian_letter_listing_the_attachments(case_path):
    message = parse(write_email_draft(case_path, on=ON).path)
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("Здравствуйте!\n\nНаправляю претензию по заказу № R-84512376 от 02.11.2026.")
    assert "Прошу подтвердить получение претензии ответным письмом." in text
    assert "Вложения:\n1. Претензия_заказ_R-84512376.docx\n2. Претензия_заказ_R-84512376.pdf\n3. фото_заказа.jpg" in text
    assert text.rstrip().endswith("С уважением,\nКузнецова Ольга Андреевна\nтел.: +7 916 123-45-67")


def test_without_the_company_email_the_error_names_the_field_to_fill(tmp_path, late_case):
    path = write_yaml(tmp_path / "case.yaml", late_case)
    render_claim_for_file(path, on=ON)
    with pytest.raises(ComplaintError) as info:
        write_email_draft(path, on=ON)
    assert "заполните поле company.email в файле дела" in info.value.message
    result = runner.invoke(app, ["email", str(path)])
    assert result.exit_code == 1
    assert "company.email" in result.stderr
    assert not list(tmp_path.glob("*.eml"))


def test_to_option_replaces_the_company_address_and_is_checked(tmp_path, late_case):
    path = write_yaml(tmp_path / "case.yaml", late_case)
    render_claim_for_file(path, on=ON)
    draft = write_email_draft(path, on=ON, to="claims@shop.example")
    assert parse(draft.path)["To"].addresses[0].addr_spec == "claims@shop.example"
    bad = runner.invoke(app, ["email", str(path), "--to", "не адрес"])
    assert bad.exit_code == 2
    assert "--to: неверный адрес электронной почты" in bad.stderr


def test_an_internationalised_domain_is_written_in_punycode(case_path):
    draft = write_email_draft(case_path, on=ON, to="pretenzii@почта.рф")
    assert parse(draft.path)["To"].addresses[0].addr_spec == "pretenzii@xn--80a1acny.xn--p1ai"


def test_a_claim_not_rendered_yet_is_a_clear_error_pointing_at_render(tmp_path, late_case):
    late_case["company"]["email"] = "a@b.ru"
    path = write_yaml(tmp_path / "case.yaml", late_case)
    result = runner.invoke(app, ["email", str(path)])
    assert result.exit_code == 1
    assert "Претензия по этому делу ещё не составлена" in result.stderr
    assert f"complaint render {path}" in result.stderr


def test_the_claim_is_found_through_the_registry_when_it_was_rendered_elsewhere(tmp_path, late_case):
    late_case["company"]["email"] = "a@b.ru"
    path = write_yaml(tmp_path / "case.yaml", late_case)
    out = tmp_path / "out"
    result = render_claim_for_file(path, out_dir=out, on=ON)
    record_document(path, result.case, "claim", result.documents[0].path, on=ON)
    draft = write_email_draft(path, on=ON)
    assert draft.path.parent == out
    assert [a.name for a in draft.attachments] == ["Претензия_заказ_R-84512376.docx"]
    assert any("PDF не приложен" in w for w in draft.warnings)


def test_the_mailto_link_percent_encodes_subject_and_body_with_crlf():
    link = mailto_link("a@b.ru", "Претензия по заказу № 1", "Здравствуйте!\nТекст & ещё?")
    assert link.isascii() and " " not in link
    parts = urlsplit(link)
    assert parts.scheme == "mailto" and unquote(parts.path) == "a@b.ru"
    query = parse_qs(parts.query)
    assert query["subject"] == ["Претензия по заказу № 1"]
    assert query["body"] == ["Здравствуйте!\r\nТекст & ещё?"]


def test_the_command_prints_the_mailto_link_and_says_attachments_cannot_go_in_it(case_path):
    result = runner.invoke(app, ["email", str(case_path)])
    assert result.exit_code == 0, result.output
    assert "вложения через неё передать нельзя" in result.stdout  # the draft is the product: stdout
    assert "mailto:pretenzii@kuper.example?subject=%D0%9F" in result.stdout
    as_json = runner.invoke(app, ["email", str(case_path), "--json", "--force"])  # the second run replaces it
    doc = json.loads(as_json.stdout)
    assert set(doc) == {"path", "document", "to", "subject", "attachments", "mailto", "warnings"}
    assert doc["subject"] == "Претензия по заказу № R-84512376"
    assert [a["type"] for a in doc["attachments"]] == [DOCX_TYPE, "application/pdf", "image/jpeg"]


# Since 30.03.2025 (59-ФЗ as amended by 547-ФЗ) an e-mail to a state body is not a valid appeal: the complaint to
# Rospotrebnadzor is never drafted as an .eml (these replace the tests of the former .eml variant).


def test_the_rospotrebnadzor_complaint_is_refused_by_email_with_exit_1_and_no_file(case_path):
    folder = case_path.parent
    shutil.copy(folder / "Претензия_заказ_R-84512376.docx", folder / "Жалоба_Роспотребнадзор_заказ_R-84512376.docx")
    before = sorted(p.name for p in folder.iterdir())
    for extra in ([], ["--to", "77@example.ru"]):
        result = runner.invoke(app, ["email", str(case_path), "--document", "rospotrebnadzor", *extra])
        assert result.exit_code == 1, result.output
        err = " ".join(result.stderr.split())
        assert "Жалобу в Роспотребнадзор нельзя отправить по электронной почте: с 30.03.2025" in err
        assert "59-ФЗ в редакции Федерального закона от 28.12.2024 № 547-ФЗ" in err
        assert "через Госуслуги, через сайт Управления Роспотребнадзора (77.rospotrebnadzor.ru)" in err
        assert "заказным письмом" in err
        assert f"complaint guide {case_path} --document rospotrebnadzor" in err
        assert result.stdout == ""
    assert sorted(p.name for p in folder.iterdir()) == before
    assert not list(folder.rglob("*.eml"))


def test_the_refusal_with_json_is_one_json_document_with_the_error(case_path):
    result = runner.invoke(app, ["email", str(case_path), "--document", "rospotrebnadzor", "--json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)  # the whole of stdout: exactly one JSON document
    assert set(doc) == {"error"}
    assert "547-ФЗ" in doc["error"] and "Госуслуги" in doc["error"]
    assert "complaint guide" in doc["error"] and "--document rospotrebnadzor" in doc["error"]
    assert not list(case_path.parent.rglob("*.eml"))


def test_the_library_refuses_before_looking_for_the_complaint_or_reading_a_broken_case(tmp_path, case_path):
    from complaint_cli.emaildraft import NotByEmail

    with pytest.raises(NotByEmail) as info:  # the complaint was never drafted: still the refusal, not «not drafted»
        write_email_draft(case_path, on=ON, document="rospotrebnadzor")
    assert info.value.exit_code == 1 and isinstance(info.value, ComplaintError)
    missing = tmp_path / "нет такого дела.yaml"
    with pytest.raises(NotByEmail) as info:
        write_email_draft(missing, on=ON, document="rospotrebnadzor")
    assert "через сайт Управления Роспотребнадзора или заказным письмом" in info.value.message  # no site: no region
    assert not list(tmp_path.rglob("*.eml"))


def test_an_unknown_document_is_a_usage_error(case_path):
    result = runner.invoke(app, ["email", str(case_path), "--document", "court"])
    assert result.exit_code == 2
    assert "--document: неизвестный документ «court»" in result.stderr


def test_a_registry_id_works_in_place_of_the_path(case_path):
    case, _, _ = build_case(yaml.safe_load(case_path.read_text(encoding="utf-8")))
    case_id = record_document(case_path, case, "claim", case_path.parent / "Претензия_заказ_R-84512376.docx", on=ON)
    result = runner.invoke(app, ["email", str(case_id), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["to"] == "pretenzii@kuper.example"
