"""Issue 15 item 10: a full disk, a read-only folder, no permission, a folder where a file goes — each is a Russian
message naming the path, exit 1, and nothing half-written or temporary is left behind."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import uuid

import pytest
from typer.testing import CliRunner

from complaint_cli import fsutil
from complaint_cli.cli import app
from tests.conftest import EXAMPLES

runner = CliRunner()


@pytest.fixture
def case(tmp_path):
    path = tmp_path / "дело.yaml"
    shutil.copy(EXAMPLES / "kuper_late_delivery.yaml", path)
    return path


def _leftovers(folder):
    return [p for p in folder.rglob("*") if p.name.endswith(".tmp") or p.suffix == ".docx"]


@pytest.mark.parametrize(("code", "words"), [
    (errno.ENOSPC, "на диске не осталось места"),
    (errno.EROFS, "только для чтения"),
    (errno.EACCES, "нет прав доступа"),
    (errno.EDQUOT, "квота"),
])
def test_a_failing_write_is_a_russian_message_with_the_path_and_leaves_nothing(case, tmp_path, monkeypatch,
                                                                               code, words):
    out = tmp_path / "out"
    real_write = os.write

    def failing(fd, data):
        if len(data) > 100:  # a document's bytes, not a pipe's
            raise OSError(code, os.strerror(code))
        return real_write(fd, data)

    monkeypatch.setattr(fsutil.os, "write", failing)
    result = runner.invoke(app, ["render", str(case), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert words in result.stderr
    assert str(out) in result.stderr.replace("\n", "")  # the path is named
    assert "Внутренняя ошибка" not in result.stderr and "Traceback" not in result.stderr
    assert _leftovers(out) == []


def test_a_folder_where_the_letter_goes_is_named_and_kept(case, tmp_path):
    out = tmp_path / "out"
    first = runner.invoke(app, ["render", str(case), "--out", str(out), "--json"])
    assert first.exit_code == 0
    docx = next(out.glob("*.docx"))
    docx.unlink()
    docx.mkdir()  # a folder of the letter's name
    (docx / "моё.txt").write_text("не трогать", encoding="utf-8")
    result = runner.invoke(app, ["render", str(case), "--out", str(out), "--force"])
    assert result.exit_code == 1
    assert docx.name in result.stderr.replace("\n", "") and "папка" in result.stderr
    assert (docx / "моё.txt").read_text(encoding="utf-8") == "не трогать"
    assert [p for p in out.rglob("*.tmp")] == []


def _mount_tmpfs(target, options: str) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True)
    return done.returncode == 0


@pytest.fixture
def tiny_disk(tmp_path):
    target = tmp_path / f"tiny-{uuid.uuid4().hex[:6]}"
    if not _mount_tmpfs(target, "size=64k"):
        pytest.skip("cannot mount a small file system here (needs root and mount)")
    yield target
    subprocess.run(["umount", "-l", str(target)], capture_output=True)


def test_a_really_full_disk(case, tiny_disk):
    (tiny_disk / "filler").write_bytes(os.urandom(60_000))
    out = tiny_disk / "out"
    result = runner.invoke(app, ["render", str(case), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "на диске не осталось места" in result.stderr
    assert str(out) in result.stderr.replace("\n", "")
    assert _leftovers(tiny_disk) == []


def test_a_really_read_only_folder(case, tmp_path):
    target = tmp_path / "ro"
    if not _mount_tmpfs(target, "size=1m,ro"):
        pytest.skip("cannot mount a read-only file system here (needs root and mount)")
    try:
        result = runner.invoke(app, ["render", str(case), "--out", str(target / "out")])
        assert result.exit_code == 1, result.output
        assert "только для чтения" in result.stderr and str(target) in result.stderr.replace("\n", "")
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True)
