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
from decimal import Decimal
from typing import Any

from complaint_cli.claim import CLAIM_VARIABLES, LAW, claimant_context
from complaint_cli.law.analysis import Analysis, PenaltyLine, _end, analyze
from complaint_cli.law.calc import CourtKind, claim_value, court_calculation, court_for, rub
from complaint_cli.law.deadlines import Deadline, fmt_date
from complaint_cli.language import bind_legal, capitalize_first, initials, legal_form_dative, legal_form_genitive
from complaint_cli.model import Case
from complaint_cli.money import format_amount

BLANK = "____"
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
    "defendant.name": "ответчик: продавец из чека по требованиям о качестве товара, иначе сервис (п. 2.2 ст. 12)",
    "defendant.name_genitive": "ответчик в родительном падеже («взыскать с …»)",
    "defendant.name_dative": "ответчик в дательном падеже («к …» в заголовке расчёта)",
    "defendant.address": "адрес ответчика",
    "defendant.ids": "«ИНН …, ОГРН …» или пусто",
    "co_defendant": "второй ответчик (владелец агрегатора — по требованиям о доставке, когда первый — продавец) или "
    "пусто; поля как у defendant",
    "co_defendant.name": "второй ответчик, если он есть",
    "co_defendant.name_genitive": "второй ответчик в родительном падеже",
    "co_defendant.name_dative": "второй ответчик в дательном падеже",
    "co_defendant.address": "адрес второго ответчика",
    "co_defendant.ids": "«ИНН …, ОГРН …» второго ответчика или пусто",
    "defendants": "список ответчиков (поля как у defendant)",
    "penalty_intro": "за что начисляется неустойка и «Расчёт на ДАТА:»",
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

# The sums as of a date are the legal analysis itself (complaint_cli.law.analysis): principal demands, penalties with
# their periods and caps, ст. 395 interest (named, never computed). These helpers only turn them into sentences.
Sums = Analysis


def escalation_sums(case: Case, deadline: Deadline | None, on: dt.date) -> Analysis:
    """What is owed as of ``on`` (the analysis; ``deadline`` is kept for callers and not needed)."""
    return analyze(case, on)


def penalty_paragraph(line: PenaltyLine) -> str:
    """«Неустойка по п. 3 ст. 23.1 … (0,5 % … за каждый день просрочки) за период с … по … (23 дня): формула — сумма»."""
    head = f"Неустойка {line.what} по {line.article} ({line.daily()})"
    if not line.started:
        return bind_legal(f"{head} начисляется с {fmt_date(line.start)} (со дня, следующего за последним днём срока), "
                          "если требования не будут удовлетворены в срок.")
    text = f"{head} за период {line.period()}: {line.formula()}; итого {format_amount(line.amount)}."
    return bind_legal(text)


def penalty_intro(a: Analysis, on: dt.date, *, court: bool) -> str:
    """The sentence before the penalty calculation: what each penalty is for (the analysis' norms), then «Расчёт»."""
    whats = list(dict.fromkeys(line.what for line in a.penalties))
    if not whats:
        return ""
    what = ", ".join(whats[:-1]) + (" и " if len(whats) > 1 else "") + whats[-1]
    who = ("ответчики обязаны уплатить" if len(a.defendants) > 1 else "ответчик обязан уплатить") if court else \
        "подлежит уплате"
    text = f"{capitalize_first(what)} {who} неустойка" if not court else f"{capitalize_first(what)} {who} неустойку"
    norms = ", ".join(dict.fromkeys(line.short for line in a.penalties))
    text += f" ({norms} {LAW})"
    if court:
        text += ", которую суд вправе взыскать по день фактического исполнения обязательства"
    started = any(line.started for line in a.penalties)
    return bind_legal(text + (f". Расчёт на {fmt_date(on)}:" if started else ":"))


def penalty_cap(line: PenaltyLine) -> Decimal | None:
    """The statutory cap of a penalty (ст. 23 is capped only from 01.02.2026, 500-ФЗ; decided by the analysis)."""
    return line.cap


def accrual_sentence(penalties: list[PenaltyLine]) -> str:
    """That the running penalties keep accruing until performance, and the statutory caps («не более …»)."""
    caps, done, closed = [], [], []
    for line in penalties:
        if not line.running:
            closed.append(f"по {line.short} — за период {line.period()}")
            continue
        if line.capped:
            done.append(f"по {line.short} неустойка достигла предельного размера ({rub(line.cap)})")  # type: ignore[arg-type]
        elif line.cap is not None:
            caps.append(f"по {line.short} — не более {rub(line.cap)}")
    running = [p for p in penalties if p.running]
    text = "Неустойка продолжает начисляться по день фактического исполнения обязательства" if running else ""
    if caps:
        text += "; её общий размер ограничен законом: " + ", ".join(caps)
    if done:
        text += "; " + "; ".join(done)
    if closed:
        text += ("; " if text else "") + "неустойка " + "; ".join(closed) + " рассчитана за завершённый период"
    return _end(capitalize_first(text)) if text else ""


def interest_paragraphs(sums: Analysis) -> list[str]:
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


def _prayer(case: Case, a: Analysis, plaintiff_gen: str, moral: Decimal | None,
            costs: tuple[tuple[str, Decimal], ...], notes: list[str]) -> list[str]:
    """«ПРОШУ:» — each sum from the party liable for it (the seller for the goods, the service for the delivery)."""
    several = len(a.defendants) > 1

    def take(liable: str) -> str:
        party = a.liable_party(liable) if several else a.defendants[0]
        return f"Взыскать с {legal_form_genitive(party.name)} в пользу {plaintiff_gen}"

    main = "company" if not several else "seller"
    items = [f"{take(d.liable)} {d.label} в размере {format_amount(d.amount)}." for d in a.principal]  # type: ignore[arg-type]
    for line in a.penalties:
        items.append(_penalty_prayer(take(line.liable), line))
    for base, start in a.interest:
        on_what = f", начисленные на сумму {rub(base)}," if base is not None else ""
        since = f" с {fmt_date(start)}" if start else ""
        items.append(f"{take('company')} проценты за пользование чужими денежными средствами (ст. 395 ГК РФ)"
                     f"{on_what}{since} по день фактического исполнения обязательства.")
    who = "ответчика" if not several else None
    for d in a.demands:
        target = who or ("ответчика " + legal_form_genitive(a.liable_party(d.liable).name))
        if d.kind == "deliver":
            items.append(f"Обязать {target} передать мне оплаченный товар.")
        elif d.kind == "replacement":
            items.append(f"Обязать {target} заменить товар ненадлежащего качества на товар этой же марки (модели, "
                         "артикула) надлежащего качества.")
        elif d.kind in {"apology", "other"}:
            notes.append("Иск: требование «" + ("извинения и проверка" if d.kind == "apology" else d.text)
                         + "» в иск не перенесено — суд такие требования обычно не рассматривает; при необходимости "
                         "сформулируйте его сами.")
    amount = f"{format_amount(moral)}" if moral is not None else f"{BLANK} руб."
    if several:
        # Each defendant answers for its own breach: moral damages shared by the court, the fine on what each owes.
        both = " и ".join(legal_form_genitive(p.name) for p in a.defendants)
        items.append(f"Взыскать с {both} в пользу {plaintiff_gen} компенсацию морального вреда в общей сумме {amount}, "
                     "распределив её между ответчиками соразмерно допущенным каждым из них нарушениям.")
        items.append(f"Взыскать с каждого из ответчиков в пользу {plaintiff_gen} штраф в размере 50 % от суммы, "
                     f"присуждённой с этого ответчика в пользу потребителя (п. 6 ст. 13 {LAW}).")
    else:
        items.append(f"{take(main)} компенсацию морального вреда в размере {amount}"
                     + ("." if moral is not None else ""))
        items.append(f"{take(main)} штраф в размере 50 % от суммы, присуждённой судом в пользу потребителя "
                     f"(п. 6 ст. 13 {LAW}).")
    if costs:
        listed = "; ".join(f"{label} — {format_amount(amount)}" for label, amount in costs)
        items.append(f"{take(main)} судебные расходы: {listed}.")
    return [bind_legal(i) for i in items]


def _penalty_prayer(take: str, line: PenaltyLine) -> str:
    limit = f", но не более {rub(line.cap)} в общей сумме" if line.cap is not None else ""
    if not line.started:
        return _end(f"{take} неустойку по {line.article} с {fmt_date(line.start)} по день фактического исполнения "
                    f"обязательства в размере {line.daily()}{limit}")
    text = f"{take} неустойку по {line.article} за период {line.period()} в размере {format_amount(line.amount)}"
    if line.capped or not line.running:
        return text + "."
    if line.norm == "23" and line.cap is not None:
        limit = " (п. 1 ст. 23 в ред. Федерального закона от 28.12.2025 № 500-ФЗ)"
    else:
        limit = ""
    nxt = fmt_date(line.end + dt.timedelta(days=1))  # type: ignore[operator]
    rest = f", но не более {rub(line.cap - line.amount)}" if line.cap is not None else ""
    return _end(text + (f", а также неустойку с {nxt} по день фактического исполнения обязательства в размере "
                        f"{line.daily()}{rest}{limit}"))


def court_heading(name: str) -> str:
    """The court as the header of a claim says it: «Мировому судье судебного участка № 5 …», «В … районный суд …»."""
    text = " ".join(name.split())
    low = text.lower()
    if low.startswith(("в ", "во ", "мировому судье")):
        return text
    if low.startswith("мировой судья"):
        return "Мировому судье" + text[len("мировой судья"):]
    if low.startswith("судебный участок"):
        return "Мировому судье судебного участка" + text[len("судебный участок"):]
    if "суд" in low:
        return "В " + text
    return text


def two_defendants_note(a: Analysis) -> str:
    """Why a suit names both the seller and the aggregator: what each of them answers for, from the analysis."""
    seller, company = [], []
    if any(v.liable == "seller" for v in a.violations):
        seller.append("по требованиям о качестве товара (п. 2.2 ст. 12)")
    if any(p.liable == "seller" and p.norm == "23.1" for p in a.penalties):
        seller.append("о неустойке за товар, не переданный в срок (п. 3 ст. 23.1)")
    subjects = {d.subject for d in a.demands if d.liable in ("company", "both")}
    if "delivery_fee" in subjects or any(p.liable == "company" and p.norm in ("28", "31.3") for p in a.penalties):
        company.append("по требованиям об услуге доставки (ст. 28)")
    if subjects & {"prepayment", "missing_goods", "refund"}:
        company.append("о возврате предварительной оплаты, полученной им (п. 2.4 ст. 12)")
    if not company and subjects:
        company.append("по остальным требованиям")
    parts = [f"к продавцу — {' и '.join(seller)}" if seller else "",
             f"к владельцу агрегатора — {' и '.join(company)}" if company else ""]
    return ("Иск предъявлен к двум ответчикам: " + "; ".join(p for p in parts if p)
            + " (Закон РФ «О защите прав потребителей»).")


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
    from complaint_cli.errors import ComplaintError
    from complaint_cli.escalation import (appendix_attachment, base_context, first_claim_attachments, grounds_list,
                                          history)

    if sums.court_blocker:
        raise ComplaintError(sums.court_blocker, hint="Продавец указан в кассовом чеке: seller: {name: ООО «…», "
                                                      "address: …, inn: …}")
    ctx = base_context(case, on, sums)
    notes: list[str] = []
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
    who_sued: list[str] = []  # the ст. 23.1 penalty is never claimed from an aggregator (law/penalties.py)

    rep = case.representative if case.representative and case.representative.full_name else None
    birth = ", ".join([fmt_date(c.birth_date) if c.birth_date else BLANK, c.birth_place or BLANK])
    contacts = ", ".join(x for x in (f"тел.: {who['phone']}" if who["phone"] else "",
                                     f"e-mail: {who['email']}" if who["email"] else "") if x)

    defendants = [_defendant(d) for d in sums.defendants]
    if len(defendants) > 1:
        notes.append(two_defendants_note(sums))

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
    jurisdiction += (f" Иск предъявлен по месту жительства истца: такой выбор принадлежит истцу (п. 2 ст. 17 {LAW}, "
                     "ч. 7 ст. 29 ГПК РФ).")

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

    articles = f"ст. {', '.join(_law_articles(sums))} {LAW}, ст. 131, 132 ГПК РФ"

    attachments = [f"Документ, подтверждающий направление {'ответчикам' if len(sums.defendants) > 1 else 'ответчику'} "
                   "копии искового заявления и приложенных к нему документов (почтовая квитанция и опись вложения)"]
    if calc is not None and not calc.exempt:
        attachments.append("Документ об уплате государственной пошлины")
    if rep is not None:
        attachments.append(f"Копия доверенности представителя {_power(rep.power_of_attorney)}")
    attachments += first_claim_attachments(case, refused_on, sums.claim_date) + ctx["attachments"]
    attachments.append("Расчёт взыскиваемых денежных сумм, подписанный " + ("представителем истца" if rep else "истцом"))
    attachments += appendix_attachment(sums)

    ctx.update({
        "court": {"name": court_heading(court_name) if court_name else DEFAULT_COURT[kind], "kind": kind.value},
        "plaintiff": {
            "full_name": who["full_name"], "name_genitive": who["name_genitive"], "birth": birth,
            "address": who["address"], "identifier": _identifier(c.identifier), "contacts": contacts,
        },
        "representative": {
            "full_name": rep.full_name, "address": rep.address or BLANK,
            "power": f"доверенность {_power(rep.power_of_attorney)}",
        } if rep else None,
        "defendant": defendants[0],
        "co_defendant": defendants[1] if len(defendants) > 1 else None,
        "defendants": defendants,
        "claim_value": format_amount(value),
        "duty_short": bind_legal(duty_short),
        "history": history(case, sums.deadline, on, refused_on=refused_on, who=_addressees_genitive(sums),
                           claim_date=sums.claim_date) + who_sued,
        "grounds": grounds_list(case, sums),
        "penalties": [penalty_paragraph(line) for line in sums.penalties],
        "penalty_started": any(line.started for line in sums.penalties),
        "penalty_intro": penalty_intro(sums, on, court=True),
        "interest": interest_paragraphs(sums),
        "moral_sentence": bind_legal(moral_sentence),
        "costs_sentence": bind_legal(costs_sentence),
        "jurisdiction": bind_legal(jurisdiction),
        "duty_sentence": bind_legal(duty_sentence),
        "articles": bind_legal(articles),
        "prayer": _prayer(case, sums, who["name_genitive"], moral, costs, notes),
        "attachments": attachments,
        "calculation": calculation_lines(sums, value, moral,
                                         calc.fine if calc and moral is not None and len(sums.defendants) == 1
                                         else None,
                                         costs),
        "signer_role": "Представитель истца по доверенности" if rep else "",
        "signature": initials(rep.full_name) if rep else who["signature"],
        "page_break": _page_break(),
    })
    return ctx, notes


def _law_articles(a: Analysis) -> list[str]:
    """The ЗоЗПП articles the claim rests on: its grounds, its penalties, and ст. 13, 15, 17 (fine, moral, court)."""
    import re

    found = {"13", "15", "17"}
    for text in [g.text for g in a.grounds()] + [p.article for p in a.penalties]:
        if "Закона РФ «О защите прав потребителей»" in text:
            found.update(re.findall(r"ст\.\s(\d+(?:\.\d+)?)", text))
            found.update(x for m in re.findall(r"ст\.\s(\d+(?:\.\d+)?),\s(\d+(?:\.\d+)?)", text) for x in m)
    return sorted(found, key=lambda n: tuple(int(x) for x in n.split(".")))


def _defendant(party) -> dict[str, Any]:
    ids = ", ".join(x for x in (f"ИНН {party.inn}" if party.inn else "", f"ОГРН {party.ogrn}" if party.ogrn else "")
                    if x)
    return {"name": party.name, "name_genitive": legal_form_genitive(party.name),
            "name_dative": legal_form_dative(party.name), "address": party.address, "ids": ids}


def _addressees_genitive(a: Analysis) -> str:
    names = [legal_form_genitive(a.addressee.name)]
    if a.joint and a.copy_to is not None:
        names.append(legal_form_genitive(a.copy_to.name))
    return " и ".join(names)


def calculation_lines(sums: Sums, value: Decimal, moral: Decimal | None, fine: Decimal | None,
                      costs: tuple[tuple[str, Decimal], ...]) -> list[str]:
    """The signed calculation of the sums sought (ГПК ст. 132 п. 6 of the attachments list).

    It adds up the price of the claim and the sums outside it; each penalty is one line with its amount, the day
    count being in the penalty appendix (complaint_cli.appendix) — the same lines of the same analysis, row by row.
    """
    lines = [f"{d.label_nominative or capitalize_first(d.label)} — {format_amount(d.amount)}."  # type: ignore[arg-type]
             for d in sums.principal]
    row = 0
    for line in sums.penalties:
        if not line.started:
            lines.append(penalty_paragraph(line))
            continue
        row += 1
        lines.append(f"Неустойка {line.what} по {line.article} за период {line.period()} — "
                     f"{format_amount(line.amount)}; расчёт — в приложении «Расчёт неустойки», строка {row}.")
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
        whom = "с каждого из ответчиков" if len(sums.defendants) > 1 else "судом в пользу потребителя"
        lines.append(f"Штраф (п. 6 ст. 13 {LAW}) — 50 % от суммы, присуждённой {whom}; в цену иска не входит.")
    for label, amount in costs:
        lines.append(f"Судебные расходы: {label} — {format_amount(amount)}; в цену иска не входят.")
    return [bind_legal(x) for x in lines]


def _power(text: str | None) -> str:
    """The power of attorney's details without a leading «доверенность» («от 01.11.2026 № 78 АБ 1234567»)."""
    import re

    rest = re.sub(r"(?i)^\s*доверенност\w*\s*", "", text or "").strip()
    return rest or BLANK


def _page_break():
    """A Word page break inside the current run (the calculation starts on its own sheet)."""
    from markupsafe import Markup

    return Markup('</w:t></w:r><w:r><w:br w:type="page"/></w:r><w:r><w:t xml:space="preserve">')
