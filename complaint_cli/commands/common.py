"""What every command shares: the one place errors are caught, JSON output, dates and the two consoles.

Conventions (a contract for scripts): with ``--json`` stdout carries exactly one JSON document and nothing else.
Without it, what the command produces for the person (a guide, the status table, a calculation, «Готово: путь»)
goes to stdout, so ``complaint guide ДЕЛО > инструкция.txt`` and ``| less`` work; warnings, progress, questions and
errors go to stderr. Exit codes: 0 ok, 1 user error or invalid data, 2 wrong usage, 3 overdue.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

import typer

if TYPE_CHECKING:
    from complaint_cli.errors import ComplaintError

# complaint_cli.errors, json and rich are imported where they are used: ``complaint --help`` needs none of them.


class State:
    debug: bool = bool(os.environ.get("COMPLAINT_CLI_DEBUG"))


def console(*, stderr: bool = False):
    """The console for the command's result, on stdout (``stderr=True``: for what is not the result).

    A rich ``Console`` where a terminal is drawn (or colour is asked for: ``FORCE_COLOR``, ``TTY_COMPATIBLE=1``);
    otherwise a :class:`PlainConsole`, which writes what rich would write there — the text, no styles — without
    importing rich (which costs a short command such as ``render`` as much as typer does).
    """
    stream = sys.stderr if stderr else sys.stdout
    if draws_terminal(stream):
        return rich_console(stderr=stderr)
    return PlainConsole(stderr=stderr)


def err_console():
    """The console on stderr: warnings, progress, questions and errors."""
    return console(stderr=True)


def rich_console(*, stderr: bool = False):
    """A rich console. No emoji codes: «:smile:» in a file name or a company's name is printed as typed."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True, emoji=False)


def draws_terminal(stream) -> bool:
    """Would rich draw on ``stream`` as on a terminal (colours, tables to its width)? rich.console.Console.is_terminal's
    rules: ``TTY_COMPATIBLE`` first, then a non-empty ``FORCE_COLOR``, then whether the stream is a terminal."""
    compatible = os.environ.get("TTY_COMPATIBLE", "")
    if compatible in ("0", "1"):
        return compatible == "1"
    if os.environ.get("FORCE_COLOR"):
        return True
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # no such method, or the stream was closed
        return False


# rich.control.STRIP_CONTROL_CODES: what rich removes from every text it prints (bell, backspace, vertical tab, form
# feed, carriage return).
_STRIP = dict.fromkeys((7, 8, 11, 12, 13))
# rich.markup.RE_TAGS: a tag, with the backslashes before it.
_TAG = re.compile(r"((\\*)\[([a-z#/@][^[]*?)])")
# Closing tags that rich's Style.normalize leaves as written, so that «[/green]» closes «[green]» here as it does
# there. Any other closing tag (which rich might refuse: MarkupError) is left to rich itself.
_PLAIN_STYLES = frozenset({"bold", "dim", "italic", "underline", "red", "green", "yellow", "blue", "magenta", "cyan",
                           "white"})


def plain_markup(text: str) -> str | None:
    """The text of rich markup (our own strings) as rich prints it with no styles: tags removed, ``\\[`` a
    bracket; None where only rich can say (a closing tag it may refuse, an ``@`` handler)."""
    if "[" not in text:
        return text
    out: list[str] = []
    open_tags: list[str] = []
    position = 0
    for match in _TAG.finditer(text):
        whole, escapes, tag = match.groups()
        start, end = match.span()
        if start > position:
            out.append(text[position:start].replace("\\[", "["))
        position = end
        backslashes, escaped = divmod(len(escapes), 2)
        out.append("\\" * backslashes)
        if escaped:  # \[tag] is the text «[tag]»
            out.append(whole[len(escapes):])
            continue
        name = tag.partition("=")[0]
        if name.startswith("@"):
            return None
        if not name.startswith("/"):
            open_tags.append(name)
        elif name == "/" and open_tags:
            open_tags.pop()
        elif name[1:].strip() in _PLAIN_STYLES and name[1:].strip() in open_tags:
            del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name[1:].strip())]
        else:
            return None
    out.append(text[position:].replace("\\[", "["))
    return "".join(out)


class PlainConsole:
    """What a rich ``Console`` prints where no terminal is drawn (a pipe, a file, a test), without rich.

    ``print`` takes text (rich markup read unless ``markup=False``) and :func:`styled` values; for anything else —
    a table, a rule, an option it does not know, a tab to expand — it hands the call to a rich console on the same
    stream, so the output is rich's in every case (tests/test_startup.py compares the two).
    """

    is_terminal = False

    def __init__(self, *, stderr: bool = False) -> None:
        self.stderr = stderr
        self._rich = None

    @property
    def file(self):
        return sys.stderr if self.stderr else sys.stdout

    def print(self, *objects: Any, sep: str = " ", end: str = "\n", markup: bool | None = None,
              highlight: bool | None = None, soft_wrap: bool | None = None, **options: Any) -> None:
        text = None if options or soft_wrap is False else self._plain(objects, sep, end, markup is not False)
        if text is None:
            self.rich().print(*objects, sep=sep, end=end, markup=markup, highlight=highlight, soft_wrap=soft_wrap,
                              **options)
            return
        self.file.write(text)
        self.file.flush()

    def _plain(self, objects: tuple, sep: str, end: str, markup: bool) -> str | None:
        parts = []
        for obj in objects:
            if isinstance(obj, Styled):
                part = obj.plain()
            elif isinstance(obj, str):
                part = plain_markup(obj) if markup else obj
            else:
                return None
            if part is None or "\t" in part:  # rich expands tabs to its columns: leave that to rich
                return None
            parts.append(part)
        if "\t" in sep or "\t" in end:
            return None
        return (sep.join(parts) + end).translate(_STRIP)

    def rich(self):
        """The rich console this one stands for (imported on first use)."""
        if self._rich is None:
            self._rich = rich_console(stderr=self.stderr)
        return self._rich

    def __getattr__(self, name: str) -> Any:  # rule(), status(), width… — whatever rich has
        return getattr(self.rich(), name)


def emit_json(document: Any) -> None:
    import json

    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n")
    sys.stdout.flush()


def handle_errors(func: Callable) -> Callable:
    """Wrap a command: a ``ComplaintError`` becomes a Russian message and its exit code; never a traceback
    without ``--debug`` (locals are people's names and addresses, so they are never shown)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        from complaint_cli.errors import EXIT_USER_ERROR, ComplaintError, from_os_error

        as_json = bool(kwargs.get("json_out"))
        try:
            kwargs = clean_options(kwargs)
            return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except ComplaintError as exc:
            _report(exc, as_json)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err_console().print("[yellow]Прервано.[/yellow]")
            raise typer.Exit(130) from None
        except OSError as exc:  # disk full, read-only folder, no permission: the path and the reason in Russian
            if State.debug:
                raise
            error = from_os_error(exc)
            _report(error, as_json)
            raise typer.Exit(error.exit_code) from None
        except Exception as exc:  # the last line of defence: no traceback, no personal data
            if State.debug:
                raise
            message = (
                f"Внутренняя ошибка программы ({type(exc).__name__}). Данные не изменены. "
                "Запустите команду с --debug, чтобы увидеть подробности, и сообщите разработчикам."
            )
            if as_json:
                emit_json({"error": message})
            err_console().print(f"[red]{message}[/red]")
            raise typer.Exit(EXIT_USER_ERROR) from None

    return wrapper


def _report(exc: ComplaintError, as_json: bool) -> None:
    from complaint_cli.errors import InvalidCase

    if as_json:
        doc: dict[str, Any] = {"error": exc.message}
        if isinstance(exc, InvalidCase):
            doc["errors"] = [p.as_dict() for p in exc.problems]
        emit_json(doc)
    con = err_console()
    con.print(styled("[red]Ошибка:[/red] {}", exc.message))
    if exc.hint:
        con.print(exc.hint, markup=False)


def clean_options(values: dict[str, Any]) -> dict[str, Any]:
    """Text options cleaned as case fields are (:func:`complaint_cli.fields.strip_control`), with a warning each.

    A control character in ``--court-name`` or ``--costs`` would otherwise reach a letter and make it unreadable
    to Word. Arguments are paths or case numbers and are left as typed (a file name is the file's name).
    """
    names = _option_names()
    suspect = {
        key: value for key, value in values.items()
        if key in names and isinstance(value, (str, list, tuple)) and not all(_printable(v) for v in _texts(value))
    }
    if not suspect:  # the usual case: fields (and pydantic with it) is not imported for nothing
        return values
    from complaint_cli.fields import strip_control

    cleaned = dict(values)
    changed = []
    for key, value in suspect.items():
        results = [strip_control(v) if isinstance(v, str) else (v, False) for v in _texts(value)]
        if any(was_changed for _, was_changed in results):
            changed.append(names[key])
            new = [text for text, _ in results]
            cleaned[key] = new[0] if isinstance(value, str) else type(value)(new)
    print_warnings([f"{option}: удалены управляющие (невидимые) символы" for option in changed])
    return cleaned


def _texts(value: Any) -> list:
    return [value] if isinstance(value, str) else list(value)


def _printable(value: Any) -> bool:
    """No control character can hide in it (``str.isprintable`` is False for every one strip_control removes)."""
    return not isinstance(value, str) or value.isprintable()


def _option_names() -> dict[str, str]:
    """The running command's options: parameter name → the option as typed (``court_name`` → ``--court-name``)."""
    from typer._click.globals import get_current_context

    ctx = get_current_context(silent=True)
    if ctx is None:  # called from Python, not from the command line: nothing was typed
        return {}
    return {p.name: p.opts[0] for p in ctx.command.params if p.param_type_name == "option" and p.opts}


def check_out_dir(path: Path | None, option: str = "--out") -> None:
    """An output folder that is a file (or lies under one) is named in the message, not left to NotADirectoryError."""
    if path is None:
        return
    for part in (path, *path.parents):
        if part.exists():
            if not part.is_dir():
                from complaint_cli.errors import ComplaintError

                also = "" if part == path else f", поэтому папку «{path}» не создать"
                raise ComplaintError(
                    f"{option}: «{part}» — это файл, а не папка{also}.",
                    hint=f"Укажите в {option} папку для документов (её создадут, если её нет).",
                )
            return


def styled(template: str, *values: Any) -> Styled:
    """Our rich markup with ``{}`` holes for user data, which is shown exactly as typed and never read as markup
    («[/]» in a field name crashed ``validate``; ``rich.markup.escape`` is not enough either: «\\[» loses its
    backslash). A value may be ``(text, style)``."""
    pieces = template.split("{}")
    if len(pieces) != len(values) + 1:
        raise ValueError(f"{len(pieces) - 1} holes for {len(values)} values: {template!r}")
    return Styled(pieces, values)


class Styled:
    """The result of :func:`styled`: printed as plain text by :class:`PlainConsole`, as a rich ``Text`` by rich."""

    def __init__(self, pieces: list[str], values: tuple) -> None:
        self.pieces = pieces
        self.values = values

    def _parts(self):
        for piece, value in zip(self.pieces, (*self.values, None)):
            yield piece, value

    def plain(self) -> str | None:
        """The text without styles (None: the template's markup is for rich to read)."""
        out = []
        for piece, value in self._parts():
            text = plain_markup(piece)
            if text is None:
                return None
            out.append(text)
            if value is not None:
                out.append(str(value[0]) if isinstance(value, tuple) else str(value))
        return "".join(out)

    def __rich__(self):
        from rich.text import Text

        out = Text()
        for piece, value in self._parts():
            out.append_text(Text.from_markup(piece, emoji=False))
            if isinstance(value, tuple):
                out.append(str(value[0]), style=value[1])
            elif value is not None:
                out.append(str(value))
        return out


def parse_cli_date(value: str | None, option: str) -> dt.date | None:
    """A date given on the command line (``ГГГГ-ММ-ДД`` or ``ДД.ММ.ГГГГ``); a wrong one is a usage error."""
    if value is None:
        return None
    from pydantic_core import PydanticCustomError

    from complaint_cli.errors import UsageError
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
    con = err_console()
    for w in warnings:
        con.print(styled("[yellow]Предупреждение:[/yellow] {}", w))


# Options shared by every command (one definition, the same help text everywhere).
JSON_OPT = typer.Option(False, "--json", help="Вывести результат в JSON (только JSON в stdout).")
CASE_FILE_ARG = typer.Argument(..., help="Файл дела (YAML).", show_default=False, metavar="ДЕЛО.yaml")
CASE_REF_ARG = typer.Argument(
    ..., help="Файл дела (YAML) или номер дела из «complaint status».", show_default=False, metavar="ДЕЛО"
)
