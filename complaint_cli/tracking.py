"""Tracking a claim after it is drafted: sent, received, the company's reply, closed — and what to do next.

Use cases behind ``complaint sent/received/reply/close/status``, usable from Python without the CLI::

    from complaint_cli.tracking import mark_sent, status_rows
    mark_sent("case.yaml", on=date(2026, 11, 2), channel="app", today=date.today())
    for row in status_rows(today=date.today()):
        print(row.company, row.deadline, row.next_step)

The case file is the source of truth for dates: ``sent``/``received`` set ``submission.*`` in it and record an event
in the registry — under the case file's lock, so that two commands at once on one case lose neither's update, and
changing only those keys (:func:`complaint_cli.casefile.update_case`: validated by
:func:`complaint_cli.validation.validate_data`, the user's comments and formatting kept, written atomically). A case is
referred to by its file path or its registry id; a file never registered is registered on first use.

``status`` reads no case file that has not changed: what it shows of each case (:func:`status_summary` — dates,
deadline, warnings; nothing that depends on «today») is kept in the registry with the file's size, times and inode
(:func:`complaint_cli.registry.file_key`), stored when ``sent``/``received`` and ``batch`` write a case file, and
computed again only for the files whose key has changed (or that were never summarised); days left, overdue and
the next step are worked out from it for «today» when shown.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from complaint_cli.errors import (
    CaseFileError,
    ComplaintError,
    InvalidCase,
    RegistryError,
    SampleCase,
    UsageError,
)
from complaint_cli.law.deadlines import CHANNELS as CHANNEL_PHRASES
from complaint_cli.law.deadlines import fmt_date
from complaint_cli.money import days_phrase
from complaint_cli.paths import is_example
from complaint_cli.registry import CaseRecord, Event, FileKey, Registry, StatusEntry, StatusSummary, file_key

if TYPE_CHECKING:  # the model (pydantic) and the legal analysis load in ~0.3 s: `status` needs neither
    from complaint_cli.law.deadlines import Deadline
    from complaint_cli.model import Case
    from complaint_cli.validation import Report

CHANNELS = ("app", "website", "phone", "email", "office", "post")
OUTCOMES: dict[str, str] = {
    "satisfied": "требования удовлетворены",
    "partial": "требования удовлетворены частично",
    "refused": "в требованиях отказано",
}
# Escalation documents (kinds used by ``complaint escalate``) and how status names them.
ESCALATION_LABELS: dict[str, str] = {
    "inaction": "повторная претензия",
    "rospotrebnadzor": "жалоба в Роспотребнадзор",
    "court": "исковое заявление",
    "review": "отзыв",
    "bank": "заявление в банк",
}
ALL_ROUTES = "можно направить повторную претензию, жалобу в Роспотребнадзор, иск"
DATE_HINT = "ДД.ММ.ГГГГ"

# A Russian Post domestic tracking number (ШПИ) is 14 digits (law.md §1.1). Its check digit is not verified here:
# the algorithm was not confirmed from an official source.
_SHPI = re.compile(r"\d{14}")


@dataclass
class TrackResult:
    """What a tracking command did, for people (``message``) and for scripts (:meth:`as_dict`)."""

    case_id: int
    case_file: Path
    event: str | None
    message: str
    next_step: str | None = None
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.case_id,
            "case_file": str(self.case_file),
            "event": self.event,
            "message": self.message,
            "next_step": self.next_step,
            "warnings": list(self.warnings),
        }


@dataclass(slots=True)
class StatusRow:
    """One open case in ``complaint status``. ``days_left`` is negative when the deadline has passed."""

    id: int
    path: str  # the case file's absolute path (:attr:`case_file` as a Path: status makes thousands of rows)
    company: str | None
    order: str | None
    sent_on: dt.date | None
    received_on: dt.date | None
    channel: str | None
    deadline: dt.date | None
    estimated: bool
    overdue: bool
    days_left: int | None
    next_step: str
    company_promise: dt.date | None = None
    deadline_rule: str | None = None
    calendar_confirmed: bool = True
    reply: str | None = None
    escalated: list[dict[str, str | None]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    state: str = ""  # a key of STATES: what the case waits for

    @property
    def case_file(self) -> Path:
        return Path(self.path)

    def remaining_text(self) -> str:
        """«осталось 3 дня», «просрочено на 12 дней», «сегодня последний день» (≈ for an estimate)."""
        if self.days_left is None:
            return "—"
        prefix = "≈ " if self.estimated else ""
        if self.days_left > 0:
            return f"{prefix}осталось {days_phrase(self.days_left)}"
        if self.days_left == 0:
            return f"{prefix}сегодня последний день"
        return f"{prefix}просрочено на {days_phrase(-self.days_left)}"

    def as_dict(self) -> dict[str, Any]:
        iso = _iso
        return {
            "id": self.id,
            "case_file": self.path,
            "company": self.company,
            "order": self.order,
            "sent_on": iso(self.sent_on),
            "received_on": iso(self.received_on),
            "channel": self.channel,
            "deadline": iso(self.deadline),
            "estimated": self.estimated,
            "overdue": self.overdue,
            "days_left": self.days_left,
            "next_step": self.next_step,
            "company_promise": iso(self.company_promise),
            "deadline_rule": self.deadline_rule,
            "calendar_confirmed": self.calendar_confirmed,
            "reply": self.reply,
            "escalated": list(self.escalated),
            "warnings": list(self.warnings),
            "state": self.state,
        }


# --------------------------------------------------------------------------- helpers


@contextmanager
def _registry(registry: Registry | None) -> Iterator[Registry]:
    """The given registry, or the default one opened for this call and closed after it."""
    if registry is not None:
        yield registry
        return
    opened = Registry.open()
    try:
        yield opened
    finally:
        opened.close()


def normalize_tracking_number(value: str) -> str:
    """A Russian Post tracking number (ШПИ): 14 digits; spaces and dashes copied with it are dropped."""
    digits = re.sub(r"[\s\-]", "", value or "")
    if not _SHPI.fullmatch(digits):
        raise UsageError(
            f"--reference: номер почтового отправления (ШПИ) должен состоять из 14 цифр, например 12345678901234; "
            f"получено «{value.strip()[:40]}»."
        )
    return digits


_REFERENCE_MAX = 40
# «№», «N», «#» and the words people type before the number itself («обращение № 5512», «тикет 88112»).
_NUMBER_SIGN = re.compile(r"^\s*(?:(?:обращение|тикет|заявка|номер|ticket)\s*)?(?:№|N|#|No\.?)?\s*",
                          re.IGNORECASE)
REFERENCE_WHAT = {
    "app": "номер обращения (тикета) в приложении",
    "site": "номер обращения с сайта",
    "phone": "номер обращения, который назвал оператор",
    "email": "номер обращения из ответа компании",
    "office": "входящий номер с отметки о получении",
}


def normalize_reference(value: str, channel: str | None) -> str:
    """``--reference`` checked for its channel: a 14-digit ШПИ for the post, otherwise a ticket or incoming number —
    starting with a digit-bearing code, short, not a sentence (an e-mail's subject is not a number: the letters
    would print it as one)."""
    if channel == "post":
        return normalize_tracking_number(value)
    text = _NUMBER_SIGN.sub("", " ".join((value or "").split()))
    what = REFERENCE_WHAT.get(channel or "", "номер обращения (тикета) или входящий номер")
    first = text.split()[0] if text else ""
    if not re.search(r"\d", first) or len(text) > _REFERENCE_MAX or len(text.split()) > 3:
        raise UsageError(
            f"--reference: нужен {what} — короткий номер с цифрами, например 88112345 или ВХ-1024 "
            f"(до {_REFERENCE_MAX} знаков). Тему письма или текст указывать не нужно; если номера нет, не "
            "указывайте --reference."
        )
    return text


def _load(path: Path, today: dt.date) -> Report:
    from complaint_cli.casefile import read_case_data
    from complaint_cli.validation import validate_data

    return validate_data(read_case_data(path), today=today)


def resolve_case(case_ref: int | str | Path, registry: Registry, *, today: dt.date) -> CaseRecord:
    """The registered case for a registry id or a case file path; an unregistered file is registered now."""
    record = registry.find(case_ref)
    if record is not None:
        return record
    text = str(case_ref).strip()
    if isinstance(case_ref, int) or (text.isdigit() and not Path(text).exists()):
        return registry.get(int(text))  # raises: unknown id
    path = Path(text)
    if not path.is_file():
        raise CaseFileError(
            f"Файл дела не найден: {path}",
            hint="Укажите путь к файлу дела (YAML) или номер дела из «complaint status».",
        )
    if is_example(path):
        raise SampleCase(
            f"{path} — образец из комплекта программы, а не ваше дело: его не отмечают отправленным и не вносят "
            "в реестр дел.",
            hint=f"Возьмите копию и впишите в неё свои данные: complaint example {path.stem} --out дело.yaml",
        )
    case_id = registry.register_case(path, _load(path, today).case)
    return registry.get(case_id)


def _existing_file(record: CaseRecord) -> Path:
    if not record.file_exists:
        raise CaseFileError(
            f"Файл дела № {record.id} не найден: {record.case_file} (перемещён или удалён).",
            hint="Если файл перемещён, укажите в команде новый путь к нему вместо номера дела.",
        )
    return record.case_file


def _submission(raw: dict[str, Any]) -> dict[str, Any]:
    """The case file's ``submission`` section as written (empty when there is none)."""
    sub = raw.get("submission")
    return sub if isinstance(sub, dict) else {}


def _validator(path: Path, today: dt.date, case_id: int) -> Callable[[dict[str, Any]], Case]:
    """What a changed case file must pass before it is written: validation, and received not before sent."""

    def validate(data: dict[str, Any]) -> Case:
        from complaint_cli.validation import validate_data

        report = validate_data(data, today=today)
        sub = report.case.submission
        if sub.sent_on is not None and sub.received_on is not None and sub.received_on < sub.sent_on:
            raise _received_before_sent(sub.received_on, sub.sent_on, case_id)
        return _valid(report, path)

    return validate


def _valid(report: Report, path: Path) -> Case:
    if report.errors:
        exc = InvalidCase(
            report.errors,
            message=f"В файле дела {path} есть ошибки — отметка не записана:\n"
            + "\n".join(f"  • {p.field}: {p.message}" for p in report.errors),
        )
        exc.hint = f"Исправьте их (проверка: complaint validate {path}) и повторите команду."
        raise exc
    return report.case


def _not_future(on: dt.date, today: dt.date, what: str) -> None:
    if on > today:
        raise ComplaintError(f"Дата {what} {fmt_date(on)} ещё не наступила (сегодня {fmt_date(today)}).")


def _received_before_sent(received: dt.date, sent: dt.date, case_id: int) -> ComplaintError:
    return ComplaintError(
        f"Дата получения претензии ({fmt_date(received)}) раньше даты её отправки ({fmt_date(sent)}) — "
        "так быть не может. Проверьте даты.",
        hint=f"Если ошибочна дата отправки, исправьте её: complaint sent {case_id} --on {DATE_HINT}",
    )


def _last(events: list[Event], kind: str) -> Event | None:
    return next((e for e in reversed(events) if e.kind == kind), None)


def _channel_phrase(channel: str | None) -> str:
    return f" ({CHANNEL_PHRASES[channel]})" if channel in CHANNEL_PHRASES else ""


# --------------------------------------------------------------------------- use cases


def mark_sent(
    case_ref: int | str | Path,
    *,
    on: dt.date,
    channel: str | None = None,
    reference: str | None = None,
    today: dt.date,
    registry: Registry | None = None,
) -> TrackResult:
    """Record that the claim was sent on ``on``: into the case file (``submission.*``) and the registry."""
    if channel is not None and channel not in CHANNELS:
        raise UsageError(f"--channel: неизвестный способ отправки «{channel}»; допустимо: {', '.join(CHANNELS)}.")
    _not_future(on, today, "отправки претензии")
    from complaint_cli.casefile import case_lock, read_case_data, update_case

    with _registry(registry) as reg:
        record = resolve_case(case_ref, reg, today=today)
        path = _existing_file(record)
        with case_lock(path):  # the file as it is now, and the registry updated in the same order as the file
            sub = _submission(read_case_data(path))
            changes: dict[str, Any] = {"submission.channel": channel} if channel else {}
            changes["submission.sent_on"] = on.isoformat()
            channel = channel or sub.get("channel")
            warnings: list[str] = []
            if reference is not None and reference.strip():
                reference = normalize_reference(reference, channel)
                changes["submission.reference"] = reference
            elif channel == "post" and not sub.get("reference"):
                warnings.append(
                    "Не указан номер почтового отправления (ШПИ, 14 цифр): добавьте --reference — по нему "
                    "на сайте Почты России видна дата вручения, от которой считается срок."
                )
            case = update_case(path, changes, validate=_validator(path, today, record.id))
            with reg.transaction():
                reg.register_case(path, case, status=status_summary(case))  # the file as written, under its lock
                reg.add_event(record.id, "sent", on=on, channel=channel, reference=case.submission.reference)
        row = status_row(reg, reg.get(record.id), today=today)
    return TrackResult(
        case_id=record.id,
        case_file=path,
        event="sent",
        message=f"Дело № {record.id}: претензия отмечена как отправленная {fmt_date(on)}{_channel_phrase(channel)}.",
        next_step=row.next_step,
        warnings=warnings + row.warnings,
    )


def mark_received(
    case_ref: int | str | Path, *, on: dt.date, today: dt.date, registry: Registry | None = None
) -> TrackResult:
    """Record the day the company received the claim (the statutory term runs from it)."""
    _not_future(on, today, "получения претензии")
    from complaint_cli.casefile import case_lock, update_case

    with _registry(registry) as reg:
        record = resolve_case(case_ref, reg, today=today)
        path = _existing_file(record)
        with case_lock(path):  # the registry updated in the same order as the file
            changes = {"submission.received_on": on.isoformat()}
            case = update_case(path, changes, validate=_validator(path, today, record.id))
            with reg.transaction():
                reg.register_case(path, case, status=status_summary(case))
                channel = case.submission.channel.value if case.submission.channel else None
                reg.add_event(record.id, "received", on=on, channel=channel)
        row = status_row(reg, reg.get(record.id), today=today)
    return TrackResult(
        case_id=record.id,
        case_file=path,
        event="received",
        message=f"Дело № {record.id}: претензия получена компанией {fmt_date(on)}.",
        next_step=row.next_step,
        warnings=row.warnings,
    )


def record_reply(
    case_ref: int | str | Path,
    *,
    on: dt.date,
    outcome: str,
    note: str | None = None,
    today: dt.date,
    registry: Registry | None = None,
) -> TrackResult:
    """Record the company's answer: ``satisfied``, ``partial`` or ``refused``."""
    if outcome not in OUTCOMES:
        raise UsageError(f"--outcome: неизвестный результат «{outcome}»; допустимо: {', '.join(OUTCOMES)}.")
    _not_future(on, today, "ответа компании")
    with _registry(registry) as reg:
        record = resolve_case(case_ref, reg, today=today)
        sent = status_row(reg, record, today=today).sent_on
        if sent is not None and on < sent:
            raise ComplaintError(
                f"Дата ответа компании ({fmt_date(on)}) раньше даты отправки претензии ({fmt_date(sent)}). "
                "Проверьте даты."
            )
        reg.add_event(record.id, "reply", on=on, outcome=outcome, note=(note or "").strip() or None)
        row = status_row(reg, record, today=today)
    return TrackResult(
        case_id=record.id,
        case_file=record.case_file,
        event="reply",
        message=f"Дело № {record.id}: ответ компании от {fmt_date(on)} записан — {OUTCOMES[outcome]}.",
        next_step=row.next_step,
        warnings=row.warnings,
    )


def close_case(case_ref: int | str | Path, *, today: dt.date, registry: Registry | None = None) -> TrackResult:
    """Close a case: it leaves ``complaint status``; its history stays in the registry."""
    with _registry(registry) as reg:
        record = resolve_case(case_ref, reg, today=today)
        if record.status == "closed":
            return TrackResult(record.id, record.case_file, None, f"Дело № {record.id} уже закрыто.")
        with reg.transaction():
            reg.set_status(record.id, "closed")
            reg.add_event(record.id, "closed", on=today)
    return TrackResult(record.id, record.case_file, "closed", f"Дело № {record.id} закрыто.")


def record_document(
    case_path: Path | str,
    case: Case | None,
    kind: str,
    path: Path | str,
    *,
    on: dt.date | None = None,
    registry: Registry | None = None,
) -> int | None:
    """Register a generated document of a case (registering the case on first use); returns the case id (None for
    a shipped sample tried in place, which stays out of the registry).

    ``kind`` is ``claim`` for the first claim or an escalation kind (:data:`ESCALATION_LABELS`), which is also
    recorded as an ``escalated`` event so that ``complaint status`` shows what was escalated and when.
    """
    if is_example(case_path):
        return None  # a sample tried in place is not the user's case: kept out of the registry
    with _registry(registry) as reg, reg.transaction():
        case_id = reg.register_case(case_path, case)
        reg.add_document(case_id, kind, path)
        event = "escalated" if kind in ESCALATION_LABELS else "rendered"
        reg.add_event(case_id, event, on=on, reference=kind, note=str(path))
    return case_id


def record_files(case_path: Path | str, case: Case | None, kind: str, paths: list[Path]) -> int | None:
    """List files made for a case besides its letters (``kind`` in :data:`registry.FILE_KINDS`), so that
    ``forget`` removes them and ``export`` packs them; no event is recorded. A registry that cannot be opened only
    costs that (the files are written already): None is returned.
    """
    from complaint_cli.registry import FILE_KINDS

    if kind not in FILE_KINDS:
        raise ValueError(f"unknown file kind {kind!r}")
    if is_example(case_path):
        return None
    try:
        with Registry.open() as reg, reg.transaction():
            case_id = reg.register_case(case_path, case)
            for path in paths:
                reg.add_document(case_id, kind, path)
    except RegistryError:
        return None
    return case_id


# --------------------------------------------------------------------------- status

# Bump when status_summary computes anything differently: every stored summary is then computed again.
STATUS_FORMAT = 1
# The data a summary is computed from besides the case file (terms, the production calendar, company presets).
_STATUS_DATA = ("terms.yaml", "calendar_ru.yaml", "companies.yaml")
# The first status over an old registry reads every file (~1 ms each): what it has computed is kept every so many
# files, so that an interrupted run is not lost.
_STORE_EVERY = 500

# What a case waits for (``state`` in ``status --json``), most urgent first: the order of ``status`` on a terminal.
STATES: dict[str, str] = {
    "overdue": "срок истёк",
    "urgent": "срочный случай: можно не ждать срока",
    "waiting": "ждут ответа",
    "estimated": "ждут ответа, срок по оценке",
    "refused": "отказ или частичное удовлетворение",
    "no_deadline": "нужна дата получения претензии",
    "not_sent": "претензия не отправлена",
    "incomplete": "не хватает данных для срока",
    "file_problem": "файл дела не найден или не читается",
    "satisfied": "требования удовлетворены",
}


@functools.cache
def status_basis() -> str:
    """What a :class:`~complaint_cli.registry.StatusSummary` is computed with: the program's version, the
    summary's format and the legal data — a stored summary of another basis is computed again (a new production
    calendar confirms a year; a term changes)."""
    import hashlib

    from complaint_cli import __version__
    from complaint_cli.yamlio import data_text

    digest = hashlib.sha256(f"{__version__}/{STATUS_FORMAT}".encode())
    for name in _STATUS_DATA:
        digest.update(data_text(name).encode("utf-8"))
    return digest.hexdigest()[:16]


def status_summary(case: Case, deadline: Deadline | None = None) -> StatusSummary:
    """What ``status`` shows of a case, from its content alone (no «today»): stored in the registry with the case
    file's key by whoever has just written the file (``sent``, ``received``, ``batch``), or by ``status`` itself.

    ``deadline``: the claim's deadline from an analysis of the case already made (``analyze(case, …).deadline``,
    which reads the same submission dates and channel), so a batch row does not work it out twice."""
    from complaint_cli.law.analysis import deadline_for
    from complaint_cli.law.workcalendar import get_calendar

    sub = case.submission
    channel = sub.channel.value if sub.channel else None
    base = StatusSummary(
        status_basis(), company=_company(case), order=case.order.number, sent_on=sub.sent_on,
        received_on=sub.received_on, channel=channel,
    )
    if case.problem.kind is None or not case.demands:
        return base
    if deadline is None:
        try:
            deadline = deadline_for(case, received_on=sub.received_on, sent_on=sub.sent_on, channel=channel)
        except ComplaintError as exc:
            return base._replace(warnings=(exc.message,))
    warnings: list[str] = []
    if deadline.estimated and deadline.last_day is not None:
        warnings.append("Срок рассчитан от даты отправки — это оценка: дата получения претензии не подтверждена.")
    warnings += get_calendar().notes_for(deadline.nominal, deadline.last_day, deadline.company_promise)
    return base._replace(
        has_deadline=True, last_day=deadline.last_day, estimated=deadline.estimated,
        confirmed=deadline.confirmed, receipt_known=deadline.received_on is not None, rule=deadline.rule,
        company_promise=deadline.company_promise, emergency_point=deadline.emergency_point, warnings=tuple(warnings),
    )


def _read_summary(path: Path) -> StatusSummary:
    """The summary of the case file at ``path`` as it is now; an unreadable file is a summary saying why."""
    from complaint_cli.casefile import read_case_data
    from complaint_cli.validation import build_case

    try:
        case = build_case(read_case_data(path))[0]  # what validation adds (errors) status does not show
    except ComplaintError as exc:
        return StatusSummary(status_basis(), unreadable=exc.message)
    return status_summary(case)


def _current(entry: StatusEntry, basis: str) -> tuple[FileKey | None, StatusSummary | None, bool]:
    """(the file's key, its summary, whether the summary was computed now): the stored one while the file's key
    and the basis are the same, otherwise read from the file (its key taken first: a change made while it is read
    shows at the next status). No key: the file is gone."""
    key = file_key(entry.case_file)
    if key is None:
        return None, None, False
    if key == entry.file_key and entry.summary is not None and entry.summary.basis == basis:
        return key, entry.summary, False
    return key, _read_summary(Path(entry.case_file)), True


def status_rows(*, today: dt.date, registry: Registry | None = None, overdue_only: bool = False) -> list[StatusRow]:
    """One row per open case (``overdue_only``: per overdue case), oldest first. Never fails on a missing or broken
    case file: it is a warning.

    Reads only the case files changed since their summary was stored, and stores the new summaries (a registry
    that cannot be written to then only costs the same reading next time).
    """
    with _registry(registry) as reg:
        basis = status_basis()
        answers = reg.open_case_events(("reply", "escalated"))
        rows: list[StatusRow] = []
        fresh: list[tuple[int, FileKey, StatusSummary]] = []
        for entry in reg.status_view():
            key, summary, computed = _current(entry, basis)
            if computed:
                fresh.append((entry.id, key, summary))  # type: ignore[arg-type]
                if len(fresh) >= _STORE_EVERY:
                    _remember(reg, fresh)
                    fresh = []
            if overdue_only and not _overdue(summary, today):
                continue
            if summary is None or summary.unreadable is not None:
                events = reg.events(entry.id)  # the dates of a lost file are in its history
            else:
                events = answers.get(entry.id, ())
            rows.append(_row(entry, summary, events, today))
        _remember(reg, fresh)
    return rows


def _overdue(summary: StatusSummary | None, today: dt.date) -> bool:
    """Whether a case with this summary is overdue ``today`` (StatusRow.overdue, without making the row)."""
    return (summary is not None and summary.unreadable is None and summary.has_deadline and not summary.estimated
            and summary.last_day is not None and today > summary.last_day)


def _remember(registry: Registry, fresh: list[tuple[int, FileKey, StatusSummary]]) -> None:
    """Keep summaries just computed. A cache: a read-only registry, or one another command holds for more than a
    second, only means reading these files again next time — status does not wait for a batch to finish."""
    if fresh:
        try:
            registry.store_statuses(fresh, wait=1.0)
        except RegistryError:
            pass


def any_overdue(rows: list[StatusRow]) -> bool:
    """True when a confirmed (not estimated) deadline has passed — what ``status --check`` exits 3 on."""
    return any(row.overdue for row in rows)


def status_row(registry: Registry, record: CaseRecord, *, today: dt.date) -> StatusRow:
    """The state of one case as of ``today``: dates, deadline, days left and the next step in Russian."""
    [entry] = registry.status_view(record.id)
    key, summary, computed = _current(entry, status_basis())
    if computed:
        _remember(registry, [(record.id, key, summary)])  # type: ignore[list-item]
    return _row(entry, summary, registry.events(record.id), today)


def _row(entry: StatusEntry, summary: StatusSummary | None, events: Any, today: dt.date) -> StatusRow:
    """A case's status row from its summary (None: the file is gone) and events, for ``today``."""
    row = StatusRow(
        id=entry.id, path=entry.case_file, company=entry.company, order=entry.order_number,
        sent_on=None, received_on=None, channel=None, deadline=None, estimated=False, overdue=False,
        days_left=None, next_step="",
    )
    readable = summary is not None and summary.unreadable is None
    if summary is None:
        row.warnings.append(
            f"Файл дела не найден: {entry.case_file} — перемещён или удалён. Если он перемещён, укажите новый "
            "путь в следующей команде: дело найдётся по содержимому."
        )
    elif not readable:
        row.warnings.append(f"Файл дела не читается: {summary.unreadable}")
    if readable:
        row.sent_on, row.received_on, row.channel = summary.sent_on, summary.received_on, summary.channel
        row.company = summary.company or row.company
        row.order = summary.order or row.order
        row.warnings.extend(summary.warnings)
        if summary.has_deadline:
            row.deadline = summary.last_day
            row.estimated = summary.estimated and summary.last_day is not None
            row.company_promise = summary.company_promise
            row.deadline_rule = summary.rule
            row.calendar_confirmed = summary.confirmed
            if summary.last_day is not None:
                row.days_left = (summary.last_day - today).days
                row.overdue = _overdue(summary, today)
    else:  # the file is gone or unreadable: the registry's history is all we have
        sent, received = _last(events, "sent"), _last(events, "received")
        row.sent_on = sent.on_date if sent else None
        row.channel = sent.channel if sent else None
        row.received_on = received.on_date if received else None
    reply = _last(events, "reply") if events else None
    row.reply = reply.outcome if reply else None
    row.escalated = [] if not events else [
        {
            "kind": e.reference,
            "label": ESCALATION_LABELS.get(e.reference or "", e.reference),
            # without a date of its own, an escalation is dated by when it was recorded
            "on": _iso(e.on_date) or e.created_at[:10],
        }
        for e in events
        if e.kind == "escalated"
    ]
    row.state, row.next_step = _next_step(row, summary if readable else None, reply, today)
    return row


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _company(case: Case) -> str | None:
    return case.company.brand or case.company.name


def _next_step(row: StatusRow, s: StatusSummary | None, reply: Event | None, today: dt.date) -> tuple[str, str]:
    """(state, what the consumer should do now in plain Russian) — ``s`` is None when the file cannot be read."""
    n = row.id
    if s is None:
        return "file_problem", f"найдите файл дела {row.path} или закройте дело: complaint close {n}"
    if reply is not None and reply.outcome == "satisfied":
        return "satisfied", (f"требования удовлетворены (ответ от {fmt_date(reply.on_date)}) — закройте дело: "
                             f"complaint close {n}")
    if reply is not None and reply.outcome in ("partial", "refused"):
        text = f"{OUTCOMES[reply.outcome]} (ответ от {fmt_date(reply.on_date)}) — {ALL_ROUTES}"
        return "refused", text + _escalated_suffix(row)
    if row.sent_on is None and row.received_on is None:
        return "not_sent", f"отправьте претензию и отметьте это: complaint sent {n} --on {DATE_HINT}"
    if not s.has_deadline:
        return "incomplete", (f"заполните в файле дела вид проблемы и требования — без них срок не рассчитать "
                              f"({row.path})")
    if s.last_day is None:
        if not s.receipt_known:
            return "no_deadline", (
                "укажите дату получения претензии компанией (для письма — дату вручения по ШПИ на сайте "
                f"Почты России): complaint received {n} --on {DATE_HINT}"
            )
        return "no_deadline", s.rule or ""
    last = fmt_date(s.last_day)
    preliminary = "" if s.confirmed else " (дата предварительная: производственный календарь не утверждён)"
    if row.estimated:
        if today > s.last_day:
            return "estimated", (
                f"срок по оценке истёк {last}{preliminary}, но дата получения претензии не подтверждена — "
                f"укажите её: complaint received {n} --on {DATE_HINT}"
            )
        return "estimated", (
            f"ждите ответа до {last} включительно — это оценка по дате отправки{preliminary}; "
            f"уточните дату получения: complaint received {n} --on {DATE_HINT}"
        )
    if row.overdue:
        return "overdue", f"срок истёк {last} — {ALL_ROUTES}{preliminary}" + _escalated_suffix(row)
    if s.emergency_point is not None and today >= s.emergency_point:
        return "urgent", (
            f"срочный случай: если ответа нет в течение 24 часов (с {fmt_date(s.emergency_point)}), "
            f"можно направить повторную претензию и жалобу в Роспотребнадзор; срок по закону — до {last}{preliminary}"
        )
    text = f"ждите ответа до {last} включительно{preliminary}"
    if s.company_promise is not None:
        promise = fmt_date(s.company_promise)
        if today > s.company_promise:
            text += f"; компания обещала ответить до {promise}, но это не срок по закону"
        else:
            text += f"; компания обещала ответить до {promise}"
    return "waiting", text


def _escalated_suffix(row: StatusRow) -> str:
    if not row.escalated:
        return ""
    done = ", ".join(f"{e['label']} ({fmt_date(dt.date.fromisoformat(str(e['on'])))})" for e in row.escalated)
    return f"; уже подготовлено: {done}"
