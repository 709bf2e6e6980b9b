"""``complaint batch``: every good row becomes letters, every bad row is reported precisely, re-runs and interrupted
runs finish the job, nothing escapes --out, and the letters are the ones a single render gives."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from complaint_cli.batch import REPORT_NAME, FolderNamer, run_batch
from complaint_cli.batchjournal import JOURNAL, LEGACY_MANIFEST
from complaint_cli.cli import app
from complaint_cli.fsutil import inside
from complaint_cli.money import normalize_spaces
from complaint_cli.render import document_text
from tests.conftest import TODAY, load_example

runner = CliRunner()

SURNAMES = ["Петров", "Смирнов", "Волков", "Соколов", "Попов", "Лебедев", "Козлов", "Новиков", "Морозов", "Зайцев",
            "Павлов", "Голубев", "Виноградов", "Богданов", "Фролов", "Медведев", "Баранов", "Тарасов", "Беляев",
            "Комаров"]
NAMES = ["Иван", "Роман", "Максим", "Денис", "Борис", "Глеб", "Степан", "Руслан", "Тимур", "Антон"]
PATRONYMICS = ["Иванович", "Романович", "Максимович", "Денисович", "Борисович"]


def flatten(data, prefix=""):
    """A nested case → dotted columns (``demands.0.amount``), as in a spreadsheet."""
    out = {}
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        path = f"{prefix}{key}"
        if isinstance(value, (dict, list)):
            out.update(flatten(value, f"{path}."))
        else:
            out[path] = "" if value is None else str(value)
    return out


def person(i: int) -> tuple[str, str]:
    """A unique man's name and its genitive (regular: every part takes «-а»), independent of the code under test."""
    parts = [SURNAMES[i % 20], NAMES[(i // 20) % 10], PATRONYMICS[(i // 200) % 5]]
    return " ".join(parts), " ".join(p + "а" for p in parts)


def case_row(i: int, **changes) -> dict[str, str]:
    case = load_example("kuper_not_delivered.yaml")
    case["claimant"]["full_name"] = person(i)[0]
    case["claimant"]["email"] = f"client{i}@example.ru"
    case["order"]["number"] = f"R-{i:05d}"
    row = flatten(case)
    row.update(changes)
    return row


def write_rows(path: Path, rows: list[dict[str, str]], *, delimiter=";", encoding="utf-8") -> Path:
    columns = list(dict.fromkeys(k for r in rows for k in r))
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def read_report(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))


# --------------------------------------------------------------------------- good and bad rows


BAD_ROWS = {
    2: ({"claimant.full_name": ""}, "claimant.full_name"),
    3: ({"order.date": "31.02.2026"}, "order.date"),
    4: ({"order.amount": "-100"}, "order.amount"),
    5: ({"claimant.email": "нет-почты"}, "claimant.email"),
    6: ({"problem.kind": "stolen_parcel"}, "problem.kind"),
}


def test_bad_rows_are_reported_with_row_and_field_while_good_rows_render(tmp_path):
    rows = [case_row(i, **BAD_ROWS[i][0]) if i in BAD_ROWS else case_row(i) for i in range(1, 8)]
    source = write_rows(tmp_path / "cases.csv", rows)
    result = run("batch", source, "--out", tmp_path / "out", "--json", "--jobs", 2)
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert set(doc) == {"total", "ok", "failed", "documents"}
    assert doc["total"] == 7 and doc["ok"] == 2
    assert {(f["row"], f["field"]) for f in doc["failed"]} == {(row, field) for row, (_, field) in BAD_ROWS.items()}
    messages = {f["row"]: f["message"] for f in doc["failed"]}
    assert "31.02.2026" in messages[3] and "не существует" in messages[3]
    assert "больше нуля" in messages[4]
    assert "stolen_parcel" in messages[6]
    assert [(d["row"], d["kind"]) for d in doc["documents"]] == [(1, "claim"), (7, "claim")]
    for d in doc["documents"]:
        assert Path(d["path"]).is_file()


def test_all_good_rows_exit_0_and_the_human_summary_goes_to_stdout(tmp_path):
    source = write_rows(tmp_path / "cases.csv", [case_row(1), case_row(2)])
    result = run("batch", source, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    assert "готово: 2" in result.stdout
    assert "1 — первая строка под заголовком" in result.stdout


def test_report_csv_lists_every_row_and_explains_the_row_numbers(tmp_path):
    source = write_rows(tmp_path / "cases.csv", [case_row(1), case_row(2, **{"order.date": "31.02.2026"})])
    result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1)
    report = read_report(result.report_path)
    assert result.report_path == (tmp_path / "out" / REPORT_NAME).resolve()
    assert "1 — первая строка под заголовком" in report[0][0]
    assert report[1][:2] == ["1", "создано"] and report[1][5] == "Претензия_заказ_R-00001.docx"
    assert report[2][:3] == ["2", "ошибка", "order.date"]
    custom = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1, report=tmp_path / "r.csv")
    assert custom.report_path.is_file()


def test_json_stdout_is_only_the_json_document(tmp_path):
    source = write_rows(tmp_path / "cases.csv", [case_row(1)])
    result = run("batch", source, "--out", tmp_path / "out", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["ok"] == 1  # would fail on any progress bar or message on stdout


def test_streamed_json_is_exactly_the_contract_document(tmp_path):
    source = write_rows(tmp_path / "cases.csv", [case_row(1), case_row(2, **{"claimant.email": "x"}), case_row(3)])
    result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=2)
    streamed = io.StringIO()
    result.write_json(streamed)
    assert streamed.getvalue() == json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n"
    assert [(f["row"], f["field"]) for f in result.as_dict()["failed"]] == [(2, "claimant.email")]
    assert result.failed_rows == 1 and result.exit_code == 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**9), st.text(), st.text()), max_size=4),
       st.lists(st.tuples(st.integers(0, 10**9), st.text(), st.text()), max_size=4))
def test_streamed_json_equals_the_contract_document_for_any_text(failed, documents):
    """Quotes, backslashes, control characters, U+2028 in messages and paths: the same text as json.dumps."""
    from complaint_cli.batch import BatchResult

    result = BatchResult(Path("cases.csv"), Path("out"))
    for row, field_name, message in failed:
        result._spool.add("failed", row, field_name, message)
    for row, kind, path in documents:
        result._spool.add("doc", row, kind, path)
    streamed = io.StringIO()
    result.write_json(streamed)
    assert streamed.getvalue() == json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n"
    assert [(d["row"], d["path"]) for d in json.loads(streamed.getvalue())["documents"]] == [
        (row, str(Path(path))) for row, _, path in documents]


def _on_a_terminal(*args) -> tuple[int, str]:
    import pexpect

    child = pexpect.spawn(sys.executable, ["-m", "complaint_cli", *map(str, args)], env=dict(os.environ),
                          encoding="utf-8", timeout=60, dimensions=(24, 150))
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before


def test_progress_bar_with_rate_and_eta_on_a_terminal(tmp_path):
    source = write_rows(tmp_path / "cases.csv", [case_row(i) for i in range(1, 201)])
    code, screen = _on_a_terminal("batch", source, "--out", tmp_path / "out", "--jobs", 2)
    assert code == 0
    assert "200/200" in screen and "строк/с" in screen and "осталось" in screen
    assert "готово: 200" in screen


def test_no_progress_bar_with_json_even_on_a_terminal(tmp_path):
    source = write_rows(tmp_path / "cases.csv", [case_row(i) for i in range(1, 41)])
    code, screen = _on_a_terminal("batch", source, "--out", tmp_path / "out", "--json")
    assert code == 0
    assert json.loads(screen)["ok"] == 40


def test_file_level_problems_fail_before_anything_is_written(tmp_path):
    source = write_rows(tmp_path / "cases.csv", [{**case_row(1), "claimant.nmae": "x"}])
    result = run("batch", source, "--out", tmp_path / "out", "--json")
    assert result.exit_code == 1
    assert "claimant.nmae" in json.loads(result.stdout)["error"]
    assert not (tmp_path / "out").exists()


def test_a_broken_line_deep_in_the_file_stops_the_run_cleanly(tmp_path):
    source = write_rows(tmp_path / "cases.csv", [case_row(i) for i in range(1, 101)])
    with open(source, "a", encoding="utf-8") as fh:
        fh.write('"unclosed quote;' + "x" * 200_000 + "\n")
    result = run("batch", source, "--out", tmp_path / "out", "--jobs", 2)
    assert result.exit_code == 1
    # the header, then 100 rows of two lines each (the description has a line break): the file's line 202
    assert "строка файла 202 не читается как CSV" in result.stderr and "кавычка" in result.stderr
    assert list((tmp_path / "out").rglob("*.tmp")) == [] and not (tmp_path / "out" / REPORT_NAME).exists()


def test_usage_errors_exit_2(tmp_path):
    source = write_rows(tmp_path / "cases.csv", [case_row(1)])
    assert run("batch", source, "--letters", "claim,apology").exit_code == 2
    assert run("batch", source, "--jobs", 0).exit_code == 2
    assert run("batch").exit_code == 2
    assert run("batch", source, "--template", tmp_path / "t.csv").exit_code == 2


def test_template_command_writes_a_table_that_batch_reads(tmp_path):
    result = run("batch", "--template", tmp_path / "дела.xlsx")
    assert result.exit_code == 0, result.output
    assert run("batch", "--template", tmp_path / "дела.xlsx").exit_code == 1  # exists: needs --force
    done = run("batch", tmp_path / "дела.xlsx", "--out", tmp_path / "out", "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["ok"] == 1


def test_cp1251_csv_with_russian_headers_renders(tmp_path):
    rows = [{"ФИО заявителя" if k == "claimant.full_name" else k: v for k, v in case_row(1).items()}]
    source = write_rows(tmp_path / "cases.csv", rows, encoding="cp1251", delimiter="\t")
    result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1)
    assert result.ok == 1, result.failed


# --------------------------------------------------------------------------- output folders


HOSTILE = ["../../etc", "/abs", "CON", "x" * 300, "..", "a/../../b", "nul.txt", "\\..\\..\\win"]


def test_hostile_names_and_order_numbers_stay_inside_out(tmp_path):
    rows = []
    for i, bad in enumerate(HOSTILE, 1):
        rows.append(case_row(i, **{"claimant.full_name": f"{bad} Иван", "order.number": bad[:200]}))
        rows.append(case_row(100 + i, **{"order.number": bad[:200]}))
    source = write_rows(tmp_path / "cases.csv", rows)
    out = tmp_path / "deep" / "out"
    result = run_batch(source, out_dir=out, on=TODAY, jobs=2)
    assert result.ok == len(rows), result.failed
    assert {p.name for p in tmp_path.iterdir()} <= {"cases.csv", "deep", "home"}  # nothing beside --out…
    assert [p.name for p in (tmp_path / "deep").iterdir()] == ["out"]
    assert not Path("/abs").exists()  # …and nothing at an absolute path taken from the data
    folders = [p for p in out.iterdir() if p.is_dir()]
    assert len(folders) == len(rows)  # every row its own folder: collisions resolved
    for folder in folders:
        assert folder.parent == out.resolve()
        assert len(folder.name.encode()) <= 100
        assert folder.name.split(".")[0].upper() not in {"CON", "NUL"}
    for doc in result.documents:
        assert out.resolve() in doc.path.parents


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=120), st.text(max_size=60)), min_size=1, max_size=8))
def test_folder_names_are_safe_unique_and_inside(tmp_path_factory, people):
    out = tmp_path_factory.getbasetemp() / "names"
    namer = FolderNamer(reserved=[REPORT_NAME])
    names = [namer.name_for({"claimant": {"full_name": who}, "order": {"number": num}}, i)
             for i, (who, num) in enumerate(people, 1)]
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert "/" not in name and "\\" not in name and name not in (".", "..") and name.strip()
        assert inside(out, name).parent == out.resolve()
        assert name.casefold() != REPORT_NAME.casefold()


def test_same_claimant_and_order_twice_get_two_folders(tmp_path):
    source = write_rows(tmp_path / "cases.csv", [case_row(1), case_row(1, **{"order.amount": "10,00"})])
    result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1)
    folders = sorted(d.path.parent.name for d in result.documents)
    assert folders == [folders[0], folders[0] + "_2"]


def test_each_folder_holds_the_letter_and_a_valid_case_file_and_nothing_else(tmp_path):
    from complaint_cli.casefile import dump_case, read_case_data
    from complaint_cli.validation import validate_data

    source = write_rows(tmp_path / "cases.csv", [case_row(1)])
    result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1)
    folder = result.documents[0].path.parent
    assert sorted(p.name for p in folder.iterdir()) == sorted(["Претензия_заказ_R-00001.docx", "дело_R-00001.yaml"])
    case = validate_data(read_case_data(folder / "дело_R-00001.yaml"), today=TODAY).raise_for_errors()
    assert case.claimant.full_name == person(1)[0]
    # the very text casefile.write_case would write (the batch dumps the case's data once for its hash and file)
    assert (folder / "дело_R-00001.yaml").read_text(encoding="utf-8") == dump_case(case)
    for path in [*folder.iterdir(), folder.parent / JOURNAL]:
        assert path.stat().st_mode & 0o777 == 0o600


def test_output_is_identical_in_text_to_rendering_the_case_alone(tmp_path, late_case, missing_case, expired_case):
    from complaint_cli.documents import render_claim
    from complaint_cli.validation import validate_data

    cases = [late_case, missing_case, expired_case]
    source = tmp_path / "cases.yaml"
    import yaml

    source.write_text(yaml.safe_dump(cases, allow_unicode=True), encoding="utf-8")
    result = run_batch(source, out_dir=tmp_path / "batch", on=TODAY, jobs=2)
    assert result.ok == 3, result.failed
    for doc, data in zip(result.documents, cases, strict=True):
        case = validate_data(copy.deepcopy(data), today=TODAY).raise_for_errors()
        alone = render_claim(case, out_dir=tmp_path / f"alone{doc.row}", on=TODAY)
        assert doc.path.name == alone.path.name
        assert document_text(doc.path.read_bytes()) == document_text(alone.path.read_bytes())


# --------------------------------------------------------------------------- re-runs


def test_rerun_skips_unchanged_rows_renders_changed_ones_and_force_renders_all(tmp_path):
    out = tmp_path / "out"
    source = write_rows(tmp_path / "cases.csv", [case_row(1), case_row(2)])
    first = run_batch(source, out_dir=out, on=TODAY, jobs=1)
    paths = {d.row: d.path for d in first.documents}
    stamps = {row: p.stat().st_mtime_ns for row, p in paths.items()}
    time.sleep(0.01)
    again = run_batch(source, out_dir=out, on=TODAY, jobs=1)
    assert (again.rendered, again.unchanged) == (0, 2)
    assert {d.row: d.path for d in again.documents} == paths
    assert {row: p.stat().st_mtime_ns for row, p in paths.items()} == stamps
    write_rows(source, [case_row(1), case_row(2, **{"order.amount": "5 000,00", "demands.0.amount": "5000"})])
    changed = run_batch(source, out_dir=out, on=TODAY, jobs=1)
    assert (changed.rendered, changed.unchanged) == (1, 1)
    assert "5 000 руб. 00 коп." in normalize_spaces(document_text(paths[2].read_bytes()))
    forced = run_batch(source, out_dir=out, on=TODAY, jobs=1, force=True)
    assert (forced.rendered, forced.unchanged) == (2, 0)


def test_a_deleted_letter_is_rendered_again(tmp_path):
    source = write_rows(tmp_path / "cases.csv", [case_row(1)])
    first = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1)
    first.documents[0].path.unlink()
    again = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1)
    assert again.rendered == 1 and first.documents[0].path.is_file()


def test_the_journal_survives_a_torn_last_line_and_reads_version_1_manifests(tmp_path):
    out = tmp_path / "out"
    source = write_rows(tmp_path / "cases.csv", [case_row(1), case_row(2), case_row(3)])
    first = run_batch(source, out_dir=out, on=TODAY, jobs=1)
    lines = (out / JOURNAL).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and all(json.loads(line)["hash"] for line in lines)
    # A kill in the middle of an append; and row 1's record as version 1 kept it, in its folder.
    record = json.loads(lines[0])
    folder = out / record.pop("folder")
    record["version"] = 1
    (folder / LEGACY_MANIFEST).write_text(json.dumps(record), encoding="utf-8")
    (out / JOURNAL).write_text(lines[1] + "\n" + lines[2][: len(lines[2]) // 2], encoding="utf-8")
    again = run_batch(source, out_dir=out, on=TODAY, jobs=1)
    assert (again.rendered, again.unchanged) == (1, 2)  # row 3's torn record: rendered again, identically
    assert {d.path for d in again.documents} == {d.path for d in first.documents}
    third = run_batch(source, out_dir=out, on=TODAY, jobs=1)
    assert (third.rendered, third.unchanged) == (0, 3)


def test_the_journal_is_compacted_when_outdated_lines_pile_up(tmp_path, monkeypatch):
    from complaint_cli import batchjournal

    monkeypatch.setattr(batchjournal, "_COMPACT_AFTER", 2)
    out = tmp_path / "out"
    source = write_rows(tmp_path / "cases.csv", [case_row(1), case_row(2), case_row(3)])
    for _ in range(4):
        run_batch(source, out_dir=out, on=TODAY, jobs=1, force=True)
    lines = (out / JOURNAL).read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 6 and len({json.loads(line)["folder"] for line in lines}) == 3
    assert run_batch(source, out_dir=out, on=TODAY, jobs=1).unchanged == 3


def _cli(*args, **kwargs):
    return subprocess.Popen([sys.executable, "-m", "complaint_cli", *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, **kwargs)


def _journal_lines(out: Path) -> int:
    """Cases recorded as done: complete lines of the batch journal."""
    try:
        text = (out / JOURNAL).read_text(encoding="utf-8")
    except FileNotFoundError:
        return 0
    return text.count("\n")


def _assert_complete(out: Path, n: int) -> None:
    from docx import Document

    assert list(out.rglob("*.tmp")) == []
    docs = sorted(out.rglob("*.docx"))
    assert len(docs) == n
    for path in docs:
        Document(str(path))  # opens: a complete .docx


def _group_members(pgid: int) -> list[int]:
    """Live processes of a process group (Linux /proc; zombies do not count: they are dead)."""
    members = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) ": state, ppid, pgrp, ...
            if int(fields[2]) == pgid and fields[0] != "Z":
                members.append(int(entry))
    return members


def _assert_group_ends(pgid: int, timeout: float = 10.0) -> None:
    if not sys.platform.startswith("linux"):
        return
    deadline = time.monotonic() + timeout
    while _group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _group_members(pgid) == [], "worker processes outlived the main process"


@pytest.mark.parametrize("how", ["SIGKILL to the main process", "Ctrl-C to the process group"])
def test_interrupted_run_leaves_no_partial_file_and_the_next_run_finishes(tmp_path, how):
    n = 500
    source = write_rows(tmp_path / "cases.csv", [case_row(i) for i in range(1, n + 1)])
    out = tmp_path / "out"
    proc = _cli("batch", source, "--out", out, "--jobs", 2, "--json", start_new_session=True)
    deadline = time.monotonic() + 60
    while _journal_lines(out) < 20 and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the run finished before it could be interrupted"
    if how.startswith("SIGKILL"):
        proc.send_signal(signal.SIGKILL)
    else:
        os.killpg(proc.pid, signal.SIGINT)
    code = proc.wait(timeout=30)
    assert code == (-signal.SIGKILL if how.startswith("SIGKILL") else 130)
    _assert_group_ends(proc.pid)  # the workers die with the main process, even one killed with SIGKILL...
    assert b"Traceback" not in proc.stderr.read()  # ...quietly
    done_before = _journal_lines(out)
    assert done_before < n
    assert not (out / REPORT_NAME).exists()  # the report is written only by a finished run
    for path in out.rglob("*.docx"):  # whatever was written is complete
        assert path.stat().st_size > 0
    again = _cli("batch", source, "--out", out, "--jobs", 2, "--json")
    stdout, stderr = again.communicate(timeout=120)
    assert again.returncode == 0, stderr.decode()
    doc = json.loads(stdout)
    assert doc["total"] == doc["ok"] == n and len(doc["documents"]) == n
    statuses = [row[1] for row in read_report(out / REPORT_NAME)[1:]]
    assert statuses.count("без изменений") >= done_before  # finished cases were not redone
    _assert_complete(out, n)


def test_a_thousand_rows_each_letter_opens_and_names_its_own_claimant(tmp_path):
    from docx import Document

    n = 1000
    source = write_rows(tmp_path / "cases.csv", [case_row(i) for i in range(n)])
    result = run("batch", source, "--out", tmp_path / "out", "--jobs", 2, "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["total"] == doc["ok"] == n
    assert len({d["path"] for d in doc["documents"]}) == n
    for entry in doc["documents"]:
        i = entry["row"] - 1
        text = "\n".join(p.text for p in Document(entry["path"]).paragraphs).replace("\u00a0", " ")
        assert f"от {person(i)[1]}" in text
        assert f"заказ № R-{i:05d}" in text
        assert f"client{i}@example.ru" in text


# --------------------------------------------------------------------------- registry and escalation letters


def test_cases_enter_an_existing_registry_in_one_batch(tmp_path, isolated_home):
    from complaint_cli.registry import Registry

    Registry.open().close()
    source = write_rows(tmp_path / "cases.csv", [case_row(1), case_row(2), case_row(3, **{"order.date": "x"})])
    result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=2)
    assert result.registered == 2
    with Registry.open() as registry:
        cases = registry.cases()
        assert sorted(c.order_number for c in cases) == ["R-00001", "R-00002"]
        assert all(c.case_file.is_file() and c.claimant for c in cases)
        assert [d.kind for c in cases for d in registry.documents(c.id)] == ["claim", "report"] * 2
    again = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1)
    with Registry.open() as registry:
        assert len(registry.cases()) == 2 and again.registered == 2
        assert sum(len(registry.documents(c.id)) for c in registry.cases()) == 4  # nothing new, nothing added


def test_an_interrupted_batch_registers_nothing_and_the_next_run_registers_everything(tmp_path, isolated_home):
    """Cases enter the registry in one transaction once the batch has finished: after a Ctrl-C, none has."""
    from complaint_cli.registry import Registry

    Registry.open().close()
    source = write_rows(tmp_path / "cases.csv", [case_row(i) for i in range(1, 41)])
    seen = []

    def interrupt(outcome):
        seen.append(outcome.row)
        if len(seen) == 20:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1, progress=interrupt)
    with Registry.open() as registry:
        assert registry.cases() == []
    result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=2)
    assert (result.ok, result.rendered, result.unchanged, result.registered) == (40, 20, 20, 40)
    with Registry.open() as registry:
        assert len(registry.cases()) == 40
        letters = [d for c in registry.cases() for d in registry.documents(c.id) if d.kind == "claim"]
        assert len(letters) == 40  # the interrupted run's letters too: every letter on disk is known (issue 15)


def test_other_commands_can_write_to_the_registry_while_a_batch_runs(tmp_path, isolated_home, monkeypatch):
    from complaint_cli import registry as registry_module

    registry_module.Registry.open().close()
    monkeypatch.setattr(registry_module, "BUSY_TIMEOUT_MS", 200)
    source = write_rows(tmp_path / "cases.csv", [case_row(i) for i in range(1, 21)])
    marked = []

    def another_command(outcome):  # e.g. «complaint sent» in another terminal, in the middle of the batch
        if outcome.row == 10:
            with registry_module.Registry.open() as other:
                case_id = other.register_case(tmp_path / "другое_дело.yaml", None, summary=("Купер", "X-1", "Иванов"))
                marked.append(other.add_event(case_id, "sent", on=TODAY, channel="post"))

    result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=2, progress=another_command)
    assert marked and result.registry_error is None and result.registered == 20
    with registry_module.Registry.open() as registry:
        assert len(registry.cases()) == 21


def test_a_busy_registry_is_reported_and_the_letters_are_still_written(tmp_path, isolated_home, monkeypatch):
    import sqlite3

    from complaint_cli import registry as registry_module
    from complaint_cli.paths import registry_path

    registry_module.Registry.open().close()
    monkeypatch.setattr(registry_module, "BUSY_TIMEOUT_MS", 200)
    other = sqlite3.connect(registry_path(), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another command is writing and does not let go
    try:
        source = write_rows(tmp_path / "cases.csv", [case_row(1), case_row(2)])
        result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1)
    finally:
        other.rollback()
        other.close()
    assert result.exit_code == 0 and result.ok == 2 and len(result.documents) == 2
    assert result.registered is None and "занят другой командой" in result.registry_error
    with registry_module.Registry.open() as registry:
        assert registry.cases() == []


def test_no_registry_is_created_by_a_batch(tmp_path, isolated_home):
    from complaint_cli.paths import registry_path

    source = write_rows(tmp_path / "cases.csv", [case_row(1)])
    result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1)
    assert result.registered is None and not registry_path().exists()


def test_escalation_letters_only_for_rows_whose_deadline_passed(tmp_path):
    due = case_row(1, **{"submission.channel": "post", "submission.sent_on": "2026-11-03",
                         "submission.received_on": "2026-11-05"})
    not_sent = case_row(2)
    source = write_rows(tmp_path / "cases.csv", [due, not_sent])
    result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1,
                       letters="claim,inaction,rospotrebnadzor")
    assert result.exit_code == 0 and result.failed == []
    assert sorted((d.row, d.kind) for d in result.documents) == [
        (1, "claim"), (1, "inaction"), (1, "rospotrebnadzor"), (2, "claim")]
    assert {(row, kind) for row, kind, _ in result.not_due} == {(2, "inaction"), (2, "rospotrebnadzor")}
    statuses = {tuple(r[:3]) for r in read_report(result.report_path)[1:]}
    assert ("2", "срок не наступил", "повторная претензия") in statuses
    text = document_text(next(d.path for d in result.documents if d.kind == "inaction").read_bytes())
    assert "на бездействие" in text


def test_letters_that_are_not_yet_due_are_drafted_on_a_later_run(tmp_path):
    row = case_row(1, **{"submission.channel": "post", "submission.sent_on": "2026-11-20",
                         "submission.received_on": "2026-11-21"})
    source = write_rows(tmp_path / "cases.csv", [row])
    early = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1, letters="claim,inaction")
    assert [d.kind for d in early.documents] == ["claim"] and len(early.not_due) == 1
    import datetime as dt

    later = run_batch(source, out_dir=tmp_path / "out", on=TODAY + dt.timedelta(days=30), jobs=1,
                      letters="claim,inaction")
    assert [d.kind for d in later.documents] == ["claim", "inaction"] and later.not_due == []
    assert later.rendered == 1


# --------------------------------------------------------------------------- the appendix and the post-office kit (issue 18)


def test_the_penalty_appendix_comes_with_the_escalation_letters_and_is_the_one_escalate_writes(tmp_path):
    from complaint_cli.escalation import EscalationOptions, escalate
    from complaint_cli.validation import validate_data

    due = case_row(1, **{"submission.channel": "post", "submission.sent_on": "2026-11-03",
                         "submission.received_on": "2026-11-05"})
    not_sent = case_row(2)
    source = write_rows(tmp_path / "cases.csv", [due, not_sent])
    result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1, letters="claim,inaction,penalty")
    assert result.exit_code == 0 and result.failed == []
    assert sorted((d.row, d.kind) for d in result.documents) == [
        (1, "claim"), (1, "inaction"), (1, "penalty"), (2, "claim")]
    assert {(row, kind) for row, kind, _ in result.not_due} == {(2, "inaction"), (2, "penalty")}
    statuses = {tuple(r[:3]) for r in read_report(result.report_path)[1:]}
    assert ("2", "срок не наступил", "расчёт неустойки") in statuses
    appendix = next(d.path for d in result.documents if d.kind == "penalty")
    assert appendix.name.startswith("Расчёт_неустойки_заказ_")
    case = validate_data(json.loads(json.dumps(due)) and _nested(due), today=TODAY).raise_for_errors()
    alone = escalate(case, out_dir=tmp_path / "alone", on=TODAY, options=EscalationOptions(only=("inaction",)))
    single = next(d.path for d in alone.documents if d.kind == "penalty")
    assert document_text(appendix.read_bytes()) == document_text(single.read_bytes())


def test_no_appendix_where_no_penalty_is_owed_and_the_report_says_why(tmp_path):
    # kuper_not_delivered names no seller: the ст. 23.1 penalty is not owed by the aggregator (law.md §0b.9), but the
    # delivery service's ст. 28 penalty is; a case with no delivery fee and no seller has nothing to calculate.
    row = case_row(1, **{"submission.channel": "post", "submission.sent_on": "2026-11-03",
                         "submission.received_on": "2026-11-05", "order.delivery_fee": ""})
    source = write_rows(tmp_path / "cases.csv", [row])
    result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1, letters="claim,inaction,penalty")
    kinds = [d.kind for d in result.documents]
    assert "inaction" in kinds and "penalty" not in kinds
    warnings = " ".join(r[6] for r in read_report(result.report_path)[1:])
    assert "неустойк" in warnings


def test_the_post_kit_of_each_claim_lists_the_letter_and_its_attachments(tmp_path):
    from complaint_cli.postkit import estimate_pages
    from tests.test_postkit import tables_text

    source = write_rows(tmp_path / "cases.csv", [case_row(1), case_row(2)])
    result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=2, letters="claim,post")
    assert result.exit_code == 0 and result.failed == []
    assert sorted((d.row, d.kind) for d in result.documents) == [
        (1, "claim"), (1, "post_inventory"), (1, "post_label"), (2, "claim"), (2, "post_inventory"),
        (2, "post_label")]
    for row in (1, 2):
        paths = {d.kind: d.path for d in result.documents if d.row == row}
        tables = tables_text(paths["post_inventory"].read_bytes())
        inventory = normalize_spaces(" | ".join(" ".join(cells) for table in tables for cells in table))
        pages = estimate_pages(paths["claim"].read_bytes())
        assert f"Претензия по заказу № R-{row:05d}, на {pages} л." in inventory
        assert "Итого" in inventory and inventory.count(f"Претензия по заказу № R-{row:05d}") == 2  # two copies
        label = " ".join(" ".join(cells) for table in tables_text(paths["post_label"].read_bytes()) for cells in table)
        assert person(row)[0].split()[0] in label and "115035" in label  # the sender, the addressee's postcode
    # a re-run finds the kit on disk and makes nothing again; a deleted label is made again
    again = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1, letters="claim,post")
    assert again.rendered == 0
    label = next(d.path for d in result.documents if d.kind == "post_label")
    label.unlink()
    third = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1, letters="claim,post")
    assert third.rendered == 1 and label.is_file()


def test_the_post_kit_needs_the_claim(tmp_path):
    source = write_rows(tmp_path / "cases.csv", [case_row(1)])
    result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1, letters="post")
    assert [d.kind for d in result.documents] == []
    assert "добавьте claim" in " ".join(r[6] for r in read_report(result.report_path)[1:])


def _nested(row: dict[str, str]) -> dict:
    """Dotted columns back into a case (the inverse of :func:`flatten`), empty cells left out."""
    out: dict = {}
    for key, value in row.items():
        if value == "":
            continue
        parts = key.split(".")
        node = out
        for part, nxt in zip(parts, parts[1:]):
            default = [] if nxt.isdigit() else {}
            if isinstance(node, list):
                index = int(part)
                while len(node) <= index:
                    node.append(default.copy() if isinstance(default, dict) else [])
                node = node[index]
            else:
                node = node.setdefault(part, default)
        if isinstance(node, list):
            index = int(parts[-1])
            while len(node) <= index:
                node.append(None)
            node[index] = value
        else:
            node[parts[-1]] = value
    return out
