"""Files on disk: atomic writes with private permissions, and safe file names built from data.

Every document, case file and report goes through :func:`atomic_write_bytes`: the bytes are written to a temporary
file in the same folder, flushed to disk and renamed over the target, so a crash or a kill never leaves a
half-written file behind. Files are created 0600 and folders 0700 (:func:`make_dirs`) whatever the umask. Names built
from user data go through :func:`safe_name` and :func:`inside`, and no symbolic link inside the chosen output folder
is followed, so nothing is ever written outside it.
"""

from __future__ import annotations

import errno
import itertools
import os
import re
import stat
import unicodedata
from pathlib import Path

from complaint_cli.errors import UnsafePath

PRIVATE = 0o600
PRIVATE_DIR = 0o700

_WINDOWS_RESERVED = ({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {f"COM{i}" for i in range(1, 10)}
                     | {f"LPT{i}" for i in range(1, 10)})
_INVISIBLE = frozenset({"Cc", "Cf", "Cs"})  # Unicode categories: controls, format characters, surrogates
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')
_SPACES = re.compile(r"\s+")
_DOTS = re.compile(r"\.{2,}")
_UNDERSCORES = re.compile(r"_+")


def atomic_write_bytes(
    path: Path, data: bytes, *, mode: int = PRIVATE, durable: bool = True, root: Path | None = None
) -> Path:
    """Write ``data`` to ``path`` atomically (temp file + fsync + rename), created with exactly ``mode``.

    The rename alone makes the write atomic for readers and against a killed process: nobody ever sees half a
    file. ``durable`` adds the fsyncs that also survive a power cut; a batch of thousands of files passes False and
    syncs the file system once at the end (:func:`sync_all`) instead of twice per file. The temporary file is
    ``.<name>.<pid>-<n>.tmp`` beside the target (what a killed run leaves is recognisable and removable).

    Symbolic links are never followed below ``root`` (the output folder the user chose; default: the target's own
    folder): every folder between them is opened with ``O_NOFOLLOW`` (created 0700 when missing) and the file is
    created and renamed relative to that folder's descriptor, so a link planted there cannot redirect the write
    (:class:`UnsafePath`). A link at the target itself is replaced, never written through.
    """
    path = Path(path)
    folder, name = os.path.split(os.path.abspath(path))
    dir_fd = _open_folder(folder, root=root)
    try:
        _write_in(dir_fd, name, data, mode=mode, durable=durable, shown=os.path.join(folder, name))
        if durable:
            try:
                os.fsync(dir_fd)
            except OSError:  # pragma: no cover - file systems that cannot sync a folder
                pass
    finally:
        os.close(dir_fd)
    return path


def _write_in(dir_fd: int, name: str, data: bytes, *, mode: int, durable: bool, shown: str) -> None:
    """The file ``name`` of the open folder ``dir_fd``, written atomically (see :func:`atomic_write_bytes`)."""
    fd, tmp = _named(_create_temp, shown, dir_fd, name, mode)
    try:
        try:
            os.fchmod(fd, mode)  # exactly this mode, whatever the umask
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.rename(tmp, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)  # POSIX rename replaces the target
    except BaseException as exc:
        _unlink_quietly(tmp, dir_fd)
        if isinstance(exc, OSError):
            _name_error(exc, shown)
        raise


class FolderWriter:
    """Folders of files below one output folder, which it keeps open: what a batch worker writes a case with.

    :meth:`write` does for a folder of files what :func:`atomic_write_bytes` does for each (created 0700/0600 whatever
    the umask, every file atomically, no link below the output folder followed), without opening the output folder
    and the case's folder again for every file. Not durable: the caller syncs once at the end (:func:`sync_all`).
    """

    def __init__(self, root: Path | str) -> None:
        self.root = os.path.abspath(root)
        self._fd: int | None = None

    def write(self, folder: str, files: list[tuple[str, bytes]], *, new: bool = False) -> None:
        """Write ``files`` (name, bytes) in the subfolder ``folder`` (relative; created when missing); ``new``: it
        was not there a moment ago, so it is created first instead of opened first (one system call less)."""
        if self._fd is None:
            self._fd = _open_trusted(self.root)
        shown = os.path.join(self.root, folder)
        rel = os.path.relpath(os.path.normpath(shown), self.root)
        if rel == os.curdir or rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
            raise ValueError(f"path escapes the output folder: {folder!r}")
        fd = self._fd
        base = self.root
        parts = rel.split(os.sep)
        for i, part in enumerate(parts):
            base = os.path.join(base, part)
            try:
                child = _enter(fd, part, base, new=new and i == len(parts) - 1)
            finally:
                if fd != self._fd:
                    os.close(fd)
            fd = child
        try:
            for name, data in files:
                _write_in(fd, name, data, mode=PRIVATE, durable=False, shown=os.path.join(shown, name))
        finally:
            os.close(fd)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _unlink_quietly(name: str, dir_fd: int) -> None:
    try:
        os.unlink(name, dir_fd=dir_fd)
    except FileNotFoundError:
        pass


def _name_error(exc: OSError, path: str) -> None:
    """Name ``path`` — the file or folder the user knows — in an error about a name relative to a folder's
    descriptor (our temporary file, one folder's name), so that the message says where it happened."""
    if exc.filename is None or not os.path.isabs(os.fsdecode(exc.filename)):
        exc.filename, exc.filename2 = path, None


def _named(func, path: str, *args):
    try:
        return func(*args)
    except OSError as exc:
        _name_error(exc, path)
        raise


_TEMP_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0)
_temp_numbers = itertools.count()


def _create_temp(dir_fd: int, name: str, mode: int) -> tuple[int, str]:
    """A new temporary file in the folder ``dir_fd``, opened for writing: ``(fd, name)``.

    The process id and a counter make the name unique among live writers without tempfile's random names (a
    batch creates thousands); a leftover of the same name (a killed process whose id was reused) gets a random
    name instead.
    """
    tmp = f".{name[:40]}.{os.getpid()}-{next(_temp_numbers)}.tmp"
    for _ in range(100):
        try:
            return os.open(tmp, _TEMP_FLAGS, mode, dir_fd=dir_fd), tmp
        except FileExistsError:
            tmp = f".{name[:40]}.{os.urandom(6).hex()}.tmp"
    raise FileExistsError(errno.EEXIST, "no free temporary file name", tmp)  # pragma: no cover - 100 collisions


def make_dirs(path: Path, *, root: Path | None = None) -> Path:
    """Create the folder ``path`` and its missing parents, each 0700 whatever the umask; returns ``path``.

    The one way the tool creates folders. Folders that already exist keep their permissions. Below ``root`` no
    symbolic link is followed (:class:`UnsafePath`); above it (the user's own choice of ``--out``) links are fine.
    """
    os.close(_open_folder(os.path.abspath(path), root=root))
    return Path(path)


def _open_folder(folder: str, *, root: Path | None) -> int:
    """A descriptor of ``folder``, created when missing; no link followed below ``root`` (default: ``folder``)."""
    base = os.path.abspath(root) if root is not None else folder
    rel = os.path.relpath(folder, base)
    if rel == os.curdir:
        parts: list[str] = []
    elif rel == os.pardir or rel.startswith(os.pardir + os.sep):
        raise ValueError(f"path escapes the output folder: {folder!r}")
    else:
        parts = rel.split(os.sep)
    fd = _open_trusted(base)
    for part in parts:
        base = os.path.join(base, part)
        try:
            child = _enter(fd, part, base)
        finally:
            os.close(fd)
        fd = child
    return fd


def _open_trusted(folder: str) -> int:
    """Open the user's own folder (links followed), creating it and its missing parents 0700."""
    try:
        return os.open(folder, _DIR_FLAGS)
    except FileNotFoundError:
        pass
    parent, name = os.path.split(folder)
    if not name or parent == folder:  # pragma: no cover - the file system root is missing
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), folder)
    fd = _open_trusted(parent)
    try:
        return _enter(fd, name, folder)
    finally:
        os.close(fd)


def _enter(dir_fd: int, name: str, shown: str, *, new: bool = False) -> int:
    """Open the subfolder ``name`` of ``dir_fd`` without following a link (creating it 0700; ``new``: create first)."""
    try:
        return _enter_once(dir_fd, name, shown, new)
    except OSError as exc:
        _name_error(exc, shown)
        raise


def _enter_once(dir_fd: int, name: str, shown: str, new: bool = False) -> int:
    created = False
    if new:
        try:
            os.mkdir(name, PRIVATE_DIR, dir_fd=dir_fd)
            created = True
        except FileExistsError:  # there after all (or a link planted there): opened below, links refused
            pass
    for _ in range(2):
        try:
            fd = os.open(name, _DIR_FLAGS | os.O_NOFOLLOW, dir_fd=dir_fd)
            if created:
                os.fchmod(fd, PRIVATE_DIR)  # mkdir's mode is cut by the umask
            return fd
        except FileNotFoundError:
            try:
                os.mkdir(name, PRIVATE_DIR, dir_fd=dir_fd)
            except FileExistsError:  # created meanwhile by another process: open that
                continue
            fd = os.open(name, _DIR_FLAGS | os.O_NOFOLLOW, dir_fd=dir_fd)
            os.fchmod(fd, PRIVATE_DIR)  # mkdir's mode is cut by the umask
            return fd
        except OSError as exc:
            if exc.errno not in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
                raise
            if stat.S_ISLNK(os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode):
                raise UnsafePath(_link_message(shown)) from None
            raise NotADirectoryError(errno.ENOTDIR, os.strerror(errno.ENOTDIR), shown) from None
    raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT), shown)  # pragma: no cover - mkdir raced rmdir


def _link_message(shown: str) -> str:
    return (f"«{shown}» — символическая ссылка. Программа не пишет по ссылкам внутри папки результатов: письма и "
            "данные людей попали бы в другое место. Удалите ссылку или укажите другую папку (--out).")


def sync_all() -> None:
    """Flush every file written without ``durable`` to disk (one call at the end of a batch)."""
    if hasattr(os, "sync"):
        os.sync()


def atomic_write_text(path: Path, text: str, *, mode: int = PRIVATE) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"), mode=mode)


def safe_name(text: str, *, max_len: int = 80, fallback: str = "без_имени") -> str:
    """A file-name component from arbitrary data: no separators, no ``..``, no reserved names, bounded length.

    Cyrillic is kept (every modern file system stores it); whitespace becomes ``_``. Invisible characters are
    dropped — format characters (bidi overrides that make ``…‮gnp.exe`` look like ``…exe.png``, zero-width
    characters, the BOM), controls and lone surrogates (which no file system can store): every result encodes as
    UTF-8. A Windows device name keeps its text behind an underscore (``CON`` → ``_CON``), so an order number stays
    visible in the name.
    """
    text = unicodedata.normalize("NFC", text or "")
    if not text.isprintable():  # printable text has no control, format or surrogate character to drop
        text = "".join(ch for ch in text if unicodedata.category(ch) not in _INVISIBLE)
    text = _UNSAFE.sub("_", text)
    text = _SPACES.sub("_", text.strip())
    text = _DOTS.sub(".", text)
    text = _UNDERSCORES.sub("_", text).strip("._ -")
    text = _cut(text, max_len)
    if not text:
        return fallback
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = _cut(f"_{text}", max_len)
    return text


def _cut(text: str, max_len: int) -> str:
    """At most ``max_len`` bytes of UTF-8, never half a character, no dot, space or dash at the end."""
    raw = text.encode("utf-8")
    if len(raw) <= max_len:
        return text
    return raw[:max_len].decode("utf-8", errors="ignore").rstrip("._ -")


def inside(folder: Path, name: str) -> Path:
    """``folder / name`` after checking that the result stays inside ``folder`` and is not a symbolic link.

    The containment check is lexical (``..`` and absolute names are caught without reading folders); one ``lstat``
    refuses a link planted at the target (:class:`UnsafePath`): a case folder or a letter that is a link would send
    what is written or read there elsewhere. Writes below the chosen folder go through :func:`atomic_write_bytes`
    with ``root``, which follows no link on the way.
    """
    base = os.path.abspath(folder)
    target = os.path.normpath(os.path.join(base, name))
    if target != base and not target.startswith(base.rstrip(os.sep) + os.sep):
        raise ValueError(f"path escapes the output folder: {name!r}")
    if target != base and os.path.islink(target):
        raise UnsafePath(_link_message(target))
    return Path(target)
