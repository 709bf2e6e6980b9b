"""Field types of the case model: parsing and normalising one value, with Russian errors.

Each parser is used by the pydantic model as a ``BeforeValidator``, so the wizard, case files and batch rows share
exactly one implementation. Errors are raised as ``PydanticCustomError`` whose message is the Russian text the user
sees (the field's dotted path is added by :mod:`complaint_cli.validation`).

A message never quotes personal data (the README promises it; messages reach terminals, logs and batch reports):
e-mail addresses, phone numbers and persons' ИНН/ОГРНИП are not quoted at all; a date is quoted (a typo in an order
date is easier to find so), and :mod:`complaint_cli.validation` leaves it out for personal fields (a birth date).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

# Length limits (characters). Generous on purpose: a pasted chat log of 10 000 characters is an ordinary description.
LIMIT_NAME = 500
LIMIT_ADDRESS = 500
LIMIT_SHORT = 200
LIMIT_TEXT = 2_000
LIMIT_DESCRIPTION = 10_000

LIMITS_DOC = {
    "ФИО, названия, должности": LIMIT_NAME,
    "адреса": LIMIT_ADDRESS,
    "номера, телефоны, e-mail, реквизиты": LIMIT_SHORT,
    "тексты требований, доказательств, пояснения": LIMIT_TEXT,
    "описание проблемы (problem.description)": LIMIT_DESCRIPTION,
}

_DATE_RU = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
_DATE_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def _quoting(kind: str, message: str, plain: str, value: str) -> PydanticCustomError:
    """An error quoting the value as typed (``message`` has ``{value}``); ``plain`` says the same without it and is
    what :mod:`complaint_cli.validation` shows for a personal field (the README: no personal data in messages)."""
    return PydanticCustomError(kind, message, {"value": value, "plain": plain})


def parse_date(value: Any) -> dt.date | None:
    """Accept a date, ``YYYY-MM-DD`` or ``ДД.ММ.ГГГГ``; reject impossible dates such as 31.02."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError("date_type", "ожидается дата в виде ДД.ММ.ГГГГ или ГГГГ-ММ-ДД")
    m = _DATE_RU.match(value)
    if m:
        day, month, year = (int(g) for g in m.groups())
    else:
        m = _DATE_ISO.match(value)
        if not m:
            raise _quoting("date_format", "неверный формат даты «{value}»: нужно ДД.ММ.ГГГГ (например, 05.03.2026)",
                           "неверный формат даты: нужно ДД.ММ.ГГГГ (например, 05.03.2026)", value.strip()[:40])
        year, month, day = (int(g) for g in m.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _quoting("date_impossible", "такой даты не существует: «{value}»", "такой даты не существует",
                       value.strip()[:40]) from None


_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")


def parse_time(value: Any) -> str | None:
    """Accept ``ЧЧ:ММ`` (or ``ЧЧ.ММ``); stored as ``ЧЧ:ММ``."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 14:30 as the sexagesimal integer 870.
        hours, minutes = divmod(value, 60)
        value = f"{hours}:{minutes:02d}"
    m = _TIME.match(str(value))
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise PydanticCustomError("time_format", "время нужно указать как ЧЧ:ММ, например 14:30")
    return f"{int(m.group(1)):02d}:{m.group(2)}"


_WINDOW = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})\s*$")


def parse_window(value: Any) -> str | None:
    """A delivery slot ``ЧЧ:ММ–ЧЧ:ММ`` (``-``, ``–`` or ``—`` between); stored with an en dash."""
    if value is None or value == "":
        return None
    m = _WINDOW.match(str(value))
    bad = PydanticCustomError("window_format", "интервал доставки нужно указать как ЧЧ:ММ–ЧЧ:ММ, например 17:00–18:00")
    if not m:
        raise bad
    h1, m1, h2, m2 = (int(g) for g in m.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59 or (h2 == 24 and m2) or (h1, m1) >= (h2, m2):
        raise bad
    return f"{h1:02d}:{m1:02d}–{h2:02d}:{m2:02d}"


# «Yes»/«no» as people type them in a case file, a spreadsheet cell or at a prompt.
YES_WORDS = frozenset({"да", "д", "yes", "y", "true", "1", "истина"})
NO_WORDS = frozenset({"нет", "н", "no", "n", "false", "0", "ложь"})


def parse_yes_no(value: Any) -> bool | None:
    """``true``/``false`` as YAML writes them, and «да»/«нет» as people type them."""
    if value is None or value == "" or isinstance(value, bool):
        return value if value != "" else None
    text = str(value).strip().lower()
    if text in YES_WORDS:
        return True
    if text in NO_WORDS:
        return False
    raise PydanticCustomError("yes_no", "ожидается «да» или «нет» (true/false)")


def format_phone(phone: str | None) -> str:
    """``+79161234567`` → ``+7 916 123-45-67`` (as parse_phone stores it); other numbers as stored."""
    if not phone:
        return ""
    if phone.startswith("+7") and len(phone) == 12:
        d = phone[2:]
        return f"+7 {d[:3]} {d[3:6]}-{d[6:8]}-{d[8:]}"
    return phone


def parse_money(value: Any) -> Decimal | None:
    """Accept ``1250.50``, ``1 250,50`` and numbers; kopecks are kept exactly (Decimal)."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise PydanticCustomError("money", "ожидается сумма, например 1 250,50")
    from complaint_cli.money import parse_amount

    try:
        return parse_amount(value)
    except ValueError as exc:
        raise PydanticCustomError("money", str(exc)) from None


def parse_phone(value: Any) -> str | None:
    """Normalise a phone number to ``+7XXXXXXXXXX`` (Russian) or ``+<digits>`` (international)."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    digits = re.sub(r"\D", "", text)
    if re.search(r"[^\d\s()+\-.]", text):
        raise PydanticCustomError("phone", "номер телефона может содержать только цифры, пробелы, скобки, «+» и «-»")
    if text.startswith("+"):
        if digits.startswith("7") and len(digits) == 11 or not digits.startswith("7") and 11 <= len(digits) <= 15:
            return "+" + digits
    elif len(digits) == 11 and digits[0] in "78":
        return "+7" + digits[1:]
    elif len(digits) == 10 and digits[0] == "9":
        return "+7" + digits
    raise PydanticCustomError("phone", "неверный номер телефона: нужно 11 цифр, например +7 999 123-45-67")


_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]{2,}$")


def parse_email(value: Any) -> str | None:
    if value is None or value == "":
        return None
    text = str(value).strip()
    if not _EMAIL.match(text) or ".." in text:
        raise PydanticCustomError("email", "неверный адрес электронной почты: нужно в виде name@example.ru")
    return text


def _inn_ok(digits: str) -> bool:
    def check(weights: tuple[int, ...], upto: int) -> int:
        return sum(w * int(d) for w, d in zip(weights, digits[:upto])) % 11 % 10

    if len(digits) == 10:
        return check((2, 4, 10, 3, 5, 9, 4, 6, 8), 9) == int(digits[9])
    if len(digits) == 12:
        return check((7, 2, 4, 10, 3, 5, 9, 4, 6, 8), 10) == int(digits[10]) and check(
            (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8), 11
        ) == int(digits[11])
    return False


def parse_inn(value: Any) -> str | None:
    """ИНН: 10 digits (organisation) or 12 (individual), with the Federal Tax Service checksum."""
    if value is None or value == "":
        return None
    digits = re.sub(r"\s", "", str(value))
    if not digits.isdigit() or len(digits) not in (10, 12):
        raise PydanticCustomError("inn", "ИНН состоит из 10 цифр (организация) или 12 цифр (ИП, гражданин)")
    if not _inn_ok(digits):
        if len(digits) == 12:  # a person's ИНН (an ИП's or a citizen's): personal data, not quoted
            raise PydanticCustomError("inn", "ИНН не проходит проверку контрольной суммы")
        raise PydanticCustomError("inn", "ИНН «{value}» не проходит проверку контрольной суммы", {"value": digits})
    return digits


def parse_ogrn(value: Any) -> str | None:
    """ОГРН: 13 digits (checksum mod 11) or ОГРНИП: 15 digits (checksum mod 13)."""
    if value is None or value == "":
        return None
    digits = re.sub(r"\s", "", str(value))
    if not digits.isdigit() or len(digits) not in (13, 15):
        raise PydanticCustomError("ogrn", "ОГРН состоит из 13 цифр (ОГРНИП — из 15 цифр)")
    modulo = 11 if len(digits) == 13 else 13
    if int(digits[:-1]) % modulo % 10 != int(digits[-1]):
        if len(digits) == 15:  # an ИП's ОГРНИП: a person's, not quoted
            raise PydanticCustomError("ogrn", "ОГРНИП не проходит проверку контрольной суммы")
        raise PydanticCustomError("ogrn", "ОГРН «{value}» не проходит проверку контрольной суммы", {"value": digits})
    return digits


# C0 controls but tab and newline, DEL, C1 controls, lone surrogates and the two XML-forbidden noncharacters.
# (``\r`` among them: a text without any of these is left exactly as it is by strip_control.)
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def strip_control(text: str) -> tuple[str, bool]:
    """Remove control characters other than tab and newline (and lone surrogates Word cannot store).

    Returns the cleaned text and whether anything was removed. ``\\r\\n`` and ``\\r`` become ``\\n`` silently:
    that is a line ending, not garbage.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = CONTROL.sub("", text)
    return cleaned, cleaned != text


def _text(limit: int):
    return Annotated[str, Field(max_length=limit)]


Name = _text(LIMIT_NAME)
Address = _text(LIMIT_ADDRESS)
Short = _text(LIMIT_SHORT)
Text = _text(LIMIT_TEXT)
Description = _text(LIMIT_DESCRIPTION)

# A Russian postcode is six digits; in an address it stands alone in its comma-separated part, at the start as
# «115035, г. Москва, …» (or «115035 г. Москва, …») or at the end, sometimes after the word «индекс». Six digits inside
# a part («д. 123456») are not one. The one rule for validation («нет индекса») and the post-office kit.
_POSTCODE_PART = re.compile(r"^(?:(?:почтовый\s+)?индекс:?\s*)?(\d{6})\.?$", re.IGNORECASE)
_POSTCODE_LEAD = re.compile(r"^(\d{6})\s+(?=\D)")


def parse_postcode(address: str | None) -> str | None:
    """The postcode of an address: the first comma-separated part that is six digits (optionally «индекс 115035»),
    or six digits opening the address before a space («115035 г. Москва»)."""
    parts = (address or "").split(",")
    lead = _POSTCODE_LEAD.match(parts[0].strip())
    if lead:
        return lead.group(1)
    for part in parts:
        found = _POSTCODE_PART.match(part.strip())
        if found:
            return found.group(1)
    return None


def strip_postcode(address: str) -> str:
    """The address without its postcode."""
    parts = [p.strip() for p in address.split(",")]
    if parts and _POSTCODE_LEAD.match(parts[0]):
        parts[0] = _POSTCODE_LEAD.sub("", parts[0])
    return ", ".join(p for p in parts if p and not _POSTCODE_PART.match(p))


DateField = Annotated[dt.date | None, BeforeValidator(parse_date)]
TimeField = Annotated[str | None, BeforeValidator(parse_time)]
WindowField = Annotated[str | None, BeforeValidator(parse_window)]
YesNo = Annotated[bool | None, BeforeValidator(parse_yes_no)]
Money = Annotated[Decimal | None, BeforeValidator(parse_money)]
Phone = Annotated[str | None, BeforeValidator(parse_phone)]
Email = Annotated[str | None, BeforeValidator(parse_email)]
Inn = Annotated[str | None, BeforeValidator(parse_inn)]
Ogrn = Annotated[str | None, BeforeValidator(parse_ogrn)]
