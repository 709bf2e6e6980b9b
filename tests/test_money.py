"""Amounts in figures and words (law.md §7.1), parsing of typed amounts, counted nouns."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_cli.money import (
    MAX_RUBLES,
    NBSP,
    days_phrase,
    format_amount,
    format_short,
    normalize_spaces,
    number_words,
    parse_amount,
    plural,
    rubles_words,
    working_days_phrase,
)

# --- the canonical form -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("0.01", "0 руб. 01 коп. (ноль рублей 01 копейка)"),
        ("1", "1 руб. 00 коп. (один рубль 00 копеек)"),
        ("2", "2 руб. 00 коп. (два рубля 00 копеек)"),
        ("5", "5 руб. 00 коп. (пять рублей 00 копеек)"),
        ("11", "11 руб. 00 коп. (одиннадцать рублей 00 копеек)"),
        ("12", "12 руб. 00 коп. (двенадцать рублей 00 копеек)"),
        ("13", "13 руб. 00 коп. (тринадцать рублей 00 копеек)"),
        ("14", "14 руб. 00 коп. (четырнадцать рублей 00 копеек)"),
        ("21", "21 руб. 00 коп. (двадцать один рубль 00 копеек)"),
        ("22", "22 руб. 00 коп. (двадцать два рубля 00 копеек)"),
        ("25", "25 руб. 00 коп. (двадцать пять рублей 00 копеек)"),
        ("101", "101 руб. 00 коп. (сто один рубль 00 копеек)"),
        ("111", "111 руб. 00 коп. (сто одиннадцать рублей 00 копеек)"),
        ("1000", "1 000 руб. 00 коп. (одна тысяча рублей 00 копеек)"),
        ("2000", "2 000 руб. 00 коп. (две тысячи рублей 00 копеек)"),
        ("5000", "5 000 руб. 00 коп. (пять тысяч рублей 00 копеек)"),
        ("11000", "11 000 руб. 00 коп. (одиннадцать тысяч рублей 00 копеек)"),
        ("21000", "21 000 руб. 00 коп. (двадцать одна тысяча рублей 00 копеек)"),
        ("1000000", "1 000 000 руб. 00 коп. (один миллион рублей 00 копеек)"),
        ("2000000", "2 000 000 руб. 00 коп. (два миллиона рублей 00 копеек)"),
        ("5000000", "5 000 000 руб. 00 коп. (пять миллионов рублей 00 копеек)"),
        ("1250.50", "1 250 руб. 50 коп. (одна тысяча двести пятьдесят рублей 50 копеек)"),
        ("21.01", "21 руб. 01 коп. (двадцать один рубль 01 копейка)"),
        ("22002.00", "22 002 руб. 00 коп. (двадцать две тысячи два рубля 00 копеек)"),
        ("3.02", "3 руб. 02 коп. (три рубля 02 копейки)"),
        ("4.11", "4 руб. 11 коп. (четыре рубля 11 копеек)"),
        ("1001001", "1 001 001 руб. 00 коп. (один миллион одна тысяча один рубль 00 копеек)"),
        (
            "999999999.99",
            "999 999 999 руб. 99 коп. (девятьсот девяносто девять миллионов девятьсот девяносто "
            "девять тысяч девятьсот девяносто девять рублей 99 копеек)",
        ),
    ],
)
def test_format_amount_follows_the_legal_convention(amount: str, expected: str) -> None:
    assert normalize_spaces(format_amount(Decimal(amount))) == expected


def test_figures_are_glued_with_no_break_spaces_so_word_never_wraps_a_sum() -> None:
    text = format_amount(Decimal("1250.50"))
    assert text.startswith(f"1{NBSP}250{NBSP}руб. 50{NBSP}коп. (")
    assert NBSP not in text[text.index("(") :]  # the words wrap normally


def test_format_amount_rounds_computed_kopecks_half_up() -> None:
    assert normalize_spaces(format_amount(Decimal("2.675"))).startswith("2 руб. 68 коп.")
    assert normalize_spaces(format_amount(Decimal("0.005"))).startswith("0 руб. 01 коп.")


def test_format_amount_accepts_typed_text_through_the_same_parser() -> None:
    assert normalize_spaces(format_amount("21,01")).startswith("21 руб. 01 коп.")


@pytest.mark.parametrize("bad", [Decimal("-1"), Decimal("1000000000000"), Decimal("NaN")])
def test_format_amount_refuses_what_cannot_be_written_in_words(bad: Decimal) -> None:
    with pytest.raises(ValueError):
        format_amount(bad)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("1250.50", "1 250,50"),
        ("250.1", "250,10"),
        ("0", "0,00"),
        ("1000000", "1 000 000,00"),
        ("-1250.5", "-1 250,50"),
        ("999.999", "1 000,00"),
    ],
)
def test_format_short_is_figures_for_formulas(amount: str, expected: str) -> None:
    assert normalize_spaces(format_short(Decimal(amount))) == expected


def test_format_short_uses_no_break_space_between_thousands() -> None:
    assert format_short(Decimal("1250.5")) == f"1{NBSP}250,50"


# --- number words -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "ноль"),
        (1, "один"),
        (10, "десять"),
        (40, "сорок"),
        (90, "девяносто"),
        (100, "сто"),
        (200, "двести"),
        (1000, "одна тысяча"),
        (1002, "одна тысяча два"),
        (2000, "две тысячи"),
        (4000, "четыре тысячи"),
        (12000, "двенадцать тысяч"),
        (22000, "двадцать две тысячи"),
        (1_000_000_000, "один миллиард"),
        (2_000_000_000, "два миллиарда"),
        (MAX_RUBLES, "девятьсот девяносто девять миллиардов девятьсот девяносто девять миллионов "
         "девятьсот девяносто девять тысяч девятьсот девяносто девять"),
    ],
)
def test_rubles_words(n: int, words: str) -> None:
    assert rubles_words(n) == words


def test_feminine_number_words_for_feminine_nouns() -> None:
    assert number_words(21, feminine=True) == "двадцать одна"
    assert number_words(2, feminine=True) == "две"


@pytest.mark.parametrize("n", [-1, MAX_RUBLES + 1])
def test_rubles_words_fails_outside_its_range(n: int) -> None:
    with pytest.raises(ValueError):
        rubles_words(n)


def test_rubles_words_wants_an_integer() -> None:
    with pytest.raises(TypeError):
        rubles_words(1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        rubles_words(True)


_VALUES = {
    "ноль": 0, "один": 1, "одна": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5,
    "шесть": 6, "семь": 7, "восемь": 8, "девять": 9, "десять": 10, "одиннадцать": 11,
    "двенадцать": 12, "тринадцать": 13, "четырнадцать": 14, "пятнадцать": 15,
    "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19,
    "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "шестьдесят": 60,
    "семьдесят": 70, "восемьдесят": 80, "девяносто": 90, "сто": 100, "двести": 200,
    "триста": 300, "четыреста": 400, "пятьсот": 500, "шестьсот": 600, "семьсот": 700,
    "восемьсот": 800, "девятьсот": 900,
}  # fmt: skip
_SCALE_FORMS = {
    1000: ("тысяча", "тысячи", "тысяч"),
    1_000_000: ("миллион", "миллиона", "миллионов"),
    1_000_000_000: ("миллиард", "миллиарда", "миллиардов"),
}


def _read_words(text: str) -> int:
    """Independent oracle: read Russian number words back, checking gender and plural agreement."""
    total = group = 0
    previous = ""
    for word in text.split(" "):
        scale = next((s for s, forms in _SCALE_FORMS.items() if word in forms), None)
        if scale is None:
            group += _VALUES[word]
        else:
            assert group, f"bare scale word in {text!r}"
            assert word == plural(group, *_SCALE_FORMS[scale]), text
            if scale == 1000:
                assert previous not in ("один", "два"), text
            else:
                assert previous not in ("одна", "две"), text
            total += group * scale
            group = 0
        previous = word
    return total + group


@given(st.integers(min_value=0, max_value=MAX_RUBLES))
def test_number_words_read_back_to_the_same_number_with_correct_agreement(n: int) -> None:
    words = rubles_words(n)
    assert "  " not in words and words == words.strip()
    assert _read_words(words) == n


# --- plural forms -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "form"),
    [(0, "many"), (1, "one"), (2, "few"), (4, "few"), (5, "many"), (11, "many"), (12, "many"),
     (14, "many"), (21, "one"), (22, "few"), (25, "many"), (101, "one"), (111, "many"),
     (112, "many"), (1001, "one"), (-1, "one"), (-3, "few")],
)  # fmt: skip
def test_plural_depends_on_the_last_two_digits(n: int, form: str) -> None:
    assert plural(n, "one", "few", "many") == form


@pytest.mark.parametrize(
    ("n", "calendar", "working"),
    [
        (1, "1 день", "1 рабочий день"),
        (3, "3 дня", "3 рабочих дня"),
        (10, "10 дней", "10 рабочих дней"),
        (11, "11 дней", "11 рабочих дней"),
        (21, "21 день", "21 рабочий день"),
        (45, "45 дней", "45 рабочих дней"),
    ],
)
def test_day_phrases(n: int, calendar: str, working: str) -> None:
    assert normalize_spaces(days_phrase(n)) == calendar
    assert normalize_spaces(working_days_phrase(n)) == working
    assert days_phrase(n) == f"{n}{NBSP}{calendar.split(' ', 1)[1]}"


# --- parsing typed amounts --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1250.50", "1250.50"),
        ("1250,50", "1250.50"),
        ("1 250,50", "1250.50"),
        ("1\u00a0250,50", "1250.50"),
        ("1\u202f250,50", "1250.50"),
        ("1\u2009250,5", "1250.50"),
        ("1 250 000", "1250000.00"),
        ("1250", "1250.00"),
        ("  1250  ", "1250.00"),
        ("1250 руб.", "1250.00"),
        ("1 250,50 руб", "1250.50"),
        ("1250р.", "1250.00"),
        ("1250 ₽", "1250.00"),
        ("1250 РУБ.", "1250.00"),
        ("1250,500", "1250.50"),
        ("0,250", "0.25"),
        ("0.5", "0.50"),
        ("-5", "-5.00"),
        ("\u22123,5", "-3.50"),
        ("+7", "7.00"),
        ("-0", "0.00"),
        (1250, "1250.00"),
        (1250.5, "1250.50"),
        (0.1, "0.10"),
        (Decimal("21.01"), "21.01"),
        (Decimal("1E+3"), "1000.00"),
    ],
)
def test_parse_amount_accepts_the_usual_ways_of_writing_a_sum(raw: object, expected: str) -> None:
    result = parse_amount(raw)  # type: ignore[arg-type]
    assert result == Decimal(expected)
    assert result.as_tuple().exponent == -2
    assert str(result) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "abc",
        "12 abc",
        "1,250.50",  # thousands and decimal marks of two conventions: ambiguous
        "1.250,50",
        "1.250.000",
        "1,250,000",
        "1,250",  # a thousands mark or a decimal comma? refused, not guessed
        "1.500",
        "12 50",
        "1 2 3",
        "1250,505",
        "0,001",
        "12,",
        ",5",
        "1e3",
        "nan",
        "inf",
        "--5",
        "- 5",
        "\u0661\u0662",  # Arabic-Indic digits
        "\u00b2",
        0.1 + 0.2,  # a binary artefact is not invented into kopecks
        1e-5,
        math.nan,
        math.inf,
        Decimal("NaN"),
        Decimal("-Infinity"),
        Decimal("0.125"),
        True,
        None,
        10**40,
    ],
)
def test_parse_amount_rejects_garbage_with_a_russian_message(raw: object) -> None:
    with pytest.raises(ValueError, match=r"^Сумма должна быть числом, например 1 250,50"):
        parse_amount(raw)  # type: ignore[arg-type]


def test_parse_amount_error_message_quotes_the_input_but_not_a_huge_one() -> None:
    with pytest.raises(ValueError) as info:
        parse_amount("x" * 10_000)
    assert "«xxxx" in str(info.value)
    assert len(str(info.value)) < 200


_amounts = st.decimals(
    min_value=Decimal("-999999999999.99"), max_value=Decimal("999999999999.99"), places=2
)


@given(_amounts)
def test_format_short_parses_back_to_the_same_amount(amount: Decimal) -> None:
    assert parse_amount(format_short(amount)) == amount
    assert parse_amount(normalize_spaces(format_short(amount))) == amount


@given(_amounts)
def test_plain_decimal_text_with_comma_or_dot_parses_back(amount: Decimal) -> None:
    text = f"{amount:.2f}"
    assert parse_amount(text) == amount
    assert parse_amount(text.replace(".", ",")) == amount


@given(_amounts.filter(lambda a: a >= 0))
def test_format_amount_figures_and_words_describe_the_same_amount(amount: Decimal) -> None:
    text = normalize_spaces(format_amount(amount))
    figures, words = text.split(" (", 1)
    rubles_part, kopecks_part = figures.split(" руб. ")
    assert parse_amount(f"{rubles_part},{kopecks_part.removesuffix(' коп.')}") == amount
    rubles, kopecks = divmod(int(amount * 100), 100)
    assert words.startswith(rubles_words(rubles) + " ")
    assert words.endswith(f" {kopecks:02d} {plural(kopecks, 'копейка', 'копейки', 'копеек')})")


@given(st.text(max_size=30))
def test_parse_amount_never_fails_other_than_with_value_error(text: str) -> None:
    try:
        result = parse_amount(text)
    except ValueError as err:
        assert str(err).startswith("Сумма должна быть числом")
    else:
        assert result.is_finite() and result.as_tuple().exponent == -2


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9))
def test_floats_are_read_through_their_shortest_text(value: float) -> None:
    try:
        result = parse_amount(value)
    except ValueError:
        assert Decimal(str(value)).as_tuple().exponent < -2
    else:
        assert result == Decimal(str(value))
