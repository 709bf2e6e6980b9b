"""Calendar reminders (.ics): the claim's statutory last day and the Rospotrebnadzor answer term.

The iCalendar text is written by hand per RFC 5545 — it is a few lines, and a library would be a dependency for
them: CRLF line ends (§3.1), lines folded at 75 octets without splitting a UTF-8 character (§3.1), TEXT values
escaped (§3.3.11), a stable UID per case and event (so importing the file again updates the event instead of
doubling it), DTSTAMP in UTC, all-day events (``DTSTART;VALUE=DATE``) and a display alarm at 09:00 the day before.

Events:

* the claim's last day from :func:`complaint_cli.law.deadlines.case_deadline` — «предварительно» in the summary when the
  receipt date is an estimate or the production calendar for that year is not confirmed;
* once the registry shows a Rospotrebnadzor complaint: its answer term — sent date + 3 days for registration
  (59-ФЗ ст. 8 ч. 2) + 30 days (ст. 12 ч. 1). Always preliminary: the registration date is not known, and law.md §6.6
  says no rule moving a 59-ФЗ term off a non-working day was established, so the date is not moved.

Usable from Python::

    result = write_reminders(Path("case.yaml"), today=date.today())
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from complaint_cli.law.analysis import deadline_for
from complaint_cli.law.deadlines import fmt_date
from complaint_cli.errors import ComplaintError
from complaint_cli.fsutil import atomic_write_text, safe_name
from complaint_cli.model import Case

if TYPE_CHECKING:
    from complaint_cli.registry import DocumentRecord, Event

PRODID = "-//complaint-cli//Напоминания о сроках претензии//RU"
CRLF = "\r\n"
FOLD_OCTETS = 75
# The alarm fires 15 hours before the all-day event starts at 00:00: at 09:00 the day before.
ALARM_TRIGGER = "-PT15H"
RPN_REGISTRATION_DAYS = 3  # 59-ФЗ ст. 8 ч. 2 [K in law.md §5]
RPN_ANSWER_DAYS = 30  # 59-ФЗ ст. 12 ч. 1 [C in law.md §5]
PRELIMINARY = "предварительно"
DATE_HINT = "ДД.ММ.ГГГГ"


@dataclass(frozen=True)
class Reminder:
    """One all-day calendar event with an alarm the day before."""

    kind: str  # "claim" | "rospotrebnadzor"
    uid: str
    day: dt.date
    summary: str
    description: str
    alarm: str
    preliminary: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "date": self.day.isoformat(),
            "summary": self.summary,
            "preliminary": self.preliminary,
            "uid": self.uid,
        }


@dataclass
class RemindResult:
    path: Path
    reminders: list[Reminder]
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "events": [r.as_dict() for r in self.reminders],
            "warnings": list(self.warnings),
        }


# --------------------------------------------------------------------------- RFC 5545 text


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma escaped; line breaks as ``\\n``."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into chunks of at most 75 octets (continuations start with one space), never inside
    a UTF-8 character."""
    out: list[str] = []
    current, size, limit = "", 0, FOLD_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = "", 0, FOLD_OCTETS - 1  # the leading space counts
        current += char
        size += width
    out.append(current)
    return (CRLF + " ").join(out)


def _stamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def build_calendar(reminders: list[Reminder], *, now: dt.datetime) -> str:
    """The whole VCALENDAR as text with CRLF line ends."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN"]
    for r in reminders:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{r.uid}",
            f"DTSTAMP:{_stamp(now)}",
            f"DTSTART;VALUE=DATE:{r.day.strftime('%Y%m%d')}",
            f"DTEND;VALUE=DATE:{(r.day + dt.timedelta(days=1)).strftime('%Y%m%d')}",
            f"SUMMARY:{escape_text(r.summary)}",
            f"DESCRIPTION:{escape_text(r.description)}",
            "TRANSP:TRANSPARENT",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"TRIGGER:{ALARM_TRIGGER}",
            f"DESCRIPTION:{escape_text(r.alarm)}",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)


# --------------------------------------------------------------------------- events


def _uid(case: Case, kind: str) -> str:
    """Stable across runs and file moves: the same case and event give the same UID (calendars then update)."""
    key = "|".join([case.company.name or "", case.order.number or "", case.claimant.full_name or "", kind])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + "@complaint-cli"


def _who(case: Case) -> str:
    company = case.company.brand or case.company.name or "компания"
    return f"{company}, заказ № {case.order.number}" if case.order.number else company


def claim_reminder(case: Case, *, case_ref: str) -> tuple[Reminder | None, str]:
    """The claim's statutory last day, or (None, the reason it cannot be computed yet)."""
    if case.problem.kind is None or not case.demands:
        return None, "в деле не указаны вид проблемы и требования — срок не рассчитать"
    s = case.submission
    deadline = deadline_for(case, received_on=s.received_on, sent_on=s.sent_on,
                            channel=s.channel.value if s.channel else None)
    if deadline.last_day is None:
        reason = deadline.rule.removeprefix("Срок не определён: ")
        return None, reason[:1].lower() + reason[1:]
    preliminary = deadline.estimated or not deadline.confirmed
    summary = f"Последний день ответа на претензию: {_who(case)}"
    if preliminary:
        summary += f" ({PRELIMINARY})"
    lines = [f"Срок ответа на претензию: {deadline.rule}."]
    if deadline.estimated:
        lines.append(
            "Дата предварительная: дата получения претензии не подтверждена. Когда узнаете её, отметьте: "
            f"complaint received {case_ref} --on {DATE_HINT} — и выгрузите напоминание заново."
        )
    if not deadline.confirmed:
        lines.append("Дата предварительная: производственный календарь на этот год не утверждён.")
    lines += list(deadline.notes)
    lines += [
        "Если до конца этого дня ответа нет или в требованиях отказали — со следующего дня можно направить "
        f"повторную претензию, жалобу в Роспотребнадзор, подготовить иск: complaint escalate {case_ref}",
        f"Ответ получен — отметьте: complaint reply {case_ref} --on {DATE_HINT} --outcome satisfied|partial|refused",
    ]
    alarm = f"Завтра, {fmt_date(deadline.last_day)}, последний день ответа на претензию ({_who(case)})."
    return (
        Reminder("claim", _uid(case, "claim"), deadline.last_day, summary, "\n".join(lines), alarm, preliminary),
        "",
    )


def rospotrebnadzor_reminder(
    case: Case, sent_on: dt.date, *, case_ref: str, from_document_date: bool = False
) -> Reminder:
    """The Rospotrebnadzor answer term: sent + 3 days (registration) + 30 days; always preliminary."""
    from complaint_cli.law.regions import central_office

    registered = sent_on + dt.timedelta(days=RPN_REGISTRATION_DAYS)
    due = registered + dt.timedelta(days=RPN_ANSWER_DAYS)
    office = central_office()
    sent_line = f"Жалоба в Роспотребнадзор отправлена {fmt_date(sent_on)}."
    if from_document_date:
        sent_line = (
            f"За дату отправки жалобы в Роспотребнадзор принята дата жалобы — {fmt_date(sent_on)}. Если отправили "
            f"позже, выгрузите напоминание заново: complaint remind {case_ref} --rospotrebnadzor-sent {DATE_HINT}"
        )
    lines = [
        sent_line,
        f"Регистрация обращения — в течение {RPN_REGISTRATION_DAYS} дней со дня поступления (ч. 2 ст. 8 "
        f"Федерального закона № 59-ФЗ): не позднее {fmt_date(registered)}.",
        f"Ответ — в течение {RPN_ANSWER_DAYS} дней со дня регистрации (ч. 1 ст. 12): не позднее {fmt_date(due)}.",
        "Дата предварительная: точная дата регистрации неизвестна (письмо по почте поступит позже даты отправки); "
        "правило переноса срока по 59-ФЗ с нерабочего дня не установлено — дата не переносилась.",
        "Срок может быть продлён не более чем на 30 дней с уведомлением заявителя (ч. 2 ст. 12).",
        "Если ответа нет: жалоба на бездействие руководителю Управления Роспотребнадзора, в центральный аппарат "
        f"Роспотребнадзора ({office.get('address', '')}) или в прокуратуру. Подробно: "
        f"complaint guide {case_ref} --document rospotrebnadzor",
        "Деньги взыскивает только суд: Роспотребнадзор проверяет компанию и может её наказать.",
    ]
    summary = f"Срок ответа Роспотребнадзора по жалобе: {_who(case)} ({PRELIMINARY})"
    alarm = f"Завтра, {fmt_date(due)}, истекает срок ответа Роспотребнадзора по жалобе ({_who(case)}), предварительно."
    return Reminder("rospotrebnadzor", _uid(case, "rospotrebnadzor"), due, summary, "\n".join(lines), alarm, True)


# --------------------------------------------------------------------------- registry


def case_history(case_path: Path) -> tuple[list[Event], list[DocumentRecord]]:
    """The case's events and documents from the registry; empty when there is no registry or the case is not in it.

    Read-only: a registry that does not exist yet is not created.
    """
    from complaint_cli.registry import Registry

    if not Registry.exists():
        return [], []
    with Registry.open() as registry:
        record = registry.find(Path(case_path))
        if record is None:
            return [], []
        return registry.events(record.id), registry.documents(record.id)


def rospotrebnadzor_date(case_path: Path) -> dt.date | None:
    """The date of the latest Rospotrebnadzor complaint the registry knows of (its escalation event)."""
    events, documents = case_history(case_path)
    for event in reversed(events):
        if event.kind == "escalated" and event.reference == "rospotrebnadzor":
            if event.on_date is not None:
                return event.on_date
            return dt.date.fromisoformat(event.created_at[:10])
    for doc in reversed(documents):
        if doc.kind == "rospotrebnadzor":
            return dt.date.fromisoformat(doc.created_at[:10])
    return None


# --------------------------------------------------------------------------- use case


def default_ics_path(case: Case, case_path: Path) -> Path:
    number = safe_name(case.order.number or "", max_len=60, fallback="без_номера")
    from complaint_cli.paths import case_output_dir

    return case_output_dir(case_path) / f"Напоминания_заказ_{number}.ics"


def write_reminders(
    case_path: Path,
    *,
    today: dt.date,
    out: Path | None = None,
    rospotrebnadzor_sent: dt.date | None = None,
    now: dt.datetime | None = None,
    force: bool = False,
) -> RemindResult:
    """Write the case's reminders into an .ics file (default: next to the case file); an existing file is replaced
    only with ``force`` (the rule for every file the tool writes)."""
    from complaint_cli.casefile import read_case_data
    from complaint_cli.validation import validate_data

    case_path = Path(case_path)
    case = validate_data(read_case_data(case_path), today=today).raise_for_errors()
    ref = str(case_path)
    reminders: list[Reminder] = []
    warnings: list[str] = []
    claim, why_not = claim_reminder(case, case_ref=ref)
    if claim is not None:
        reminders.append(claim)
    from_document = rospotrebnadzor_sent is None
    rpn_sent = rospotrebnadzor_sent or rospotrebnadzor_date(case_path)
    if rpn_sent is not None:
        reminders.append(rospotrebnadzor_reminder(case, rpn_sent, case_ref=ref, from_document_date=from_document))
    if claim is None:
        message = f"Срок ответа на претензию не рассчитан: {why_not.rstrip('.')}."
        if not reminders:
            raise ComplaintError(
                message,
                hint=f"Отметьте отправку претензии: complaint sent {ref} --on {DATE_HINT} — и повторите команду.",
            )
        warnings.append(message)
    for r in reminders:
        if r.day < today:
            warnings.append(f"Дата события «{r.summary}» ({fmt_date(r.day)}) уже прошла.")
    target = Path(out) if out is not None else default_ics_path(case, case_path)
    if target.is_dir():
        target = default_ics_path(case, target / case_path.name)
    if target.exists() and not force:
        from complaint_cli.errors import OutputExists

        raise OutputExists(f"Файл уже существует: {target}. Чтобы перезаписать, добавьте --force "
                           "(или укажите другой файл: --out).")
    atomic_write_text(target, build_calendar(reminders, now=now or dt.datetime.now(dt.timezone.utc)))
    from complaint_cli.tracking import record_files

    record_files(case_path, case, "reminder", [target])  # forget removes it (it names the person and the order)
    return RemindResult(target, reminders, warnings)
