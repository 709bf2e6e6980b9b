"""Legal calculators: неустойка, цена иска, court, state duty and the consumer fine.

Pure functions over :class:`~decimal.Decimal`; every amount is rounded half-up to kopecks. The
rules and their sources are in /work/shared/law.md §3–4; the duty brackets are data
(``complaint_cli/data/state_duty.yaml``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from complaint_cli import yamlio

from complaint_cli.law.deadlines import demand_rule, fmt_date, statutory_term
from complaint_cli.errors import ComplaintError
from complaint_cli.money import NBSP, days_phrase, format_short, parse_amount
from complaint_cli.law.workcalendar import ProductionCalendar, get_calendar

CENT = Decimal("0.01")
ZOZPP = "Закона РФ «О защите прав потребителей»"
# 500-ФЗ (in force 01.02.2026) capped the ст. 23 penalty at the price of the goods. Project rule
# (law.md §0): the cap applies when the last day of the term is on or after this date.
CAP_23_FROM = date(2026, 2, 1)
MAGISTRATE_LIMIT = Decimal("100000.00")
FINE_RATE = Decimal("0.5")


@dataclass(frozen=True)
class _Norm:
    rate: Decimal
    article: str
    base_name: str
    cap_name: str
    short: str = ""
    what: str = ""


def _load_norms() -> dict[str, _Norm]:
    """The penalty norms from ``data/terms.yaml`` (``penalty_norms``), each with its source there."""
    raw = yamlio.bundled("terms.yaml")["penalty_norms"]
    return {
        str(key): _Norm(Decimal(str(v["rate"])), " ".join(str(v["article"]).split()), str(v["base_name"]),
                        str(v["cap_name"]), str(v.get("short", "")), str(v.get("what", "")))
        for key, v in raw.items()
    }


NORMS: dict[str, _Norm] = _load_norms()

_COURT_CAVEAT = (
    "По заявлению ответчика суд может уменьшить явно несоразмерную неустойку (ст. 333 ГК РФ)."
)


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP) + 0


def _amount(value: Decimal | int | str, what: str, *, positive: bool = False) -> Decimal:
    """A money input as a Decimal rounded to kopecks; ComplaintError for garbage or negatives."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ComplaintError(f"{what}: сумма должна быть числом.")
        result = _q(value)
    else:
        try:
            result = parse_amount(value)
        except ValueError as exc:
            raise ComplaintError(f"{what}: {exc}") from None
    if result < 0 or (positive and result == 0):
        raise ComplaintError(
            f"{what}: сумма должна быть {'больше нуля' if positive else 'неотрицательной'}."
        )
    return result


def rub(value: Decimal) -> str:
    """``1 250,50 руб.`` (NBSP thousands and before the unit)."""
    return f"{format_short(value)}{NBSP}руб."


def percent(rate: Decimal) -> str:
    """A rate as a Russian percentage: ``Decimal("0.005")`` → ``0,5 %``."""
    text = format(_strip(rate * 100), "f").replace(".", ",")
    return f"{text}{NBSP}%"


def _strip(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


# --------------------------------------------------------------------------- penalty


@dataclass(frozen=True)
class PenaltyResult:
    """неустойка ``norm`` on ``base`` for the days after ``deadline`` up to ``on`` inclusive."""

    norm: str
    base: Decimal
    rate: Decimal
    deadline: date
    days: int
    period_from: date
    period_to: date
    raw_amount: Decimal
    amount: Decimal
    capped: bool
    cap: Decimal | None
    rule: str
    formula: str
    caveats: list[str] = field(default_factory=list)


def penalty(norm: str, base: Decimal, deadline: date, on: date) -> PenaltyResult:
    """Penalty for the period ``deadline + 1`` … ``on`` (days = on − deadline), capped by the norm.

    ``deadline`` is the last day of the term (ст. 23, 28: ГК ст. 193 already applied) or the
    contractual delivery date (ст. 23.1). ``on == deadline`` gives 0 days and 0.00.
    """
    spec = NORMS.get(norm)
    if spec is None:
        raise ComplaintError(
            f"Неустойка по норме «{norm}» не рассчитывается: поддерживаются ст. 23, 23.1 и 28 "
            f"{ZOZPP}."
        )
    base = _amount(base, "База для расчёта неустойки", positive=True)
    if on < deadline:
        raise ComplaintError(
            f"Дата расчёта раньше последнего дня срока ({fmt_date(on)} < {fmt_date(deadline)}): "
            "неустойка начисляется только со следующего дня после него."
        )
    days = (on - deadline).days
    raw = _q(base * spec.rate * days)
    caveats: list[str] = []
    cap: Decimal | None = base
    if norm == "23":
        if deadline < CAP_23_FROM:
            cap = None
            caveats.append(
                f"Срок удовлетворения требования истёк до {fmt_date(CAP_23_FROM)}: неустойка "
                "рассчитана без ограничения (п. 32 постановления Пленума ВС РФ от 28.06.2012 "
                "№ 17); суд может применить ограничение ценой товара, введённое Федеральным "
                "законом от 28.12.2025 № 500-ФЗ."
            )
        else:
            caveats.append(
                "Неустойка ограничена ценой товара по Федеральному закону от 28.12.2025 "
                "№ 500-ФЗ (точная редакция нормы не проверена)."
            )
    elif norm == "23.1":
        caveats.append(
            "Период начинается со дня, следующего за днём, когда товар должен был быть передан "
            "по договору, и длится до передачи товара или возврата предоплаты (п. 3 ст. 23.1)."
        )
    else:
        caveats.append(
            "Если срок оказания услуги установлен в часах, неустойка начисляется за каждый час "
            "просрочки (п. 5 ст. 28); здесь расчёт по дням."
        )
    caveats.append(_COURT_CAVEAT)
    capped = cap is not None and raw > cap
    amount = cap if capped and cap is not None else raw

    period_from = deadline + timedelta(days=1)
    if days:
        period = f"за период с {fmt_date(period_from)} по {fmt_date(on)} ({days_phrase(days)})"
    else:
        period = f"на {fmt_date(on)} — просрочки нет (это последний день срока)"
    rule = (
        f"Неустойка по {spec.article}: {percent(spec.rate)} {spec.base_name} за каждый день "
        f"просрочки {period}"
    )
    if cap is not None:
        rule += f"; не более {rub(cap)} ({spec.cap_name})"
    formula = f"{percent(spec.rate)} × {rub(base)} × {days}{NBSP}дн. = {rub(raw)}"
    if capped:
        formula += f"; ограничение {rub(cap)} → {rub(amount)}"  # type: ignore[arg-type]
    return PenaltyResult(
        norm=norm,
        base=base,
        rate=spec.rate,
        deadline=deadline,
        days=days,
        period_from=period_from,
        period_to=on,
        raw_amount=raw,
        amount=amount,
        capped=capped,
        cap=cap,
        rule=rule + ".",
        formula=formula,
        caveats=caveats,
    )


def penalty_from_received(
    norm: str,
    base: Decimal,
    received_on: date,
    on: date,
    days: int = 10,
    cal: ProductionCalendar | None = None,
) -> PenaltyResult:
    """Penalty after a ``days``-day term from the claim's receipt (ГК ст. 191, 193 applied)."""
    calendar = cal or get_calendar()
    term = statutory_term(received_on, days, calendar)
    result = penalty(norm, base, term.last_day, on)
    shift = (
        f" (перенесён с нерабочего дня {fmt_date(term.nominal)}, ст. 193 ГК РФ)"
        if term.shifted
        else ""
    )
    extra = [
        f"Срок {days_phrase(days)} с даты получения требования {fmt_date(received_on)}: "
        f"последний день {fmt_date(term.last_day)}{shift}."
    ]
    extra += calendar.notes_for(term.nominal, term.last_day)
    return replace(result, caveats=extra + result.caveats)


def no_penalty_reason(problem_kind: str, demand_kind: str) -> str | None:
    """Why no ЗоЗПП неустойка is computed for this demand, or None when one applies."""
    rule = demand_rule(problem_kind, demand_kind)
    if rule.penalty_norm in NORMS:
        return None
    if rule.penalty_norm == "395":
        return (
            f"Неустойка {ZOZPP} на это требование не начисляется: за просрочку возврата "
            "денежных средств взыскиваются проценты по ст. 395 ГК РФ (по ключевой ставке Банка "
            "России); программа их не рассчитывает."
        )
    if problem_kind == "courier_conduct":
        return (
            "Неустойка не предусмотрена: за некорректное поведение курьера можно требовать "
            f"компенсацию морального вреда (ст. 15 {ZOZPP}, ст. 151, 1068 ГК РФ)."
        )
    return "Неустойка за неисполнение этого требования законом не предусмотрена."


# --------------------------------------------------------------------------- court and duty


class CourtKind(StrEnum):
    """First-instance court for a consumer claim; equal to the strings "magistrate"/"district"."""

    MAGISTRATE = "magistrate"
    DISTRICT = "district"

    @property
    def name_ru(self) -> str:
        return "мировой судья" if self is CourtKind.MAGISTRATE else "районный (городской) суд"

    @property
    def article(self) -> str:
        return "п. 5 ч. 1 ст. 23 ГПК РФ" if self is CourtKind.MAGISTRATE else "ст. 24 ГПК РФ"


def claim_value(
    principal: Decimal, losses: Decimal = Decimal(0), penalty: Decimal = Decimal(0)
) -> Decimal:
    """Цена иска = principal + losses + неустойка (ГПК ст. 91); no moral damages, fine, costs."""
    return (
        _amount(principal, "Основная сумма")
        + _amount(losses, "Убытки")
        + _amount(penalty, "Неустойка")
    )


def court_for(claim_value: Decimal, has_property_claim: bool = True) -> CourtKind:
    """Magistrate for a property claim ≤ 100 000,00 (ГПК ст. 23 ч. 1 п. 5), else district court."""
    if not has_property_claim:
        return CourtKind.DISTRICT
    return (
        CourtKind.MAGISTRATE
        if _amount(claim_value, "Цена иска") <= MAGISTRATE_LIMIT
        else CourtKind.DISTRICT
    )


@dataclass(frozen=True)
class _Bracket:
    to: Decimal | None
    base: Decimal
    rate: Decimal
    over: Decimal


@functools.cache
def _duty_table() -> tuple[tuple[_Bracket, ...], Decimal, Decimal]:
    raw = yamlio.bundled("state_duty.yaml")
    brackets = tuple(
        _Bracket(
            to=None if b["to"] is None else Decimal(b["to"]),
            base=Decimal(b["base"]),
            rate=Decimal(b["rate"]),
            over=Decimal(b["over"]),
        )
        for b in raw["brackets"]
    )
    return brackets, Decimal(raw["maximum"]), Decimal(raw["consumer_exemption_threshold"])


def consumer_exemption_threshold() -> Decimal:
    """Claim value up to which a consumer pays no duty (1 000 000,00)."""
    return _duty_table()[2]


def state_duty_general(value: Decimal) -> Decimal:
    """Duty on a property claim under НК ст. 333.19 п. 1 пп. 1 (rates from 09.09.2024)."""
    value = _amount(value, "Цена иска", positive=True)
    brackets, maximum, _ = _duty_table()
    for bracket in brackets:
        if bracket.to is None or value <= bracket.to:
            return _q(min(bracket.base + bracket.rate * (value - bracket.over), maximum))
    raise AssertionError("state_duty.yaml must end with an open bracket")  # pragma: no cover


def consumer_state_duty(value: Decimal) -> Decimal:
    """0 up to 1 000 000,00; above it the duty on the value minus the duty on 1 000 000."""
    value = _amount(value, "Цена иска")
    threshold = consumer_exemption_threshold()
    if value <= threshold:
        return Decimal("0.00")
    return _q(state_duty_general(value) - state_duty_general(threshold))


def fine(awarded_total: Decimal) -> Decimal:
    """Consumer fine: 50 % of everything awarded (ЗоЗПП ст. 13 п. 6)."""
    return _q(_amount(awarded_total, "Присуждённая сумма") * FINE_RATE)


@dataclass(frozen=True)
class CourtResult:
    """Court, state duty and the expected fine for a claim."""

    court: CourtKind
    court_name_ru: str
    claim_value: Decimal
    state_duty: Decimal
    exempt: bool
    fine_base: Decimal
    fine: Decimal
    court_rule: str
    duty_rule: str
    fine_rule: str
    caveats: list[str] = field(default_factory=list)


def court_calculation(
    claim_value: Decimal, moral_damages: Decimal | None = None
) -> CourtResult:
    """Which court, what duty and what fine for цена иска ``claim_value`` and moral damages."""
    value = _amount(claim_value, "Цена иска")
    moral = (
        Decimal("0.00")
        if moral_damages is None
        else _amount(moral_damages, "Компенсация морального вреда")
    )
    if value == 0 and moral == 0:
        raise ComplaintError("Нет заявленных сумм: укажите сумму требований или морального вреда.")
    court = court_for(value, has_property_claim=value > 0)
    if value > 0:
        court_rule = (
            f"Цена иска {rub(value)} "
            + ("не превышает" if court is CourtKind.MAGISTRATE else "превышает")
            + f" 100{NBSP}000 руб.: дело подсудно — {court.name_ru} ({court.article}); "
            "компенсация морального вреда и штраф в цену иска не входят."
        )
    else:
        court_rule = (
            "Заявлено только неимущественное требование (компенсация морального вреда): "
            f"дело подсудно — {court.name_ru} ({court.article})."
        )
    duty = consumer_state_duty(value)
    exempt = duty == 0
    if exempt:
        duty_rule = (
            f"Госпошлина: истец освобождён (п. 3 ст. 17 {ZOZPP}, подп. 4 п. 2, п. 3 ст. 333.36 "
            "НК РФ)."
        )
    else:
        threshold = consumer_exemption_threshold()
        duty_rule = (
            f"Цена иска превышает {rub(threshold)}: госпошлина {rub(duty)} — пошлина с цены иска "
            f"({rub(state_duty_general(value))}) за вычетом пошлины с {rub(threshold)} "
            f"({rub(state_duty_general(threshold))}) (п. 3 ст. 333.36, подп. 1 п. 1 ст. 333.19 "
            "НК РФ)."
        )
    fine_base = value + moral
    fine_amount = fine(fine_base)
    fine_rule = (
        f"Штраф 50{NBSP}% от присуждённой суммы (п. 6 ст. 13 {ZOZPP}): "
        f"50{NBSP}% × {rub(fine_base)} = {rub(fine_amount)}; суд взыскивает его сам, "
        "судебные расходы в расчёт не входят."
    )
    caveats = [
        "С 01.02.2026 штраф не взыскивается, если требование не удалось удовлетворить "
        "добровольно по вине потребителя, из-за добросовестно выбранного контрагента продавца "
        "или заключено медиативное соглашение (Федеральный закон от 28.12.2025 № 500-ФЗ).",
        "Сумму компенсации морального вреда определяет суд; расчёт штрафа предварительный.",
    ]
    return CourtResult(
        court=court,
        court_name_ru=court.name_ru,
        claim_value=value,
        state_duty=duty,
        exempt=exempt,
        fine_base=fine_base,
        fine=fine_amount,
        court_rule=court_rule,
        duty_rule=duty_rule,
        fine_rule=fine_rule,
        caveats=caveats,
    )
