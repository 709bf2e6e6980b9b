"""Issue 16 item 7: one rule for every file the tool writes — an existing one is replaced only with --force — and
``render --format pdf`` leaves a .docx the user may have edited alone; ``email --out`` is where the .eml goes."""

from __future__ import annotations

import json
import shutil

import pytest
import yaml
from typer.testing import CliRunner

from complaint_cli.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()


@pytest.fixture
def case(tmp_path):
    data = yaml.safe_load((EXAMPLES / "kuper_late_delivery.yaml").read_text(encoding="utf-8"))
    data["company"]["email"] = "claims@example.ru"
    data["submission"] = {"channel": "email", "sent_on": "2026-11-20", "received_on": "2026-11-20"}
    path = tmp_path / "дело.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("command", [["remind"], ["email"], ["render"]])
def test_a_second_run_refuses_to_replace_its_file_without_force(case, command):
    if command != ["render"]:
        assert _run("render", case).exit_code == 0
    first = _run(*command, case, "--json")
    assert first.exit_code == 0, first.output
    again = _run(*command, case)
    assert again.exit_code == 1
    assert "Файл уже существует" in again.stderr and "--force" in again.stderr
    forced = _run(*command, case, "--force", "--json")
    assert forced.exit_code == 0, forced.output


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_pdf_only_leaves_an_edited_docx_alone(case):
    assert _run("render", case).exit_code == 0
    docx = next(case.parent.glob("*.docx"))
    docx.write_bytes(docx.read_bytes() + b"")  # the user's edit stands for any change
    before = docx.read_bytes()
    stamp = docx.stat().st_mtime_ns
    result = _run("render", case, "--format", "pdf", "--json")
    assert result.exit_code == 0, result.output
    paths = [d["path"] for d in json.loads(result.stdout)["documents"]]
    assert len(paths) == 1 and paths[0].endswith(".pdf")
    assert docx.read_bytes() == before and docx.stat().st_mtime_ns == stamp
    assert not [p for p in case.parent.iterdir() if p.name.startswith(".complaint-pdf-")]
    again = _run("render", case, "--format", "pdf")
    assert again.exit_code == 1 and ".pdf" in again.stderr


def test_email_out_is_where_the_draft_goes(case, tmp_path):
    assert _run("render", case).exit_code == 0
    out = tmp_path / "письма"
    result = _run("email", case, "--out", out, "--json")
    assert result.exit_code == 0, result.output
    path = json.loads(result.stdout)["path"]
    assert path.startswith(str(out)) and path.endswith(".eml")
