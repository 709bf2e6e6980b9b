"""What comes after an ignored claim: when escalation is allowed, the sums as of a date, and the letters.

Four documents (law.md §1.4, §4, §5): the repeat claim «на бездействие» (``inaction.docx``), the complaint to the
regional Rospotrebnadzor office (``rospotrebnadzor.docx``), the draft court claim (``court.docx``, built in
:mod:`complaint_cli.court`) and a short public review (plain text). Fixed sentences live in the templates; variable
sentences are built here and documented in :data:`INACTION_VARIABLES` and :data:`ROSPOTREBNADZOR_VARIABLES`.

Escalation is allowed once the statutory deadline has passed (law.md §2.3) — an *estimated* receipt date never
counts —, after a refusal, with ``force``, and in an emergency (a threat to life or health) the repeat claim and the
Rospotrebnadzor complaint are allowed once a day has passed since the claim was received.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from complaint_cli.claim import allocation_sentence
from complaint_cli.claim import CLAIM_VARIABLES, LAW, Parties, claim_context, parties
from complaint_cli.court import COURT_VARIABLES as _COURT_VARIABLES
from complaint_cli.court import (
    BLANK,
    Sums,
    accrual_sentence,
    escalation_sums,
    interest_paragraphs,
    penalty_intro,
    penalty_paragraph,
)
from complaint_cli.law.deadlines import Deadline, fmt_date
from complaint_cli.errors import ComplaintError, UsageError
from complaint_cli.language import bind_legal, capitalize_first, legal_form_genitive, numbered, with_aside
from complaint_cli.model import Case
from complaint_cli.money import days_phrase, format_amount, format_short

# The statutory route, drafted by default; «bank» (the request to dispute a card payment, complaint_cli.bank) only
# with --only bank: it is no statutory step, goes to a third party with the card's data, and only some cases have one.
DEFAULT_KINDS: tuple[str, ...] = ("inaction", "rospotrebnadzor", "court", "review")
KINDS: tuple[str, ...] = (*DEFAULT_KINDS, "bank")
EMERGENCY_KINDS: tuple[str, ...] = ("inaction", "rospotrebnadzor")
KIND_LABELS: dict[str, str] = {
    "inaction": "повторная претензия",
    "rospotrebnadzor": "жалоба в Роспотребнадзор",
    "court": "исковое заявление",
    "review": "публичный отзыв",
    "bank": "заявление в банк",
}
# The penalty appendix («Расчёт неустойки», complaint_cli.appendix) goes with these letters.
APPENDIX_KINDS: tuple[str, ...] = ("inaction", "court")
DEFAULT_REPLY_DAYS = 7  # law.md §1.4: a final short deadline, commonly 5–10 days [K]

# How the first claim was sent: the phrase after «мною … направлена претензия» and the proof to attach.
SENT_HOW: dict[str, str] = {
    "post": "заказным письмом",
    "app": "через чат поддержки в приложении",
    "website": "через форму обратной связи на сайте",
    "email": "по электронной почте",
    "office": "лично в офисе",
    "phone": "по телефону горячей линии",
}
SENT_PROOF: dict[str, str] = {
    "post": "Кассовый чек и опись вложения почтового отправления",
    "app": "Скриншоты обращения в чат поддержки с текстом претензии",
    "website": "Скриншот отправленной формы обратной связи с текстом претензии",
    "email": "Копия электронного письма с претензией",
    "office": "Копия претензии с отметкой о получении",
    "phone": "Сведения об обращении по телефону горячей линии",
}
# Calm, factual wording of the problem for the public review (no names, no order numbers).
REVIEW_FACTS: dict[str, str] = {
    "late_delivery": "в согласованный срок заказ доставлен не был",
    "missing_items": "в заказе не оказалось части оплаченных товаров",
    "wrong_items": "вместо заказанных товаров привезли другие",
    "poor_quality": "привезли товар ненадлежащего качества",
    "expired_goods": "привезли товар с истёкшим сроком годности",
    "overcharge": "с карты списали больше, чем стоил заказ",
    "refund_not_received": "деньги за заказ так и не вернули",
    "courier_conduct": "курьер при доставке вёл себя некорректно",
    "other": "мои права как покупателя были нарушены",
}
# КоАП ст. 14.4 (sale of goods not meeting the requirements) is confirmed in law.md §5; other articles are not.
OFFENCE: dict[str, str] = {
    "expired_goods": "Продажа товара с истёкшим сроком годности может содержать признаки административного "
    "правонарушения, предусмотренного ст. 14.4 КоАП РФ.",
    "poor_quality": "Продажа товара ненадлежащего качества может содержать признаки административного "
    "правонарушения, предусмотренного ст. 14.4 КоАП РФ.",
}

def _claim_variables(*prefixes: str) -> dict[str, str]:
    """Variables shared with the first claim, described once in claim.CLAIM_VARIABLES."""
    return {k: v for k, v in CLAIM_VARIABLES.items() if k.startswith(prefixes)}


_COMMON_VARIABLES: dict[str, str] = {
    **_claim_variables("claimant.", "facts."),
    "problem.description": "описание проблемы дословно",
    "history": "абзацы о первой претензии: когда и как направлена, когда получена, срок, что требования не "
    "удовлетворены (и срочность, если есть угроза жизни и здоровью)",
    "attachments": "список приложений: копия претензии, доказательство отправки, доказательства из дела",
    "date": "дата документа ДД.ММ.ГГГГ (--on)",
}
INACTION_VARIABLES: dict[str, str] = {
    **_claim_variables("addressee.", "copy_to"),
    "subtitle": "«(на бездействие по претензии от ДД.ММ.ГГГГ)»",
    **_COMMON_VARIABLES,
    "first_demands": "требования первой претензии: .number, .text",
    "penalty_intro": "за что начисляется неустойка (по нормам анализа) и «Расчёт на ДАТА:»",
    "grounds": "нарушенные нормы с пунктами (из анализа)",
    "penalties": "абзацы расчёта неустойки на дату --on: норма, формула, период (дни или часы), предел, сумма",
    "penalty_started": "истина, если неустойка уже начисляется (иначе абзацы говорят, с какого дня она начнётся)",
    "penalty_total": "итог неустойки и что она начисляется по день фактического исполнения, или пусто",
    "penalty_running": "истина, если неустойка продолжает начисляться (фраза о последствиях её называет)",
    "interest": "абзацы о процентах по ст. 395 ГК РФ (без суммы) или пустой список",
    "articles": "ссылка на закон для фразы «руководствуясь …»",
    "demands": "повторные требования: .number, .text (прежние + неустойка)",
    "reply_sentence": "новый срок удовлетворения требований (по умолчанию 7 дней)",
    "refund_sentence": "куда вернуть деньги или пусто",
    "office_phrase": "«в Управление Роспотребнадзора по …» (винительный падеж) для фразы о последствиях",
}
ROSPOTREBNADZOR_VARIABLES: dict[str, str] = {
    "office.position": "«Руководителю»",
    "office.name": "территориальное управление Роспотребнадзора в родительном падеже",
    "office.address": "адрес управления из справочника (не подтверждён) или пусто",
    "office.site": "сайт управления (NN.rospotrebnadzor.ru)",
    "subjects": "организации, на которые подана жалоба: название, роль, адрес, ИНН/ОГРН",
    "respondents": "те же организации в родительном падеже («… ООО «Ромашка»»)",
    **_COMMON_VARIABLES,
    "grounds": "нарушенные права со статьями (список)",
    "offence": "признаки административного правонарушения (ст. 14.4 КоАП РФ) или пусто",
    "urgent": "просьба рассмотреть безотлагательно при угрозе жизни и здоровью или пусто",
    # Fixed sentences from complaint_cli/data/rospotrebnadzor.yaml (a lawyer edits them there).
    "intro": "«Сообщаю о нарушении моих прав как потребителя организацией:» (или «…следующими организациями:»)",
    "claim_demands_lead": "«В претензии были заявлены следующие требования:»",
    "claim_demands": "требования первой претензии: .number, .text",
    "grounds_lead": "«Считаю, что действиями (бездействием) … нарушены мои права потребителя, предусмотренные:»",
    "basis": "«На основании изложенного, руководствуясь …» перед «ПРОШУ:»",
    "requests": "просьбы к Роспотребнадзору (список строк): предостережение (ст. 49 248-ФЗ); при угрозе жизни и "
    "здоровью — контрольное (надзорное) мероприятие (ст. 57 248-ФЗ, ПП № 336); заключение в суде (ст. 40 Закона "
    "о защите прав потребителей, ст. 47 ГПК РФ); ответ в срок 59-ФЗ",
    "threat": "почему есть угроза жизни и здоровью (для просьбы о контрольном мероприятии) или пусто",
    "money_note": "«Мне известно, что Роспотребнадзор не взыскивает денежные средства …»",
}


# The court claim's table lives with its context in court.py; customtemplates looks all tables up here too.
COURT_VARIABLES: dict[str, str] = _COURT_VARIABLES


# --------------------------------------------------------------------------- when


class TooEarly(ComplaintError):
    """The claim's deadline has not passed (or is unknown / only estimated): nothing to escalate yet."""


def escalation_deadline(case: Case) -> Deadline:
    """The case's statutory deadline, each demand with the rule the legal analysis chose for it."""
    from complaint_cli.law.analysis import deadline_for

    s = case.submission
    return deadline_for(case, received_on=s.received_on, sent_on=s.sent_on,
                        channel=s.channel.value if s.channel else None)


def parse_kinds(value: str | None) -> tuple[str, ...] | None:
    """``"inaction,court"`` → ``("inaction", "court")``; None for all. Unknown names are a usage error."""
    if value is None or not value.strip():
        return None
    names = [v.strip().lower() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in KINDS]
    if unknown:
        raise UsageError(f"--only: неизвестные документы {', '.join(unknown)}. Допустимые: {', '.join(KINDS)}.")
    return tuple(k for k in KINDS if k in names)


def allowed_kinds(
    case: Case,
    deadline: Deadline,
    on: dt.date,
    requested: tuple[str, ...] | None = None,
    *,
    force: bool = False,
    refused_on: dt.date | None = None,
) -> tuple[tuple[str, ...], list[str]]:
    """Which of the requested documents may be drafted on ``on``, and remarks for the user.

    Raises :class:`TooEarly` with the deadline in the message when none may be.
    """
    wanted = requested or DEFAULT_KINDS
    if deadline.is_overdue(on) or refused_on is not None:
        return wanted, []
    if force:
        return wanted, [
            "Документы составлены до истечения срока удовлетворения претензии (--force): "
            + _early_reason(deadline, on)
        ]
    point = deadline.emergency_point
    if case.problem.emergency and point is not None and not deadline.estimated and on > point:
        extra = [k for k in wanted if k not in EMERGENCY_KINDS]
        if requested is not None and extra:
            names = ", ".join(KIND_LABELS[k] for k in extra)
            raise TooEarly(
                f"Срочный случай: до истечения срока ({fmt_date(deadline.last_day)}) можно составить только "  # type: ignore[arg-type]
                f"повторную претензию и жалобу в Роспотребнадзор; {names} — с "
                f"{fmt_date(deadline.last_day + dt.timedelta(days=1))}, или добавьте --force."  # type: ignore[operator]
            )
        notes = [
            f"Срочный случай (угроза жизни и здоровью): сутки с получения претензии прошли ({fmt_date(point)}), "
            "поэтому повторная претензия и жалоба в Роспотребнадзор составлены до истечения срока "
            f"{fmt_date(deadline.last_day)}."  # type: ignore[arg-type]
        ]
        if extra:
            notes.append(
                "Иск и отзыв будут доступны после истечения срока — с "
                f"{fmt_date(deadline.last_day + dt.timedelta(days=1))}."  # type: ignore[operator]
            )
        return tuple(k for k in wanted if k in EMERGENCY_KINDS), notes
    raise TooEarly(capitalize_first(_early_reason(deadline, on)), hint=_early_hint(case))


def _early_reason(deadline: Deadline, on: dt.date) -> str:
    if deadline.last_day is None:
        return f"срок удовлетворения претензии не определён. {deadline.rule} " + " ".join(deadline.notes[:1])
    if deadline.estimated:
        return (
            f"дата получения претензии известна только приблизительно ({fmt_date(deadline.received_on)}), "  # type: ignore[arg-type]
            f"поэтому срок ({fmt_date(deadline.last_day)}) не считается истёкшим."
        )
    nxt = deadline.last_day + dt.timedelta(days=1)
    return (
        f"срок удовлетворения претензии ещё не истёк: последний день — {fmt_date(deadline.last_day)} "
        f"(на {fmt_date(on)}). Документы можно составить с {fmt_date(nxt)}."
    )


def _early_hint(case: Case) -> str:
    return (
        "Если претензия получена, отметьте дату: complaint received ДЕЛО --on ДД.ММ.ГГГГ; если продавец отказал — "
        "complaint reply ДЕЛО --on ДД.ММ.ГГГГ --outcome refused; составить документы досрочно — --force."
    )


# --------------------------------------------------------------------------- the first claim's history


def how_sent(case: Case) -> str:
    s = case.submission
    channel = s.channel.value if s.channel else ""
    how = SENT_HOW.get(channel, "")
    if s.reference:
        how = with_aside(how, _reference_aside(channel, s.reference))
    return how.strip()


def _reference_aside(channel: str, reference: str, *, label: str | None = None) -> str:
    """«обращение № 88112», «почтовый идентификатор № 1234…»; a reference that does not start with a number (an
    e-mail's subject typed by hand into a case file) is not printed as one: «письмо с темой «…»»."""
    first = re.sub(r"^\s*(?:№|N|#)\s*", "", reference).split()[:1]
    if channel != "post" and not (first and re.search(r"\d", first[0])):
        return f"письмо с темой «{reference.strip()}»" if channel == "email" else f"«{reference.strip()}»"
    if label is None:
        label = "почтовый идентификатор" if channel == "post" else "обращение"
    return numbered(label, reference)


def proof_of_sending(case: Case) -> str:
    s = case.submission
    channel = s.channel.value if s.channel else ""
    proof = SENT_PROOF.get(channel, "Документ, подтверждающий направление претензии")
    if s.reference:
        proof = with_aside(proof, _reference_aside(channel, s.reference,
                                                   label="почтовый идентификатор" if channel == "post" else ""))
    if channel == "post" and s.received_on:
        proof += "; отчёт об отслеживании отправления с отметкой о вручении"
    return proof


def history(case: Case, deadline: Deadline, on: dt.date, *, refused_on: dt.date | None, who: str,
            claim_date: dt.date | None = None) -> list[str]:
    """Paragraphs on the first claim: sent (how), received, the term, what became of it. ``who`` names the addressee;
    ``claim_date`` is the date printed on the claim when it differs from the day it was sent."""
    s = case.submission
    sent = fmt_date(s.sent_on) if s.sent_on else BLANK
    o = case.order
    dated = f" от {fmt_date(claim_date)}" if claim_date and claim_date != s.sent_on else ""
    out = [f"{sent} мною в адрес {who} направлена претензия{dated} по заказу № {o.number or BLANK}"
           + (f" от {fmt_date(o.date)}" if o.date else "") + f" {how_sent(case)}".rstrip() + "."]
    whom = "адресатами" if " и " in who else "адресатом"
    if s.received_on:
        out.append(f"Претензия получена {whom} {fmt_date(s.received_on)}.")
    elif deadline.estimated and deadline.received_on:
        out.append(f"Претензия направлена электронно и доставлена адресату в тот же день ({sent}).")
    else:
        out.append(f"Претензия получена адресатом {BLANK}.")
    if deadline.last_day is not None and deadline.governing_demand and deadline.governing_rule is not None:
        rule = deadline.governing_rule
        term = deadline.demand_terms[deadline.governing_demand]
        verb = "истёк" if on > deadline.last_day else "истекает"
        shift = (f"; {fmt_date(term.nominal)} — нерабочий день, поэтому срок перенесён по ст. 193 ГК РФ"  # type: ignore[union-attr]
                 if deadline.shifted else "")
        out.append(
            f"Срок удовлетворения требований — {days_phrase(term.days)} со дня получения претензии "  # type: ignore[union-attr]
            f"({rule.article}) — {verb} {fmt_date(deadline.last_day)}{shift}."
        )
    if refused_on is not None:
        out.append(f"{fmt_date(refused_on)} получен отказ в удовлетворении требований. Требования до настоящего "
                   "времени не удовлетворены.")
    elif deadline.last_day is not None and on <= deadline.last_day:
        out.append("Требования пока не удовлетворены.")  # the term is still running: not «ignored» (yet)
    else:
        out.append("До настоящего времени ответ на претензию не получен, требования не удовлетворены.")
    if case.problem.emergency and deadline.emergency_point and not deadline.is_overdue(on):
        out.append("Нарушение создаёт угрозу жизни и здоровью, поэтому дело не терпит отлагательства: с момента "
                   "получения претензии прошло более суток, а мер не принято.")
    return [bind_legal(p) for p in out]


def first_claim_attachments(case: Case, refused_on: dt.date | None = None, claim_date: dt.date | None = None
                            ) -> list[str]:
    dated = claim_date or case.submission.sent_on
    sent = f" от {fmt_date(dated)}" if dated else ""
    items = [f"Копия претензии{sent}", proof_of_sending(case)]
    if refused_on is not None:
        items.append(f"Копия ответа от {fmt_date(refused_on)} об отказе в удовлетворении требований")
    return items


def appendix_attachment(sums: Sums) -> list[str]:
    """The penalty appendix among a letter's attachments (ГПК ст. 132: the calculation), when there is one."""
    from complaint_cli.appendix import appendix_reason, appendix_title

    return [appendix_title(sums.on)] if appendix_reason(sums) is None else []


def office_genitive(office: str) -> str:
    """«Управление … по городу Москве» → «Управления … по городу Москве» (the office after «Руководителю»)."""
    for nominative, genitive in (("Межрегиональное управление", "Межрегионального управления"),
                                 ("Управление", "Управления")):
        if office.startswith(nominative):
            return genitive + office[len(nominative):]
    return office


def case_region(case: Case):
    """The claimant's federal subject (regions.find_region), from ``claimant.region`` or the address."""
    from complaint_cli.law.regions import find_region, region_from_address

    if case.claimant.region:
        return find_region(case.claimant.region)
    region = region_from_address(case.claimant.address or "")
    if region is None:
        raise ComplaintError(
            "Не указан регион заявителя (claimant.region): он нужен, чтобы выбрать управление Роспотребнадзора.",
            hint="Добавьте в дело, например: claimant: {region: Москва}",
        )
    return region


# --------------------------------------------------------------------------- contexts


def base_context(case: Case, on: dt.date, analysis: Any = None) -> dict[str, Any]:
    """The first claim's context (addressee, claimant, facts as of ``on``, attachments…) dated ``on``."""
    from complaint_cli.law.analysis import analyze

    ctx = claim_context(case, on=on, analysis=analysis or analyze(case, on))
    ctx["date"] = fmt_date(on)
    return ctx


def first_claim_demands(case: Case, claim_date: dt.date | None = None) -> list[dict[str, Any]]:
    """The first claim's demands as the claim stated them (its penalties as of the claim's own date)."""
    on = claim_date or case.submission.sent_on or case.order.date or dt.date.today()
    return [{"number": d["number"], "text": d["text"]} for d in claim_context(case, on=on)["demands"]]


def grounds_list(case: Case, analysis: Any = None) -> list[str]:
    """The articles breached, with their пункт (the analysis' grounds)."""
    from complaint_cli.law.analysis import analyze

    a = analysis or analyze(case, case.submission.sent_on or dt.date.today())
    return [bind_legal(g.text) for g in a.grounds()]


def _who(p: Parties) -> str:
    names = [legal_form_genitive(p.addressee_name)]
    if p.joint and p.copy_name:
        names.append(legal_form_genitive(p.copy_name))
    return " и ".join(names)


def inaction_context(
    case: Case,
    deadline: Deadline,
    sums: Sums,
    *,
    on: dt.date,
    reply_days: int = DEFAULT_REPLY_DAYS,
    refused_on: dt.date | None = None,
) -> dict[str, Any]:
    """The repeat claim «на бездействие» (law.md §1.4): see :data:`INACTION_VARIABLES`."""
    ctx = base_context(case, on, sums)
    p = parties(case, sums)
    claim_date = sums.claim_date or case.submission.sent_on
    sent = fmt_date(claim_date) if claim_date else BLANK
    first = first_claim_demands(case, claim_date)
    demands = [{"number": d.number, "text": bind_legal(d.repeat_text) if d.kind != "other" else d.text,
                "to": d.liable} for d in sums.demands]
    started = [line for line in sums.penalties if line.started]
    groups = ({who: [x for x in started if x.liable == who] for who in ("seller", "company")} if sums.joint
              else {"": started})
    for who, lines in groups.items():
        if not lines:
            continue
        total = sum((x.amount for x in lines), Decimal("0.00"))
        later = (", а также неустойку за каждый последующий день просрочки по день фактического исполнения "
                 "обязательства" if any(line.running and not line.capped for line in lines) else "")
        norms = ", ".join(dict.fromkeys(x.short for x in lines))
        demands.append({"number": len(demands) + 1, "to": who, "text": bind_legal(
            f"Выплатить неустойку ({norms} {LAW}; расчёт приведён выше) в размере {format_amount(total)} по "
            f"состоянию на {fmt_date(on)}{later} (п. 5 ст. 13 {LAW}).")})
    if sums.interest:
        demands.append({"number": len(demands) + 1, "text": bind_legal(
            "Уплатить проценты за пользование чужими денежными средствами (ст. 395 ГК РФ) по день фактического "
            "возврата денежных средств.")})
    total = ""
    if started:
        total = bind_legal(f"Итого неустойка на {fmt_date(on)} составляет {format_amount(sums.penalty_total)}. "
                           + accrual_sentence(started))
    try:
        office = "в " + case_region(case).office_short
    except ComplaintError:
        office = "в Управление Роспотребнадзора"
    ctx.update({
        "subtitle": f"(на бездействие по претензии от {sent})",
        "history": history(case, deadline, on, refused_on=refused_on, who=_who(p), claim_date=sums.claim_date),
        "grounds": grounds_list(case, sums),
        "first_demands": first,
        "penalties": [penalty_paragraph(line) for line in sums.penalties],
        "penalty_started": bool(started),
        "penalty_intro": penalty_intro(sums, on, court=False),
        "penalty_total": total,
        # «… потребую взыскать … неустойку по день фактического исполнения» only where one still runs
        "penalty_running": any(line.running and not line.capped for line in sums.penalties),
        "interest": interest_paragraphs(sums),
        "demands": demands,
        "reply_sentence": bind_legal(allocation_sentence(sums, demands) + "Указанные требования прошу удовлетворить в "
                                     f"течение {days_phrase(reply_days)} со дня получения настоящей претензии."),
        "office_phrase": office,
        "attachments": first_claim_attachments(case, refused_on, sums.claim_date) + appendix_attachment(sums),
    })
    return ctx


def subjects(case: Case) -> list[str]:
    """The organisations complained about, with their legal role (the analysis' roles), address and numbers."""
    from complaint_cli.law.roles import roles

    def line(name: str, role: str, address: str | None, inn: str | None, ogrn: str | None) -> str:
        parts = [f"{name} — {role}", f"адрес: {address}" if address else "",
                 ", ".join(x for x in (f"ИНН {inn}" if inn else "", f"ОГРН {ogrn}" if ogrn else "") if x)]
        return "; ".join(x for x in parts if x)

    from complaint_cli.law.analysis import analyze

    r = roles(case)
    c = r.company
    a = analyze(case, case.submission.sent_on or dt.date.today())
    role = r.company_role
    if a.to_seller and not a.joint:  # only the seller is complained about: the platform is named for the record
        role = "владелец агрегатора, через который оформлен заказ (указан для сведения)"
    company = line(c.name, role, c.address, c.inn, c.ogrn)
    if r.aggregator and r.seller_known and r.seller is not None:
        s = r.seller
        return [line(s.name, "продавец по кассовому чеку", s.address, s.inn, s.ogrn), company]
    return [company]


def rospotrebnadzor_context(
    case: Case, deadline: Deadline, *, on: dt.date, refused_on: dt.date | None = None,
    claim_date: dt.date | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The complaint to the territorial office (law.md §5, 59-ФЗ ст. 7): context and remarks for the user.

    Its fixed sentences and requests come from ``data/rospotrebnadzor.yaml``: only what 248-ФЗ lets the office do on
    a citizen's complaint (law.md §0b.2) — a предостережение (ст. 49), a control measure where the case shows a threat
    to life or health (ст. 57, ПП № 336), an opinion in court (ЗоЗПП ст. 40, ГПК ст. 47). The paste-ready text of
    ``complaint guide --document rospotrebnadzor`` is built from this same context.
    """
    from complaint_cli import yamlio
    from complaint_cli.language import legal_form_dative

    from complaint_cli.law.analysis import analyze

    region = case_region(case)
    a = analyze(case, on)
    ctx = base_context(case, on, a)
    p = parties(case, a)
    notes = [f"Жалоба адресована: {region.office_short}. "
             + (f"Название и адрес ({region.address}) управления взяты из справочника программы и не подтверждены"
                if region.address else "Название управления взято из справочника программы и не подтверждено")
             + f": сверьте с сайтом {region.site} перед отправкой."]
    if not region.address:
        notes.append(f"Адреса управления в справочнике нет: в жалобе он не указан, найдите его на сайте {region.site}.")
    text = yamlio.bundled("rospotrebnadzor.yaml")
    # Every problem of the order: the main one, problem.also and the items' own issues.
    kinds = case.problem_kinds() + [i.issue.value for i in case.order.items if i.issue]
    # Complained about: who is liable (the seller alone for the goods' quality, the aggregator for the delivery).
    organisations = [p.addressee_name] + ([p.copy_name] if p.joint and p.copy_name else [])
    threats = text["threats"]
    threat = threats["emergency"] if case.problem.emergency else next(
        (threats[k] for k in kinds if k in threats and k != "emergency"), "")
    claimant = ctx["claimant"]
    values = {
        "respondents": " и ".join(legal_form_genitive(n) for n in organisations),
        "respondents_dative": " и ".join(legal_form_dative(n) for n in organisations),
        "warning_word": "предостережения" if len(organisations) > 1 else "предостережение",
        "seller": legal_form_genitive(p.addressee_name),  # who sold: the claim's addressee (law.md §0b.9)
        "threat": threat,
        "address": claimant["address"] or BLANK,
        "email": f" или по электронной почте {claimant['email']}" if claimant["email"] else "",
    }

    def fill(sentence: str) -> str:
        return bind_legal(" ".join(sentence.split()).format_map(values))

    requests = [fill(r["text"]) for r in text["requests"] if r.get("when") != "threat" or threat]
    ctx.update({
        "office": {"position": "Руководителю", "name": office_genitive(region.office),
                   "address": region.address or "", "site": region.site},
        "intro": text["intro"]["many" if len(listed := subjects(case)) > 1 else "one"],
        "subjects": [bind_legal(s) for s in listed],
        "respondents": values["respondents"],
        "history": history(case, deadline, on, refused_on=refused_on, who=_who(p), claim_date=claim_date),
        "claim_demands_lead": text["claim_demands"],
        "claim_demands": first_claim_demands(case, claim_date),  # as the claim stated them, on its own date
        "grounds_lead": fill(text["grounds"]),
        "grounds": grounds_list(case, a),
        "offence": bind_legal(next((OFFENCE[k] for k in kinds if k in OFFENCE), "")),
        "urgent": "Прошу рассмотреть жалобу безотлагательно: нарушение создаёт угрозу жизни и здоровью."
        if case.problem.emergency else "",
        "threat": threat,
        "basis": fill(text["basis"]),
        "requests": requests,
        "money_note": fill(text["money_note"]),
        "attachments": first_claim_attachments(case, refused_on, claim_date) + ctx["attachments"],
    })
    return ctx, notes


def filing_routes(case: Case) -> list[str]:
    """How to file the Rospotrebnadzor complaint (law.md §5, §0b.1): Госуслуги, the regional site, post — never e-mail.

    Since 30.03.2025 (59-ФЗ as amended by 547-ФЗ) an appeal in electronic form is considered only when filed through
    Госуслуги, the body's site or another system that identifies the citizen; an e-mail to the office is not.
    """
    try:
        region = case_region(case)
    except ComplaintError:
        return []
    site = region.site + ("" if region.site_confirmed else " (адрес сайта не подтверждён)")
    post = f"заказным письмом с уведомлением по адресу {region.address} (адрес проверьте)" if region.address \
        else "заказным письмом с уведомлением по адресу управления (см. сайт)"
    return [
        f"Жалобу в {region.office_short} можно подать: на Госуслугах (обращение в Роспотребнадзор); "
        f"через раздел обращений на сайте {site}; {post}. По электронной почте её не подают: с 30.03.2025 "
        "обращение, направленное в государственный орган по e-mail, не рассматривается (Федеральный закон № 59-ФЗ "
        "в ред. Федерального закона от 28.12.2024 № 547-ФЗ). Текст для формы и список файлов: complaint guide ДЕЛО "
        "--document rospotrebnadzor. Ответ — в течение 30 дней со дня регистрации "
        "(ч. 1 ст. 12 Федерального закона № 59-ФЗ). Роспотребнадзор не взыскивает деньги: вернуть их можно "
        "только добровольно или через суд.",
    ]


def review_text(case: Case, deadline: Deadline, on: dt.date, kinds: tuple[str, ...] = KINDS,
                analysis: Any = None) -> str:
    """A short, calm public review: facts and dates only, the first name only, no order number or address.

    No legal conclusions (that rights were violated, that a law was broken): a company could contest them as untrue
    (ГК ст. 152). What happened, when, what was asked, that the statutory term passed with no answer.
    """
    from complaint_cli.law.analysis import analyze

    from complaint_cli.claim import claimant_context
    from complaint_cli.language import split_full_name

    who = claimant_context(case)
    gender = who["gender"]

    def verb(masc: str) -> str:
        return {"male": masc, "female": masc + "а"}.get(gender, masc + "(а)")

    try:
        first_name = split_full_name(case.claimant.full_name or "")[1] if case.claimant.full_name else ""
    except ValueError:  # a name of one or four words: the review is signed without it
        first_name = ""
    brand = (case.company.brand or "").strip("«»\" ")
    service = f"сервисе «{brand}»" if brand else (case.company.name or "интернет-магазине")
    o = case.order
    a = analysis or analyze(case, on)
    amount = f" на сумму {format_short(o.amount)} руб" if o.amount else ""
    when = f"{fmt_date(o.date)} " if o.date else ""
    facts = "; ".join(v.review for v in a.violations)
    lines = [f"{when}я {verb('оформил')} заказ в {service}{amount}. К сожалению, {facts}."]
    wishes = list(dict.fromkeys(
        d.words + (f" ({format_short(d.amount)} руб.)" if d.amount is not None and d.subject != "moral" else "")
        for d in a.demands if d.kind != "other"))
    sent = f"{fmt_date(case.submission.sent_on)} " if case.submission.sent_on else ""
    what = f" с {'требованиями' if len(wishes) > 1 else 'требованием'}: {'; '.join(wishes)}" if wishes else ""
    lines.append(f"{sent}я {verb('направил')} претензию{what}.")
    if deadline.last_day is not None and on > deadline.last_day:
        lines.append(f"Установленный законом срок для удовлетворения требований истёк {fmt_date(deadline.last_day)}; "
                     f"ответа я не {verb('получил')}, вопрос не решён.")
    else:
        lines.append("Вопрос пока не решён.")
    steps = [x for k, x in (("rospotrebnadzor", "обращаюсь в Роспотребнадзор"), ("court", "готовлю иск в суд"))
             if k in kinds]
    if steps:
        lines.append(capitalize_first(" и ".join(steps)) + ".")
    lines.append("Пишу, чтобы другие покупатели знали о такой ситуации. Если компания решит вопрос, "
                 "я дополню отзыв.")
    title = f"Отзыв: сервис «{brand}»" if brand else f"Отзыв: {case.company.name or 'интернет-магазин'}"
    return "\n\n".join(x for x in (title, " ".join(lines), first_name) if x) + "\n"


# --------------------------------------------------------------------------- the use case


@dataclass
class EscalationOptions:
    """What the user chose: which documents, the forced mode, the new term, court data not in the case."""

    only: tuple[str, ...] | None = None
    force: bool = False
    reply_days: int = DEFAULT_REPLY_DAYS
    moral_damages: Decimal | None = None
    court_name: str | None = None
    costs: tuple[tuple[str, Decimal], ...] = ()
    refused_on: dt.date | None = None
    templates_dir: Path | None = None
    claim_date: dt.date | None = None  # the date printed on the first claim (from the registry)


@dataclass
class EscalationResult:
    documents: list = field(default_factory=list)
    deadline: Deadline | None = None
    sums: Sums | None = None
    warnings: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The ``--json`` contract: documents, deadline, penalty, warnings."""
        last = self.deadline.last_day if self.deadline else None
        return {
            "documents": [d.as_dict() for d in self.documents],
            "deadline": last.isoformat() if last else None,
            "penalty": f"{self.sums.penalty_total:.2f}" if self.sums else "0.00",
            "warnings": list(self.warnings),
        }


def with_case_defaults(opts: EscalationOptions, case: Case) -> EscalationOptions:
    """Options given on the command line win; otherwise the case's own ``court`` section supplies them."""
    from dataclasses import replace

    if case.court is None:
        return opts
    costs = opts.costs or tuple((c.description or "расходы", c.amount) for c in case.court.costs if c.amount)
    return replace(opts, court_name=opts.court_name or case.court.name, costs=costs)


def escalate(case: Case, *, out_dir: Path, on: dt.date, options: EscalationOptions | None = None) -> EscalationResult:
    """Draft the allowed escalation documents of a validated case into ``out_dir`` (never overwriting without force)."""
    from complaint_cli.documents import Document, document_name, write_document
    from complaint_cli.render import load_template

    opts = with_case_defaults(options or EscalationOptions(), case)
    if case.submission.sent_on and on < case.submission.sent_on:
        raise ComplaintError(f"Дата документов ({fmt_date(on)}) раньше отправки претензии "
                             f"({fmt_date(case.submission.sent_on)}): проверьте --on.")
    deadline = escalation_deadline(case)
    kinds, notes = allowed_kinds(case, deadline, on, opts.only, force=opts.force, refused_on=opts.refused_on)
    sums = escalation_sums(case, deadline, on)
    sums.claim_date = opts.claim_date or sums.claim_date
    result = EscalationResult(deadline=deadline, sums=sums)
    warn = result.warnings
    for note in [*notes, *deadline.notes, *sums.console()]:
        if note not in warn:
            warn.append(note)
    if "rospotrebnadzor" in kinds:
        case_region(case)  # an unknown region is an error before anything is written
    if "court" in kinds and sums.court_blocker:  # never sue an aggregator as the seller (ЗоЗПП ст. 12 п. 2.2)
        others = ",".join(k for k in kinds if k != "court")
        raise ComplaintError(sums.court_blocker, hint=f"Остальные документы: complaint escalate ДЕЛО --only {others}"
                             if others else None)
    from complaint_cli.bank import bank_hint, bank_refusal

    if "bank" in kinds and (refusal := bank_refusal(case)) is not None:  # before anything is written
        others = ",".join(k for k in kinds if k != "bank")
        raise ComplaintError(refusal, hint=f"Остальные документы: complaint escalate ДЕЛО --only {others}"
                             if others else "Другие документы: complaint escalate ДЕЛО")
    from complaint_cli.appendix import appendix_reason

    with_appendix = [k for k in kinds if k in APPENDIX_KINDS]
    no_appendix = appendix_reason(sums, why=False) if with_appendix else None  # not_owed: in sums.console()
    if no_appendix is not None:
        warn.append(no_appendix)
    for kind in kinds:
        if kind == "review":
            data = review_text(case, deadline, on, kinds, analysis=sums).encode("utf-8")
            name = document_name(kind, case, "txt")
        elif kind == "bank":
            from complaint_cli.bank import TEMPLATE, bank_context

            ctx, extra = bank_context(case, deadline, sums, on=on, refused_on=opts.refused_on,
                                      claim_date=sums.claim_date)
            warn.extend(x for x in extra if x not in warn)
            data = _extra_template(TEMPLATE, opts.templates_dir, warn).render(ctx)
            name = document_name(kind, case)
        else:
            if kind == "inaction":
                ctx = inaction_context(case, deadline, sums, on=on, reply_days=opts.reply_days,
                                       refused_on=opts.refused_on)
            elif kind == "rospotrebnadzor":
                ctx, extra = rospotrebnadzor_context(case, deadline, on=on, refused_on=opts.refused_on,
                                                     claim_date=sums.claim_date)
                warn.extend(x for x in extra if x not in warn)
                result.next_steps.extend(filing_routes(case))
            else:
                from complaint_cli.court import court_context

                ctx, extra = court_context(case, deadline, sums, on=on, moral_damages=opts.moral_damages,
                                           court_name=opts.court_name, costs=opts.costs,
                                           refused_on=opts.refused_on)
                warn.extend(x for x in extra if x not in warn)
            data = load_template(f"{kind}.docx", opts.templates_dir).render(ctx)
            name = document_name(kind, case)
        path = write_document(out_dir, name, data, force=opts.force)
        result.documents.append(Document(kind, path))
        if with_appendix and kind == with_appendix[-1] and no_appendix is None:  # after the letters it goes with
            from complaint_cli.appendix import TEMPLATE as APPENDIX, penalty_appendix_context

            ctx = penalty_appendix_context(case, deadline, sums, on)
            data = _extra_template(APPENDIX, opts.templates_dir, warn).render(ctx)
            path = write_document(out_dir, document_name("penalty", case), data, force=opts.force)
            result.documents.append(Document("penalty", path))
    if "bank" not in kinds and (hint := bank_hint(case)) is not None:
        result.next_steps.append(hint)
    return result


def _extra_template(name: str, templates_dir: Path | None, warnings: list[str]):
    """An issue-18 template (the appendix, the bank request) from the user's templates folder when it has one,
    else the bundled one: a folder exported before these existed still works (and says so)."""
    from complaint_cli.render import load_template

    if templates_dir is not None and not (Path(templates_dir) / name).is_file():
        note = f"В папке шаблонов {templates_dir} нет файла {name}: использован встроенный шаблон."
        if note not in warnings:
            warnings.append(note)
        templates_dir = None
    return load_template(name, templates_dir)


# --------------------------------------------------------------------------- a case file, the registry, the terminal

# Court and bank data the case model holds (saved back to the case file when asked on a terminal).
_SAVED_FIELDS = ("claimant.birth_date", "claimant.birth_place", "claimant.identifier",
                 "representative.power_of_attorney", "bank.name", "bank.card", "bank.operation_on", "bank.amount")


def claim_document_date(events: list) -> dt.date | None:
    """The date printed on the first claim: the latest claim rendered (the registry records the claim's own date)."""
    dates = [e.on_date for e in events if e.kind == "rendered" and e.reference == "claim" and e.on_date]
    return dates[-1] if dates else None


def refusal_date(events: list) -> dt.date | None:
    """The date of the company's refusal when its latest reply in the registry is ``refused``."""
    replies = [e for e in events if e.kind == "reply"]
    last = replies[-1] if replies else None
    return last.on_date if last is not None and last.outcome == "refused" else None


def ask_court_data(case_path: Path, raw: dict[str, Any], missing: list[tuple[str, str]], asker: Any,
                   options: EscalationOptions, *, today: dt.date) -> tuple[Case, EscalationOptions]:
    """Ask for the court (or bank) data the case lacks (empty answer = leave the blank); save case fields to the file.

    Answers go through the one validation path (validation.validate_data) and are saved to the case file: the
    court's name as ``court.name``; the moral-damages sum is used for this run (it belongs to a demand the user
    words themselves). Only the answered keys are written, into the file as it is then (casefile.update_case: what
    another command wrote while the questions were asked is kept, and so is the user's formatting).
    """
    import copy
    from dataclasses import replace

    from complaint_cli.casefile import update_case
    from complaint_cli.money import parse_amount
    from complaint_cli.validation import validate_data
    from complaint_cli.wizard import get_path, set_path

    data = copy.deepcopy(raw)
    saved: list[str] = []  # the dotted keys answered: written to the case file
    for path, label in missing:
        if path in _SAVED_FIELDS:
            def check(text: str, path: str = path) -> str | None:
                if not text.strip():
                    return None
                trial = copy.deepcopy(data)
                set_path(trial, path, text.strip())
                errors = [p.message for p in validate_data(trial, today=today).errors if p.field == path]
                return errors[0] if errors else None

            document = "Заявление в банк" if path.startswith("bank.") else "Иск"
            answer = asker.text(f"{document}: {label} (Enter — оставить пропуск)", validate=check).strip()
            if answer:
                set_path(data, path, answer)
                saved.append(path)
        elif path == "--moral-damages":
            def money(text: str) -> str | None:
                try:
                    return None if not text.strip() or parse_amount(text) > 0 else "Сумма должна быть больше нуля"
                except ValueError as exc:
                    return str(exc)

            answer = asker.text(f"Иск: {label}, руб. (Enter — оставить пропуск)", validate=money).strip()
            if answer:
                options = replace(options, moral_damages=parse_amount(answer))
        elif path == "--court-name":
            answer = asker.text("Иск: суд, например «Мировому судье судебного участка № 5 Тверского района "
                                "г. Москвы» (Enter — оставить пропуск)").strip()
            if answer:
                options = replace(options, court_name=answer)
                set_path(data, "court.name", answer)
                saved.append("court.name")
    report = validate_data(data, today=today)
    case = report.raise_for_errors()
    if saved:
        written = case.to_data()  # the answers as the case holds them (a date in ISO form)
        changes = {key: get_path(written, key) for key in saved}
        case = update_case(case_path, changes,
                           validate=lambda fresh: validate_data(fresh, today=today).raise_for_errors())
    return case, options


def escalate_file(
    case_ref: str | Path,
    *,
    out_dir: Path | None = None,
    on: dt.date,
    today: dt.date,
    options: EscalationOptions | None = None,
    asker: Any = None,
) -> EscalationResult:
    """``complaint escalate``: validate the case file, consult the registry, draft the documents, register them.

    ``case_ref`` is a case file or a registry id; a file never registered is registered now. A ``refused`` reply in
    the registry allows escalation before the deadline. With an ``asker`` (a terminal) the missing court data is
    asked for before the court claim is drafted.
    """
    from dataclasses import replace

    from complaint_cli.casefile import read_case_data
    from complaint_cli.errors import RegistryError, SampleCase
    from complaint_cli.registry import Registry
    from complaint_cli.tracking import record_document, resolve_case
    from complaint_cli.validation import validate_data

    opts = options or EscalationOptions()
    warnings: list[str] = []
    path, record_id = Path(case_ref), None
    try:
        with Registry.open() as reg:
            record = resolve_case(case_ref, reg, today=today)
            path, record_id = record.case_file, record.id
            events = reg.events(record.id)
            if opts.refused_on is None:
                opts = replace(opts, refused_on=refusal_date(events))
            if opts.claim_date is None:
                opts = replace(opts, claim_date=claim_document_date(events))
    except SampleCase:
        pass  # a sample tried in place: no registry; said below
    except RegistryError as exc:
        warnings.append(f"Реестр дел недоступен ({exc.message}): ответ компании не проверен, документы не "
                        "будут записаны в историю дела.")
    raw = read_case_data(path)
    report = validate_data(raw, today=today)
    case = report.raise_for_errors()
    if any(e.file for e in case.evidence):  # the letters list each photo with its capture time, as the claim does
        from complaint_cli.evidence import check_evidence, with_capture_times

        files, _ = check_evidence(case, path.resolve().parent, missing_ok=True)
        case = with_capture_times(case, files, copy=False)
    opts = with_case_defaults(opts, case)
    if asker is not None:
        deadline = escalation_deadline(case)
        kinds, _ = allowed_kinds(case, deadline, on, opts.only, force=opts.force, refused_on=opts.refused_on)
        from complaint_cli.court import missing_court_data

        missing = missing_court_data(case, opts.moral_damages, opts.court_name) if "court" in kinds else []
        if "bank" in kinds:
            from complaint_cli.bank import bank_refusal, missing_bank_data

            missing += missing_bank_data(case) if bank_refusal(case) is None else []
        if missing:
            case, opts = ask_court_data(path, raw, missing, asker, opts, today=today)
    from complaint_cli.paths import case_output_dir, is_example

    out = Path(out_dir) if out_dir is not None else case_output_dir(path)
    if is_example(path):
        from complaint_cli.samples import TRY_NOTE

        warnings.append(TRY_NOTE.format(out=out, name=path.stem))
    result = escalate(case, out_dir=out, on=on, options=opts)
    result.warnings[:0] = [w for w in warnings + report.warnings if w not in result.warnings]
    if record_id is not None:
        try:
            for doc in result.documents:
                record_document(path, case, doc.kind, doc.path, on=on)
        except RegistryError as exc:
            result.warnings.append(f"Документы составлены, но не записаны в реестр дел: {exc.message}")
    result.next_steps.insert(0, "Проверьте тексты, заполните пропуски «____», подпишите и отправьте документы; "
                                "статус дела: complaint status")
    return result
