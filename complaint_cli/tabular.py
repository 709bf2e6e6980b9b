"""Spreadsheets in: CSV, XLSX, YAML and JSON rows as raw case dicts, streamed one row at a time.

A row becomes the same raw nested dict a case file holds, and is validated by
:func:`complaint_cli.validation.validate_data` like every other input — nothing here judges values. What this module
does is the file's *shape*:

* CSV in UTF-8, UTF-8 with BOM or cp1251 (Russian Excel's «CSV (разделители — запятые)»), delimiter ``,`` ``;`` or
  tab, all detected; a leading ``sep=;`` line (Excel's own hint) is honoured; a row in another encoding than the
  rest of the file is an :class:`Unreadable` row (it fails, named by number), never mojibake;
* XLSX: the first sheet, read with openpyxl in read-only mode (streamed), every row whatever size the file states;
  a zip bomb is refused from the zip's directory before anything is unpacked;
* YAML or JSON: a list of cases (nested, or flat with dotted keys); alias bombs and deep nesting are refused
  (:func:`complaint_cli.yamlio.check_shape`);
* columns are the case file's dotted keys, lists indexed from 0 (``demands.0.kind``, ``order.items.1.price``);
  Russian headers are aliases (``ФИО заявителя``, ``Требование 1: сумма`` — counted from 1 as people count), and a
  template header ``ФИО заявителя* (claimant.full_name)`` is read by the key in brackets;
* a list of values (``problem.also``) is one cell, the values separated by commas (or ``;``, or line breaks); a yes/no
  cell (``company.aggregator``) takes «да»/«нет» as Russian Excel users type them (also true/false, 1/0);
* a column whose header starts with ``#`` is the advocate's own note and is ignored; an unknown column is an error
  naming it (with the closest known key), so a misspelt key never silently drops data;
* empty rows are skipped but counted: :attr:`Row.number` is the 1-based data row (1 = the first row under the
  header), so row ``n`` is line ``n + 1`` of a spreadsheet with the header on line 1.

:func:`write_template` writes the empty template (every column, Russian notes, one example row);
:class:`TableWriter` writes a table for people (the batch report) with no cell Excel would run as a formula.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import io
import re
import types
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import IO, Any, Union, get_args, get_origin

from complaint_cli.errors import CaseFileError

CSV_SUFFIXES = (".csv", ".tsv", ".txt")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
DATA_SUFFIXES = (".yaml", ".yml", ".json")
DELIMITERS = (";", ",", "\t")
LIST_SLOTS = {"demands": 3, "evidence": 3, "order.items": 3}  # how many of each list the template offers

# Russian names of the columns (the first is shown in the template). ``{n}`` is the list position counted from 1.
LABELS: dict[str, tuple[str, ...]] = {
    "claimant.full_name": ("ФИО заявителя", "ФИО", "заявитель", "потребитель"),
    "claimant.address": ("Адрес заявителя", "почтовый адрес", "адрес"),
    "claimant.region": ("Регион заявителя", "регион", "субъект РФ"),
    "claimant.phone": ("Телефон заявителя", "телефон"),
    "claimant.email": ("E-mail заявителя", "e-mail", "email", "электронная почта"),
    "claimant.gender": ("Пол заявителя (male/female)", "пол заявителя", "пол"),
    "claimant.birth_date": ("Дата рождения заявителя", "дата рождения"),
    "claimant.birth_place": ("Место рождения заявителя", "место рождения"),
    "claimant.identifier": ("Идентификатор заявителя (паспорт, СНИЛС или ИНН)", "идентификатор заявителя"),
    "claimant.refund_details": ("Реквизиты для возврата денег", "реквизиты для возврата", "реквизиты"),
    "claimant.name_genitive": ("ФИО в родительном падеже",),
    "claimant.name_dative": ("ФИО в дательном падеже",),
    "company.name": ("Организация", "компания", "название организации", "исполнитель"),
    "company.brand": ("Сервис (бренд)", "сервис", "бренд"),
    "company.head_position": ("Должность руководителя организации", "должность руководителя"),
    "company.address": ("Адрес организации", "юридический адрес"),
    "company.inn": ("ИНН организации", "ИНН"),
    "company.ogrn": ("ОГРН организации", "ОГРН"),
    "company.email": ("E-mail организации",),
    "company.phone": ("Телефон организации",),
    "company.promise_working_days": ("Обещанный организацией срок ответа, рабочих дней", "срок ответа"),
    "company.aggregator": ("Организация — агрегатор (да/нет)", "агрегатор", "маркетплейс"),
    "seller.name": ("Продавец из чека", "продавец"),
    "seller.address": ("Адрес продавца",),
    "seller.inn": ("ИНН продавца",),
    "seller.ogrn": ("ОГРН продавца",),
    "order.number": ("Номер заказа", "заказ", "№ заказа"),
    "order.date": ("Дата заказа",),
    "order.time": ("Время заказа",),
    "order.delivery_due": ("Обещанная дата доставки", "срок доставки", "дата доставки"),
    "order.delivery_window": ("Обещанный интервал доставки", "интервал доставки", "интервал"),
    "order.delivered_on": ("Дата, когда привезли заказ", "заказ привезли", "фактическая дата доставки"),
    "order.delivered_at": ("Время, когда привезли заказ", "фактическое время доставки"),
    "order.amount": ("Сумма заказа", "сумма"),
    "order.delivery_fee": ("Стоимость доставки",),
    "order.payment": ("Способ оплаты", "оплата"),
    "order.receipt.qr": ("Чек: текст QR-кода", "QR-код чека", "QR чека"),
    "order.receipt.file": ("Чек: файл (фото, скан или PDF)", "файл чека"),
    "order.receipt.fn": ("Чек: ФН",),
    "order.receipt.fd": ("Чек: ФД",),
    "order.receipt.fp": ("Чек: ФП",),
    "order.receipt.operation": ("Чек: признак расчёта (1–4)",),
    "order.items.#.name": ("Товар {n}: название", "товар {n}"),
    "order.items.#.quantity": ("Товар {n}: количество",),
    "order.items.#.price": ("Товар {n}: цена",),
    "order.items.#.issue": ("Товар {n}: проблема", "проблема с товаром {n}"),
    "order.items.#.affected_quantity": ("Товар {n}: сколько с проблемой", "товар {n}: количество с проблемой"),
    "problem.kind": ("Вид проблемы", "проблема", "что случилось"),
    "problem.also": ("Другие проблемы с заказом (через запятую)", "другие проблемы", "ещё проблемы"),
    "problem.description": ("Описание проблемы", "описание", "обстоятельства"),
    "problem.discovered_on": ("Дата обнаружения проблемы", "дата обнаружения"),
    "problem.emergency": ("Срочный случай (да/нет)", "срочно"),
    "demands.#.kind": ("Требование {n}: вид", "требование {n}"),
    "demands.#.amount": ("Требование {n}: сумма", "сумма требования {n}"),
    "demands.#.text": ("Требование {n}: текст", "текст требования {n}"),
    "evidence.#.description": ("Доказательство {n}", "приложение {n}"),
    "evidence.#.file": ("Доказательство {n}: файл",),
    "submission.channel": ("Способ отправки претензии", "способ отправки"),
    "submission.sent_on": ("Дата отправки претензии", "дата отправки"),
    "submission.received_on": ("Дата получения претензии", "дата получения"),
    "submission.reference": ("Номер обращения", "номер обращения в поддержку"),
    "representative.full_name": ("ФИО представителя", "представитель"),
    "representative.address": ("Адрес представителя",),
    "representative.power_of_attorney": ("Доверенность представителя", "доверенность"),
}

EXAMPLE: dict[str, str] = {
    "claimant.full_name": "Кузнецова Ольга Андреевна",
    "claimant.address": "125047, г. Москва, ул. Тверская-Ямская 1-я, д. 12, кв. 34",
    "claimant.region": "Москва",
    "claimant.phone": "+7 916 123-45-67",
    "claimant.email": "o.kuznetsova@example.ru",
    "company.name": "ООО «Инстамарт Сервис»",
    "company.brand": "Купер",
    "company.head_position": "Генеральный директор",
    "company.address": "115035, г. Москва, ул. Садовническая, д. 9А, эт. 5, пом. I, ком. 1",
    "company.ogrn": "1187746494980",
    "order.number": "R-84512376",
    "order.date": "02.11.2026",
    "order.time": "10:15",
    "company.aggregator": "да",
    "seller.name": "ООО «Ромашка»",
    "seller.address": "101000, г. Москва, ул. Мясницкая, д. 1",
    "order.delivery_due": "02.11.2026",
    "order.delivery_window": "17:00–18:00",
    "order.delivered_on": "02.11.2026",
    "order.delivered_at": "22:40",
    "order.amount": "4 870,00",
    "order.delivery_fee": "299,00",
    "order.payment": "картой в приложении",
    "order.items.0.name": "Пломбир ванильный, 80 г",
    "order.items.0.quantity": "4",  # no price: one item with a price would not add up to the order amount (a warning)
    "order.items.0.issue": "poor_quality",
    "order.items.0.affected_quantity": "3",
    "problem.kind": "late_delivery",
    "problem.also": "poor_quality",
    "problem.description": "Доставка была назначена на 02.11.2026 с 17:00 до 18:00, заказ привезли только в 22:40; "
                           "три порции мороженого растаяли.",
    "problem.discovered_on": "02.11.2026",
    "demands.0.kind": "refund",
    "demands.0.amount": "568,70",
    "evidence.0.description": "Скриншот заказа с выбранным интервалом доставки",
    "submission.channel": "app",
}

# What a column means and how to fill it, for the XLSX template's header notes (besides the allowed values and dates).
HINTS: dict[str, str] = {
    "company.aggregator": "да — организация только площадка или служба доставки (агрегатор, как «Купер»), а товар "
                          "продаёт магазин из кассового чека (п. 2.2 ст. 12 Закона о защите прав потребителей): "
                          "заполните «Продавец из чека»; нет — организация продаёт сама; пусто — по справочнику "
                          "компаний (по ОГРН или ИНН)",
    "seller.name": "Продавец из кассового чека, если это не сама организация: ему — претензия о качестве товара",
    "order.delivery_window": "Обещанный интервал в день «Обещанная дата доставки»: ЧЧ:ММ–ЧЧ:ММ, например 17:00–18:00",
    "order.delivered_on": "Когда заказ в итоге привезли; пусто — заказ не привезли",
    "order.delivered_at": "Время, когда привезли: ЧЧ:ММ, например 22:40",
    "order.receipt.qr": "Текст QR-кода кассового чека как есть: t=20261102T1915&s=3480.00&fn=…&i=…&fp=…&n=1. Пустые "
                        "дата, время и сумма заказа берутся из него",
    "order.receipt.file": "Фото, скан или PDF кассового чека — путь от папки этой таблицы. Его QR-код читается, если "
                          "«Чек: текст QR-кода» пуст; файл прикладывается к претензии",
    "order.receipt.fn": "Заполняется из QR-кода чека; вручную — если кода нет (номер ФН под QR-кодом, 16 цифр)",
    "order.receipt.operation": "1 — приход (покупка), 2 — возврат прихода, 3 — расход, 4 — возврат расхода",
    "order.items.#.issue": "Что не так с этим товаром (пусто — всё в порядке)",
    "order.items.#.affected_quantity": "Сколько штук с проблемой; пусто — все",
    "problem.also": "Ещё проблемы с этим же заказом через запятую, например: poor_quality, expired_goods",
    "problem.emergency": "да или нет",
}

_KEY = re.compile(r"^[a-z_]+(?:\.[a-z0-9_]+)+$")
_BRACKETED_KEY = re.compile(r"\(\s*([a-z_]+(?:\.[a-z0-9_]+)+)\s*\)\s*$")
_NUMBER = re.compile(r"^\s*(\d+)\s*[,.]\s*(\d+)\s*$")
_LIST_SEPARATORS = re.compile(r"[,;\n]")


@dataclass(frozen=True)
class Unreadable:
    """A row the file holds but that cannot be read safely — in a CSV whose other rows are in another encoding.

    It is not guessed at (a wrong guess would put a garbled name or address in a letter): the row fails with this
    message, naming no value, and the other rows go on.
    """

    message: str
    field: str = "(кодировка)"


@dataclass(frozen=True)
class Row:
    """One data row: ``number`` is 1-based counting from the first row under the header; ``data`` is a raw case
    (or :class:`Unreadable`)."""

    number: int
    data: dict[str, Any] | Unreadable


# --------------------------------------------------------------------------- the columns, from the model


@cache
def schema() -> dict[str, str]:
    """Every column pattern of the case model (``demands.#.kind``) and its kind: text, date, number, bool or list
    (a list of plain values in one cell, ``problem.also``)."""
    from pydantic import BaseModel

    from complaint_cli.model import Case

    out: dict[str, str] = {}

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, info in model.model_fields.items():
            if name == "schema_version":
                continue
            kind, item = _unwrap(info.annotation)
            path = f"{prefix}{name}"
            if isinstance(item, type) and issubclass(item, BaseModel):
                walk(item, f"{path}.#." if kind == "list" else f"{path}.")
            else:
                out[path] = "list" if kind == "list" else _leaf_kind(item, info.metadata)

    walk(Case, "")
    return out


def _leaf_kind(item: Any, metadata: list[Any]) -> str:
    parsers = {getattr(getattr(m, "func", None), "__name__", "") for m in metadata}
    if item is bool:
        return "bool"
    if "parse_date" in parsers:
        return "date"
    if item in (int, Decimal) and not parsers - {""}:
        return "number"
    return "text"


def _unwrap(annotation: Any) -> tuple[str, Any]:
    """(``"list"`` or ``"one"``, the inner type) of ``X``, ``X | None`` or ``list[X]``."""
    if get_origin(annotation) is list:
        return "list", get_args(annotation)[0]
    if get_origin(annotation) in (Union, types.UnionType):
        inner = [a for a in get_args(annotation) if a is not type(None)]
        if len(inner) == 1:
            return _unwrap(inner[0])
    return "one", annotation


def pattern_of(key: str) -> str:
    """``demands.2.kind`` → ``demands.#.kind``."""
    return ".".join("#" if part.isdigit() else part for part in key.split("."))


def template_columns() -> list[str]:
    """Every column the template offers, in model order, lists expanded to :data:`LIST_SLOTS` entries."""
    columns: list[str] = []
    lists_done: set[str] = set()
    for pattern in schema():
        if "#" not in pattern:
            columns.append(pattern)
            continue
        head = pattern.split(".#.")[0]
        if head in lists_done:
            continue
        lists_done.add(head)  # all fields of one list entry stay together: demands.0.kind, demands.0.amount, …
        fields = [p for p in schema() if p.startswith(f"{head}.#.")]
        for i in range(LIST_SLOTS.get(head, 1)):
            columns += [f.replace("#", str(i)) for f in fields]
    return columns


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\ufeff", "").replace("\xa0", " ")
    text = text.lower().replace("ё", "е").replace("*", "")
    return " ".join(re.sub(r"[^\w№]+", " ", text).split())


@cache
def _aliases() -> dict[str, str]:
    """Normalised Russian header → column pattern (``{n}`` kept as a placeholder)."""
    out: dict[str, str] = {}
    for key, names in LABELS.items():
        for name in names:
            out[_normalize(name.replace("{n}", "9999")).replace("9999", "{n}")] = key
    return out


def column_key(header: str) -> str | None:
    """The dotted key a header stands for; None for a header we do not know. Raises nothing."""
    raw = unicodedata.normalize("NFC", str(header)).replace("\ufeff", "").strip()
    bracketed = _BRACKETED_KEY.search(raw)
    if bracketed:
        raw = bracketed.group(1)
    if _KEY.match(raw.lower()) or raw.lower() == "schema_version":
        key = raw.lower()
        return key if key == "schema_version" or pattern_of(key) in schema() else None
    norm = _normalize(raw)
    aliases = _aliases()
    if norm in aliases:
        return aliases[norm]
    numbers = re.findall(r"\d+", norm)
    if len(numbers) == 1 and int(numbers[0]) >= 1:
        pattern = aliases.get(re.sub(r"\d+", "{n}", norm))
        if pattern:
            return pattern.replace("#", str(int(numbers[0]) - 1))
    return None


def template_header(key: str) -> str:
    """``ФИО заявителя* (claimant.full_name)``: the Russian name, ``*`` when required, the key in brackets."""
    from complaint_cli.validation import REQUIRED_FIELDS

    pattern = pattern_of(key)
    label = LABELS.get(pattern, (key,))[0]
    if "#" in pattern:
        index = int(next(p for p in key.split(".") if p.isdigit()))
        label = label.replace("{n}", str(index + 1))
    star = "*" if key in REQUIRED_FIELDS or key in ("demands.0.kind",) else ""
    return f"{label}{star} ({key})"


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class _Column:
    index: int
    key: str
    path: tuple[str | int, ...]
    kind: str


def _columns(headers: list[Any], source: Path) -> list[_Column]:
    """Map header cells to columns; unknown, duplicate or clashing headers are a file-level error."""
    columns: list[_Column] = []
    unknown: list[str] = []
    seen: dict[str, str] = {}
    for index, cell in enumerate(headers):
        header = "" if cell is None else str(cell).strip()
        if not header or header.startswith("#"):
            continue
        key = column_key(header)
        if key is None:
            unknown.append(header)
            continue
        if key in seen:
            raise CaseFileError(f"{source}: колонки «{seen[key]}» и «{header}» обе означают {key}; оставьте одну.")
        seen[key] = header
        path = tuple(int(p) if p.isdigit() else p for p in key.split("."))
        columns.append(_Column(index, key, path, schema().get(pattern_of(key), "number")))
    if unknown:
        known = list(schema()) + [n for names in LABELS.values() for n in names]
        lines = []
        for header in unknown[:10]:
            close = difflib.get_close_matches(pattern_of(header), known, n=1, cutoff=0.6)
            lines.append(f"«{header}»" + (f" (может быть, {close[0]}?)" if close else ""))
        raise CaseFileError(
            f"{source}: неизвестные колонки: {', '.join(lines)}.",
            hint="Названия колонок — ключи файла дела (claimant.full_name, demands.0.amount) или их русские "
            "названия из шаблона (complaint batch --template шаблон.xlsx). Колонки для своих пометок начните "
            "с «#» — программа их пропустит.",
        )
    if not columns:
        raise CaseFileError(f"{source}: в первой строке нет заголовков колонок (claimant.full_name, order.number, …).")
    return columns


def _cell(value: Any, kind: str) -> Any:
    """A cell as the raw value validation expects; None for an empty cell."""
    if type(value) is str:  # every CSV cell, most XLSX cells
        text = value.strip()
        if not text:
            return None
        return text if kind == "text" or kind == "date" else _text_cell(text, kind)
    if value is None:
        return None
    # Excel stores dates and times as numbers; openpyxl gives them back as date/time objects.
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        value = str(int(value)) if value.is_integer() else repr(value)
    elif isinstance(value, int):
        value = str(value)
    text = str(value).strip()
    if not text:
        return None
    return _text_cell(text, kind)


def _text_cell(text: str, kind: str) -> Any:
    """:func:`_cell` of a cell's text (stripped, not empty)."""
    if kind == "number":
        m = _NUMBER.match(text)
        if m:
            return f"{m.group(1)}.{m.group(2)}"
    elif kind == "bool":
        from complaint_cli.fields import NO_WORDS, YES_WORDS

        low = text.lower()
        if low in YES_WORDS:
            return True
        if low in NO_WORDS:
            return False
    elif kind == "list":
        return [part.strip() for part in _LIST_SEPARATORS.split(text) if part.strip()] or None
    return text


def _nest(pairs: list[tuple[tuple[str | int, ...], Any]]) -> dict[str, Any]:
    """Dotted paths → nested dicts; integer parts become list positions (empty positions are left out)."""
    root: dict[Any, Any] = {}
    for path, value in pairs:
        node = root
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = value
    return _listify(root)


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    if node and all(isinstance(k, int) for k in node):
        return [_listify(node[k]) for k in sorted(node)]
    return {k: _listify(v) for k, v in node.items()}


def _rows_from_cells(records: Iterator[list[Any]], source: Path) -> Iterator[Row]:
    """The header is the first non-empty record; data rows are numbered from 1 under it, empty ones skipped."""
    for headers in records:
        if isinstance(headers, Unreadable):
            raise CaseFileError(f"{source}: строка заголовков {headers.message}.", hint=_ENCODING_HINT)
        if any(c not in (None, "") and str(c).strip() for c in headers):
            break
    else:
        raise CaseFileError(f"{source}: таблица пуста — нет даже строки заголовков.")
    build = _RowBuilder(_columns(list(headers), source)).build
    for number, record in enumerate(records, 1):
        if isinstance(record, Unreadable):
            yield Row(number, record)
            continue
        data = build(record)
        if data:
            yield Row(number, data)


class _RowBuilder:
    """Rows of cells → the nested dicts :func:`_nest` makes of them, faster (the main process of a batch reads every
    row): the columns are known, so their paths are walked without a list of pairs, and only the nodes that are
    lists (``demands``, ``order.items``…) are turned into lists, in place — the values are never dicts."""

    def __init__(self, columns: list[_Column]) -> None:
        self.columns = [(col.index, col.path, col.kind) for col in columns]
        lists = {col.path[:i] for col in columns for i, part in enumerate(col.path) if isinstance(part, int)}
        self.lists = sorted(lists, key=len, reverse=True)  # inner lists first

    def build(self, record: list[Any]) -> dict[str, Any]:
        root: dict[Any, Any] = {}
        size = len(record)
        for index, path, kind in self.columns:
            if index >= size:
                continue
            value = _cell(record[index], kind)
            if value is None:
                continue
            node = root
            for part in path[:-1]:
                child = node.get(part)
                if child is None:
                    child = node[part] = {}
                node = child
            node[path[-1]] = value
        for where in self.lists:
            parent = root
            for part in where[:-1]:
                parent = parent.get(part)
                if parent is None:
                    break
            else:
                items = parent.get(where[-1])
                if items is not None:
                    parent[where[-1]] = [items[k] for k in sorted(items)]
        return root


def example_row() -> Row:
    """The template's example row (:data:`EXAMPLE`), read as a table row is read."""
    return next(_rows_from_cells(iter([list(EXAMPLE), list(EXAMPLE.values())]), Path("example")))


_ENCODING_HINT = "Сохраните таблицу как «CSV UTF-8» или в формате .xlsx."


def detect_encoding(path: Path) -> str:
    """The file's encoding: ``utf-8-sig`` (BOM), ``utf-8`` or ``cp1251`` (of most of its lines, when they differ)."""
    return _file_encoding(path)[0]


def _file_encoding(path: Path) -> tuple[str, bool]:
    """(the encoding, whether some lines are in another one). The whole file is checked, a chunk at a time.

    A file that is valid UTF-8 (the usual case) is decided by one fast pass. Otherwise each line is classified:
    all legacy → cp1251 (Russian Excel's CSV), as before; some UTF-8 and some not → *mixed*: the encoding is that
    of most lines (UTF-8 when there is a BOM), and :class:`_MixedLines` reads the others as :class:`Unreadable`.
    """
    with open(path, "rb") as fh:
        bom = fh.read(3) == codecs.BOM_UTF8
        decoder = codecs.getincrementaldecoder("utf-8")()
        fh.seek(0)
        try:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return ("utf-8-sig" if bom else "utf-8"), False
        except UnicodeDecodeError:
            pass
        fh.seek(0)
        counts = {"utf-8": 0, "cp1251": 0, None: 0}
        for line in _raw_lines(fh):
            kind = _line_kind(line)
            if kind != "ascii":
                counts[kind] += 1
    if not counts["utf-8"] and not bom:
        if counts[None]:
            raise CaseFileError(f"{path}: не удалось определить кодировку файла.", hint=_ENCODING_HINT)
        return "cp1251", False
    return ("utf-8-sig" if bom else "utf-8" if counts["utf-8"] >= counts["cp1251"] else "cp1251"), True


def _raw_lines(fh: IO[bytes]) -> Iterator[bytes]:
    """The lines of a binary file, split on ``\\r\\n``, ``\\n`` or ``\\r`` as a text file opened with
    ``newline=""`` splits them (latin-1 maps each byte to one character and back), endings kept."""
    for line in io.TextIOWrapper(fh, encoding="latin-1", newline=""):
        yield line.encode("latin-1")


def _line_kind(line: bytes) -> str | None:
    """``ascii``, ``utf-8``, ``cp1251`` (not UTF-8 but a cp1251 text) or None (neither)."""
    if line.isascii():
        return "ascii"
    for encoding in ("utf-8", "cp1251"):
        try:
            line.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


class _MixedLines:
    """The lines of a CSV file not all in one encoding, decoded one at a time for :func:`csv.reader`.

    A line in the file's encoding (or ASCII) is decoded; a line in another is handed over undecoded (latin-1: its
    delimiters and quotes still split the record as written) and sets :attr:`hit`, which :func:`_csv_records`
    reads after each record — a record that touched such a line becomes :class:`Unreadable`. Nothing is guessed:
    a cp1251 line could as well be KOI8-R or cp866, which decode to other Cyrillic letters.
    """

    def __init__(self, fh: IO[bytes], encoding: str) -> None:
        self._lines = _raw_lines(fh)
        self._encoding = encoding
        self._kind = "cp1251" if encoding == "cp1251" else "utf-8"
        self.hit = False

    def __iter__(self) -> _MixedLines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        if _line_kind(line) in ("ascii", self._kind):
            return line.decode(self._encoding)
        self.hit = True
        return line.decode("latin-1")

    def unreadable(self) -> Unreadable:
        if self._kind == "utf-8":
            return Unreadable("не в кодировке UTF-8, как остальные строки файла (видимо, вставлена из другой "
                              "программы): она не прочитана, чтобы не исказить ФИО и адреса. Наберите её заново и "
                              "сохраните таблицу как «CSV UTF-8»")
        return Unreadable("в кодировке UTF-8, а остальные строки файла — в Windows-1251: она не прочитана, чтобы не "
                          "исказить ФИО и адреса. Сохраните всю таблицу в одной кодировке — как «CSV UTF-8»")


def _csv_records(reader: Iterator[list[str]], lines: _MixedLines) -> Iterator[list[str] | Unreadable]:
    """The records of ``reader``; one that spans a line in another encoding as :class:`Unreadable`."""
    while True:
        lines.hit = False
        try:
            record = next(reader)
        except StopIteration:
            return
        yield lines.unreadable() if lines.hit else record


def detect_delimiter(sample: str) -> str:
    """The delimiter under which the header has the most known columns (then the most cells)."""
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        try:
            header = next(csv.reader(io.StringIO(sample), delimiter=delimiter), [])
        except csv.Error:
            continue
        known = sum(1 for h in header if h.strip() and column_key(h) is not None)
        score = (known, len(header))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _csv_rows(path: Path) -> Iterator[Row]:
    encoding, mixed = _file_encoding(path)
    delimiter, skip = _csv_dialect(path, encoding)
    with open(path, "rb") as raw:
        lines: Iterator[str] = _MixedLines(raw, encoding) if mixed else io.TextIOWrapper(raw, encoding, newline="")
        for _ in range(skip):
            next(lines, None)
        reader = csv.reader(lines, delimiter=delimiter)
        records = _csv_records(reader, lines) if isinstance(lines, _MixedLines) else reader
        try:
            yield from _rows_from_cells(records, path)
        except csv.Error:
            raise CaseFileError(
                f"{path}: строка файла {reader.line_num} не читается как CSV: ячейка длиннее {csv.field_size_limit()} "
                "символов — скорее всего, в ней не закрыта кавычка."
            ) from None


def _csv_dialect(path: Path, encoding: str) -> tuple[str, int]:
    """(the delimiter, how many lines to skip): Excel's ``sep=;`` first line, else detected from the header."""
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        first = fh.readline()
        m = re.match(r"^sep=(.)\s*$", first)
        if m:
            return m.group(1), 1
        sample = first
        while not sample.strip() and first:
            first = fh.readline()
            sample += first
    return detect_delimiter(sample.lstrip("\r\n")), 0


# Zip bombs (issue 15, item 9c): an XLSX is a zip of XML. Its central directory states each part's unpacked size,
# and Python's zipfile (which openpyxl reads through) never inflates a part beyond it, so the sizes can be checked
# before anything is expanded. The ratio is Apache POI's default (ZipSecureFile: minimum inflate ratio 0.01); an
# XLSX of 100 000 full rows unpacks to ~200 MB at a ratio of ~10.
XLSX_MAX_UNPACKED = 512 * 1024 * 1024
XLSX_MAX_RATIO = 100
_RATIO_FROM = 1024 * 1024  # a small part may compress better than that without harm


def _open_workbook(path: Path, *, data_only: bool = True):
    """The workbook in read-only (streaming) mode, once its zip has been checked for a bomb."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise CaseFileError(f"{path}: файл не открывается как таблица Excel (.xlsx): {type(exc).__name__}") from None
    unpacked = sum(part.file_size for part in parts)
    bomb = next((p for p in parts if p.file_size > _RATIO_FROM and p.file_size > XLSX_MAX_RATIO * p.compress_size),
                None)
    if unpacked > XLSX_MAX_UNPACKED or bomb is not None:
        why = (f"его часть {bomb.filename} сжата в {bomb.file_size // max(bomb.compress_size, 1)} раз"
               if bomb is not None else f"внутри {unpacked // 2**20} МБ данных")
        raise CaseFileError(
            f"{path}: файл не похож на таблицу Excel — {why} (допустимо не больше {XLSX_MAX_UNPACKED // 2**20} МБ "
            f"и сжатие не больше чем в {XLSX_MAX_RATIO} раз); так устроены «zip-бомбы». Файл не обработан.",
            hint="Если таблица настоящая, разделите её на несколько файлов или сохраните как CSV.",
        )
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise CaseFileError(f"{path}: файл не открывается как таблица Excel (.xlsx): {type(exc).__name__}") from None


def _xlsx_rows(path: Path) -> Iterator[Row]:
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    book = _open_workbook(path)
    try:
        sheet = book.worksheets[0]
        # The stored size (<dimension ref="A1:B2"/>) is often stale in files other programs write, and read-only
        # mode would stop there: forget it and read every row the sheet holds (issue 15, item 5).
        sheet.reset_dimensions()
        yield from _rows_from_cells((list(r) for r in sheet.iter_rows(values_only=True)), path)
    except (ParseError, zipfile.BadZipFile, zlib.error, EOFError) as exc:  # a broken sheet, or an XML entity bomb
        raise CaseFileError(f"{path}: лист таблицы не читается ({type(exc).__name__}): файл повреждён или составлен "
                            "не программой для таблиц. Файл не обработан.",
                            hint="Откройте таблицу в Excel и сохраните её заново.") from None
    finally:
        book.close()


def _expand(data: Any) -> Any:
    """A case given with dotted keys (``claimant.full_name: …``) → nested, merged with nested keys."""
    if not isinstance(data, dict) or not any("." in str(k) for k in data):
        return data
    plain = {k: v for k, v in data.items() if "." not in str(k)}
    pairs = [
        (tuple(int(p) if p.isdigit() else p for p in str(k).split(".")), v)
        for k, v in data.items()
        if "." in str(k) and v not in (None, "")
    ]
    nested = _nest(pairs)
    for key, value in nested.items():
        if isinstance(plain.get(key), dict) and isinstance(value, dict):
            plain[key] = {**plain[key], **value}
        else:
            plain.setdefault(key, value)
    return plain


def _data_rows(path: Path) -> Iterator[Row]:
    import json

    from complaint_cli import yamlio

    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CaseFileError(f"{path}: файл не в кодировке UTF-8.") from None
    try:
        if path.suffix.lower() == ".json":
            try:
                data = json.loads(text)
            except RecursionError:  # the parser recurses per level of nesting
                raise yamlio.too_deep(path) from None
            yamlio.check_shape(data, len(text), path)
        else:
            data = yamlio.load(text, source=path)
    except (ValueError, yamlio.YAMLError) as exc:
        kind = "JSON" if path.suffix.lower() == ".json" else "YAML"
        raise CaseFileError(f"{path}: файл не читается как {kind}{yamlio.error_place(exc)}. Проверьте отступы, "
                            "двоеточия и кавычки в этом месте.") from None
    if isinstance(data, dict) and isinstance(data.get("cases"), list):
        data = data["cases"]
    elif isinstance(data, dict) and _CASE_SECTIONS & set(data):
        data = [data]  # one case file given to batch: a batch of one (issue 16)
    if not isinstance(data, list):
        raise CaseFileError(f"{path}: ожидается список дел или один файл дела (разделы claimant, company, order, …), "
                            "а не одно значение.")
    for number, item in enumerate(data, 1):
        if item not in (None, {}, ""):
            yield Row(number, _expand(item))


_CASE_SECTIONS = frozenset({"claimant", "company", "seller", "order", "problem", "demands", "evidence", "submission"})


def read_rows(path: Path | str) -> Iterator[Row]:
    """Stream the data rows of a CSV, XLSX, YAML or JSON file. File-level problems are ``CaseFileError``.

    The header is read (and checked) on the first ``next()``; rows are produced one at a time, so a file of any
    length is read in constant memory (YAML and JSON are parsed whole).
    """
    path = Path(path)
    if not path.is_file():
        raise CaseFileError(f"Файл не найден: {path}")
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _xlsx_rows(path)
    if suffix in DATA_SUFFIXES:
        return _data_rows(path)
    if suffix in CSV_SUFFIXES:
        return _csv_rows(path)
    if suffix == ".xls":
        raise CaseFileError(f"{path}: старый формат Excel (.xls) не поддерживается — сохраните таблицу как .xlsx.")
    raise CaseFileError(f"{path}: неизвестный формат таблицы; поддерживаются .csv, .xlsx, .yaml, .json.")


def count_rows(path: Path | str) -> int | None:
    """The number of data rows (for a progress bar); for XLSX the sheet's stored size, which may be stale."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        book = _open_workbook(path, data_only=False)
        try:  # the stored size: a hint only (it may be stale; the rows themselves are all read)
            return max((book.worksheets[0].max_row or 1) - 1, 0)
        finally:
            book.close()
    return sum(1 for _ in read_rows(path))


# --------------------------------------------------------------------------- writing tables for people


# What makes a spreadsheet read a cell as a formula (OWASP, «CSV Injection»): = + - @, and tab and carriage return.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse_cell(value: Any) -> Any:
    """A cell for a table people open in Excel: text starting like a formula gets a leading ``'`` (as OWASP
    recommends), so ``=HYPERLINK(…)`` from a row's name or order number is shown, never run. Numbers are left
    alone: the tool writes them itself (row numbers), and a number cannot hold a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class TableWriter:
    """A CSV table in Excel's Russian dialect (UTF-8 with BOM, ``;``), streamed into a temporary file and moved
    into place by :meth:`commit` — so a kill never leaves half a table (mode 0600: it may hold personal data).

    Every text cell goes through :func:`defuse_cell`: the cells come from the input (names, order numbers, error
    messages) and advocates open the table in Excel."""

    def __init__(self, path: Path, header: list[str]) -> None:
        import os
        import tempfile

        from complaint_cli.fsutil import PRIVATE, make_dirs

        self.path = Path(path)
        make_dirs(self.path.parent)
        fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.name[:40]}.", suffix=".tmp", dir=self.path.parent)
        os.fchmod(fd, PRIVATE)
        self._fh = os.fdopen(fd, "w", encoding="utf-8-sig", newline="")
        self._csv = csv.writer(self._fh, delimiter=";", lineterminator="\r\n")
        self.row(header)

    def row(self, values: list[Any]) -> None:
        self._csv.writerow([defuse_cell(v) for v in values])

    def commit(self) -> None:
        import os

        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        import contextlib
        import os

        self._fh.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self._tmp)


# --------------------------------------------------------------------------- the template


def write_template(path: Path | str, *, force: bool = False) -> Path:
    """An empty table with every column, Russian header notes and one example row (CSV or XLSX, by suffix).

    CSV is written in UTF-8 with BOM and ``;`` as the delimiter: what Russian Excel opens correctly.
    """
    from complaint_cli.errors import OutputExists, UsageError
    from complaint_cli.fsutil import atomic_write_bytes

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise UsageError(f"--template: укажите файл .csv или .xlsx, а не «{path.name}».")
    if path.exists() and not force:
        raise OutputExists(f"Файл уже существует: {path}. Чтобы перезаписать, добавьте --force.")
    columns = template_columns()
    headers = [template_header(c) for c in columns]
    example = [EXAMPLE.get(c, "") for c in columns]
    if suffix == ".csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerow(example)
        data = out.getvalue().encode("utf-8-sig")
    else:
        data = _xlsx_template(columns, headers, example)
    return atomic_write_bytes(path, data, mode=0o644)


def _xlsx_template(columns: list[str], headers: list[str], example: list[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    from complaint_cli.model import CHANNEL_LABELS, DEMAND_LABELS, PROBLEM_LABELS, ItemIssue
    from complaint_cli.validation import REQUIRED_FIELDS

    issues = {i.value: PROBLEM_LABELS[i.value] for i in ItemIssue}
    choices = {"problem.kind": PROBLEM_LABELS, "problem.also": PROBLEM_LABELS, "demands.#.kind": DEMAND_LABELS,
               "submission.channel": CHANNEL_LABELS, "order.items.#.issue": issues}
    book = Workbook()
    sheet = book.active
    sheet.title = "Дела"
    sheet.append(headers)
    sheet.append(example)
    for i, key in enumerate(columns, 1):
        cell = sheet.cell(row=1, column=i)
        cell.font = Font(bold=True)
        note = [REQUIRED_FIELDS[key].capitalize()] if key in REQUIRED_FIELDS else []
        labels = choices.get(pattern_of(key))
        if labels:
            note.append("Значения: " + "; ".join(f"{k} — {v}" for k, v in labels.items()))
        if schema()[pattern_of(key)] == "date":
            note.append("Дата: ДД.ММ.ГГГГ или ГГГГ-ММ-ДД")
        if pattern_of(key) in HINTS:
            note.append(HINTS[pattern_of(key)])
        if note:
            cell.comment = Comment("\n".join(note), "complaint")
        sheet.cell(row=2, column=i).number_format = "@"  # keep 02.11.2026 and R-001 as typed
        sheet.column_dimensions[cell.column_letter].width = max(14, min(40, len(headers[i - 1]) + 2))
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
