"""The penalties of a case: norm, base, rate, period (per day, or per hour when the term was set in hours), cap.

Part of the legal analysis (:mod:`complaint_cli.law.analysis`). ст. 23.1 п. 3 (goods handed over late), ст. 28 п. 5
(the delivery service's delay), ст. 31 п. 3 and ст. 23 п. 1 (demands not met in their term); one delay of the order is
charged one penalty for the same days (:func:`_no_stacking`); what is not owed is said, with the reason, for the
console (law.md §2.2, §3.1; README «Правовые решения»).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from complaint_cli.law.calc import CAP_23_FROM, NORMS, _q, percent, rub
from complaint_cli.law.deadlines import fmt_date
from complaint_cli.law.demands import _term_key
from complaint_cli.law.facts import goods_prepayment
from complaint_cli.model import Case
from complaint_cli.money import days_phrase, full_hours_phrase, hours_phrase

if TYPE_CHECKING:
    from complaint_cli.law.analysis import Analysis


@dataclass(frozen=True)
class PenaltyLine:
    """One penalty as of the analysis date: norm, base, rate, period (days or hours), cap, amount."""

    norm: str  # "23", "23.1", "28", "31.3"
    article: str
    short: str
    what: str
    base: Decimal
    base_label: str
    rate: Decimal
    unit: str  # "day" | "hour"
    start: dt.date  # the first day of the period (the day after the term)
    end: dt.date | None  # the last day counted (inclusive); None: not started yet
    count: int  # days or hours counted
    raw: Decimal
    cap: Decimal | None
    amount: Decimal
    running: bool  # still accruing until performance (False: a closed period, e.g. ended on delivery)
    liable: str
    problem: str
    start_at: dt.datetime | None = None  # hourly: from — to
    end_at: dt.datetime | None = None
    caveats: tuple[str, ...] = ()
    cap_name: str = ""

    @property
    def started(self) -> bool:
        return self.end is not None and self.count > 0

    @property
    def capped(self) -> bool:
        return self.cap is not None and self.raw > self.cap

    def period(self) -> str:
        if self.unit == "hour" and self.start_at and self.end_at:
            return (f"с {self.start_at:%H:%M} {fmt_date(self.start_at.date())} по {self.end_at:%H:%M} "
                    f"{fmt_date(self.end_at.date())} ({full_hours_phrase(self.count)})")
        if self.end is None:
            return f"с {fmt_date(self.start)}"
        return f"с {fmt_date(self.start)} по {fmt_date(self.end)} ({days_phrase(self.count)})"

    def formula(self) -> str:
        count = hours_phrase(self.count) if self.unit == "hour" else days_phrase(self.count)
        text = f"{percent(self.rate)} × {rub(self.base)} × {count} = {rub(self.raw)}"
        if self.capped:
            text += f", но не более {rub(self.cap)} ({self.cap_name})"  # type: ignore[arg-type]
        return text

    def daily(self) -> str:
        per = "за каждый час просрочки" if self.unit == "hour" else "за каждый день просрочки"
        return f"{percent(self.rate)} {self.base_label} {per}"


def _line(norm: str, base: Decimal, base_label: str, start: dt.date, end: dt.date | None, count: int, *,
          cap: Decimal | None, running: bool, liable: str, problem: str, unit: str = "day",
          start_at: dt.datetime | None = None, end_at: dt.datetime | None = None,
          caveats: tuple[str, ...] = ()) -> PenaltyLine:
    spec = NORMS[norm]
    raw = _q(base * spec.rate * count)
    amount = min(raw, cap) if cap is not None else raw
    cap_name = "цена услуги по доставке" if norm in {"28", "31.3"} else spec.cap_name
    what = spec.what.replace("услуги", "услуги по доставке") if norm in {"28", "31.3"} else spec.what
    return PenaltyLine(norm, spec.article, spec.short or spec.article, what, base, base_label, spec.rate, unit,
                       start, end, count, raw, cap, amount, running, liable, problem, start_at, end_at, caveats,
                       cap_name)


def _days(start: dt.date, end: dt.date) -> int:
    return max(0, (end - start).days + 1)


def _penalties(case: Case, a: Analysis) -> None:
    d, on, o = a.delivery, a.on, case.order
    fee = o.delivery_fee
    received = a.deadline.received_on
    lines: list[PenaltyLine] = []
    r = a.roles
    # ст. 23.1 is the seller's liability: the seller on the receipt when the company is only the aggregator.
    goods_liable = "seller" if r.aggregator and r.seller_known and r.seller is not r.company else "company"

    # ст. 23.1 п. 3 — the order's goods handed over late (or not at all).
    if "late_delivery" in a.kinds:
        base, note = goods_prepayment(case)
        missing = a.violation("missing_items")
        if base is not None and missing is not None and missing.goods_amount:
            base = base - missing.goods_amount  # the missing items have a penalty of their own below
        if d.due is None:
            pass  # the facts note already asks for order.delivery_due
        elif d.delivered and d.late_days == 0:
            a.not_owed.append("Неустойка по п. 3 ст. 23.1 (0,5 % в день от предоплаты) не начисляется: товар передан "
                              f"в тот день, когда должен был быть передан ({fmt_date(d.due)}); опоздание в пределах "
                              "дня — это просрочка услуги по доставке (п. 5 ст. 28, по часам).")
        elif base is None or base <= 0:
            a.not_owed.append("Неустойка по п. 3 ст. 23.1 не рассчитана: неизвестна сумма предварительной оплаты "
                              "товаров (order.amount или цены товаров).")
        else:
            if note:
                a.notes.append(note)
            start = d.due + dt.timedelta(days=1)
            end = min(d.delivered_on, on) if d.delivered_on else on
            lines.append(_line("23.1", base, f"суммы предварительной оплаты товара ({rub(base)})", start, end,
                               _days(start, end), cap=base, running=not d.delivered, liable=goods_liable,
                               problem="late_delivery"))

    # ст. 28 п. 5 — the delivery service's own delay: per hour when the term was a slot.
    if "late_delivery" in a.kinds and d.due is not None:
        if not fee:
            a.not_owed.append("Неустойка по п. 5 ст. 28 за просрочку доставки не рассчитана: плата за доставку не "
                              "указана (в файле дела: order.delivery_fee) или доставка бесплатна, а неустойка считается от цены "
                              "услуги.")
        elif d.window is not None and (d.delivered_at is not None or not d.delivered):
            start_at = d.due_end
            end_at = d.arrived if d.delivered else _service_end(a, on)
            minutes = int((end_at - start_at).total_seconds() // 60) if end_at and start_at else 0  # type: ignore[operator]
            hours = max(0, minutes // 60)
            if hours == 0:
                if minutes > 0:
                    a.not_owed.append("Неустойка по п. 5 ст. 28 не начисляется: опоздание меньше часа, а при сроке в "
                                      "часах она считается за каждый полный час просрочки.")
            else:
                lines.append(_line("28", fee, f"цены услуги по доставке ({rub(fee)})", start_at.date(),  # type: ignore[union-attr]
                                   end_at.date(), hours, cap=fee, running=False, liable="company",  # type: ignore[union-attr]
                                   problem="late_delivery", unit="hour", start_at=start_at, end_at=end_at,
                                   caveats=("Срок доставки определён интервалом в часах, поэтому неустойка по п. 5 "
                                            "ст. 28 рассчитана за каждый полный час просрочки; применение почасовой "
                                            "неустойки к интервалам доставки в практике не устоялось "
                                            "(источником не подтверждено).",)))
        elif d.delivered and (d.late_days or 0) > 0 or not d.delivered:
            start = d.due + dt.timedelta(days=1)
            end = min(d.delivered_on, on) if d.delivered_on else _service_end(a, on).date() - dt.timedelta(days=1)
            count = _days(start, end)
            if count > 0:
                lines.append(_line("28", fee, f"цены услуги по доставке ({rub(fee)})", start, end, count, cap=fee,
                                   running=False, liable="company", problem="late_delivery"))

    # ст. 23.1 п. 3 — the missing items, due no later than the day the order arrived (or delivery_due).
    missing = a.violation("missing_items")
    if missing is not None:
        due = o.delivery_due or o.delivered_on or case.problem.discovered_on
        base = missing.goods_amount
        if base is None:
            refunds = [x.amount for x in a.demands if x.subject == "missing_goods" and x.amount is not None]
            base = sum(refunds, Decimal("0.00")) if refunds else None
        if due is None:
            a.not_owed.append("Неустойка по п. 3 ст. 23.1 за недовложенные товары не рассчитана: укажите, когда "
                              "привезли заказ (order.delivered_on) или обещанную дату доставки (order.delivery_due).")
        elif base is None:
            a.not_owed.append("Неустойка по п. 3 ст. 23.1 за недовложенные товары не рассчитана: неизвестна их цена "
                              "(order.items с issue: missing_items и ценой, или сумма требования о возврате).")
        else:
            if not o.delivery_due:
                a.notes.append(f"Недовложенные товары должны были быть переданы не позднее дня доставки заказа "
                               f"({fmt_date(due)}): от этого дня считается неустойка по п. 3 ст. 23.1.")
            start = due + dt.timedelta(days=1)
            lines.append(_line("23.1", base, f"суммы предварительной оплаты непереданных товаров ({rub(base)})",
                               start, on if on >= start else None, _days(start, on), cap=base, running=True,
                               liable=goods_liable, problem="missing_items"))

    if not claimable(a, "23.1"):
        for line in [x for x in lines if x.norm == "23.1"]:
            lines.remove(line)
            so_far = f" (на {fmt_date(line.end)} — {rub(line.amount)})" if line.end and line.amount else ""
            a.not_owed.append(
                f"Неустойка по п. 3 ст. 23.1{so_far} не заявлена: её платит продавец, указанный в кассовом чеке, а он "
                "в деле не указан. Владелец агрегатора за неё не отвечает — он возвращает внесённую ему предоплату "
                "(п. 2.4 ст. 12 Закона РФ «О защите прав потребителей»). Укажите продавца — название и адрес из чека "
                "(в файле дела: seller.name, seller.address), и неустойка будет заявлена ему.")
    lines = _no_stacking(lines, a)  # the order's delay first: ст. 31 п. 3 shares its cap only with a ст. 28 kept

    # Penalties for not meeting a demand in its term: ст. 23 п. 1 (goods), ст. 31 п. 3 (the delivery fee).
    for norm in ("23", "31.3"):
        group = [x for x in a.demands if x.rule.penalty_norm == norm and x.kind not in {"moral_damages"}]
        if not group:
            continue
        terms = [t.last_day for x in group if (t := a.deadline.demand_terms.get(_term_key(x))) is not None]
        if not terms or received is None:
            continue
        last = min(terms)
        start = last + dt.timedelta(days=1)
        if norm == "31.3":
            base = fee or next((x.amount for x in group if x.amount is not None), None)
            if base is None:
                continue
            used = sum((x.amount for x in lines if x.norm == "28"), Decimal("0.00"))
            cap = max(Decimal("0.00"), base - used)
            if cap == 0:
                a.not_owed.append(f"Неустойка по п. 3 ст. 31 не начисляется: вместе с неустойкой по п. 5 ст. 28 она "
                                  f"не может превышать цену услуги ({rub(base)}), а этот предел уже достигнут.")
                continue
            caveats = ()
            if used:
                caveats = (f"Неустойки по п. 5 ст. 28 и п. 3 ст. 31 в сумме не превышают цену услуги ({rub(base)}): "
                           f"по п. 3 ст. 31 — не более {rub(cap)}",)
            lines.append(_line("31.3", base, f"цены услуги по доставке ({rub(base)})", start,
                               on if on >= start else None, _days(start, on), cap=cap, running=True,
                               liable="company", problem="late_delivery", caveats=caveats))
        else:
            for problem in dict.fromkeys(x.problem for x in group):
                v = a.violation(problem)
                amounts = [x.amount for x in group if x.problem == problem and x.amount is not None]
                base = (v.goods_amount if v is not None and v.goods_amount else None) or (
                    max(amounts) if amounts else None)
                if base is None:
                    base = o.amount
                    if base is None:
                        continue
                    a.notes.append(f"База неустойки по п. 1 ст. 23 принята равной сумме заказа ({rub(base)}): если "
                                   "цена товара меньше, укажите товары и их цены (order.items, issue).")
                cap = base if last >= CAP_23_FROM else None
                caveats = (("Неустойка ограничена ценой товара по Федеральному закону от 28.12.2025 № 500-ФЗ "
                            "(точная редакция нормы не проверена).",) if cap is not None else
                           ("Срок истёк до 01.02.2026: неустойка рассчитана без ограничения (п. 32 постановления "
                            "Пленума ВС РФ от 28.06.2012 № 17); суд может применить ограничение ценой товара "
                            "(500-ФЗ).",))
                liable = v.liable if v is not None else "company"
                lines.append(_line("23", base, f"цены товара ({rub(base)})", start, on if on >= start else None,
                                   _days(start, on), cap=cap, running=True, liable=liable, problem=problem,
                                   caveats=caveats))

    a.penalties = _no_stacking(lines, a)
    for line in a.penalties:
        for c in line.caveats:
            if c not in a.notes:
                a.notes.append(c)
    if a.deadline.estimated and any(p.norm in {"23", "31.3"} for p in a.penalties):
        a.notes.append("Неустойка за нарушение срока удовлетворения требований рассчитана от предполагаемой даты "
                       "получения претензии: уточните её (complaint received).")


def _service_end(a: Analysis, on: dt.date) -> dt.datetime:
    """An undelivered order's service delay ends when the consumer's claim (refusing the service) is received."""
    received = a.deadline.received_on
    fee_demanded = any(x.subject == "delivery_fee" for x in a.demands)
    end_day = received if fee_demanded and received is not None and received <= on else on
    return dt.datetime.combine(end_day + dt.timedelta(days=1), dt.time(0))


def _span(p: PenaltyLine) -> tuple[dt.date, dt.date] | None:
    if p.end is None or p.count == 0:
        return None
    return (p.start_at.date() if p.start_at else p.start), p.end


def _weight(p: PenaltyLine) -> Decimal:
    """What a penalty can come to: a running one up to its cap, a closed one its amount. Comparing these (not today's
    amounts) keeps the choice the same in every letter of the case, whatever its date."""
    if p.running:
        return p.cap if p.cap is not None else Decimal("Infinity")
    return p.amount


def _no_stacking(lines: list[PenaltyLine], a: Analysis) -> list[PenaltyLine]:
    """One delay of the order, one penalty for the same days: of overlapping order-delay penalties the larger stays.

    The order-level ст. 23.1 (the goods), ст. 28 п. 5 (the delivery service) and ст. 31 п. 3 (the fee not refunded)
    penalise the same lateness of the same order; charging two of them for one day would be a double recovery. The
    missing items' ст. 23.1 and the goods' ст. 23 are about other goods and stay.
    """
    group = [p for p in lines if p.problem == "late_delivery" and _span(p) is not None]
    dropped: set[int] = set()
    for i, p in enumerate(group):
        for q in group[i + 1:]:
            if id(p) in dropped or id(q) in dropped:
                continue
            sp, sq = _span(p), _span(q)
            if sp and sq and sp[0] <= sq[1] and sq[0] <= sp[1]:
                keep, drop = (p, q) if _weight(p) >= _weight(q) else (q, p)
                dropped.add(id(drop))
                a.not_owed.append(
                    f"Неустойка по {drop.short} ({rub(drop.amount)}) не заявлена: за те же дни просрочки заказа уже "
                    f"начислена неустойка по {keep.short} ({rub(keep.amount)}), а за одну просрочку неустойки не "
                    "складываются; выбрана та, что больше (для неустойки, которая ещё начисляется, — по её пределу).")
    return [p for p in lines if id(p) not in dropped]


def claimable(a, norm: str) -> bool:
    """Whether a penalty under ``norm`` may be claimed in this case at all — the one rule for the letters' figures and
    for their «I will claim …» sentences.

    The ст. 23.1 penalty is the seller's; the aggregator owes only the prepayment paid to it (п. 2.4 ст. 12) and
    losses from wrong information (п. 2.1) — law.md §0b item 9. Without the seller it is not claimed from anyone.
    """
    r = a.roles
    return not (norm == "23.1" and r.aggregator and not r.seller_known)

