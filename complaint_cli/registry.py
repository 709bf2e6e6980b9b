"""The case registry: which cases exist, what happened to them and which documents were generated.

One SQLite file (standard library) at :func:`complaint_cli.paths.registry_path`, created with mode 0600 (it holds
people's names and orders). Safe for several ``complaint`` processes at once and for a kill at any moment:

* WAL journal and a busy timeout, so a second writer waits instead of failing;
* every change is one transaction (``BEGIN IMMEDIATE`` … ``with conn:``), so a kill leaves either all of a change or
  none of it — :meth:`Registry.register_many` writes a whole batch in one transaction;
* a schema version table with one-step migrations; a registry written by a newer version is refused;
* a forgotten case leaves nothing behind: ``secure_delete`` overwrites the deleted rows, and a checkpoint empties
  the WAL (:meth:`Registry.forget`); its number is never given to another case (``counters``).

The case file stays the source of truth for the case's data; the registry only remembers where it is, a short
summary (company, order, claimant) for when the file has gone missing, and the history of events and documents —
and, so that ``complaint status`` over thousands of cases reads no case file, what status shows of each one
(:class:`StatusSummary`, table ``case_status``) with the size, times and inode the file had when it was computed
(:func:`file_key`): a file whose key has changed is read again, nothing else is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from complaint_cli.errors import RegistryError

if TYPE_CHECKING:  # pydantic is heavy: the registry itself never needs to import the model
    from complaint_cli.model import Case

SCHEMA_VERSION = 3
BUSY_TIMEOUT_MS = 15_000
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700

EVENT_KINDS = ("created", "rendered", "sent", "received", "reply", "escalated", "closed")
CASE_STATUSES = ("open", "closed")

_SCHEMA_V1 = f"""
CREATE TABLE cases (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    case_file TEXT NOT NULL UNIQUE,
    company TEXT,
    order_number TEXT,
    claimant TEXT,
    created_at TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN {CASE_STATUSES!r}),
    content_hash TEXT
);
CREATE INDEX cases_status ON cases(status);
CREATE INDEX cases_hash ON cases(content_hash);
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN {EVENT_KINDS!r}),
    on_date TEXT,
    channel TEXT,
    reference TEXT,
    outcome TEXT,
    note TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX events_case ON events(case_id, id);
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX documents_case ON documents(case_id, id);
"""


def _create_v1(conn: sqlite3.Connection) -> None:
    for statement in _SCHEMA_V1.split(";"):
        if statement.strip():
            conn.execute(statement)


def _v1_to_v2(conn: sqlite3.Connection) -> None:
    """One row per document file (re-rendering used to add the claim again); case numbers never reused."""
    conn.execute("DELETE FROM documents WHERE id NOT IN (SELECT min(id) FROM documents GROUP BY case_id, path)")
    conn.execute("CREATE UNIQUE INDEX documents_path ON documents(case_id, path)")
    conn.execute("CREATE TABLE counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL)")
    conn.execute("INSERT INTO counters (name, value) SELECT 'case_id', coalesce(max(id), 0) FROM cases")


# What ``complaint status`` shows of a case (StatusSummary's fields after ``basis``), with the case file's key
# (file_key) when it was computed. A cache of the case file: derived from it, refreshed when its key changes.
_STATUS_COLUMNS = (
    "basis", "unreadable", "company", "order_number", "sent_on", "received_on", "channel", "has_deadline",
    "last_day", "estimated", "confirmed", "receipt_known", "rule", "company_promise", "emergency_point", "warnings",
)
_CASE_STATUS_V3 = """
CREATE TABLE case_status (
    case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
    file_size INTEGER NOT NULL,
    file_mtime_ns INTEGER NOT NULL,
    file_inode INTEGER NOT NULL,
    file_ctime_ns INTEGER NOT NULL,
    basis TEXT NOT NULL,
    unreadable TEXT,
    company TEXT,
    order_number TEXT,
    sent_on TEXT,
    received_on TEXT,
    channel TEXT,
    has_deadline INTEGER NOT NULL,
    last_day TEXT,
    estimated INTEGER NOT NULL,
    confirmed INTEGER NOT NULL,
    receipt_known INTEGER NOT NULL,
    rule TEXT,
    company_promise TEXT,
    emergency_point TEXT,
    warnings TEXT NOT NULL
)"""


def _v2_to_v3(conn: sqlite3.Connection) -> None:
    """What ``status`` shows of each case, kept until its file changes (issue 17). An older registry's cases get
    theirs on the first ``status``, which reads each file once."""
    conn.execute(_CASE_STATUS_V3)


# One-step migrations: MIGRATIONS[n] turns a version-n registry into version n+1 (0 = an empty file).
# Each runs inside the transaction that also bumps the version, so a kill mid-migration changes nothing.
Summary = tuple[str | None, str | None, str | None]  # (company, order number, claimant)
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {0: _create_v1, 1: _v1_to_v2, 2: _v2_to_v3}

# Files a case's documents list holds besides its letters (no event is recorded for them): evidence copied into
# «Приложения», e-mail drafts, calendar files, and batch reports that have a line about the case.
FILE_KINDS = ("attachment", "email", "reminder", "report", "post")  # post: the post-office kit (issue 18)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class CaseRecord:
    """One registered case. ``case_file`` is absolute; ``key`` is a stable id that survives a move."""

    id: int
    key: str
    case_file: Path
    company: str | None
    order_number: str | None
    claimant: str | None
    created_at: str
    status: str
    content_hash: str | None

    @property
    def file_exists(self) -> bool:
        return self.case_file.is_file()


@dataclass(frozen=True)
class Event:
    id: int
    case_id: int
    kind: str
    on_date: dt.date | None
    channel: str | None
    reference: str | None
    outcome: str | None
    note: str | None
    created_at: str


@dataclass(frozen=True)
class DocumentRecord:
    id: int
    case_id: int
    kind: str
    path: Path
    created_at: str


FileKey = tuple[int, int, int, int]  # a case file's (size, mtime_ns, inode, ctime_ns): see file_key


class StatusSummary(NamedTuple):
    """What ``complaint status`` needs of a case file, computed from its content by
    :func:`complaint_cli.tracking.status_summary`. Nothing here depends on «today»: days left, overdue and the next
    step are worked out from these dates when status is shown. (A named tuple: status makes 10 000 of them.)

    ``basis`` names what computed it (program version, legal data): a summary of another basis is computed again.
    ``unreadable`` is why the file could not be read; the other fields are then empty.
    """

    basis: str
    unreadable: str | None = None
    company: str | None = None  # the brand, else the name (as the letters call the company)
    order: str | None = None
    sent_on: dt.date | None = None
    received_on: dt.date | None = None
    channel: str | None = None
    has_deadline: bool = False  # the problem's kind and the demands are known and the term was computed
    last_day: dt.date | None = None
    estimated: bool = False  # counted from the sending date: the receipt date is not confirmed
    confirmed: bool = True  # False: the production calendar of a year involved is provisional
    receipt_known: bool = False  # the receipt date the term counts from is known (or estimated)
    rule: str | None = None
    company_promise: dt.date | None = None
    emergency_point: dt.date | None = None
    warnings: tuple[str, ...] = ()

    def to_row(self) -> tuple[Any, ...]:
        """The values of the ``case_status`` columns after the file key (JSON- and pickle-friendly)."""
        iso = _iso
        return (
            self.basis, self.unreadable, self.company, self.order, iso(self.sent_on), iso(self.received_on),
            self.channel, int(self.has_deadline), iso(self.last_day), int(self.estimated), int(self.confirmed),
            int(self.receipt_known), self.rule, iso(self.company_promise), iso(self.emergency_point),
            json.dumps(list(self.warnings), ensure_ascii=False),
        )

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> StatusSummary:
        """The summary :meth:`to_row` gave ``row``."""
        (basis, unreadable, company, order, sent_on, received_on, channel, has_deadline, last_day, estimated,
         confirmed, receipt_known, rule, promise, emergency, warnings) = row
        date = _date
        return cls(
            basis, unreadable, company, order, date(sent_on), date(received_on), channel, bool(has_deadline),
            date(last_day), bool(estimated), bool(confirmed), bool(receipt_known), rule, date(promise),
            date(emergency), tuple(json.loads(warnings)) if warnings != "[]" else (),
        )


class StatusEntry(NamedTuple):
    """An open case as ``status`` lists it: its record's fields it shows, and its stored summary with the key its
    file had when the summary was computed (both None: never computed)."""

    id: int
    case_file: str
    company: str | None
    order_number: str | None
    file_key: FileKey | None
    summary: StatusSummary | None


@dataclass
class NewCase:
    """One entry for :meth:`Registry.register_many`: a case and the documents generated for it."""

    case_path: Path
    case: Case | None = None
    content_hash: str | None = None
    documents: Sequence[tuple[str, Path]] = ()
    summary: Summary | None = None  # (company, order number, claimant) when there is no Case at hand
    status: StatusSummary | None = None  # of the file as the caller has just written it (kept with its file_key)


# --------------------------------------------------------------------------- helpers


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")


def absolute(path: Path | str) -> Path:
    """The normalised absolute form under which a case file is registered."""
    return Path(path).expanduser().resolve()


class PathResolver:
    """:func:`absolute` for many paths in few folders: each folder is resolved once, each file costs one lstat."""

    def __init__(self) -> None:
        self._dirs: dict[str, str] = {}

    def __call__(self, path: Path | str) -> Path:
        return Path(self.text(path))

    def text(self, path: Path | str) -> str:
        """The same as ``str(self(path))``, without building Path objects (a batch resolves two paths per row)."""
        text = os.fspath(path)
        if text.startswith("~") or "//" in text or "/./" in text or text.endswith(("/", "/.")):
            text = str(Path(text).expanduser())  # the normalisation Path does ("a//b/./c/" → "a/b/c")
        folder, name = os.path.split(text)
        if not os.path.isabs(text) or name in ("", ".", ".."):
            return str(absolute(text))
        return self._resolved(folder, name)

    def _resolved(self, folder: str, name: str) -> str:
        candidate = os.path.join(self._folder(folder), name)
        return os.path.realpath(candidate) if os.path.islink(candidate) else candidate

    def _folder(self, folder: str) -> str:
        found = self._dirs.get(folder)
        if found is None:
            parent, name = os.path.split(folder)
            found = os.path.realpath(folder) if name in ("", ".", "..") else self._resolved(parent, name)
            if len(self._dirs) >= 256:  # a batch of thousands of folders (each met twice): memory stays flat
                self._dirs.clear()
            self._dirs[folder] = found
        return found


def case_hash(case: Case) -> str:
    """A fingerprint of the case's content (independent of key order and formatting of the file)."""
    return data_hash(case.to_data())


def data_hash(data: dict) -> str:
    """:func:`case_hash` of the case whose :meth:`~complaint_cli.model.Case.to_data` is ``data``."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def case_summary(case: Case | None) -> Summary:
    """(company, order number, claimant) as shown when the case file itself cannot be read."""
    if case is None:
        return None, None, None
    company = case.company.name
    if case.company.brand:
        company = f"{company} ({case.company.brand})" if company else case.company.brand
    return company, case.order.number, case.claimant.full_name


def _touch_private(path: Path) -> None:
    """Create ``path`` with mode 0600 unless it exists; tighten an existing file's mode to 0600."""
    fd = os.open(path, os.O_CREAT | os.O_RDWR, PRIVATE_FILE)
    try:
        if os.fstat(fd).st_mode & 0o077:
            os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def file_key(path: Path | str) -> FileKey | None:
    """What tells that a case file has changed: its size, modification and change times (ns) and inode; None when
    there is no regular file there.

    An atomic replace (the tool's own writes, most editors) gives a new inode; an edit in place changes the size or
    the times, and the change time cannot be set back as the modification time can. Only an edit of the same size,
    in place, within the file system's timestamp tick of the previous write would go unseen.
    """
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns


def _case(row: sqlite3.Row) -> CaseRecord:
    return CaseRecord(
        id=row["id"],
        key=row["key"],
        case_file=Path(row["case_file"]),
        company=row["company"],
        order_number=row["order_number"],
        claimant=row["claimant"],
        created_at=row["created_at"],
        status=row["status"],
        content_hash=row["content_hash"],
    )


def _event(row: sqlite3.Row) -> Event:
    return Event(
        id=row["id"],
        case_id=row["case_id"],
        kind=row["kind"],
        on_date=_date(row["on_date"]),
        channel=row["channel"],
        reference=row["reference"],
        outcome=row["outcome"],
        note=row["note"],
        created_at=row["created_at"],
    )


# --------------------------------------------------------------------------- the registry


class Registry:
    """A connection to the registry. Use :meth:`open`; close it (or use it as a context manager)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        self._depth = 0

    # ----------------------------------------------------------------- opening

    @classmethod
    def open(cls, path: Path | str | None = None) -> Registry:
        """Open (creating and migrating when needed) the registry at ``path`` or the default location."""
        from complaint_cli.fsutil import make_dirs
        from complaint_cli.paths import registry_path

        path = Path(path) if path is not None else registry_path()
        try:
            make_dirs(path.parent)
            # SQLite would create these with the umask's mode; create them private first (WAL and shared memory
            # files hold the same personal data as the database).
            for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
                _touch_private(path.parent / name)
        except OSError as exc:
            raise RegistryError(f"Не удалось создать реестр дел {path}: {exc.strerror}.") from None
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise _registry_error(exc, path) from None
        conn.row_factory = sqlite3.Row
        registry = cls(conn, path)
        try:
            with registry._errors():
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA secure_delete = ON")  # a forgotten person's data is overwritten, not freed
                _enable_wal(conn)
                # In WAL mode NORMAL survives a killed process (only a power cut may lose the last commits).
                conn.execute("PRAGMA synchronous = NORMAL")
                registry._migrate()
        except BaseException:
            conn.close()
            raise
        return registry

    @staticmethod
    def exists(path: Path | str | None = None) -> bool:
        """True when a registry file is already there (batch registers cases only into an existing one)."""
        from complaint_cli.paths import registry_path

        target = Path(path) if path is not None else registry_path()
        return target.is_file() and target.stat().st_size > 0

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ----------------------------------------------------------------- transactions and versions

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise _registry_error(exc, self.path) from None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; nested calls join the outer one. A failure rolls everything back."""
        if self._depth:
            self._depth += 1
            try:
                yield self._conn
            finally:
                self._depth -= 1
            return
        with self._errors():
            # IMMEDIATE takes the write lock up front (waiting up to the busy timeout), so two writers never
            # deadlock on upgrading a read lock.
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                with self._conn:  # commit on success, roll back on any exception
                    yield self._conn
            finally:
                self._depth = 0

    def _read_version(self) -> int:
        table = self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
        ).fetchone()
        if table is None:
            return 0
        row = self._conn.execute("SELECT version FROM schema_version").fetchone()
        return int(row[0]) if row else 0

    @property
    def schema_version(self) -> int:
        with self._errors():
            return self._read_version()

    def _check_not_newer(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise RegistryError(
                f"Реестр дел {self.path} создан более новой версией программы (формат {version}, "
                f"эта версия понимает формат до {SCHEMA_VERSION}). Обновите complaint_cli; "
                "реестр не изменён."
            )

    def _migrate(self) -> None:
        version = self._read_version()
        self._check_not_newer(version)
        if version == SCHEMA_VERSION:
            return
        with self.transaction() as conn:
            version = self._read_version()  # another process may have migrated while we waited for the lock
            self._check_not_newer(version)
            if version == 0:
                conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            while version < SCHEMA_VERSION:
                MIGRATIONS[version](conn)
                version += 1
            conn.execute("DELETE FROM schema_version")
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))

    # ----------------------------------------------------------------- cases

    def register_case(self, case_path: Path | str, case: Case | None, *, content_hash: str | None = None,
                      summary: Summary | None = None, status: StatusSummary | None = None) -> int:
        """The id of the case file at ``case_path``, registering it on first use (same absolute path → same id).

        The summary and content hash are refreshed each time. A file that is new here but has the content of an
        open case whose file has disappeared is taken to be that case, moved: its record follows it. ``status``:
        what ``complaint status`` shows of the file as the caller has just written it (under the case file's lock),
        kept with the file's key as it is now.
        """
        path = absolute(case_path)
        digest = content_hash or (case_hash(case) if case is not None else None)
        with self.transaction() as conn:
            case_id = self._upsert_case(conn, str(path), summary or case_summary(case), digest, _now())
            if status is not None:
                key = file_key(path)
                if key is not None:
                    conn.execute(_STORE_STATUS, (case_id, *key, *status.to_row(), case_id))
            return case_id

    def _upsert_case(self, conn: sqlite3.Connection, path: str, summary: Summary, digest: str | None,
                     now: str) -> int:
        company, order, claimant = summary
        row = conn.execute("SELECT id FROM cases WHERE case_file = ?", (path,)).fetchone()
        if row is None:
            row = self._moved_twin(digest)
        if row is not None:
            conn.execute(
                "UPDATE cases SET case_file = ?, company = coalesce(?, company), "
                "order_number = coalesce(?, order_number), claimant = coalesce(?, claimant), "
                "content_hash = coalesce(?, content_hash) WHERE id = ?",
                (path, company, order, claimant, digest, row["id"]),
            )
            return int(row["id"])
        # The next number after every number ever given: a forgotten case's number is not reused.
        case_id = 1 + max(
            conn.execute("SELECT coalesce(max(id), 0) FROM cases").fetchone()[0],
            conn.execute("SELECT coalesce(max(value), 0) FROM counters WHERE name = 'case_id'").fetchone()[0],
        )
        conn.execute(
            "INSERT INTO cases (id, key, case_file, company, order_number, claimant, created_at, status, "
            "content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)",
            (case_id, os.urandom(8).hex(), path, company, order, claimant, now, digest),
        )
        conn.execute("INSERT INTO counters (name, value) VALUES ('case_id', ?) "
                     "ON CONFLICT(name) DO UPDATE SET value = excluded.value", (case_id,))
        conn.execute("INSERT INTO events (case_id, kind, created_at) VALUES (?, 'created', ?)", (case_id, now))
        return case_id

    def _moved_twin(self, digest: str | None) -> sqlite3.Row | None:
        if digest is None:
            return None
        rows = self._conn.execute(
            "SELECT id, case_file FROM cases WHERE content_hash = ? AND status = 'open' ORDER BY id", (digest,)
        ).fetchall()
        missing = [r for r in rows if not Path(r["case_file"]).exists()]
        return missing[0] if len(missing) == 1 else None

    def register_many(self, entries: Iterable[NewCase | tuple[Path, Case | None]]) -> list[int]:
        """Register many cases (and their documents) in ONE transaction: all of them or, on failure, none."""
        with self.transaction():
            add = CaseWriter(self).add
            return [add(entry if isinstance(entry, NewCase) else NewCase(*entry)) for entry in entries]

    def get(self, case_id: int) -> CaseRecord:
        """The case with this id; an unknown id is a :class:`RegistryError` with a Russian message."""
        record = self._by_id(case_id)
        if record is None:
            raise RegistryError(
                f"Дела № {case_id} нет в реестре.",
                hint="Номера дел показывает команда «complaint status»; вместо номера можно указать путь к файлу дела.",
            )
        return record

    def _by_id(self, case_id: int) -> CaseRecord | None:
        with self._errors():
            row = self._conn.execute("SELECT * FROM cases WHERE id = ?", (int(case_id),)).fetchone()
        return _case(row) if row else None

    def by_path(self, case_path: Path | str) -> CaseRecord | None:
        with self._errors():
            row = self._conn.execute(
                "SELECT * FROM cases WHERE case_file = ?", (str(absolute(case_path)),)
            ).fetchone()
        return _case(row) if row else None

    def find(self, case_ref: int | str | Path) -> CaseRecord | None:
        """A case by registry id (``7``, ``"7"``) or by case file path; None when it is not registered.

        A string of digits is an id unless a file of that name exists.
        """
        if isinstance(case_ref, int):
            return self._by_id(case_ref)
        text = str(case_ref).strip()
        if text.isdigit() and not Path(text).exists():
            return self._by_id(int(text))
        return self.by_path(text)

    def cases(self, status: str | None = None) -> list[CaseRecord]:
        with self._errors():
            if status is None:
                rows = self._conn.execute("SELECT * FROM cases ORDER BY id").fetchall()
            else:
                rows = self._conn.execute("SELECT * FROM cases WHERE status = ? ORDER BY id", (status,)).fetchall()
        return [_case(r) for r in rows]

    def open_cases(self) -> list[CaseRecord]:
        return self.cases("open")

    def set_status(self, case_id: int, status: str) -> None:
        if status not in CASE_STATUSES:
            raise ValueError(f"unknown case status {status!r}")
        with self.transaction() as conn:
            conn.execute("UPDATE cases SET status = ? WHERE id = ?", (status, case_id))

    def forget(self, case_id: int) -> None:
        """Delete the case and every event and document row about it (the files are the caller's); its status
        summary goes with it (``ON DELETE CASCADE``).

        ``secure_delete`` (set on every connection) overwrites the deleted rows with zeros instead of leaving them
        in free pages; the checkpoint then copies those pages into the database and empties the WAL, which would
        otherwise still hold the old pages with the person's name.
        """
        with self.transaction() as conn:
            conn.execute("DELETE FROM events WHERE case_id = ?", (case_id,))
            conn.execute("DELETE FROM documents WHERE case_id = ?", (case_id,))
            conn.execute("DELETE FROM cases WHERE id = ?", (case_id,))
        with self._errors():
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # ----------------------------------------------------------------- events and documents

    def add_event(
        self,
        case_id: int,
        kind: str,
        *,
        on: dt.date | None = None,
        channel: str | None = None,
        reference: str | None = None,
        outcome: str | None = None,
        note: str | None = None,
    ) -> int:
        """Record what happened to a case on a date (``kind`` is one of :data:`EVENT_KINDS`)."""
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        with self.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO events (case_id, kind, on_date, channel, reference, outcome, note, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (case_id, kind, on.isoformat() if on else None, channel, reference, outcome, note, _now()),
            )
            return int(cursor.lastrowid)

    def add_document(self, case_id: int, kind: str, path: Path | str) -> int:
        """Remember a generated document (its absolute path)."""
        return self._insert_document(case_id, kind, absolute(path))

    def _insert_document(self, case_id: int, kind: str, path: Path) -> int:
        """The document's row id; a file already listed for the case is not listed twice (its kind is kept)."""
        if not kind:
            raise ValueError("document kind is required")
        with self.transaction() as conn:
            conn.execute(_INSERT_DOCUMENT, (case_id, kind, str(path), _now()))
            row = conn.execute("SELECT id FROM documents WHERE case_id = ? AND path = ?", (case_id, str(path)))
            return int(row.fetchone()[0])

    def events(self, case_id: int) -> list[Event]:
        """The case's events, oldest first."""
        with self._errors():
            rows = self._conn.execute("SELECT * FROM events WHERE case_id = ? ORDER BY id", (case_id,)).fetchall()
        return [_event(r) for r in rows]

    def documents(self, case_id: int) -> list[DocumentRecord]:
        with self._errors():
            rows = self._conn.execute(
                "SELECT * FROM documents WHERE case_id = ? ORDER BY id", (case_id,)
            ).fetchall()
        return [DocumentRecord(r["id"], r["case_id"], r["kind"], Path(r["path"]), r["created_at"]) for r in rows]

    # ----------------------------------------------------------------- what status shows

    def status_view(self, case_id: int | None = None) -> list[StatusEntry]:
        """Every open case (or the case ``case_id``, open or not), oldest first, with its stored summary — one
        query, whatever the number of cases."""
        query, params = (_STATUS_VIEW + " WHERE c.status = 'open' ORDER BY c.id", ()) if case_id is None else (
            _STATUS_VIEW + " WHERE c.id = ?", (case_id,))
        with self._errors():
            cursor = self._conn.cursor()
            cursor.row_factory = None  # plain tuples: 10 000 rows are read here
            rows = cursor.execute(query, params).fetchall()
        from_row = StatusSummary.from_row
        return [StatusEntry(r[0], r[1], r[2], r[3], None, None) if r[4] is None else
                StatusEntry(r[0], r[1], r[2], r[3], r[4:8], from_row(r[8:])) for r in rows]

    def store_statuses(self, entries: Iterable[tuple[int, FileKey, StatusSummary]], *,
                       wait: float = BUSY_TIMEOUT_MS / 1000) -> None:
        """Keep (case id, the file's key before it was read, its summary) for many cases in one transaction; a case
        forgotten meanwhile is skipped. ``wait``: how long to wait for another command's write (seconds)."""
        rows = [(case_id, *key, *summary.to_row(), case_id) for case_id, key, summary in entries]
        with self._errors():
            self._conn.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
        try:
            with self.transaction() as conn:
                conn.executemany(_STORE_STATUS, rows)
        finally:
            with self._errors():
                self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")

    def open_case_events(self, kinds: Sequence[str]) -> dict[int, list[Event]]:
        """The events of these kinds of every open case, oldest first, by case id — one query (without an index on
        the kind: a scan of the events table, 30 000 rows in a few milliseconds)."""
        marks = ", ".join("?" * len(kinds))
        with self._errors():
            rows = self._conn.execute(
                f"SELECT e.* FROM events e JOIN cases c ON c.id = e.case_id "
                f"WHERE c.status = 'open' AND e.kind IN ({marks}) ORDER BY e.id", tuple(kinds)
            ).fetchall()
        found: dict[int, list[Event]] = {}
        for r in rows:
            found.setdefault(r["case_id"], []).append(_event(r))
        return found

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """A read-only query for diagnostics and tests (``PRAGMA integrity_check``)."""
        with self._errors():
            return self._conn.execute(sql, params).fetchall()


_STATUS_VIEW = (
    "SELECT c.id, c.case_file, c.company, c.order_number, s.file_size, s.file_mtime_ns, s.file_inode, s.file_ctime_ns, "
    + ", ".join(f"s.{c}" for c in _STATUS_COLUMNS)
    + " FROM cases c LEFT JOIN case_status s ON s.case_id = c.id"
)
# (case_id, file key…, summary row…, case_id): nothing is stored for a case that is no longer registered.
_STORE_STATUS = (
    "INSERT OR REPLACE INTO case_status (case_id, file_size, file_mtime_ns, file_inode, file_ctime_ns, "
    + ", ".join(_STATUS_COLUMNS) + ") SELECT " + ", ".join("?" * (5 + len(_STATUS_COLUMNS)))
    + " WHERE EXISTS (SELECT 1 FROM cases WHERE id = ?)"
)

_INSERT_DOCUMENT = ("INSERT INTO documents (case_id, kind, path, created_at) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT(case_id, path) DO NOTHING")


class CaseWriter:
    """Registers cases one by one inside the caller's transaction (:meth:`Registry.transaction`).

    :meth:`Registry.register_many` uses it for a list; a batch for the entries it prepared while its workers ran.
    Paths are resolved once per folder (:class:`PathResolver`).
    """

    def __init__(self, registry: Registry, *, resolve: Callable[[Path | str], str] | None = None) -> None:
        """``resolve``: how a path becomes the registered text; ``str`` for paths resolved already."""
        self._registry = registry
        self._resolve = resolve or PathResolver().text
        self._now: str | None = None

    def add(self, entry: NewCase) -> int:
        """The case's id; its documents are added to it (one timestamp for a whole transaction: it commits at once)."""
        resolve, conn = self._resolve, self._registry._conn
        if not self._registry._depth:
            raise RuntimeError("CaseWriter.add outside Registry.transaction()")
        if self._now is None:
            self._now = _now()
        if any(not kind for kind, _ in entry.documents):
            raise ValueError("document kind is required")
        case = entry.case
        digest = entry.content_hash or (case_hash(case) if case is not None else None)
        with self._registry._errors():
            case_file = resolve(entry.case_path)
            case_id = self._registry._upsert_case(conn, case_file, entry.summary or case_summary(case), digest,
                                                  self._now)
            conn.executemany(
                _INSERT_DOCUMENT, [(case_id, kind, resolve(path), self._now) for kind, path in entry.documents]
            )
            key = file_key(case_file) if entry.status is not None else None
            if key is not None:
                conn.execute(_STORE_STATUS, (case_id, *key, *entry.status.to_row(), case_id))
        return case_id


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL. The switch needs an exclusive lock and SQLite does not call the busy handler for it, so two
    processes creating the registry at once would fail at once: retry until the busy timeout instead."""
    give_up = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > give_up:
                raise
            time.sleep(0.02)


def _registry_error(exc: sqlite3.Error, path: Path) -> RegistryError:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return RegistryError(
            f"Реестр дел {path} занят другой командой complaint дольше {BUSY_TIMEOUT_MS // 1000} секунд. "
            "Повторите команду, когда она завершится."
        )
    if isinstance(exc, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text):
        return RegistryError(
            f"Файл реестра дел {path} повреждён или не является базой SQLite.",
            hint="Переименуйте его (например, в registry.broken) — программа создаст новый реестр; "
            "файлы дел при этом не пострадают.",
        )
    return RegistryError(f"Ошибка реестра дел {path}: {text}.")
