"""CliRunner tests for validate, render, deadline and calc: exit codes, JSON contracts, Russian messages."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from complaint_cli.cli import app
from tests.conftest import EXAMPLES, write_yaml

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def test_validate_a_complete_case_exits_0_with_json_contract():
    result = run("validate", EXAMPLES / "kuper_late_delivery.yaml", "--json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc == {"complete": True, "errors": [], "warnings": []}


def test_validate_an_invalid_case_exits_1_and_names_the_fields(tmp_path, late_case):
    late_case["claimant"]["email"] = "нет"
    del late_case["order"]["number"]
    path = write_yaml(tmp_path / "case.yaml", late_case)
    result = run("validate", path, "--json")
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["complete"] is False
    fields = {e["field"] for e in doc["errors"]}
    assert fields == {"claimant.email", "order.number"}
    human = run("validate", path)  # the result is the command's product: stdout; warnings only on stderr
    assert "claimant.email" in human.stdout and "order.number" in human.stdout
    assert "claimant.email" not in human.stderr


def test_missing_case_file_is_a_clear_error_not_a_traceback(tmp_path):
    result = run("validate", tmp_path / "nope.yaml")
    assert result.exit_code == 1
    assert "Файл дела не найден" in result.stderr
    assert "Traceback" not in result.output


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("claimant:\n  full_name: [unclosed\n", encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 1
    assert "не читается как YAML (строка" in result.stderr


def test_render_writes_the_claim_and_prints_json_only(tmp_path):
    result = run("render", EXAMPLES / "kuper_missing_items.yaml", "--out", tmp_path, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["documents"][0]["kind"] == "claim"
    path = tmp_path / "Претензия_заказ_12345_2026.docx"
    assert doc["documents"][0]["path"] == str(path.resolve())
    assert path.stat().st_mode & 0o777 == 0o600


def test_render_refuses_to_overwrite_without_force(tmp_path):
    case = EXAMPLES / "kuper_missing_items.yaml"
    assert run("render", case, "--out", tmp_path).exit_code == 0
    again = run("render", case, "--out", tmp_path)
    assert again.exit_code == 1
    assert "--force" in again.stderr
    assert run("render", case, "--out", tmp_path, "--force").exit_code == 0


def test_render_of_an_invalid_case_writes_nothing(tmp_path, late_case):
    late_case["order"]["amount"] = "много"
    path = write_yaml(tmp_path / "case.yaml", late_case)
    out = tmp_path / "out"
    result = run("render", path, "--out", out, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["errors"][0]["field"] == "order.amount"
    assert not out.exists() or not any(out.iterdir())


def test_deadline_json_contract_and_shift():
    result = run("deadline", "--from", "22.04.2025", "--days", "10", "--json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert (doc["deadline"], doc["shifted"], doc["calendar_confirmed"]) == ("2025-05-05", True, True)
    result = run("deadline", "--from", "2025-04-28", "--working-days", "5", "--json")
    assert json.loads(result.stdout)["deadline"] == "2025-05-07"


def test_deadline_in_an_unconfirmed_year_is_flagged():
    doc = json.loads(run("deadline", "--from", "2028-04-21", "--days", "10", "--json").stdout)
    assert doc["calendar_confirmed"] is False
    assert any("2028" in w for w in doc["warnings"])


def test_deadline_usage_errors_exit_2():
    assert run("deadline", "--from", "22.04.2025").exit_code == 2
    bad = run("deadline", "--from", "31.02.2025", "--days", "3")
    assert bad.exit_code == 2
    assert "такой даты не существует" in bad.stderr


def test_calc_penalty_json_contract_matches_law_example_p1():
    result = run("calc", "penalty", "--norm", "23", "--base", "1 250,50", "--received", "03.03.2025",
                 "--on", "02.04.2025", "--json")
    doc = json.loads(result.stdout)
    assert {k: doc[k] for k in ("days", "amount", "capped", "period_from", "period_to")} == {
        "days": 20, "amount": "250.10", "capped": False, "period_from": "2025-03-14", "period_to": "2025-04-02"}


def test_calc_penalty_before_the_deadline_is_an_error():
    result = run("calc", "penalty", "--norm", "23.1", "--base", "4870", "--deadline", "2025-06-10", "--on", "2025-06-01")
    assert result.exit_code == 1
    assert "раньше" in result.stderr


def test_calc_penalty_human_output_shows_the_formula():
    result = run("calc", "penalty", "--norm", "23.1", "--base", "4870", "--deadline", "2025-06-10", "--on", "2025-06-30")
    assert result.exit_code == 0
    assert "0,5 % × 4 870,00 руб. × 20 дн. = 487,00 руб." in result.stdout.replace("\u00a0", " ")


def test_calc_court_json_contract():
    doc = json.loads(run("calc", "court", "--claim-value", "100000.01", "--moral-damages", "5000", "--json").stdout)
    assert (doc["court"], doc["state_duty"], doc["fine"]) == ("district", "0.00", "52500.01")
    doc = json.loads(run("calc", "court", "--claim-value", "100000,00", "--json").stdout)
    assert doc["court"] == "magistrate"


def test_every_command_has_russian_help():
    for args in (["validate"], ["render"], ["deadline"], ["calc", "penalty"], ["calc", "court"]):
        result = run(*args, "--help")
        assert result.exit_code == 0
        assert any("а" <= ch <= "я" for ch in result.stdout)
