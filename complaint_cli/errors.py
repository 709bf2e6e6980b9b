"""One exception hierarchy for the whole tool, caught in one place (:func:`complaint_cli.cli.main`).

Every message is meant for the user and is in Russian. Exit codes are a contract:
0 success, 1 user error or invalid data, 2 wrong usage, 3 overdue cases (``status --check``).
"""

from __future__ import annotations

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


class RegistryError(ComplaintError):
    """The case registry cannot be read or written, or a case is unknown to it."""


@dataclass
class Warnings:
    """Collects non-fatal remarks for the user (and the ``warnings`` key of JSON output)."""

    items: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        if text not in self.items:
            self.items.append(text)
