"""The request to the card's issuing bank to dispute a card payment (chargeback, «диспут», «оспаривание операции»).

For a payment charged twice or too much, or not refunded (problem kinds ``overcharge``, ``refund_not_received``),
``complaint escalate ДЕЛО --only bank`` drafts ``bank.docx``: the card (masked), the operation (date, time, amount,
merchant), the disputed sum, what the consumer did to settle it with the company (the first claim's history, as the
other escalation letters tell it) and the attachments.

It is not a statutory procedure: the bank examines the request under the payment system's rules and decides itself.
The letter and the console say so (``data/bank_dispute.yaml``, with its sources); no filing deadline is named — none
was confirmed in a public source. Data the case lacks becomes the blank «____» listed in the warnings, as the court
claim does (and a terminal asks for it: escalation.ask_court_data).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

from complaint_cli.court import BLANK, _addressees_genitive
from complaint_cli.law.analysis import Analysis, _end
from complaint_cli.law.deadlines import Deadline, fmt_date
from complaint_cli.language import bind_legal, with_aside
from complaint_cli.model import Case
from complaint_cli.money import format_amount

TEMPLATE = "bank.docx"
MAX_CARD_DIGITS = 10  # a mask shows at most the first 6 and the last 4 digits of the card number (PCI DSS 3.4)
MIN_CARD_DIGITS = 4

BANK_VARIABLES: dict[str, str] = {
    "bank.heading": "«В ПАО …» — банк, выпустивший карту (bank.name), или пропуск",
    "bank.address": "адрес банка или пусто",
    "bank.email": "e-mail банка или пусто",
    "claimant.name_genitive": "ФИО заявителя в родительном падеже",
    "claimant.address": "почтовый адрес заявителя",
    "claimant.phone": "телефон",
    "claimant.email": "e-mail или пусто",
    "claimant.signature": "инициалы и фамилия",
    "card_sentence": "«Я являюсь держателем банковской карты 2202 20** **** 1234, выпущенной вашим банком.»",
    "operation_sentence": "дата и время операции, получатель платежа, сумма, код операции; за какой заказ",
    "problem_sentence": "что не так с операцией (из анализа) и оспариваемая сумма",
    "problem.description": "описание проблемы дословно",
    "history": "абзацы о претензии продавцу: когда и как направлена, получена, срок, ответ",
    "requests": "просьбы к банку (список строк)",
    "not_statute": "«Мне известно, что это не установленная законом процедура…» (data/bank_dispute.yaml)",
    "reply_sentence": "куда направить ответ",
    "attachments": "приложения: копия претензии, доказательство отправки, выписка по карте, чек, доказательства",
    "date": "дата заявления ДД.ММ.ГГГГ (--on)",
}


@lru_cache(maxsize=1)
def rules() -> dict[str, Any]:
    """``data/bank_dispute.yaml``: the not-a-statute sentence, the problem kinds, the filing advice and sources."""
    from complaint_cli import yamlio

    return yamlio.bundled("bank_dispute.yaml")


def not_statute() -> str:
    return " ".join(rules()["not_statute"].split())


def bank_refusal(case: Case) -> str | None:
    """Why a bank request is not drafted for this case (Russian), or None when the problem kind fits."""
    from complaint_cli.model import PROBLEM_LABELS

    fits = rules()["problem_kinds"]
    if any(k in fits for k in case.problem_kinds()):
        return None
    labels = ", ".join(f"«{PROBLEM_LABELS.get(k, k)}» ({k})" for k in fits)
    have = ", ".join(case.problem_kinds()) or "не указана"
    return (f"Заявление в банк об оспаривании операции составляется только по проблемам с оплатой картой: {labels}. "
            f"Проблема заказа в деле (problem.kind, problem.also): {have}.")


# --------------------------------------------------------------------------- the card


def card_problem(value: str | None) -> str | None:
    """The validation message for ``bank.card`` (Russian), or None: a mask, never the full card number."""
    if not value or not value.strip():
        return None
    digits = re.sub(r"\D", "", value)
    if len(digits) > MAX_CARD_DIGITS:
        return ("похоже на полный номер карты: укажите только маску — первые 6 и последние 4 цифры, остальные "
                "замените звёздочками («2202 20** **** 1234»), или последние 4 цифры («**** 1234»). Полный номер "
                "карты в заявлении не нужен, и его нельзя никому сообщать")
    if len(digits) < MIN_CARD_DIGITS:
        return "укажите хотя бы последние 4 цифры номера карты, например «**** 1234»"
    return None


def card_mask(value: str) -> str:
    """The mask as printed: the user's mask, or — defensively, should a full number ever get here — «**** 1234»."""
    text = " ".join(value.split())
    digits = re.sub(r"\D", "", text)
    if len(digits) > MAX_CARD_DIGITS:
        return f"**** {digits[-4:]}"
    return text


_PAYMENT_MASK = re.compile(r"\*+\s?(\d{4})\b")  # «картой ****1234», «карта *1234» in order.payment


def payment_card(case: Case) -> str | None:
    """The card's mask from ``order.payment`` («картой ****1234» → «**** 1234»), when the consumer wrote one there."""
    found = _PAYMENT_MASK.search(case.order.payment or "")
    return f"**** {found.group(1)}" if found else None


# --------------------------------------------------------------------------- the data


def missing_bank_data(case: Case) -> list[tuple[str, str]]:
    """What the request needs but the case lacks: (field, Russian description)."""
    b = case.bank
    missing = []
    if b is None or not b.name:
        missing.append(("bank.name", "банк, выпустивший карту"))
    if (b is None or not b.card) and payment_card(case) is None:
        missing.append(("bank.card", "маска карты (первые 6 и последние 4 цифры или последние 4)"))
    if b is None or not b.operation_on:
        missing.append(("bank.operation_on", "дата операции по выписке"))
    if b is None or b.amount is None:
        missing.append(("bank.amount", "сумма операции по выписке"))
    return missing


def disputed_amount(case: Case, sums: Analysis) -> Decimal | None:
    """The sum disputed: ``bank.disputed_amount``; else the money demanded back for the card problem (the analysis'
    demands about the overcharge or the refund); else the whole operation (``bank.amount``)."""
    b = case.bank
    if b is not None and b.disputed_amount is not None:
        return b.disputed_amount
    fits = rules()["problem_kinds"]
    demanded = [d.amount for d in sums.principal if d.problem in fits and d.amount is not None]
    if demanded:
        return sum(demanded, Decimal("0.00"))
    return b.amount if b is not None else None


def _merchant(case: Case) -> tuple[str, bool]:
    """The payee as the statement names it; without ``bank.merchant``, the company (said in the console)."""
    b = case.bank
    if b is not None and b.merchant:
        return b.merchant, False
    return case.company.name or BLANK, True


def bank_context(case: Case, deadline: Deadline, sums: Analysis, *, on: dt.date, refused_on: dt.date | None = None,
                 claim_date: dt.date | None = None) -> tuple[dict[str, Any], list[str]]:
    """The context of ``templates/bank.docx`` (see :data:`BANK_VARIABLES`) and the remarks for the console."""
    from complaint_cli.claim import claimant_context
    from complaint_cli.escalation import first_claim_attachments, history

    refusal = bank_refusal(case)
    if refusal is not None:
        from complaint_cli.errors import ComplaintError

        raise ComplaintError(refusal)
    b = case.bank
    o = case.order
    who = claimant_context(case)
    notes = [not_statute()]
    for field_, label in missing_bank_data(case):
        notes.append(f"Заявление в банк: не указано — {label} ({field_}); в тексте оставлен пропуск «{BLANK}».")

    card = card_mask(b.card) if b is not None and b.card else payment_card(case) or BLANK
    if (b is None or not b.card) and card != BLANK:
        notes.append(f"Заявление в банк: маска карты ({card}) взята из order.payment; полную маску (первые 6 и "
                     "последние 4 цифры) можно указать в bank.card.")
    merchant, defaulted = _merchant(case)
    if defaulted:
        notes.append(f"Заявление в банк: получатель платежа (bank.merchant) не указан — указана компания {merchant}; "
                     "сверьте с выпиской по карте: там получатель может называться иначе.")
    when = fmt_date(b.operation_on) if b is not None and b.operation_on else BLANK
    if b is not None and b.operation_at:
        when += f" в {b.operation_at}"
    amount = format_amount(b.amount) if b is not None and b.amount is not None else f"{BLANK} руб."
    reference = f", код операции (RRN) {b.reference}" if b is not None and b.reference else ""
    order = f"заказа № {o.number}" if o.number else "заказа"
    if o.date:
        order += f" от {fmt_date(o.date)}"
    brand = (case.company.brand or "").strip("«»\" ")
    service = with_aside(case.company.name or BLANK, f"сервис «{brand}»" if brand else None)
    operation = (_end(f"{when} по карте проведена операция оплаты в пользу {merchant} на сумму {amount}{reference}")
                 + f" Это оплата {order} в {service}.")

    disputed = disputed_amount(case, sums)
    disputed_text = format_amount(disputed) if disputed is not None else f"{BLANK} руб."
    fits = rules()["problem_kinds"]
    facts = " ".join(v.facts for v in sums.violations if v.kind in fits)
    problem = f"{facts} Оспариваю операцию в сумме {disputed_text}."

    requests = [
        f"Рассмотреть настоящее заявление и оспорить указанную операцию в сумме {disputed_text} по правилам "
        "платёжной системы, в которой выпущена карта (оспаривание операции, диспут).",
        "По результатам рассмотрения вернуть оспариваемую сумму на счёт карты.",
        "Сообщить, какие ещё документы нужны для рассмотрения заявления, и о его результатах — в письменной форме.",
    ]
    address = who["address"] or BLANK
    reply = f"Ответ прошу направить по адресу: {address}" + (f" или по электронной почте {who['email']}"
                                                              if who["email"] else "") + "."
    from complaint_cli.claim import claim_context

    evidence = claim_context(case, on=on, analysis=sums)["attachments"]
    attachments = first_claim_attachments(case, refused_on, claim_date)
    attachments.append("Выписка по счёту карты (или снимок экрана мобильного банка) с оспариваемой операцией")
    if not any("чек" in item.lower() for item in evidence):
        attachments.append("Кассовый чек по заказу" + (f" № {o.number}" if o.number else ""))
    attachments += [x for x in evidence if x not in attachments]

    name = b.name if b is not None and b.name else None
    statute = not_statute()
    ctx = {
        "bank": {"heading": f"В {name}" if name else f"В {BLANK} (банк, выпустивший карту)",
                 "address": b.address if b is not None and b.address else "",
                 "email": b.email if b is not None and b.email else ""},
        "claimant": who,
        "card_sentence": f"Я являюсь держателем банковской карты {card}, выпущенной вашим банком.",
        "operation_sentence": bind_legal(operation),
        "problem_sentence": bind_legal(problem),
        "problem": {"description": case.problem.description or ""},
        "history": history(case, deadline, on, refused_on=refused_on, who=_addressees_genitive(sums),
                           claim_date=claim_date),
        "requests": [bind_legal(r) for r in requests],
        "not_statute": bind_legal(f"Мне известно, что {statute[0].lower()}{statute[1:]} Это заявление не заменяет "
                                  "требований по Закону РФ «О защите прав потребителей», предъявленных мною в "
                                  "претензии."),
        "reply_sentence": bind_legal(reply),
        "attachments": attachments,
        "date": fmt_date(on),
    }
    notes.append(" ".join(rules()["terms"].split()))
    notes.append(" ".join(rules()["without_consent"].split()))
    return ctx, notes


def bank_hint(case: Case) -> str | None:
    """For ``escalate`` without ``--only bank``: that a card payment can also be disputed at the bank."""
    if bank_refusal(case) is not None:
        return None
    return ("Оплата картой: операцию можно оспорить и через банк, выпустивший карту — complaint escalate ДЕЛО "
            "--only bank (банк, маска карты, дата и сумма операции — в разделе bank дела). " + not_statute())
