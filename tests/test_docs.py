"""Every command has Russian help and appears in the README (as sqlite-utils does in tests/test_docs.py)."""

from __future__ import annotations

import re

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from complaint_cli.cli import app
from tests.conftest import ROOT

runner = CliRunner()


def command_paths(group=None, prefix=()):
    group = group or get_command(app)
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            yield from command_paths(cmd, (*prefix, name))
        else:
            yield (*prefix, name)


COMMANDS = sorted(command_paths())


def test_there_are_commands():
    assert ("new",) in COMMANDS and ("calc", "penalty") in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_has_russian_help(path):
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0
    assert re.search(r"[а-яё]{4,}", result.stdout)
    assert "Пример" in result.stdout


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_every_command_is_in_the_readme(path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"complaint {' '.join(path)}" in readme or (
        len(path) == 2 and f"complaint {path[0]} " in readme and path[1] in readme
    )


INSTALL_COMMAND = "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/complaint new"
TEST_COMMAND = "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/pytest"


def test_readme_first_screen_has_exactly_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_screen = readme.split("## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", first_screen, re.S)
    assert [b.strip() for b in blocks] == [INSTALL_COMMAND, TEST_COMMAND]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert TEST_COMMAND in ci.splitlines()  # CI runs the README's test command verbatim
