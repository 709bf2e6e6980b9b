"""Russian for the few English strings typer and its vendored click print (help headings, usage errors).

Click has no Russian catalogue and typer's copy of click hard-codes its strings, so we translate where they reach the
user: the gettext hook typer.core uses for section titles, the help option's text and usage prefix, an argument's
type and a number's range in help (``ДЕЛО``, not ``ДЕЛО <str>``; «от 1 до 60», not ``1<=x<=60``), the shell
completion options, and ``UsageError.show``. Each patch checks that its target exists, so a typer upgrade that moves
things degrades to English text rather than a crash (tests/test_cli_russian.py and tests/test_cli_newcomer.py notice).
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

# Patterns are strings, compiled on first use by re's cache: only a usage error needs them, not every start-up.
ERRORS = [
    (r"^No such option: (.+?)(?: \(Possible options: (.+)\))?$", "Нет такого параметра: {0}."),
    (r"^Missing option '(.+)'\.?(.*)$", "Не указан обязательный параметр {0}."),
    (r"^Missing argument '(.+)'\.?(.*)$", "Не указан обязательный аргумент {0}."),
    (r"^Missing parameter '?(.+?)'?\.?$", "Не указан обязательный параметр {0}."),
    (r"^Got unexpected extra arguments? \((.+)\)$", "Лишние аргументы: {0}"),
    (r"^No such command '(.+?)'\.(?:\s*Did you mean (.+)\?)?$", "Нет такой команды: {0}.{1}"),
    (r"^Invalid value for '?(.+?)'?: (.+)$", "Неверное значение {0}: {1}"),
    (r"^Option '(.+)' requires an argument\.?$", "Параметру {0} нужно значение."),
    (r"^Option '(.+)' does not take a value\.?$", "Параметр {0} не принимает значения."),
]

VALUE_ERRORS = [
    (r"^Input should be a valid integer.*$", "ожидается целое число."),
    (r"^Input should be a valid number.*$", "ожидается число."),
    (r"^Input should be less than or equal to (.+?)\.?$", "должно быть не больше {0}."),
    (r"^Input should be greater than or equal to (.+?)\.?$", "должно быть не меньше {0}."),
    (r"^Input should be less than (.+?)\.?$", "должно быть меньше {0}."),
    (r"^Input should be greater than (.+?)\.?$", "должно быть больше {0}."),
    (r"^'?(.+?)'? is not a valid integer(?: range)?\.?$", "«{0}» — не целое число."),
    (r"^'?(.+?)'? is not a valid float(?: range)?\.?$", "«{0}» — не число."),
    (r"^(.+?) is not in the range (.+)\.$", "{0} вне допустимого диапазона ({1})."),
    (r"^'?(.+?)'? is not one of (.+)\.$", "«{0}» не входит в список: {1}."),
    (r"^'?(.+?)'? is not a valid boolean\.?$", "«{0}» — ожидается да/нет."),
    (r"^(?:File|Path|Directory) '(.+)' does not exist\.$", "Путь «{0}» не существует."),
]


def translate(message: str) -> str:
    """A click usage message in Russian (unknown messages are returned unchanged)."""
    for pattern, template in ERRORS:
        m = re.match(pattern, message.strip(), re.S)
        if m:
            groups = [g or "" for g in m.groups()]
            if template.startswith("Нет такой команды"):
                groups[1] = _suggest(re.findall(r"'([^']+)'", groups[1]))
            elif template.startswith("Нет такого параметра"):
                close = [name for name in groups[1].split(", ") if name and name not in ("--help", "-h")]
                return template.format(groups[0]) + _suggest(close)
            elif template.count("{1}"):
                groups[1] = _translate_value(groups[1])
            return template.format(*groups)
    return message


def _suggest(names: list[str]) -> str:
    """« Возможно, вы имели в виду: render или remind?» for click's close matches (empty when there are none)."""
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} или {names[-1]}"
    return f" Возможно, вы имели в виду: {listed}?"


def _translate_value(message: str) -> str:
    for pattern, template in VALUE_ERRORS:
        m = re.match(pattern, message.strip())
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

    def usage_piece(piece: str) -> str:
        # typer writes a required argument as {ДЕЛО}; a reader would type the braces. ДЕЛО, as click writes it.
        if piece.startswith("{") and piece.endswith("}"):
            return piece[1:-1]
        return usage_words.get(piece, piece)

    def collect_usage_pieces(self, ctx):
        return [usage_piece(piece) for piece in original_pieces(self, ctx)]

    core.Command.collect_usage_pieces = collect_usage_pieces
    group = getattr(typer_core, "TyperGroup", None)
    if group is not None and "collect_usage_pieces" in vars(group):
        original_group_pieces = group.collect_usage_pieces

        def group_usage_pieces(self, ctx):
            return [usage_piece(piece) for piece in original_group_pieces(self, ctx)]

        group.collect_usage_pieces = group_usage_pieces

    # An argument with a Russian metavar (ДЕЛО) is shown as «ДЕЛО», not «ДЕЛО <str>».
    argument = getattr(typer_core, "TyperArgument", None)
    if argument is not None and hasattr(argument, "display_type_rich"):
        original_display = argument.display_type_rich

        def display_type_rich(self, ctx):
            return None if self.metavar is not None else original_display(self, ctx)

        argument.display_type_rich = display_type_rich

    if hasattr(typer_core, "describe_number_range"):
        typer_core.describe_number_range = describe_number_range

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
    _install_completion_options()


def describe_number_range(low, high) -> str | None:
    """A number option's range in its help: «от 1 до 60» (typer writes «1<=x<=60»)."""
    if low is None and high is None:
        return None
    if low is None:
        return f"не больше {high}"
    if high is None:
        return f"не меньше {low}"
    return f"от {low} до {high}"


COMPLETION_HELP = {
    "install_completion": "Установить автодополнение команд и значений для этой оболочки (bash, zsh, fish, PowerShell).",
    "show_completion": "Показать скрипт автодополнения, чтобы установить его вручную.",
}
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")


def _install_completion_options() -> None:
    """typer's --install-completion/--show-completion with Russian help and messages."""
    import typer.main as typer_main

    original = getattr(typer_main, "get_install_completion_arguments", None)
    if original is None:
        return

    def get_install_completion_arguments():
        params = original()
        for param in params:
            param.help = COMPLETION_HELP.get(param.name, param.help)
            if param.name == "install_completion":
                param.callback = _install_completion
        return params

    typer_main.get_install_completion_arguments = get_install_completion_arguments


def _install_completion(ctx, param, value):
    """typer's install_callback, in Russian and with a plain message for an unknown shell."""
    if not value or ctx.resilient_parsing:
        return value
    from typer import echo
    from typer._completion_shared import _get_shell_name, install

    shell = str(getattr(value, "value", value)) if not isinstance(value, bool) else _get_shell_name()
    if shell not in SHELLS:
        echo(f"Автодополнение для оболочки «{shell or 'не определена'}» не поддерживается; "
             "поддерживаются bash, zsh, fish и PowerShell.", err=True)
        ctx.exit(1)
    shell, path = install(shell=shell)
    echo(f"Автодополнение для {shell} установлено: {path}")
    echo("Оно заработает в новом окне терминала.")
    ctx.exit(0)
