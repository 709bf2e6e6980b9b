"""Names, positions, legal forms and dates in the cases a complaint needs (law.md §7.2)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from importlib.resources import files

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from complaint_cli.language import (
    NB_HYPHEN,
    bind_hyphens,
    bind_legal,
    bind_typography,
    capitalize_first,
    decline_name,
    detect_gender,
    format_date,
    format_date_long,
    initials,
    legal_form_dative,
    legal_form_genitive,
    normalize_gender,
    position_dative,
    numbered,
    split_full_name,
    tidy_parentheses,
    with_aside,
)
from complaint_cli.money import NBSP, normalize_spaces

# --- full names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nominative", "genitive", "dative"),
    [
        ("Иванов Иван Иванович", "Иванова Ивана Ивановича", "Иванову Ивану Ивановичу"),
        ("Петрова Анна Сергеевна", "Петровой Анны Сергеевны", "Петровой Анне Сергеевне"),
        ("Черных Ольга Викторовна", "Черных Ольги Викторовны", "Черных Ольге Викторовне"),
        ("Гросс Мария Ивановна", "Гросс Марии Ивановны", "Гросс Марии Ивановне"),
        ("Гросс Павел Петрович", "Гросса Павла Петровича", "Гроссу Павлу Петровичу"),
        ("Шевченко Никита Ильич", "Шевченко Никиты Ильича", "Шевченко Никите Ильичу"),
        ("Сидоров Илья Петрович", "Сидорова Ильи Петровича", "Сидорову Илье Петровичу"),
        ("Толстой Лев Николаевич", "Толстого Льва Николаевича", "Толстому Льву Николаевичу"),
        ("Королёв Пётр Семёнович", "Королёва Петра Семёновича", "Королёву Петру Семёновичу"),
        ("Орлов Петр Ильич", "Орлова Петра Ильича", "Орлову Петру Ильичу"),
        ("Белых Анна Ильинична", "Белых Анны Ильиничны", "Белых Анне Ильиничне"),
        ("Бородина Любовь Петровна", "Бородиной Любови Петровны", "Бородиной Любови Петровне"),
        (
            "Римский-Корсаков Николай Андреевич",
            "Римского-Корсакова Николая Андреевича",
            "Римскому-Корсакову Николаю Андреевичу",
        ),
        (
            "Петрова-Водкина Анна Сергеевна",
            "Петровой-Водкиной Анны Сергеевны",
            "Петровой-Водкиной Анне Сергеевне",
        ),
        ("Мамедов Ахмед Гейдар оглы", "Мамедова Ахмеда Гейдар оглы", "Мамедову Ахмеду Гейдар оглы"),
        ("Алиева Лейла Гейдар кызы", "Алиевой Лейлы Гейдар кызы", "Алиевой Лейле Гейдар кызы"),
    ],
)
def test_full_names_decline_for_from_and_to(nominative: str, genitive: str, dative: str) -> None:
    assert decline_name(nominative, "genitive") == genitive
    assert decline_name(nominative, "dative") == dative


def test_surname_lev_keeps_its_vowel_unlike_the_first_name_lev() -> None:
    # pytrovich keeps the vowel in a surname that is also a noun (Лев → Лева), which official
    # style prefers so the nominative can be recovered; the first name loses it (Льва).
    assert decline_name("Лев Лев Ильич", "genitive") == "Лева Льва Ильича"
    assert decline_name("Лев Лев Ильич", "dative") == "Леву Льву Ильичу"


def test_two_part_name_with_explicit_gender() -> None:
    assert decline_name("Кузнецова Ирина", "genitive", gender="female") == "Кузнецовой Ирины"
    assert decline_name("Кузнецов Игорь", "dative", gender="male") == "Кузнецову Игорю"


def test_two_part_name_gender_is_detected_from_first_name_and_surname() -> None:
    assert decline_name("Кузнецова Саша", "genitive") == "Кузнецовой Саши"
    assert decline_name("Смит Джон", "dative") == "Смиту Джону"


def test_explicit_gender_wins_and_decides_whether_a_consonant_surname_declines() -> None:
    assert decline_name("Крюк Саша", "genitive", gender="male") == "Крюка Саши"
    assert decline_name("Крюк Саша", "genitive", gender="female") == "Крюк Саши"
    assert decline_name("Крюк Саша", "dative", gender="ж") == "Крюк Саше"


@pytest.mark.parametrize("name", ["Ли Вэй", "Черных Саша", "Нгуен Ань"])
def test_name_with_unknown_gender_stays_in_the_nominative(name: str) -> None:
    assert decline_name(name, "genitive") == name
    assert decline_name(name, "dative") == name


def test_name_in_latin_letters_is_never_given_russian_endings() -> None:
    assert decline_name("Smith John", "dative", gender="male") == "Smith John"


def test_capitalisation_style_is_preserved() -> None:
    assert decline_name("ИВАНОВ ИВАН ИВАНОВИЧ", "dative") == "ИВАНОВУ ИВАНУ ИВАНОВИЧУ"
    assert decline_name("ПЕТРОВА АННА СЕРГЕЕВНА", "genitive") == "ПЕТРОВОЙ АННЫ СЕРГЕЕВНЫ"
    assert decline_name("иванов иван иванович", "genitive") == "иванова ивана ивановича"


def test_extra_spaces_are_tolerated_and_tidied() -> None:
    assert decline_name("  Иванов   Иван\tИванович ", "genitive") == "Иванова Ивана Ивановича"
    assert decline_name("Римский - Корсаков Николай Андреевич", "dative") == (
        "Римскому-Корсакову Николаю Андреевичу"
    )


def test_initials_stay_while_a_surname_of_clear_gender_declines() -> None:
    assert decline_name("Иванов И. И.", "dative") == "Иванову И. И."
    assert decline_name("Иванова И.И.", "genitive") == "Ивановой И. И."
    assert decline_name("Черных И. И.", "dative") == "Черных И. И."


def test_decline_name_rejects_an_unknown_case() -> None:
    with pytest.raises(ValueError):
        decline_name("Иванов Иван Иванович", "accusative")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Иванов Иван Иванович", ("Иванов", "Иван", "Иванович")),
        ("  Иванов  Иван  ", ("Иванов", "Иван", None)),
        ("Иванов И.И.", ("Иванов", "И.", "И.")),
        ("Римский-Корсаков Николай Андреевич", ("Римский-Корсаков", "Николай", "Андреевич")),
        ("Мамедов Ахмед Гейдар оглы", ("Мамедов", "Ахмед", "Гейдар оглы")),
        ("Ёлкин Семён", ("Ёлкин", "Семён", None)),
    ],
)
def test_split_full_name(text: str, parts: tuple[str, str, str | None]) -> None:
    assert split_full_name(text) == parts


@pytest.mark.parametrize("text", ["", "   ", "Иванов", "Иванов Иван Иванович Младший Старший"])
def test_split_full_name_rejects_what_is_not_a_full_name(text: str) -> None:
    with pytest.raises(ValueError, match="ФИО"):
        split_full_name(text)


@pytest.mark.parametrize(
    ("name", "explicit", "gender"),
    [
        ("Иванов Иван Иванович", None, "male"),
        ("Петрова Анна Сергеевна", None, "female"),
        ("Черных Ольга Ильинична", None, "female"),
        ("Черных Саша Кузьминична", None, "female"),
        ("Черных Саша Ильич", None, "male"),
        ("Мамедов Ахмед Гейдар оглы", None, "male"),
        ("Алиева Лейла Гейдар кызы", None, "female"),
        ("Кузнецова Ирина", None, "female"),
        ("Смит Джон", None, "male"),
        ("Ли Вэй", None, None),
        ("Иванов Иван Иванович", "female", "female"),
        ("Ли Вэй", "М", "male"),
        ("Ли Вэй", "женский", "female"),
        ("Ли Вэй", "", None),
    ],
)
def test_detect_gender(name: str, explicit: str | None, gender: str | None) -> None:
    assert detect_gender(name, explicit) == gender


def test_unknown_explicit_gender_is_an_error_in_russian() -> None:
    with pytest.raises(ValueError, match="Пол указан"):
        normalize_gender("other")
    with pytest.raises(ValueError, match="Пол указан"):
        decline_name("Иванов Иван", "dative", gender="x")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Кузнецов Иван Андреевич", "И. А. Кузнецов"),
        ("Кузнецов Иван", "И. Кузнецов"),
        ("Петрова-Водкина Анна-Мария Сергеевна", "А.-М. С. Петрова-Водкина"),
        ("Ёлкин Ёсиф", "Ё. Ёлкин"),
        ("Иванов И.И.", "И. И. Иванов"),
        ("иванов иван иванович", "И. И. иванов"),
    ],
)
def test_initials_then_surname_in_the_nominative(name: str, expected: str) -> None:
    assert normalize_spaces(initials(name)) == expected


def test_initials_do_not_break_across_lines() -> None:
    assert initials("Кузнецов Иван Андреевич") == f"И.{NBSP}А.{NBSP}Кузнецов"


def test_pytrovich_is_imported_only_when_a_name_is_declined() -> None:
    code = (
        "import sys, complaint_cli.language as l; "
        "l.position_dative('Директор'); l.initials('Иванов Иван'); "
        "print('pytrovich' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- positions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("position", "dative"),
    [
        ("Генеральный директор", "Генеральному директору"),
        ("Директор", "Директору"),
        ("Руководитель", "Руководителю"),
        ("Индивидуальный предприниматель", "Индивидуальному предпринимателю"),
        ("Управляющий", "Управляющему"),
        ("Председатель правления", "Председателю правления"),
        ("Директор по качеству", "Директору по качеству"),
        ("Генеральный директор ООО «Ромашка»", "Генеральному директору ООО «Ромашка»"),
        ("Генеральный директор ООО \"Ромашка\"", "Генеральному директору ООО \"Ромашка\""),
        (
            "Руководитель Управления Роспотребнадзора по г. Москве",
            "Руководителю Управления Роспотребнадзора по г. Москве",
        ),
        ("Мировой судья судебного участка № 5", "Мировому судье судебного участка № 5"),
        (
            "Первый заместитель генерального директора",
            "Первому заместителю генерального директора",
        ),
        (
            "Исполняющий обязанности генерального директора",
            "Исполняющему обязанности генерального директора",
        ),
        (
            "Временно исполняющий обязанности директора",
            "Временно исполняющему обязанности директора",
        ),
        ("Заведующий отделением", "Заведующему отделением"),
        ("Заведующая аптекой", "Заведующей аптекой"),
        ("Управляющий директор", "Управляющему директору"),
        ("Конкурсный управляющий", "Конкурсному управляющему"),
        ("Главный врач", "Главному врачу"),
        ("Главная медсестра", "Главной медсестре"),
        ("Технический директор", "Техническому директору"),
        ("Ведущий специалист", "Ведущему специалисту"),
        ("Старший продавец-кассир", "Старшему продавцу-кассиру"),
        ("Вице-президент", "Вице-президенту"),
        ("Коммерческий директор", "Коммерческому директору"),
        ("Региональный координатор", "Региональному координатору"),  # by the -ор rule
        ("ГЕНЕРАЛЬНЫЙ ДИРЕКТОР", "ГЕНЕРАЛЬНОМУ ДИРЕКТОРУ"),
        ("генеральный директор", "генеральному директору"),
    ],
)
def test_position_head_declines_and_the_tail_stays(position: str, dative: str) -> None:
    assert position_dative(position) == dative


@pytest.mark.parametrize(
    "position",
    [
        "Генеральному директору",  # already dative
        "И.о. генерального директора",  # abbreviations never decline
        "Шеф-повар",  # unknown noun: not guessed
        "Генеральный ООО",
        "CEO",
        "",
        "«Ромашка»",
    ],
)
def test_position_that_cannot_be_handled_confidently_is_returned_unchanged(position: str) -> None:
    assert position_dative(position) == position


# --- legal forms ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nominative", "genitive", "dative"),
    [
        (
            "Общество с ограниченной ответственностью «Ромашка»",
            "Общества с ограниченной ответственностью «Ромашка»",
            "Обществу с ограниченной ответственностью «Ромашка»",
        ),
        (
            "Акционерное общество «Тинькофф Банк»",
            "Акционерного общества «Тинькофф Банк»",
            "Акционерному обществу «Тинькофф Банк»",
        ),
        (
            "Публичное акционерное общество «Сбербанк России»",
            "Публичного акционерного общества «Сбербанк России»",
            "Публичному акционерному обществу «Сбербанк России»",
        ),
        (
            "Индивидуальный предприниматель Иванов Иван Иванович",
            "Индивидуального предпринимателя Иванова Ивана Ивановича",
            "Индивидуальному предпринимателю Иванову Ивану Ивановичу",
        ),
        (
            "Индивидуальный предприниматель Петрова Анна Сергеевна",
            "Индивидуального предпринимателя Петровой Анны Сергеевны",
            "Индивидуальному предпринимателю Петровой Анне Сергеевне",
        ),
        (
            "ИП Иванов Иван Иванович",
            "ИП Иванова Ивана Ивановича",
            "ИП Иванову Ивану Ивановичу",
        ),
        (
            "общество с ограниченной ответственностью \"Купер\"",
            "общества с ограниченной ответственностью \"Купер\"",
            "обществу с ограниченной ответственностью \"Купер\"",
        ),
        (
            "ОБЩЕСТВО С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ «КУПЕР»",
            "ОБЩЕСТВА С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ «КУПЕР»",
            "ОБЩЕСТВУ С ОГРАНИЧЕННОЙ ОТВЕТСТВЕННОСТЬЮ «КУПЕР»",
        ),
        (
            "Автономная некоммерческая организация «Центр»",
            "Автономной некоммерческой организации «Центр»",
            "Автономной некоммерческой организации «Центр»",
        ),
    ],
)
def test_spelled_out_legal_form_declines_and_the_quoted_name_does_not(
    nominative: str, genitive: str, dative: str
) -> None:
    assert legal_form_genitive(nominative) == genitive
    assert legal_form_dative(nominative) == dative


@pytest.mark.parametrize(
    "name",
    [
        "ООО «Ромашка»",
        "ПАО «Сбербанк»",
        "АО «Акционерное общество»",
        "ИП Иванов И.И.",
        "ИП Ли Вэй",  # gender unknown: the whole phrase stays
        "Индивидуальный предприниматель Иванов И. И.",
        "«Купер»",
        "Kuper LLC",
        "",
    ],
)
def test_abbreviations_and_unrecognised_names_never_change(name: str) -> None:
    assert legal_form_dative(name) == name
    assert legal_form_genitive(name) == name


_quoted_names = st.text(
    alphabet=st.characters(blacklist_characters="«»\"\r\n", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=20,
)


@given(_quoted_names)
def test_anything_in_quotes_is_kept_verbatim(name: str) -> None:
    assert legal_form_dative(f"Общество с ограниченной ответственностью «{name}»") == (
        f"Обществу с ограниченной ответственностью «{name}»"
    )
    assert position_dative(f"Генеральный директор ООО «{name}»") == (
        f"Генеральному директору ООО «{name}»"
    )


@given(st.text(max_size=40))
def test_language_helpers_fail_only_with_value_error(text: str) -> None:
    assert isinstance(position_dative(text), str)
    assert isinstance(legal_form_dative(text), str)
    assert isinstance(legal_form_genitive(text), str)
    try:
        decline_name(text, "genitive")
        initials(text)
    except ValueError:
        pass


def test_data_file_names_its_source_and_date() -> None:
    data = yaml.safe_load(files("complaint_cli.data").joinpath("positions.yaml").read_text("utf-8"))
    assert data["source"] and data["date"]
    assert all(value for value in data["nouns"].values())


# --- dates and small helpers ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "short", "long"),
    [
        (date(2026, 11, 25), "25.11.2026", "25 ноября 2026 г."),
        (date(2026, 1, 5), "05.01.2026", "5 января 2026 г."),
        (date(2025, 3, 1), "01.03.2025", "1 марта 2025 г."),
        (date(2027, 5, 9), "09.05.2027", "9 мая 2027 г."),
        (date(2026, 8, 31), "31.08.2026", "31 августа 2026 г."),
        (date(2026, 12, 31), "31.12.2026", "31 декабря 2026 г."),
    ],
)
def test_dates(day: date, short: str, long: str) -> None:
    assert format_date(day) == short
    assert normalize_spaces(format_date_long(day)) == long
    assert " " not in format_date_long(day)  # no line break inside a date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("генеральному директору", "Генеральному директору"),
        ("«ромашка» просит", "«Ромашка» просит"),
        ("Уже с большой", "Уже с большой"),
        ("ёлка", "Ёлка"),
        ("", ""),
        ("123", "123"),
    ],
)
def test_capitalize_first(text: str, expected: str) -> None:
    assert capitalize_first(text) == expected


# --- typography (issue 14: no-break spaces and hyphens, no doubled parentheses) -------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("заказ № R-84512376", f"заказ №{NBSP}R-84512376"),
        ("115035, г. Москва, ул. Садовническая, д. 9А, эт. 5, пом. I, ком. 1",
         f"115035, г.{NBSP}Москва, ул.{NBSP}Садовническая, д.{NBSP}9А, эт.{NBSP}5, пом.{NBSP}I, ком.{NBSP}1"),
        ("420111, г. Казань, кв. 7, корп. 2, стр. 1, просп. Мира", f"420111, г.{NBSP}Казань, кв.{NBSP}7, корп.{NBSP}2, "
                                                                   f"стр.{NBSP}1, просп.{NBSP}Мира"),
        ("ИНН 7705935687, ОГРН 1187746494980, ШПИ 19102584123456",
         f"ИНН{NBSP}7705935687, ОГРН{NBSP}1187746494980, ШПИ{NBSP}19102584123456"),
    ],
)
def test_no_break_spaces_after_the_number_sign_and_inside_short_address_parts(text: str, expected: str) -> None:
    assert bind_typography(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Невский пр., д. 100",  # «пр.» before a comma binds nothing (but «д. 100» does)
        "и т. д. и т. п. в том же духе",  # a lower-case word after «д.»: not an address
        "обнаружено 02.11.2026 г. Заказ не привезли",  # «г.» after a year is not a city
    ],
)
def test_abbreviations_that_are_not_addresses_keep_their_spaces(text: str) -> None:
    result = bind_typography(text)
    assert "г.\u00a0Заказ" not in result and "д.\u00a0и" not in result and "пр.\u00a0," not in result
    assert normalize_spaces(result) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("R-84512376", "R~84512376"),
        ("SM-2026-000777.", "SM~2026~000777."),
        ("№ 2300-1 и № 59-ФЗ", "№ 2300~1 и № 59~ФЗ"),
        ("ул. Тверская-Ямская 1-я", "ул. Тверская-Ямская 1~я"),  # a word pair without digits may break
        ("интернет-магазин", "интернет-магазин"),
        ("ivan-1980@mail.ru, www.site-1.ru, фото-1.jpg", "ivan-1980@mail.ru, www.site-1.ru, фото-1.jpg"),
    ],
)
def test_hyphens_inside_codes_with_digits_do_not_break(text: str, expected: str) -> None:
    assert bind_hyphens(text, "~") == expected
    assert bind_hyphens(text) == expected.replace("~", NB_HYPHEN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(0,5 % суммы предварительной оплаты товара (4 571,00 руб.) за каждый день просрочки)",
         "(0,5 % суммы предварительной оплаты товара, 4 571,00 руб., за каждый день просрочки)"),
        ("заказ ((оплачен картой))", "заказ (оплачен картой)"),
        ("(оплачен картой (Visa))", "(оплачен картой, Visa)"),
        ("(сведения: (см. приложение))", "(сведения: см. приложение)"),
        ("сумма (прописью) (ст. 15)", "сумма (прописью) (ст. 15)"),  # neighbours, not nested
        ("(a (b", "(a (b"),  # unmatched: left alone
        ("(итого: 50 % × (100,00 руб. + 20,00 руб.))", "(итого: 50 % × (100,00 руб. + 20,00 руб.))"),  # a formula
    ],
)
def test_nested_parentheses_are_flattened(text: str, expected: str) -> None:
    assert tidy_parentheses(text) == expected


def test_bind_legal_flattens_nested_parentheses_of_a_generated_sentence() -> None:
    text = bind_legal("Неустойка (0,5 % суммы (100,00 руб.) за день) начисляется.")
    assert normalize_spaces(text) == "Неустойка (0,5 % суммы, 100,00 руб., за день) начисляется."


@pytest.mark.parametrize(
    ("text", "aside", "expected"),
    [
        ("Скриншот заказа", "файл zakaz.png", "Скриншот заказа (файл zakaz.png)"),
        ("Скриншот переписки (обращение № 88112)", "файл chat.png",
         "Скриншот переписки (обращение № 88112) — файл chat.png"),
        ("на сумму 10 руб. (десять рублей)", "(оплачен картой ****1234)",
         "на сумму 10 руб. (десять рублей) — (оплачен картой ****1234)"),
        ("на сумму 10 руб.", "(оплачен картой)", "на сумму 10 руб. (оплачен картой)"),
        ("является ООО «А»", "г. Москва (вход со двора)", "является ООО «А» — г. Москва (вход со двора)"),
        ("Скриншот", "", "Скриншот"),
    ],
)
def test_an_aside_never_doubles_parentheses(text: str, aside: str, expected: str) -> None:
    assert with_aside(text, aside) == expected


@pytest.mark.parametrize(
    ("label", "reference", "expected"),
    [
        ("обращение", "88112", "обращение № 88112"),
        ("обращение", "№ 88112", "обращение № 88112"),
        ("обращение", "N5512", "обращение № 5512"),
        ("обращение", "Претензия по заказу № H12345678", "обращение: Претензия по заказу № H12345678"),
        ("", "#5512", "№ 5512"),
    ],
)
def test_a_reference_gets_one_number_sign(label: str, reference: str, expected: str) -> None:
    assert numbered(label, reference) == expected
