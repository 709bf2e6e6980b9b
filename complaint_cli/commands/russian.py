"""Russian for the few English strings typer and its vendored click print (help headings, usage errors).

Click has no Russian catalogue and typer's copy of click hard-codes its strings, so we translate at the three points
where they reach the user: the gettext hook typer.core uses for section titles, the help option's text and usage
prefix, and ``UsageError.show``. Each patch checks that its target exists, so a typer upgrade that moves things
degrades to English text rather than a crash (tests/test_cli_russian.py notices).
"""

from __future__ import annotations

import re
import sys

TITLES = {
    "Arguments": "Аргументы",
    "Options": "Параметры",
    "Commands": "Команды",
    "Aborted!": "Прервано.",
    "Aborted.": "Прервано.",
    "required": "обязательный",
    "default: {default}": "по умолчанию: {default}",
    "env var: {var}": "переменная окружения: {var}",
    "Missing command.": "Не указана команда.",
    "(dynamic)": "(вычисляется)",
}

HELP_TEXT = "Показать эту справку и выйти."
USAGE_PREFIX = "Использование: "

ERRORS = [
    (re.compile(r"^No such option: (.+?)(?: \(Possible options: (.+)\))?$", re.S), "Нет такого параметра: {0}"),
    (re.compile(r"^Missing option '(.+)'\.?(.*)$", re.S), "Не указан обязательный параметр {0}."),
    (re.compile(r"^Missing argument '(.+)'\.?(.*)$", re.S), "Не указан обязательный аргумент {0}."),
    (re.compile(r"^Missing parameter '?(.+?)'?\.?$", re.S), "Не указан обязательный параметр {0}."),
    (re.compile(r"^Got unexpected extra arguments? \((.+)\)$", re.S), "Лишние аргументы: {0}"),
    (re.compile(r"^No such command '(.+?)'\.(?:\s*Did you mean '(.+)'\?)?$", re.S), "Нет такой команды: {0}.{1}"),
    (re.compile(r"^Invalid value for '?(.+?)'?: (.+)$", re.S), "Неверное значение {0}: {1}"),
    (re.compile(r"^Option '(.+)' requires an argument\.?$", re.S), "Параметру {0} нужно значение."),
    (re.compile(r"^Option '(.+)' does not take a value\.?$", re.S), "Параметр {0} не принимает значения."),
]

VALUE_ERRORS = [
    (re.compile(r"^Input should be a valid integer.*$"), "ожидается целое число."),
    (re.compile(r"^Input should be a valid number.*$"), "ожидается число."),
    (re.compile(r"^'?(.+?)'? is not a valid integer(?: range)?\.?$"), "«{0}» — не целое число."),
    (re.compile(r"^'?(.+?)'? is not a valid float(?: range)?\.?$"), "«{0}» — не число."),
    (re.compile(r"^(.+?) is not in the range (.+)\.$"), "{0} вне допустимого диапазона ({1})."),
    (re.compile(r"^'?(.+?)'? is not one of (.+)\.$"), "«{0}» не входит в список: {1}."),
    (re.compile(r"^'?(.+?)'? is not a valid boolean\.?$"), "«{0}» — ожидается да/нет."),
    (re.compile(r"^(?:File|Path|Directory) '(.+)' does not exist\.$"), "Путь «{0}» не существует."),
]


def translate(message: str) -> str:
    """A click usage message in Russian (unknown messages are returned unchanged)."""
    for pattern, template in ERRORS:
        m = pattern.match(message.strip())
        if m:
            groups = [g or "" for g in m.groups()]
            if template.startswith("Нет такой команды") and groups[1]:
                groups[1] = f" Возможно, вы имели в виду: {groups[1]}?"
            elif template.count("{1}"):
                groups[1] = _translate_value(groups[1])
            return template.format(*groups)
    return message


def _translate_value(message: str) -> str:
    for pattern, template in VALUE_ERRORS:
        m = pattern.match(message.strip())
        if m:
            return template.format(*m.groups())
    return message


def install() -> None:
    """Apply the translations (idempotent)."""
    import typer.core as typer_core

    try:
        from typer import _click as click_mod
    except ImportError:  # pragma: no cover - older typer uses the click package
        import click as click_mod  # type: ignore[no-redef]

    if getattr(typer_core, "_russian", False):
        return
    typer_core._russian = True
    if hasattr(typer_core, "_"):
        typer_core._ = lambda text: TITLES.get(text, text)

    core = click_mod.core
    original_help = core.Command.get_help_option

    def get_help_option(self, ctx):
        option = original_help(self, ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    core.Command.get_help_option = get_help_option

    usage_words = {"[OPTIONS]": "[ПАРАМЕТРЫ]", "COMMAND [ARGS]...": "КОМАНДА [АРГУМЕНТЫ]..."}
    original_pieces = core.Command.collect_usage_pieces

    def collect_usage_pieces(self, ctx):
        return [usage_words.get(piece, piece) for piece in original_pieces(self, ctx)]

    core.Command.collect_usage_pieces = collect_usage_pieces
    group = getattr(typer_core, "TyperGroup", None)
    if group is not None and "collect_usage_pieces" in vars(group):
        original_group_pieces = group.collect_usage_pieces

        def group_usage_pieces(self, ctx):
            return [usage_words.get(piece, piece) for piece in original_group_pieces(self, ctx)]

        group.collect_usage_pieces = group_usage_pieces

    formatting = click_mod.formatting
    original_usage = formatting.HelpFormatter.write_usage

    def write_usage(self, prog, args="", prefix=None):
        return original_usage(self, prog, args, USAGE_PREFIX if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage

    exceptions = click_mod.exceptions

    def show(self, file=None):
        file = file or sys.stderr
        ctx = getattr(self, "ctx", None)
        lines = []
        if ctx is not None:
            lines.append(ctx.get_usage())
            if ctx.command.get_help_option(ctx) is not None:
                lines.append(f"Справка: {ctx.command_path} {ctx.help_option_names[0]}")
            lines.append("")
        lines.append(f"Ошибка: {translate(self.format_message())}")
        file.write("\n".join(lines) + "\n")

    exceptions.UsageError.show = show
