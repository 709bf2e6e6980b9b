"""``complaint escalate`` through CliRunner: the JSON contract, exit codes, the registry, messages in Russian."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from complaint_cli.cli import app
from tests.conftest import write_yaml

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def late_file(tmp_path, late_case):
    late_case["submission"] = {"channel": "app", "sent_on": "2026-11-03", "received_on": "2026-11-03"}
    return write_yaml(tmp_path / "case.yaml", late_case)


@pytest.fixture
def early_file(tmp_path, late_case):
    late_case["submission"] = {"channel": "app", "sent_on": "2026-11-20", "received_on": "2026-11-20"}
    return write_yaml(tmp_path / "early.yaml", late_case)


def test_json_contract_is_exactly_documents_deadline_penalty_warnings(late_file, tmp_path):
    result = run("escalate", late_file, "--out", tmp_path / "out", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == {"documents", "deadline", "penalty", "warnings"}
    assert [d["kind"] for d in doc["documents"]] == ["inaction", "rospotrebnadzor", "court", "penalty", "review"]
    assert {Path(d["path"]).parent for d in doc["documents"]} == {(tmp_path / "out").resolve()}
    assert doc["deadline"] == "2026-11-13"
    assert doc["penalty"] == "299.00"  # ст. 28 п. 5 + ст. 31 п. 3 from the service; no ст. 23.1 without the seller
    assert any("claimant.birth_date" in w for w in doc["warnings"])


def test_before_the_deadline_exit_1_with_the_deadline_in_the_message(early_file):
    human = run("escalate", early_file)
    assert human.exit_code == 1
    assert "Срок удовлетворения претензии ещё не истёк: последний день — 30.11.2026" in human.stderr
    assert "--force" in human.stderr
    assert human.stdout == ""
    as_json = run("escalate", early_file, "--json")
    assert as_json.exit_code == 1
    assert "30.11.2026" in json.loads(as_json.stdout)["error"]
    assert "Traceback" not in as_json.output


def test_force_drafts_before_the_deadline(early_file, tmp_path):
    result = run("escalate", early_file, "--out", tmp_path / "out", "--only", "inaction", "--force", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [d["kind"] for d in doc["documents"]] == ["inaction", "penalty"]  # the appendix goes with the letter
    assert any("--force" in w for w in doc["warnings"])


def test_a_refused_reply_in_the_registry_allows_escalation(early_file, tmp_path):
    assert run("reply", early_file, "--on", "2026-11-23", "--outcome", "refused").exit_code == 0
    result = run("escalate", early_file, "--out", tmp_path / "out", "--only", "inaction", "--json")
    assert result.exit_code == 0, result.output
    from complaint_cli.money import normalize_spaces
    from complaint_cli.render import document_text

    path = json.loads(result.stdout)["documents"][0]["path"]
    text = normalize_spaces(document_text(open(path, "rb").read()))
    assert "23.11.2026 получен отказ в удовлетворении требований" in text


def test_documents_are_registered_and_status_shows_what_was_escalated(late_file, tmp_path):
    assert run("escalate", late_file, "--out", tmp_path / "out", "--only", "inaction,court").exit_code == 0
    status = run("status", "--json")
    assert status.exit_code == 0, status.output
    (row,) = json.loads(status.stdout)["cases"]
    assert [(e["kind"], e["on"]) for e in row["escalated"]] == [("inaction", "2026-11-25"), ("court", "2026-11-25")]


def test_case_can_be_named_by_its_registry_id(late_file, tmp_path):
    assert run("escalate", late_file, "--out", tmp_path / "a", "--only", "review").exit_code == 0
    result = run("escalate", "1", "--out", tmp_path / "b", "--only", "review", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["documents"][0]["kind"] == "review"


def test_existing_documents_need_force(late_file, tmp_path):
    assert run("escalate", late_file, "--out", tmp_path / "out", "--only", "inaction").exit_code == 0
    again = run("escalate", late_file, "--out", tmp_path / "out", "--only", "inaction")
    assert again.exit_code == 1
    assert "Файл уже существует" in again.stderr and "--force" in again.stderr


def test_missing_court_data_become_blanks_without_prompting(late_file, tmp_path):
    result = run("escalate", late_file, "--out", tmp_path / "out", "--only", "court", "--json")
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.stdout)["warnings"]
    for field in ("claimant.birth_date", "claimant.birth_place", "claimant.identifier", "--moral-damages",
                  "--court-name"):
        assert any(field in w and "«____»" in w for w in warnings), field


def test_court_options_fill_the_blanks(late_file, tmp_path):
    result = run("escalate", late_file, "--out", tmp_path / "out", "--only", "court", "--json",
                 "--moral-damages", "5 000", "--court-name", "Мировому судье судебного участка № 372",
                 "--costs", "почтовые расходы=285,04")
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.stdout)["warnings"]
    assert not any("--moral-damages" in w or "--court-name" in w for w in warnings)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--only", "inaction,letter"), "--only: неизвестный документ «letter»"),
        (("--moral-damages", "много"), "--moral-damages"),
        (("--costs", "285"), "--costs: ожидается «название=сумма»"),
        (("--on", "31.02.2026"), "--on"),
    ],
)
def test_wrong_options_are_usage_errors(late_file, args, message):
    result = run("escalate", late_file, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_emergency_case_gets_the_repeat_claim_and_rospotrebnadzor_early(tmp_path, expired_case):
    expired_case["problem"]["emergency"] = True
    expired_case["submission"] = {"channel": "email", "sent_on": "2026-11-20", "received_on": "2026-11-20"}
    path = write_yaml(tmp_path / "urgent.yaml", expired_case)
    result = run("escalate", path, "--out", tmp_path / "out", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [d["kind"] for d in doc["documents"]] == ["inaction", "rospotrebnadzor"]
    assert doc["penalty"] == "0.00"
    court = run("escalate", path, "--out", tmp_path / "out2", "--only", "court")
    assert court.exit_code == 1
    assert "Срочный случай" in court.stderr


def test_invalid_case_is_reported_by_field(tmp_path, late_case):
    late_case["claimant"]["email"] = "нет"
    path = write_yaml(tmp_path / "bad.yaml", late_case)
    result = run("escalate", path, "--json")
    assert result.exit_code == 1
    assert "claimant.email" in {e["field"] for e in json.loads(result.stdout)["errors"]}


def test_help_describes_the_command():
    result = run("escalate", "--help")
    assert result.exit_code == 0
    for option in ("--only", "--force", "--moral-damages", "--court-name", "--costs", "--reply-days", "--json"):
        assert option in result.stdout
