"""A person's data: export everything held about a case; forget deletes files and registry rows after confirmation."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from complaint_cli.cli import app
from complaint_cli.registry import Registry
from tests.conftest import EXAMPLES

runner = CliRunner()


def rendered_case(tmp_path: Path) -> Path:
    case = tmp_path / "дело.yaml"
    shutil.copy(EXAMPLES / "kuper_late_delivery.yaml", case)
    result = runner.invoke(app, ["render", str(case), "--json"])
    assert result.exit_code == 0, result.output
    return case


def test_export_writes_a_private_zip_with_everything_held(tmp_path):
    case = rendered_case(tmp_path)
    out = tmp_path / "выгрузка.zip"
    result = runner.invoke(app, ["export", str(case), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o777 == 0o600
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        meta = json.loads(zf.read("реестр.json"))
    assert "дело/дело.yaml" in names
    assert meta["case"]["case_file"] == str(case.resolve())


def test_forget_needs_confirmation_without_a_terminal(tmp_path):
    case = rendered_case(tmp_path)
    result = runner.invoke(app, ["forget", str(case)])
    assert result.exit_code == 2
    assert "--yes" in result.stderr
    assert case.exists()


def test_forget_deletes_the_case_its_documents_and_registry_rows(tmp_path):
    case = rendered_case(tmp_path)
    with Registry.open() as registry:
        record = registry.find(case)
        case_id = record.id
        documents = [d.path for d in registry.documents(case_id)]
    result = runner.invoke(app, ["forget", str(case), "--yes", "--json"])
    assert result.exit_code == 0, result.output
    assert not case.exists()
    assert all(not p.exists() for p in documents)
    with Registry.open() as registry:
        assert registry.find(case_id) is None
        assert registry.execute("SELECT count(*) FROM events WHERE case_id = ?", (case_id,))[0][0] == 0
