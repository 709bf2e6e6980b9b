"""The case file's ``court`` section feeds the draft court claim (options on the command line still win)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from complaint_cli.cli import app
from complaint_cli.money import normalize_spaces
from complaint_cli.render import document_text
from tests.conftest import write_yaml

runner = CliRunner()


def court_text(tmp_path, data, *extra) -> str:
    path = write_yaml(tmp_path / "case.yaml", data)
    result = runner.invoke(app, ["escalate", str(path), "--only", "court", "--out", str(tmp_path / "out"),
                                 "--json", *extra])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)["documents"][0]
    return normalize_spaces(document_text(Path(doc["path"]).read_bytes()))


def test_court_name_and_costs_come_from_the_case_file(tmp_path, missing_case):
    missing_case["court"] = {
        "name": "Мировому судье судебного участка № 7 Вахитовского судебного района г. Казани",
        "costs": [{"description": "почтовые расходы", "amount": "285,04"}],
    }
    missing_case["evidence"] = [{"description": "Кассовый чек"}]
    text = court_text(tmp_path, missing_case)
    assert "Мировому судье судебного участка № 7 Вахитовского судебного района г. Казани" in text
    assert "почтовые расходы" in text and "285 руб. 04 коп." in text


def test_command_line_court_name_wins(tmp_path, missing_case):
    missing_case["court"] = {"name": "Мировому судье судебного участка № 7"}
    missing_case["evidence"] = [{"description": "Кассовый чек"}]
    text = court_text(tmp_path, missing_case, "--court-name", "Мировому судье судебного участка № 9")
    assert "судебного участка № 9" in text and "судебного участка № 7" not in text
