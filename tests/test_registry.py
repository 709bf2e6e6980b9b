"""The case registry: private SQLite file, idempotent registration, migrations, concurrency and kills."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from complaint_cli import registry as registry_module
from complaint_cli.errors import RegistryError
from complaint_cli.paths import registry_path
from complaint_cli.registry import NewCase, Registry, case_hash
from complaint_cli.validation import build_case
from conftest import write_yaml


def _case(data: dict):
    case, problems, _ = build_case(data)
    assert not problems
    return case


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def reg():
    registry = Registry.open()
    yield registry
    registry.close()


@pytest.fixture
def case_file(tmp_path, late_case) -> Path:
    return write_yaml(tmp_path / "case.yaml", late_case)


# --------------------------------------------------------------------------- creation


def test_registry_is_created_in_complaint_cli_home_with_mode_0600(isolated_home):
    old = os.umask(0o022)  # a usual umask would give 0644
    try:
        with Registry.open() as reg:
            assert reg.path == isolated_home / "registry.sqlite3" == registry_path()
            for name in ("registry.sqlite3", "registry.sqlite3-wal", "registry.sqlite3-shm"):
                assert _mode(isolated_home / name) == 0o600, name
    finally:
        os.umask(old)
    assert _mode(isolated_home) == 0o700


def test_an_existing_registry_with_loose_permissions_is_made_private(isolated_home):
    Registry.open().close()
    (isolated_home / "registry.sqlite3").chmod(0o644)
    Registry.open().close()
    assert _mode(isolated_home / "registry.sqlite3") == 0o600


def test_registry_uses_wal_and_a_busy_timeout(reg):
    assert reg.execute("PRAGMA journal_mode")[0][0] == "wal"
    assert reg.execute("PRAGMA busy_timeout")[0][0] == registry_module.BUSY_TIMEOUT_MS
    assert reg.schema_version == registry_module.SCHEMA_VERSION


def test_exists_is_false_until_the_registry_is_created(isolated_home):
    assert not Registry.exists()
    Registry.open().close()
    assert Registry.exists()


def test_a_file_that_is_not_a_database_is_a_russian_error(isolated_home):
    isolated_home.mkdir(parents=True)
    (isolated_home / "registry.sqlite3").write_bytes(b"not a database at all" * 100)
    with pytest.raises(RegistryError, match="повреждён или не является базой SQLite"):
        Registry.open()


# --------------------------------------------------------------------------- cases


def test_registering_the_same_file_twice_gives_the_same_id(reg, case_file, late_case, monkeypatch):
    case = _case(late_case)
    first = reg.register_case(case_file, case)
    monkeypatch.chdir(case_file.parent)
    second = reg.register_case(Path("case.yaml"), case)  # relative spelling of the same file
    assert first == second
    assert len(reg.cases()) == 1
    assert [e.kind for e in reg.events(first)] == ["created"]


def test_registered_case_keeps_absolute_path_and_summary(reg, case_file, late_case):
    case_id = reg.register_case(case_file, _case(late_case))
    record = reg.get(case_id)
    assert record.case_file == case_file.resolve()
    assert record.case_file.is_absolute()
    assert record.company == "ООО «Инстамарт Сервис» (Купер)"
    assert record.order_number == "R-84512376"
    assert record.claimant == "Кузнецова Ольга Андреевна"
    assert record.status == "open"
    assert record.content_hash == case_hash(_case(late_case))
    assert len(record.key) == 16


def test_registering_again_refreshes_the_summary(reg, case_file, late_case):
    case_id = reg.register_case(case_file, _case(late_case))
    late_case["order"]["number"] = "R-1"
    assert reg.register_case(case_file, _case(late_case)) == case_id
    assert reg.get(case_id).order_number == "R-1"


def test_find_accepts_an_id_a_digit_string_or_a_path(reg, case_file, late_case):
    case_id = reg.register_case(case_file, _case(late_case))
    assert reg.find(case_id).id == case_id
    assert reg.find(str(case_id)).id == case_id
    assert reg.find(case_file).id == case_id
    assert reg.find(999) is None
    assert reg.find(case_file.parent / "other.yaml") is None


def test_unknown_id_is_a_russian_registry_error(reg):
    with pytest.raises(RegistryError, match="Дела № 42 нет в реестре"):
        reg.get(42)


def test_a_moved_case_file_keeps_its_id_when_used_from_the_new_place(reg, case_file, late_case, tmp_path):
    case = _case(late_case)
    case_id = reg.register_case(case_file, case)
    moved = tmp_path / "archive" / "case.yaml"
    moved.parent.mkdir()
    case_file.rename(moved)
    assert reg.register_case(moved, case) == case_id
    assert reg.get(case_id).case_file == moved.resolve()


def test_a_copy_of_a_case_is_a_new_case(reg, case_file, late_case, tmp_path):
    case = _case(late_case)
    first = reg.register_case(case_file, case)
    copy = write_yaml(tmp_path / "copy.yaml", late_case)
    assert reg.register_case(copy, case) != first


def test_events_and_documents_are_kept_in_order(reg, case_file, late_case, tmp_path):
    case_id = reg.register_case(case_file, _case(late_case))
    reg.add_event(case_id, "sent", on=dt.date(2026, 11, 2), channel="post", reference="12345678901234")
    reg.add_event(case_id, "reply", on=dt.date(2026, 11, 10), outcome="refused", note="отказ")
    reg.add_document(case_id, "claim", tmp_path / "claim.docx")
    events = reg.events(case_id)
    assert [e.kind for e in events] == ["created", "sent", "reply"]
    assert events[1].on_date == dt.date(2026, 11, 2) and events[1].reference == "12345678901234"
    assert events[2].outcome == "refused" and events[2].note == "отказ"
    docs = reg.documents(case_id)
    assert [(d.kind, d.path) for d in docs] == [("claim", (tmp_path / "claim.docx").resolve())]


def test_unknown_event_kind_is_refused(reg, case_file, late_case):
    case_id = reg.register_case(case_file, _case(late_case))
    with pytest.raises(ValueError):
        reg.add_event(case_id, "lost")


def test_open_cases_leave_out_closed_ones(reg, tmp_path, late_case):
    a = reg.register_case(write_yaml(tmp_path / "a.yaml", late_case), _case(late_case))
    late_case["order"]["number"] = "R-2"
    b = reg.register_case(write_yaml(tmp_path / "b.yaml", late_case), _case(late_case))
    reg.set_status(a, "closed")
    assert [r.id for r in reg.open_cases()] == [b]


def test_register_many_writes_all_cases_in_one_transaction(reg, tmp_path, late_case):
    entries = []
    for i in range(5):
        late_case["order"]["number"] = f"R-{i}"
        path = write_yaml(tmp_path / f"c{i}.yaml", late_case)
        entries.append(NewCase(path, _case(late_case), documents=[("claim", tmp_path / f"c{i}.docx")]))
    ids = reg.register_many(entries)
    assert len(set(ids)) == 5
    assert [len(reg.documents(i)) for i in ids] == [1] * 5
    assert reg.register_many([(e.case_path, e.case) for e in entries]) == ids  # idempotent


@pytest.fixture
def linked_tree(tmp_path) -> Path:
    """tmp_path/link → tmp_path/real, and real/folder/alias.yaml → real/folder/target.yaml; returns real."""
    real = tmp_path / "real"
    (real / "folder").mkdir(parents=True)
    (tmp_path / "link").symlink_to(real)
    (real / "folder" / "target.yaml").write_text("x")
    (real / "folder" / "alias.yaml").symlink_to(real / "folder" / "target.yaml")
    return real


def test_register_many_takes_a_summary_instead_of_a_case_and_stores_the_paths_as_absolute_does(reg, tmp_path,
                                                                                               linked_tree):
    real = linked_tree
    paths = [tmp_path / "link" / "folder" / "c.yaml", tmp_path / "link" / "folder" / "alias.yaml",
             tmp_path / "link" / "folder" / ".." / "folder" / "d.yaml", real / "folder" / "new" / "e.yaml"]
    entries = [NewCase(p, None, f"hash-{i}", [("claim", p.with_suffix(".docx"))], ("ООО «Ромашка»", f"R-{i}", "Иванов"))
               for i, p in enumerate(paths)]
    ids = reg.register_many(entries)
    for case_id, path in zip(ids, paths):
        record = reg.get(case_id)
        assert record.case_file == registry_module.absolute(path)
        assert reg.documents(case_id)[0].path == registry_module.absolute(path.with_suffix(".docx"))
        assert (record.company, record.claimant) == ("ООО «Ромашка»", "Иванов")
    assert reg.get(ids[1]).case_file == real / "folder" / "target.yaml"  # a symlinked file is followed


def test_the_batch_resolver_gives_exactly_what_absolute_gives(tmp_path, linked_tree, monkeypatch):
    real = linked_tree
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(real)
    base = str(tmp_path)
    texts = [f"{base}/link/folder/c.yaml", f"{base}//link/./folder//alias.yaml", f"{base}/link/folder/../folder/d.yaml",
             f"{base}/link/folder/", f"{base}/link/folder/.", "~/link/folder/e.yaml", "~", "folder/alias.yaml",
             "./folder/x.yaml", "..", f"{base}/real/folder/new/e.yaml", "/"]
    resolve = registry_module.PathResolver()
    for text in texts * 2:  # the second time from the folder memo
        assert resolve.text(text) == str(registry_module.absolute(text)), text
        assert resolve(Path(text)) == registry_module.absolute(text), text


def test_register_many_failing_half_way_registers_nothing(reg, tmp_path, late_case):
    def entries():
        for i in range(3):
            late_case["order"]["number"] = f"R-{i}"
            yield write_yaml(tmp_path / f"c{i}.yaml", late_case), _case(late_case)
        raise RuntimeError("row 4 is broken")

    with pytest.raises(RuntimeError):
        reg.register_many(entries())
    assert reg.cases() == []
    assert reg.execute("SELECT count(*) FROM events")[0][0] == 0


def test_a_case_writer_works_only_inside_a_transaction_and_stamps_it_once(reg, tmp_path):
    writer = registry_module.CaseWriter(reg)
    entry = NewCase(tmp_path / "a.yaml", None, "hash-a", [("claim", tmp_path / "a.docx")], ("Купер", "R-1", "Иванов"))
    with pytest.raises(RuntimeError):
        writer.add(entry)
    with reg.transaction():
        with pytest.raises(ValueError):
            writer.add(NewCase(tmp_path / "b.yaml", None, "hash-b", [("", tmp_path / "b.docx")], (None, None, None)))
        first = writer.add(entry)
        second = writer.add(NewCase(tmp_path / "c.yaml", None, "hash-c", [], ("Купер", "R-2", "Петров")))
    assert reg.get(first).created_at == reg.get(second).created_at == reg.documents(first)[0].created_at
    assert [r.order_number for r in reg.cases()] == ["R-1", "R-2"]


def test_forget_deletes_every_row_about_a_case(reg, case_file, late_case, tmp_path):
    case_id = reg.register_case(case_file, _case(late_case))
    reg.add_document(case_id, "claim", tmp_path / "claim.docx")
    reg.forget(case_id)
    assert reg.find(case_id) is None
    assert reg.execute("SELECT count(*) FROM events")[0][0] == 0
    assert reg.execute("SELECT count(*) FROM documents")[0][0] == 0


# --------------------------------------------------------------------------- migrations


def _add_notes_column(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE cases ADD COLUMN notes TEXT")


def test_an_old_version_registry_is_migrated_keeping_its_rows(isolated_home, case_file, late_case, monkeypatch):
    with Registry.open() as reg:
        case_id = reg.register_case(case_file, _case(late_case))
    current = registry_module.SCHEMA_VERSION
    monkeypatch.setattr(registry_module, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(registry_module.MIGRATIONS, current, _add_notes_column)
    with Registry.open() as reg:
        assert reg.schema_version == current + 1
        columns = [row["name"] for row in reg.execute("PRAGMA table_info(cases)")]
        assert "notes" in columns
        assert reg.get(case_id).case_file == case_file.resolve()


def test_a_failing_migration_leaves_the_registry_at_its_old_version(isolated_home, monkeypatch):
    Registry.open().close()

    def broken(conn):
        conn.execute("ALTER TABLE cases ADD COLUMN notes TEXT")
        raise sqlite3.OperationalError("disk I/O error")

    current = registry_module.SCHEMA_VERSION
    monkeypatch.setattr(registry_module, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(registry_module.MIGRATIONS, current, broken)
    with pytest.raises(RegistryError):
        Registry.open()
    monkeypatch.setattr(registry_module, "SCHEMA_VERSION", current)
    with Registry.open() as reg:
        assert reg.schema_version == current
        assert "notes" not in [row["name"] for row in reg.execute("PRAGMA table_info(cases)")]


def test_a_version_1_registry_keeps_one_row_per_document_and_never_reuses_a_number(
        isolated_home, case_file, late_case, monkeypatch):
    monkeypatch.setattr(registry_module, "SCHEMA_VERSION", 1)
    Registry.open().close()
    conn = sqlite3.connect(isolated_home / "registry.sqlite3")
    with conn:  # what version 1 wrote: the claim listed again on every render
        conn.execute("INSERT INTO cases (id, key, case_file, created_at) VALUES (7, 'k', ?, 'now')",
                     (str(case_file.resolve()),))
        for _ in range(3):
            conn.execute("INSERT INTO documents (case_id, kind, path, created_at) VALUES (7, 'claim', ?, 'now')",
                         (str(case_file.with_name("claim.docx")),))
    conn.close()
    case_id = 7
    monkeypatch.setattr(registry_module, "SCHEMA_VERSION", 2)
    with Registry.open() as reg:
        assert [d.kind for d in reg.documents(case_id)] == ["claim"]
        reg.add_document(case_id, "claim", case_file.with_name("claim.docx"))
        assert len(reg.documents(case_id)) == 1
        reg.forget(case_id)
        other = case_file.with_name("другое.yaml")
        other.write_text(case_file.read_text(encoding="utf-8"), encoding="utf-8")
        assert reg.register_case(other, None) == case_id + 1


def test_a_registry_from_a_newer_version_is_refused_in_russian(isolated_home):
    Registry.open().close()
    conn = sqlite3.connect(isolated_home / "registry.sqlite3")
    with conn:
        conn.execute("UPDATE schema_version SET version = 99")
    conn.close()
    with pytest.raises(RegistryError, match="создан более новой версией программы \\(формат 99"):
        Registry.open()


# --------------------------------------------------------------------------- concurrency and kills


def _write_events(db: str, case_id: int, label: str, count: int, start) -> None:
    start.wait(60)  # both processes begin writing at the same moment
    for i in range(count):
        # like separate `complaint` commands: each opens the registry, writes one event and closes it
        with Registry.open(db) as reg:
            reg.add_event(case_id, "reply", outcome="partial", note=f"{label}-{i}")


def test_two_processes_writing_at_once_do_not_corrupt_the_registry(isolated_home, case_file, late_case):
    db = str(registry_path())
    with Registry.open() as reg:
        case_id = reg.register_case(case_file, _case(late_case))
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(2)
    workers = [ctx.Process(target=_write_events, args=(db, case_id, label, 200, start)) for label in ("a", "b")]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
        assert w.exitcode == 0
    with Registry.open() as reg:
        assert reg.execute("PRAGMA integrity_check")[0][0] == "ok"
        notes = [e.note for e in reg.events(case_id) if e.kind == "reply"]
    assert sorted(notes) == sorted(f"{label}-{i}" for label in ("a", "b") for i in range(200))


def test_opening_waits_while_another_process_writes_to_the_new_file(isolated_home):
    # Switching a new file to WAL needs an exclusive lock, and SQLite does not wait for that one by itself.
    isolated_home.mkdir(parents=True)
    other = sqlite3.connect(registry_path(), isolation_level=None, check_same_thread=False)
    other.execute("CREATE TABLE other_process (x)")
    other.execute("BEGIN IMMEDIATE")  # another process is in the middle of a write
    other.execute("INSERT INTO other_process VALUES (1)")
    release = threading.Timer(0.3, other.execute, args=("COMMIT",))
    release.start()
    try:
        with Registry.open() as reg:
            assert reg.execute("PRAGMA journal_mode")[0][0] == "wal"
    finally:
        release.join()
        other.close()


def _create_and_register(db: str, folder: str, start) -> None:
    start.wait(60)
    with Registry.open(db) as reg:
        reg.register_case(Path(folder) / f"case-{os.getpid()}.yaml", None)


def test_processes_creating_the_registry_at_once_all_succeed(isolated_home, tmp_path):
    # Switching a new file to WAL needs an exclusive lock that SQLite does not wait for by itself.
    db = str(registry_path())
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(4)
    workers = [ctx.Process(target=_create_and_register, args=(db, str(tmp_path), start)) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert [w.exitcode for w in workers] == [0] * 4
    with Registry.open() as reg:
        assert len(reg.cases()) == 4
        assert reg.schema_version == registry_module.SCHEMA_VERSION


_WRITER = """
import sys
from pathlib import Path
from complaint_cli.registry import NewCase, Registry
db, folder = sys.argv[1], Path(sys.argv[2])
with Registry.open(db) as reg:
    for i in range(100000):
        # ten cases (and their 'created' events) per transaction
        ids = reg.register_many(NewCase(folder / f"case-{i}-{j}.yaml", content_hash=f"{i}-{j}") for j in range(10))
        print(i, flush=True)
"""


def test_a_kill_in_the_middle_of_writing_leaves_the_registry_consistent(isolated_home, tmp_path):
    db = str(registry_path())
    Registry.open().close()
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, db, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    acknowledged = []
    deadline = time.monotonic() + 60
    while len(acknowledged) < 50 and time.monotonic() < deadline:
        line = child.stdout.readline()
        if not line:
            break
        acknowledged.append(int(line))
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert len(acknowledged) == 50

    with Registry.open() as reg:
        assert reg.execute("PRAGMA integrity_check")[0][0] == "ok"
        paths = {str(r.case_file) for r in reg.cases()}
        for i in acknowledged:  # every committed batch is there
            assert all(str(tmp_path / f"case-{i}-{j}.yaml") in paths for j in range(10))
        assert len(paths) % 10 == 0  # no half-written batch
        created = reg.execute("SELECT count(*) FROM events WHERE kind = 'created'")[0][0]
        assert created == len(paths)
        # and it is still writable
        reg.register_case(tmp_path / "after.yaml", None)
