"""Money and counted nouns in Russian legal style (law.md §7.1).

Amounts are :class:`~decimal.Decimal` rubles with exactly two fraction digits. The canonical
written form is::

    1 250 руб. 50 коп. (одна тысяча двести пятьдесят рублей 50 копеек)

Typography: every space *inside a figure or between a figure and its unit* produced here is a
NO-BREAK SPACE (U+00A0, :data:`NBSP`), so that Word never wraps ``1 250 руб.`` or ``10 дней``
across lines. The words in brackets use ordinary spaces. Compare texts in tests through
:func:`normalize_spaces`.

The number words are written here rather than taken from num2words: its output differs from the
legal convention (feminine «одна тысяча», kopecks kept as figures).
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

NBSP = "\u00a0"
"""The no-break space used as thousands separator and between a figure and its unit."""

_CENT = Decimal("0.01")
MAX_RUBLES = 999_999_999_999
"""The largest integer number of rubles that :func:`rubles_words` can spell."""

_PARSE_MESSAGE = "Сумма должна быть числом, например 1 250,50"

# Spaces people (and spreadsheets) put between digit groups: ASCII space, NBSP, narrow NBSP,
# thin space, figure space, punctuation space.
_SPACE_CHARS = " \u00a0\u202f\u2009\u2007\u2008"
_SPACES_RE = re.compile(f"[{_SPACE_CHARS}]+")
_ANY_SPACE_RE = re.compile(f"[{_SPACE_CHARS}\t]+")

# Optional currency mark after the number: «руб.», «руб», «р.», «р», «₽» (any letter case).
_CURRENCY_RE = re.compile(r"\s*(?:руб\.?|р\.?|₽)\s*$", re.IGNORECASE)
# Integer part: plain digits, or digits grouped by threes with single spaces («1 250 000»).
# Only ASCII digits: str.isdigit()/\d would accept «١٢» or «²», which Decimal misreads or rejects.
_NUMBER_RE = re.compile(
    r"""^(?P<sign>[-+\u2212]?)
        (?P<int>[0-9]+|[0-9]{1,3}(?:\ [0-9]{3})+)
        (?:(?P<sep>[.,])(?P<frac>[0-9]+))?$""",
    re.VERBOSE,
)


def normalize_spaces(text: str) -> str:
    """Replace NBSP, thin and other special spaces by plain spaces (for comparing texts in tests)."""
    return _SPACES_RE.sub(lambda m: " " * len(m.group()), text)


def _reject(raw: object, reason: str | None = None) -> ValueError:
    shown = str(raw)
    shown = shown if len(shown) <= 40 else shown[:40] + "…"
    detail = f"получено «{shown}»"
    if reason:
        detail += f"; {reason}"
    return ValueError(f"{_PARSE_MESSAGE} ({detail}).")


def parse_amount(value: str | int | float | Decimal) -> Decimal:
    """Parse an amount of rubles typed by a person or read from a file.

    Accepts ``1250.50``, ``1 250,50`` (ASCII, NBSP or thin spaces between groups of three digits),
    ``1250`` and an optional trailing ``руб.``/``р.``/``₽``. A float goes through ``str()`` so
    binary artefacts are never invented (``0.1 + 0.2`` is *rejected*, not silently rounded).
    Returns a Decimal with exactly two fraction digits. Negative amounts parse; whether they are
    allowed is the caller's business.

    Raises ValueError with a Russian message for: garbage, NaN/infinity, more than two
    fraction digits unless the extra ones are zeros (``1250,500`` is fine, ``1250,505`` is not),
    and separators that make no sense: both ``,`` and ``.`` (``1,250.50``), a repeated separator
    (``1.250.000``), groups not of three digits (``12 50``), and a single separator followed by
    exactly three digits after a short integer part (``1,250`` or ``1.500``: a thousands mark in
    one convention, a decimal one in another, so refused rather than guessed).
    """
    if isinstance(value, bool):  # bool is an int subclass; True rubles is a bug upstream
        raise _reject(value)
    if isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _reject(value, "это не конечное число")
        number = Decimal(str(value))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise _reject(value, "это не конечное число")
        number = value
    elif isinstance(value, str):
        number = _parse_text(value)
    else:
        raise _reject(value)
    try:
        rounded = number.quantize(_CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        raise _reject(value, "слишком большое число") from None
    if rounded != number:
        raise _reject(value, "после запятой допускается не более двух знаков — копейки")
    return rounded + 0  # «+ 0» turns -0.00 into 0.00


def _parse_text(raw: str) -> Decimal:
    text = _CURRENCY_RE.sub("", raw.strip())
    text = _ANY_SPACE_RE.sub(" ", text).strip()
    if "," in text and "." in text:
        raise _reject(raw, "неясно, какой знак отделяет копейки — оставьте только запятую")
    match = _NUMBER_RE.match(text)
    if match is None:
        raise _reject(raw)
    integer = match["int"].replace(" ", "")
    frac = match["frac"]
    if (
        frac is not None
        and len(frac) == 3
        and " " not in match["int"]
        and len(integer) <= 3
        and integer != "0"
    ):
        raise _reject(raw, "непонятно, отделяет ли знак тысячи или копейки — запишите 1 250 или 1,25")
    sign = "-" if match["sign"] in ("-", "\u2212") else ""
    return Decimal(f"{sign}{integer}.{frac or '0'}")


# ---------------------------------------------------------------------------------------------
# Plural forms


def plural(n: int, one: str, few: str, many: str) -> str:
    """Choose the Russian plural form for ``n``: 1, 21 → one; 2–4, 22 → few; 0, 5–20, 11–14 → many."""
    n = abs(n)
    if 11 <= n % 100 <= 14:
        return many
    last = n % 10
    if last == 1:
        return one
    if 2 <= last <= 4:
        return few
    return many


def days_phrase(n: int) -> str:
    """``10 дней``, ``1 день``, ``3 дня`` — calendar days (the number glued to the word by NBSP)."""
    return f"{n}{NBSP}{plural(n, 'день', 'дня', 'дней')}"


def hours_phrase(n: int) -> str:
    """``4 часа``, ``1 час``, ``5 часов`` (NBSP after the number)."""
    return f"{n}{NBSP}{plural(n, 'час', 'часа', 'часов')}"


def full_hours_phrase(n: int) -> str:
    """``4 полных часа``: an hourly penalty counts whole hours only."""
    return f"{n}{NBSP}{plural(n, 'полный час', 'полных часа', 'полных часов')}"


def working_days_phrase(n: int) -> str:
    """``10 рабочих дней``, ``1 рабочий день``, ``3 рабочих дня`` (NBSP after the number)."""
    return f"{n}{NBSP}{plural(n, 'рабочий день', 'рабочих дня', 'рабочих дней')}"


# ---------------------------------------------------------------------------------------------
# Number words

_UNITS_MASC = ("", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять")
_UNITS_FEM = ("", "одна", "две") + _UNITS_MASC[3:]
_TEENS = (
    "десять",
    "одиннадцать",
    "двенадцать",
    "тринадцать",
    "четырнадцать",
    "пятнадцать",
    "шестнадцать",
    "семнадцать",
    "восемнадцать",
    "девятнадцать",
)
_TENS = (
    "",
    "",
    "двадцать",
    "тридцать",
    "сорок",
    "пятьдесят",
    "шестьдесят",
    "семьдесят",
    "восемьдесят",
    "девяносто",
)
_HUNDREDS = (
    "",
    "сто",
    "двести",
    "триста",
    "четыреста",
    "пятьсот",
    "шестьсот",
    "семьсот",
    "восемьсот",
    "девятьсот",
)
# (one, few, many, feminine?) for 10**3, 10**6, 10**9.
_SCALES = (
    ("тысяча", "тысячи", "тысяч", True),
    ("миллион", "миллиона", "миллионов", False),
    ("миллиард", "миллиарда", "миллиардов", False),
)


def _triad_words(n: int, feminine: bool) -> list[str]:
    """Words for 1..999 (empty for 0)."""
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds:
        words.append(_HUNDREDS[hundreds])
    if 10 <= rest <= 19:
        words.append(_TEENS[rest - 10])
    else:
        tens, unit = divmod(rest, 10)
        if tens:
            words.append(_TENS[tens])
        if unit:
            words.append((_UNITS_FEM if feminine else _UNITS_MASC)[unit])
    return words


def number_words(n: int, *, feminine: bool = False) -> str:
    """A non-negative integer up to :data:`MAX_RUBLES` in words (``feminine`` for «одна», «две»)."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"expected int, got {type(n).__name__}")
    if n < 0 or n > MAX_RUBLES:
        raise ValueError(f"Число {n} вне допустимого диапазона 0 … {MAX_RUBLES:_}".replace("_", " "))
    if n == 0:
        return "ноль"
    words: list[str] = []
    for power in range(len(_SCALES), 0, -1):
        triad = n // 1000**power % 1000
        if triad:
            one, few, many, fem = _SCALES[power - 1]
            words += _triad_words(triad, fem)  # always «одна тысяча», never a bare «тысяча»
            words.append(plural(triad, one, few, many))
    words += _triad_words(n % 1000, feminine)
    return " ".join(words)


def rubles_words(n: int) -> str:
    """Integer rubles in words without the currency noun: ``21`` → ``двадцать один``.

    Rubles are masculine («один рубль», «два рубля»); thousands feminine («две тысячи»).
    Works for 0 … 999 999 999 999 and raises ValueError beyond.
    """
    return number_words(n, feminine=False)


# ---------------------------------------------------------------------------------------------
# Formatting


def _group_thousands(digits: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return NBSP.join(groups)


def _split(amount: Decimal | int | str) -> tuple[bool, int, int]:
    """(negative, rubles, kopecks) of an amount rounded half-up to kopecks."""
    if isinstance(amount, Decimal):
        if not amount.is_finite():
            raise ValueError(f"{_PARSE_MESSAGE} (получено «{amount}»).")
        value = amount.quantize(_CENT, rounding=ROUND_HALF_UP)
    else:
        value = parse_amount(amount)
    cents = int(value * 100)
    negative = cents < 0
    rubles, kopecks = divmod(abs(cents), 100)
    return negative, rubles, kopecks


def format_amount(amount: Decimal) -> str:
    """The canonical legal form of law.md §7.1.

    ``Decimal("1250.50")`` → ``1 250 руб. 50 коп. (одна тысяча двести пятьдесят рублей 50 копеек)``.
    Kopecks are always two figures, also inside the brackets. A Decimal with more than two
    fraction digits is rounded half-up to kopecks (calculations may produce them). Thousands and
    the figure–unit gaps are NBSP. Raises ValueError for negative amounts and amounts over
    :data:`MAX_RUBLES` rubles.
    """
    negative, rubles, kopecks = _split(amount)
    if negative:
        raise ValueError("Сумма прописью не может быть отрицательной.")
    return _amount_text(rubles, kopecks)


@lru_cache(maxsize=1024)  # a batch repeats prices, fines and penalties: each is spelt out once per process
def _amount_text(rubles: int, kopecks: int) -> str:
    figures = f"{_group_thousands(str(rubles))}{NBSP}руб. {kopecks:02d}{NBSP}коп."
    words = (
        f"{rubles_words(rubles)} {plural(rubles, 'рубль', 'рубля', 'рублей')} "
        f"{kopecks:02d} {plural(kopecks, 'копейка', 'копейки', 'копеек')}"
    )
    return f"{figures} ({words})"


def format_short(amount: Decimal) -> str:
    """Figures only, for formulas: ``1 250,50`` (NBSP thousands, comma decimal, ``-`` if negative)."""
    negative, rubles, kopecks = _split(amount)
    return f"{'-' if negative else ''}{_group_thousands(str(rubles))},{kopecks:02d}"
