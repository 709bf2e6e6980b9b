"""The facts of a case as the law reads them: what was promised and what happened, which items, each violation.

Part of the legal analysis (:mod:`complaint_cli.law.analysis`): the delivery (promised day and slot, when the order
really arrived), the items each problem concerns and their price, and each violation's sentence for the letters, its
calm wording for the public review and its pinpoint norms (law.md §2.1, §2.2, §0b.9).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from complaint_cli.law.calc import _q, rub
from complaint_cli.law.deadlines import Ground, fmt_date, problem_info
from complaint_cli.law.roles import QUALITY_PROBLEMS, Roles
from complaint_cli.model import Case
from complaint_cli.money import NBSP, days_phrase

LAW = "Закона РФ «О защите прав потребителей»"


def _end(text: str) -> str:
    """Close a sentence with a full stop unless it already ends with one («… руб.»)."""
    return text if text.endswith((".", "!", "?", "…")) else text + "."


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


def _quoted(name: str) -> str:
    """«name» with quotes inside it turned into „…“ (Russian nested quotes)."""
    return "«" + name.replace("«", "„").replace("»", "“") + "»"


# Grounds added by the facts (not by the problem kind alone). Texts cite the пункт (law.md §2.1, §2.2, §0b.9).
G_23_1 = Ground(f"п. 1–3 ст. 23.1 {LAW} (последствия нарушения продавцом срока передачи предварительно оплаченного "
                "товара: новый срок или возврат предварительной оплаты, неустойка)", "C")
G_28 = Ground(f"ст. 27, п. 1 и 5 ст. 28 {LAW} (нарушение срока оказания услуги по доставке: уменьшение цены услуги, "
              "неустойка за каждый день, а если срок определён в часах, — за каждый час просрочки)", "C")
G_12_24 = Ground(f"п. 2.4 ст. 12 {LAW} (возврат владельцем агрегатора предварительной оплаты, внесённой ему за "
                 "товар, не переданный в срок)", "K")
G_12_22 = Ground(f"п. 2.2 ст. 12 {LAW} (за качество товара отвечает продавец, а не владелец агрегатора)", "C")
G_466 = Ground("п. 1 ст. 466 ГК РФ (передача товара в меньшем количестве, чем определено договором)", "K")


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
_REVIEW_ITEMS = {  # (one item, several)
    "missing_items": ("в заказе не оказалось оплаченного товара: {}", "в заказе не оказалось оплаченных товаров: {}"),
    "wrong_items": ("вместо заказанного товара привезли другой: {}", "вместо заказанных товаров привезли другие: {}"),
    "poor_quality": ("товар привезли испорченным или повреждённым: {}",
                     "товары привезли испорченными или повреждёнными: {}"),
    "expired_goods": ("привезли товар с истёкшим сроком годности: {}", "привезли товары с истёкшим сроком годности: {}"),
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
            review = _REVIEW_ITEMS[kind][len(items) > 1 or items[0].quantity > 1].format(", ".join(
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


def case_kinds(case: Case) -> list[str]:
    """The problems of the order: ``problem.kind``, ``problem.also`` and any item's ``issue``."""
    kinds = case.problem_kinds()
    for it in case.order.items:
        if it.issue is not None and it.issue.value not in kinds:
            kinds.append(it.issue.value)
    return kinds or ["other"]
