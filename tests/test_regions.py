"""Federal subjects, their Rospotrebnadzor offices, the subject of a postal address (law.md §5)."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_cli.errors import ComplaintError
from complaint_cli.law.regions import (
    Region,
    all_regions,
    central_office,
    find_region,
    normalize,
    region_from_address,
)

FEDERAL_SERVICE = (
    "Федеральная служба по надзору в сфере защиты прав потребителей и благополучия человека"
)
OFFICE_PREFIX = (
    "Управление Федеральной службы по надзору в сфере защиты прав потребителей и "
    "благополучия человека по "
)
CRIMEA_OFFICE = (
    "Межрегиональное управление Федеральной службы по надзору в сфере защиты прав потребителей и "
    "благополучия человека по Республике Крым и городу Севастополю"
)
CRIMEA_OFFICE_SHORT = (
    "Межрегиональное управление Роспотребнадзора по Республике Крым и городу Севастополю"
)
SHARED_OFFICE_CODES = {"82", "92"}
HOSTS_SEEN_IN_LAW_MD = {"77", "04", "24", "46"}


def region(code: str) -> Region:
    return next(r for r in all_regions() if r.code == code)


# ---------------------------------------------------------------- the table


def test_there_are_89_subjects_as_in_the_constitution() -> None:
    names = [r.name for r in all_regions()]
    federal_cities = [n for n in names if n.startswith("город ")]
    autonomous_okrugs = [n for n in names if "автономный округ" in n]
    autonomous_oblasts = [n for n in names if "автономная область" in n]
    oblasts = [n for n in names if "область" in n and n not in autonomous_oblasts]
    krais = [n for n in names if n.endswith(" край")]
    republics = [n for n in names if "Республик" in n]
    assert len(names) == 89
    assert (len(republics), len(krais), len(oblasts)) == (24, 9, 48)
    assert (len(federal_cities), len(autonomous_oblasts), len(autonomous_okrugs)) == (3, 1, 4)


def test_new_subjects_are_listed_with_a_note_to_check_their_offices() -> None:
    new_subjects = (
        "Донецкая Народная Республика",
        "Луганская Народная Республика",
        "Запорожская область",
        "Херсонская область",
    )
    for name in new_subjects:
        entry = find_region(name)
        assert entry.name == name
        assert entry.note and "checked" in entry.note


def test_codes_are_unique_and_two_digit() -> None:
    codes = [r.code for r in all_regions()]
    assert len(set(codes)) == len(codes)
    assert all(len(c) == 2 and c.isdigit() for c in codes)


def test_every_entry_has_all_required_fields() -> None:
    for r in all_regions():
        for field in ("code", "name", "dative", "office", "office_short", "site"):
            value = getattr(r, field)
            assert isinstance(value, str) and value.strip() == value and value, (r.code, field)
        assert isinstance(r.site_confirmed, bool)
        assert r.aliases and all(a.strip() for a in r.aliases), r.code
        assert r.cities, r.code


def test_dative_differs_from_the_name_and_keeps_its_capital_letter() -> None:
    for r in all_regions():
        assert r.dative != r.name, r.code
        if r.is_federal_city:
            assert r.dative.startswith("городу "), r.code
        else:
            assert r.dative[0].isupper(), r.code


@pytest.mark.parametrize(
    ("code", "name", "dative"),
    [
        ("77", "город Москва", "городу Москве"),
        ("78", "город Санкт-Петербург", "городу Санкт-Петербургу"),
        ("16", "Республика Татарстан (Татарстан)", "Республике Татарстан (Татарстан)"),
        (
            "86",
            "Ханты-Мансийский автономный округ – Югра",
            "Ханты-Мансийскому автономному округу – Югре",
        ),
        ("42", "Кемеровская область – Кузбасс", "Кемеровской области – Кузбассу"),
        ("21", "Чувашская Республика – Чувашия", "Чувашской Республике – Чувашии"),
        ("15", "Республика Северная Осетия – Алания", "Республике Северная Осетия – Алания"),
        ("07", "Кабардино-Балкарская Республика", "Кабардино-Балкарской Республике"),
        ("18", "Удмуртская Республика", "Удмуртской Республике"),
        ("79", "Еврейская автономная область", "Еврейской автономной области"),
        ("50", "Московская область", "Московской области"),
        ("92", "город Севастополь", "городу Севастополю"),
    ],
)
def test_official_name_and_dative(code: str, name: str, dative: str) -> None:
    assert (region(code).name, region(code).dative) == (name, dative)


def test_office_names_follow_the_pattern_with_the_dative() -> None:
    for r in all_regions():
        if r.code in SHARED_OFFICE_CODES:
            continue
        assert r.office == OFFICE_PREFIX + r.dative, r.code
        if not r.is_federal_city:
            assert r.office_short == "Управление Роспотребнадзора по " + r.dative, r.code


def test_moscow_office_short_name_is_the_confirmed_one() -> None:
    moscow = region("77")
    assert moscow.office == OFFICE_PREFIX + "городу Москве"
    assert moscow.office_short == "Управление Роспотребнадзора по г. Москве"
    assert region("78").office_short == "Управление Роспотребнадзора по г. Санкт-Петербургу"


def test_crimea_and_sevastopol_share_one_interregional_office() -> None:
    crimea, sevastopol = find_region("Крым"), find_region("Севастополь")
    assert crimea != sevastopol
    assert crimea.office == sevastopol.office == CRIMEA_OFFICE
    assert crimea.office_short == sevastopol.office_short == CRIMEA_OFFICE_SHORT
    assert crimea.site == sevastopol.site


def test_site_is_confirmed_only_for_the_hosts_law_md_saw() -> None:
    assert {r.code for r in all_regions() if r.site_confirmed} == HOSTS_SEEN_IN_LAW_MD
    for r in all_regions():
        if r.code not in SHARED_OFFICE_CODES:
            assert r.site == f"{r.code}.rospotrebnadzor.ru"


def test_addresses_only_where_law_md_gives_them_and_unconfirmed() -> None:
    with_address = {r.code: r for r in all_regions() if r.address}
    assert set(with_address) == {"77", "78", "50"}
    assert not any(r.address_confirmed for r in all_regions())
    assert with_address["77"].address.startswith("129626,")
    assert "Стремянная, д. 19" in with_address["78"].address
    assert "г. Мытищи, ул. Семашко, д. 2" in with_address["50"].address


def test_central_office_has_the_address_from_law_md_and_is_a_copy() -> None:
    office = central_office()
    assert office["name"] == FEDERAL_SERVICE
    assert office["address"] == "Вадковский пер., д. 18, стр. 5 и 7, г. Москва"
    office["address"] = "changed"
    assert central_office()["address"] != "changed"


def test_regions_are_cached_and_immutable() -> None:
    assert all_regions() is all_regions()
    with pytest.raises(dataclasses.FrozenInstanceError):
        region("77").name = "Москва"  # type: ignore[misc]


# ---------------------------------------------------------------- find_region


@pytest.mark.parametrize(
    ("form", "expected"),
    [(form, r) for r in all_regions() for form in (r.name, r.dative, *r.aliases)],
    ids=lambda value: value if isinstance(value, str) else value.code,
)
def test_every_name_dative_and_alias_resolves_to_its_subject(form: str, expected: Region) -> None:
    assert find_region(form) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Москва", "77"), ("г. Москва", "77"), ("мск", "77"), ("ГОРОД МОСКВА", "77"),
        ("г.Москва", "77"),
        ("по городу Москве", "77"), ("Москва г", "77"),
        ("Санкт-Петербург", "78"), ("СПб", "78"), ("Питер", "78"), ("санкт петербург", "78"),
        ("Московская обл.", "50"), ("МО", "50"), ("Подмосковье", "50"),
        ("по Московской области", "50"),
        ("Татарстан", "16"), ("Респ. Татарстан", "16"), ("Татарстан Респ", "16"),
        ("Башкирия", "02"), ("Якутия", "14"), ("Саха /Якутия/ Респ", "14"),
        ("Югра", "86"), ("ХМАО", "86"), ("ХМАО—Югра", "86"), ("Ханты-Мансийский АО", "86"),
        ("ЯНАО", "89"), ("Ямало-Ненецкий автономный округ", "89"), ("Ненецкий АО", "83"),
        ("Кузбасс", "42"), ("Кемеровская обл. - Кузбасс", "42"), ("Чувашия", "21"),
        ("Крым", "82"), ("Севастополь", "92"), ("город федерального значения Севастополь", "92"),
        ("ДНР", "80"), ("ЛНР", "81"),
        ("Алтай", "04"), ("Алтайский край", "22"), ("алтайский кр", "22"),
        ("Еврейская АО", "79"), ("Кабардино-Балкарская Респ.", "07"),
    ],
)
def test_find_region_ignores_case_punctuation_and_generic_words(text: str, code: str) -> None:
    assert find_region(text).code == code


@pytest.mark.parametrize(
    ("text", "code"), [("77", "77"), ("16", "16"), ("7", "07"), (" 50 ", "50"), ("92", "92")]
)
def test_find_region_by_code(text: str, code: str) -> None:
    assert find_region(text).code == code


def test_normalisation_treats_yo_as_ye_and_dashes_as_spaces() -> None:
    assert normalize("Орёл") == normalize("орел")
    long_form = normalize("Ханты–Мансийский автономный округ — Югра")
    assert long_form == normalize("ханты-мансийский ао югра")


def test_unknown_region_names_the_input_and_the_closest_subjects() -> None:
    with pytest.raises(ComplaintError) as err:
        find_region("Масква")
    assert str(err.value).startswith(
        "Регион «Масква» не найден. Возможно, вы имели в виду: город Москва"
    )
    assert err.value.hint


def test_misspelt_region_suggests_several_close_subjects() -> None:
    with pytest.raises(ComplaintError) as err:
        find_region("Красноярск")
    assert "Красноярский край" in str(err.value)


def test_a_city_typed_as_a_region_suggests_its_subject() -> None:
    with pytest.raises(ComplaintError, match="Возможно, вы имели в виду: Тюменская область"):
        find_region("Тюмень")


def test_gibberish_region_has_no_suggestions() -> None:
    with pytest.raises(ComplaintError) as err:
        find_region("qwerty")
    assert str(err.value) == "Регион «qwerty» не найден."


@pytest.mark.parametrize("text", ["", "   ", "область"])
def test_empty_or_generic_region_is_an_error(text: str) -> None:
    with pytest.raises(ComplaintError):
        find_region(text)


def test_unknown_code_is_an_error() -> None:
    with pytest.raises(ComplaintError, match="Регион с кодом «99» не найден"):
        find_region("99")


@given(st.text(max_size=40))
def test_find_region_returns_a_subject_or_a_user_error(text: str) -> None:
    try:
        assert isinstance(find_region(text), Region)
    except ComplaintError as err:
        assert str(err).startswith("Регион")


# ---------------------------------------------------------------- region_from_address


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("115035, г. Москва, ул. Садовническая, д. 9А", "77"),
        ("420111, Республика Татарстан, г. Казань, ул. Баумана, д. 1", "16"),
        ("г. Казань, ул. Баумана, д. 1", "16"),
        ("Московская обл., г. Химки, ул. Ленина, д. 1", "50"),
        ("Московская обл г Химки ул Ленина 1", "50"),
        ("МО, г. Химки", "50"),
        ("141070, г. Королёв, пр. Космонавтов, 1", "50"),
        ("141070, г. Королев, пр. Космонавтов, 1", "50"),
        ("Россия, 190000, СПб, Невский пр., д. 1", "78"),
        ("г. Санкт-Петербург, Московский пр., д. 1", "78"),
        ("620000, Свердловская обл, г Екатеринбург, ул. Ленина, 1", "66"),
        ("Ханты-Мансийский Автономный округ - Югра АО, г Сургут", "86"),
        ("Ямало-Ненецкий АО, г. Салехард", "89"),
        ("г. Ростов-на-Дону, ул. Садовая, 1", "61"),
        ("Нижний Новгород, ул. Б. Покровская, 1", "52"),
        ("Кемеровская область - Кузбасс, г. Новокузнецк", "42"),
        ("Республика Саха (Якутия), г. Якутск", "14"),
        ("Калужская обл., г. Киров, ул. Ленина, 1", "40"),
        ("Кировская область, г. Киров", "43"),
        ("295000, г. Симферополь, ул. Пушкина, 1", "82"),
        ("г. Севастополь, ул. Ленина, 1", "92"),
    ],
)
def test_address_gives_its_subject(address: str, code: str) -> None:
    found = region_from_address(address)
    assert found is not None and found.code == code


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("г. Москва, Тверская ул., д. 1", "77"),
        ("г. Москва, ул. Курская, д. 1", "77"),
        ("Москва, м. Курская", "77"),
        ("г. Москва, Смоленская-Сенная пл., д. 27", "77"),
        ("г. Санкт-Петербург, Московская ул., д. 2", "78"),
    ],
)
def test_streets_and_stations_named_after_regions_do_not_count(address: str, code: str) -> None:
    found = region_from_address(address)
    assert found is not None and found.code == code


def test_every_city_in_the_table_gives_its_subject() -> None:
    ambiguous = {"Киров", "Благовещенск", "Донецк"}
    for r in all_regions():
        for city in r.cities:
            found = region_from_address(f"г. {city}, ул. Ленина, д. 1")
            assert (found is None) if city in ambiguous else (found == r), (r.code, city)


@pytest.mark.parametrize(
    "address",
    [
        "",
        "ул. Ленина, д. 16",
        "420111",
        "115035, ул. Садовническая, д. 9А",
        "г. Москва, г. Казань",
        "Московская обл., г. Москва",
        "Республика Крым, г. Севастополь",
        "г. Киров, ул. Ленина, д. 1",
        "г. Благовещенск, ул. Ленина, д. 1",
        "Донецк, ул. Артёма, д. 1",
        "Пермский р-н, с. Фролы",
        "г. Ростов, ул. Ленина",
    ],
)
def test_unknown_or_ambiguous_address_gives_none(address: str) -> None:
    assert region_from_address(address) is None


@given(st.text(max_size=80))
def test_region_from_address_never_fails(address: str) -> None:
    found = region_from_address(address)
    assert found is None or isinstance(found, Region)
