"""One exception hierarchy for the whole tool, caught in one place (:func:`complaint_cli.cli.main`).

Every message is meant for the user and is in Russian. Exit codes are a contract:
0 success, 1 user error or invalid data, 2 wrong usage, 3 overdue cases (``status --check``).
"""

from __future__ import annotations

import os

from dataclasses import dataclass, field


EXIT_OK = 0
EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_OVERDUE = 3


@dataclass(frozen=True)
class Problem:
    """One problem with one field: ``field`` is the dotted path (``order.number``)."""

    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class ComplaintError(Exception):
    """Base of every error the user is meant to see. ``str(err)`` is a Russian message."""

    exit_code = EXIT_USER_ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(ComplaintError):
    """Wrong command-line usage (conflicting or missing options)."""

    exit_code = EXIT_USAGE


class CaseFileError(ComplaintError):
    """A case file cannot be read: missing, not YAML, not a mapping, newer schema."""


class InvalidCase(ComplaintError):
    """The case data has problems; ``problems`` lists every one of them at once."""

    def __init__(self, problems: list[Problem], *, message: str | None = None) -> None:
        self.problems = list(problems)
        text = message or "Данные дела содержат ошибки:\n" + "\n".join(
            f"  • {p.field}: {p.message}" for p in self.problems
        )
        super().__init__(text)


class OutputExists(ComplaintError):
    """Refusing to overwrite an existing document without ``--force``."""


class TemplateError(ComplaintError):
    """A Word template is broken, uses an unknown variable or tries to escape the sandbox."""


class CalendarError(ComplaintError):
    """A date outside the production calendar's data, or an impossible term."""


class Busy(ComplaintError):
    """Another ``complaint`` process holds what this one needs (a batch's output folder, a case file)."""


class UnsafePath(ComplaintError):
    """A path the tool would have to write through a symbolic link planted inside its output folder."""


class SampleCase(ComplaintError):
    """A shipped sample case used in place where only the user's own case will do (it never enters the registry)."""


class RegistryError(ComplaintError):
    """The case registry cannot be read or written, or a case is unknown to it."""


_OS_REASONS = {
    "ENOSPC": "на диске не осталось места",
    "EDQUOT": "исчерпана квота на диске",
    "EROFS": "файловая система доступна только для чтения",
    "EACCES": "нет прав доступа",
    "EPERM": "операция не разрешена",
    "ENOTDIR": "на пути стоит файл, а нужна папка",
    "EISDIR": "это папка, а нужен файл",
    "ENOENT": "файл или папка не найдены",
    "EEXIST": "файл уже существует",
    "ELOOP": "слишком много символических ссылок (или ссылка там, где их не допускают)",
    "ENAMETOOLONG": "слишком длинное имя файла",
    "EMFILE": "открыто слишком много файлов",
    "EIO": "ошибка ввода-вывода (диск неисправен или отключён)",
}


def from_os_error(exc: OSError) -> ComplaintError:
    """A file-system failure (disk full, read-only folder, no permission, a file where a folder goes…) as a Russian
    message naming the path; the write itself was atomic, so nothing half-written is left (see ``fsutil``)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    reason = _OS_REASONS.get(name) or (exc.strerror or type(exc).__name__)
    paths = [p for p in (exc.filename, exc.filename2) if p]
    where = f": {' → '.join(shown_path(p) for p in paths)}" if paths else ""
    hint = None
    if name in {"ENOSPC", "EDQUOT"}:
        hint = "Освободите место на диске и повторите команду: уже записанные файлы целы."
    elif name in {"EROFS", "EACCES", "EPERM"}:
        hint = "Выберите другую папку (--out) или проверьте права на эту."
    return ComplaintError(f"Не удалось записать или прочитать файл — {reason}{where}.", hint=hint)


@dataclass
class Warnings:
    """Collects non-fatal remarks for the user (and the ``warnings`` key of JSON output)."""

    items: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        if text not in self.items:
            self.items.append(text)


def shown_path(path: object, limit: int = 300) -> str:
    """A path as the message shows it: a very long one (an argument that was not meant as a path) cut in the middle."""
    text = os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else str(path)
    return text if len(text) <= limit else f"{text[:limit // 2]}…{text[-limit // 2:]} ({len(text)} символов)"

