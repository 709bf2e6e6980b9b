"""The post-office kit (`complaint post`): the inventory on form ф. 107, the address label and the steps — for the letter
the legal analysis addresses, with the letter's own «Приложения», sheet counts, declared values and postcodes."""

from __future__ import annotations

import copy
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from complaint_cli.cli import app
from complaint_cli.postkit import (
    count_letter_pages,
    estimate_pages,
    parse_postcode,
    post_kit,
    strip_postcode,
)
from complaint_cli.validation import validate_data
from tests.conftest import EXAMPLES, TODAY, load_example, write_yaml

runner = CliRunner()


def case_of(data: dict):
    return validate_data(data, today=TODAY).raise_for_errors()


def prepare(tmp_path: Path, name: str, data: dict | None = None, *, escalate: str | None = None) -> Path:
    """A case file in tmp_path (with the examples' photos), its claim rendered (and escalation documents drafted)."""
    data = copy.deepcopy(data or load_example(name))
    if (EXAMPLES / "photos").is_dir():
        (tmp_path / "photos").mkdir(exist_ok=True)
        for photo in (EXAMPLES / "photos").iterdir():
            (tmp_path / "photos" / photo.name).write_bytes(photo.read_bytes())
    path = write_yaml(tmp_path / "case.yaml", data)
    done = runner.invoke(app, ["render", str(path), "--out", str(tmp_path)])
    assert done.exit_code == 0, done.output
    if escalate:
        done = runner.invoke(app, ["escalate", str(path), "--out", str(tmp_path), "--only", escalate, "--force",
                                   "--moral-damages", "3000"])
        assert done.exit_code == 0, done.output
    return path


def kit_for(path: Path, document: str = "claim", **kw):
    from complaint_cli.casefile import read_case_data

    case = case_of(read_case_data(path))
    return post_kit(case, document=document, on=TODAY, case_dir=path.parent, soffice=kw.pop("soffice", False), **kw)


def tables_text(data: bytes) -> list[list[list[str]]]:
    """Every table of a rendered .docx as rows of cell texts (what a reader of the printed form sees)."""
    from docx import Document

    return [[[c.text for c in row.cells] for row in t.rows] for t in Document(io.BytesIO(data)).tables]


# --------------------------------------------------------------------------- postcodes

@pytest.mark.parametrize("address, postcode, street", [
    ("115035, г. Москва, ул. Садовническая, д. 9А", "115035", "г. Москва, ул. Садовническая, д. 9А"),
    ("г. Казань, ул. Баумана, д. 15, кв. 7, 420111", "420111", "г. Казань, ул. Баумана, д. 15, кв. 7"),
    ("индекс 420111, г. Казань, ул. Баумана, д. 15", "420111", "г. Казань, ул. Баумана, д. 15"),
    ("Почтовый индекс: 190000, г. Санкт-Петербург", "190000", "г. Санкт-Петербург"),
    ("г. Москва, ул. Тверская, д. 1", None, "г. Москва, ул. Тверская, д. 1"),
    ("11503, г. Москва", None, "11503, г. Москва"),  # five digits: not a postcode
    ("1150350, г. Москва", None, "1150350, г. Москва"),  # seven digits
    ("г. Москва, д. 123456", None, "г. Москва, д. 123456"),  # six digits inside a part: a house number
    ("115035 г. Москва, ул. Садовническая, д. 9А", "115035", "г. Москва, ул. Садовническая, д. 9А"),  # no comma
    ("", None, ""),
])
def test_postcode_is_a_six_digit_part_of_the_address(address, postcode, street):
    assert parse_postcode(address) == postcode
    assert strip_postcode(address) == street


# --------------------------------------------------------------------------- what the inventory lists

def test_claim_inventory_lists_the_letter_and_its_attachments_with_sheets_and_values(tmp_path, missing_case):
    path = prepare(tmp_path, "kuper_missing_items.yaml", missing_case)
    kit = kit_for(path)
    [letter] = kit.mailings
    assert letter.role == "addressee" and letter.to.name == "ООО «Инстамарт Сервис»" and letter.to.postcode == "115035"
    rows = [(i.name, i.sheets, i.value) for i in letter.items]
    assert rows[0][0] == "Претензия по заказу № 12345/2026" and rows[0][1] >= 1
    assert rows[1:] == [
        ("Электронный кассовый чек по заказу № 12345/2026", None, Decimal("1")),  # a paper receipt: unknown
        ("Фотографии содержимого пакетов (файл paket.png)", 1, Decimal("1")),  # a printed photo: one sheet
        ("Скриншот переписки с поддержкой (обращение № 88112)", None, Decimal("1")),
    ]
    assert letter.quantity_total == 4 and letter.value_total == Decimal("4")
    assert kit.sender.postcode == "420111"
    assert any("впишите его до печати" in w and "Электронный кассовый чек" in w for w in kit.warnings)

    inventory, label = kit.files()
    assert inventory[0] == "Опись_вложения_Ф107_заказ_12345_2026.docx"
    assert label[0] == "Адресный_ярлык_заказ_12345_2026.docx"
    forms = [t for t in tables_text(inventory[1]) if t[0][0] == "№ п/п"]
    assert len(forms) == 2  # two identical copies
    assert forms[0] == forms[1]
    header, *items, total = forms[0]
    assert header == ["№ п/п", "Наименование предметов", "Количество предметов", "Объявленная ценность, руб."]
    assert [r[0] for r in items] == ["1", "2", "3", "4"]
    assert items[2][1] == "Фотографии содержимого пакетов (файл paket.png), на\u00a01\u00a0л."
    assert items[1][1].endswith("на\u00a0____\u00a0л.")
    assert total[1:] == ["Итого", "4", "4"]


def test_declared_value_of_the_case_goes_to_the_letter_and_the_copies_get_a_dash(tmp_path, missing_case):
    missing_case["submission"]["declared_value"] = "100"
    path = prepare(tmp_path, "kuper_missing_items.yaml", missing_case)
    kit = kit_for(path)
    [letter] = kit.mailings
    assert [i.value for i in letter.items] == [Decimal("100"), None, None, None]
    assert letter.value_total == Decimal("100")
    [form, _] = [t for t in tables_text(kit.files()[0][1]) if t[0][0] == "№ п/п"]
    assert [r[3] for r in form[1:]] == ["100", "—", "—", "—", "100"]
    assert any("«Ценное письмо с объявленной ценностью 100 руб., с описью вложения" in s for s in kit.steps)


@pytest.mark.parametrize("name, roles", [
    # expired goods through an aggregator: to the seller on the receipt, a copy to the aggregator
    ("kuper_expired_goods.yaml", [("addressee", "ООО «Ромашка-Ритейл»", "Претензия"),
                                  ("copy", "ООО «Инстамарт Сервис»", "Копия претензии")]),
    # late delivery and melted ice cream: the aggregator and the seller, a letter each
    ("kuper_two_problems.yaml", [("addressee", "ООО «Инстамарт Сервис»", "Претензия"),
                                 ("second_addressee", "ООО «Продукты у дома»", "Претензия")]),
    ("kuper_late_delivery.yaml", [("addressee", "ООО «Инстамарт Сервис»", "Претензия")]),
])
def test_the_letters_go_where_the_legal_analysis_addresses_the_claim(tmp_path, name, roles):
    kit = kit_for(prepare(tmp_path, name))
    assert [(m.role, m.to.name, m.items[0].name.split(" по заказу")[0]) for m in kit.mailings] == roles


def test_court_kit_copies_for_each_defendant_then_the_claim_for_the_court(tmp_path):
    data = load_example("kuper_two_problems.yaml")
    data["court"] = {"name": "Мировой судья судебного участка № 5 Вахитовского судебного района г. Казани"}
    path = prepare(tmp_path, "kuper_two_problems.yaml", data, escalate="court")
    kit = kit_for(path, "court")
    # the analysis sues both: the aggregator for the delivery, the seller for the goods (law/analysis.py _parties)
    assert [(m.role, m.to.name) for m in kit.mailings] == [
        ("defendant", "ООО «Инстамарт Сервис»"), ("defendant", "ООО «Продукты у дома»"),
        ("court", "Мировому судье судебного участка № 5 Вахитовского судебного района г. Казани")]
    defendant, court = kit.mailings[0], kit.mailings[-1]
    names = [i.name for i in defendant.items]
    assert names[0].startswith("Копия искового заявления") and any(n.startswith("Копия претензии") for n in names)
    # the defendants get neither the proof of sending to themselves nor the calculation (it is the claim's last sheet)
    assert not any(n.startswith(("Документ, подтверждающий направление", "Расчёт взыскиваемых")) for n in names)
    court_names = [i.name for i in court.items]
    assert court_names[0].startswith("Исковое заявление") and court_names[1].startswith("Документ, подтверждающий")
    assert court.to.postcode is None and any("Адреса суда в деле нет" in w for w in kit.warnings)
    assert not any("court.name" in w for w in kit.warnings)
    assert defendant.items[0].sheets == court.items[0].sheets  # one document, counted once
    assert kit.steps[0].startswith("Сначала отправьте ответчикам") and "п. 6 ст. 132 ГПК РФ" in kit.steps[0]


def test_court_kit_without_the_court_in_the_case_says_to_write_it_in(tmp_path):
    kit = kit_for(prepare(tmp_path, "kuper_late_delivery.yaml", escalate="court"), "court")
    assert kit.mailings[-1].to.name == "Мировому судье судебного участка № ____"
    assert any("court.name" in w for w in kit.warnings)


def test_rospotrebnadzor_letter_goes_to_the_regional_office(tmp_path):
    path = prepare(tmp_path, "kuper_late_delivery.yaml", escalate="rospotrebnadzor")
    kit = kit_for(path, "rospotrebnadzor")
    [office] = kit.mailings
    assert office.role == "office" and "по городу Москве" in office.to.name and office.to.postcode
    assert office.items[1].name.startswith("Копия претензии") and office.items[1].sheets is not None
    assert any("не подтверждён" in w for w in kit.warnings)
    assert not any("complaint sent" in s for s in kit.steps)  # `sent` records the first claim only


@pytest.mark.parametrize("field, value, named", [
    ("claimant", "г. Казань, ул. Баумана, д. 15, кв. 7", "claimant.address"),
    ("company", "г. Москва, ул. Садовническая, д. 9А", "company.address"),
])
def test_missing_postcode_is_a_warning_naming_the_field(tmp_path, missing_case, field, value, named):
    missing_case[field]["address"] = value
    kit = kit_for(prepare(tmp_path, "kuper_missing_items.yaml", missing_case))
    [warning] = [w for w in kit.warnings if "почтовый индекс" in w]
    assert named in warning and value in warning
    label = kit.files()[1][1]
    from complaint_cli.render import document_text

    assert "______" in "\n".join(c for t in tables_text(label) for r in t for c in r) + document_text(label)


# --------------------------------------------------------------------------- sheets

def test_sheets_are_counted_from_the_pdf_else_libreoffice_else_estimated(tmp_path, missing_case):
    path = prepare(tmp_path, "kuper_missing_items.yaml", missing_case)
    docx = next(tmp_path.glob("Претензия_*.docx"))
    pages, estimated = count_letter_pages([docx], soffice=True)  # LibreOffice counts the real pages
    assert not estimated and pages >= 1
    guess, estimated = count_letter_pages([docx], soffice=False)
    assert estimated and abs(guess - pages) <= 1 and guess == estimate_pages(docx.read_bytes())
    kit = kit_for(path, soffice=False)
    assert kit.mailings[0].items[0].estimated
    assert any("оценено по длине текста" in w for w in kit.warnings)


# --------------------------------------------------------------------------- the command

def test_post_command_json_exit_codes_overwrite_rule_and_forget(tmp_path, missing_case, monkeypatch):
    path = prepare(tmp_path, "kuper_missing_items.yaml", missing_case)
    done = runner.invoke(app, ["post", str(path), "--json"])
    assert done.exit_code == 0, done.output
    doc = json.loads(done.stdout)
    assert set(doc) == {"document", "sender", "mailings", "steps", "warnings", "files"}
    assert doc["document"] == "claim"
    assert set(doc["mailings"][0]) == {"role", "to", "items", "quantity_total", "value_total"}
    assert doc["mailings"][0]["value_total"] == "4.00"
    assert [f["kind"] for f in doc["files"]] == ["post_inventory", "post_label"]
    files = [Path(f["path"]) for f in doc["files"]]
    assert all(p.is_file() for p in files)
    claim_step = next(s for s in doc["steps"] if "complaint sent" in s)
    assert f"complaint sent {path} --on ДД.ММ.ГГГГ --channel почта --reference ШПИ" in claim_step

    before = [p.read_bytes() for p in files]
    again = runner.invoke(app, ["post", str(path)])
    assert again.exit_code == 1 and "Файл уже существует" in again.output and "--force" in again.output
    assert [p.read_bytes() for p in files] == before
    assert runner.invoke(app, ["post", str(path), "--force", "--document", "претензия"]).exit_code == 0

    forgotten = runner.invoke(app, ["forget", str(path), "--yes"])
    assert forgotten.exit_code == 0, forgotten.output
    assert not any(p.exists() for p in files)


@pytest.mark.parametrize("args, code, message", [
    (["--document", "отзыв"], 2, "неизвестный документ"),
    (["--document", "повторная"], 1, "ещё не составлен"),
])
def test_post_command_refuses_unknown_or_missing_documents(tmp_path, missing_case, args, code, message):
    path = prepare(tmp_path, "kuper_missing_items.yaml", missing_case)
    done = runner.invoke(app, ["post", str(path), *args])
    assert done.exit_code == code
    assert message in done.output
    assert not list(tmp_path.glob("Опись_*"))


def test_the_kits_of_one_case_never_overwrite_each_other_and_the_appendix_has_its_sheets(tmp_path):
    data = load_example("kuper_late_delivery.yaml")
    data["submission"] = {"channel": "post", "sent_on": "2026-11-03", "received_on": "2026-11-05"}
    path = prepare(tmp_path, "kuper_late_delivery.yaml", data, escalate="inaction")
    names = {}
    for document in ("претензия", "повторная"):
        done = runner.invoke(app, ["post", str(path), "--document", document, "--json"])
        assert done.exit_code == 0, done.output
        names[document] = [Path(f["path"]).name for f in json.loads(done.stdout)["files"]]
    assert names["претензия"] == ["Опись_вложения_Ф107_заказ_R-84512376.docx", "Адресный_ярлык_заказ_R-84512376.docx"]
    assert names["повторная"] == ["Опись_вложения_Ф107_Повторная_претензия_заказ_R-84512376.docx",
                                  "Адресный_ярлык_Повторная_претензия_заказ_R-84512376.docx"]
    # the appendix «Расчёт неустойки» is the tool's own document: its sheets are counted like the letter's
    kit = kit_for(path, "inaction")  # no LibreOffice here: estimated from the text, and said so
    appendix = next(i for i in kit.mailings[0].items if i.name.startswith("Расчёт неустойки"))
    assert appendix.sheets is not None and appendix.estimated


@pytest.mark.parametrize("address", ["г. Москва, ул. Тверская, д. 123456", "125047 г. Москва, ул. Тверская, д. 1",
                                     "г. Москва, ул. Тверская, д. 1, 125047"])
def test_validation_and_the_kit_agree_on_whether_an_address_has_a_postcode(address):
    from complaint_cli.validation import POSTCODE_MISSING

    data = load_example("kuper_late_delivery.yaml")
    data["submission"] = {"channel": "post"}
    data["claimant"]["address"] = address
    warned = f"claimant.address: {POSTCODE_MISSING}" in validate_data(data, today=TODAY).warnings
    assert warned == (parse_postcode(address) is None)
