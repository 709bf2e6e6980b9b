"""The ``complaint`` command: a thin typer adapter over the library (see :mod:`complaint_cli.commands`).

Heavy modules (docxtpl, questionary, pydantic, the calendars) are imported inside the commands that need them, so
``complaint --help`` starts as fast as a bare typer app.
"""

from __future__ import annotations

import importlib
import os

import typer

from complaint_cli.commands import russian
from complaint_cli.commands.common import State

russian.install()

# Each module under complaint_cli/commands/ registers its commands with ``register(app)``. Command modules import
# only typer at module level: everything heavy is imported inside the command functions.
COMMAND_MODULES = (
    "wizard",
    "claims",
    "sending",
    "tracking",
    "escalate",
    "batch",
    "calculators",
    "templates",
    "privacy",
    "examples",
)

app = typer.Typer(
    name="complaint",
    help=(
        "Претензии по Закону РФ «О защите прав потребителей» (доставка, маркетплейсы, «Купер») "
        "и что делать дальше: повторная претензия, Роспотребнадзор, иск."
    ),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"complaint_cli {version('complaint-cli')}")
        except PackageNotFoundError:  # run from a source tree that was never installed
            typer.echo("complaint_cli (версия неизвестна: пакет не установлен)")
        raise typer.Exit()


@app.callback()
def _root(
    debug: bool = typer.Option(False, "--debug", help="Показывать трассировку при внутренних ошибках."),
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Показать версию программы и выйти."
    ),
) -> None:
    if debug:
        State.debug = True


for _name in COMMAND_MODULES:
    importlib.import_module(f"complaint_cli.commands.{_name}").register(app)


def main() -> None:
    # pydantic looks for plugins among the entry points of every installed package when the first model is built
    # (~12 ms of each run); a command-line tool uses none. An explicit setting in the environment is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app(prog_name="complaint")
