"""Issue 16 item 6: trying a shipped sample never puts a stranger into the user's registry; the samples are in the
package (an installed tool has them) and can be copied out as the user's own case."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from complaint_cli.cli import app
from complaint_cli.errors import SampleCase
from complaint_cli.paths import examples_dir, is_example
from complaint_cli.registry import Registry
from complaint_cli.samples import examples, write_example
from tests.conftest import EXAMPLES

runner = CliRunner()


def test_the_samples_are_the_packages_own_files():
    assert examples_dir().resolve() == EXAMPLES.resolve()  # an editable install maps the package to examples/
    names = [e.name for e in examples()]
    assert "kuper_late_delivery" in names and all(e.title for e in examples())


def test_rendering_every_sample_in_place_leaves_status_empty_and_the_samples_folder_clean(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = sorted(p.name for p in EXAMPLES.iterdir())
    for example in examples():
        result = runner.invoke(app, ["render", str(example.path), "--json"])
        assert result.exit_code == 0, result.output
        doc = json.loads(result.stdout)
        assert all(str(tmp_path / "complaints") in d["path"] for d in doc["documents"])
        assert any("образец" in w for w in doc["warnings"])
    assert sorted(p.name for p in EXAMPLES.iterdir()) == before
    status = runner.invoke(app, ["status", "--check", "--json"])
    assert status.exit_code == 0, status.output  # no stranger's overdue case: cron stays quiet
    assert json.loads(status.stdout)["cases"] == []
    if Registry.exists():
        with Registry.open() as reg:
            assert reg.cases() == []


def test_a_sample_cannot_be_marked_sent_in_place(tmp_path):
    result = runner.invoke(app, ["sent", str(EXAMPLES / "kuper_late_delivery.yaml"), "--on", "20.11.2026"])
    assert result.exit_code == 1
    assert "образец" in result.stderr and "complaint example kuper_late_delivery" in result.stderr


def test_a_copy_of_a_sample_is_the_users_case(tmp_path):
    written = write_example("kuper_missing_items", tmp_path / "моё" / "дело.yaml")
    case = written[0]
    assert not is_example(case)
    assert (case.parent / "photos" / "paket.png").is_file()  # the evidence it names comes along
    result = runner.invoke(app, ["render", str(case), "--json"])
    assert result.exit_code == 0, result.output
    with Registry.open() as reg:
        assert reg.find(case) is not None
    with pytest.raises(Exception):
        write_example("kuper_missing_items", case)  # an existing file is kept without --force


def test_resolving_a_sample_says_what_to_do(tmp_path):
    from complaint_cli.tracking import resolve_case

    with Registry.open() as reg, pytest.raises(SampleCase):
        resolve_case(EXAMPLES / "kuper_late_delivery.yaml", reg, today=dt.date(2026, 11, 25))


def test_the_example_command_lists_the_samples_and_writes_a_copy(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    listed = runner.invoke(app, ["example", "--json"])
    assert listed.exit_code == 0, listed.output
    names = [e["name"] for e in json.loads(listed.stdout)["examples"]]
    assert "kuper_two_problems" in names
    human = runner.invoke(app, ["example"])
    assert "kuper_late_delivery — " in human.stdout
    made = runner.invoke(app, ["example", "kuper_late_delivery", "--out", "дело.yaml", "--json"])
    assert made.exit_code == 0, made.output
    assert (tmp_path / "дело.yaml").read_text(encoding="utf-8") == (EXAMPLES / "kuper_late_delivery.yaml").read_text(
        encoding="utf-8")
    again = runner.invoke(app, ["example", "kuper_late_delivery", "--out", "дело.yaml"])
    assert again.exit_code == 1 and "--force" in again.stderr
    unknown = runner.invoke(app, ["example", "нет_такого"])
    assert unknown.exit_code == 2 and "kuper_late_delivery" in unknown.stderr


def test_new_without_a_terminal_points_at_a_command_that_exists_after_pip_install():
    result = runner.invoke(app, ["new"], input="")
    assert result.exit_code == 1
    assert "complaint example kuper_late_delivery --out дело.yaml" in result.stderr
    assert "examples/" not in result.stderr
