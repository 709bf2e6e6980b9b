"""The sums as of a date and the draft court claim (исковое заявление, ГПК ст. 131–132; law.md §3–4).

:func:`escalation_sums` computes what is owed on a date — the principal demands, the неустойка of each norm
(ст. 23, 23.1, 28 via :func:`complaint_cli.law.calc.penalty`) and the ст. 395 interest (named, never computed); the
repeat claim and the court claim both state it. :func:`court_context` is the context of ``templates/court.docx``:
who is sued follows the first claim (law.md §1.5, :func:`complaint_cli.claim.parties`), the court, the state duty
and the fine come from :mod:`complaint_cli.law.calc`. Data the case lacks (birth date and place, an identifier, the
moral-damages amount, the court's name) become blanks «____» listed in the warnings — never guesses.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from complaint_cli.law.calc import (
    CAP_23_FROM,
    NORMS,
    CourtKind,
    PenaltyResult,
    claim_value,
    court_calculation,
    court_for,
    penalty,
    percent,
    rub,
)
from complaint_cli.claim import CLAIM_VARIABLES, LAW, REFUND_TARGET, claimant_context, parties
from complaint_cli.law.deadlines import Deadline, demand_rule, fmt_date
from complaint_cli.language import bind_legal, capitalize_first, initials, legal_form_dative, legal_form_genitive
from complaint_cli.model import Case
from complaint_cli.money import days_phrase, format_amount

BLANK = "____"
# Short forms for the letters (calc.NORMS has the long ones with the article in full).
NORM_SHORT: dict[str, str] = {"23": "ст. 23", "23.1": "ст. 23.1", "28": "ст. 28"}
NORM_BASE: dict[str, str] = {"23": "цены товара", "23.1": "суммы предварительной оплаты товара", "28": "цены услуги"}
NORM_CAP: dict[str, str] = {"23": "цена товара", "23.1": "сумма предварительной оплаты", "28": "цена услуги"}
DEFAULT_COURT = {
    CourtKind.MAGISTRATE: f"Мировому судье судебного участка № {BLANK}",
    CourtKind.DISTRICT: f"В {BLANK} районный (городской) суд",
}
_IDENTIFIER_LABELS = ("снилс", "инн", "паспорт", "огрнип", "водительское", "свидетельство")

COURT_VARIABLES: dict[str, str] = {
    "court.name": "суд: «Мировому судье судебного участка № ____», «В ____ районный (городской) суд» или --court-name",
    "plaintiff.full_name": "ФИО истца (именительный падеж)",
    "plaintiff.name_genitive": "ФИО истца в родительном падеже («в пользу …»)",
    "plaintiff.birth": "дата и место рождения или «____, ____»",
    "plaintiff.address": "место жительства истца",
    "plaintiff.identifier": "один из идентификаторов (СНИЛС, ИНН, паспорт …) или пропуск",
    "plaintiff.contacts": "«тел.: …, e-mail: …»",
    "representative": "представитель истца, если он есть в деле, иначе пусто",
    "representative.full_name": "ФИО представителя",
    "representative.address": "адрес представителя",
    "representative.power": "«доверенность от … № …» (или пропуск)",
    "defendant.name": "ответчик: продавец или сервис (law.md §1.5)",
    "defendant.name_genitive": "ответчик в родительном падеже («взыскать с …»)",
    "defendant.name_dative": "ответчик в дательном падеже («к …» в заголовке расчёта)",
    "defendant.address": "адрес ответчика",
    "defendant.ids": "«ИНН …, ОГРН …» или пусто",
    "claim_value": "цена иска цифрами и прописью",
    "duty_short": "госпошлина для шапки: «не уплачивается (…)» или сумма",
    **{k: v for k, v in CLAIM_VARIABLES.items() if k.startswith("facts.")},
    "problem.description": "описание проблемы дословно",
    "history": "абзацы о претензии: отправка, получение, срок, ответ",
    "grounds": "правовые основания (список)",
    "penalties": "абзацы расчёта неустойки на дату документа",
    "penalty_started": "истина, если неустойка уже начисляется",
    "interest": "абзацы о процентах по ст. 395 ГК РФ (без суммы) или пустой список",
    "moral_sentence": "обоснование компенсации морального вреда с суммой или пропуском",
    "costs_sentence": "судебные расходы, которые просит взыскать истец, или пусто",
    "jurisdiction": "подсудность: цена иска, мировой судья или районный суд, выбор суда потребителем",
    "duty_sentence": "освобождение от госпошлины (НК ст. 333.36) или её сумма",
    "articles": "статьи для фразы «руководствуясь …»",
    "prayer": "пункты «ПРОШУ:» (взыскать с … в пользу …)",
    "attachments": "приложения по ст. 132 ГПК РФ",
    "calculation": "строки расчёта взыскиваемых сумм (отдельный лист после подписи)",
    "signer_role": "«Представитель истца по доверенности» или пусто",
    "signature": "инициалы и фамилия подписывающего",
    "page_break": "разрыв страницы перед расчётом (служебная переменная)",
    "date": "дата документа ДД.ММ.ГГГГ (--on)",
}


# --------------------------------------------------------------------------- the sums


@dataclass(frozen=True)
class PenaltyLine:
    """One norm's неустойка as of a date; ``result`` is None while it has not started accruing."""

    norm: str
    base: Decimal
    start: dt.date
    result: PenaltyResult | None
    base_note: str | None = None

    @property
    def amount(self) -> Decimal:
        return self.result.amount if self.result else Decimal("0.00")


@dataclass(frozen=True)
class MoneyDemand:
    kind: str
    label: str
    amount: Decimal


@dataclass
class Sums:
    """Everything that is owed as of ``on``: principal demands, penalties, ст. 395 interest (no sum)."""

    on: dt.date
    principal: list[MoneyDemand]
    penalties: list[PenaltyLine]
    interest: list[tuple[Decimal | None, dt.date | None]]
    notes: list[str] = field(default_factory=list)

    @property
    def penalty_total(self) -> Decimal:
        return sum((p.amount for p in self.penalties), Decimal("0.00"))

    @property
    def principal_total(self) -> Decimal:
        return sum((d.amount for d in self.principal if d.kind != "compensation"), Decimal("0.00"))

    @property
    def losses_total(self) -> Decimal:
        return sum((d.amount for d in self.principal if d.kind == "compensation"), Decimal("0.00"))


def money_demands(case: Case) -> list[MoneyDemand]:
    """The property demands with a sum (refund, price reduction, losses) — moral damages are not among them."""
    problem = case.problem.kind.value if case.problem.kind else "other"
    labels = {
        "refund": REFUND_TARGET.get(problem, "уплаченные денежные средства").rstrip(","),
        "price_reduction": "денежные средства в счёт соразмерного уменьшения цены",
        "compensation": "убытки",
    }
    return [
        MoneyDemand(d.kind.value, labels[d.kind.value], d.amount)
        for d in case.demands
        if d.kind and d.kind.value in labels and d.amount is not None
    ]


def escalation_sums(case: Case, deadline: Deadline, on: dt.date) -> Sums:
    """Penalties per norm (ст. 23, 23.1, 28) as of ``on``; ст. 395 interest is named, never computed."""
    from complaint_cli.law.calc import no_penalty_reason

    problem = case.problem.kind.value if case.problem.kind else "other"
    sums = Sums(on=on, principal=money_demands(case), penalties=[], interest=[])
    by_norm: dict[str, list[str]] = {}
    for d in case.demands:
        if d.kind is None:
            continue
        norm = demand_rule(problem, d.kind.value).penalty_norm
        if norm in NORMS or norm == "395":
            by_norm.setdefault(norm, []).append(d.kind.value)  # type: ignore[arg-type]
        elif d.kind.value not in {"moral_damages", "apology", "other"}:
            reason = no_penalty_reason(problem, d.kind.value)
            if reason and reason not in sums.notes:
                sums.notes.append(reason)
    for norm, kinds in by_norm.items():
        if norm == "395":
            _add_interest(case, deadline, kinds, sums, problem)
            continue
        due = _norm_deadline(case, deadline, norm, kinds)
        if due is None and norm == "23.1":
            continue  # deadlines.case_deadline already asks for order.delivery_due
        if due is None:
            sums.notes.append(
                f"Неустойка по {NORMS[norm].article} не рассчитана: "
                + ("не указана дата доставки по договору (order.delivery_due)." if norm == "23.1"
                   else "неизвестна дата получения претензии.")
            )
            continue
        base, note = _penalty_base(case, norm, kinds)
        if base is None:
            sums.notes.append(f"Неустойка по {NORMS[norm].article} не рассчитана: неизвестна её база.")
            continue
        result = penalty(norm, base, due, on) if on > due else None
        sums.penalties.append(PenaltyLine(norm, base, due + dt.timedelta(days=1), result, note))
        if note:
            sums.notes.append(note)
        for caveat in result.caveats if result else ():
            if caveat not in sums.notes:
                sums.notes.append(caveat)
    if deadline.estimated and sums.penalties:
        sums.notes.append("Неустойка рассчитана от предполагаемой даты получения претензии: уточните её.")
    return sums


def _norm_deadline(case: Case, deadline: Deadline, norm: str, kinds: list[str]) -> dt.date | None:
    """ст. 23.1 runs from the contractual delivery date; ст. 23 and 28 from the last day of the claim's term."""
    if norm == "23.1":
        return case.order.delivery_due
    days = [t.last_day for k in kinds if (t := deadline.demand_terms.get(k)) is not None]
    return min(days) if days else None


def _penalty_base(case: Case, norm: str, kinds: list[str]) -> tuple[Decimal | None, str | None]:
    """The base of the penalty: the price of the goods / the prepayment (ст. 23, 23.1), the service price (ст. 28)."""
    amounts = {d.kind.value: d.amount for d in case.demands if d.kind and d.amount is not None}
    if norm == "28":
        if case.order.delivery_fee:
            return case.order.delivery_fee, None
        for kind in kinds:
            if kind in amounts:
                return amounts[kind], None
    elif "refund" in kinds and "refund" in amounts:
        return amounts["refund"], None
    if case.order.amount:
        what = "цена услуги" if norm == "28" else "цена товара (сумма предоплаты)"
        return case.order.amount, (
            f"База неустойки по {NORMS[norm].article} принята равной сумме заказа ({rub(case.order.amount)}): "
            f"если {what} меньше, исправьте расчёт."
        )
    return None, None


def _add_interest(case: Case, deadline: Deadline, kinds: list[str], sums: Sums, problem: str) -> None:
    from complaint_cli.law.calc import no_penalty_reason

    amounts = [d.amount for d in case.demands if d.kind and d.kind.value in kinds and d.amount is not None]
    base = sum(amounts, Decimal("0.00")) if amounts else None
    terms = [t.last_day for k in kinds if (t := deadline.demand_terms.get(k)) is not None]
    start = min(terms) + dt.timedelta(days=1) if terms else None
    sums.interest.append((base, start))
    reason = no_penalty_reason(problem, kinds[0])
    if reason and reason not in sums.notes:
        sums.notes.append(reason)


def penalty_paragraph(line: PenaltyLine) -> str:
    """«Неустойка по п. 3 ст. 23.1 … (0,5 % … за каждый день просрочки) за период с … по … (23 дня): формула — сумма»."""
    spec = NORMS[line.norm]
    head = f"Неустойка по {spec.article} ({percent(spec.rate)} {NORM_BASE[line.norm]} за каждый день просрочки)"
    r = line.result
    if r is None:
        return bind_legal(f"{head} начисляется с {fmt_date(line.start)} (со дня, следующего за последним днём срока), "
                          "если требования не будут удовлетворены в срок.")
    formula = f"{percent(r.rate)} × {rub(r.base)} × {days_phrase(r.days)} = {rub(r.raw_amount)}"
    if r.capped:
        formula += f", но не более {rub(r.cap)} ({NORM_CAP[line.norm]})"  # type: ignore[arg-type]
    text = (
        f"{head} за период с {fmt_date(r.period_from)} по {fmt_date(r.period_to)} ({days_phrase(r.days)}): "
        f"{formula}; итого {format_amount(r.amount)}."
    )
    if line.base_note:
        text += " База расчёта — сумма заказа."
    return bind_legal(text)


def penalty_cap(line: PenaltyLine) -> Decimal | None:
    """The statutory cap of a penalty (calc.penalty's rule: ст. 23 is capped only from 01.02.2026, 500-ФЗ)."""
    if line.result is not None:
        return line.result.cap
    return line.base if line.norm != "23" or line.start > CAP_23_FROM else None


def accrual_sentence(penalties: list[PenaltyLine]) -> str:
    """That the penalty keeps accruing until performance, and the statutory caps («не более …»)."""
    caps, done = [], []
    for line in penalties:
        cap = penalty_cap(line)
        if line.result is not None and line.result.capped:
            done.append(f"по {NORM_SHORT[line.norm]} неустойка достигла предельного размера ({NORM_CAP[line.norm]})")
        elif cap is not None:
            caps.append(f"по {NORM_SHORT[line.norm]} — не более {rub(cap)} ({NORM_CAP[line.norm]})")
    text = "Неустойка продолжает начисляться по день фактического исполнения обязательства"
    if caps:
        text += "; её общий размер ограничен законом: " + ", ".join(caps)
    if done:
        text += "; " + "; ".join(done)
    return text + "."


def interest_paragraphs(sums: Sums) -> list[str]:
    out = []
    for base, start in sums.interest:
        on_what = f" на сумму {rub(base)}" if base is not None else ""
        since = f" с {fmt_date(start)}" if start is not None else ""
        out.append(bind_legal(
            f"За неправомерное удержание денежных средств подлежат уплате проценты{on_what} по ст. 395 ГК РФ"
            f"{since} по день их фактического возврата (по ключевой ставке Банка России)."
        ))
    return out



# --------------------------------------------------------------------------- the court claim


def moral_amount(case: Case, moral_damages: Decimal | None) -> Decimal | None:
    """The moral-damages sum: the command option, else the amount of a «moral_damages» demand of the case."""
    if moral_damages is not None:
        return moral_damages
    return next((d.amount for d in case.demands if d.kind and d.kind.value == "moral_damages" and d.amount), None)


def missing_court_data(case: Case, moral_damages: Decimal | None, court_name: str | None) -> list[tuple[str, str]]:
    """What ГПК ст. 131 needs but the case lacks: (field or option, Russian description)."""
    c = case.claimant
    missing = []
    if not c.birth_date:
        missing.append(("claimant.birth_date", "дата рождения истца"))
    if not c.birth_place:
        missing.append(("claimant.birth_place", "место рождения истца"))
    if not c.identifier:
        missing.append(("claimant.identifier", "идентификатор истца (СНИЛС, ИНН или серия и номер паспорта)"))
    if moral_amount(case, moral_damages) is None:
        missing.append(("--moral-damages", "размер компенсации морального вреда"))
    if not court_name:
        missing.append(("--court-name", "наименование суда (номер судебного участка)"))
    rep = case.representative
    if rep is not None and rep.full_name and not rep.power_of_attorney:
        missing.append(("representative.power_of_attorney", "реквизиты доверенности представителя"))
    return missing


def _identifier(value: str | None) -> str:
    if not value:
        return f"идентификатор (СНИЛС, ИНН или паспорт): {BLANK}"
    return value if value.lower().startswith(_IDENTIFIER_LABELS) else f"идентификатор: {value}"


def _prayer(case: Case, sums: Sums, defendant_gen: str, plaintiff_gen: str, moral: Decimal | None,
            costs: tuple[tuple[str, Decimal], ...], notes: list[str]) -> list[str]:
    take = f"Взыскать с {defendant_gen} в пользу {plaintiff_gen}"
    items = [f"{take} {_comma(d.label)} в размере {format_amount(d.amount)}." for d in sums.principal]
    for line in sums.penalties:
        items.append(_penalty_prayer(take, line))
    for base, start in sums.interest:
        on_what = f", начисленные на сумму {rub(base)}," if base is not None else ""
        since = f" с {fmt_date(start)}" if start else ""
        items.append(f"{take} проценты за пользование чужими денежными средствами (ст. 395 ГК РФ){on_what}{since} "
                     "по день фактического исполнения обязательства.")
    for d in case.demands:
        kind = d.kind.value if d.kind else ""
        if kind == "deliver":
            items.append("Обязать ответчика передать мне оплаченный товар.")
        elif kind == "replacement":
            items.append("Обязать ответчика заменить товар ненадлежащего качества на аналогичный товар "
                         "надлежащего качества.")
        elif kind in {"apology", "other"}:
            notes.append("Иск: требование «" + ("извинения и проверка" if kind == "apology" else (d.text or ""))
                         + "» в иск не перенесено — суд такие требования обычно не рассматривает; при необходимости "
                         "сформулируйте его сами.")
    items.append(f"{take} компенсацию морального вреда в размере "
                 + (f"{format_amount(moral)}." if moral is not None else f"{BLANK} руб."))
    items.append(f"{take} штраф в размере 50 % от суммы, присуждённой судом в пользу потребителя (п. 6 ст. 13 {LAW}).")
    if costs:
        listed = "; ".join(f"{label} — {format_amount(amount)}" for label, amount in costs)
        items.append(f"{take} судебные расходы: {listed}.")
    return [bind_legal(i) for i in items]


def _penalty_prayer(take: str, line: PenaltyLine) -> str:
    spec = NORMS[line.norm]
    r = line.result
    daily = f"в размере {percent(spec.rate)} от {rub(line.base)} за каждый день просрочки"
    cap = penalty_cap(line)
    limit = f", но не более {rub(cap)} в общей сумме" if cap is not None else ""
    if r is None:
        return (f"{take} неустойку по {spec.article} с {fmt_date(line.start)} по день фактического исполнения "
                f"обязательства {daily}{limit}.")
    text = (f"{take} неустойку по {spec.article} за период с {fmt_date(r.period_from)} по {fmt_date(r.period_to)} "
            f"в размере {format_amount(r.amount)}")
    if r.capped:
        return text + "."
    nxt = fmt_date(r.period_to + dt.timedelta(days=1))
    return text + f", а также неустойку с {nxt} по день фактического исполнения обязательства {daily}{limit}."


def court_context(
    case: Case,
    deadline: Deadline,
    sums: Sums,
    *,
    on: dt.date,
    moral_damages: Decimal | None = None,
    court_name: str | None = None,
    costs: tuple[tuple[str, Decimal], ...] = (),
    refused_on: dt.date | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The court claim's context (see :data:`COURT_VARIABLES`) and the warnings about blanks and sums."""
    from complaint_cli.escalation import base_context, first_claim_attachments, grounds_list, history

    ctx = base_context(case, on)
    notes: list[str] = []
    p = parties(case)
    who = claimant_context(case)
    c = case.claimant
    moral = moral_amount(case, moral_damages)
    value = claim_value(sums.principal_total, sums.losses_total, sums.penalty_total)
    calc = court_calculation(value, moral) if value > 0 or moral else None
    kind = calc.court if calc else court_for(value, has_property_claim=False)
    for field_, label in missing_court_data(case, moral_damages, court_name):
        notes.append(f"Иск: не указано — {label} ({field_}); в тексте оставлен пропуск «{BLANK}».")
    if not court_name:
        notes.append("Иск: суд (участок) определяется по адресу. Потребитель выбирает: по своему месту жительства, "
                     "по месту нахождения ответчика, заключения или исполнения договора (п. 2 ст. 17 Закона РФ "
                     "«О защите прав потребителей», ч. 7 ст. 29 ГПК РФ). Укажите суд: --court-name.")
    if sums.interest:
        notes.append("Иск: проценты по ст. 395 ГК РФ программа не рассчитывает — посчитайте их и добавьте к цене иска.")

    rep = case.representative if case.representative and case.representative.full_name else None
    birth = ", ".join([fmt_date(c.birth_date) if c.birth_date else BLANK, c.birth_place or BLANK])
    contacts = ", ".join(x for x in (f"тел.: {who['phone']}" if who["phone"] else "",
                                     f"e-mail: {who['email']}" if who["email"] else "") if x)
    defendant = ctx["addressee"]
    defendant_gen = legal_form_genitive(p.addressee_name)

    if calc is not None and not calc.exempt:
        duty_short = format_amount(calc.state_duty)
        duty_sentence = (f"Цена иска превышает 1 000 000 руб., поэтому в соответствии с п. 3 ст. 333.36 и подп. 1 "
                         f"п. 1 ст. 333.19 НК РФ уплачена государственная пошлина в размере "
                         f"{format_amount(calc.state_duty)}.")
    else:
        duty_short = f"не уплачивается (п. 3 ст. 17 {LAW}, подп. 4 п. 2, п. 3 ст. 333.36 НК РФ)"
        duty_sentence = (f"Истец как потребитель освобождён от уплаты государственной пошлины (п. 3 ст. 17 {LAW}, "
                         "подп. 4 п. 2, п. 3 ст. 333.36 НК РФ).")
    if value > 0:
        compare = "не превышает" if kind is CourtKind.MAGISTRATE else "превышает"
        whom = "мировому судье" if kind is CourtKind.MAGISTRATE else "районному суду"
        jurisdiction = (f"Цена иска составляет {format_amount(value)} и {compare} 100 000 руб., поэтому дело "
                        f"подсудно {whom} ({kind.article}).")
    else:
        jurisdiction = f"Заявлено неимущественное требование, поэтому дело подсудно районному суду ({kind.article})."
    jurisdiction += (f" Иск предъявляется по выбору истца в соответствии с п. 2 ст. 17 {LAW} и ч. 7 ст. 29 ГПК РФ.")

    if moral is not None:
        moral_sentence = (f"Нарушением прав потребителя мне причинён моральный вред: для его компенсации достаточно "
                          f"факта нарушения прав потребителя (ст. 15 {LAW}; п. 45 постановления Пленума ВС РФ от "
                          f"28.06.2012 № 17). Размер компенсации я оцениваю в {format_amount(moral)}.")
    else:
        moral_sentence = (f"Нарушением прав потребителя мне причинён моральный вред: для его компенсации достаточно "
                          f"факта нарушения прав потребителя (ст. 15 {LAW}; п. 45 постановления Пленума ВС РФ от "
                          f"28.06.2012 № 17). Размер компенсации я оцениваю в {BLANK} руб.")
    costs_sentence = ""
    if costs:
        listed = "; ".join(f"{label} — {format_amount(amount)}" for label, amount in costs)
        costs_sentence = f"Мною понесены судебные расходы (ст. 88, 94, 98 ГПК РФ): {listed}."

    norms = sorted({line.norm for line in sums.penalties}, key=lambda n: float(n))
    articles = f"ст. {', '.join(['13', '15', '17', *norms])} {LAW}, ст. 131, 132 ГПК РФ"

    attachments = ["Документ, подтверждающий направление ответчику копии искового заявления и приложенных к нему "
                   "документов (почтовая квитанция и опись вложения)"]
    if calc is not None and not calc.exempt:
        attachments.append("Документ об уплате государственной пошлины")
    if rep is not None:
        attachments.append(f"Копия доверенности представителя {_power(rep.power_of_attorney)}")
    attachments += first_claim_attachments(case, refused_on) + ctx["attachments"]
    attachments.append("Расчёт взыскиваемых денежных сумм, подписанный " + ("представителем истца" if rep else "истцом"))

    ctx.update({
        "court": {"name": court_name or DEFAULT_COURT[kind], "kind": kind.value},
        "plaintiff": {
            "full_name": who["full_name"], "name_genitive": who["name_genitive"], "birth": birth,
            "address": who["address"], "identifier": _identifier(c.identifier), "contacts": contacts,
        },
        "representative": {
            "full_name": rep.full_name, "address": rep.address or BLANK,
            "power": f"доверенность {_power(rep.power_of_attorney)}",
        } if rep else None,
        "defendant": {"name": p.addressee_name, "name_genitive": defendant_gen,
                      "name_dative": legal_form_dative(p.addressee_name), "address": defendant["address"],
                      "ids": defendant["ids"]},
        "claim_value": format_amount(value),
        "duty_short": bind_legal(duty_short),
        "history": history(case, deadline, on, refused_on=refused_on, who=defendant_gen),
        "grounds": grounds_list(case),
        "penalties": [penalty_paragraph(line) for line in sums.penalties],
        "penalty_started": any(line.amount > 0 for line in sums.penalties),
        "interest": interest_paragraphs(sums),
        "moral_sentence": bind_legal(moral_sentence),
        "costs_sentence": bind_legal(costs_sentence),
        "jurisdiction": bind_legal(jurisdiction),
        "duty_sentence": bind_legal(duty_sentence),
        "articles": bind_legal(articles),
        "prayer": _prayer(case, sums, defendant_gen, who["name_genitive"], moral, costs, notes),
        "attachments": attachments,
        "calculation": calculation_lines(sums, value, moral, calc.fine if calc and moral is not None else None,
                                         costs),
        "signer_role": "Представитель истца по доверенности" if rep else "",
        "signature": initials(rep.full_name) if rep else who["signature"],
        "page_break": _page_break(),
    })
    return ctx, notes


def calculation_lines(sums: Sums, value: Decimal, moral: Decimal | None, fine: Decimal | None,
                      costs: tuple[tuple[str, Decimal], ...]) -> list[str]:
    """The signed calculation of the sums sought (ГПК ст. 132 п. 6 of the attachments list)."""
    lines = [f"{capitalize_first(d.label)} — {format_amount(d.amount)}." for d in sums.principal]
    lines += [penalty_paragraph(line) for line in sums.penalties]
    parts = [d.amount for d in sums.principal] + [line.amount for line in sums.penalties if line.amount]
    if len(parts) > 1:
        addition = " + ".join(rub(x) for x in parts) + f" = {rub(value)}"
        lines.append(f"Цена иска (ст. 91 ГПК РФ): {addition}, то есть {format_amount(value)}.")
    else:
        lines.append(f"Цена иска (ст. 91 ГПК РФ): {format_amount(value)}.")
    moral_text = format_amount(moral) if moral is not None else f"{BLANK} руб."
    lines.append(f"Компенсация морального вреда (ст. 15 {LAW}) — {moral_text}; в цену иска не входит.")
    if fine is not None:
        lines.append(f"Штраф (п. 6 ст. 13 {LAW}) — 50 % от суммы, присуждённой судом; при удовлетворении требований "
                     f"в заявленном размере: 50 % × ({rub(value)} + {rub(moral)}) = {rub(fine)}; в цену иска "  # type: ignore[arg-type]
                     "не входит.")
    else:
        lines.append(f"Штраф (п. 6 ст. 13 {LAW}) — 50 % от суммы, присуждённой судом в пользу потребителя; в цену "
                     "иска не входит.")
    for label, amount in costs:
        lines.append(f"Судебные расходы: {label} — {format_amount(amount)}; в цену иска не входят.")
    return [bind_legal(x) for x in lines]


def _power(text: str | None) -> str:
    """The power of attorney's details without a leading «доверенность» («от 01.11.2026 № 78 АБ 1234567»)."""
    import re

    rest = re.sub(r"(?i)^\s*доверенност\w*\s*", "", text or "").strip()
    return rest or BLANK


def _comma(label: str) -> str:
    """«денежные средства, уплаченные за …» is a participial phrase: close it with a comma before «в размере»."""
    return label + "," if "," in label else label


def _page_break():
    """A Word page break inside the current run (the calculation starts on its own sheet)."""
    from markupsafe import Markup

    return Markup('</w:t></w:r><w:r><w:br w:type="page"/></w:r><w:r><w:t xml:space="preserve">')
