"""The batch journal: what each case folder under ``--out`` was made from, so that a re-run skips what is unchanged.

One file per output folder, ``.complaint_batch.jsonl``: a JSON line per case written — its folder, data row, the
content hash of the normalised case, the case file and the letters, and the date of the letters. The main process
appends a case's line only after the worker has written the case's files (each atomically), so a line always
describes complete files; a kill loses at most the last lines (those cases are simply rendered again) or leaves a
torn last line, which is ignored. The last line for a folder wins; the file is rewritten compactly (atomically)
when outdated lines outnumber the others.

Version 1 kept the same record in each case folder (``.complaint_batch.json``): one more file per case, which on a
slow file system cost as much as rendering the letter. Those files are still read (:func:`legacy_record`).
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import IO, Any

JOURNAL = ".complaint_batch.jsonl"
VERSION = 2
LEGACY_MANIFEST = ".complaint_batch.json"  # version 1: one per case folder
LEGACY_VERSION = 1
_COMPACT_AFTER = 1000  # outdated lines tolerated before the journal is rewritten
_encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(…, ensure_ascii=False), the encoder made once


def legacy_record(folder: Path) -> dict[str, Any] | None:
    """The version-1 record kept in a case folder, if there is one."""
    try:
        data = json.loads((folder / LEGACY_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("version") == LEGACY_VERSION else None


def _parse(line: str) -> dict[str, Any] | None:
    try:
        data = json.loads(line)
    except ValueError:
        return None
    ok = isinstance(data, dict) and data.get("version") == VERSION and isinstance(data.get("folder"), str)
    return data if ok else None


def _open_journal(path: Path, flags: int) -> IO[str]:
    """The journal as a text file, never through a symbolic link planted in its place (0600 when created)."""
    from complaint_cli.errors import UnsafePath

    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0), 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafePath(f"Журнал пакетной обработки «{path}» — символическая ссылка. Программа не пишет и не "
                             "читает по ссылкам внутри папки результатов. Удалите ссылку или укажите другую папку "
                             "(--out).") from None
        raise
    if flags & os.O_CREAT:
        os.fchmod(fd, 0o600)  # private whatever the umask: folder names hold people's names
    return open(fd, "a" if flags & os.O_APPEND else "r", encoding="utf-8", errors="replace")  # noqa: SIM115


class Journal:
    """The journal of one output folder: the latest record per case folder (read once), and appends.

    Only the records found at the start are held in memory (as their text); what a run appends is not, so a first run
    of any size keeps none.
    """

    def __init__(self, out_dir: Path) -> None:
        self.path = Path(out_dir) / JOURNAL
        self._latest: dict[str, str] = {}
        self._lines = 0  # lines in the file
        self._outdated = 0  # lines a later line of the same folder replaces
        self._file: IO[str] | None = None
        try:
            with _open_journal(self.path, os.O_RDONLY) as fh:
                for line in fh:
                    record = _parse(line)
                    if record is not None:
                        self._latest[record["folder"]] = line.rstrip("\n")
                        self._lines += 1
        except FileNotFoundError:
            pass
        self._outdated = self._lines - len(self._latest)

    def previous(self, folder: str) -> dict[str, Any] | None:
        """The record of ``folder`` as the journal had it when the run started."""
        line = self._latest.get(folder)
        return _parse(line) if line is not None else None

    def append(self, record: dict[str, Any]) -> None:
        """Add a case's record (its files are already written); :meth:`flush` makes it visible to a next run."""
        if self._file is None:
            # Private like every file it describes: folder names hold people's names.
            self._file = _open_journal(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        self._file.write(_encode({"version": VERSION, **record}) + "\n")
        self._lines += 1
        if record["folder"] in self._latest:  # a run writes each folder once: only older runs' lines go stale
            self._outdated += 1

    def flush(self) -> None:
        if self._file is not None:
            self._file.flush()

    def close(self) -> None:
        """Flush, and rewrite the journal without outdated lines when there are many of them."""
        if self._file is None:
            return
        self._file.close()
        self._file = None
        if self._outdated > max(_COMPACT_AFTER, self._lines - self._outdated):
            self.compact()

    def compact(self) -> None:
        """Rewrite the journal with the latest line of each folder (atomically)."""
        from complaint_cli.fsutil import atomic_write_bytes

        latest: dict[str, str] = {}
        with open(self.path, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                record = _parse(line)
                if record is not None:
                    latest[record["folder"]] = line.rstrip("\n")
        text = "".join(line + "\n" for line in latest.values())
        atomic_write_bytes(self.path, text.encode("utf-8"), durable=False)
        self._latest, self._lines, self._outdated = {}, len(latest), 0


def forget_folder(case_folder: Path) -> bool:
    """Drop a case folder made by a batch from its output folder's journal, and remove the folder if it is empty.

    Used when a case is forgotten: the folder's name (the claimant and the order) must not outlive its files.
    Returns whether the folder was a batch's.
    """
    from complaint_cli.fsutil import atomic_write_bytes

    case_folder = Path(case_folder)
    legacy = case_folder / LEGACY_MANIFEST
    journal = case_folder.parent / JOURNAL
    found = legacy.is_file()
    if found:
        legacy.unlink()
    try:
        lines = journal.read_text(encoding="utf-8", errors="replace").splitlines()
    except FileNotFoundError:
        lines = []
    kept = [line for line in lines if (_parse(line) or {}).get("folder") != case_folder.name]
    if len(kept) != len(lines):
        found = True
        atomic_write_bytes(journal, "".join(line + "\n" for line in kept).encode("utf-8"))
    if found:
        try:
            case_folder.rmdir()  # only when empty: nothing the user put there is removed
        except OSError:
            pass
    return found
