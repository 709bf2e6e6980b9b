"""The first claim (претензия): who it goes to, what it says, and the context its Word template receives.

The wording follows law.md §1.2–1.3. Variable sentences are built here; fixed sentences live in the template
(``templates/claim.docx``) where a lawyer can edit them. Every variable is listed in :data:`CLAIM_VARIABLES`, from
which docs/template-variables.md is generated.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from complaint_cli.model import MONEY_DEMANDS, Case

LAW = "Закона РФ «О защите прав потребителей»"
LAW_FULL_INSTR = "Законом РФ от 07.02.1992 № 2300-1 «О защите прав потребителей»"

# Goods-quality problems go to the seller on the receipt, with a copy to the service (law.md §1.5).
SELLER_PROBLEMS = frozenset({"wrong_items", "poor_quality", "expired_goods"})

PROBLEM_FACTS: dict[str, str] = {
    "late_delivery": "Однако в согласованный срок заказ мне передан не был.",
    "missing_items": "Однако при получении заказа выяснилось, что часть оплаченных товаров мне не передана (недовложение).",
    "wrong_items": "Однако вместо заказанных товаров мне были переданы другие товары, не соответствующие описанию.",
    "poor_quality": "Однако переданный мне товар оказался ненадлежащего качества.",
    "expired_goods": (
        "Однако мне был передан товар с истёкшим сроком годности, продажа которого запрещена "
        f"(п. 5 ст. 5 {LAW})."
    ),
    "overcharge": "Однако с меня была списана сумма, превышающая стоимость заказа.",
    "refund_not_received": "Однако уплаченные мною денежные средства до настоящего времени не возвращены.",
    "courier_conduct": "Однако при доставке заказа курьер исполнителя допустил нарушения.",
    "other": "Однако мои права как потребителя были нарушены.",
}

# A participial clause («денежные средства, уплаченные за …») is closed by a comma before «в размере».
REFUND_TARGET: dict[str, str] = {
    "late_delivery": "предварительно уплаченные за недоставленный товар денежные средства",
    "missing_items": "денежные средства, уплаченные за непереданные товары,",
    "wrong_items": "денежные средства, уплаченные за товар, не соответствующий описанию,",
    "poor_quality": "денежные средства, уплаченные за товар ненадлежащего качества,",
    "expired_goods": "денежные средства, уплаченные за товар с истёкшим сроком годности,",
    "overcharge": "излишне списанные денежные средства",
    "refund_not_received": "уплаченные денежные средства",
}

PENALTY_PHRASES: dict[str, str] = {
    "23": f"неустойку в размере 1 % цены товара за каждый день просрочки (ст. 23 {LAW})",
    "23.1": f"неустойку в размере 0,5 % суммы предварительной оплаты за каждый день просрочки (ст. 23.1 {LAW})",
    "28": f"неустойку в размере 3 % цены услуги за каждый день просрочки (п. 5 ст. 28 {LAW})",
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
    "facts.problem": "вводная фраза о нарушении по виду проблемы",
    "order.number": "номер заказа (как введён)",
    "order.date": "дата заказа ДД.ММ.ГГГГ",
    "order.amount": "сумма заказа цифрами и прописью",
    "order.goods": "список строк «Название — 2 шт. × 150 руб. 00 коп.»",
    "problem.description": "описание проблемы дословно (переносы строк сохраняются)",
    "grounds": "список абзацев с правовыми основаниями",
    "articles": "ссылка на закон для фразы «руководствуясь …»",
    "demands": "список требований: .number, .text, .kind, .amount (цифрами и прописью или пусто)",
    "deadline_sentence": "предложение о сроке удовлетворения требований со статьями",
    "refund_sentence": "куда вернуть деньги (или пусто, если денежных требований нет)",
    "consequences.penalty": "перечень неустоек для фразы о последствиях (с запятой в конце) или пусто",
    "attachments": "список приложений (из доказательств)",
    "date": "дата претензии ДД.ММ.ГГГГ",
}


@dataclass(frozen=True)
class Parties:
    """Who the claim is addressed to, and who gets a copy (law.md §1.5)."""

    addressee_name: str
    addressee_address: str
    addressee_inn: str | None
    addressee_ogrn: str | None
    addressee_email: str | None
    position: str | None
    copy_name: str | None
    copy_address: str | None
    to_seller: bool


def parties(case: Case) -> Parties:
    c, s = case.company, case.seller
    kind = case.problem.kind.value if case.problem.kind else "other"
    if s is not None and s.name and kind in SELLER_PROBLEMS:
        return Parties(s.name, s.address or "", s.inn, s.ogrn, None, None, _company_label(case), c.address, True)
    return Parties(_company_label(case), c.address or "", c.inn, c.ogrn, c.email, c.head_position, None, None, False)


def _company_label(case: Case) -> str:
    c = case.company
    name = c.name or ""
    brand = (c.brand or "").strip("«»\" ")
    if brand and brand.lower() not in name.lower():
        name += f" (сервис «{brand}»)"
    return name


def format_phone(phone: str | None) -> str:
    if not phone:
        return ""
    if phone.startswith("+7") and len(phone) == 12:
        d = phone[2:]
        return f"+7 {d[:3]} {d[3:6]}-{d[6:8]}-{d[8:]}"
    return phone


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
    return d.strftime("%d.%m.%Y") if d else ""


def _money(amount: Decimal | None) -> str:
    from complaint_cli.money import format_amount

    return format_amount(amount) if amount is not None else ""


def demand_text(case: Case, kind: str, amount: Decimal | None, text: str | None) -> str:
    problem = case.problem.kind.value if case.problem.kind else "other"
    money = f" в размере {_money(amount)}" if amount is not None else ""
    base = {
        "refund": f"Вернуть {REFUND_TARGET.get(problem, 'уплаченные денежные средства')}{money}".rstrip(",") + ".",
        "replacement": "Заменить товар ненадлежащего качества на аналогичный товар надлежащего качества.",
        "price_reduction": (
            f"Соразмерно уменьшить цену заказа на {_money(amount)} и вернуть мне эту сумму."
            if amount is not None else "Соразмерно уменьшить цену заказа."
        ),
        "compensation": f"Возместить причинённые мне убытки{money}.",
        "deliver": "Передать мне оплаченный, но не переданный товар."
        if problem != "missing_items" else "Передать мне недостающие оплаченные товары.",
        "apology": "Принести мне письменные извинения, провести служебную проверку по факту нарушения и сообщить мне о её результатах.",
        "moral_damages": f"Компенсировать причинённый мне моральный вред{money} (ст. 15 {LAW}).",
        "other": "",
    }[kind]
    extra = (text or "").strip()
    if kind == "other":
        return extra
    return f"{base} {extra}".strip() if extra else base


def _numbers(nums: list[int]) -> str:
    if len(nums) == 1:
        return f"пункта {nums[0]}"
    return "пунктов " + ", ".join(str(n) for n in nums[:-1]) + f" и {nums[-1]}"


def deadline_sentence(case: Case) -> str:
    """One sentence with the statutory term of each group of demands and its article (law.md §2.3)."""
    from complaint_cli.law.deadlines import demand_rule
    from complaint_cli.money import days_phrase

    problem = case.problem.kind.value if case.problem.kind else "other"
    groups: dict[int, tuple[list[int], list[str]]] = {}
    no_term: list[int] = []
    for i, d in enumerate(case.demands, 1):
        if d.kind is None:
            continue
        rule = demand_rule(problem, d.kind.value)
        if rule.days is None:
            no_term.append(i)
            continue
        nums, articles = groups.setdefault(rule.days, ([], []))
        nums.append(i)
        if rule.article not in articles:
            articles.append(rule.article)
    parts = []
    single = len(case.demands) == 1
    for days, (nums, articles) in sorted(groups.items()):
        if single:
            what = "Указанное требование"
        elif len(nums) == len(case.demands):
            what = "Указанные требования"
        else:
            what = f"Требования {_numbers(nums)}" if len(nums) > 1 else f"Требование {_numbers(nums)}"
        parts.append(
            f"{what} прошу удовлетворить в течение {days_phrase(days)} со дня получения настоящей претензии "
            f"({'; '.join(articles)})."
        )
    if no_term:
        what = "Требование" if single else f"Требования {_numbers(no_term)}"
        parts.append(f"{what} о компенсации морального вреда прошу удовлетворить в добровольном порядке.")
    return " ".join(parts)


def claim_context(case: Case, *, on: dt.date) -> dict[str, Any]:
    """Everything the claim template receives. ``on`` is the claim's date when it has not been sent yet."""
    from complaint_cli.law.deadlines import demand_rule, legal_grounds, problem_info

    problem = case.problem.kind.value if case.problem.kind else "other"
    p = parties(case)
    o, c = case.order, case.company
    kinds = [d.kind.value for d in case.demands if d.kind]
    brand = (c.brand or "").strip("«»\" ")
    from complaint_cli.language import legal_form_genitive

    via = f"через сервис «{brand}»" if brand else f"у {legal_form_genitive(c.name)}" if c.name else ""
    time = f" в {o.time}" if o.time else ""
    order_sentence = (
        f"{_date(o.date)}{time} {via} мною оформлен и оплачен заказ № {o.number} на сумму {_money(o.amount)}"
        + (f" ({o.payment})" if o.payment else "")
        + "."
    )
    if o.delivery_due:
        order_sentence += f" Срок доставки заказа — {_date(o.delivery_due)}."
    if o.delivery_fee:
        order_sentence += f" Стоимость доставки составила {_money(o.delivery_fee)}."
    seller_sentence = ""
    if case.seller is not None and case.seller.name:
        seller_sentence = f"Продавцом товаров согласно кассовому чеку является {case.seller.name}" + (
            f" ({case.seller.address})." if case.seller.address else "."
        )
    problem_sentence = PROBLEM_FACTS[problem]
    if case.problem.discovered_on:
        problem_sentence += f" Нарушение обнаружено {_date(case.problem.discovered_on)}."
    problem_sentence += " Обстоятельства:"

    grounds = [f"– {g.text};" for g in legal_grounds(problem, kinds)]
    if grounds:
        grounds[-1] = grounds[-1][:-1] + "."
        grounds.insert(0, "Считаю, что мои права как потребителя нарушены. Правовые основания моих требований:")

    demands = []
    for i, d in enumerate(case.demands, 1):
        if d.kind is None:
            continue
        demands.append({
            "number": i,
            "kind": d.kind.value,
            "amount": _money(d.amount),
            "text": demand_text(case, d.kind.value, d.amount, d.text),
        })
    money_demands = [d for d in case.demands if d.kind and d.kind.value in MONEY_DEMANDS]
    refund_sentence = ""
    if money_demands:
        details = (case.claimant.refund_details or "").strip()
        refund_sentence = (
            f"Денежные средства прошу перечислить по следующим реквизитам: {details}" if details
            else "Денежные средства прошу вернуть на банковскую карту, с которой производилась оплата заказа."
        )
        if details and not details.endswith("."):
            refund_sentence += "."
    norms = []
    for kind in kinds:
        norm = demand_rule(problem, kind).penalty_norm
        if norm in PENALTY_PHRASES and PENALTY_PHRASES[norm] not in norms:
            norms.append(PENALTY_PHRASES[norm])
    items = []
    for item in o.items:
        line = item.name or ""
        if item.quantity is not None:
            q = item.quantity.normalize()
            line += f" — {q:f} шт."
        if item.price is not None:
            line += f" × {_money(item.price).split(' (')[0]}"
        items.append(line)

    from complaint_cli.language import bind_legal

    grounds = [bind_legal(g) for g in grounds]
    for d in demands:
        d["text"] = bind_legal(d["text"]) if d["kind"] != "other" else d["text"]
    norms = [bind_legal(n) for n in norms]
    sent_or_today = case.submission.sent_on or on
    info = problem_info(problem)
    return {
        "addressee": addressee_context(p),
        "copy_to": {"name": p.copy_name, "address": p.copy_address or ""} if p.copy_name else None,
        "claimant": claimant_context(case),
        "subtitle": info.subtitle,
        "facts": {"order": order_sentence, "seller": seller_sentence, "problem": bind_legal(problem_sentence)},
        "order": {"number": o.number or "", "date": _date(o.date), "amount": _money(o.amount), "goods": items},
        "problem": {"kind": problem, "title": info.title, "description": case.problem.description or ""},
        "grounds": grounds,
        "articles": LAW_FULL_INSTR,
        "demands": demands,
        "deadline_sentence": bind_legal(deadline_sentence(case)),
        "refund_sentence": refund_sentence,
        "consequences": {"penalty": "".join(f"{n}, " for n in norms)},
        "attachments": [e.description + (f" (файл {_basename(e.file)})" if e.file else "") for e in case.evidence if e.description],
        "date": _date(sent_or_today),
    }


def _basename(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]
