"""`complaint status` over many cases reads only the case files that changed (issue 17, goal 3).

What status shows of each case is kept in the registry with the case file's size, times and inode; it is stored when
`sent`/`received` or a batch write the file, and computed again only for a file whose key has changed. These tests
check that the kept row is always the one a fresh reading gives, that unchanged files are not read, and that
`--check` lists only the overdue cases.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from complaint_cli import casefile, registry as registry_module, tracking
from complaint_cli.batch import run_batch
from complaint_cli.cli import app
from complaint_cli.registry import NewCase, Registry, StatusSummary, file_key
from tests.conftest import TODAY, write_yaml
from tests.test_batch import case_row, write_rows

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def status(*flags: str) -> list[dict]:
    result = run("status", "--json", *flags)
    assert result.exit_code in (0, 3), result.stderr
    return json.loads(result.stdout)["cases"]


def fresh_status(*flags: str) -> list[dict]:
    """What status shows when nothing is kept: every summary dropped, every case file read again."""
    with Registry.open() as reg, reg.transaction() as conn:
        conn.execute("DELETE FROM case_status")
    return status(*flags)


def forbid_reading(monkeypatch) -> None:
    """From now on, reading a case file fails the test (status must do with what the registry keeps)."""
    monkeypatch.setattr(casefile, "read_case_data", lambda path: pytest.fail(f"status read the case file {path}"))


@pytest.fixture
def case_file(tmp_path, late_case) -> Path:
    return write_yaml(tmp_path / "case.yaml", late_case)


def ok(*args) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.stderr


# --------------------------------------------------------------------------- the kept row is the fresh one


STEPS = [
    ("sent", "{case}", "--on", "02.11.2026"),
    ("received", "{case}", "--on", "03.11.2026"),
    ("reply", "1", "--on", "10.11.2026", "--outcome", "refused"),
]


@pytest.mark.parametrize("done", [1, 2, 3], ids=["sent", "sent+received", "sent+received+reply"])
def test_after_each_tracking_command_status_reads_nothing_and_equals_a_fresh_reading(case_file, monkeypatch, done):
    for step in STEPS[:done]:
        ok(*(a.format(case=case_file) for a in step))
    with monkeypatch.context() as m:
        forbid_reading(m)
        kept = status()
    assert kept == fresh_status()
    assert kept[0]["sent_on"] == "2026-11-02"
    assert kept[0]["received_on"] == ("2026-11-03" if done >= 2 else None)


def test_sent_and_received_keep_the_summary_of_the_file_they_wrote_without_reading_it_back(case_file, monkeypatch):
    ok("sent", case_file, "--on", "02.11.2026")
    with monkeypatch.context() as m:
        forbid_reading(m)  # received changes the file and keeps its summary from the case it wrote
        ok("received", case_file, "--on", "03.11.2026")
    with Registry.open() as reg:
        [entry] = reg.status_view()
    assert entry.file_key == file_key(case_file)
    assert entry.summary == tracking._read_summary(case_file)
    assert (entry.summary.received_on, entry.summary.last_day) == (dt.date(2026, 11, 3), dt.date(2026, 11, 13))


def test_a_hand_edit_of_the_same_size_with_the_old_mtime_is_seen(case_file):
    """Only the change time (which cannot be set back) tells this edit apart: the size and mtime are the old ones."""
    ok("sent", case_file, "--on", "02.11.2026")
    ok("received", case_file, "--on", "03.11.2026")
    assert status()[0]["deadline"] == "2026-11-13"
    before = case_file.stat()
    text = case_file.read_text(encoding="utf-8")
    assert text.count("2026-11-03") == 1
    with open(case_file, "r+", encoding="utf-8") as fh:  # in place: the same inode
        fh.write(text.replace("2026-11-03", "2026-11-05"))
    os.utime(case_file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (case_file.stat().st_size, case_file.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    [row] = status()
    assert (row["received_on"], row["deadline"]) == ("2026-11-05", "2026-11-16")  # 15.11 is a Sunday
    assert [row] == fresh_status()


def test_a_file_replaced_by_hand_is_read_once_then_kept(case_file, late_case, monkeypatch):
    ok("sent", case_file, "--on", "02.11.2026")
    late_case["submission"].update(sent_on="2026-11-02", received_on="2026-11-20")
    write_yaml(case_file, late_case)
    reads = []
    real = casefile.read_case_data
    monkeypatch.setattr(casefile, "read_case_data", lambda path: reads.append(path) or real(path))
    [row] = status()
    assert row["received_on"] == "2026-11-20" and not row["overdue"]
    assert status() == [row]
    assert reads == [case_file.resolve()]


def test_a_file_that_becomes_unreadable_and_then_is_mended_is_followed(case_file, late_case):
    ok("sent", case_file, "--on", "02.11.2026")
    case_file.write_text("claimant: [не закрыт", encoding="utf-8")
    [row] = status()
    assert any(w.startswith("Файл дела не читается") for w in row["warnings"])
    assert row["sent_on"] == "2026-11-02"  # from the registry's history
    late_case["submission"].update(sent_on="2026-11-02", received_on="2026-11-03")
    write_yaml(case_file, late_case)
    [row] = status()
    assert row["warnings"] == [] and row["deadline"] == "2026-11-13"


def test_a_deleted_file_is_reported_from_the_registry_without_a_kept_summary(case_file, monkeypatch):
    ok("sent", case_file, "--on", "02.11.2026")
    case_file.unlink()
    forbid_reading(monkeypatch)
    [row] = status()
    assert row["state"] == "file_problem" and row["sent_on"] == "2026-11-02"
    assert row["warnings"][0].startswith("Файл дела не найден")


def test_days_left_and_overdue_are_worked_out_for_today_not_kept(case_file, monkeypatch):
    ok("sent", case_file, "--on", "02.11.2026")
    ok("received", case_file, "--on", "03.11.2026")
    assert status()[0]["overdue"] is True
    monkeypatch.setenv("COMPLAINT_CLI_TODAY", "2026-11-10")
    forbid_reading(monkeypatch)
    [row] = status()
    assert (row["overdue"], row["days_left"], row["state"]) == (False, 3, "waiting")
    assert row["next_step"].startswith("ждите ответа до 13.11.2026 включительно")


def test_a_summary_computed_by_another_version_is_computed_again(case_file, monkeypatch):
    ok("sent", case_file, "--on", "02.11.2026")
    monkeypatch.setattr(tracking, "status_basis", lambda: "другая версия")
    reads = []
    real = casefile.read_case_data
    monkeypatch.setattr(casefile, "read_case_data", lambda path: reads.append(path) or real(path))
    status()
    status()
    assert len(reads) == 1
    with Registry.open() as reg:
        assert reg.status_view()[0].summary.basis == "другая версия"


def test_status_does_not_wait_for_a_busy_registry_to_keep_what_it_read(case_file, late_case, isolated_home):
    """Keeping summaries is a cache: while another command holds the registry (a batch registering thousands of
    cases), status shows the changed file at once instead of waiting the registry's 15 s for it."""
    ok("sent", case_file, "--on", "02.11.2026")
    late_case["submission"].update(sent_on="2026-11-02", received_on="2026-11-03")
    write_yaml(case_file, late_case)
    other = sqlite3.connect(isolated_home / "registry.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        [row] = status()
        took = time.monotonic() - started
    finally:
        other.rollback()
        other.close()
    assert row["deadline"] == "2026-11-13"
    assert took < 8
    with Registry.open() as reg:
        assert reg.status_view()[0].file_key != file_key(case_file)  # not kept: read again next time
    assert status() == [row]


# --------------------------------------------------------------------------- migration


def test_a_version_2_registry_is_migrated_and_summarised_on_the_first_status(case_file, late_case, isolated_home,
                                                                            monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(registry_module, "SCHEMA_VERSION", 2)
        with Registry.open() as reg:
            case_id = reg.register_case(case_file, None, summary=("ООО «Инстамарт Сервис» (Купер)", "R-84512376", "К"))
            reg.add_event(case_id, "sent", on=dt.date(2026, 11, 2), channel="app")
        late_case["submission"].update(sent_on="2026-11-02", received_on="2026-11-03")
        write_yaml(case_file, late_case)
    conn = sqlite3.connect(isolated_home / "registry.sqlite3")
    assert conn.execute("SELECT version FROM schema_version").fetchone() == (2,)
    conn.close()
    [row] = status()  # migrates, reads the file once and keeps its summary
    assert (row["deadline"], row["overdue"], row["company"]) == ("2026-11-13", True, "Купер")
    with Registry.open() as reg:
        assert reg.schema_version == 3
        assert reg.status_view()[0].file_key == file_key(case_file)
    forbid_reading(monkeypatch)
    assert status() == [row]


# --------------------------------------------------------------------------- batch


def test_a_batch_keeps_what_status_shows_so_the_first_status_reads_no_file(tmp_path, monkeypatch):
    Registry.open().close()
    rows = [case_row(1), case_row(2, **{"submission.sent_on": "2026-11-02", "submission.received_on": "2026-11-03"}),
            case_row(3, **{"submission.sent_on": "2026-11-20"})]
    result = run_batch(write_rows(tmp_path / "cases.csv", rows), out_dir=tmp_path / "out", on=TODAY, jobs=2)
    assert result.registered == 3
    with monkeypatch.context() as m:
        forbid_reading(m)
        kept = status()
    assert [r["state"] for r in kept] == ["not_sent", "overdue", "estimated"]
    assert kept == fresh_status()


def test_a_batch_run_again_keeps_a_sent_date_written_since(tmp_path):
    """The second run leaves the case files alone (unchanged rows): the summaries `sent` kept must stay."""
    Registry.open().close()
    source = write_rows(tmp_path / "cases.csv", [case_row(1), case_row(2)])
    run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1)
    first = status()[0]
    ok("sent", first["case_file"], "--on", "02.11.2026")
    again = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1)
    assert again.unchanged == 2
    assert status()[0]["sent_on"] == "2026-11-02"
    assert status() == fresh_status()


# --------------------------------------------------------------------------- --check, the table and its summary


def register(tmp_path: Path, summaries: list[StatusSummary], *, own: tuple[int, ...] = ()) -> list[int]:
    """Cases with the given kept summaries, registered as a batch does (one transaction). Their files are hard links
    to one tiny file (five times faster to make than files: status only looks at each path's key), except the
    cases ``own``, which have a file of their own."""
    folder = tmp_path / "cases"
    folder.mkdir(exist_ok=True)
    shared = folder / "shared"
    shared.write_bytes(b"#")
    entries = []
    for i, summary in enumerate(summaries):
        path = folder / f"{i}.yaml"
        if i in own:
            path.write_bytes(b"#")
        else:
            os.link(shared, path)
        entries.append(NewCase(path, None, f"hash-{i}", (), ("ООО «Ромашка»", f"R-{i}", "Иванов"), summary))
    with Registry.open() as reg:
        return reg.register_many(entries)


def summary(i: int) -> StatusSummary:
    """Every third case overdue (deadline 13.11.2026, today 25.11.2026), every third waiting, the rest not sent."""
    basis = tracking.status_basis()
    if i % 3 == 2:
        return StatusSummary(basis, company="Купер", order=f"R-{i}")
    last = dt.date(2026, 11, 13) if i % 3 == 0 else dt.date(2026, 12, 1)
    return StatusSummary(basis, company="Купер", order=f"R-{i}", sent_on=dt.date(2026, 11, 2),
                         received_on=dt.date(2026, 11, 3), channel="app", has_deadline=True, last_day=last,
                         receipt_known=True, rule="10 дней")


def test_check_lists_only_the_overdue_cases_and_exits_3(tmp_path):
    ids = register(tmp_path, [summary(i) for i in range(6)])
    result = run("status", "--check", "--json")
    assert result.exit_code == 3
    assert [r["id"] for r in json.loads(result.stdout)["cases"]] == [ids[0], ids[3]]
    table = run("status", "--check")
    assert table.exit_code == 3
    assert "R-0" in table.stdout and "R-3" in table.stdout and "R-1" not in table.stdout
    assert len(status()) == 6


def test_check_without_overdue_cases_says_so_and_exits_0(tmp_path):
    register(tmp_path, [summary(1), summary(2)])
    result = run("status", "--check")
    assert (result.exit_code, result.stdout) == (0, "Просроченных дел нет.\n")
    assert run("status", "--check", "--json").stdout == '{"cases": []}\n'


def test_a_terminal_with_many_cases_gets_counts_and_the_most_urgent(tmp_path, monkeypatch):
    monkeypatch.setenv("TTY_COMPATIBLE", "1")  # rich draws as on a terminal
    monkeypatch.setenv("COLUMNS", "200")
    register(tmp_path, [summary(i) for i in range(30)])
    result = run("status")
    assert result.exit_code == 0
    out = result.stdout
    assert "Открытые дела: 30" in out
    assert "срок истёк: 10" in out and "ждут ответа: 10" in out and "претензия не отправлена: 10" in out
    assert "20 самых срочных" in out
    assert "Все 30: complaint status --all (постранично) или complaint status --json." in out
    assert out.count("заказ R-") == 20
    assert all(f"заказ R-{i} " in out for i in range(0, 30, 3))  # every overdue case is among the most urgent
    assert "R-29" not in out  # not sent: the least urgent here
    everything = run("status", "--all")  # through the pager; CliRunner's stdout is no terminal: pydoc prints it
    assert all(f"R-{i}" in everything.stdout for i in range(30))


def test_piped_many_cases_are_listed_in_full_not_drawn_as_a_table(tmp_path):
    register(tmp_path, [summary(i) for i in range(201)])
    out = run("status").stdout
    assert out.startswith("Открытые дела: 201\n")
    assert out.count("\n№ ") == 201
    assert "┃" not in out and "│" not in out
    assert "№ 1 — Купер, заказ R-0\n  отправлена 02.11.2026, получена 03.11.2026\n" in out
    assert "  срок по закону: 13.11.2026, просрочено на 12\u00a0дней\n" in out


def test_on_a_terminal_all_of_many_cases_are_listed_through_the_pager(tmp_path, monkeypatch):
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    register(tmp_path, [summary(i) for i in range(201)])
    assert "20 самых срочных" in run("status").stdout
    out = run("status", "--all").stdout  # pydoc's pager; CliRunner's stdout is no terminal: it prints the text
    assert out.startswith("Открытые дела: 201\n") and out.count("\n№ ") == 201


# --------------------------------------------------------------------------- 10 000 cases


_COUNT_OPENS = textwrap.dedent("""
    import os, sys
    root, opened = sys.argv[1], []

    def hook(event, args):
        if event == "open" and not isinstance(args[0], int) and os.fsdecode(args[0]).startswith(root):
            opened.append(args[0])

    sys.addaudithook(hook)
    import atexit
    atexit.register(lambda: sys.stderr.write(f"case files opened: {len(opened)}\\n"))
    sys.argv = ["complaint", *sys.argv[2:]]
    from complaint_cli.cli import main
    main()
""")


def test_status_over_10000_cases_opens_no_case_file(tmp_path):
    """Every open() of the process is watched (an audit hook): none may touch the cases' folder — until one file
    changes, which is then the only one read."""
    n = 10_000
    ids = register(tmp_path, [summary(i) for i in range(n)], own=(6,))
    folder = str(tmp_path / "cases")

    def complaint(*args):
        done = subprocess.run([sys.executable, "-c", _COUNT_OPENS, folder, *args], capture_output=True, text=True,
                              timeout=120)
        assert "case files opened: " in done.stderr, done.stderr
        opened = int(done.stderr.rsplit("case files opened: ", 1)[1])
        return done, opened

    done, opened = complaint("status", "--check", "--json")
    assert (done.returncode, opened) == (3, 0)
    assert [r["id"] for r in json.loads(done.stdout)["cases"]] == ids[::3]
    with open(Path(folder, "6.yaml"), "a", encoding="utf-8") as fh:
        fh.write("\nclaimant: [сломан")
    done, opened = complaint("status", "--json")
    cases = json.loads(done.stdout)["cases"]
    assert (done.returncode, opened, len(cases)) == (0, 1, n)
    assert cases[6]["warnings"][0].startswith("Файл дела не читается") and cases[6]["overdue"] is False
    assert cases[-1]["order"] == f"R-{n - 1}" and [c["overdue"] for c in cases[:4]] == [True, False, False, True]


@pytest.mark.parametrize("name", sorted(p.name for p in (Path(__file__).parent.parent / "examples").glob("*.yaml")))
@pytest.mark.parametrize("submission", [{}, {"sent_on": "2026-11-04"}, {"sent_on": "2026-11-04", "received_on": "2026-11-06"}])
def test_the_summary_a_batch_keeps_from_the_claims_analysis_equals_the_one_status_works_out(name, submission):
    """batch hands status_summary the deadline of the analysis it drew the claim from; it must be status's own."""
    from complaint_cli.law.analysis import analyze
    from complaint_cli.validation import validate_data
    from tests.conftest import load_example

    data = load_example(name)
    data.setdefault("submission", {}).update(submission)
    case = validate_data(data, today=TODAY).case
    analysis = analyze(case, case.submission.sent_on or TODAY)
    assert tracking.status_summary(case, analysis.deadline) == tracking.status_summary(case)
