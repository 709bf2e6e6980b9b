"""Company presets: Kuper bundled with its source and a «verify» note; the user's own presets in the config folder."""

from __future__ import annotations

from importlib.resources import files

import pytest
import yaml

from complaint_cli.errors import ComplaintError
from complaint_cli.paths import config_dir
from complaint_cli.presets import (
    all_presets,
    bundled_presets,
    find_preset,
    match_preset,
    parse_presets,
    user_presets,
    user_presets_path,
)
from complaint_cli.validation import validate_data


def write_user_presets(text: str):
    path = user_presets_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_kuper_is_bundled_with_the_details_from_its_2022_service_rules():
    kuper = find_preset("kuper")
    assert kuper.company == {
        "name": "ООО «Инстамарт Сервис»",
        "brand": "Купер",
        "address": "115035, г. Москва, ул. Садовническая, д. 9А, эт. 5, пом. I, ком. 1",
        "ogrn": "1187746494980",
        "phone": "+7 800 222-11-00",
    }
    assert kuper.aggregator is True
    assert "19.12.2022" in kuper.source


def test_kuper_tells_the_user_to_check_the_receipt_or_egrul_before_sending():
    kuper = find_preset("kuper")
    assert "чеком" in kuper.verify and "ЕГРЮЛ" in kuper.verify


def test_the_unconfirmed_kuper_inn_is_kept_out_of_the_preset_but_noted_in_the_data_file():
    assert "inn" not in find_preset("kuper").company
    raw = yaml.safe_load(files("complaint_cli.data").joinpath("companies.yaml").read_text(encoding="utf-8"))
    assert raw["source"] and raw["updated"]
    assert "9705118142" in raw["companies"]["kuper"]["unconfirmed"]


def test_a_preset_makes_a_valid_company_section():
    report = validate_data({"company": find_preset("kuper").company_data()})
    assert not [p for p in report.errors if p.field.startswith("company")]
    assert report.case.company.phone == "+78002221100"


def test_company_data_is_a_copy_the_case_may_change():
    data = find_preset("kuper").company_data()
    data["name"] = "ООО «Другое»"
    assert find_preset("kuper").company["name"] == "ООО «Инстамарт Сервис»"


def test_user_presets_live_in_the_config_folder_and_come_after_the_bundled_ones():
    assert user_presets_path() == config_dir() / "companies.yaml"
    write_user_presets(
        "companies:\n"
        "  romashka:\n"
        "    title: «Ромашка» — ООО «Ромашка»\n"
        "    company:\n"
        "      name: ООО «Ромашка»\n"
        "      address: 101000, г. Москва, ул. Мясницкая, д. 1\n"
        "      email: claims@romashka.example\n"
    )
    keys = [p.key for p in all_presets()]
    assert keys == ["kuper", "romashka"]
    romashka = find_preset("romashka")
    assert romashka.user is True and romashka.aggregator is False
    assert romashka.company["email"] == "claims@romashka.example"


def test_a_user_preset_with_a_bundled_key_corrects_the_bundled_one():
    write_user_presets(
        "companies:\n"
        "  kuper:\n"
        "    title: Купер (мой адрес из ЕГРЮЛ)\n"
        "    company:\n"
        "      name: ООО «Инстамарт Сервис»\n"
        "      address: 115035, г. Москва, новый адрес\n"
    )
    presets = all_presets()
    assert [p.key for p in presets] == ["kuper"]
    assert presets[0].company["address"] == "115035, г. Москва, новый адрес"
    assert bundled_presets()[0].company["address"].startswith("115035, г. Москва, ул. Садовническая")


def test_no_user_file_means_only_the_bundled_presets():
    assert user_presets() == ()
    assert [p.key for p in all_presets()] == ["kuper"]


def test_a_user_preset_goes_through_the_case_validation(tmp_path):
    path = write_user_presets(
        "companies:\n  bad:\n    company:\n      name: ООО «Плохо»\n      address: где-то\n"
        "      ogrn: '1187746494981'\n"
    )
    with pytest.raises(ComplaintError) as err:
        all_presets()
    assert str(path) in err.value.message
    assert "компания «bad»" in err.value.message
    assert "company.ogrn: ОГРН «1187746494981» не проходит проверку контрольной суммы" in err.value.message


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ({"companies": {"x": {"company": {"name": "ООО «X»"}}}}, "company.address: обязательное поле не заполнено"),
        ({"companies": {"x": {"company": {"name": "ООО «X»", "address": "a", "color": "red"}}}}, "company.color"),
        ({"companies": {"плохой ключ": {"company": {"name": "ООО «X»", "address": "a"}}}}, "латинские буквы"),
        ({"companies": {"x": "ООО «X»"}}, "нужен раздел company:"),
        ({"компании": {}}, "нужен раздел companies:"),
    ],
)
def test_broken_presets_are_refused_with_a_russian_message(document, expected):
    with pytest.raises(ComplaintError, match=expected):
        parse_presets(document, origin="файл")


def test_a_user_file_that_is_not_yaml_is_refused_naming_the_file():
    path = write_user_presets("companies: [\n")
    with pytest.raises(ComplaintError, match="не читается как YAML") as err:
        user_presets()
    assert str(path) in err.value.message


def test_a_case_carrying_a_presets_name_and_address_is_recognised():
    kuper = find_preset("kuper")
    presets = all_presets()
    same = {"name": "ООО «Инстамарт Сервис»", "address": kuper.company["address"].upper(), "email": "x@y.ru"}
    assert match_preset(same, presets) == kuper
    assert match_preset({"name": "ООО «Инстамарт Сервис»", "address": "другой адрес"}, presets) is None
    assert match_preset(None, presets) is None
