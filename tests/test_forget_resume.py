"""Nothing lost, nothing left: ``forget`` removes everything the tool made for a case (and the registry keeps no trace
of the name), a batch resumed after a kill registers every letter on disk, and two batches never share a folder."""

from __future__ import annotations

import csv
import json
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import yaml
from typer.testing import CliRunner

from complaint_cli.batch import LOCK_NAME, REPORT_NAME, run_batch
from complaint_cli.batchjournal import JOURNAL
from complaint_cli.cli import app
from complaint_cli.registry import Registry
from tests.conftest import EXAMPLES, TODAY
from tests.test_batch import _cli, _journal_lines, case_row, write_rows

runner = CliRunner()
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000")  # a PNG's first bytes


def _registry_bytes(home: Path) -> bytes:
    return b"".join(p.read_bytes() for p in home.glob("registry.sqlite3*") if p.is_file())


def _files(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()}


def _case_with_evidence(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "дела"
    folder.mkdir(parents=True)
    photo = folder / "фото_упаковки.png"
    photo.write_bytes(PNG + b"\0" * 64)
    data = yaml.safe_load((EXAMPLES / "kuper_late_delivery.yaml").read_text(encoding="utf-8"))
    data["claimant"]["full_name"] = "Забываева Ульяна Петровна"
    data["company"]["email"] = "claims@example.ru"
    data["evidence"] = [{"description": "Фотография упаковки", "file": photo.name}]
    case = folder / "дело_H1.yaml"
    case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return case, photo


def _ok(*args: str) -> dict:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_forget_after_the_whole_life_of_a_case_leaves_only_the_users_originals(tmp_path, isolated_home):
    case, photo = _case_with_evidence(tmp_path)
    folder = case.parent
    draft = folder / "черновик_H1.yaml"  # what the wizard leaves when interrupted
    draft.write_text("claimant:\n  full_name: Забываева Ульяна Петровна\n", encoding="utf-8")
    export = tmp_path / "выгрузка.zip"
    _ok("render", str(case), "--format", "docx")
    _ok("email", str(case))
    _ok("sent", str(case), "--on", "20.11.2026", "--channel", "email")
    _ok("received", str(case), "--on", "20.11.2026")
    _ok("remind", str(case))
    _ok("escalate", str(case), "--on", "10.12.2026", "--only", "inaction", "--force")
    _ok("export", str(case), "--out", str(export))
    made = _files(folder) - {photo}
    kinds = {p.suffix for p in made}
    assert {".yaml", ".docx", ".eml", ".ics", ".png"} <= kinds  # .png: the copy in «Приложения»
    with Registry.open() as reg:
        case_id = reg.find(case).id
    from complaint_cli.casefile import lock_path

    lock = lock_path(case)
    assert lock.is_file()  # sent and received changed the case file under its lock
    _ok("forget", str(case), "--yes")
    assert not lock.exists()
    assert _files(folder) == {photo}, sorted(map(str, _files(folder)))
    assert export.is_file()  # an export the user asked for is theirs
    assert not (folder / "Приложения").exists()
    raw = _registry_bytes(isolated_home)
    for trace in ("Забываева".encode(), "H1".encode(), str(folder).encode()):
        assert trace not in raw
    # The number is never given to another case.
    other, _ = _case_with_evidence(tmp_path / "другое")
    _ok("render", str(other))
    with Registry.open() as reg:
        assert reg.find(other).id > case_id


def test_export_holds_each_file_once_with_the_email_and_the_calendar(tmp_path):
    import zipfile

    case, _ = _case_with_evidence(tmp_path)
    for _ in range(3):
        _ok("render", str(case), "--force")
    _ok("email", str(case))
    _ok("sent", str(case), "--on", "20.11.2026", "--channel", "email")
    _ok("remind", str(case))
    target = tmp_path / "выгрузка.zip"
    _ok("export", str(case), "--out", str(target))
    with zipfile.ZipFile(target) as zf:
        names = [n.split("_", 1)[1] for n in zf.namelist() if n.startswith("документы/")]
    assert len(names) == len(set(names))
    assert any(n.endswith(".docx") for n in names)
    assert any(n.endswith(".eml") for n in names) and any(n.endswith(".ics") for n in names)


def test_forgetting_a_batch_case_removes_its_line_from_the_report(tmp_path):
    Registry.open().close()  # a batch registers into an existing registry
    source = write_rows(tmp_path / "cases.csv", [case_row(1), case_row(2)])
    out = tmp_path / "out"
    result = run_batch(source, out_dir=out, on=TODAY, jobs=1)
    assert result.registered == 2
    report = out / REPORT_NAME
    before = report.read_text(encoding="utf-8-sig")
    first = next(d for d in result.documents if d.row == 1).path.parent
    assert first.name in before
    with Registry.open() as reg:
        case_file = next(p for p in first.glob("*.yaml"))
        case_id = reg.find(case_file).id
    _ok("forget", str(case_id), "--yes")
    after = report.read_text(encoding="utf-8-sig")
    assert first.name not in after
    rows = list(csv.reader(after.splitlines(), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["2"]  # the other person's line stays
    assert not first.exists()
    assert first.name not in (out / JOURNAL).read_text(encoding="utf-8")


def _documents_by_path(home: Path) -> list[str]:
    conn = sqlite3.connect(home / "registry.sqlite3")
    try:
        return [r[0] for r in conn.execute("SELECT path FROM documents WHERE kind = 'claim'")]
    finally:
        conn.close()


def test_a_batch_resumed_after_a_kill_registers_every_letter_on_disk_once(tmp_path, isolated_home):
    Registry.open().close()
    n = 300
    source = write_rows(tmp_path / "cases.csv", [case_row(i) for i in range(1, n + 1)])
    out = tmp_path / "out"
    proc = _cli("batch", source, "--out", out, "--jobs", 2, "--json", start_new_session=True)
    deadline = time.monotonic() + 60
    while _journal_lines(out) < 30 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the run finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    written_before = len(list(out.rglob("*.docx")))
    assert 0 < written_before < n
    again = _cli("batch", source, "--out", out, "--jobs", 2, "--json")
    _, stderr = again.communicate(timeout=180)
    assert again.returncode == 0, stderr.decode()
    on_disk = sorted(str(p.resolve()) for p in out.rglob("*.docx"))
    registered = _documents_by_path(isolated_home)
    assert len(on_disk) == n
    assert sorted(registered) == on_disk  # every letter, the killed run's included, once
    third = _cli("batch", source, "--out", out, "--jobs", 2, "--json")
    third.communicate(timeout=180)
    assert sorted(_documents_by_path(isolated_home)) == on_disk  # a re-run adds no duplicate rows


def test_a_second_batch_into_the_same_folder_is_refused_while_the_first_runs(tmp_path, isolated_home):
    Registry.open().close()
    n = 400
    source = write_rows(tmp_path / "cases.csv", [case_row(i) for i in range(1, n + 1)])
    out = tmp_path / "out"
    first = _cli("batch", source, "--out", out, "--jobs", 1, "--json")
    deadline = time.monotonic() + 60
    while _journal_lines(out) < 5 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert first.poll() is None, "the first run finished before the second started"
    second = subprocess.run([sys.executable, "-m", "complaint_cli", "batch", str(source), "--out", str(out)],
                            capture_output=True, text=True, timeout=60)
    assert second.returncode == 1
    assert "уже идёт другая пакетная обработка" in second.stderr
    assert "Traceback" not in second.stderr
    stdout, stderr = first.communicate(timeout=180)
    assert first.returncode == 0, stderr.decode()
    assert json.loads(stdout)["ok"] == n
    registered = _documents_by_path(isolated_home)
    assert len(registered) == len(set(registered)) == n
    assert (out / LOCK_NAME).stat().st_mode & 0o777 == 0o600
    # Once the first is done, the folder is free again.
    third = subprocess.run([sys.executable, "-m", "complaint_cli", "batch", str(source), "--out", str(out)],
                           capture_output=True, text=True, timeout=180)
    assert third.returncode == 0, third.stderr


def test_forget_keeps_an_evidence_original_that_already_sits_in_the_attachments_folder(tmp_path):
    case, photo = _case_with_evidence(tmp_path)
    attachments = case.parent / "Приложения"
    attachments.mkdir()
    inside = attachments / photo.name
    shutil.move(photo, inside)
    data = yaml.safe_load(case.read_text(encoding="utf-8"))
    data["evidence"][0]["file"] = f"Приложения/{photo.name}"
    case.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _ok("render", str(case))
    _ok("forget", str(case), "--yes")
    assert inside.is_file()
