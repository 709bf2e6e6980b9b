"""One legal analysis of a case: the only place that decides law. Every letter, ``status``, ``guide`` and ``batch``
turn its result into text; none of them decides anything legal again.

:func:`analyze` is a pure function of a validated :class:`~complaint_cli.model.Case` and a date. It decides, once:

- the roles (seller, aggregator's owner, delivery service — :mod:`complaint_cli.law.roles`), who the claim goes to
  and who is sued;
- each violation with its facts (when the order was due, when it arrived, which items) and its pinpoint norms;
- each demand: what it is about (goods, the delivery fee, missing items…), its legal basis and statutory term;
- the penalties: norm, base, rate, period (per hour when the term was set in hours), caps — and what is *not* owed
  and why (for the console, not the letter).

The rules and their sources are data (``data/terms.yaml``); the legal choices where sources differ are listed in
README («Правовые решения»). law.md references are to /work/shared/law.md.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from complaint_cli import yamlio
from complaint_cli.law.calc import CAP_23_FROM, NORMS, percent, rub
from complaint_cli.law.deadlines import (
    Deadline,
    DemandRule,
    Ground,
    case_deadline,
    demand_rule,
    fmt_date,
    problem_info,
)
from complaint_cli.law.roles import QUALITY_PROBLEMS, Party, Roles, roles
from complaint_cli.model import MONEY_DEMANDS, Case
from complaint_cli.money import NBSP, days_phrase, format_amount, plural

LAW = "Закона РФ «О защите прав потребителей»"
CENT = Decimal("0.01")
# Problems about the delivery of the order (the company's side when it is an aggregator: law.md §1.5).
DELIVERY_PROBLEMS = frozenset({"late_delivery", "missing_items"})
# Which problem a demand most likely concerns when the case does not say (first present wins).
_REFUND_ORDER = ("expired_goods", "poor_quality", "wrong_items", "missing_items", "late_delivery", "overcharge",
                 "refund_not_received")


# What the analysis decides (docs/template-variables.md, «Правовой анализ»): every letter's variables come from these.
ANALYSIS_FIELDS: dict[str, str] = {
    "roles": "роли: компания (владелец агрегатора или продавец), продавец из чека, исполнитель доставки "
    "(company.aggregator или готовая компания с тем же ОГРН/ИНН)",
    "addressee / copy_to / joint": "кому претензия: продавцу — о качестве товара (копия или второй адресат — "
    "агрегатор), агрегатору — о доставке, плате за неё и предоплате",
    "defendants / court_blocker": "ответчики иска; иск о качестве к агрегатору не составляется — нужен seller",
    "violations": "нарушения с фактами (обещанный день и интервал, когда привезли, какие товары и на какую сумму) "
    "и нормами с пунктами",
    "demands": "требования: предмет (плата за доставку, предоплата, непереданные товары, цена товара, убытки…), "
    "сумма (из цен товаров, если не указана), основание, срок удовлетворения",
    "deadline": "последний день срока по производственному календарю (ГК ст. 191, 193)",
    "penalties": "неустойки: норма (п. 1 ст. 23, п. 3 ст. 23.1, п. 5 ст. 28, п. 3 ст. 31), база, ставка, период "
    "в днях или часах, предел, сумма; за одну просрочку — одна неустойка",
    "not_owed / notes": "что не взыскивается и почему, допущения — в консоль, не в письмо",
}


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP) + 0


def _end(text: str) -> str:
    """Close a sentence with a full stop unless it already ends with one («… руб.»)."""
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def hours_phrase(n: int) -> str:
    return f"{n}{NBSP}{plural(n, 'час', 'часа', 'часов')}"


def _duration(minutes: int) -> str:
    """«4 ч 40 мин», «1 день 2 ч» — how late, for the facts."""
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = [days_phrase(days)] if days else []
    if hours:
        parts.append(f"{hours}{NBSP}ч")
    if mins:
        parts.append(f"{mins}{NBSP}мин")
    return " ".join(parts) or f"0{NBSP}мин"


# --------------------------------------------------------------------------- data


@functools.cache
def _data() -> dict[str, Any]:
    return yamlio.bundled("terms.yaml")


def fee_rule() -> DemandRule:
    """The rule of a demand about the delivery fee (ст. 31 п. 1 term, ст. 31 п. 3 penalty)."""
    spec = _data()["delivery_fee_demand"]
    return DemandRule(
        problem_kind="late_delivery", demand_kind="delivery_fee", days=spec["days"],
        article=" ".join(spec["article"].split()), penalty_norm=str(spec["penalty_norm"]),
        confidence=str(spec["confidence"]), note=" ".join(spec.get("note", "").split()),
        grounds=tuple(Ground(" ".join(g["text"].split()), str(g["confidence"])) for g in spec.get("grounds", ())),
    )


# Grounds added by the facts (not by the problem kind alone). Texts cite the пункт (law.md §2.1, §2.2, §0b.9).
G_23_1 = Ground(f"п. 1–3 ст. 23.1 {LAW} (последствия нарушения продавцом срока передачи предварительно оплаченного "
                "товара: новый срок или возврат предварительной оплаты, неустойка)", "C")
G_28 = Ground(f"ст. 27, п. 1 и 5 ст. 28 {LAW} (нарушение срока оказания услуги по доставке: уменьшение цены услуги, "
              "неустойка за каждый день, а если срок определён в часах, — за каждый час просрочки)", "C")
G_12_24 = Ground(f"п. 2.4 ст. 12 {LAW} (возврат владельцем агрегатора предварительной оплаты, внесённой ему за "
                 "товар, не переданный в срок)", "K")
G_12_22 = Ground(f"п. 2.2 ст. 12 {LAW} (за качество товара отвечает продавец, а не владелец агрегатора)", "C")
G_466 = Ground("п. 1 ст. 466 ГК РФ (передача товара в меньшем количестве, чем определено договором)", "K")


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class AffectedItem:
    name: str
    quantity: Decimal
    unit_price: Decimal | None

    @property
    def amount(self) -> Decimal | None:
        return _q(self.unit_price * self.quantity) if self.unit_price is not None else None

    def describe(self) -> str:
        q = f"{self.quantity.normalize():f}{NBSP}шт."
        return f"{_quoted(self.name)} — {q}" + (f" на сумму {rub(self.amount)}" if self.amount is not None else "")


@dataclass(frozen=True)
class Delivery:
    """What was promised and what happened (order.delivery_due/window, delivered_on/at)."""

    due: dt.date | None
    window: tuple[dt.time, dt.time] | None
    window_text: str | None
    delivered_on: dt.date | None
    delivered_at: dt.time | None

    @property
    def delivered(self) -> bool:
        return self.delivered_on is not None

    @property
    def due_end(self) -> dt.datetime | None:
        """The end of the promised term: the slot's end, or the end of the due day."""
        if self.due is None:
            return None
        if self.window is not None:
            end = self.window[1]
            return dt.datetime.combine(self.due, dt.time(0)) + dt.timedelta(hours=end.hour, minutes=end.minute)
        return dt.datetime.combine(self.due + dt.timedelta(days=1), dt.time(0))

    @property
    def arrived(self) -> dt.datetime | None:
        if self.delivered_on is None:
            return None
        return dt.datetime.combine(self.delivered_on, self.delivered_at or dt.time(0))

    @property
    def late_minutes(self) -> int | None:
        """Minutes between the slot's end and the arrival, when both are known to the minute."""
        if self.window is None or self.delivered_at is None or self.arrived is None or self.due_end is None:
            return None
        return max(0, int((self.arrived - self.due_end).total_seconds() // 60))

    @property
    def late_days(self) -> int | None:
        """Calendar days the goods were handed over after the due day (0: on the due day)."""
        if self.due is None or self.delivered_on is None:
            return None
        return max(0, (self.delivered_on - self.due).days)


@dataclass(frozen=True)
class Violation:
    """One problem with the order: its facts for the letters, the items, the price concerned and the norms."""

    kind: str
    title: str
    facts: str
    review: str
    items: tuple[AffectedItem, ...]
    goods_amount: Decimal | None
    liable: str  # "seller" or "company"
    grounds: tuple[Ground, ...]
    subtitle: str = ""  # the claim's subtitle when this is the only violation


@dataclass(frozen=True)
class DemandLine:
    """One demand of the claim, worded for what it is, with its basis and term."""

    number: int
    kind: str
    problem: str
    subject: str  # prepayment | missing_goods | goods | goods_price | delivery_fee | losses | moral | replacement |
    #              deliver | apology | overcharge | refund | other
    amount: Decimal | None
    text: str
    rule: DemandRule
    liable: str  # "seller" or "company"
    label: str  # what is recovered, for the court's prayer (accusative: «плату за доставку заказа»)
    label_nominative: str = ""  # the same for the calculation's lines («Плата за доставку заказа»)

    @property
    def words(self) -> str:
        """A few plain words for the guide, the review and the wizard («вернуть плату за доставку»)."""
        return SUBJECT_WORDS.get(self.subject) or self.text.rstrip(".")

    @property
    def money(self) -> bool:
        return self.kind in MONEY_DEMANDS and self.kind != "moral_damages" and self.amount is not None

    @property
    def losses(self) -> bool:
        return self.kind == "compensation"


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
                    f"{fmt_date(self.end_at.date())} ({hours_phrase(self.count)})")
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


@dataclass
class Analysis:
    """The legal reading of one case on one date (see the module docstring)."""

    on: dt.date
    roles: Roles
    delivery: Delivery
    kinds: list[str]
    violations: list[Violation]
    demands: list[DemandLine]
    deadline: Deadline
    addressee: Party
    copy_to: Party | None
    joint: bool  # the claim goes to two addressees (the seller and the aggregator) jointly, not as a copy
    to_seller: bool
    defendants: list[Party]
    court_blocker: str | None
    penalties: list[PenaltyLine] = field(default_factory=list)
    interest: list[tuple[Decimal | None, dt.date | None]] = field(default_factory=list)
    not_owed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    claim_date: dt.date | None = None

    # --- sums
    @property
    def penalty_total(self) -> Decimal:
        return sum((p.amount for p in self.penalties if p.started), Decimal("0.00"))

    @property
    def principal(self) -> list[DemandLine]:
        return [d for d in self.demands if d.money]

    @property
    def principal_total(self) -> Decimal:
        return sum((d.amount for d in self.principal if not d.losses), Decimal("0.00"))  # type: ignore[misc]

    @property
    def losses_total(self) -> Decimal:
        return sum((d.amount for d in self.principal if d.losses), Decimal("0.00"))  # type: ignore[misc]

    def violation(self, kind: str) -> Violation | None:
        return next((v for v in self.violations if v.kind == kind), None)

    def liable_party(self, liable: str) -> Party:
        if liable == "seller" and self.roles.seller is not None:
            return self.roles.seller
        return self.roles.company

    def grounds(self) -> list[Ground]:
        """Every norm cited, violations first, then the demands' own, without repeats."""
        out: list[Ground] = []
        for g in [g for v in self.violations for g in v.grounds] + [g for d in self.demands for g in d.rule.grounds]:
            if g.text not in {x.text for x in out}:
                out.append(g)
        return out

    def console(self) -> list[str]:
        """What the user should know and the letters do not say: assumptions, and what is not owed and why."""
        return list(dict.fromkeys([*self.notes, *self.not_owed]))


# --------------------------------------------------------------------------- facts


def delivery_facts(case: Case) -> Delivery:
    o = case.order
    window = None
    if o.delivery_window:
        a, b = o.delivery_window.split("–")
        window = (_time(a), _time(b))
    return Delivery(o.delivery_due, window, o.delivery_window, o.delivered_on,
                    _time(o.delivered_at) if o.delivered_at else None)


def _time(text: str) -> dt.time:
    h, m = (int(x) for x in text.split(":"))
    return dt.time(23, 59) if h == 24 else dt.time(h, m)


def _items(case: Case, kind: str) -> tuple[AffectedItem, ...]:
    return tuple(AffectedItem(it.name or "", it.affected, it.price) for it in case.order.items
                 if it.issue is not None and it.issue.value == kind)


def _sum_items(items: tuple[AffectedItem, ...]) -> Decimal | None:
    if not items or any(i.amount is None for i in items):
        return None
    return sum((i.amount for i in items), Decimal("0.00"))  # type: ignore[misc]


def goods_prepayment(case: Case) -> tuple[Decimal | None, str | None]:
    """The prepayment for the goods (ст. 23.1 base): the items' prices, else the order sum less the delivery fee."""
    o = case.order
    if o.items and all(i.price is not None for i in o.items):
        return _q(sum((i.price * (i.quantity or 1) for i in o.items), Decimal(0))), None  # type: ignore[operator]
    if o.amount is None:
        return None, None
    if o.delivery_fee and o.amount > o.delivery_fee:
        return o.amount - o.delivery_fee, (
            f"Сумма предварительной оплаты товаров принята равной сумме заказа за вычетом платы за доставку "
            f"({rub(o.amount)} − {rub(o.delivery_fee)} = {rub(o.amount - o.delivery_fee)}): так считается, что "
            "order.amount — вся оплаченная сумма. Если доставка оплачивалась отдельно, укажите цены товаров "
            "(order.items).")
    return o.amount, None


def _late_facts(case: Case, d: Delivery, on: dt.date, notes: list[str]) -> tuple[str, str]:
    """The late-delivery sentence for the letters and the calm one for the review."""
    if d.due is None:
        notes.append("order.delivery_due: не указана обещанная дата доставки — в письмах сказано только, что срок "
                     "нарушен; неустойку за просрочку не рассчитать.")
        if d.delivered:
            return (f"Однако в согласованный срок заказ мне передан не был: он доставлен только "
                    f"{_when(d.delivered_on, d.delivered_at)}.", f"заказ привезли только {_when(d.delivered_on, None)}")
        return "Однако в согласованный срок заказ мне передан не был.", "заказ в срок не привезли"
    slot = f" в интервале {d.window_text}" if d.window_text else ""
    promised = f"Доставка заказа была согласована на {fmt_date(d.due)}{slot}"
    if not d.delivered:
        return (f"{promised}, однако по состоянию на {fmt_date(on)} заказ мне не передан.",
                f"доставку обещали {fmt_date(d.due)}{slot}, но заказ так и не привезли")
    late = d.late_minutes
    when = _when(d.delivered_on, d.delivered_at)
    if d.late_days == 0 and late is not None:
        if late == 0:
            notes.append("По указанным времени и интервалу заказ доставлен в срок: нарушения срока доставки нет.")
            return (f"{promised}; заказ передан мне {when}.", f"заказ привезли {when}")
        return (f"{promised}, однако заказ передан мне только {when} — с опозданием на {_duration(late)} после "
                "окончания согласованного интервала.",
                f"доставку обещали {fmt_date(d.due)}{slot}, а привезли {when}, на {_duration(late)} позже")
    if d.late_days == 0:
        notes.append("Заказ доставлен в обещанный день: без времени доставки и интервала (order.delivered_at, "
                     "order.delivery_window) опоздание не подтверждается.")
        return (f"{promised}; заказ передан мне {when}.", f"заказ привезли {when}")
    return (f"{promised}, однако заказ передан мне только {when}, то есть с просрочкой на "
            f"{days_phrase(d.late_days or 0)}.",
            f"доставку обещали {fmt_date(d.due)}{slot}, а привезли только {when}")


def _when(day: dt.date | None, at: dt.time | None) -> str:
    if day is None:
        return ""
    return fmt_date(day) + (f" в {at:%H:%M}" if at else "")


_ITEM_FACTS = {
    "missing_items": ("При получении заказа выяснилось, что часть оплаченных товаров мне не передана (недовложение)",
                      "в заказе не оказалось части оплаченных товаров"),
    "wrong_items": ("Вместо заказанных товаров мне переданы другие товары, не соответствующие описанию (пересорт)",
                    "вместо заказанных товаров привезли другие"),
    "poor_quality": ("Переданный мне товар оказался ненадлежащего качества", "привезли товар ненадлежащего качества"),
    "expired_goods": (f"Мне передан товар с истёкшим сроком годности, продажа которого запрещена (п. 5 ст. 5 {LAW})",
                      "привезли товар с истёкшим сроком годности"),
}
# Facts only, for the public review: what was seen, not what the law calls it (ГК ст. 152).
_REVIEW_ITEMS = {
    "missing_items": "в заказе не оказалось оплаченных товаров: {}",
    "wrong_items": "вместо заказанных товаров привезли другие: {}",
    "poor_quality": "товары привезли испорченными или повреждёнными: {}",
    "expired_goods": "привезли товары с истёкшим сроком годности: {}",
}
_OTHER_FACTS = {
    "overcharge": ("С меня была списана сумма, превышающая стоимость заказа.",
                   "с карты списали больше, чем стоил заказ"),
    "refund_not_received": ("Уплаченные мною денежные средства до настоящего времени не возвращены.",
                            "деньги за заказ так и не вернули"),
    "courier_conduct": ("При доставке заказа курьер исполнителя допустил нарушения.",
                        "курьер при доставке вёл себя некорректно"),
    "other": ("Мои права как потребителя были нарушены.", "мои права как покупателя были нарушены"),
}


def _violation(case: Case, kind: str, d: Delivery, r: Roles, on: dt.date, notes: list[str]) -> Violation:
    info = problem_info(kind)
    items = _items(case, kind)
    grounds = list(info.grounds)
    liable = "company"
    goods = _sum_items(items)
    if kind == "late_delivery":
        facts, review = _late_facts(case, d, on, notes)
        grounds = [g for g in grounds if "23.1" not in g.text]
        if not d.delivered or (d.late_days or 0) > 0 or d.due is None:
            grounds.insert(0, G_23_1)
            if r.aggregator and not d.delivered:
                grounds.append(G_12_24)
        if case.order.delivery_fee:
            grounds.insert(0, G_28)
        goods, _ = goods_prepayment(case)
    elif kind in _ITEM_FACTS:
        head, review = _ITEM_FACTS[kind]
        if items:
            listed = "; ".join(i.describe() for i in items)
            total = f" (всего на сумму {rub(goods)})" if goods is not None and len(items) > 1 else ""
            facts = _end(f"{head}: {listed}{total}")
            review = _REVIEW_ITEMS[kind].format(", ".join(
                f"{_quoted(i.name)} ({i.quantity.normalize():f}{NBSP}шт.)" for i in items))
        else:
            facts = head + "."
        if kind in QUALITY_PROBLEMS:
            liable = "seller"
            if r.aggregator:
                grounds.append(G_12_22)
        else:  # missing items: goods not handed over (ст. 23.1), in a smaller quantity (ГК ст. 466)
            grounds = [g for g in grounds if "23.1" not in g.text and "466" not in g.text]
            grounds[:0] = [G_23_1, G_466]
            if r.aggregator:
                grounds.append(G_12_24)
    else:
        facts, review = _OTHER_FACTS[kind]
    subtitle = info.subtitle
    if kind == "late_delivery" and d.delivered and d.late_days == 0:
        subtitle = "(о нарушении срока оказания услуги по доставке)"
    return Violation(kind, info.title, facts, review, items, goods, liable, tuple(grounds), subtitle)


# --------------------------------------------------------------------------- demands


def _assign(case: Case, index: int, kinds: list[str], d: Delivery) -> tuple[str, str]:
    """(problem, subject) of demand ``index``: what the demand is about."""
    dem = case.demands[index]
    kind = dem.kind.value if dem.kind else "other"
    fee = case.order.delivery_fee
    explicit = getattr(dem, "problem", None)
    problem = explicit.value if explicit is not None else None
    if problem is None:
        if kind in {"refund", "price_reduction"} and "late_delivery" in kinds and fee and dem.amount == fee:
            problem = "late_delivery"
        elif kind == "price_reduction" and "late_delivery" in kinds and not (QUALITY_PROBLEMS & set(kinds)):
            problem = "late_delivery"
        elif kind in {"refund", "price_reduction", "compensation"}:
            by_amount = [k for k in kinds if dem.amount is not None and _sum_items(_items(case, k)) == dem.amount]
            present = [k for k in _REFUND_ORDER if k in kinds]
            problem = (by_amount or present or kinds or ["other"])[0]
        elif kind == "replacement":
            problem = next((k for k in kinds if k in QUALITY_PROBLEMS), (kinds or ["other"])[0])
        elif kind == "deliver":
            problem = next((k for k in ("missing_items", "late_delivery") if k in kinds), (kinds or ["other"])[0])
        else:
            problem = (kinds or ["other"])[0]
    subject = {"compensation": "losses", "moral_damages": "moral", "replacement": "replacement",
               "deliver": "deliver", "apology": "apology", "other": "other"}.get(kind, "")
    if not subject:
        if problem == "late_delivery":
            fee_like = fee is not None and (dem.amount == fee or (d.delivered and (dem.amount or fee) <= fee))
            subject = "delivery_fee" if fee_like or kind == "price_reduction" else "prepayment"
        elif problem == "missing_items":
            subject = "missing_goods"
        elif problem in QUALITY_PROBLEMS:
            subject = "goods_price" if kind == "price_reduction" else "goods"
        elif problem == "overcharge":
            subject = "overcharge"
        else:
            subject = "refund"
    return problem, subject


def default_amount(case: Case, index: int) -> Decimal | None:
    """The sum of a money demand the user left empty: the affected items' prices, or the delivery fee."""
    kinds = case_kinds(case)
    dem = case.demands[index]
    if dem.amount is not None or dem.kind is None or dem.kind.value not in {"refund", "price_reduction"}:
        return dem.amount
    problem, subject = _assign(case, index, kinds, delivery_facts(case))
    if subject == "delivery_fee":
        return case.order.delivery_fee
    if dem.kind.value == "refund":
        return _sum_items(_items(case, problem))
    return None


def case_kinds(case: Case) -> list[str]:
    """The problems of the order: ``problem.kind``, ``problem.also`` and any item's ``issue``."""
    kinds = case.problem_kinds()
    for it in case.order.items:
        if it.issue is not None and it.issue.value not in kinds:
            kinds.append(it.issue.value)
    return kinds or ["other"]


def _money(amount: Decimal | None) -> str:
    return f" в размере {format_amount(amount)}" if amount is not None else ""


def _quoted(name: str) -> str:
    """«name» with quotes inside it turned into „…“ (Russian nested quotes)."""
    return "«" + name.replace("«", "„").replace("»", "“") + "»"


def _what_items(v: Violation | None) -> str:
    if v is None or not v.items:
        return ""
    names = ", ".join(_quoted(i.name) for i in v.items)
    return f" ({names})"


# What each demand's money is, for the court: (accusative — «взыскать …», nominative — the calculation's lines).
_LABELS = {
    "delivery_fee": ("плату за доставку заказа", "Плата за доставку заказа"),
    "delivery_fee_reduction": ("денежные средства в счёт уменьшения цены услуги по доставке",
                               "Уменьшение цены услуги по доставке"),
    "prepayment": ("предварительно уплаченную за товар сумму", "Предварительно уплаченная за товар сумма"),
    "missing_goods": ("предварительно уплаченную за непереданные товары сумму",
                      "Предварительно уплаченная за непереданные товары сумма"),
    "goods": ("уплаченную за товар ненадлежащего качества сумму", "Уплаченная за товар ненадлежащего качества сумма"),
    "goods_price": ("денежные средства в счёт соразмерного уменьшения покупной цены товара",
                    "Соразмерное уменьшение покупной цены товара"),
    "overcharge": ("излишне списанные денежные средства", "Излишне списанные денежные средства"),
    "refund": ("уплаченные денежные средства", "Уплаченные денежные средства"),
    "losses": ("убытки", "Убытки"),
}
# The same demands in a few plain words (guide, review, wizard).
SUBJECT_WORDS = {
    "prepayment": "вернуть предоплату за непереданный товар", "delivery_fee": "вернуть плату за доставку",
    "missing_goods": "вернуть деньги за непереданные товары", "goods": "вернуть деньги за товар",
    "goods_price": "уменьшить цену товара", "losses": "возместить убытки", "moral": "компенсировать моральный вред",
    "replacement": "заменить товар", "deliver": "передать оплаченный товар",
    "apology": "извиниться и провести проверку", "overcharge": "вернуть излишне списанные деньги",
    "refund": "вернуть деньги",
}


def _demand_text(kind: str, subject: str, amount: Decimal | None, v: Violation | None, aggregator: bool,
                 user_text: str | None, delivered: bool = False) -> tuple[str, str, str]:
    """The demand as the letter states it, and what is recovered (court prayer, calculation)."""
    m = _money(amount)
    items = _what_items(v)
    key = subject
    if subject == "delivery_fee":
        if delivered or (kind == "price_reduction" and amount is not None):
            # The service was performed late: the remedy is a reduction of its price (ст. 28 п. 1), down to zero.
            key = "delivery_fee_reduction"
            text = (f"В связи с нарушением срока оказания услуги по доставке уменьшить цену этой услуги на "
                    f"{format_amount(amount) if amount is not None else 'соразмерную сумму'} и вернуть мне эту сумму "
                    f"(п. 1 ст. 28 {LAW}).")
        else:
            text = (f"В связи с нарушением срока оказания услуги по доставке отказываюсь от исполнения договора об "
                    f"оказании этой услуги и требую вернуть уплаченную за неё плату{m} (п. 1 ст. 28 {LAW}).")
    elif subject == "prepayment":
        basis = "п. 2 ст. 23.1" + (" и п. 2.4 ст. 12" if aggregator else "")
        text = (f"В связи с нарушением срока передачи товара отказываюсь от исполнения договора купли-продажи и "
                f"требую вернуть предварительно уплаченную за товар сумму{m} ({basis} {LAW}).")
    elif subject == "missing_goods":
        basis = "п. 2 ст. 23.1" + (" и п. 2.4 ст. 12" if aggregator else "")
        text = (f"В связи с непередачей оплаченных товаров{items} отказываюсь от исполнения договора в этой части и "
                f"требую вернуть предварительно уплаченную за них сумму{m} ({basis} {LAW}).")
    elif subject == "goods":
        text = (f"В связи с отказом от исполнения договора купли-продажи в отношении товара ненадлежащего "
                f"качества{items} вернуть уплаченную за него сумму{m} (п. 1 ст. 18 {LAW}).")
    elif subject == "goods_price":
        text = (f"Соразмерно уменьшить покупную цену товара ненадлежащего качества{items}"
                + (f" на {format_amount(amount)} и вернуть мне эту сумму" if amount is not None else "")
                + f" (п. 1 ст. 18 {LAW}).")
    elif subject == "overcharge":
        text = f"Вернуть излишне списанные денежные средства{m} (ст. 1102 ГК РФ)."
    elif subject == "refund":
        text = f"Вернуть уплаченные денежные средства{m}."
    elif subject == "losses":
        what = (user_text or "").strip().rstrip(".")
        what = f" — {what[:1].lower() + what[1:]} —" if what and "\n" not in what else ""
        basis = f" (п. 1 ст. 18 {LAW})" if v is not None and v.kind in QUALITY_PROBLEMS else ""
        return f"Возместить причинённые мне убытки{what}{m}{basis}.", *_LABELS["losses"]
    elif subject == "replacement":
        text = (f"Заменить товар ненадлежащего качества{items} на товар этой же марки (модели, артикула) надлежащего "
                f"качества (п. 1 ст. 18, ст. 21 {LAW}).")
    elif subject == "deliver":
        text = (f"Передать мне недостающие оплаченные товары{items} (п. 2 ст. 23.1 {LAW})." if v and
                v.kind == "missing_items" else f"Передать мне оплаченный товар (п. 2 ст. 23.1 {LAW}).")
    elif subject == "moral":
        text = f"Компенсировать причинённый мне моральный вред{m} (ст. 15 {LAW})."
    elif subject == "apology":
        text = ("Принести мне письменные извинения, провести служебную проверку по факту нарушения и сообщить мне о "
                "её результатах.")
    else:
        return _sentence(user_text or ""), "", ""
    extra = _sentence(user_text or "")
    acc, nom = _LABELS.get(key, ("", ""))
    return (f"{text} {extra}" if extra else text), acc, nom


def _sentence(text: str) -> str:
    """The user's own words as a sentence of their own: capitalised, closed by a full stop."""
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


def _demands(case: Case, kinds: list[str], d: Delivery, violations: list[Violation], r: Roles) -> list[DemandLine]:
    out = []
    by_kind = {v.kind: v for v in violations}
    for i, dem in enumerate(case.demands):
        if dem.kind is None:
            continue
        problem, subject = _assign(case, i, kinds, d)
        amount = dem.amount if dem.amount is not None else default_amount(case, i)
        rule = fee_rule() if subject == "delivery_fee" else demand_rule(problem, dem.kind.value)
        v = by_kind.get(problem)
        text, label, nominative = _demand_text(dem.kind.value, subject, amount, v, r.aggregator, dem.text,
                                               delivered=d.delivered)
        liable = v.liable if v is not None and subject not in {"delivery_fee", "prepayment"} else "company"
        if subject == "moral":  # moral damages: from whoever breached; «both» when the seller and the aggregator did
            sides = {x.liable for x in violations}
            liable = sides.pop() if len(sides) == 1 else "both"
        out.append(DemandLine(i + 1, dem.kind.value, problem, subject, amount, text, rule, liable, label,
                              nominative))
    return out


# --------------------------------------------------------------------------- penalties


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
                              "указана или доставка бесплатна (order.delivery_fee), а неустойка считается от цены "
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
                                            "неустойки к интервалам доставки в практике не устоялось [K].",)))
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


def _term_key(x: DemandLine) -> str:
    return f"{x.number}"


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


# --------------------------------------------------------------------------- the analysis


def analyze(case: Case, on: dt.date, *, received_on: dt.date | None = None, sent_on: dt.date | None = None,
            channel: str | None = None, use_submission: bool = True) -> Analysis:
    """The legal analysis of ``case`` as of ``on`` (a pure function: no files, no clock)."""
    r = roles(case)
    d = delivery_facts(case)
    kinds = case_kinds(case)
    notes: list[str] = []
    violations = [_violation(case, k, d, r, on, notes) for k in kinds]
    demands = _demands(case, kinds, d, violations, r)
    s = case.submission
    if use_submission:
        received_on, sent_on = s.received_on, s.sent_on
        channel = s.channel.value if s.channel else None
    deadline = deadline_for(case, demands, received_on=received_on, sent_on=sent_on, channel=channel)

    a = Analysis(on=on, roles=r, delivery=d, kinds=kinds, violations=violations, demands=demands, deadline=deadline,
                 addressee=r.company, copy_to=None, joint=False, to_seller=False, defendants=[r.company],
                 court_blocker=None, notes=notes, claim_date=sent_on or s.sent_on)
    _penalties(case, a)
    _parties(a)
    for x in demands:
        if x.rule.penalty_norm == "395":
            terms = [t.last_day for t in [a.deadline.demand_terms.get(_term_key(x))] if t is not None]
            a.interest.append((x.amount, terms[0] + dt.timedelta(days=1) if terms else None))
            a.not_owed.append("Неустойка Закона РФ «О защите прав потребителей» на требование о возврате денег "
                              "не начисляется: за просрочку взыскиваются проценты по ст. 395 ГК РФ (по ключевой "
                              "ставке Банка России); программа их не рассчитывает.")
        elif x.kind in {"replacement", "deliver", "apology", "other"} and x.rule.penalty_norm is None:
            pass
    if "courier_conduct" in kinds:
        a.not_owed.append("Неустойка не предусмотрена: за некорректное поведение курьера можно требовать компенсацию "
                          f"морального вреда (ст. 15 {LAW}, ст. 151, 1068 ГК РФ).")
    return a


def _parties(a: Analysis) -> None:
    """Who the claim goes to and who is sued, from who is liable for each demand and penalty (law.md §1.5, §0b.9).

    The seller on the receipt answers for the goods' quality (ЗоЗПП ст. 12 п. 2.2) and — when it is known — for the
    ст. 23.1 penalty on goods handed over late; the aggregator's owner for the delivery service, its fee and the
    refund of a prepayment paid to it (п. 2.4). A claim with demands to both goes to both jointly; a suit names
    both as defendants. A quality claim through an aggregator whose seller is unknown may go to the aggregator, but
    it is never sued as the seller.
    """
    r = a.roles
    seller = r.seller
    separate_seller = r.seller_known and seller is not None and seller is not r.company
    liable = {x.liable for x in a.demands if x.subject not in {"moral", "apology", "other"}}
    liable |= {p.liable for p in a.penalties if p.started or p.running}
    liable |= {v.liable for v in a.violations}
    quality = any(v.liable == "seller" for v in a.violations)
    to_seller = separate_seller and "seller" in liable
    a.joint = to_seller and "company" in liable
    # The party liable for the main problem comes first (the seller for the goods, the aggregator for the delivery).
    seller_first = to_seller and (not a.joint or a.violations[0].liable == "seller")
    a.to_seller = seller_first
    if seller_first:
        a.addressee, a.copy_to = seller, r.company  # type: ignore[assignment]
        a.defendants = [seller] + ([r.company] if a.joint else [])  # type: ignore[list-item]
    elif a.joint:
        a.addressee, a.copy_to, a.defendants = r.company, seller, [r.company, seller]  # type: ignore[list-item]
    else:
        a.addressee, a.copy_to, a.defendants = r.company, None, [r.company]
    if quality and not r.seller_known:
        a.defendants = []
        a.court_blocker = ("Иск о качестве товара не составлен: компания — владелец агрегатора, а ответчиком по "
                           "требованиям о качестве товара может быть только продавец из кассового чека (п. 2.2 ст. 12 "
                           "Закона РФ «О защите прав потребителей»). Укажите продавца в деле (seller: name, address) "
                           "и повторите.")
        a.notes.append("seller: продавец из чека не указан — претензия о качестве товара адресована владельцу "
                       "агрегатора; иск о качестве к нему не составляется (п. 2.2 ст. 12).")
    if r.aggregator and not r.seller_known and any(p.norm == "23.1" for p in a.penalties):
        a.notes.append("Неустойка по п. 3 ст. 23.1 — ответственность продавца: укажите продавца из кассового чека "
                       "(seller), и она будет заявлена ему; пока она заявлена владельцу агрегатора, который сам "
                       "отвечает за возврат внесённой ему предоплаты (п. 2.4 ст. 12), а суд может признать надлежащим "
                       "ответчиком по неустойке продавца.")
    if a.joint:
        a.notes.append("Претензия адресована двум организациям: отправьте экземпляр каждой (отдельными письмами). Срок "
                       "для каждой считается от получения ею претензии; программа считает от одной даты "
                       "(submission.received_on) — укажите более позднюю из двух.")


def deadline_for(case: Case, demands: list[DemandLine] | None = None, *, received_on: dt.date | None,
                 sent_on: dt.date | None, channel: str | None) -> Deadline:
    """The claim's statutory deadline: the latest term among its demands, each with the rule the analysis chose."""
    if demands is None:
        r = roles(case)
        d = delivery_facts(case)
        kinds = case_kinds(case)
        demands = _demands(case, kinds, d, [_violation(case, k, d, r, dt.date.max, []) for k in kinds], r)
    return case_deadline(
        case.problem.kind.value if case.problem.kind else "other",
        [x.kind for x in demands],
        received_on, sent_on, channel,  # type: ignore[arg-type]
        emergency=case.problem.emergency,
        company_promise_working_days=case.company.promise_working_days or 10,
        delivery_due=case.order.delivery_due or case.order.delivered_on or case.problem.discovered_on,
        rules=[(_term_key(x), x.rule) for x in demands],
    )


def with_rule(rule: DemandRule, **changes: Any) -> DemandRule:
    return replace(rule, **changes)
