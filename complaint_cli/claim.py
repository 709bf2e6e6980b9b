"""The first claim (претензия): who it goes to, what it says, and the context its Word template receives.

The wording follows law.md §1.2–1.3. Variable sentences are built here; fixed sentences live in the template
(``templates/claim.docx``) where a lawyer can edit them. Every variable is listed in :data:`CLAIM_VARIABLES`, from
which docs/template-variables.md is generated.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from complaint_cli.fields import format_phone  # noqa: F401 - the letters' phone format, also imported from here
from complaint_cli.law.deadlines import fmt_date, problem_info
from complaint_cli.model import MONEY_DEMANDS, Case

LAW = "Закона РФ «О защите прав потребителей»"
LAW_FULL_INSTR = "Законом РФ от 07.02.1992 № 2300-1 «О защите прав потребителей»"

# Kept for callers that still import them; the decisions are made in complaint_cli.law.analysis.
from complaint_cli.law.roles import QUALITY_PROBLEMS as SELLER_PROBLEMS  # noqa: E402,F401

PENALTY_PHRASES: dict[str, str] = {
    "23": f"неустойку в размере 1 % цены товара за каждый день просрочки (п. 1 ст. 23 {LAW})",
    "23.1": f"неустойку в размере 0,5 % суммы предварительной оплаты за каждый день просрочки (п. 3 ст. 23.1 {LAW})",
    "28": f"неустойку в размере 3 % цены услуги за каждый день (час) просрочки (п. 5 ст. 28 {LAW})",
    "31.3": f"неустойку в размере 3 % цены услуги за каждый день просрочки удовлетворения требования о цене услуги "
            f"(п. 3 ст. 31 {LAW})",
    "395": "проценты за пользование чужими денежными средствами (ст. 395 ГК РФ)",
}

CLAIM_VARIABLES: dict[str, str] = {
    "addressee.position": "должность руководителя в дательном падеже («Генеральному директору») или пусто",
    "addressee.name": "организация-адресат (в дательном падеже, если должность не указана)",
    "addressee.address": "адрес адресата",
    "addressee.ids": "«ИНН …, ОГРН …» или пусто",
    "addressee.email": "e-mail адресата или пусто",
    "copy_to.name": "кому копия: сервис, когда претензия идёт продавцу из чека (иначе copy_to пусто)",
    "copy_to.address": "адрес получателя копии",
    "copy_to.joint": "истина, если это второй адресат, а не копия (продавец — о качестве товара, агрегатор — о доставке)",
    "copy_to.ids": "«ИНН …, ОГРН …» второго адресата или пусто",
    "claimant.full_name": "ФИО заявителя (именительный падеж)",
    "claimant.name_genitive": "ФИО в родительном падеже («от Иванова Ивана Ивановича»)",
    "claimant.name_dative": "ФИО в дательном падеже",
    "claimant.address": "почтовый адрес заявителя",
    "claimant.phone": "телефон в виде +7 999 123-45-67",
    "claimant.email": "e-mail или пусто",
    "claimant.signature": "инициалы и фамилия для подписи («И. И. Иванов»)",
    "claimant.forced": "«вынужден» / «вынуждена» по полу заявителя",
    "subtitle": "подзаголовок претензии по виду проблемы",
    "facts.order": "предложение о заказе: дата, номер, сумма, сервис",
    "facts.seller": "предложение о продавце из чека или пусто",
    "facts.problem": "что произошло: по предложению на каждое нарушение из анализа (когда обещали, когда привезли, "
    "какие товары), затем «Обстоятельства:»",
    "facts.violations": "те же предложения списком, по одному на нарушение",
    "order.number": "номер заказа (как введён)",
    "order.date": "дата заказа ДД.ММ.ГГГГ",
    "order.amount": "сумма заказа цифрами и прописью",
    "order.goods": "список строк «Название — 2 шт. × 150 руб. 00 коп.»",
    "problem.description": "описание проблемы дословно (каждая строка — отдельный абзац)",
    "problem.kinds": "виды проблем заказа (problem.kind, problem.also и issue товаров)",
    "grounds": "список абзацев с правовыми основаниями",
    "articles": "ссылка на закон для фразы «руководствуясь …»",
    "demands": "список требований: .number, .text, .kind, .amount (цифрами и прописью или пусто), .to (seller/company);"
    " требования сформулированы по предмету (плата за доставку, предоплата, цена товара…) с нормой; в конце — "
    "уже начисленная неустойка (ст. 23.1, п. 5 ст. 28), kind «penalty»",
    "deadline_sentence": "предложение о сроке удовлетворения требований со статьями",
    "refund_sentence": "куда вернуть деньги (или пусто, если денежных требований нет)",
    "consequences.penalty": "перечень неустоек для фразы о последствиях (с запятой в конце) или пусто",
    "attachments": "список приложений: копия кассового чека (order.receipt: дата, сумма, ФН, ФД, ФП), затем "
    "доказательства с датой съёмки фотографий и именем файла",
    "date": "дата претензии ДД.ММ.ГГГГ",
}


@dataclass(frozen=True)
class Parties:
    """Who the claim is addressed to, and who gets a copy (decided by the analysis; law.md §1.5)."""

    addressee_name: str
    addressee_address: str
    addressee_inn: str | None
    addressee_ogrn: str | None
    addressee_email: str | None
    position: str | None
    copy_name: str | None
    copy_address: str | None
    to_seller: bool
    joint: bool = False


def parties(case: Case, analysis: Any = None) -> Parties:
    from complaint_cli.law.analysis import analyze

    a = analysis or analyze(case, case.submission.sent_on or dt.date.today())
    to, cp = a.addressee, a.copy_to
    return Parties(to.name, to.address, to.inn, to.ogrn, to.email if not a.to_seller else None,
                   to.position if not a.to_seller else None, cp.name if cp else None, cp.address if cp else None,
                   a.to_seller, a.joint)


def _company_label(case: Case) -> str:
    from complaint_cli.law.roles import company_label

    return company_label(case)


def person_forms(full_name: str, gender: str | None, genitive: str | None = None, dative: str | None = None) -> dict:
    """Case forms and signature of a person's name; a name the rules cannot parse stays as typed (nominative)."""
    from complaint_cli.language import decline_name, detect_gender, initials

    if not full_name:
        return {"gender": gender, "genitive": genitive or "", "dative": dative or "", "signature": ""}
    try:
        gender = detect_gender(full_name, gender)
        return {
            "gender": gender,
            "genitive": genitive or decline_name(full_name, "genitive", gender),
            "dative": dative or decline_name(full_name, "dative", gender),
            "signature": initials(full_name),
        }
    except ValueError:
        return {"gender": gender, "genitive": genitive or full_name, "dative": dative or full_name,
                "signature": full_name}


def claimant_context(case: Case) -> dict[str, Any]:
    c = case.claimant
    full = c.full_name or ""
    forms = person_forms(full, c.gender.value if c.gender else None, c.name_genitive, c.name_dative)
    gender = forms["gender"]
    return {
        "full_name": full,
        "name_genitive": forms["genitive"],
        "name_dative": forms["dative"],
        "address": c.address or "",
        "phone": format_phone(c.phone),
        "email": c.email or "",
        "signature": forms["signature"],
        "forced": {"male": "вынужден", "female": "вынуждена"}.get(gender or "", "вынужден(а)"),
        "gender": gender or "",
        "region": c.region or "",
        "birth_date": _date(c.birth_date),
        "birth_place": c.birth_place or "",
        "identifier": c.identifier or "",
    }


def addressee_context(p: Parties) -> dict[str, Any]:
    from complaint_cli.language import legal_form_dative, legal_form_genitive, position_dative

    ids = ", ".join(x for x in (f"ИНН {p.addressee_inn}" if p.addressee_inn else "",
                                f"ОГРН {p.addressee_ogrn}" if p.addressee_ogrn else "") if x)
    if p.position:
        position, name = position_dative(p.position), legal_form_genitive(p.addressee_name)
    else:
        position, name = "", legal_form_dative(p.addressee_name)
    return {"position": position, "name": name, "address": p.addressee_address, "ids": ids,
            "email": p.addressee_email or "", "name_nominative": p.addressee_name}


def _date(d: dt.date | None) -> str:
    if not d:
        return ""
    if d.year < 1000:  # strftime's %Y of such a year is not padded on every platform: as it was
        return d.strftime("%d.%m.%Y")
    return f"{d.day:02d}.{d.month:02d}.{d.year}"  # strftime("%d.%m.%Y"), a few times faster


def _money(amount: Decimal | None) -> str:
    from complaint_cli.money import format_amount

    return format_amount(amount) if amount is not None else ""


def _numbers(nums: list[int]) -> str:
    if len(nums) == 1:
        return f"пункта {nums[0]}"
    return "пунктов " + ", ".join(str(n) for n in nums[:-1]) + f" и {nums[-1]}"


def deadline_sentence(case: Case, analysis: Any = None, demands: list[dict] | None = None) -> str:
    """One sentence with the statutory term of each group of demands and its article (law.md §2.3)."""
    from complaint_cli.law.analysis import analyze
    from complaint_cli.money import days_phrase

    a = analysis or analyze(case, case.submission.sent_on or dt.date.today())
    rows = demands if demands is not None else [{"number": d.number, "rule": d.rule} for d in a.demands]
    groups: dict[int, tuple[list[int], list[str]]] = {}
    no_term: list[int] = []
    for d in rows:
        rule = d["rule"]
        if rule.days is None:
            no_term.append(d["number"])
            continue
        nums, articles = groups.setdefault(rule.days, ([], []))
        nums.append(d["number"])
        if rule.article not in articles:
            articles.append(rule.article)
    parts = []
    single = len(rows) == 1
    for days, (nums, articles) in sorted(groups.items()):
        if single:
            what = "Указанное требование"
        elif len(nums) == len(rows):
            what = "Указанные требования"
        else:
            what = f"Требования {_numbers(nums)}" if len(nums) > 1 else f"Требование {_numbers(nums)}"
        parts.append(
            f"{what} прошу удовлетворить в течение {days_phrase(days)} со дня получения настоящей претензии "
            f"({'; '.join(articles)})."
        )
    if no_term:
        what = "Требование" if single else (f"Требование {_numbers(no_term)}" if len(no_term) == 1
                                            else f"Требования {_numbers(no_term)}")
        parts.append(f"{what} о компенсации морального вреда прошу удовлетворить в добровольном порядке.")
    return " ".join(parts)


def allocation_sentence(analysis: Any, demands: list[dict]) -> str:
    """With two addressees: which demands go to whom («Требование пункта 1 предъявляется ООО «А» …»), else ""."""
    from complaint_cli.language import capitalize_first, legal_form_dative

    if not analysis.joint:
        return ""
    parts = []
    for who, role in (("seller", "продавцу"), ("company", "владельцу агрегатора и исполнителю услуги по доставке")):
        nums = [d["number"] for d in demands if d.get("to") == who]
        if nums:
            name = legal_form_dative(analysis.liable_party(who).name)
            parts.append(f"{'требования' if len(nums) > 1 else 'требование'} {_numbers(nums)} "
                         f"{'предъявляются' if len(nums) > 1 else 'предъявляется'} {name} как {role}")
    return (capitalize_first("; ".join(parts)) + ". ") if parts else ""


def accrued_penalty_demands(analysis: Any, first_number: int) -> list[dict]:
    """Penalties that accrue without a claim (ст. 23.1, ст. 28 п. 5) and have started: demanded in the claim too
    (ЗоЗПП ст. 13 п. 5). Each item: number, text, rule (the 10-day term of ст. 31 п. 1 / ст. 23.1 by analogy is not
    claimed: such a demand has the ГК ст. 314 п. 2 term)."""
    from complaint_cli.law.calc import rub
    from complaint_cli.law.deadlines import demand_rule
    from complaint_cli.money import format_amount

    out = []
    rule = demand_rule("other", "other")
    for p in analysis.penalties:
        if p.norm not in {"23.1", "28"} or not p.started:
            continue
        when = f"за период {p.period()}" if p.unit == "hour" or not p.running else f"за период {p.period()}"
        text = (f"Выплатить неустойку {p.what} ({p.article}) {when}: {p.formula()}, то есть "
                f"{format_amount(p.amount)}")
        if p.running and not p.capped:
            text += (f", а также неустойку с {fmt_date(p.end + dt.timedelta(days=1))} по день фактического "  # type: ignore[operator]
                     f"исполнения обязательства в размере {p.daily()}"
                     + (f", но не более {rub(p.cap)} в общей сумме" if p.cap is not None else ""))
        out.append({"number": first_number + len(out), "kind": "penalty", "amount": format_amount(p.amount),
                    "text": text if text.endswith(".") else text + ".", "rule": rule, "to": p.liable})
    return out


def claim_context(case: Case, *, on: dt.date, analysis: Any = None) -> dict[str, Any]:
    """Everything the claim template receives. ``on`` is the claim's date when it has not been sent yet."""
    from complaint_cli.language import bind_legal, legal_form_genitive, user_words, with_aside
    from complaint_cli.law.analysis import analyze

    a = analysis or analyze(case, case.submission.sent_on or on)
    problem = a.kinds[0]
    p = parties(case, a)
    o, c = case.order, case.company
    brand = (c.brand or "").strip("«»\" ")
    via = f"через сервис «{brand}»" if brand else f"у {legal_form_genitive(c.name)}" if c.name else ""
    time = f" в {o.time}" if o.time else ""
    order_sentence = with_aside(
        f"{_date(o.date)}{time} {via} мною оформлен и оплачен заказ № {o.number} на сумму {_money(o.amount)}",
        o.payment,
    ) + "."
    if o.delivery_due and "late_delivery" not in a.kinds:
        order_sentence += f" Срок доставки заказа — {_date(o.delivery_due)}."
    if o.delivery_fee:
        order_sentence += f" Стоимость доставки составила {_money(o.delivery_fee)}."
    if o.delivered_on and "late_delivery" not in a.kinds:
        order_sentence += f" Заказ доставлен {_date(o.delivered_on)}" + (f" в {o.delivered_at}." if o.delivered_at
                                                                          else ".")
    seller_sentence = ""
    if a.roles.aggregator and a.roles.seller_known and a.roles.seller is not None:
        s = a.roles.seller
        seller_sentence = (with_aside(f"Продавцом товаров согласно кассовому чеку является {s.name}", s.address)
                           + f"; {a.roles.company.name} — владелец агрегатора и исполнитель услуги по доставке.")
    elif case.seller is not None and case.seller.name:
        seller_sentence = with_aside(f"Продавцом товаров согласно кассовому чеку является {case.seller.name}",
                                     case.seller.address) + "."
    problem_sentence = " ".join(v.facts for v in a.violations)
    found = case.problem.discovered_on
    if found and found not in {o.delivered_on, o.delivery_due}:  # a date the facts above do not already give
        problem_sentence += f" Нарушение обнаружено {_date(found)}."
    problem_sentence += " Обстоятельства:"

    grounds = [f"– {g.text};" for g in a.grounds()]
    if grounds:
        grounds[-1] = grounds[-1][:-1] + "."
        grounds.insert(0, "Считаю, что мои права как потребителя нарушены. Правовые основания моих требований:")

    demands = [{"number": d.number, "kind": d.kind, "amount": _money(d.amount), "text": d.text, "rule": d.rule,
                "to": d.liable} for d in a.demands]
    demands += accrued_penalty_demands(a, len(demands) + 1)
    money_demands = [d for d in a.demands if d.kind in MONEY_DEMANDS] or [d for d in demands if d["kind"] == "penalty"]
    refund_sentence = ""
    if money_demands:
        details = (case.claimant.refund_details or "").strip()
        refund_sentence = (
            f"Денежные средства прошу перечислить по следующим реквизитам: {details}" if details
            else "Денежные средства прошу вернуть на банковскую карту, с которой производилась оплата заказа."
        )
        if details and not details.endswith("."):
            refund_sentence += "."
    from complaint_cli.law.penalties import claimable

    norms = []
    for d in a.demands:
        norm = d.rule.penalty_norm
        if norm in PENALTY_PHRASES and PENALTY_PHRASES[norm] not in norms and claimable(a, norm):
            norms.append(PENALTY_PHRASES[norm])
    for pl in a.penalties:
        closed = not pl.running and any(d["kind"] == "penalty" for d in demands)  # already demanded in full above
        if PENALTY_PHRASES.get(pl.norm) and PENALTY_PHRASES[pl.norm] not in norms and not closed:
            norms.append(PENALTY_PHRASES[pl.norm])
    items = []
    for item in o.items:
        line = item.name or ""
        if item.quantity is not None:
            q = item.quantity.normalize()
            line += f" — {q:f} шт."
        if item.price is not None:
            line += f" × {_money(item.price).split(' (')[0]}"
        items.append(line)

    grounds = [bind_legal(g) for g in grounds]
    sentence = bind_legal(allocation_sentence(a, demands) + deadline_sentence(case, a, demands))
    for d in demands:
        d.pop("rule", None)
        d["text"] = bind_legal(d["text"]) if d["kind"] != "other" else d["text"]
    norms = [bind_legal(n) for n in norms]
    info = problem_info(problem)
    return {
        "addressee": addressee_context(p),
        "copy_to": _copy_to(p, a),
        "claimant": claimant_context(case),
        "subtitle": a.violations[0].subtitle if len(a.violations) == 1 else (
            "(о нарушении прав потребителя при продаже и доставке заказа)"),
        "facts": {"order": order_sentence, "seller": seller_sentence, "problem": bind_legal(problem_sentence),
                  "violations": [bind_legal(v.facts) for v in a.violations]},
        "order": {"number": o.number or "", "date": _date(o.date), "amount": _money(o.amount), "goods": items},
        "problem": {"kind": problem, "title": info.title, "description": user_words(case.problem.description),
                    "kinds": list(a.kinds)},
        "grounds": grounds,
        "articles": LAW_FULL_INSTR,
        "demands": demands,
        "deadline_sentence": sentence,
        "refund_sentence": refund_sentence,
        "consequences": {"penalty": "".join(f"{n}, " for n in norms)},
        "attachments": attachment_lines(case),
        "date": _date(a.claim_date or on),
    }


def _copy_to(p: Parties, a: Any) -> dict[str, Any] | None:
    """The second addressee (in the dative, with its head's position) or the copy's recipient (as named)."""
    from complaint_cli.language import legal_form_dative, legal_form_genitive, position_dative

    if not p.copy_name:
        return None
    name = p.copy_name
    if p.joint:
        party = a.copy_to
        position = party.position if party is not None else None
        name = f"{position_dative(position)} {legal_form_genitive(name)}" if position else legal_form_dative(name)
    ids = ""
    if p.joint and a.copy_to is not None:
        ids = ", ".join(x for x in (f"ИНН {a.copy_to.inn}" if a.copy_to.inn else "",
                                    f"ОГРН {a.copy_to.ogrn}" if a.copy_to.ogrn else "") if x)
    return {"name": name, "address": p.copy_address or "", "joint": p.joint, "ids": ids}


# An evidence item that only names the receipt («Кассовый чек», as the wizard offers it): the receipt's own line
# (order.receipt) says it with its date, sum and fiscal details.
_RECEIPT_WORDS = re.compile(r"^\s*(копия\s+)?(электронн\w*\s+)?(кассов\w*\s+)?чек(а|и)?(?![\w-])", re.IGNORECASE)


def attachment_items(case: Case) -> list[tuple[str, str]]:
    """«Приложения» of every letter, each with the case field of its file: the receipt's copy (``order.receipt``),
    then every described evidence item with its capture time and file name.

    ``[("Копия кассового чека от 02.11.2026 на сумму 3 480,00 руб. (ФН …, ФД …, ФП …; файл чек.jpg)",
    "order.receipt.file"), ("Фотография упаковки (снято 02.11.2026 в 22:47, файл фото.jpg)", "evidence.0.file")]``.
    The receipt is listed as soon as the case knows it (a paper receipt without a file included): a copy goes with
    the letter, the consumer keeps the original. An evidence item that merely names the receipt and has no file of
    its own is then left out: the receipt's line says it.
    """
    from complaint_cli.language import with_aside
    from complaint_cli.photos import taken_text

    out: list[tuple[str, str]] = []
    receipt = receipt_line(case)
    if receipt:
        out.append((receipt, "order.receipt.file"))
    for i, e in enumerate(case.evidence):
        if not e.description or (receipt and not e.file and _RECEIPT_WORDS.match(e.description)):
            continue
        aside = ", ".join(x for x in (taken_text(e.taken_on, e.taken_at),
                                      f"файл {_basename(e.file)}" if e.file else "") if x)
        out.append((with_aside(e.description, aside), f"evidence.{i}.file"))
    return out


def attachment_lines(case: Case) -> list[str]:
    """The lines of :func:`attachment_items` (the ``attachments`` of the claim's template)."""
    return [text for text, _ in attachment_items(case)]


def receipt_line(case: Case) -> str:
    """«Копия кассового чека от 02.11.2026 на сумму 3 480,00 руб. (ФН …, ФД …, ФП …; файл чек.jpg)», or "" when the
    case has no ``order.receipt``. The date and sum are the order's (filled from the receipt's QR code)."""
    from complaint_cli.language import with_aside
    from complaint_cli.money import format_short

    r, o = case.order.receipt, case.order
    if r is None or not (r.fn or r.fd or r.fp or r.qr or r.file):
        return ""
    text = "Копия кассового чека"
    if o.date:
        text += f" от {_date(o.date)}"
    if o.amount is not None:
        text += f" на сумму {format_short(o.amount)}\u00a0руб."
    ids = ", ".join(f"{label}\u00a0{value}" for label, value in (("ФН", r.fn), ("ФД", r.fd), ("ФП", r.fp)) if value)
    return with_aside(text, "; ".join(x for x in (ids, f"файл {_basename(r.file)}" if r.file else "") if x))


def _basename(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]
