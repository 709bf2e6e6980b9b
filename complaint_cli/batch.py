"""Batch generation: a spreadsheet of cases in, one folder of letters per good row out — fast, repeatable, safe to kill.

Usable from Python without the CLI::

    from complaint_cli.batch import run_batch
    result = run_batch(Path("cases.xlsx"), out_dir=Path("out"), on=date.today())
    print(result.as_dict())   # {"total", "ok", "failed", "documents"}

How a run goes:

* rows are streamed from :func:`complaint_cli.tabular.read_rows`; each is validated by
  :func:`complaint_cli.validation.validate_data` — the one validation path — in a pool of worker processes
  (``jobs``; chunks of :data:`CHUNK` rows, so memory stays flat whatever the number of rows);
* templates are compiled once per process (:func:`complaint_cli.render.load_template`, loaded before the workers
  fork, so they inherit it);
* each good row gets a folder named from its data (:func:`folder_names`: no separators, no ``..``, bounded length,
  collisions numbered) holding the letters, the case file (``дело_<номер>.yaml``, usable with every other command)
  and a manifest with the content hash of the normalised case; a re-run skips rows whose hash and documents are
  already there, ``force`` re-renders;
* every file is written atomically, the manifest last: a Ctrl-C or a kill leaves no half-written file, and the next
  run removes stale temporary files and finishes the job;
* escalation letters (``inaction``, ``rospotrebnadzor``, ``court``) are drafted only when the claim's deadline has
  passed as of ``on``; the others are reported as not yet due, not as failures;
* the cases are entered in the registry (when it exists) in one transaction per batch;
* a CSV report is written to the output folder (``отчёт.csv``) or to ``report``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import signal
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from complaint_cli.errors import ComplaintError, UsageError
from complaint_cli.fsutil import PRIVATE, atomic_write_bytes, inside, safe_name

LETTER_KINDS = ("claim", "inaction", "rospotrebnadzor", "court")
ESCALATION_KINDS = ("inaction", "rospotrebnadzor", "court")
LETTER_LABELS = {
    "claim": "претензия",
    "inaction": "повторная претензия",
    "rospotrebnadzor": "жалоба в Роспотребнадзор",
    "court": "исковое заявление",
}
MANIFEST = ".complaint_batch.json"
MANIFEST_VERSION = 1
REPORT_NAME = "отчёт.csv"
CHUNK = 16
WRITE_THREADS = 4  # concurrent atomic writes: their fsyncs share journal commits
FOLDER_MAX_BYTES = 96
ROW_NOTE = "строка данных: 1 — первая строка под заголовком"
_STALE_TMP = re.compile(r"^\..+\.tmp$")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class RowError:
    """A row that could not be turned into letters: its data row number, the field and the Russian message."""

    row: int
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


@dataclass(frozen=True)
class DocumentRef:
    row: int
    kind: str
    path: Path

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "kind": self.kind, "path": str(self.path)}


@dataclass
class Outcome:
    """What a worker did with one row (small and picklable: it travels back to the main process)."""

    row: int
    status: str  # "rendered" | "unchanged" | "failed"
    folder: str = ""
    errors: list[tuple[str, str]] = field(default_factory=list)
    documents: list[tuple[str, str]] = field(default_factory=list)  # (kind, absolute path): all of the case
    new: list[str] = field(default_factory=list)  # kinds written in this run
    not_due: list[tuple[str, str]] = field(default_factory=list)  # (kind, why)
    warnings: list[str] = field(default_factory=list)
    case_file: str = ""
    content_hash: str = ""
    summary: tuple[str | None, str | None, str | None, str | None] = (None, None, None, None)


@dataclass
class BatchResult:
    """The run as a whole; :meth:`as_dict` is the ``--json`` contract."""

    source: Path
    out_dir: Path
    report_path: Path | None = None
    total: int = 0
    ok: int = 0
    rendered: int = 0
    unchanged: int = 0
    failed: list[RowError] = field(default_factory=list)
    documents: list[DocumentRef] = field(default_factory=list)
    not_due: list[tuple[int, str, str]] = field(default_factory=list)
    registered: int | None = None
    registry_error: str | None = None

    @property
    def failed_rows(self) -> int:
        return len({e.row for e in self.failed})

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def add(self, outcome: Outcome) -> None:
        self.total += 1
        if outcome.status == "failed":
            self.failed += [RowError(outcome.row, f, m) for f, m in outcome.errors]
            return
        self.ok += 1
        if outcome.status == "rendered":
            self.rendered += 1
        else:
            self.unchanged += 1
        self.documents += [DocumentRef(outcome.row, kind, Path(path)) for kind, path in outcome.documents]
        self.not_due += [(outcome.row, kind, why) for kind, why in outcome.not_due]

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "ok": self.ok,
            "failed": [e.as_dict() for e in self.failed],
            "documents": [d.as_dict() for d in self.documents],
        }


@dataclass(frozen=True)
class BatchOptions:
    out_dir: Path
    letters: tuple[str, ...] = ("claim",)
    on: dt.date = dt.date(2000, 1, 1)
    force: bool = False
    templates_dir: Path | None = None


# --------------------------------------------------------------------------- options


def parse_letters(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """``"claim,inaction"`` → ``("claim", "inaction")`` in the canonical order; unknown names are a usage error."""
    if value is None:
        return ("claim",)
    names = value.split(",") if isinstance(value, str) else list(value)
    names = [n.strip().lower() for n in names if n and n.strip()]
    unknown = [n for n in names if n not in LETTER_KINDS]
    if unknown or not names:
        raise UsageError(
            f"--letters: неизвестные виды писем: {', '.join(unknown) or '(пусто)'}. "
            f"Допустимые: {', '.join(LETTER_KINDS)}."
        )
    return tuple(k for k in LETTER_KINDS if k in names)


def _escalation_module():
    try:
        from complaint_cli import escalation
    except ImportError:
        return None
    return escalation


_ESCALATION_API = ("escalation_deadline", "allowed_kinds", "TooEarly", "escalation_sums", "inaction_context",
                   "rospotrebnadzor_context")


def _check_escalation(kinds: list[str]) -> None:
    """Escalation letters need complaint_cli.escalation (and complaint_cli.court for the court claim)."""
    import importlib.util

    esc = _escalation_module()
    missing = esc is None or any(not hasattr(esc, name) for name in _ESCALATION_API)
    if not missing and "court" in kinds:
        try:
            missing = importlib.util.find_spec("complaint_cli.court") is None
        except ImportError:  # pragma: no cover
            missing = True
    if missing:
        raise ComplaintError(
            f"Письма {', '.join(kinds)} пока недоступны: в этой версии программы нет модуля эскалации. "
            "Запустите пакетную обработку с --letters claim."
        )


def _preload(options: BatchOptions) -> None:
    """Import the row pipeline and compile every needed template once (before forking: workers inherit both)."""
    from complaint_cli import claim, validation  # noqa: F401  (imported for the workers)
    from complaint_cli.errors import TemplateError
    from complaint_cli.render import load_template

    escalation_kinds = [k for k in options.letters if k in ESCALATION_KINDS]
    if escalation_kinds:
        _check_escalation(escalation_kinds)
    for kind in options.letters:
        try:
            load_template(f"{kind}.docx", options.templates_dir)
        except FileNotFoundError:
            raise TemplateError(f"Шаблон {kind}.docx не найден: письмо «{LETTER_LABELS[kind]}» составить нельзя.") from None


# --------------------------------------------------------------------------- folders and files


class FolderNamer:
    """Safe, unique folder names from row data, assigned in row order (so a re-run assigns the same ones)."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._used = {name.casefold() for name in reserved}

    def name_for(self, data: Any, row: int) -> str:
        claimant = data.get("claimant") if isinstance(data, dict) else None
        order = data.get("order") if isinstance(data, dict) else None
        who = str(claimant.get("full_name") or "") if isinstance(claimant, dict) else ""
        number = str(order.get("number") or "") if isinstance(order, dict) else ""
        text = " ".join(p for p in (who, f"заказ {number}" if number.strip() else "") if p.strip())
        base = safe_name(text, max_len=FOLDER_MAX_BYTES, fallback=f"строка_{row}")
        name, k = base, 1
        while name.casefold() in self._used:  # case-insensitive: two names must differ on every file system
            k += 1
            name = f"{base}_{k}"
        self._used.add(name.casefold())
        return name


def case_file_name(case) -> str:
    """``дело_<номер заказа>.yaml`` — the name the wizard gives a case file."""
    number = safe_name(case.order.number or "", max_len=60, fallback="без_номера")
    return f"дело_{number}.yaml"


def remove_stale_temp(folder: Path, prefix: str = ".") -> int:
    """Delete temporary files a killed run left in ``folder`` (``.<name>.<random>.tmp``); returns how many."""
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        if name.startswith(prefix) and _STALE_TMP.match(name):
            try:
                os.unlink(folder / name)
                removed += 1
            except OSError:
                pass
    return removed


def _read_manifest(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
        return None
    return data


# --------------------------------------------------------------------------- one row (runs in a worker)


_OPTIONS: BatchOptions | None = None


def _init_worker(options: BatchOptions, child: bool = True) -> None:
    global _OPTIONS
    _OPTIONS = options
    if child:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
        signal.signal(signal.SIGTERM, _exit_on_term)  # ...and terminates us: exit cleanly
        _die_with_parent()
        _preload(options)  # a no-op after fork (cached); compiles the templates under spawn


def _exit_on_term(signum, frame) -> None:
    raise SystemExit(128 + signum)


def _die_with_parent() -> None:
    """On Linux, have the kernel send SIGTERM to this worker when the main process dies (even by SIGKILL)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # pragma: no cover - exotic libc
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        raise SystemExit(1)


def _plan_chunk(chunk: list[tuple[int, Any, str]]) -> list[tuple[Outcome, list[tuple[Path, bytes]]]]:
    """Worker side: validate and render a chunk of rows; the files are written by the main process."""
    assert _OPTIONS is not None
    return [plan_row(number, data, folder, _OPTIONS) for number, data, folder in chunk]


def _write_all(writes: list[tuple[Path, bytes]]) -> None:
    """One case's files, in order: documents, case file, and last the manifest that marks the case complete."""
    for path, data in writes:
        atomic_write_bytes(path, data)


def _write_failed(outcome: Outcome, error: BaseException) -> Outcome:
    if isinstance(error, OSError):
        message = f"не удалось записать файл: {error.strerror or error}"
    else:
        message = f"не удалось записать файл: {type(error).__name__}"
    return Outcome(outcome.row, "failed", errors=[("(файл)", message)])


def process_row(number: int, data: Any, folder_name: str, options: BatchOptions) -> Outcome:
    """Validate one row and write its letters into ``out_dir/folder_name`` (skipping what is already there)."""
    outcome, writes = plan_row(number, data, folder_name, options)
    try:
        _write_all(writes)
    except OSError as exc:
        return _write_failed(outcome, exc)
    return outcome


def plan_row(number: int, data: Any, folder_name: str, options: BatchOptions) -> tuple[Outcome, list[tuple[Path, bytes]]]:
    """Validate and render one row: its outcome and the files to write (nothing is written here)."""
    from complaint_cli.validation import validate_data

    report = validate_data(data, today=options.on)
    if report.errors:
        return Outcome(number, "failed", errors=[(p.field, p.message) for p in report.errors]), []
    case = report.case
    outcome = Outcome(number, "rendered", folder=folder_name, warnings=list(report.warnings))
    outcome.summary = (case.company.name, case.company.brand, case.order.number, case.claimant.full_name)
    try:
        return outcome, _plan_case(case, folder_name, options, outcome)
    except ComplaintError as exc:
        return Outcome(number, "failed", errors=[("(документ)", exc.message)]), []
    except ValueError:  # fsutil.inside: the name would leave the output folder (a symlink planted there)
        return Outcome(number, "failed", errors=[("(папка)", f"папка «{folder_name}» ведёт за пределы --out")]), []
    except Exception as exc:  # a bug must not stop the other rows; no personal data in the message
        message = f"внутренняя ошибка программы ({type(exc).__name__}); сообщите разработчикам"
        return Outcome(number, "failed", errors=[("(документ)", message)]), []


def _plan_case(case, folder_name: str, options: BatchOptions, outcome: Outcome) -> list[tuple[Path, bytes]]:
    from complaint_cli.documents import document_name
    from complaint_cli.registry import case_hash

    digest = case_hash(case)
    folder = inside(options.out_dir, folder_name)
    remove_stale_temp(folder)
    manifest = None if options.force else _read_manifest(folder)
    same = manifest is not None and manifest.get("hash") == digest
    have: dict[str, str] = {}
    if same:
        for doc in manifest.get("documents", []):
            if isinstance(doc, dict) and (folder / str(doc.get("file", ""))).is_file():
                have[str(doc.get("kind"))] = str(doc["file"])
    todo = [k for k in options.letters if k not in have]
    waiting = [k for k in todo if k in ESCALATION_KINDS]
    deadline = None
    if waiting:
        deadline = _escalation_module().escalation_deadline(case)
        due, outcome.not_due = _due_escalations(case, deadline, waiting, options.on)
        todo = [k for k in todo if k == "claim" or k in due]
    case_path = inside(folder, case_file_name(case))
    outcome.case_file, outcome.content_hash = str(case_path), digest
    writes: list[tuple[Path, bytes]] = []
    for kind in todo:
        name = document_name(kind, case)
        data, notes = _render(kind, case, options, deadline)
        writes.append((inside(folder, name), data))
        outcome.warnings += [n for n in notes if n not in outcome.warnings]
        have[kind] = name
    outcome.documents = [(k, str(folder / have[k])) for k in options.letters if k in have]
    outcome.new = todo
    outcome.status = "rendered" if todo else "unchanged"
    case_missing = not case_path.is_file()
    if same and not todo and not case_missing:
        return []
    if not same or case_missing:
        writes.append((case_path, case_yaml(case).encode("utf-8")))
    manifest_data = {
        "version": MANIFEST_VERSION,
        "row": outcome.row,
        "hash": digest,
        "case_file": case_path.name,
        "documents": [{"kind": k, "file": have[k]} for k in LETTER_KINDS if k in have],
        "on": options.on.isoformat(),
    }
    # The manifest goes last: it is the mark that everything before it is complete.
    writes.append((folder / MANIFEST, json.dumps(manifest_data, ensure_ascii=False, indent=1).encode("utf-8")))
    return writes


def case_yaml(case) -> str:
    """The case file's text — exactly :func:`complaint_cli.casefile.dump_case`, with libyaml when available
    (the pure-Python emitter is the slowest step of a row)."""
    import yaml

    from complaint_cli.model import SCHEMA_VERSION

    dumper = getattr(yaml, "CSafeDumper", None)
    if dumper is None:  # pragma: no cover - PyYAML built without libyaml
        from complaint_cli.casefile import dump_case

        return dump_case(case)
    data = {"schema_version": SCHEMA_VERSION, **case.to_data()}
    return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)


def _due_escalations(case, deadline, kinds: list[str], on: dt.date) -> tuple[list[str], list[tuple[str, str]]]:
    """Which escalation letters are due on ``on``; the others with the reason (not a failure)."""
    esc = _escalation_module()
    try:
        allowed, _ = esc.allowed_kinds(case, deadline, on, tuple(kinds))
    except esc.TooEarly as exc:
        return [], [(k, exc.message) for k in kinds]
    due = [k for k in kinds if k in allowed]
    later = "срок ещё не истёк; в срочном случае до его истечения — только повторная претензия и жалоба"
    return due, [(k, later) for k in kinds if k not in allowed]


def _render(kind: str, case, options: BatchOptions, deadline=None) -> tuple[bytes, list[str]]:
    """One letter as .docx bytes, and remarks for the user (escalation letters: unconfirmed addresses etc.)."""
    from complaint_cli.render import load_template

    template = load_template(f"{kind}.docx", options.templates_dir)
    if kind == "claim":
        from complaint_cli.claim import claim_context

        return template.render(claim_context(case, on=options.on)), []
    esc = _escalation_module()
    on = options.on
    if kind == "rospotrebnadzor":
        ctx, notes = esc.rospotrebnadzor_context(case, deadline, on=on)
        return template.render(ctx), list(notes)
    sums = esc.escalation_sums(case, deadline, on)
    if kind == "inaction":
        return template.render(esc.inaction_context(case, deadline, sums, on=on)), list(sums.notes)
    from complaint_cli.court import court_context  # type: ignore[import-not-found]

    ctx, notes = court_context(case, deadline, sums, on=on)
    return template.render(ctx), list(notes) + list(sums.notes)


# --------------------------------------------------------------------------- the run


class _Report:
    """The CSV report, streamed into a temporary file and moved into place at the end (atomic like the rest)."""

    HEADER = ["Строка", "Статус", "Поле / письмо", "Сообщение", "Папка", "Документы", "Предупреждения"]

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temp(path.parent, prefix=f".{path.name[:40]}.")
        fd, self._tmp = tempfile.mkstemp(prefix=f".{path.name[:40]}.", suffix=".tmp", dir=path.parent)
        os.fchmod(fd, PRIVATE)
        self._fh = os.fdopen(fd, "w", encoding="utf-8-sig", newline="")
        self._csv = csv.writer(self._fh, delimiter=";", lineterminator="\r\n")
        self._csv.writerow([f"{self.HEADER[0]} ({ROW_NOTE})", *self.HEADER[1:]])

    def add(self, o: Outcome) -> None:
        if o.status == "failed":
            for field_name, message in o.errors:
                self._csv.writerow([o.row, "ошибка", field_name, message, "", "", ""])
            return
        status = "создано" if o.status == "rendered" else "без изменений"
        docs = "; ".join(Path(p).name for _, p in o.documents)
        self._csv.writerow([o.row, status, "", "", o.folder, docs, "; ".join(o.warnings)])
        for kind, why in o.not_due:
            self._csv.writerow([o.row, "срок не наступил", LETTER_LABELS.get(kind, kind), why, o.folder, "", ""])

    def commit(self) -> None:
        self._fh.flush()
        os.fsync(self._fh.fileno())
        self._fh.close()
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        self._fh.close()
        try:
            os.unlink(self._tmp)
        except FileNotFoundError:
            pass


def _imap(jobs: int, options: BatchOptions) -> tuple[Callable, Any]:
    """``(imap, pool)``: a process pool for ``jobs > 1`` (forked where possible), the plain ``map`` otherwise."""
    if jobs <= 1:
        _init_worker(options, child=False)
        return map, None
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    pool = multiprocessing.get_context(method).Pool(jobs, initializer=_init_worker, initargs=(options, True))
    return pool.imap, pool


def run_batch(
    source: Path | str,
    *,
    out_dir: Path | str,
    on: dt.date,
    letters: str | Sequence[str] | None = ("claim",),
    jobs: int | None = None,
    force: bool = False,
    report: Path | str | None = None,
    templates_dir: Path | None = None,
    progress: Callable[[Outcome], None] | None = None,
) -> BatchResult:
    """Turn every good row of ``source`` into letters under ``out_dir``; see the module docstring.

    File-level problems (unreadable file, unknown columns) raise ``ComplaintError`` before anything is written;
    a bad row is recorded in the result and the other rows go on.
    """
    from complaint_cli.tabular import read_rows

    if jobs is not None and jobs < 1:
        raise UsageError("--jobs: нужно целое число от 1.")
    options = BatchOptions(Path(out_dir).resolve(), parse_letters(letters), on, force, templates_dir)
    report_path = Path(report).resolve() if report else options.out_dir / REPORT_NAME
    rows = read_rows(source)
    first = next(rows, None)  # the header is read and checked here, before any worker starts
    _preload(options)
    try:
        options.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ComplaintError(f"Не удалось создать папку {options.out_dir}: {exc.strerror}") from None
    remove_stale_temp(options.out_dir)
    result = BatchResult(Path(source), options.out_dir, report_path)
    namer = FolderNamer(reserved=[REPORT_NAME, report_path.name, MANIFEST])
    report_file = _Report(report_path)
    try:
        run = _Run(result, report_file, progress, jobs or os.cpu_count() or 1)
        run.execute(options, _prepend(first, rows), namer)
        _register(run.registry_rows, result)
    except BaseException:
        report_file.abort()
        raise
    report_file.commit()
    return result


class _Run:
    """The main process's side: feed chunks to the workers, write the files they planned with a pool of threads
    (fsync waits overlap; the journal batches them), record outcomes in row order once their files are on disk.

    At most ``2 * jobs + 2`` chunks are between reading and recording, so memory stays flat for any number of rows.
    """

    def __init__(self, result: BatchResult, report: _Report, progress, jobs: int) -> None:
        import threading
        from collections import deque

        self.result, self.report, self.progress, self.jobs = result, report, progress, jobs
        self.registry_rows: list[tuple[str, str, tuple, list[tuple[str, str]]]] = []
        self.capacity = 2 * jobs + 2
        self.permits = threading.Semaphore(self.capacity)
        self.stop = threading.Event()
        self.pending: deque = deque()

    def chunks(self, rows: Iterator, namer: FolderNamer) -> Iterator[list[tuple[int, Any, str]]]:
        """Runs in the pool's feeder thread: waits for a permit before reading the next chunk."""
        chunk: list[tuple[int, Any, str]] = []
        for row in rows:
            chunk.append((row.number, row.data, namer.name_for(row.data, row.number)))
            if len(chunk) >= CHUNK:
                if not self._permit():
                    return
                yield chunk
                chunk = []
        if chunk and self._permit():
            yield chunk

    def _permit(self) -> bool:
        while not self.stop.is_set():
            if self.permits.acquire(timeout=0.1):
                return True
        return False

    def execute(self, options: BatchOptions, rows: Iterator, namer: FolderNamer) -> None:
        from concurrent.futures import ThreadPoolExecutor

        imap, pool = _imap(self.jobs, options)  # fork before any thread of ours exists
        writer = ThreadPoolExecutor(WRITE_THREADS, thread_name_prefix="complaint-write")
        try:
            for planned in imap(_plan_chunk, self.chunks(rows, namer)):
                self.pending.append([(o, writer.submit(_write_all, w) if w else None) for o, w in planned])
                while len(self.pending) > self.capacity // 2 or (self.pending and self._front_done()):
                    self._record(self.pending.popleft())
            while self.pending:
                self._record(self.pending.popleft())
            if pool is not None:
                pool.close()
                pool.join()
        except BaseException:
            self.stop.set()
            if pool is not None:
                pool.terminate()
                pool.join()
            writer.shutdown(wait=True, cancel_futures=True)  # files being written finish (atomically)
            raise
        writer.shutdown(wait=True)

    def _front_done(self) -> bool:
        return all(f is None or f.done() for _, f in self.pending[0])

    def _record(self, chunk: list) -> None:
        for outcome, future in chunk:
            error = future.exception() if future is not None else None
            if error is not None:
                outcome = _write_failed(outcome, error)
            self.result.add(outcome)
            self.report.add(outcome)
            if outcome.status != "failed":
                new_docs = [(k, p) for k, p in outcome.documents if k in outcome.new]
                self.registry_rows.append((outcome.case_file, outcome.content_hash, outcome.summary, new_docs))
            if self.progress is not None:
                self.progress(outcome)
        self.permits.release()


def _prepend(first, rows: Iterator) -> Iterator:
    if first is not None:
        yield first
        yield from rows


def _register(entries: list[tuple[str, str, tuple, list[tuple[str, str]]]], result: BatchResult) -> None:
    """Enter every good row in the registry — one transaction for the batch — when the registry exists."""
    from complaint_cli.errors import RegistryError
    from complaint_cli.registry import NewCase, Registry

    if not entries or not Registry.exists():
        return
    from complaint_cli.model import Case, Claimant, Company, Order

    def cases() -> Iterator[NewCase]:
        for case_file, digest, (company, brand, number, name), docs in entries:
            summary = Case.model_construct(
                claimant=Claimant.model_construct(full_name=name),
                company=Company.model_construct(name=company, brand=brand),
                order=Order.model_construct(number=number),
            )
            yield NewCase(Path(case_file), summary, digest, [(k, Path(p)) for k, p in docs])

    try:
        with Registry.open() as registry:
            result.registered = len(registry.register_many(cases()))
    except RegistryError as exc:
        result.registry_error = exc.message
