"""Files on disk: atomic writes with private permissions, and safe file names built from data.

Every document, case file and report goes through :func:`atomic_write_bytes`: the bytes are written to a temporary
file in the same folder, flushed to disk and moved over the target with ``os.replace``, so a crash or a kill never
leaves a half-written file behind. Names built from user data go through :func:`safe_name` and
:func:`inside`, so nothing is ever written outside the chosen output folder.
"""

from __future__ import annotations

import errno
import itertools
import os
import re
import unicodedata
from pathlib import Path

PRIVATE = 0o600

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(1, 10)} | {f"LPT{i}" for i in range(1, 10)}
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def atomic_write_bytes(path: Path, data: bytes, *, mode: int = PRIVATE, durable: bool = True) -> Path:
    """Write ``data`` to ``path`` atomically (temp file + fsync + replace), created with ``mode``.

    The rename alone makes the write atomic for readers and against a killed process: nobody ever sees half a
    file. ``durable`` adds the fsyncs that also survive a power cut; a batch of thousands of files passes False and
    syncs the file system once at the end (:func:`sync_all`) instead of twice per file. The temporary file is
    ``.<name>.<pid>-<n>.tmp`` beside the target (what a killed run leaves is recognisable and removable).
    """
    path = Path(path)
    folder, name = os.path.split(path)
    fd, tmp = _create_temp(folder or ".", name, mode)
    try:
        try:
            if mode != PRIVATE:  # exactly this mode, whatever the umask
                os.fchmod(fd, mode)
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    if durable:
        _fsync_dir(path.parent)
    return path


_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
_temp_numbers = itertools.count()


def _create_temp(folder: str, name: str, mode: int) -> tuple[int, str]:
    """A new temporary file beside the target, opened for writing: ``(fd, path)``.

    The process id and a counter make the name unique among live writers without tempfile's random names (a
    batch creates thousands); a leftover of the same name (a killed process whose id was reused) gets a random
    name instead. A missing folder is created (checked this way: most writes go to one that exists).
    """
    tmp = os.path.join(folder, f".{name[:40]}.{os.getpid()}-{next(_temp_numbers)}.tmp")
    for attempt in range(100):
        try:
            return os.open(tmp, _TEMP_FLAGS, mode), tmp
        except FileNotFoundError:
            if attempt:
                raise
            os.makedirs(folder, exist_ok=True)
        except FileExistsError:
            tmp = os.path.join(folder, f".{name[:40]}.{os.urandom(6).hex()}.tmp")
    raise FileExistsError(errno.EEXIST, "no free temporary file name", tmp)  # pragma: no cover - 100 collisions


def sync_all() -> None:
    """Flush every file written without ``durable`` to disk (one call at the end of a batch)."""
    if hasattr(os, "sync"):
        os.sync()


def atomic_write_text(path: Path, text: str, *, mode: int = PRIVATE) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - platforms without directory fds
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


def safe_name(text: str, *, max_len: int = 80, fallback: str = "без_имени") -> str:
    """A file-name component from arbitrary data: no separators, no ``..``, no reserved names, bounded length.

    Cyrillic is kept (every modern file system stores it); whitespace becomes ``_``.
    """
    text = unicodedata.normalize("NFC", text or "")
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", "_", text.strip())
    text = re.sub(r"\.{2,}", ".", text)
    text = re.sub(r"_+", "_", text).strip("._ -")
    if len(text.encode("utf-8")) > max_len:
        raw = text.encode("utf-8")[:max_len]
        text = raw.decode("utf-8", errors="ignore").rstrip("._ -")
    if not text or text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = f"{fallback}_{text}" if text else fallback
    return text


def inside(folder: Path, name: str) -> Path:
    """``folder / name`` after checking that the result stays inside ``folder``.

    The check is lexical (``..`` and absolute names are caught without touching the disk, which matters for a
    batch of thousands of files); a symlink at the target is never followed, because every write ends in
    ``os.replace``, which replaces the link itself.
    """
    base = os.path.abspath(folder)
    target = os.path.normpath(os.path.join(base, name))
    if target != base and not target.startswith(base.rstrip(os.sep) + os.sep):
        raise ValueError(f"path escapes the output folder: {name!r}")
    return Path(target)
