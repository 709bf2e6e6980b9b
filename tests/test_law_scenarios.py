"""The law as a table: one row per delivery situation → roles, norms with their пункт, penalties and sums.

Read a row as a lawyer would: the facts that differ from the base Kuper order, the date of the calculation, and what
the analysis (complaint_cli.law.analysis.analyze) must conclude. Every sum below was worked out by hand:

- the base order: Kuper (an aggregator by its preset's ОГРН), order 02.11.2026 for 4 870,00 руб., of which the
  delivery fee 299,00 (goods prepayment 4 571,00), slot 02.11.2026 17:00–18:00; the claim received Tue 03.11.2026;
- a 10-day term from 03.11 ends Fri 13.11 (a working day), so the term penalties run from 14.11; on 25.11 that is
  12 days (law.md §2.3, §3.1: days = calculation date − last day).
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest

from complaint_cli.law.analysis import analyze
from complaint_cli.validation import validate_data

D = Decimal
ON = dt.date(2026, 11, 25)

BASE = {
    "claimant": {"full_name": "Кузнецова Ольга Андреевна", "address": "125047, г. Москва, ул. Тверская, д. 1, кв. 2",
                 "region": "Москва", "phone": "+79161234567", "email": "o.k@example.ru"},
    "company": {"name": "ООО «Инстамарт Сервис»", "brand": "Купер", "ogrn": "1187746494980",
                "address": "115035, г. Москва, ул. Садовническая, д. 9А"},
    "order": {"number": "R-1", "date": "2026-11-02", "amount": "4870.00", "delivery_fee": "299.00",
              "delivery_due": "2026-11-02", "delivery_window": "17:00-18:00"},
    "problem": {"kind": "late_delivery", "description": "Описание того, что произошло с заказом."},
    "demands": [{"kind": "refund", "amount": "299.00"}],
    "submission": {"channel": "post", "sent_on": "2026-11-03", "received_on": "2026-11-03"},
}
SELLER = {"name": "ООО «Ромашка-Ритейл»", "address": "190000, г. Санкт-Петербург, ул. Примерная, д. 1"}
YOGURT = [{"name": "Йогурт", "quantity": 1, "price": "1250.50", "issue": "expired_goods"}]
MISSING = [{"name": "Сыр", "quantity": 2, "price": "289.90", "issue": "missing_items", "affected_quantity": 1},
           {"name": "Кофе", "quantity": 1, "price": "649.00", "issue": "missing_items"},
           {"name": "Молоко", "quantity": 3, "price": "96.90"}]
DROP = object()  # a key to remove from the base


def merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if value is DROP:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


# name, facts (over the base), calculation date, expected conclusions:
#   to = addressee («seller»/«company»), joint, defendants, blocked (the court claim refused), penalties = {norm:
#   (count, amount, unit)}, absent = norms that must not be charged, not_owed = words the console must say.
SCENARIOS = [
    ("late by 4 h 40 min on the due day: per hour under ст. 28 п. 5, no ст. 23.1; the fee refund's ст. 31 п. 3",
     {"order": {"delivered_on": "2026-11-02", "delivered_at": "22:40"}}, ON,
     {"to": "company", "penalties": {"28": (4, "35.88", "hour"), "31.3": (12, "107.64", "day")}, "absent": ["23.1"],
      "not_owed": ["23.1", "в тот день"]}),
    ("late by 59 minutes: no hourly penalty (not a full hour)",
     {"order": {"delivered_on": "2026-11-02", "delivered_at": "18:59"}}, ON,
     {"penalties": {"31.3": (12, "107.64", "day")}, "absent": ["28", "23.1"], "not_owed": ["меньше часа"]}),
    ("late by exactly one hour",
     {"order": {"delivered_on": "2026-11-02", "delivered_at": "19:00"}}, ON,
     {"penalties": {"28": (1, "8.97", "hour"), "31.3": (12, "107.64", "day")}}),
    ("arrived the next day at noon: 18 hours (161,46) beat ст. 23.1 for one day (22,86) — not both",
     {"seller": SELLER, "order": {"delivered_on": "2026-11-03", "delivered_at": "12:00"}}, ON,
     {"penalties": {"28": (18, "161.46", "hour"), "31.3": (12, "107.64", "day")}, "absent": ["23.1"],
      "not_owed": ["не складываются"]}),
    ("arrived three days late, no slot: ст. 23.1 on the goods (68,57) beats ст. 28 by days (26,91)",
     {"seller": SELLER, "order": {"delivered_on": "2026-11-05", "delivery_window": DROP}}, ON,
     {"penalties": {"23.1": (3, "68.57", "day"), "31.3": (12, "107.64", "day")}, "absent": ["28"]}),
    ("never arrived: ст. 23.1 runs on the goods' prepayment; the fee's ст. 31 п. 3 is not stacked on the same days",
     {"seller": SELLER, "demands": [{"kind": "refund", "amount": "4571.00"}, {"kind": "refund", "amount": "299.00"}]}, ON,
     {"penalties": {"23.1": (23, "525.67", "day")}, "absent": ["28", "31.3"], "not_owed": ["не складываются"]}),
    ("never arrived, the seller on the receipt not given: the aggregator is not charged the seller's ст. 23.1 "
     "penalty (law.md §0b.9: it owes the prepayment, п. 2.4 ст. 12); the console says what is lost and why",
     {"demands": [{"kind": "refund", "amount": "4571.00"}, {"kind": "refund", "amount": "299.00"}]}, ON,
     {"to": "company", "absent": ["23.1"], "not_owed": ["п. 3 ст. 23.1", "525,67", "продавец", "п. 2.4 ст. 12"]}),
    ("never arrived, free delivery: ст. 23.1 on the whole sum; ст. 28 has no base",
     {"seller": SELLER, "order": {"delivery_fee": DROP}, "demands": [{"kind": "refund", "amount": "4870.00"}]}, ON,
     {"penalties": {"23.1": (23, "560.05", "day")}, "absent": ["28", "31.3"], "not_owed": ["бесплатна"]}),
    ("law.md P2: prepayment 4 870, due 10.06.2025, not delivered, on 30.06.2025 → 20 days, 487,00",
     {"seller": SELLER, "order": {"date": "2025-06-01", "delivery_due": "2025-06-10", "delivery_window": DROP, "delivery_fee": DROP},
      "demands": [{"kind": "refund", "amount": "4870.00"}],
      "submission": {"sent_on": "2025-06-11", "received_on": "2025-06-11"}}, dt.date(2025, 6, 30),
     {"penalties": {"23.1": (20, "487.00", "day")}}),
    ("never arrived and no promised date: no penalty, the console asks for order.delivery_due",
     {"order": {"delivery_due": DROP, "delivery_window": DROP},
      "demands": [{"kind": "refund", "amount": "4571.00"}]}, ON,
     {"penalties": {}, "absent": ["23.1", "28"], "notes": ["order.delivery_due"]}),
    ("law.md P4a: the fee refund ignored — ст. 31 п. 3, received 12.01.2026, on 30.01.2026 → 8 days, 71,76",
     {"order": {"date": "2026-01-10", "delivery_due": "2026-01-10", "delivered_on": "2026-01-10",
                "delivered_at": "18:30"},
      "submission": {"sent_on": "2026-01-12", "received_on": "2026-01-12"}}, dt.date(2026, 1, 30),
     {"penalties": {"31.3": (8, "71.76", "day")}, "absent": ["28", "23.1"]}),
    ("missing items without a promised date: due the day the order arrived, ст. 23.1 on their price",
     {"seller": SELLER, "order": {"delivery_due": DROP, "delivery_window": DROP, "delivered_on": "2026-11-05", "items": MISSING,
                "amount": "1229.60", "delivery_fee": DROP},
      "problem": {"kind": "missing_items"}, "demands": [{"kind": "refund"}]}, ON,
     {"penalties": {"23.1": (20, "93.89", "day")}, "amount": ("refund", "938.90"), "to": "company"}),
    ("missing items with a promised date the day before they arrived: counted from the promised date",
     {"seller": SELLER, "order": {"delivery_due": "2026-11-04", "delivery_window": DROP, "delivered_on": "2026-11-05",
                "items": MISSING, "amount": "1229.60", "delivery_fee": DROP},
      "problem": {"kind": "missing_items"}, "demands": [{"kind": "refund"}]}, ON,
     {"penalties": {"23.1": (21, "98.58", "day")}}),
    ("missing items and no date at all: no penalty, the console says which field to give",
     {"order": {"delivery_due": DROP, "delivery_window": DROP, "items": MISSING, "amount": "1229.60",
                "delivery_fee": DROP},
      "problem": {"kind": "missing_items"}, "demands": [{"kind": "refund"}]}, ON,
     {"penalties": {}, "not_owed": ["order.delivered_on"]}),
    ("expired goods through the aggregator, seller on the receipt: claim and suit go to the seller, ст. 23 capped",
     {"seller": SELLER, "order": {"items": YOGURT, "amount": "1250.50", "delivery_fee": DROP},
      "problem": {"kind": "expired_goods"}, "demands": [{"kind": "refund", "amount": "1250.50"}]}, ON,
     {"to": "seller", "copy": "company", "defendants": ["seller"], "penalties": {"23": (12, "150.06", "day")},
      "cap": ("23", "1250.50"), "grounds": ["п. 5 ст. 5", "п. 1 ст. 18", "п. 2.2 ст. 12"]}),
    ("expired goods through the aggregator, no seller: the claim may go to the aggregator, the suit is refused",
     {"order": {"items": YOGURT, "amount": "1250.50", "delivery_fee": DROP}, "problem": {"kind": "expired_goods"},
      "demands": [{"kind": "refund", "amount": "1250.50"}]}, ON,
     {"to": "company", "blocked": True, "defendants": []}),
    ("expired goods from a shop that is not an aggregator: the shop is the seller and the defendant",
     {"company": {"aggregator": False}, "order": {"items": YOGURT, "amount": "1250.50", "delivery_fee": DROP},
      "problem": {"kind": "expired_goods"}, "demands": [{"kind": "refund", "amount": "1250.50"}]}, ON,
     {"to": "company", "defendants": ["company"], "blocked": False, "penalties": {"23": (12, "150.06", "day")},
      "no_grounds": ["ст. 12"]}),
    ("law.md P1: poor quality, term ended before 01.02.2026 → 20 days, 250,10, no cap (Пленум № 17 п. 32)",
     {"company": {"aggregator": False}, "order": {"date": "2025-03-01", "delivery_due": DROP,
                                                   "delivery_window": DROP, "delivery_fee": DROP,
                                                   "amount": "1250.50"},
      "problem": {"kind": "poor_quality"}, "demands": [{"kind": "refund", "amount": "1250.50"}],
      "submission": {"sent_on": "2025-03-03", "received_on": "2025-03-03"}}, dt.date(2025, 4, 2),
     {"penalties": {"23": (20, "250.10", "day")}, "cap": ("23", None)}),
    ("ст. 23 after 500-ФЗ reaches its cap: the price of the goods",
     {"company": {"aggregator": False}, "order": {"date": "2026-02-27", "delivery_due": DROP,
                                                   "delivery_window": DROP, "delivery_fee": DROP,
                                                   "amount": "1250.50"},
      "problem": {"kind": "poor_quality"}, "demands": [{"kind": "refund", "amount": "1250.50"}],
      "submission": {"sent_on": "2026-03-02", "received_on": "2026-03-02"}}, ON,
     {"penalties": {"23": (258, "1250.50", "day")}, "capped": ["23"]}),
    ("late and melted in one order: the aggregator for the delivery (the main problem, first), the seller for the goods",
     {"seller": SELLER, "order": {"delivered_on": "2026-11-02", "delivered_at": "20:30", "amount": "1549.50",
                                  "items": [{"name": "Мороженое", "quantity": 2, "price": "625.25",
                                             "issue": "poor_quality"}]},
      "problem": {"kind": "late_delivery", "also": ["poor_quality"]},
      "demands": [{"kind": "refund"}, {"kind": "refund", "amount": "299.00"}]}, ON,
     {"to": "company", "copy": "seller", "joint": True, "defendants": ["company", "seller"],
      "penalties": {"28": (2, "17.94", "hour"), "23": (12, "150.06", "day"), "31.3": (12, "107.64", "day")},
      "liable": {"23": "seller", "28": "company", "31.3": "company"}, "amount": ("refund", "1250.50")}),
    ("wrong items through the aggregator with the seller: the seller answers (ст. 12 п. 2.2)",
     {"seller": SELLER, "order": {"items": [{"name": "Кефир", "quantity": 1, "price": "120.00",
                                             "issue": "wrong_items"}], "amount": "419.00"},
      "problem": {"kind": "wrong_items"}, "demands": [{"kind": "refund"}]}, ON,
     {"to": "seller", "defendants": ["seller"], "penalties": {"23": (12, "14.40", "day")},
      "amount": ("refund", "120.00")}),
    ("double charge: ст. 395 interest is named, no ЗоЗПП penalty",
     {"problem": {"kind": "overcharge"}, "demands": [{"kind": "refund", "amount": "4870.00"}]}, ON,
     {"penalties": {}, "interest": True, "not_owed": ["ст. 395"]}),
    ("refund for a refused order not returned: ст. 26.1 п. 4, interest under ст. 395",
     {"problem": {"kind": "refund_not_received"}, "demands": [{"kind": "refund", "amount": "4870.00"}]}, ON,
     {"penalties": {}, "interest": True, "grounds": ["п. 4 ст. 26.1"]}),
    ("a rude courier: moral damages only, no penalty",
     {"problem": {"kind": "courier_conduct"}, "demands": [{"kind": "moral_damages", "amount": "3000"}]}, ON,
     {"penalties": {}, "not_owed": ["курьера"]}),
    ("a fee partly refunded by a price reduction: worded as a reduction of the service's price",
     {"order": {"delivered_on": "2026-11-02", "delivered_at": "22:40"},
      "demands": [{"kind": "price_reduction", "amount": "150.00"}]}, ON,
     {"subject": "delivery_fee", "text": ["уменьшить цену этой услуги", "п. 1 ст. 28"]}),
    ("the preset decides the aggregator unless the case says otherwise",
     {"company": {"aggregator": False}, "seller": SELLER,
      "order": {"items": YOGURT, "amount": "1250.50", "delivery_fee": DROP}, "problem": {"kind": "expired_goods"},
      "demands": [{"kind": "refund", "amount": "1250.50"}]}, ON,
     {"aggregator": False, "to": "seller", "copy": "company", "no_grounds": ["ст. 12"]}),
    ("received before the New Year holidays: the 10th day 01.01.2027 moves to Mon 11.01.2027 (ГК ст. 193)",
     {"company": {"aggregator": False}, "order": {"date": "2026-12-20", "delivery_due": DROP,
                                                   "delivery_window": DROP, "delivery_fee": DROP,
                                                   "amount": "1250.50"},
      "problem": {"kind": "poor_quality"}, "demands": [{"kind": "refund", "amount": "1250.50"}],
      "submission": {"sent_on": "2026-12-22", "received_on": "2026-12-22"}}, dt.date(2027, 1, 15),
     {"last_day": dt.date(2027, 1, 11), "penalties": {"23": (4, "50.02", "day")}}),
    ("a claim sent through the app: the receipt date is an estimate, and the console says so",
     {"company": {"aggregator": False}, "order": {"delivery_due": DROP, "delivery_window": DROP,
                                                   "delivery_fee": DROP, "amount": "1250.50"},
      "problem": {"kind": "poor_quality"}, "demands": [{"kind": "refund", "amount": "1250.50"}],
      "submission": {"channel": "app", "received_on": None}}, ON,
     {"estimated": True, "penalties": {"23": (12, "150.06", "day")}, "notes": ["предполагаемой"]}),
]


def case_of(facts: dict):
    data = merge(BASE, facts)
    if data["submission"].get("received_on") is None:
        data["submission"].pop("received_on", None)
    report = validate_data(data, today=dt.date(2027, 6, 1))
    return report.raise_for_errors()


@pytest.mark.parametrize(("name", "facts", "on", "expect"), SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_scenario(name, facts, on, expect):
    a = analyze(case_of(facts), on)
    role = {a.roles.company.name: "company"}
    if a.roles.seller is not None and a.roles.seller is not a.roles.company:
        role[a.roles.seller.name] = "seller"
    if "to" in expect:
        assert role[a.addressee.name] == expect["to"]
    if "copy" in expect:
        assert a.copy_to is not None and role[a.copy_to.name] == expect["copy"]
    if "joint" in expect:
        assert a.joint is expect["joint"]
    if "defendants" in expect:
        assert [role[p.name] for p in a.defendants] == expect["defendants"]
    if "blocked" in expect:
        assert bool(a.court_blocker) is expect["blocked"]
        if expect["blocked"]:
            assert "seller" in a.court_blocker and "п. 2.2 ст. 12" in a.court_blocker
    if "aggregator" in expect:
        assert a.roles.aggregator is expect["aggregator"]
    charged = {p.norm: p for p in a.penalties if p.started}
    if "penalties" in expect:
        got = {n: (p.count, f"{p.amount:.2f}", p.unit) for n, p in charged.items()}
        assert got == expect["penalties"], a.console()
    for norm in expect.get("absent", []):
        assert norm not in charged
    for words in expect.get("not_owed", []):
        assert any(words in line for line in a.not_owed), a.not_owed
    for words in expect.get("notes", []):
        assert any(words in line for line in a.console()), a.console()
    if "cap" in expect:
        norm, cap = expect["cap"]
        assert (None if charged[norm].cap is None else f"{charged[norm].cap:.2f}") == cap
    for norm in expect.get("capped", []):
        assert charged[norm].capped and charged[norm].amount == charged[norm].cap
    for norm, who in expect.get("liable", {}).items():
        assert charged[norm].liable == who
    if "amount" in expect:
        kind, amount = expect["amount"]
        assert f"{next(d.amount for d in a.demands if d.kind == kind):.2f}" == amount
    if "interest" in expect:
        assert bool(a.interest) is expect["interest"]
    texts = [g.text for g in a.grounds()]
    for words in expect.get("grounds", []):
        assert any(words in t for t in texts), texts
    for words in expect.get("no_grounds", []):
        assert not any(words in t for t in texts), texts
    if "subject" in expect:
        assert a.demands[0].subject == expect["subject"]
    for words in expect.get("text", []):
        assert words in a.demands[0].text
    if "last_day" in expect:
        assert a.deadline.last_day == expect["last_day"]
    if "estimated" in expect:
        assert a.deadline.estimated is expect["estimated"]


def test_the_table_covers_at_least_25_situations():
    assert len(SCENARIOS) >= 25
    assert len({s[0] for s in SCENARIOS}) == len(SCENARIOS)


def test_the_analysis_is_pure_the_same_case_and_date_give_the_same_result():
    case = case_of(SCENARIOS[0][1])
    first, second = analyze(case, ON), analyze(case, ON)
    assert [(p.norm, p.amount) for p in first.penalties] == [(p.norm, p.amount) for p in second.penalties]
    assert case_of(SCENARIOS[0][1]).model_dump() == case.model_dump()
