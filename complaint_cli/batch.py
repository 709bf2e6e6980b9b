"""Batch generation: a spreadsheet of cases in, one folder of letters per good row out — fast, repeatable, safe to kill.

Usable from Python without the CLI::

    from complaint_cli.batch import run_batch
    result = run_batch(Path("cases.xlsx"), out_dir=Path("out"), on=date.today())
    print(result.as_dict())   # {"total", "ok", "failed", "documents"}

How a run goes:

* rows stream from :func:`complaint_cli.tabular.read_rows`; worker processes (``jobs``, default: the CPUs) validate
  each with :func:`complaint_cli.validation.validate_data` — the one validation path — render it with templates
  compiled once per process (:func:`complaint_cli.render.load_template`, loaded before the workers fork) and write
  its files;
* a good row gets a folder named from its data (:class:`FolderNamer`, checked with :func:`complaint_cli.fsutil.inside`)
  with its letters and its case file (``дело_<номер>.yaml``, usable with every other command); the output folder's
  journal (:mod:`complaint_cli.batchjournal`) keeps the content hash of each normalised case: a re-run skips what
  is unchanged, ``force`` re-renders;
* every file is written atomically, and the main process records a row (report, journal) only once its files
  are written: a Ctrl-C or a kill leaves no half-written file, and the next run removes stale temporary files
  and finishes the job;
* escalation letters are drafted only once the claim's deadline has passed as of ``on`` (the others are reported
  as not yet due, not as failures); the cases enter the registry, when it exists, in one transaction;
* a CSV report goes to the output folder (``отчёт.csv``); per-row details wait in a temporary file, not in memory.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import itertools
import json
import os
import re
import signal
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from complaint_cli.batchjournal import JOURNAL, LEGACY_MANIFEST, Journal
from complaint_cli.errors import ComplaintError, UsageError
from complaint_cli.fsutil import FolderWriter, inside, make_dirs, safe_name, sync_all

# What --letters may ask for: the letters, the penalty appendix («Расчёт неустойки», with the escalation letters)
# and the post-office kit of the claim (the inventory on form 107 and the address label), issue 18.
LETTER_KINDS = ("claim", "inaction", "rospotrebnadzor", "court", "penalty", "post")
ESCALATION_KINDS = ("inaction", "rospotrebnadzor", "court", "penalty")
LETTER_LABELS = {"claim": "претензия", "inaction": "повторная претензия",
                 "rospotrebnadzor": "жалоба в Роспотребнадзор", "court": "исковое заявление",
                 "penalty": "расчёт неустойки", "post": "опись вложения и адресный ярлык"}
# The files each asked-for kind makes, by their document kind (documents.document_name; the journal's «kind»).
FILE_KINDS = {"post": ("post_inventory", "post_label")}
DOCUMENT_KINDS = ("claim", "inaction", "rospotrebnadzor", "court", "penalty", "post_inventory", "post_label")


def _files_of(kind: str) -> tuple[str, ...]:
    return FILE_KINDS.get(kind, (kind,))
REPORT_NAME = "отчёт.csv"
LOCK_NAME = ".complaint_batch.lock"  # held for the whole run (:func:`_output_lock`)
CHUNK = 16
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
    journal: dict[str, Any] | None = None  # the record for the batch journal, when it changed
    summary: tuple[str | None, str | None, str | None] = (None, None, None)  # for the registry
    case_status: tuple[Any, ...] | None = None  # for the registry: what `status` shows of the case file written now

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as its fields in order: a quarter of the main process's time went to rebuilding outcomes from
        # their __dict__.
        return Outcome, tuple(getattr(self, name) for name in _OUTCOME_FIELDS)


_OUTCOME_FIELDS = tuple(Outcome.__dataclass_fields__)


_encode = json.JSONEncoder(ensure_ascii=False).encode  # the C encoder, made once


class _Spool:
    """Per-row records of a run (documents, errors, letters not due) in an unnamed temporary file, a line each
    (``tag<TAB>json``): the main process keeps no per-row state, so its memory stays flat for any number of rows."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - lives as long as the result

    def add(self, tag: str, *fields: Any) -> None:
        self._file.write(f"{tag}\t{_encode(fields)}\n")

    def read(self, tag: str) -> Iterator[list[Any]]:
        self._file.flush()
        self._file.seek(0)
        prefix = f"{tag}\t"
        start = len(prefix)
        for line in self._file:
            if line.startswith(prefix):  # the other records are not even decoded
                yield json.loads(line[start:])
        self._file.seek(0, os.SEEK_END)


def _json_object(item: dict[str, Any], indent: str) -> str:
    """``json.dumps(item, ensure_ascii=False, indent=2)`` of a flat dict nested at ``indent`` — with the C encoder
    (``indent`` makes json fall back to its pure-Python encoder, the slowest part of a big ``--json``)."""
    inner = indent + "  "
    body = ",\n".join(f"{inner}{_encode(key)}: {_encode(value)}" for key, value in item.items())
    return f"{{\n{body}\n{indent}}}"


@dataclass
class BatchResult:
    """The run as a whole; :meth:`as_dict` (or the streaming :meth:`write_json`) is the ``--json`` contract.

    Per-row details are kept on disk, not in memory: :meth:`iter_documents` and :meth:`iter_failed` stream them;
    the list properties read them all.
    """

    source: Path
    out_dir: Path
    report_path: Path | None = None
    total: int = 0
    ok: int = 0
    rendered: int = 0
    unchanged: int = 0
    failed_rows: int = 0
    errors: int = 0
    not_due_letters: int = 0
    registered: int | None = None
    registry_error: str | None = None
    _spool: _Spool = field(default_factory=_Spool, repr=False)
    _hidden: set = field(default_factory=set, repr=False)  # .docx removed by --format pdf
    pdf_warnings: list = field(default_factory=list, repr=False)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed_rows else 0

    def add(self, outcome: Outcome) -> None:
        self.total += 1
        spool = self._spool
        if outcome.status == "failed":
            self.failed_rows += 1
            self.errors += len(outcome.errors)
            for field_name, message in outcome.errors:
                spool.add("failed", outcome.row, field_name, message)
            return
        self.ok += 1
        if outcome.status == "rendered":
            self.rendered += 1
        else:
            self.unchanged += 1
        for kind, path in outcome.documents:
            spool.add("doc", outcome.row, kind, path)
        for kind, why in outcome.not_due:
            spool.add("not_due", outcome.row, kind, why)
        self.not_due_letters += len(outcome.not_due)

    def convert(self, fmt: str) -> None:
        """``--format pdf|both``: PDFs of the documents written, in one LibreOffice run; listed as documents too."""
        from complaint_cli.pdf import apply_format

        docs = [d for d in self.iter_documents() if d.path.suffix.lower() == ".docx"]
        converted, warnings = apply_format([d.path for d in docs], fmt)
        self.pdf_warnings = warnings
        for d in docs:
            if d.path in converted:
                self._spool.add("doc", d.row, d.kind, str(converted[d.path]))
        if fmt == "pdf":
            self._hidden = set(converted)

    def iter_failed(self) -> Iterator[RowError]:
        return (RowError(*r) for r in self._spool.read("failed"))

    def iter_documents(self) -> Iterator[DocumentRef]:
        hidden = self._hidden
        docs = (DocumentRef(row, kind, Path(path)) for row, kind, path in self._spool.read("doc"))
        return (d for d in docs if d.path not in hidden)

    @property
    def failed(self) -> list[RowError]:
        return list(self.iter_failed())

    @property
    def documents(self) -> list[DocumentRef]:
        return list(self.iter_documents())

    @property
    def not_due(self) -> list[tuple[int, str, str]]:
        """(row, letter kind, why) of the escalation letters that are not yet due."""
        return [(row, kind, why) for row, kind, why in self._spool.read("not_due")]

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "ok": self.ok,
            "failed": [e.as_dict() for e in self.iter_failed()],
            "documents": [d.as_dict() for d in self.iter_documents()],
        }

    def write_json(self, out: IO[str]) -> None:
        """The same text as ``json.dumps(self.as_dict(), ensure_ascii=False, indent=2)``, written as it is read."""
        out.write(f'{{\n  "total": {self.total},\n  "ok": {self.ok},\n')
        for key, items, last in (("failed", self.iter_failed(), False), ("documents", self.iter_documents(), True)):
            out.write(f'  "{key}": [')
            first = True
            for item in items:
                out.write(("\n    " if first else ",\n    ") + _json_object(item.as_dict(), "    "))
                first = False
            out.write(("]" if first else "\n  ]") + ("\n" if last else ",\n"))
        out.write("}\n")


@dataclass(frozen=True)
class BatchOptions:
    """What every worker needs to know (picklable: sent once to each worker)."""

    out_dir: Path
    on: dt.date
    letters: tuple[str, ...] = ("claim",)
    force: bool = False
    templates_dir: Path | None = None
    evidence_root: Path | None = None  # the input file's folder: rows may name evidence files only under it
    register: bool = False  # the registry exists: the cases enter it, with what `status` shows of each


# --------------------------------------------------------------------------- options


def parse_letters(value: str | Sequence[str] | None) -> tuple[str, ...]:
    """``"claim,inaction"`` → ``("claim", "inaction")`` in the canonical order; unknown names are a usage error."""
    if value is None:
        return ("claim",)
    names = value.split(",") if isinstance(value, str) else list(value)
    names = [n.strip().lower() for n in names if n and n.strip()]
    unknown = [n for n in names if n not in LETTER_KINDS]
    if unknown or not names:
        raise UsageError(f"--letters: неизвестные виды писем: {', '.join(unknown) or '(пусто)'}. "
                         f"Допустимые: {', '.join(LETTER_KINDS)}.")
    return tuple(k for k in LETTER_KINDS if k in names)


_ESCALATION_API = ("escalation_deadline", "allowed_kinds", "TooEarly", "escalation_sums", "inaction_context",
                   "rospotrebnadzor_context")


def _check_escalation(kinds: list[str]) -> None:
    """Escalation letters need complaint_cli.escalation (and complaint_cli.court for the court claim)."""
    import importlib
    import importlib.util

    try:
        esc = importlib.import_module("complaint_cli.escalation")
        missing = any(not hasattr(esc, name) for name in _ESCALATION_API)
        missing = missing or ("court" in kinds and importlib.util.find_spec("complaint_cli.court") is None)
    except ImportError:
        missing = True
    if missing:
        raise ComplaintError(f"Письма {', '.join(kinds)} пока недоступны: в этой версии программы нет модуля "
                             "эскалации (или иска). Запустите пакетную обработку с --letters claim.")


_TEMPLATES: dict[tuple[str, Path | None], Any] = {}  # the compiled templates of the run, by letter kind and folder
_PRELOADED: BatchOptions | None = None  # the options _preload last ran for in this process


def _folder_for(name: str, options: BatchOptions) -> Path | None:
    """The templates folder of ``name``: an advocate's ``--templates`` folder when it has that template; the appendix
    and the post-office forms are bundled ones otherwise (a folder exported before issue 18 has only the letters)."""
    folder = options.templates_dir
    if folder is not None and name in ("penalty", "post_inventory", "post_label") and \
            not (Path(folder) / f"{name}.docx").is_file():
        return None
    return folder


def _preload(options: BatchOptions) -> None:
    """Import the row pipeline and compile every needed template once (before forking: workers inherit both)."""
    from complaint_cli import claim, validation  # noqa: F401  (imported for the workers)
    from complaint_cli.errors import TemplateError
    from complaint_cli.render import load_template

    escalation_kinds = [k for k in options.letters if k in ESCALATION_KINDS]
    if escalation_kinds:
        _check_escalation(escalation_kinds)
    _TEMPLATES.clear()  # loaded again for each run (load_template notices a template changed on disk)
    for kind in options.letters:
        for name in _files_of(kind):
            try:
                _TEMPLATES[name, options.templates_dir] = load_template(f"{name}.docx", _folder_for(name, options))
            except FileNotFoundError:
                label = LETTER_LABELS[kind]
                raise TemplateError(f"Шаблон {name}.docx не найден: документ «{label}» составить нельзя.") from None
    _warm_up(options)
    global _PRELOADED
    _PRELOADED = options
    # Everything loaded so far lives as long as the process: keep it out of the collector's sweeps (in the workers
    # after fork too, where a sweep would also copy the shared pages) and out of the sweeps at exit.
    gc.freeze()


def _warm_up(options: BatchOptions) -> None:
    """Take the template's example row through the row pipeline once, in memory, writing nothing.

    The lazy imports, data tables (regions, calendar, terms), declension rules and regular expressions a row needs
    are then loaded once, before the workers fork, instead of once in every worker. Its result is thrown away; a
    problem here (an ``--on`` date before the example's order, say) only means the rows load them themselves.
    """
    from complaint_cli.casefile import dump_data
    from complaint_cli.documents import document_name
    from complaint_cli.registry import data_hash
    from complaint_cli.tabular import example_row
    from complaint_cli.validation import validate_data

    with contextlib.suppress(Exception):
        case = validate_data(example_row().data, today=options.on).case
        if case is None:
            return
        data = case.to_data()
        dump_data(data)
        data_hash(data)
        deadline = None
        if any(k in ESCALATION_KINDS for k in options.letters):
            from complaint_cli.escalation import escalation_deadline

            deadline = escalation_deadline(case)
        for kind in options.letters:
            document_name(kind, case)
            with contextlib.suppress(Exception):
                _render(kind, case, options, deadline)


# --------------------------------------------------------------------------- folders and files


class FolderNamer:
    """Safe, unique folder names from row data, assigned in row order (so a re-run assigns the same ones)."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._used = {_name_key(name) for name in reserved}

    def name_for(self, data: Any, row: int) -> str:
        claimant = data.get("claimant") if isinstance(data, dict) else None
        order = data.get("order") if isinstance(data, dict) else None
        who = str(claimant.get("full_name") or "") if isinstance(claimant, dict) else ""
        number = str(order.get("number") or "") if isinstance(order, dict) else ""
        text = " ".join(p for p in (who, f"заказ {number}" if number.strip() else "") if p.strip())
        base = safe_name(text, max_len=FOLDER_MAX_BYTES, fallback=f"строка_{row}")
        name, k = base, 1
        while _name_key(name) in self._used:  # case-insensitive: two names must differ on every file system
            k += 1
            name = f"{base}_{k}"
        self._used.add(_name_key(name))
        return name


def _name_key(name: str) -> int:
    """What :class:`FolderNamer` remembers of a name: 8 bytes of its case-folded hash, not the name (~150 bytes).

    Two different names share a key with a probability of 2**-64; the second then merely gets a «_2» suffix, the
    same one on every run (the hash is not salted per process).
    """
    return int.from_bytes(hashlib.blake2b(name.casefold().encode("utf-8"), digest_size=8).digest(), "little")


def case_file_name(case) -> str:
    """``дело_<номер заказа>.yaml`` — the name the wizard gives a case file."""
    number = safe_name(case.order.number or "", max_len=60, fallback="без_номера")
    return f"дело_{number}.yaml"


def remove_stale_temp(folder: Path, prefix: str = ".") -> int:
    """Delete temporary files a killed run left in ``folder`` (``.<name>.<random>.tmp``); returns how many."""
    try:
        names = [n for n in os.listdir(folder) if n.startswith(prefix) and _STALE_TMP.match(n)]
    except OSError:
        return 0
    for name in names:
        with contextlib.suppress(OSError):
            os.unlink(folder / name)
    return len(names)


# --------------------------------------------------------------------------- one row (runs in a worker)


_OPTIONS: BatchOptions | None = None


def _init_worker(options: BatchOptions, child: bool = True, lifeline: _Lifeline | None = None) -> None:
    global _OPTIONS
    _OPTIONS = options
    if child:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
        signal.signal(signal.SIGTERM, lambda signum, _: sys.exit(128 + signum))  # ...and terminates us: exit cleanly
        if lifeline is not None:
            lifeline.watch()
        if _PRELOADED is not options:  # under spawn; a forked worker inherits the main process's preload
            _preload(options)


class _Lifeline:
    """Workers die with the main process, even when it is killed with SIGKILL (else they would wait forever).

    A pipe whose write end only the main process keeps open: when it dies, the kernel closes that end, and a thread
    in each worker, blocked reading the other end, gets end-of-file and sends its own process SIGTERM (a clean
    exit: every file is written atomically). Works wherever the pool forks (Linux, macOS); no ctypes, no prctl.
    """

    def __init__(self) -> None:
        self.parent = os.getpid()
        self.read_fd, self.write_fd = os.pipe()

    def watch(self) -> None:
        """In a worker, just after the fork."""
        import threading

        os.close(self.write_fd)  # the copy this worker inherited
        threading.Thread(target=self._wait, name="lifeline", daemon=True).start()
        if os.getppid() != self.parent:  # the main process died before we closed our copy
            os.kill(os.getpid(), signal.SIGTERM)

    def _wait(self) -> None:
        try:
            while os.read(self.read_fd, 1):
                pass
        except OSError:  # pragma: no cover - the descriptor is ours alone; nothing else closes it
            return
        os.kill(os.getpid(), signal.SIGTERM)

    def close(self) -> None:
        """In the main process, once the pool is gone."""
        for fd in (self.read_fd, self.write_fd):
            with contextlib.suppress(OSError):
                os.close(fd)


Task = tuple[int, Any, str, dict[str, Any] | None]  # row number, raw case, folder name, its journal record


def _process_chunk(chunk: list[Task]) -> list[Outcome]:
    """Worker side: validate, render and write a chunk of rows; only the small outcomes go back."""
    assert _OPTIONS is not None
    return [process_row(number, data, folder, _OPTIONS, previous) for number, data, folder, previous in chunk]


def process_row(number: int, data: Any, folder_name: str, options: BatchOptions,
                previous: dict[str, Any] | None = None) -> Outcome:
    """One row from data to files on disk (:func:`plan_row`, then the files written)."""
    outcome, writes = plan_row(number, data, folder_name, options, previous)
    if writes:
        try:
            _writer(options.out_dir).write(writes.folder, writes.files, new=writes.new)
        except Exception as exc:  # noqa: BLE001 - a full disk or a bug: this row fails, the others go on
            return _write_failed(outcome, exc)
    return outcome


@dataclass
class Writes:
    """The files of one case, in the order they must be written (the letters, then the case file)."""

    folder: str  # relative to the output folder
    files: list[tuple[str, bytes]] = field(default_factory=list)
    new: bool = False  # the folder did not exist when the row was planned

    def __bool__(self) -> bool:
        return bool(self.files)


_WRITERS: dict[Path, FolderWriter] = {}


def _writer(out_dir: Path) -> FolderWriter:
    """This process's writer of case folders under ``out_dir`` (the output folder held open for the run)."""
    writer = _WRITERS.get(out_dir)
    if writer is None:
        for old in _WRITERS.values():  # a new run in this process: the last one's folder is closed
            old.close()
        _WRITERS.clear()
        writer = _WRITERS[out_dir] = FolderWriter(out_dir)
    return writer


def _close_writers() -> None:
    for writer in _WRITERS.values():
        writer.close()
    _WRITERS.clear()


def _write_failed(outcome: Outcome, error: BaseException) -> Outcome:
    why = (error.strerror or str(error)) if isinstance(error, OSError) else (
        error.message if isinstance(error, ComplaintError) else type(error).__name__)
    return Outcome(outcome.row, "failed", errors=[("(файл)", f"не удалось записать файл: {why}")])


def plan_row(number: int, data: Any, folder_name: str, options: BatchOptions,
             previous: dict[str, Any] | None = None) -> tuple[Outcome, Writes | None]:
    """Validate and render one row: its outcome and the files to write (nothing is written here).

    ``previous`` is the folder's record in the batch journal: what it was made from the last time.
    """
    from complaint_cli.registry import case_summary
    from complaint_cli.tabular import Unreadable
    from complaint_cli.validation import validate_data

    if isinstance(data, Unreadable):  # a CSV row in another encoding than the rest of the file: never guessed at
        return Outcome(number, "failed", errors=[(data.field, data.message)]), None
    report = validate_data(data, today=options.on, receipt_folder=options.evidence_root)  # reads a receipt file
    if report.errors:
        return Outcome(number, "failed", errors=[(p.field, p.message) for p in report.errors]), None
    case = report.case
    if options.evidence_root is not None and any(e.file for e in case.evidence):
        from complaint_cli.evidence import check_evidence

        _, bad = check_evidence(case, options.evidence_root, root=options.evidence_root, missing_ok=True)
        if bad:
            return Outcome(number, "failed", errors=[(p.field, p.message) for p in bad]), None
    outcome = Outcome(number, "rendered", folder=folder_name, warnings=list(report.warnings))
    outcome.summary = case_summary(case)
    try:
        return outcome, _plan_case(case, folder_name, options, outcome, previous)
    except ComplaintError as exc:
        return Outcome(number, "failed", errors=[("(документ)", exc.message)]), None
    except ValueError:  # fsutil.inside: the name would leave the output folder (a symlink planted there)
        return Outcome(number, "failed", errors=[("(папка)", f"папка «{folder_name}» ведёт за пределы --out")]), None
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the other rows; no personal data in the message
        message = f"внутренняя ошибка программы ({type(exc).__name__}); сообщите разработчикам"
        return Outcome(number, "failed", errors=[("(документ)", message)]), None


def _child(folder: str, name: str) -> str:
    """``folder/name``, refused (ValueError) when ``name`` would leave ``folder`` — :func:`fsutil.inside` without its
    check for a link: for a folder that did not exist a moment ago (the files are written with no link followed)."""
    target = os.path.normpath(os.path.join(folder, name))
    if not target.startswith(folder.rstrip(os.sep) + os.sep):
        raise ValueError(f"path escapes the output folder: {name!r}")
    return target


def _plan_case(case, folder_name: str, options: BatchOptions, outcome: Outcome, previous) -> Writes | None:
    from complaint_cli.documents import document_name
    from complaint_cli.registry import data_hash

    case_data = case.to_data()  # once for the content hash and the case file
    digest = data_hash(case_data)
    folder = _child(str(options.out_dir), folder_name)
    # A first run meets only new folders: one lstat tells, and spares the look for leftovers, letters, links in it.
    try:
        new = not os.lstat(folder)
    except FileNotFoundError:
        new = True
    if new:
        child = _child
    else:
        from complaint_cli.batchjournal import legacy_record

        folder = str(inside(options.out_dir, folder_name))  # a folder that is a link is refused (UnsafePath)
        remove_stale_temp(Path(folder))

        def child(base: str, name: str) -> str:
            return str(inside(Path(base), name))

    before = None if options.force else previous or (None if new else legacy_record(Path(folder)))
    same = before is not None and before.get("hash") == digest
    have: dict[str, str] = {}
    if same and not new:
        for doc in before.get("documents", []):
            if isinstance(doc, dict) and (Path(folder) / str(doc.get("file", ""))).is_file():
                have[str(doc.get("kind"))] = str(doc["file"])
    todo = [k for k in options.letters if any(f not in have for f in _files_of(k))]
    if "post" in todo and "claim" not in have and "claim" not in todo:
        todo.remove("post")  # the kit is the claim's: without the claim there is nothing to send
        outcome.warnings.append("Опись и ярлык составляются для претензии: добавьте claim в --letters.")
    waiting = [k for k in todo if k in ESCALATION_KINDS]
    deadline = None
    if waiting:
        from complaint_cli.escalation import escalation_deadline

        deadline = escalation_deadline(case)
        due, outcome.not_due = _due_escalations(case, deadline, waiting, options.on)
        todo = [k for k in todo if k not in ESCALATION_KINDS or k in due]
    case_path = child(folder, case_file_name(case))
    case_name = os.path.basename(case_path)
    outcome.case_file, outcome.content_hash = case_path, digest
    writes = Writes(folder_name, new=new)
    paths: dict[str, str] = {}
    made: dict[str, bytes] = {}
    analysis = None  # the claim's legal analysis: the case's status summary takes its deadline too
    if "claim" in todo:
        from complaint_cli.law.analysis import analyze

        analysis = analyze(case, case.submission.sent_on or options.on)  # what claim_context would make of it
    for kind in todo:
        if kind == "post":
            files, notes = _post_kit(case, options, made.get("claim"), folder)
        else:
            docx, notes = _render(kind, case, options, deadline, analysis)
            files = [(document_name(kind, case), docx)] if docx is not None else []
        outcome.warnings += [n for n in notes if n not in outcome.warnings]
        for file_kind, (name, data) in zip(_files_of(kind), files):
            paths[file_kind] = child(folder, name)
            writes.files.append((os.path.basename(paths[file_kind]), data))
            made[file_kind] = data
            have[file_kind] = name
    outcome.documents = [(f, paths.get(f) or str(Path(folder) / have[f]))
                         for k in options.letters for f in _files_of(k) if f in have]
    outcome.new = [k for k in todo if all(f in made for f in _files_of(k))]
    todo = outcome.new
    outcome.status = "rendered" if todo else "unchanged"
    case_missing = new or not os.path.isfile(case_path)
    documents = [{"kind": k, "file": have[k]} for k in DOCUMENT_KINDS if k in have]
    record = {"folder": folder_name, "row": outcome.row, "hash": digest, "case_file": case_name,
              "documents": documents, "on": options.on.isoformat()}
    if same and not todo and not case_missing:
        outcome.journal = None if previous is not None else record  # a version-1 record moves to the journal
        return None
    if not same or case_missing:
        from complaint_cli.casefile import dump_data

        writes.files.append((case_name, dump_data(case_data).encode("utf-8")))
        if options.register:  # what `status` shows of this case file, kept in the registry with it
            from complaint_cli.tracking import status_summary

            outcome.case_status = status_summary(case, analysis.deadline if analysis else None).to_row()
    outcome.journal = record  # recorded by the main process once these files are written
    return writes


def _due_escalations(case, deadline, kinds: list[str], on: dt.date) -> tuple[list[str], list[tuple[str, str]]]:
    """Which escalation letters are due on ``on``; the others with the reason (not a failure)."""
    from complaint_cli import escalation as esc

    # The penalty appendix goes with the repeat claim: it is due when that letter is.
    asked = tuple(dict.fromkeys("inaction" if k == "penalty" else k for k in kinds))
    try:
        allowed, _ = esc.allowed_kinds(case, deadline, on, asked)
    except esc.TooEarly as exc:
        return [], [(k, exc.message) for k in kinds]
    due = [k for k in kinds if ("inaction" if k == "penalty" else k) in allowed]
    later = "срок ещё не истёк; в срочном случае до его истечения — только повторная претензия и жалоба"
    return due, [(k, later) for k in kinds if k not in due]


def _post_kit(case, options: BatchOptions, claim: bytes | None, folder: str) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The claim's post-office kit (inventory, label) and its remarks; the claim's sheets are estimated from the
    letter made in this row, or counted from the one in the case's folder."""
    from complaint_cli.postkit import post_kit_files

    root = options.evidence_root or options.out_dir
    if claim is None:  # made by an earlier run: it is in the case's folder
        claim = (Path(folder) / _document(case, "claim")).read_bytes()
    return post_kit_files(case, root, "claim", options.on, letter=claim,
                          templates_dir=_folder_for("post_inventory", options))


def _document(case, kind: str) -> str:
    from complaint_cli.documents import document_name

    return document_name(kind, case)


def _render(kind: str, case, options: BatchOptions, deadline=None, analysis=None) -> tuple[bytes | None, list[str]]:
    """One letter as .docx bytes, and remarks for the user (escalation letters: unconfirmed addresses etc.); None for
    the penalty appendix when no penalty has started (the remark says why). ``analysis``: the claim's, if made."""
    template = _TEMPLATES.get((kind, options.templates_dir))
    if template is None:
        from complaint_cli.render import load_template

        template = _TEMPLATES[kind, options.templates_dir] = load_template(f"{kind}.docx", _folder_for(kind, options))
    if kind == "claim":
        from complaint_cli.claim import claim_context

        return template.render(claim_context(case, on=options.on, analysis=analysis)), []
    from complaint_cli import escalation as esc

    on = options.on
    if kind == "rospotrebnadzor":
        ctx, notes = esc.rospotrebnadzor_context(case, deadline, on=on)
        return template.render(ctx), list(notes)
    sums = esc.escalation_sums(case, deadline, on)
    if kind == "penalty":
        from complaint_cli.appendix import appendix_reason, penalty_appendix_context

        reason = appendix_reason(sums)
        if reason is not None:
            return None, [reason]
        return template.render(penalty_appendix_context(case, deadline, sums, on)), []
    if kind == "inaction":
        return template.render(esc.inaction_context(case, deadline, sums, on=on)), sums.console()
    from complaint_cli.court import court_context  # type: ignore[import-not-found]

    ctx, notes = court_context(case, deadline, sums, on=on)
    return template.render(ctx), list(notes) + sums.console()


# --------------------------------------------------------------------------- the run


REPORT_HEADER = [f"Строка ({ROW_NOTE})", "Статус", "Поле / письмо", "Сообщение", "Папка", "Документы",
                 "Предупреждения"]


def report_lines(o: Outcome) -> list[list[Any]]:
    """The CSV report's lines for one row: one per error, or the folder and letters plus one per letter not due."""
    if o.status == "failed":
        return [[o.row, "ошибка", field_name, message, "", "", ""] for field_name, message in o.errors]
    status = "создано" if o.status == "rendered" else "без изменений"
    docs = "; ".join(os.path.basename(p) for _, p in o.documents)  # no Path: pathlib interns every folder name
    return [[o.row, status, "", "", o.folder, docs, "; ".join(o.warnings)]] + [
        [o.row, "срок не наступил", LETTER_LABELS.get(kind, kind), why, o.folder, "", ""] for kind, why in o.not_due
    ]


def _imap(jobs: int, options: BatchOptions, lifeline: _Lifeline) -> tuple[Callable, Any]:
    """``(imap, pool)``: a process pool for ``jobs > 1`` (forked where possible), the plain ``map`` otherwise."""
    if jobs <= 1:
        _init_worker(options, child=False)
        return map, None
    import multiprocessing

    fork = "fork" in multiprocessing.get_all_start_methods()
    pool = multiprocessing.get_context("fork" if fork else None).Pool(
        jobs, initializer=_init_worker, initargs=(options, True, lifeline if fork else None))
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

    File-level problems (unreadable file, unknown columns) raise ``ComplaintError`` before anything is written, a
    line broken further down stops the run (what was written is complete; no report); a bad row is recorded in the
    result and the other rows go on.
    """
    from complaint_cli.tabular import read_rows

    if jobs is not None and jobs < 1:
        raise UsageError("--jobs: нужно целое число от 1.")
    from complaint_cli.registry import Registry

    options = BatchOptions(Path(out_dir).resolve(), on, parse_letters(letters), force, templates_dir,
                           evidence_root=Path(source).resolve().parent, register=Registry.exists())
    report_path = Path(report).resolve() if report else options.out_dir / REPORT_NAME
    rows = read_rows(source)
    first = next(rows, None)  # the header is read and checked here, before any worker starts
    _preload(options)
    try:
        make_dirs(options.out_dir)
    except OSError as exc:
        raise ComplaintError(f"Не удалось создать папку {options.out_dir}: {exc.strerror}") from None
    with _output_lock(options.out_dir):
        return _run_locked(source, options, rows, first, report_path, jobs, progress)


def _output_lock(out_dir: Path):
    """The output folder's lock: a second batch into the same folder is refused at once, before writing anything.

    Two runs in one folder would render the same rows twice and interleave the journal; waiting for the first run
    (which may take minutes) would look like a hang, so the second is told what is going on instead.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(out_dir / LOCK_NAME, timeout=0, mode=0o600)
    try:
        lock.acquire()
    except Timeout:
        from complaint_cli.errors import Busy

        raise Busy(f"В папке {out_dir} уже идёт другая пакетная обработка. Дождитесь её окончания или укажите "
                   "другую папку (--out).") from None
    except OSError as exc:
        raise ComplaintError(f"Не удалось создать файл блокировки в папке {out_dir}: {exc.strerror}") from None
    return lock


def _run_locked(source, options: BatchOptions, rows, first, report_path: Path, jobs, progress) -> BatchResult:
    remove_stale_temp(options.out_dir)
    result = BatchResult(Path(source), options.out_dir, report_path)
    namer = FolderNamer(reserved=[REPORT_NAME, report_path.name, JOURNAL, LEGACY_MANIFEST, LOCK_NAME])
    from complaint_cli.tabular import TableWriter

    journal = Journal(options.out_dir)  # first: a journal planted as a link is refused before the report is begun
    remove_stale_temp(report_path.parent, prefix=f".{report_path.name[:40]}.")
    try:
        report_file = TableWriter(report_path, REPORT_HEADER)
    except OSError as exc:
        raise ComplaintError(f"Не удалось создать отчёт {report_path}: {exc.strerror}") from None
    registrar = _Registrar(result, options.register)
    try:
        run = _Run(result, report_file, progress, jobs or os.cpu_count() or 1, journal, registrar)
        run.execute(options, itertools.chain([first], rows) if first is not None else iter(()), namer)
        registrar.commit()  # after execute's sync: the registry never lists a file that a power cut could lose
    except BaseException:
        journal.flush()  # what is recorded is written: a next run need not redo it
        report_file.abort()
        raise
    finally:
        journal.close()
    report_file.commit()
    return result


class _Run:
    """The main process's side: feed chunks of rows to the workers and record their outcomes in row order.

    The workers write the files themselves (only small outcomes travel back), so the main process does little
    but read the table; at most ``2 * jobs + 2`` chunks are between reading and recording, so memory stays flat for
    any number of rows.
    """

    def __init__(self, result: BatchResult, report, progress, jobs: int, journal: Journal,
                 registrar: _Registrar) -> None:
        import threading

        self.result, self.report, self.progress, self.jobs, self.journal = result, report, progress, jobs, journal
        self.registrar = registrar
        self.permits = threading.Semaphore(2 * jobs + 2)
        self.stop = threading.Event()

    def chunks(self, rows: Iterator, namer: FolderNamer) -> Iterator[list[Task]]:
        """Runs in the pool's feeder thread: waits for a permit before reading the next chunk."""
        chunk: list[Task] = []
        for row in rows:
            folder = namer.name_for(row.data, row.number)
            chunk.append((row.number, row.data, folder, self.journal.previous(folder)))
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
                return not self.stop.is_set()
        return False

    def execute(self, options: BatchOptions, rows: Iterator, namer: FolderNamer) -> None:
        lifeline = _Lifeline()
        try:
            self._execute(options, rows, namer, lifeline)
        finally:
            lifeline.close()
            _close_writers()  # --jobs 1 wrote in this process

    def _execute(self, options: BatchOptions, rows: Iterator, namer: FolderNamer, lifeline: _Lifeline) -> None:
        imap, pool = _imap(self.jobs, options, lifeline)  # fork before any thread of ours exists
        results = imap(_process_chunk, self.chunks(rows, namer))
        try:
            for outcomes in results:
                self._record(outcomes)
        except BaseException:
            self.stop.set()  # no new chunks; the workers finish the rows they hold (each file atomically)
            if pool is not None:
                _wind_down(pool, results)
            sync_all()
            raise
        sync_all()  # the files were written without per-file fsync: make them durable before the registry says so
        if pool is not None:
            pool.close()
            pool.join()

    def _record(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            self.result.add(outcome)
            if outcome.status != "failed":
                if outcome.journal is not None:
                    self.journal.append(outcome.journal)
                self.registrar.add(outcome)
            for line in report_lines(outcome):
                self.report.row(line)
            if self.progress is not None:
                self.progress(outcome)
        self.journal.flush()
        self.permits.release()


def _wind_down(pool, results, grace: float = 30.0) -> None:
    """Stop the pool after an interruption: let the workers finish the few chunks they hold and discard them.

    ``Pool.terminate()`` right away can hang for good: a worker killed while sending its (large) result leaves the
    result pipe's lock taken, and the pool's feeder thread then waits on it forever. Terminating is the fallback
    when the workers do not finish within ``grace`` seconds or a second Ctrl-C comes.
    """
    import multiprocessing
    import time

    deadline = time.monotonic() + grace
    while True:
        try:
            results.next(timeout=max(0.01, deadline - time.monotonic()))
        except StopIteration:
            pool.close()
            pool.join()
            return
        except multiprocessing.TimeoutError:
            break
        except Exception:  # noqa: BLE001 - a failed chunk: there is nothing to keep anyway
            continue
        except BaseException:  # a second Ctrl-C
            break
    pool.terminate()
    pool.join()


class _Registrar:
    """Enters the good rows in the registry, when it exists — in ONE transaction for the batch, after the files.

    While the workers are busy, each recorded row's entry is prepared (its paths resolved, which costs a few file
    system calls) and spooled; :meth:`commit`, called once the files are synced, writes them all in one short
    transaction. So the registry never lists a case whose files a power cut could lose, an interrupted batch
    registers nothing, and other commands are kept waiting for a moment at the end, not for the whole batch. A
    registry error is reported (``registry_error``); the letters stay written.
    """

    def __init__(self, result: BatchResult, register: bool) -> None:
        self.result = result
        self.register = register
        self._checked = False
        self._resolve: Callable[[str], str] | None = None  # set when the registry exists
        self._report: str | None = None

    def _report_text(self) -> str:
        assert self._resolve is not None and self.result.report_path is not None
        self._report = self._resolve(self.result.report_path)
        return self._report

    def add(self, outcome: Outcome) -> None:
        if not self._checked:
            from complaint_cli.registry import PathResolver

            self._checked = True
            if self.register:  # the registry existed when the run began (the workers summarise for it)
                self._resolve = PathResolver().text
        resolve = self._resolve
        if resolve is None:
            return
        # Every letter of the row, not only the new ones: a run resumed after a kill registers the letters the
        # killed run wrote (the registry ignores a file it already lists); and the report, which names the case.
        documents = [[kind, resolve(path)] for kind, path in outcome.documents]
        if self.result.report_path is not None:
            documents.append(["report", self._report or self._report_text()])
        self.result._spool.add("registry", resolve(outcome.case_file), outcome.content_hash, list(outcome.summary),
                               documents, outcome.case_status)

    def commit(self) -> None:
        from complaint_cli.errors import RegistryError
        from complaint_cli.registry import CaseWriter, NewCase, Registry, StatusSummary

        if self._resolve is None:
            return
        try:
            with Registry.open() as registry, registry.transaction():
                add = CaseWriter(registry, resolve=str).add  # the paths were resolved as the rows came
                count = 0
                for case_file, digest, summary, documents, status in self.result._spool.read("registry"):
                    add(NewCase(case_file, None, digest, [tuple(d) for d in documents], tuple(summary),
                                StatusSummary.from_row(status) if status else None))
                    count += 1
            self.result.registered = count
        except RegistryError as exc:
            self.result.registry_error = exc.message
