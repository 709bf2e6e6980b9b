"""The fiscal receipt (кассовый чек): its QR code read from a photo, a scan, a PDF page, or its text (issue 18).

Every Russian fiscal receipt carries a QR code whose text is
``t=20261102T1915&s=3480.00&fn=7380440700076549&i=41521&fp=2123456789&n=1``: ``t`` the date and time of the
operation, ``s`` its sum in roubles, ``fn`` the number of the fiscal drive (ФН, 16 digits), ``i`` the number of the
fiscal document (ФД), ``fp`` its fiscal sign (ФП/ФПД, up to 10 digits), ``n`` the kind of operation (признак расчёта:
1 приход, 2 возврат прихода, 3 расход, 4 возврат расхода). These are the keys ФНС's receipt check (proverkacheka.nalog.ru)
reads; the formats of fiscal documents are set by приказ ФНС России от 14.09.2020 № ЕД-7-20/662@ (its QR table was
not checked line by line: the rules below follow the codes printed on real receipts, and tolerate their variants).

Three steps, kept apart so that every input behaves the same:

* :func:`parse_qr` — the text (pasted, read from a code, or in a case file's ``order.receipt.qr``) → :class:`ReceiptQR`;
* :func:`decode_file` / :func:`read_source` — a photo (JPEG, PNG, HEIC…) or a PDF → the QR texts in it (zxing-cpp;
  PDF pages rendered with pypdfium2); heavy libraries are imported only here, when a file is actually read;
* :func:`merge_receipt` — called by :func:`complaint_cli.validation.check_case` (the one validation path): the
  receipt's details go to ``order.receipt``; the order's date, time and sum are filled from it when the case has
  none, and a case that already has others keeps them with a warning naming both (a receipt for the full payment is
  often dated the day of delivery, and goods and delivery are often paid by separate receipts).

Reading a file happens where files are given: the wizard's question, ``complaint new --receipt``, and a batch row
naming ``order.receipt.file`` (:func:`prepare_data`, through ``validate_data(..., receipt_folder=…)``); what is read is
kept as ``order.receipt.qr``, so a case file never needs its photo again.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import stat
import warnings
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from complaint_cli.errors import ComplaintError, Problem

OPERATIONS: dict[int, str] = {1: "приход", 2: "возврат прихода", 3: "расход", 4: "возврат расхода"}
KEY_NAMES: dict[str, str] = {"t": "дата и время (t)", "s": "сумма (s)", "fn": "номер ФН (fn)", "i": "номер ФД (i)",
                             "fp": "ФП (fp)", "n": "признак расчёта (n)"}
REQUIRED_KEYS = ("t", "s", "fn", "i", "fp")
MAX_FILE_BYTES = 50 * 1024 * 1024  # as for evidence files: a phone photo or a scanned PDF fits
PDF_PAGES = 3  # a receipt's QR code is on its first pages; an e-mailed receipt is one page
PDF_SCALE = 200 / 72  # render PDF pages at 200 dpi: a printed 20-mm code gets ~150 px
PDF_MAX_PIXELS = 40_000_000  # pixels drawn of one PDF page at most: an A4 page at 200 dpi is under 4 million
FIRST_PASS = 2000  # px, the long side of a photo for the first, fast look (a 12-MP photo is 4000 px wide)
SUFFIXES = "JPEG, PNG, HEIC, WEBP, TIFF, BMP или PDF"

NOT_A_RECEIPT = ("это не текст QR-кода кассового чека: ожидается вида "
                 "t=20261102T1915&s=3480.00&fn=7380440700076549&i=41521&fp=2123456789&n=1")
NO_CODE = ("QR-код кассового чека в файле не найден (снимок размыт или снят издалека, код обрезан или его нет). "
           "Файл будет приложен к претензии как копия чека, а дату, время и сумму заказа введите сами. Можно "
           "сфотографировать код ближе и ровнее или ввести текст QR-кода из электронного чека "
           "(t=…&s=…&fn=…&i=…&fp=…&n=1)")
OTHER_CODE = ("в файле есть QR-код, но не кассового чека (в нём нет t=…&s=…&fn=…). Файл будет приложен к претензии "
              "как копия чека, а дату, время и сумму заказа введите сами")


class ReceiptError(ComplaintError):
    """A receipt that cannot be read at all: no such file, not an image or a PDF, or a QR text that is not a receipt's."""


class ReceiptOutside(ReceiptError):
    """A batch row's receipt file outside the table's folder: refused, never read."""


@dataclass(frozen=True)
class ReceiptQR:
    """The fiscal QR code of one receipt, checked and normalised."""

    text: str  # as read, without whitespace: what ``order.receipt.qr`` keeps
    date: dt.date
    time: str  # ЧЧ:ММ (seconds, when printed, are dropped: the claim names minutes)
    amount: Decimal
    fn: str
    fd: str
    fp: str
    operation: int | None  # None: an old receipt without ``n`` — taken as a purchase (приход)

    @property
    def purchase(self) -> bool:
        return self.operation in (None, 1)

    @property
    def operation_name(self) -> str:
        return OPERATIONS.get(self.operation or 1, "")

    def describe(self) -> str:
        """«02.11.2026 19:15, 3 480,00 руб. (ФН 7380440700076549, ФД 41521, ФП 2123456789)»."""
        from complaint_cli.money import format_short

        kind = "" if self.purchase else f"{self.operation_name}, "
        return (f"{kind}{self.date:%d.%m.%Y} {self.time}, {format_short(self.amount)} руб. "
                f"(ФН {self.fn}, ФД {self.fd}, ФП {self.fp})")


# --------------------------------------------------------------------------- the text of the code

_T = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2})(?::?(\d{2}))?$")
_S = re.compile(r"^(\d{1,12})(?:[.,](\d{1,2}))?$")
_SPACE = re.compile(r"\s+")


def looks_like_qr(text: str) -> bool:
    """Is ``text`` meant as a QR code's text (rather than a file name)? It has ``key=value`` pairs of a receipt."""
    flat = _unquote(_SPACE.sub("", text)).lower()
    return "=" in flat and sum(bool(re.search(rf"(?:^|[?&]){k}=", flat)) for k in ("t", "s", "fn", "i", "fp")) >= 2


def _unquote(text: str) -> str:
    for _ in range(2):  # a URL-encoded text (t%3D2026…%26s%3D…), once or twice over
        if "%" not in text:
            break
        text = unquote(text)
    return text


def parse_qr(text: str) -> ReceiptQR:
    """The QR code's text → :class:`ReceiptQR`; ValueError with a Russian message naming what is wrong.

    Tolerated, as real codes and copies of them have it: seconds in ``t`` or none, ``s`` with a comma or a dot or
    without kopecks, keys in any order and in any case, unknown keys (ignored), URL-encoding, whitespace and line
    breaks anywhere, a whole link (``https://…?t=…&s=…``).
    """
    shown = _SPACE.sub("", str(text))  # whitespace never belongs to the code: line breaks of a copy, spaces around
    flat = _unquote(shown)
    if "?" in flat:  # a link to a receipt-check site: the parameters are after «?»
        flat = flat.split("?", 1)[1]
    flat = flat.split("#", 1)[0]
    values: dict[str, str] = {}
    for part in flat.split("&"):
        key, sep, value = part.partition("=")
        key = key.lower()
        if not sep or key not in KEY_NAMES:
            continue  # unknown keys and stray text are not ours to judge
        if key in values and values[key] != value:
            raise ValueError(f"в тексте QR-кода чека {KEY_NAMES[key]} указан дважды и по-разному")
        values[key] = value
    if len(values.keys() & set(REQUIRED_KEYS)) < 2:
        raise ValueError(NOT_A_RECEIPT)
    missing = [KEY_NAMES[k] for k in REQUIRED_KEYS if not values.get(k)]
    if missing:
        raise ValueError(f"в тексте QR-кода чека нет: {', '.join(missing)}")
    m = _T.match(values["t"])
    try:
        if m is None:
            raise ValueError
        year, month, day, hour, minute = (int(g) for g in m.groups()[:5])
        when = dt.datetime(year, month, day, hour, minute, int(m.group(6) or 0))
    except ValueError:
        raise ValueError("в QR-коде чека неверные дата и время (t): ожидается ГГГГММДДTЧЧММ, например "
                         "20261102T1915") from None
    s = _S.match(values["s"])
    if s is None:
        raise ValueError("в QR-коде чека неверная сумма (s): ожидается рубли и копейки, например 3480.00")
    amount = Decimal(f"{s.group(1)}.{(s.group(2) or '0').ljust(2, '0')}")
    fn, fd, fp = values["fn"], values["i"], values["fp"]
    if not re.fullmatch(r"\d{16}", fn):
        raise ValueError("в QR-коде чека неверный номер ФН (fn): нужно 16 цифр")
    if not re.fullmatch(r"\d{1,10}", fd) or int(fd) == 0:
        raise ValueError("в QR-коде чека неверный номер ФД (i): нужно число до 10 цифр")
    if not re.fullmatch(r"\d{1,10}", fp) or int(fp) > 0xFFFFFFFF:
        raise ValueError("в QR-коде чека неверный ФП (fp): нужно число до 10 цифр")
    operation = None
    if values.get("n"):
        if values["n"] not in {"1", "2", "3", "4"}:
            raise ValueError("в QR-коде чека неверный признак расчёта (n): допустимо 1 (приход), 2 (возврат прихода), "
                             "3 (расход), 4 (возврат расхода)")
        operation = int(values["n"])
    if len(shown) > 200:  # a long link around the code: what ``order.receipt.qr`` keeps is the code's own keys
        shown = "&".join(f"{k}={values[k]}" for k in KEY_NAMES if k in values)
    return ReceiptQR(shown, when.date(), f"{when:%H:%M}", amount, fn, str(int(fd)), fp, operation)


# --------------------------------------------------------------------------- photos, scans and PDF pages


def resolve_file(value: str, base: Path | None = None, *, root: Path | None = None) -> Path:
    """The receipt file ``value`` names (relative to ``base``), checked: an existing regular file within the size
    limit and, with ``root`` (a batch's input folder), inside it. ReceiptError otherwise."""
    text = str(value).strip()
    if "\x00" in text:  # no file system takes it (os.stat raises ValueError)
        raise ReceiptError("в пути к файлу чека недопустимый символ (нулевой байт)")
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":  # a file dragged into a terminal comes quoted
        text = text[1:-1]
    elif "\\ " in text and not os.path.exists(text):  # … or with its spaces escaped
        text = text.replace("\\ ", " ")
    path = Path(os.path.expanduser(text))
    if not path.is_absolute() and base is not None:
        path = Path(base) / path
    path = Path(os.path.abspath(path))
    if root is not None:
        real, top = os.path.realpath(path), os.path.realpath(root)
        if real != top and not real.startswith(top.rstrip(os.sep) + os.sep):
            raise ReceiptOutside("файл чека должен лежать в папке таблицы (или в её подпапках)")
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ReceiptError(f"файл чека не найден: {path}") from None
    except OSError as exc:
        raise ReceiptError(f"файл чека не прочитать: {path} ({exc.strerror or type(exc).__name__})") from None
    if not stat.S_ISREG(info.st_mode):
        raise ReceiptError(f"это не файл: {path}")
    if info.st_size > MAX_FILE_BYTES:
        raise ReceiptError(f"файл чека больше {MAX_FILE_BYTES // 2**20} МБ: {path}")
    return path


def decode_file(path: Path) -> list[str]:
    """The texts of the QR codes in a photo, a scan or the first pages of a PDF (empty: none found)."""
    path = Path(path)
    info = path.stat()
    return list(_decode_cached(str(path), info.st_size, info.st_mtime_ns))


@functools.lru_cache(maxsize=16)
def _decode_cached(path: str, size: int, mtime: int) -> tuple[str, ...]:
    """Decoded once per file version: the wizard validates an answer before it stores it."""
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(b"%PDF"):
        return tuple(_pdf_codes(path))
    return tuple(_photo_codes(path))


def _photo_codes(path: str) -> list[str]:
    from PIL import Image, UnidentifiedImageError

    _heif()
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: any picture that large is refused here
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return _image_codes_of(path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        limit = (Image.MAX_IMAGE_PIXELS or 0) // 1_000_000
        raise ReceiptError(f"изображение чека слишком большое (больше {limit} мегапикселей): {path}") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ReceiptError(f"файл чека не открывается как изображение или PDF (подойдут {SUFFIXES}): "
                           f"{path}") from None


def _image_codes_of(path: str) -> list[str]:
    """The QR codes of a picture: first at most FIRST_PASS pixels a side (grey, decoded small from a JPEG), then —
    when none is found there — at full resolution."""
    from PIL import Image

    with Image.open(path) as img:
        side = max(img.size)
        if img.format == "JPEG":  # grey straight from the JPEG data, at 1/2, 1/4… of the size: the decoding is
            wanted = (img.width * FIRST_PASS // side, img.height * FIRST_PASS // side)  # most of the time spent
            img.draft("L", wanted if side > FIRST_PASS else img.size)
        first = img.convert("L")
    codes = _codes(first)
    if not codes and max(first.size) < side:  # a small code far away: look again at full resolution
        with Image.open(path) as img:
            if img.format == "JPEG":
                img.draft("L", img.size)
            codes = _codes(img.convert("L"))
    return codes


def _heif() -> None:
    """Phones save photos as HEIC: let Pillow open them (pillow-heif), when it is installed."""
    try:
        from pillow_heif import register_heif_opener
    except ImportError:  # pragma: no cover - an optional format
        return
    register_heif_opener()


def _pdf_codes(path: str) -> list[str]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(path)
    except pdfium.PdfiumError:
        raise ReceiptError(f"PDF-файл чека не открывается (повреждён или защищён паролем): {path}") from None
    try:
        for index in range(min(len(pdf), PDF_PAGES)):
            page = pdf[index]
            try:
                # A page may be 200 inches wide: at most PDF_MAX_PIXELS are drawn (a receipt's code stays readable;
                # a hostile page would otherwise take gigabytes).
                width, height = page.get_size()
                scale = min(PDF_SCALE, (PDF_MAX_PIXELS / max(1.0, width * height)) ** 0.5)
                image = page.render(scale=scale, grayscale=True).to_pil()
            finally:
                page.close()
            if codes := _codes(image):
                return codes
        return []
    finally:
        pdf.close()


def _codes(image: Any) -> list[str]:
    import zxingcpp

    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode) if r.text]


# --------------------------------------------------------------------------- a receipt as the user gives it


@dataclass(frozen=True)
class Reading:
    """What a receipt given by the user yielded: its file (None for a pasted text), its QR code, or why none."""

    file: Path | None
    qr: ReceiptQR | None
    problem: str | None = None  # a file whose code could not be read: the message (the file is still the receipt)


def read_file(path: Path) -> Reading:
    """Read the receipt's QR code from a checked file (:func:`resolve_file`); no code is a ``problem``, not an error."""
    texts = decode_file(path)
    for text in texts:
        try:
            return Reading(path, parse_qr(text))
        except ValueError:
            continue
    return Reading(path, None, OTHER_CODE if texts else NO_CODE)


def read_source(source: str, base: Path | None = None) -> Reading:
    """A receipt given as a file (relative to ``base``, default the current folder) or as its QR code's text."""
    source = str(source).strip()
    if looks_like_qr(source) and not _is_file(source):
        try:
            return Reading(None, parse_qr(source))
        except ValueError as exc:
            raise ReceiptError(str(exc)) from None
    return read_file(resolve_file(source, base))


def _is_file(text: str) -> bool:
    """Whether ``text`` names an existing file (a QR code's text may be longer than a file name can be)."""
    try:
        return Path(text).is_file()
    except (OSError, ValueError):
        return False


def receipt_data(reading: Reading) -> dict[str, str]:
    """The ``order.receipt`` section a reading gives: the file (absolute) and the QR text."""
    out: dict[str, str] = {}
    if reading.file is not None:
        out["file"] = str(reading.file)
    if reading.qr is not None:
        out["qr"] = reading.qr.text
    return out


def fill_order(data: dict, qr: ReceiptQR, *, replace: bool = False) -> list[str]:
    """Put the receipt's date, time and sum into raw case data where they are empty (``replace``: also where they
    differ); returns the paths filled. A refund or an expense receipt fills nothing."""
    if not qr.purchase:
        return []
    order = data.setdefault("order", {})
    if not isinstance(order, dict):
        return []
    wanted = {"date": qr.date.strftime("%d.%m.%Y"), "time": qr.time, "amount": f"{qr.amount:.2f}"}
    same_day = _same(order.get("date"), qr.date, _date)
    filled = []
    for key, value in wanted.items():
        empty = order.get(key) in (None, "")
        if key == "time" and not same_day and not replace:
            continue  # the receipt's time on another day than the order's is not the order's time
        if empty or replace:
            order[key] = value
            filled.append(f"order.{key}")
    return filled


def conflicts(data: dict) -> list[tuple[str, str, str]]:
    """Where raw case data disagrees with its receipt's QR code: (path, the answer, the receipt) as the user reads
    them; empty when there is no readable purchase receipt."""
    from complaint_cli.money import format_short

    qr = qr_of(data)
    order = data.get("order") if isinstance(data, dict) else None
    if qr is None or not qr.purchase or not isinstance(order, dict):
        return []
    out = []
    date = _date(order.get("date"))
    if date is not None and date != qr.date:
        out.append(("order.date", f"{date:%d.%m.%Y}", f"{qr.date:%d.%m.%Y}"))
    time = _time(order.get("time"))
    if time is not None and time != qr.time and (date is None or date == qr.date):
        out.append(("order.time", time, qr.time))
    amount = _money(order.get("amount"))
    if amount is not None and amount != qr.amount:
        out.append(("order.amount", f"{format_short(amount)} руб.", f"{format_short(qr.amount)} руб."))
    return out


def qr_of(data: Any) -> ReceiptQR | None:
    """The parsed ``order.receipt.qr`` of raw case data, or None (absent or unreadable)."""
    order = data.get("order") if isinstance(data, dict) else None
    receipt = order.get("receipt") if isinstance(order, dict) else None
    text = receipt.get("qr") if isinstance(receipt, dict) else None
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return parse_qr(text)
    except ValueError:
        return None


def _same(value: Any, target: Any, parse) -> bool:
    parsed = parse(value)
    return parsed is None or parsed == target


def _date(value: Any) -> dt.date | None:
    from complaint_cli.fields import parse_date

    try:
        return parse_date(value)
    except ValueError:
        return None


def _time(value: Any) -> str | None:
    from complaint_cli.fields import parse_time

    try:
        return parse_time(value)
    except ValueError:
        return None


def _money(value: Any) -> Decimal | None:
    from complaint_cli.fields import parse_money

    try:
        return parse_money(value)
    except (ValueError, InvalidOperation):
        return None


# --------------------------------------------------------------------------- the one validation path


def prepare_data(data: Any, folder: Path) -> tuple[Any, list[Problem], list[str]]:
    """A batch row naming ``order.receipt.file`` (under ``folder``, the table's folder) and no ``order.receipt.qr``:
    the file's QR text put into a copy of the row. Returns (data, errors, warnings); a row without a receipt file is
    returned as it is, nothing read (batches stay fast)."""
    order = data.get("order") if isinstance(data, dict) else None
    receipt = order.get("receipt") if isinstance(order, dict) else None
    if not isinstance(receipt, dict) or receipt.get("qr") or not isinstance(receipt.get("file"), str):
        return data, [], []
    if not receipt["file"].strip():
        return data, [], []
    try:
        reading = read_file(resolve_file(receipt["file"], folder, root=folder))
    except ReceiptOutside as exc:  # a row may not read files outside the table's folder: its error
        return data, [Problem("order.receipt.file", exc.message)], []
    except ReceiptError as exc:  # a file that cannot be read or holds no code: the cells may still do
        message = exc.message.split(": /", 1)[0]  # no absolute path (a home folder's name) in a row's report
        return data, [], [f"order.receipt.file: {message}; дата, время и сумма из чека не подставлены"]
    if reading.qr is None:
        return data, [], [f"order.receipt.file: {reading.problem}"]
    copy = {**data, "order": {**order, "receipt": {**receipt, "qr": reading.qr.text}}}
    return copy, [], []


def merge_receipt(case: Any, errors: list[Problem], warnings: list[str]) -> None:
    """The receipt's QR code into a validated ``Case``: its fiscal details into ``order.receipt``, the order's date,
    time and sum where the case has none; where the case has others they stay, with a warning naming both."""
    from complaint_cli.money import format_short

    receipt, order = case.order.receipt, case.order
    if receipt is None or not receipt.qr:
        return
    try:
        qr = parse_qr(receipt.qr)
    except ValueError as exc:
        errors.append(Problem("order.receipt.qr", str(exc)))
        return
    for key, value in (("fn", qr.fn), ("fd", qr.fd), ("fp", qr.fp), ("operation", qr.operation)):
        have = getattr(receipt, key)
        if have is None or have == "":
            if value is not None:
                setattr(receipt, key, value)
        elif str(have) != str(value):
            warnings.append(f"order.receipt.{key}: в деле {have}, а в QR-коде чека {value} — проверьте, тот ли это "
                            "чек")
    if not qr.purchase:
        warnings.append(
            f"order.receipt.operation: кассовый чек — «{qr.operation_name}» ({qr.operation}), а не покупка: его дата "
            f"и сумма ({format_short(qr.amount)} руб.) не взяты как дата и сумма заказа. Для суммы заказа нужен чек "
            "с признаком «приход»; чек возврата подтверждает, что продавец оформил возврат денег")
        return
    why_date = ("чек на полную оплату часто пробивают в день доставки; в претензии останется дата из дела — "
                "проверьте её")
    if order.date is None:
        order.date = qr.date
    elif order.date != qr.date:
        warnings.append(f"order.date: указана дата заказа {order.date:%d.%m.%Y}, а в кассовом чеке — "
                        f"{qr.date:%d.%m.%Y}; {why_date}")
    if order.date == qr.date:
        if order.time is None:
            order.time = qr.time
        elif order.time != qr.time:
            warnings.append(f"order.time: указано время заказа {order.time}, а в кассовом чеке — {qr.time}; "
                            "в претензии останется время из дела")
    if order.amount is None:
        order.amount = qr.amount
    elif order.amount != qr.amount:
        warnings.append(
            f"order.amount: указана сумма заказа {format_short(order.amount)} руб., а в кассовом чеке — "
            f"{format_short(qr.amount)} руб.; в претензии останется сумма из дела. Так бывает, если за заказ выдано "
            "несколько чеков (товары — от магазина, доставка — от сервиса) — иначе проверьте сумму")
