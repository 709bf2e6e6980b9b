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
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from complaint_cli.law.calc import rub
from complaint_cli.law.deadlines import Deadline, Ground, case_deadline, fmt_date
from complaint_cli.law.demands import (
    SUBJECT_WORDS,
    DemandLine,
    _demands,
    _term_key,
    default_amount,
    fee_rule,
)
from complaint_cli.law.facts import (
    LAW,
    AffectedItem,
    Delivery,
    Violation,
    _end,
    _violation,
    case_kinds,
    delivery_facts,
    goods_prepayment,
)
from complaint_cli.law.penalties import PenaltyLine, _penalties
from complaint_cli.law.roles import Party, Roles, roles
from complaint_cli.model import Case
from complaint_cli.money import hours_phrase

__all__ = ["ANALYSIS_FIELDS", "AffectedItem", "Analysis", "Delivery", "DemandLine", "LAW", "PenaltyLine", "SUBJECT_WORDS",
           "Violation", "_end", "analyze", "case_kinds", "deadline_for", "default_amount", "delivery_facts",
           "fee_rule", "goods_prepayment", "hours_phrase"]
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

    def as_dict(self) -> dict[str, Any]:
        """The analysis for scripts (``complaint calc case --json``): every figure as a string, dates ISO."""
        def money(x: Decimal | None) -> str | None:
            return f"{x:.2f}" if x is not None else None

        def party(p: Party | None) -> dict[str, Any] | None:
            return None if p is None else {"name": p.name, "address": p.address, "inn": p.inn, "ogrn": p.ogrn}

        d = self.deadline
        return {
            "on": self.on.isoformat(),
            "roles": {"company": party(self.roles.company), "aggregator": self.roles.aggregator,
                      "seller": party(self.roles.seller), "seller_known": self.roles.seller_known},
            "addressee": party(self.addressee), "copy_to": party(self.copy_to), "joint": self.joint,
            "defendants": [party(p) for p in self.defendants], "court_blocker": self.court_blocker,
            "violations": [{"kind": v.kind, "facts": v.facts, "liable": v.liable,
                            "goods_amount": money(v.goods_amount), "norms": [g.text for g in v.grounds]}
                           for v in self.violations],
            "demands": [{"number": x.number, "kind": x.kind, "subject": x.subject, "amount": money(x.amount),
                         "liable": x.liable, "article": x.rule.article, "days": x.rule.days, "text": x.text}
                        for x in self.demands],
            "deadline": d.last_day.isoformat() if d.last_day else None,
            "deadline_estimated": d.estimated,
            "penalties": [{"norm": p.norm, "article": p.article, "base": money(p.base), "rate": f"{p.rate}",
                           "unit": p.unit, "from": p.start.isoformat(), "to": p.end.isoformat() if p.end else None,
                           "count": p.count, "raw": money(p.raw), "cap": money(p.cap), "amount": money(p.amount),
                           "running": p.running, "liable": p.liable} for p in self.penalties],
            "penalty_total": money(self.penalty_total),
            "not_owed": list(self.not_owed),
            "notes": list(self.notes),
        }

    def describe(self) -> list[str]:
        """The analysis in Russian lines for the terminal (``complaint calc case``)."""
        r = self.roles
        lines = [f"Правовой анализ на {fmt_date(self.on)}"]
        lines.append(f"Компания: {r.company.name} — {r.company_role}.")
        if r.aggregator:
            lines.append(f"Продавец по чеку: {r.seller.name}." if r.seller_known and r.seller else
                         "Продавец по чеку: не указан (seller).")
        to = self.addressee.name + (f" и {self.copy_to.name}" if self.joint and self.copy_to else "")
        lines.append(f"Претензия: {to}" + (f" (копия — {self.copy_to.name})" if self.copy_to and not self.joint
                                           else "") + ".")
        lines.append("Ответчик(и): " + ("; ".join(p.name for p in self.defendants) or self.court_blocker or "—"))
        for v in self.violations:
            lines.append(f"Нарушение: {v.facts} Нормы: {'; '.join(g.text for g in v.grounds)}.")
        for x in self.demands:
            term = f"{x.rule.days} дн., {x.rule.article}" if x.rule.days else x.rule.article
            lines.append(f"Требование {x.number}: {x.words}" + (f" — {rub(x.amount)}" if x.amount is not None
                                                                else "") + f" (срок: {term}).")
        if self.deadline.last_day:
            lines.append(f"Последний день срока: {fmt_date(self.deadline.last_day)}"
                         + (" (по предполагаемой дате получения)" if self.deadline.estimated else "") + ".")
        for p in self.penalties:
            if p.started:
                lines.append(f"Неустойка по {p.short}: {p.period()}: {p.formula()} → {rub(p.amount)}"
                             + (" (начисляется дальше)" if p.running and not p.capped else ""))
            else:
                lines.append(f"Неустойка по {p.short}: начнётся с {fmt_date(p.start)}, если требования не будут "
                             "удовлетворены в срок.")
        lines.append(f"Итого неустойка: {rub(self.penalty_total)}")
        lines += [f"Не взыскивается: {x}" for x in self.not_owed]
        lines += [f"Примечание: {x}" for x in self.notes]
        return lines

    def console(self) -> list[str]:
        """What the user should know and the letters do not say: assumptions, and what is not owed and why."""
        return list(dict.fromkeys([*self.notes, *self.not_owed]))


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
                           "Закона РФ «О защите прав потребителей»). Укажите продавца — название и адрес из чека (в файле дела: "
                           "seller.name, seller.address) — и повторите.")
        a.notes.append("seller: продавец из чека не указан — претензия о качестве товара адресована владельцу "
                       "агрегатора; иск о качестве к нему не составляется (п. 2.2 ст. 12).")
    if a.joint:
        a.notes.append("Претензия адресована двум организациям: отправьте экземпляр каждой (отдельными письмами). Срок "
                       "для каждой считается от получения ею претензии; программа считает от одной даты "
                       "(в файле дела: submission.received_on) — укажите более позднюю из двух.")


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
