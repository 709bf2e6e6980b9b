"""A person's data: export everything held about a case; forget deletes files and registry rows after confirmation."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
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


def test_forgetting_a_batch_case_removes_its_folder_and_its_journal_line(tmp_path):
    from complaint_cli.batch import run_batch
    from complaint_cli.batchjournal import JOURNAL
    from tests.conftest import TODAY
    from tests.test_batch import case_row, person, write_rows

    Registry.open().close()  # the batch registers its cases
    source = write_rows(tmp_path / "cases.csv", [case_row(1), case_row(2)])
    result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1)
    folder = result.documents[0].path.parent
    (tmp_path / "out" / "мои заметки").mkdir()  # something of the advocate's own, beside the cases
    case_file = next(folder.glob("дело_*.yaml"))
    answer = runner.invoke(app, ["forget", str(case_file), "--yes", "--json"])
    assert answer.exit_code == 0, answer.output
    assert not folder.exists()
    journal = (tmp_path / "out" / JOURNAL).read_text(encoding="utf-8")
    assert person(1)[0].split()[0] not in journal and person(2)[0].split()[0] in journal
    assert (tmp_path / "out" / "мои заметки").is_dir()
    assert run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1).rendered == 1  # only the forgotten one


@pytest.mark.parametrize(("typed", "deleted"), [("д\n", True), ("да\n", True), ("y\n", True), ("н\n", False),
                                                ("\n", False), ("может\nнет\n", False)])
def test_forget_asks_in_russian_and_takes_da_and_net(tmp_path, monkeypatch, typed, deleted):
    import types

    from complaint_cli.commands import privacy

    case = tmp_path / "case.yaml"
    shutil.copy(EXAMPLES / "kuper_not_delivered.yaml", case)
    assert runner.invoke(app, ["render", str(case), "--out", str(tmp_path / "out")]).exit_code == 0
    # CliRunner replaces stdin; the command asks only on a terminal, so say there is one.
    monkeypatch.setattr(privacy, "sys", types.SimpleNamespace(stdin=types.SimpleNamespace(isatty=lambda: True)))
    result = runner.invoke(app, ["forget", str(case)], input=typed)
    assert "[д/Н]" in result.output
    assert case.exists() is not deleted
    if "может" in typed:
        assert "Ответьте «да» или «нет»." in result.output
