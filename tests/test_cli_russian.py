"""Everything the command line prints is Russian: help headings, usage errors, exit code 2 for wrong usage."""

from __future__ import annotations

import subprocess
import sys

import pytest

from complaint_cli.commands.russian import translate


def complaint(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "complaint_cli", *args], capture_output=True, text=True, timeout=60)


def test_help_is_russian():
    out = complaint("--help").stdout
    assert out.startswith("Использование: complaint [ПАРАМЕТРЫ] КОМАНДА [АРГУМЕНТЫ]...")
    for english in ("Usage:", "Options:", "Commands:", "Show this message"):
        assert english not in out
    assert "Параметры:" in out and "Команды:" in out and "Показать эту справку и выйти." in out


@pytest.mark.parametrize("args, expected", [
    (["render", "--bogus"], "Ошибка: Нет такого параметра: --bogus"),
    (["calc", "penalty", "--norm", "23"], "Ошибка: Не указан обязательный параметр --base."),
    (["deadline", "--from", "2025-01-01", "--days", "abc"], "Ошибка: Неверное значение --days: ожидается целое число."),
    (["validat"], "Ошибка: Нет такой команды: validat. Возможно, вы имели в виду: validate?"),
])
def test_usage_errors_are_russian_and_exit_2(args, expected):
    result = complaint(*args)
    assert result.returncode == 2
    assert expected in result.stderr
    assert result.stdout == ""


def test_unknown_messages_pass_through_unchanged():
    assert translate("something new") == "something new"
