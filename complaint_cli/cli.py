"""The ``complaint`` command: a thin typer adapter over the library (see :mod:`complaint_cli.commands`).

A command's module is imported only when that command runs (or shows its help), as click's lazy groups do (click
docs, «Advanced Groups and Context» → «Lazily Loading Subcommands»): ``complaint render`` imports
``commands/claims.py`` and nothing of the other eight, and ``complaint --help`` lists every command from the small
table :data:`COMMANDS` without importing any of them. Heavy modules (docxtpl, questionary, pydantic, rich, the
calendars) are imported inside the commands that need them.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Iterator, MutableMapping
from pathlib import Path

import typer
from typer.core import TyperGroup

from complaint_cli.commands import russian
from complaint_cli.commands.common import State

russian.install()


class LazyCoercion:
    """typer's conversion of one parameter's value, built only for a value that needs it.

    typer 0.29 converts every value through a pydantic ``TypeAdapter`` (typer/_adapters.py), built on the first value
    a parameter gets — even ``None``, which it then returns unchanged — so any command imported pydantic (a sixth of
    a ``render``) just to learn that ``--install-completion`` was not given. Here ``None`` is answered as typer answers it, a plain
    ``str`` or ``Path`` argument is converted as typer's adapter converts it (``str`` unchanged; ``Path(value)``,
    then typer's own checks in ``coerce_cli_path``), and everything else goes to typer's adapter, built on first use.
    """

    def __init__(self, descriptor, build) -> None:
        self.descriptor = descriptor
        self._build = build
        self._runtime = None

    def coerce(self, value, param, ctx):
        if value is None:  # typer's RuntimeParam.coerce: () for a multi-value parameter, else None
            return () if param.multiple or param.nargs == -1 else None
        single = not (param.multiple or param.nargs == -1)
        if single and type(value) is str and self.descriptor.file_annotation is None:
            info = self.descriptor.parameter_info
            annotation = self.descriptor.annotation
            if info.parser is None and annotation is str:
                return value
            if info.parser is None and annotation is Path and info.path_type in (None, Path):
                from typer._param_types import coerce_cli_path

                try:
                    return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
                except ValueError:  # «embedded null byte»: typer's adapter words it as a usage error, so ask it
                    pass
        if self._runtime is None:
            self._runtime = self._build(self.descriptor)
        return self._runtime.coerce(value, param=param, ctx=ctx)


def _install_lazy_coercion() -> None:
    """Make typer build its parameters' converters through :class:`LazyCoercion` (idempotent; when typer no longer
    has the hook, it keeps its own conversion: slower, same results)."""
    import typer.core as typer_core

    build = getattr(typer_core, "build_runtime_param", None)
    if build is None or getattr(build, "lazy", False):
        return

    def build_lazily(descriptor):
        return LazyCoercion(descriptor, build)

    build_lazily.lazy = True
    typer_core.build_runtime_param = build_lazily


_install_lazy_coercion()

# Every command: its module under complaint_cli/commands/ (which registers it with ``register(app)``) and the short
# help `complaint --help` shows — the first sentence of the command's docstring, kept here so that listing the
# commands imports none of them (tests/test_startup.py checks the table against the modules). In help order.
COMMANDS: dict[str, tuple[str, str]] = {
    "new": ("wizard", "Мастер: вопросы по-русски → файл дела → претензия (.docx)."),
    "validate": ("claims", "Проверить файл дела: все ошибки сразу, с именами полей."),
    "render": ("claims", "Составить претензию (.docx или PDF) по файлу дела."),
    "email": ("sending", "Черновик письма (.eml) с претензией и доказательствами."),
    "remind": ("sending", "Напоминание в календарь (.ics) о последнем дне срока ответа."),
    "guide": ("sending", "Пошаговая инструкция: как отправить претензию или жалобу."),
    "post": ("post", "Опись вложения (форма 107) и ярлык для ценного письма."),
    "sent": ("tracking", "Отметить, что претензия отправлена: дата — в файл дела."),
    "received": ("tracking", "Отметить, когда компания получила претензию."),
    "reply": ("tracking", "Записать ответ компании на претензию."),
    "close": ("tracking", "Закрыть дело: оно пропадёт из «complaint status»."),
    "status": ("tracking", "Открытые дела: сроки, сколько осталось и что делать дальше."),
    "escalate": ("escalate", "После отказа или молчания: повторная претензия, жалоба, иск."),
    "batch": ("batch", "Составить письма по таблице дел: по папке на строку."),
    "deadline": ("calculators", "Последний день срока по производственному календарю."),
    "export": ("privacy", "Выгрузить всё, что хранится о деле, в архив ZIP."),
    "forget": ("privacy", "Удалить дело: его файл, документы и записи реестра."),
    "example": ("examples", "Образцы дел: список или копия для своего дела."),
    "calc": ("calculators", "Калькуляторы: неустойка, подсудность, госпошлина и штраф."),
    "templates": ("templates", "Свои шаблоны Word: список, выгрузка для правки, проверка."),
}

# The settings every command is built with (the root's: plain help, no pretty tracebacks with people's data).
TYPER_SETTINGS = {"rich_markup_mode": None, "pretty_exceptions_enable": False, "pretty_exceptions_show_locals": False}


def load_module_commands(module: str) -> dict:
    """The click commands one module of complaint_cli/commands/ registers, built as typer builds them."""
    registered = typer.Typer(**TYPER_SETTINGS)
    importlib.import_module(f"complaint_cli.commands.{module}").register(registered)
    return dict(typer.main.get_group(registered).commands)


class LazyCommands(MutableMapping):
    """The root group's ``commands``: every name of :data:`COMMANDS` is a key; a value is built on first access.

    typer reads ``commands`` for a command to run (``get``), for «Did you mean …?» (``keys``) and in tests for the
    whole set (``items``, which builds them all) — so a mapping, rather than overridden methods, keeps all of them.
    """

    def __init__(self) -> None:
        self._built: dict = {}

    def __getitem__(self, name: str):
        if name not in self._built and name in COMMANDS:
            for built, command in load_module_commands(COMMANDS[name][0]).items():
                self._built.setdefault(built, command)
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        yield from COMMANDS
        yield from (name for name in self._built if name not in COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS) + sum(name not in COMMANDS for name in self._built)

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS or name in self._built

    def __setitem__(self, name: str, command) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:  # pragma: no cover - click never removes a command
        raise KeyError(name)


class LazyGroup(TyperGroup):
    """The root ``complaint`` group: commands imported on demand, listed (help, completion) from :data:`COMMANDS`."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        lazy = LazyCommands()
        for name, command in self.commands.items():  # any command registered on the app itself
            lazy[name] = command
        self.commands = lazy

    def list_commands(self, ctx) -> list[str]:
        return list(self.commands)

    def listed_help(self, name: str, limit: int) -> str:
        """What ``--help`` and shell completion show for a command, without importing it."""
        from typer._click.utils import make_default_short_help

        if name in COMMANDS:
            return make_default_short_help(COMMANDS[name][1], limit)
        return self.commands[name].get_short_help_str(limit)

    def format_commands(self, ctx, formatter) -> None:
        names = self.list_commands(ctx)
        if names:
            limit = formatter.width - 6 - max(len(name) for name in names)
            with formatter.section(russian.TITLES["Commands"]):
                formatter.write_dl([(name, self.listed_help(name, limit)) for name in names])

    def shell_complete(self, ctx, incomplete: str) -> list:
        from typer._click.shell_completion import CompletionItem

        results = [CompletionItem(name, help=self.listed_help(name, 45))
                   for name in self.list_commands(ctx) if name.startswith(incomplete)]
        # the group's own options (--debug, --help…), as click's Command.shell_complete gives them
        results.extend(super(TyperGroup, self).shell_complete(ctx, incomplete))
        return results


app = typer.Typer(
    name="complaint",
    help=(
        "Претензии по Закону РФ «О защите прав потребителей» (доставка, маркетплейсы, «Купер») "
        "и что делать дальше: повторная претензия, Роспотребнадзор, иск."
    ),
    cls=LazyGroup,
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    **TYPER_SETTINGS,
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


# pydantic's values that turn every plugin off (pydantic/plugin/_loader.py, get_plugins).
PLUGINS_OFF = ("__all__", "1", "true")


def main() -> None:
    # pydantic looks for plugins among the entry points of every installed package when the first model is built
    # (~12 ms of each run); a command-line tool uses none. An explicit setting in the environment is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _skip_plugin_loader()
    app(prog_name="complaint")


def _skip_plugin_loader() -> None:
    """With plugins off, pydantic's loader returns no plugins but is still imported, and it imports
    ``importlib.metadata`` (with ``email``, ``zipfile``…: ~12 ms) only to look plugins up. Put in its place a module
    that gives the same answer — no plugins — so that nothing of that is imported. Only when every plugin is off
    (the loader's own test), and only before pydantic's loader itself was imported."""
    name = "pydantic.plugin._loader"
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in PLUGINS_OFF or name in sys.modules:
        return
    import types

    loader = types.ModuleType(name, "No pydantic plugins: PYDANTIC_DISABLE_PLUGINS turns them all off "
                                    "(set by complaint_cli.cli.main).")
    loader.PYDANTIC_ENTRY_POINT_GROUP = "pydantic"
    loader.get_plugins = lambda: ()
    sys.modules[name] = loader
