"""Evidence files: checked to exist, copied next to the documents, named as the claim's Приложения name them.

``evidence[].file`` in a case file is a path relative to the case file's folder (or absolute). Before anything is
rendered every named file is checked (:func:`evidence_files`): a missing one is an :class:`InvalidCase` problem at
``evidence.N.file``, the same shape as every other validation error. The files are then copied into the output
folder's «Приложения» subfolder under safe, unique names (:func:`copy_evidence`), and the case handed to the template
carries those names (:func:`with_attachment_names`), so «Приложения: … (файл фото_1.jpg)» in the letter names exactly
the file that sits in the folder and goes into the e-mail. The receipt's file (``order.receipt.file``, issue 18) is
one of these files: checked, copied and attached like the evidence, at ``order.receipt.file``.

A photo's capture time is read from its EXIF header when asked for (:attr:`EvidenceFile.taken`, see
:mod:`complaint_cli.photos`): the case handed to the template states it (:func:`with_capture_times`), and
:func:`photo_warnings` says when a photo has none, or one that does not fit the case.

Evidence leaves the machine (it is attached to the e-mail to the company), and a case file may come from someone
else, so a file is taken only when it is what evidence is: a regular file (no device, channel or folder, whatever
a link points at), outside hidden folders (``~/.ssh``, ``~/.config``) and system folders (``/proc``, ``/etc``), within
the size limits (:data:`MAX_FILE_BYTES`, :data:`MAX_TOTAL_BYTES`), and by its content an image, a PDF, an office
document, plain text, audio or video — recognised by magic bytes (the ``filetype`` library), not by the name: a
«photo.jpg» that is a private key is refused. A batch row may name only files under its input file's folder
(``root``). Every file is checked before any is copied or attached; a refused one is an :class:`InvalidCase`
problem at ``evidence.N.file`` and nothing is written.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from complaint_cli.errors import InvalidCase, Problem
from complaint_cli.fsutil import atomic_write_bytes, inside, safe_name
from complaint_cli.model import Case

EVIDENCE_FOLDER = "Приложения"
_MAX_STEM = 80  # bytes of UTF-8: Cyrillic names stay readable, the whole path stays far below file-system limits

# What evidence may be. Sizes: a phone video of a delivery fits; mail servers take 20–25 MB a message anyway.
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TOTAL_BYTES = 100 * 1024 * 1024
MEDIA_TYPES = ("image/", "audio/", "video/")  # MIME prefixes, as the filetype library names what it recognises
DOCUMENT_TYPES = frozenset({
    "application/pdf",
    "application/rtf",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.oasis.opendocument.text",
    "application/vnd.oasis.opendocument.spreadsheet",
})
TEXT_SUFFIXES = frozenset({"txt", "text", "csv", "log", "md", "eml", "htm", "html"})  # plain text only by these names
SYSTEM_FOLDERS = ("/proc", "/sys", "/dev", "/run", "/etc", "/boot", "/usr", "/bin", "/sbin", "/lib", "/lib32",
                  "/lib64", "/libx32", "/var/run", "/var/lib", "/var/log", "/private/etc")
KINDS_TEXT = ("изображение, PDF, документ (docx, xlsx, odt, ods, doc, xls, rtf), текст (txt, csv, eml, html), "
              "аудио- или видеозапись")
_HEAD = 8192  # what the filetype library reads
_PRIVATE_KEY = re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----")
_BINARY = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # category Cc but tab, line feeds and page breaks
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)  # a channel never blocks us


RECEIPT_FIELD = "order.receipt.file"


@dataclass(frozen=True)
class EvidenceFile:
    """One evidence file of a case: where it is, and the name it gets in «Приложения».

    ``index`` is the item's place in ``evidence``; None for the receipt's file (``order.receipt.file``). ``mime``: what
    the content was recognised as (None for plain text).
    """

    index: int | None
    description: str | None
    source: Path
    name: str
    mime: str | None = None

    @property
    def field(self) -> str:
        return RECEIPT_FIELD if self.index is None else f"evidence.{self.index}.file"

    @property
    def photo(self) -> bool:
        from complaint_cli.photos import is_photo

        return self.index is not None and is_photo(self.mime, self.description)

    @cached_property
    def taken(self):  # -> photos.CaptureTime | None; read once, from the header only
        """The photo's EXIF capture time (None: not a photo, no time in it, or the file cannot be read now)."""
        if not self.photo:
            return None
        from complaint_cli.photos import capture_time

        try:
            fd = os.open(self.source, _READ_FLAGS)
        except OSError:
            return None
        with os.fdopen(fd, "rb") as stream:
            return capture_time(stream, self.mime)

    def as_dict(self) -> dict[str, str | int | None]:
        return {"index": self.index, "description": self.description, "source": str(self.source), "name": self.name}


def attachment_name(filename: str) -> str:
    """A safe file name that keeps the extension: ``«фото заказа».JPG`` → ``фото_заказа.jpg``."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot or not stem or not suffix.isalnum() or len(suffix) > 10:
        stem, suffix = base, ""
    name = safe_name(stem, max_len=_MAX_STEM, fallback="файл")
    return f"{name}.{suffix.lower()}" if suffix else name


def _unique(name: str, used: set[str]) -> str:
    if name.casefold() not in used:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    n = 2
    while True:
        candidate = f"{stem}_{n}" + (f".{suffix}" if suffix else "")
        if candidate.casefold() not in used:
            return candidate
        n += 1


def evidence_files(case: Case, case_dir: Path, *, root: Path | None = None) -> list[EvidenceFile]:
    """The case's evidence files resolved against ``case_dir``, every one checked (see the module docstring).

    Raises :class:`InvalidCase` naming every refused file at once (``evidence.N.file``). ``root``: the folder the
    files must lie in (a batch's input folder). Entries without ``file`` (a paper receipt, a description only) are
    skipped: they are listed in Приложения by their description alone.
    """
    found, problems = check_evidence(case, case_dir, root=root)
    if problems:
        lines = "\n".join(f"  • {p.field}: {p.message}" for p in problems)
        raise InvalidCase(problems, message=f"Файлы доказательств нельзя приложить:\n{lines}")
    return found


def check_evidence(case: Case, case_dir: Path, *, root: Path | None = None,
                   missing_ok: bool = False) -> tuple[list[EvidenceFile], list[Problem]]:
    """:func:`evidence_files` without raising: the good files and the problems.

    ``missing_ok``: a file that does not exist is no problem (a batch copies no evidence: it only must not name a
    file it should not, since the case file it writes is later rendered and e-mailed with its evidence).
    """
    base = Path(os.path.abspath(case_dir))
    problems: list[Problem] = []
    found: list[EvidenceFile] = []
    used: set[str] = set()
    total = 0
    receipt = case.order.receipt
    named: list[tuple[int | None, str | None, str]] = [(None, None, receipt.file)] if receipt and receipt.file else []
    named += [(i, item.description, item.file) for i, item in enumerate(case.evidence) if item.file]
    for i, description, written in named:
        field = RECEIPT_FIELD if i is None else f"evidence.{i}.file"
        source, size, why, mime = _check_file(written, base, root)
        if isinstance(why, _Missing) and missing_ok:
            continue
        if why is not None:
            problems.append(Problem(field, str(why)))
            continue
        assert source is not None
        total += size
        name = _unique(attachment_name(source.name), used)
        used.add(name.casefold())
        found.append(EvidenceFile(i, description, source, name, mime))
    if total > MAX_TOTAL_BYTES:
        problems.append(Problem("evidence", f"все файлы доказательств вместе весят {_mb(total)} — больше предела "
                                            f"{_mb(MAX_TOTAL_BYTES)} на дело. Уменьшите фотографии и видео или "
                                            "приложите часть файлов отдельно."))
    return found, problems


def _check_file(written: str, base: Path, root: Path | None) -> tuple[Path | None, int, str | None, str | None]:
    """``(real path, size, None, MIME type)`` for an acceptable evidence file, else ``(None, 0, why, None)`` in
    Russian (the type is None for plain text)."""
    shown = f"«{written}»"
    lexical = os.path.normpath(os.path.join(base, os.path.expanduser(written)))
    why = _place_problem(lexical, shown)
    if why:
        return None, 0, why, None
    if root is not None and not _under(lexical, os.path.abspath(root)):
        return None, 0, _outside(shown, root), None
    if not os.path.exists(lexical):
        return None, 0, _Missing(f"файл {shown} не найден (путь считается от папки файла дела: {base}). Проверьте "
                                 "имя файла или удалите поле file у этого доказательства."), None
    real = os.path.realpath(lexical)
    why = _place_problem(real, f"{shown} (ссылка на «{real}»)") if real != lexical else None
    if why:
        return None, 0, why, None
    if root is not None and not _under(real, os.path.realpath(root)):
        return None, 0, _outside(shown, root), None
    try:
        info = os.stat(real)
    except OSError as exc:
        return None, 0, f"файл {shown} не удалось прочитать: {exc.strerror}.", None
    if not stat.S_ISREG(info.st_mode):
        return None, 0, f"{shown} — не файл (папка, устройство или канал); укажите файл с доказательством.", None
    why = _size_problem(info.st_size, shown)
    if why:
        return None, 0, why, None
    try:
        fd = _open_same(real, info)
        try:
            head = os.pread(fd, _HEAD, 0)
            why = _content_problem(head, lambda: _read_all(fd, info.st_size), real, shown)
        finally:
            os.close(fd)
    except OSError as exc:
        return None, 0, f"файл {shown} не удалось прочитать: {exc.strerror}.", None
    return (None, 0, why, None) if why else (Path(real), info.st_size, None, _mime(head))


class _Missing(str):
    """The «not found» message: the one problem a batch tolerates (``missing_ok``)."""


def _under(path: str, folder: str) -> bool:
    return os.path.commonpath([folder, path]) == folder


def _outside(shown: str, root: Path) -> str:
    return (f"файл {shown} лежит вне папки входного файла ({root}): в пакетной обработке доказательства берутся "
            "только из этой папки и её подпапок. Скопируйте файл туда.")


def _place_problem(path: str, shown: str) -> str | None:
    """Hidden and system paths: where keys, settings and the system's own files live, never evidence."""
    parts = Path(path).parts
    if any(part.startswith(".") for part in parts):
        return (f"{shown} — в скрытой папке или скрытый файл (имя начинается с точки, как ~/.ssh или ~/.config): там "
                "хранятся ключи и настройки, а не доказательства, и такие файлы не прикладываются. Скопируйте "
                "доказательство в папку дела.")
    if any(path == folder or path.startswith(folder + "/") for folder in SYSTEM_FOLDERS):
        return (f"{shown} — системный путь ({', '.join(SYSTEM_FOLDERS[:5])} …): такие файлы не прикладываются. "
                "Скопируйте доказательство в папку дела.")
    return None


def _size_problem(size: int, shown: str) -> str | None:
    if size == 0:
        return f"файл {shown} пуст: приложите файл с доказательством."
    if size > MAX_FILE_BYTES:
        return (f"файл {shown} весит {_mb(size)} — больше предела {_mb(MAX_FILE_BYTES)} на файл. Уменьшите его "
                "(сожмите видео, уменьшите фото) или передайте компании другим способом.")
    return None


def _mime(head: bytes) -> str | None:
    import filetype

    found = filetype.guess(head) if head else None
    return found.mime if found is not None else None


def _content_problem(head: bytes, whole, path: str, shown: str) -> str | None:
    """What the content is, by magic bytes; plain text only under a text name, decodable and without controls."""
    import filetype

    kinds = f"Доказательством может быть {KINDS_TEXT}; тип определяется по содержимому, а не по имени."
    found = filetype.guess(head) if head else None
    if found is not None:
        if found.mime.startswith(MEDIA_TYPES) or found.mime in DOCUMENT_TYPES:
            return None
        return f"файл {shown} по содержимому — {found.mime} ({found.extension}), а не доказательство. {kinds}"
    suffix = path.rpartition(".")[2].lower() if "." in os.path.basename(path) else ""
    if suffix not in TEXT_SUFFIXES:
        return f"содержимое файла {shown} не распознано как доказательство. {kinds}"
    text = _decode(whole())
    if text is None:
        return f"файл {shown} назван как текст, но это не текст (не читается как UTF-8 или Windows-1251). {kinds}"
    if _PRIVATE_KEY.search(text):
        return f"файл {shown} содержит закрытый ключ: его нельзя отправлять компании."
    return None


def _decode(data: bytes) -> str | None:
    """Text as an editor would open it (UTF-8, UTF-16 with a BOM, else Windows-1251); None if it has controls."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "cp1251")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _BINARY.search(text):
            return None
        return text
    return None


def _open_same(real: str, info: os.stat_result) -> int:
    """Open the file that was checked: no link followed, the same inode, still a regular file."""
    fd = os.open(real, _READ_FLAGS)
    now = os.fstat(fd)
    if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino):
        os.close(fd)
        raise OSError(0, "файл заменён во время проверки")
    return fd


def _read_all(fd: int, size: int) -> bytes:
    """At most the size limit (a file that grew since it was measured is cut there and fails the check later)."""
    chunks = []
    left = min(size, MAX_FILE_BYTES) + 1
    offset = 0
    while left > 0:
        chunk = os.pread(fd, min(left, 1 << 20), offset)
        if not chunk:
            break
        chunks.append(chunk)
        offset += len(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".rstrip("0").rstrip(".").replace(".", ",") + " МБ"


def read_evidence(item: EvidenceFile) -> bytes:
    """The bytes of a checked file, checked again as they are read (it may have changed since); InvalidCase if not."""
    field = item.field
    shown = f"«{item.source}»"
    try:
        info = os.stat(item.source)
        if not stat.S_ISREG(info.st_mode):
            raise InvalidCase([Problem(field, f"{shown} — не файл (папка, устройство или канал).")])
        fd = _open_same(str(item.source), info)
        try:
            data = _read_all(fd, info.st_size)
        finally:
            os.close(fd)
    except OSError as exc:
        raise InvalidCase([Problem(field, f"файл {shown} не удалось прочитать: {exc.strerror}.")]) from None
    why = _size_problem(len(data), shown) or _content_problem(data[:_HEAD], lambda: data, str(item.source), shown)
    if why:
        raise InvalidCase([Problem(field, why)])
    return data


def evidence_folder(out_dir: Path) -> Path:
    return Path(out_dir) / EVIDENCE_FOLDER


def copy_evidence(files: list[EvidenceFile], out_dir: Path) -> list[Path]:
    """Copy the files into ``out_dir/Приложения`` (0700 folder, 0600 files, atomically); returns the copies' paths.

    Every file is read and checked again before the first is written; no link inside ``out_dir`` is followed. A
    file already there with the same bytes (a re-render, or evidence kept in that folder) is left alone.
    """
    if not files:
        return []
    folder = inside(Path(out_dir), EVIDENCE_FOLDER)  # refuses a planted link
    contents = [(item, read_evidence(item)) for item in files]
    copies: list[Path] = []
    for item, data in contents:
        target = inside(folder, item.name)
        if target.is_file() and (target.resolve() == item.source or target.read_bytes() == data):
            copies.append(target)
            continue
        copies.append(atomic_write_bytes(target, data, root=out_dir))
    return copies


def with_attachment_names(case: Case, files: list[EvidenceFile]) -> Case:
    """A copy of the case whose ``evidence[].file`` (and ``order.receipt.file``) are the names in «Приложения» (what
    the letter prints), and whose photos carry their EXIF capture time (:func:`with_capture_times`)."""
    if not files:
        return case
    renamed = with_capture_times(case, files, copy=True)
    for item in files:
        if item.index is None:
            renamed.order.receipt.file = item.name  # type: ignore[union-attr] - only named when the receipt is
        else:
            renamed.evidence[item.index].file = item.name
    return renamed


def with_capture_times(case: Case, files: list[EvidenceFile], *, copy: bool = True) -> Case:
    """The case with each photo's ``taken_on``/``taken_at`` from its EXIF header where it has one.

    What the file proves wins over what was typed: the letters state the file's time, and :func:`photo_warnings`
    says when the two differ. A photo without a capture time keeps the typed one (or none).
    """
    timed = [f for f in files if f.photo and f.taken is not None]
    if not timed:
        return case.model_copy(deep=True) if copy else case
    out = case.model_copy(deep=True)
    for item in timed:
        evidence = out.evidence[item.index]  # type: ignore[index] - photos are evidence items
        evidence.taken_on, evidence.taken_at = item.taken.on, item.taken.at
    return out


def photo_warnings(case: Case, files: list[EvidenceFile], *, on) -> list[str]:
    """What to tell the user about the photos' capture times (see :mod:`complaint_cli.photos`), per file.

    ``on``: the claim's date when it has not been sent yet (a photo taken after the claim is probably the wrong file).
    ``case`` is the case as written (its typed ``taken_on``/``taken_at``), not :func:`with_capture_times`'s copy.
    """
    from complaint_cli.photos import file_notes, range_notes

    claim_on = case.submission.sent_on or on
    notes: list[str] = []
    for item in files:
        if not item.photo:
            continue
        stated = case.evidence[item.index]  # type: ignore[index]
        shown = f"«{item.source.name}»"
        notes += file_notes(item.field, shown, item.taken, stated.taken_on, stated.taken_at)
        if item.taken is not None:
            notes += range_notes(item.field, f"по данным файла {shown} снимок сделан", item.taken.on,
                                 case.order.date, claim_on)
    return notes


def rebase_files(data: dict, source_dir: Path, target_dir: Path) -> list[str]:
    """Point the relative file paths of a case's raw data (``evidence[].file``, ``order.receipt.file``), written
    relative to ``source_dir`` (the answers file's folder), at the same files from ``target_dir`` (where the case
    file is written): relative again when possible. Returns the fields changed. ``new --answers X --out DIR``."""
    import os

    source, target = Path(source_dir).resolve(), Path(target_dir).resolve()
    if source == target:
        return []
    holders = [(f"evidence.{i}.file", e) for i, e in enumerate(data.get("evidence") or []) if isinstance(e, dict)]
    receipt = (data.get("order") or {}).get("receipt") if isinstance(data.get("order"), dict) else None
    if isinstance(receipt, dict):
        holders.append((RECEIPT_FIELD, receipt))
    changed = []
    for field_name, holder in holders:
        value = holder.get("file")
        if not isinstance(value, str) or not value.strip() or os.path.isabs(os.path.expanduser(value.strip())):
            continue
        absolute = source / value.strip()
        holder["file"] = os.path.relpath(absolute, target)
        changed.append(field_name)
    return changed

