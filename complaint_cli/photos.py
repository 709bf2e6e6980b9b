"""When an evidence photo was taken: its EXIF capture time, and what to tell the user about it (issue 18).

A phone writes the capture time into the photo (EXIF ``DateTimeOriginal``; ``DateTimeDigitized`` and the file's
``DateTime`` are the fall-backs, in that order). It is the camera's local time as the phone showed it: no time zone
is applied or printed (``OffsetTimeOriginal``, when present, is ignored — the letter states the time as the consumer
saw it). The time is read from the file's header only: Pillow's :func:`PIL.Image.open` is lazy and decodes no
pixels, so a 12-megapixel photo costs well under a millisecond. HEIC/HEIF (iPhone) and AVIF go through
``pillow-heif``, registered the first time such a file is met.

What the file proves wins over what the consumer typed (``evidence[].taken_on``/``taken_at``): the letter states the
EXIF time, and a difference is a warning. A photo with no capture time, or one taken after the claim or before the
order, is a warning too (weaker evidence, or probably the wrong file) — never an error.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from typing import IO, Any

# EXIF tags (EXIF 2.32, CIPA DC-008): the first one that holds a valid time wins.
EXIF_IFD = 0x8769
TAGS = (("DateTimeOriginal", 0x9003, True), ("DateTimeDigitized", 0x9004, True), ("DateTime", 0x0132, False))
_EXIF_TIME = re.compile(r"\s*(\d{4})[:\-.](\d{2})[:\-.](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?")

# Formats a camera writes: such an image is a photo even if its description does not say so. A PNG, GIF or BMP is
# usually a screenshot or a drawing — a photo only when its description calls it one.
CAMERA_TYPES = frozenset({"image/jpeg", "image/heic", "image/heif", "image/avif", "image/tiff", "image/x-canon-cr2",
                          "image/webp"})
HEIF_TYPES = frozenset({"image/heic", "image/heif", "image/avif"})
_PHOTO_WORDS = ("фото", "снимок", "photo")
_SCREEN_WORDS = ("скриншот", "снимок экрана", "скрин", "screenshot")

_heif_ready = False


@dataclass(frozen=True)
class CaptureTime:
    """A photo's capture time as the camera recorded it (local time, minutes), and the EXIF tag it came from."""

    on: dt.date
    at: str  # «ЧЧ:ММ», the case file's time format
    tag: str

    def text(self) -> str:
        return f"{self.on.day:02d}.{self.on.month:02d}.{self.on.year} в {self.at}"


def is_photo(mime: str | None, description: str | None) -> bool:
    """A photograph (its capture time matters), not a screenshot, a scan of a document or a recording."""
    if not mime or not mime.startswith("image/"):
        return False
    words = (description or "").casefold()
    if any(w in words for w in _SCREEN_WORDS):
        return False
    return mime in CAMERA_TYPES or any(w in words for w in _PHOTO_WORDS)


def parse_exif_time(value: Any) -> tuple[dt.date, str] | None:
    """``"2026:11:02 22:47:13"`` → ``(date(2026, 11, 2), "22:47")``; None for a blank or impossible value."""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    if not isinstance(value, str):
        return None
    m = _EXIF_TIME.match(value.strip("\x00"))
    if not m:
        return None
    year, month, day, hour, minute = (int(g) for g in m.groups()[:5])
    try:
        day_ = dt.date(year, month, day)
    except ValueError:
        return None  # «0000:00:00 00:00:00»: a camera with no clock set
    if hour > 23 or minute > 59 or year < 1990:
        return None
    return day_, f"{hour:02d}:{minute:02d}"


def capture_time(source: str | os.PathLike[str] | IO[bytes], mime: str | None = None) -> CaptureTime | None:
    """The photo's EXIF capture time, or None (no EXIF, no time in it, or a file Pillow cannot parse).

    ``source``: a path or a binary file object positioned at the start. ``mime``: what the content was recognised as
    (``filetype``); HEIF/AVIF need pillow-heif, registered here on first use.
    """
    from PIL import Image, UnidentifiedImageError

    if mime in HEIF_TYPES:
        _register_heif()
    try:
        with Image.open(source) as image:  # header only: no pixel is decoded
            exif = image.getexif()
            sub = exif.get_ifd(EXIF_IFD) if exif else {}
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, TypeError, KeyError,
            IndexError, Image.DecompressionBombError):
        return None  # not an image Pillow reads (or a broken one): the file is still evidence, without a time
    for name, tag, in_sub in TAGS:
        parsed = parse_exif_time((sub if in_sub else exif).get(tag))
        if parsed is not None:
            return CaptureTime(parsed[0], parsed[1], name)
    return None


def _register_heif() -> None:
    global _heif_ready
    if not _heif_ready:
        try:
            from pillow_heif import register_heif_opener
        except ImportError:  # pragma: no cover - a dependency in pyproject.toml; without it HEIC has no time
            return
        register_heif_opener()
        _heif_ready = True


def _stated(on: dt.date | None, at: str | None) -> str:
    return f"{on.day:02d}.{on.month:02d}.{on.year}" + (f" в {at}" if at else "") if on else ""


def taken_text(on: dt.date | None, at: str | None) -> str:
    """The attachment line's aside: «снято 02.11.2026 в 22:47» (impersonal: agrees with «фото» and «фотографии»)."""
    return f"снято {_stated(on, at)}" if on else ""


def file_notes(field: str, shown: str, taken: CaptureTime | None, stated_on: dt.date | None,
               stated_at: str | None) -> list[str]:
    """Warnings about one photo file: no capture time in it, or a capture time that differs from the stated one."""
    if taken is None:
        also = (f" В письме указана дата из дела ({_stated(stated_on, stated_at)})." if stated_on else
                " Если помните, когда сделан снимок, укажите это в деле: taken_on (ДД.ММ.ГГГГ) и taken_at (ЧЧ:ММ).")
        return [f"{field}: у фотографии {shown} нет даты съёмки в данных файла (EXIF) — такое доказательство "
                "слабее; по возможности приложите исходный снимок с телефона (не пересланный через мессенджер, "
                f"который стирает эти данные).{also}"]
    if stated_on is None:
        return []
    same_day = stated_on == taken.on
    if same_day and (stated_at is None or stated_at == taken.at):
        return []
    return [f"{field}: по данным файла {shown} снимок сделан {taken.text()}, а в деле указано "
            f"{_stated(stated_on, stated_at)} — в письме указано время из файла. Проверьте, тот ли это файл и верно ли "
            "были установлены часы телефона; если файл верный, исправьте или удалите taken_on/taken_at."]


def range_notes(field: str, what: str, on: dt.date, order_on: dt.date | None, claim_on: dt.date | None) -> list[str]:
    """A capture date after the claim or before the order: probably another photo than the one meant.

    ``what`` leads up to the date: «по данным файла «фото.jpg» снимок сделан».
    """
    shown = _stated(on, None)
    if claim_on is not None and on > claim_on:
        limit = f"позже даты претензии ({_stated(claim_on, None)})"
    elif order_on is not None and on < order_on:
        limit = f"раньше даты заказа ({_stated(order_on, None)})"
    else:
        return []
    return [f"{field}: {what} {shown} — {limit}. Вероятно, это не тот файл или ошибка в дате; проверьте."]
