"""What every command shares: the one place errors are caught, JSON output, dates and the stderr console.

Conventions (a contract for scripts): with ``--json`` stdout carries exactly one JSON document and nothing else;
everything for people goes to stderr. Exit codes: 0 ok, 1 user error or invalid data, 2 wrong usage, 3 overdue.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable

import typer

from complaint_cli.errors import EXIT_USER_ERROR, ComplaintError, InvalidCase, UsageError


class State:
    debug: bool = bool(os.environ.get("COMPLAINT_CLI_DEBUG"))


def console():
    """A rich console on stderr (stdout is reserved for JSON and for nothing else)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def emit_json(document: Any) -> None:
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")
    sys.stdout.flush()


def handle_errors(func: Callable) -> Callable:
    """Wrap a command: a ``ComplaintError`` becomes a Russian message and its exit code; never a traceback
    without ``--debug`` (locals are people's names and addresses, so they are never shown)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        as_json = bool(kwargs.get("json_out"))
        try:
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except ComplaintError as exc:
            _report(exc, as_json)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            console().print("[yellow]Прервано.[/yellow]")
            raise typer.Exit(130) from None
        except Exception as exc:  # the last line of defence: no traceback, no personal data
            if State.debug:
                raise
            message = (
                f"Внутренняя ошибка программы ({type(exc).__name__}). Данные не изменены. "
                "Запустите команду с --debug, чтобы увидеть подробности, и сообщите разработчикам."
            )
            if as_json:
                emit_json({"error": message})
            console().print(f"[red]{message}[/red]")
            raise typer.Exit(EXIT_USER_ERROR) from None

    return wrapper


def _report(exc: ComplaintError, as_json: bool) -> None:
    if as_json:
        doc: dict[str, Any] = {"error": exc.message}
        if isinstance(exc, InvalidCase):
            doc["errors"] = [p.as_dict() for p in exc.problems]
        emit_json(doc)
    con = console()
    con.print(f"[red]Ошибка:[/red] {_escape(exc.message)}")
    if exc.hint:
        con.print(_escape(exc.hint))


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def parse_cli_date(value: str | None, option: str) -> dt.date | None:
    """A date given on the command line (``ГГГГ-ММ-ДД`` or ``ДД.ММ.ГГГГ``); a wrong one is a usage error."""
    if value is None:
        return None
    from pydantic_core import PydanticCustomError

    from complaint_cli.fields import parse_date

    try:
        return parse_date(value)
    except PydanticCustomError as exc:
        raise UsageError(f"{option}: {exc.message()}") from None


def today() -> dt.date:
    """Today, overridable for reproducible runs and tests (``COMPLAINT_CLI_TODAY=2026-11-25``)."""
    fixed = os.environ.get("COMPLAINT_CLI_TODAY")
    if fixed:
        return dt.date.fromisoformat(fixed)
    return dt.date.today()


def load_case(path: Path, *, on: dt.date | None = None):
    """Read and validate a case file; returns the ``Report`` (errors are the caller's to raise or show)."""
    from complaint_cli.casefile import read_case_data
    from complaint_cli.validation import validate_data

    return validate_data(read_case_data(path), today=on or today())


def ask_yes_no(question: str) -> bool:
    """A yes/no question on the terminal in Russian: «да»/«д» or «нет»/«н» (also y/n); Enter means no."""
    while True:
        from complaint_cli.fields import NO_WORDS, YES_WORDS

        answer = typer.prompt(f"{question} [д/Н]", default="", show_default=False, err=True).strip().lower()
        if answer in YES_WORDS:
            return True
        if answer in NO_WORDS or not answer:
            return False
        typer.echo("Ответьте «да» или «нет».", err=True)


def print_warnings(warnings: list[str]) -> None:
    con = console()
    for w in warnings:
        con.print(f"[yellow]Предупреждение:[/yellow] {_escape(w)}")


# Options shared by every command (one definition, the same help text everywhere).
JSON_OPT = typer.Option(False, "--json", help="Вывести результат в JSON (только JSON в stdout).")
CASE_FILE_ARG = typer.Argument(..., help="Файл дела (YAML).", show_default=False, metavar="ДЕЛО.yaml")
CASE_REF_ARG = typer.Argument(
    ..., help="Файл дела (YAML) или номер дела из «complaint status».", show_default=False, metavar="ДЕЛО"
)
