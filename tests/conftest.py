"""Shared fixtures: every test runs with its own COMPLAINT_CLI_HOME and a fixed «today»."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("COMPLAINT_CLI_HOME", str(home))
    monkeypatch.setenv("COMPLAINT_CLI_TODAY", TODAY.isoformat())
    from complaint_cli.commands.common import State

    monkeypatch.setattr(State, "debug", False)
    return home


def load_example(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


@pytest.fixture
def late_case() -> dict:
    return copy.deepcopy(load_example("kuper_not_delivered.yaml"))


@pytest.fixture
def missing_case() -> dict:
    return copy.deepcopy(load_example("kuper_missing_items.yaml"))


@pytest.fixture
def expired_case() -> dict:
    return copy.deepcopy(load_example("kuper_expired_goods.yaml"))


def write_yaml(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
