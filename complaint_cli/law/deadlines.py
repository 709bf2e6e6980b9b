"""Statutory terms for satisfying a claim and the deadline of a case.

The table of terms, penalty norms and legal grounds is data (``complaint_cli/data/terms.yaml``).
Terms are calendar days counted from the day after the claim was received (ГК ст. 191); a last day
on a non-working day moves to the next working day (ГК ст. 193). A company's own promise ("ответим
в течение 10 рабочих дней") is shown beside the statutory deadline, never instead of it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from complaint_cli import yamlio

from complaint_cli.errors import CalendarError, ComplaintError
from complaint_cli.money import days_phrase, working_days_phrase
from complaint_cli.law.workcalendar import ProductionCalendar, get_calendar

DATA_FILE = "terms.yaml"

PROBLEM_KINDS: tuple[str, ...] = (
    "late_delivery",
    "missing_items",
    "wrong_items",
    "poor_quality",
    "expired_goods",
    "overcharge",
    "refund_not_received",
    "courier_conduct",
    "other",
)
DEMAND_KINDS: tuple[str, ...] = (
    "refund",
    "replacement",
    "price_reduction",
    "compensation",
    "deliver",
    "apology",
    "moral_damages",
    "other",
)
PENALTY_NORMS: tuple[str, ...] = ("23", "23.1", "28", "395")

# Channels whose claim reaches the addressee the day it is sent (an estimate until confirmed).
SAME_DAY_CHANNELS: dict[str, str] = {
    "email": "по электронной почте",
    "app": "через приложение",
    "website": "через сайт",
    "office": "лично в офисе",
    "phone": "по телефону",
}
CHANNELS: dict[str, str] = {**SAME_DAY_CHANNELS, "post": "почтой"}


@dataclass(frozen=True)
class Ground:
    """One legal ground to cite in the claim, with its law.md confidence tag (C or K)."""

    text: str
    confidence: str


@dataclass(frozen=True)
class DemandRule:
    """Term and penalty norm for one demand in one kind of problem."""

    problem_kind: str
    demand_kind: str
    days: int | None
    article: str
    penalty_norm: str | None
    confidence: str
    note: str = ""
    grounds: tuple[Ground, ...] = ()


@dataclass(frozen=True)
class ProblemInfo:
    """Russian title, claim subtitle and legal grounds of one kind of problem."""

    kind: str
    title: str
    subtitle: str
    confidence: str
    grounds: tuple[Ground, ...]
    notes: str = ""


@dataclass(frozen=True)
class Term:
    """A term of ``days`` calendar days from ``received_on``, with the ГК ст. 193 shift applied."""

    received_on: date
    days: int
    nominal: date
    last_day: date
    shifted: bool
    confirmed: bool


@dataclass
class Deadline:
    """The statutory deadline of a case (the latest term among its demands) and what produced it."""

    last_day: date | None
    rule: str
    governing_demand: str | None
    estimated: bool
    received_on: date | None
    shifted: bool = False
    confirmed: bool = True
    nominal: date | None = None
    company_promise: date | None = None
    emergency_point: date | None = None
    penalty_norm: str | None = None
    penalty_start: date | None = None
    demand_terms: dict[str, Term | None] = field(default_factory=dict)
    governing_rule: DemandRule | None = None
    notes: list[str] = field(default_factory=list)

    def is_overdue(self, on: date) -> bool:
        """True when ``on`` is after the last day; never for an estimate or an unknown deadline."""
        if self.estimated or self.last_day is None:
            return False
        return on > self.last_day


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class _Table:
    demand_labels: dict[str, str]
    defaults: dict[str, DemandRule]
    problems: dict[str, ProblemInfo]
    rules: dict[tuple[str, str], DemandRule]


@functools.cache
def _table() -> _Table:
    raw = yamlio.bundled(DATA_FILE)
    defaults = {k: _rule("*", k, v) for k, v in raw["demand_defaults"].items()}
    problems: dict[str, ProblemInfo] = {}
    rules: dict[tuple[str, str], DemandRule] = {}
    for kind, body in raw["problems"].items():
        problems[kind] = ProblemInfo(
            kind=kind,
            title=_text(body["title"]),
            subtitle=_text(body["subtitle"]),
            confidence=str(body["confidence"]),
            grounds=_grounds(body.get("grounds")),
            notes=_text(body.get("notes", "")),
        )
        for demand, spec in (body.get("demands") or {}).items():
            rules[(kind, demand)] = _rule(kind, demand, spec)
    return _Table(dict(raw["demand_kinds"]), defaults, problems, rules)


def _text(value: Any) -> str:
    return " ".join(str(value).split())


def _grounds(items: Iterable[Mapping[str, Any]] | None) -> tuple[Ground, ...]:
    return tuple(Ground(_text(g["text"]), str(g["confidence"])) for g in (items or ()))


def _rule(problem: str, demand: str, spec: Mapping[str, Any]) -> DemandRule:
    norm = spec.get("penalty_norm")
    return DemandRule(
        problem_kind=problem,
        demand_kind=demand,
        days=spec.get("days"),
        article=_text(spec["article"]),
        penalty_norm=None if norm is None else str(norm),
        confidence=str(spec["confidence"]),
        note=_text(spec.get("note", "")),
        grounds=_grounds(spec.get("grounds")),
    )


def _check_problem(problem_kind: str) -> None:
    if problem_kind not in PROBLEM_KINDS:
        raise ComplaintError(
            f"Неизвестный вид проблемы «{problem_kind}». Допустимые: {', '.join(PROBLEM_KINDS)}."
        )


def _check_demand(demand_kind: str) -> None:
    if demand_kind not in DEMAND_KINDS:
        raise ComplaintError(
            f"Неизвестный вид требования «{demand_kind}». Допустимые: {', '.join(DEMAND_KINDS)}."
        )


def demand_label(demand_kind: str) -> str:
    """Russian name of a demand kind («возврат уплаченной суммы»)."""
    _check_demand(demand_kind)
    return _table().demand_labels[demand_kind]


def problem_info(problem_kind: str) -> ProblemInfo:
    """Title, claim subtitle and grounds of a problem kind."""
    _check_problem(problem_kind)
    return _table().problems[problem_kind]


def demand_rule(problem_kind: str, demand_kind: str) -> DemandRule:
    """The term/penalty rule for a demand in a problem, falling back to the general defaults."""
    _check_problem(problem_kind)
    _check_demand(demand_kind)
    table = _table()
    rule = table.rules.get((problem_kind, demand_kind))
    if rule is not None:
        return rule
    default = table.defaults[demand_kind]
    return DemandRule(
        problem_kind=problem_kind,
        demand_kind=demand_kind,
        days=default.days,
        article=default.article,
        penalty_norm=default.penalty_norm,
        confidence=default.confidence,
        note=default.note,
        grounds=default.grounds,
    )


def legal_grounds(problem_kind: str, demand_kinds: Iterable[str] = ()) -> list[Ground]:
    """Grounds to cite: the problem's own, then those specific to the demands (no duplicates)."""
    result = list(problem_info(problem_kind).grounds)
    for demand in demand_kinds:
        for ground in demand_rule(problem_kind, demand).grounds:
            if ground.text not in {g.text for g in result}:
                result.append(ground)
    return result


def claim_subtitle(problem_kind: str) -> str:
    """Subtitle under «ПРЕТЕНЗИЯ», e.g. «(о возврате денежных средств за товар …)»."""
    return problem_info(problem_kind).subtitle


# --------------------------------------------------------------------------- terms


def fmt_date(d: date) -> str:
    """DD.MM.YYYY, the only date format the user sees."""
    return d.strftime("%d.%m.%Y")


def statutory_term(
    received_on: date, days: int, cal: ProductionCalendar | None = None
) -> Term:
    """``received_on + days``; moved to the next working day when that is a day off (ГК ст. 193)."""
    if days < 1:
        raise CalendarError(f"Срок должен быть не меньше 1 дня (получено {days}).")
    calendar = cal or get_calendar()
    nominal = received_on + timedelta(days=days)
    last_day = calendar.next_working_day(nominal)
    return Term(
        received_on=received_on,
        days=days,
        nominal=nominal,
        last_day=last_day,
        shifted=last_day != nominal,
        confirmed=not calendar.unconfirmed_years(nominal, last_day),
    )


def _resolve_received(
    received_on: date | None, sent_on: date | None, channel: str | None, notes: list[str]
) -> tuple[date | None, bool]:
    """The receipt date to count from and whether it is an estimate."""
    if channel and channel not in CHANNELS:
        raise ComplaintError(
            f"Неизвестный способ отправки претензии «{channel}». "
            f"Допустимые: {', '.join(CHANNELS)}."
        )
    if received_on is not None:
        if sent_on is not None and received_on < sent_on:
            raise ComplaintError(
                f"Дата получения претензии ({fmt_date(received_on)}) раньше даты её отправки "
                f"({fmt_date(sent_on)}): проверьте даты."
            )
        return received_on, False
    if sent_on is None:
        notes.append(
            "Не указаны даты отправки и получения претензии: срок рассчитать нельзя."
        )
        return None, False
    if channel in SAME_DAY_CHANNELS:
        notes.append(
            f"Дата получения претензии принята равной дате отправки ({fmt_date(sent_on)}, "
            f"{SAME_DAY_CHANNELS[channel]}) — это оценка; укажите точную дату получения, "
            "если она известна."
        )
        return sent_on, True
    if channel == "post":
        notes.append(
            "Претензия отправлена почтой: укажите дату вручения по отслеживанию отправления "
            "(ШПИ) на сайте Почты России — срок отсчитывается от неё."
        )
    else:
        notes.append("Не указан способ отправки претензии: дата её получения неизвестна.")
    return None, True


def _rule_text(rule: DemandRule, term: Term, estimated: bool, channel: str | None) -> str:
    if estimated:
        how = SAME_DAY_CHANNELS.get(channel or "", "")
        start = (
            f"с предполагаемой даты получения претензии {fmt_date(term.received_on)} "
            f"(отправлена {how} в тот же день)"
        )
    else:
        start = f"с даты получения претензии {fmt_date(term.received_on)}"
    text = (
        f"{days_phrase(term.days)} ({rule.article}) {start}; "
        f"последний день {fmt_date(term.last_day)}"
    )
    if term.shifted:
        text += (
            f" ({fmt_date(term.nominal)} — нерабочий день, срок перенесён "
            "на ближайший рабочий день по ст. 193 ГК РФ)"
        )
    return text


def case_deadline(
    problem_kind: str,
    demand_kinds: list[str],
    received_on: date | None,
    sent_on: date | None,
    channel: str,
    emergency: bool = False,
    company_promise_working_days: int = 10,
    cal: ProductionCalendar | None = None,
    *,
    delivery_due: date | None = None,
    rules: list[tuple[str, DemandRule]] | None = None,
) -> Deadline:
    """The statutory deadline of a case: the latest term among its demands.

    ``rules`` — (key, rule) per demand, as the legal analysis chose them (a demand's rule depends on what it is
    about, not only on the problem's kind); without it each demand kind takes the problem's rule. ``demand_terms``
    is keyed by those keys. ``delivery_due`` (the contractual delivery date) is only used as the start of the
    ст. 23.1 penalty (its day after), which does not depend on the claim.
    """
    _check_problem(problem_kind)
    demands = list(dict.fromkeys(demand_kinds))
    for demand in demands:
        _check_demand(demand)
    calendar = cal or get_calendar()
    notes: list[str] = []
    received, estimated = _resolve_received(received_on, sent_on, channel, notes)
    keyed = rules if rules is not None else [(d, demand_rule(problem_kind, d)) for d in demands]
    rules_by_key = dict(keyed)

    terms: dict[str, Term | None] = {}
    for key, rule in keyed:
        terms[key] = (
            statutory_term(received, rule.days, calendar)
            if received is not None and rule.days is not None
            else None
        )
    timed = [k for k, _ in keyed if terms[k] is not None]
    governing_key = max(timed, key=lambda k: terms[k].last_day, default=None)  # type: ignore[union-attr]
    governing = rules_by_key[governing_key] if governing_key is not None else None
    rules = [r for _, r in keyed]
    deadline = Deadline(
        last_day=None,
        rule="",
        governing_demand=None,
        estimated=estimated,
        received_on=received,
        demand_terms=terms,
        notes=notes,
    )

    if not keyed:
        deadline.rule = "Срок не определён: не указаны требования."
    elif received is None:
        deadline.rule = "Срок не определён: неизвестна дата получения претензии."
    elif governing is None:
        deadline.rule = (
            "Для заявленных требований досудебный срок законом не установлен "
            "(компенсацию морального вреда определяет суд, ст. 15 Закона РФ "
            "«О защите прав потребителей»)."
        )
    else:
        term = terms[governing_key]  # type: ignore[index]
        assert term is not None
        deadline.last_day = term.last_day
        deadline.nominal = term.nominal
        deadline.shifted = term.shifted
        deadline.governing_demand = governing_key
        deadline.governing_rule = governing
        deadline.rule = _rule_text(governing, term, estimated, channel)
        if governing.confidence == "K" and governing.note:
            notes.append(governing.note)
    deadline.confirmed = all(t.confirmed for t in terms.values() if t is not None)

    _add_penalty(deadline, governing, rules, delivery_due, governing_key, keyed)
    _add_side_dates(deadline, emergency, company_promise_working_days, calendar)
    calendar_dates = [d for t in terms.values() if t is not None for d in (t.nominal, t.last_day)]
    notes.extend(calendar.notes_for(*calendar_dates, deadline.company_promise))
    return deadline


def _add_penalty(
    deadline: Deadline,
    governing: DemandRule | None,
    rules: list[DemandRule],
    delivery_due: date | None,
    governing_key: str | None = None,
    keyed: list[tuple[str, DemandRule]] | None = None,
) -> None:
    """Which penalty norm applies and from which day it accrues."""
    keyed = keyed or [(r.demand_kind, r) for r in rules]
    if governing is not None and governing.penalty_norm:
        key, source = governing_key, governing
    else:
        key, source = next(((k, r) for k, r in keyed if r.penalty_norm), (None, None))  # type: ignore[assignment]
    if source is None:
        return
    deadline.penalty_norm = source.penalty_norm
    if source.penalty_norm == "23.1":
        if delivery_due is not None:
            deadline.penalty_start = delivery_due + timedelta(days=1)
        else:
            deadline.notes.append(
                "Неустойка по ст. 23.1 начисляется со дня, следующего за днём, когда товар должен "
                "был быть передан по договору: укажите эту дату."
            )
        return
    term = deadline.demand_terms.get(key) if key is not None else None
    if term is not None:
        deadline.penalty_start = term.last_day + timedelta(days=1)


def _add_side_dates(
    deadline: Deadline, emergency: bool, promise_days: int, calendar: ProductionCalendar
) -> None:
    """The company's promised answer date and the 24-hour emergency point (shown, not binding)."""
    received = deadline.received_on
    if received is None:
        if emergency:
            deadline.notes.append(
                "Срочный случай: ответ ожидается в течение 24 часов с получения претензии."
            )
        return
    if promise_days > 0:
        deadline.company_promise = calendar.nth_working_day_after(received, promise_days)
        deadline.notes.append(
            f"Срок ответа, обещанный компанией, — {working_days_phrase(promise_days)}: "
            f"до {fmt_date(deadline.company_promise)} включительно; это не срок по закону, "
            "на неустойку он не влияет."
        )
    if emergency:
        deadline.emergency_point = received + timedelta(days=1)
        deadline.notes.append(
            "Срочный случай: ответ ожидается в течение 24 часов — до "
            f"{fmt_date(deadline.emergency_point)}."
        )
