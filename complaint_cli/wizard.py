"""The interactive wizard behind ``complaint new``: questions, drafts, review, and the finished case.

One table of questions (:data:`QUESTIONS`: dotted path, Russian question, kind, condition) serves asking, resuming a
draft or an ``--answers`` file (only what is missing or invalid is asked) and ``--no-input`` (listing what is missing).
Questions are asked where they matter: for a late order the promised slot and whether and when it came; further
problems of the same order; for item problems the items, which problem each has and how many units; for a quality
problem through an aggregator the seller on the receipt (ЗоЗПП ст. 12 п. 2.2).
Every answer is checked by putting it into the case data at its dotted path and running
:func:`complaint_cli.validation.validate_data` — the one validation path — and the message for that path is shown at
the prompt. questionary has no «back», so the wizard ends with a review-and-edit loop. The terminal is behind
:class:`Asker`; :class:`QuestionaryAsker` uses ``unsafe_ask`` (plain ``ask`` swallows Ctrl-C, questionary issue #385)
and Russian instructions instead of questionary's English ones; tests drive it through prompt_toolkit's pipe input.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import partial
from pathlib import Path
from typing import Any, Callable, Protocol

from complaint_cli.law.roles import QUALITY_PROBLEMS
from complaint_cli.model import CHANNEL_LABELS, DEMAND_LABELS, MONEY_DEMANDS, PROBLEM_LABELS
from complaint_cli.presets import MANUAL, all_presets, apply_choice, chosen_key, describe, match_preset, preset_choices

Data = dict[str, Any]
Choices = list[tuple[str, str]]

SECTIONS: dict[str, str] = {
    "claimant": "Ваши данные", "company": "Компания и заказ", "problem": "Что случилось", "demands": "Требования",
    "evidence": "Доказательства", "submission": "Как отправите претензию",
}
DONE, BACK = "__done__", "__back__"
ASKED_MARK = "# Черновик мастера complaint new; уже заданы вопросы: "
SKIP, DATE_HINT = "(Enter — пропустить)", "(ДД.ММ.ГГГГ)"
GENDER_LABELS = {"male": "Мужской", "female": "Женский"}
EVIDENCE_CHOICES = (
    "Скриншот заказа (номер, состав, сумма, время доставки)",
    "Кассовый чек",
    "Скриншоты переписки со службой поддержки",
    "Фотографии товара (с датой, этикеткой, сроком годности)",
    "Выписка по банковской карте о списании денег",
)


class WizardInterrupted(Exception):
    """Ctrl-C (or Ctrl-D) during the wizard; ``data`` holds every answer given so far."""

    def __init__(self, data: Data) -> None:
        super().__init__("прервано пользователем")
        self.data = data


# --------------------------------------------------------------------------- dotted paths


def get_path(data: Any, path: str) -> Any:
    """The value at a dotted path (``demands.0.amount``), or None."""
    for key in path.split("."):
        if isinstance(data, dict):
            data = data.get(key)
        elif isinstance(data, list) and key.isdigit() and int(key) < len(data):
            data = data[int(key)]
        else:
            return None
    return data


def set_path(data: Data, path: str, value: Any) -> None:
    """Set the value at a dotted path, creating sections; an empty value removes the key."""
    *parents, last = path.split(".")
    target: Any = data
    for key in parents:
        if isinstance(target, dict) and not isinstance(target.get(key), (dict, list)):
            target[key] = {}
        target = target[int(key)] if isinstance(target, list) else target[key]  # a list: demands.0.amount
    if _empty(value):
        target.pop(last, None)
    else:
        target[last] = value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


# --------------------------------------------------------------------------- the table of questions


@dataclass(frozen=True)
class Question:
    """One question: ``path`` is where the answer goes (``*`` = each demand); ``kind`` is text, date, money, select,
    confirm, multi (checkbox) or preset. ``when``: does it apply; ``skip``: the answer is known, do not ask; ``item``:
    which demands a ``*`` question is about; ``load``/``store`` replace plain dotted-path access; ``expand`` turns one
    entry of the table into the questions the data needs now (one per item of the order); ``follow``: the questions
    a «Да» to a confirm asks at once (its details); ``reask``: questions answered before that a (non-empty) answer
    asks again (a new item: which problem it has); ``shown``: the answer as the review table shows it; ``check``: what
    the answer itself must be before it is stored (the receipt's file exists)."""

    path: str
    section: str
    message: str
    label: str
    kind: str = "text"
    instruction: str | None = None
    when: Callable[[Data], bool] | None = None
    skip: Callable[[Data], bool] | None = None
    item: Callable[[Data], bool] | None = None
    choices: Callable[[Data], Choices] | None = None
    default: Callable[[Data], Any] | None = None
    load: Callable[[Data], Any] | None = None
    store: Callable[[Data, Any], list[str]] | None = None
    before: Callable[[Data], str | None] | None = None
    after: Callable[[Data], list[str]] | None = None
    expand: Callable[[Data], list[Question]] | None = None
    follow: tuple[str, ...] = ()
    reask: Callable[[Data], list[str]] | None = None
    shown: Callable[[Data], str | None] | None = None
    blank: str = "—"  # shown in the review table when there is no answer
    prefix: bool = False  # validation errors of sub-fields (``evidence.1.description``) belong to this question
    in_table: bool = True  # False: only an entry of the review's edit menu («Добавить товар»)
    check: Callable[[Any], str | None] | None = None  # the raw answer's own check before validation (a file exists)
    key: str = ""  # unique id; the path unless two questions share one

    @property
    def id(self) -> str:
        return self.key or self.path


def _demand_kinds(data: Data) -> list[str]:
    return [d.get("kind") for d in data.get("demands") or [] if isinstance(d, dict) and d.get("kind")]


def _undetected_gender(data: Data) -> bool:
    """Ask the gender only when the name does not tell it (or when it was given already, to allow editing)."""
    from complaint_cli.language import detect_gender

    name = get_path(data, "claimant.full_name")
    try:
        return bool(get_path(data, "claimant.gender")) or bool(name) and detect_gender(str(name)) is None
    except ValueError:
        return True


def _region_known(data: Data) -> bool:
    from complaint_cli.law.regions import region_from_address

    address = get_path(data, "claimant.address")
    return not get_path(data, "claimant.region") and bool(address) and region_from_address(str(address)) is not None


def _store_preset(data: Data, key: str) -> list[str]:
    filled = apply_choice(data, key, all_presets())
    return [f"company.{k}" for k in ("name", "brand", "head_position", "address", "inn", "ogrn")] if filled else []


# ---------------------------------------------------------------- several problems in one order


def _kinds(data: Data) -> list[str]:
    """The main problem and ``problem.also``, known kinds only, without repeats (``Case.problem_kinds`` on raw data)."""
    main, also = get_path(data, "problem.kind"), get_path(data, "problem.also")
    kinds = [main] + (also if isinstance(also, list) else [])
    return list(dict.fromkeys(k for k in kinds if isinstance(k, str) and k in PROBLEM_LABELS))


def _late(data: Data) -> bool:
    return "late_delivery" in _kinds(data)


def _item_kinds(data: Data) -> list[str]:
    """The problems that concern particular items (``order.items[].issue``), in the order of the problems."""
    return [k for k in _kinds(data) if k in ISSUE_QUESTIONS]


def _drop_stale_issues(data: Data) -> None:
    """An item keeps its ``issue`` only while that problem is still one of the order's problems."""
    for item in _items(data):
        if item.get("issue") and item["issue"] not in _kinds(data):
            item.pop("issue", None)
            item.pop("affected_quantity", None)


def _store_kind(data: Data, kind: str) -> list[str]:
    set_path(data, "problem.kind", kind)
    also = get_path(data, "problem.also")
    if isinstance(also, list) and kind in also:
        set_path(data, "problem.also", [k for k in also if k != kind])
    _drop_stale_issues(data)
    return []


def _store_also(data: Data, kinds: list[str]) -> list[str]:
    set_path(data, "problem.also", [k for k in kinds if k != get_path(data, "problem.kind")])
    _drop_stale_issues(data)
    return []


# ---------------------------------------------------------------- late delivery: the slot and the arrival


def _store_delivered(data: Data, yes: bool) -> list[str]:
    """«Нет»: not delivered, so no arrival date or time (absent = not delivered). «Да» asks them (``follow``)."""
    order = data.get("order")
    if not yes and isinstance(order, dict):
        order.pop("delivered_on", None)
        order.pop("delivered_at", None)
    return []


def _arrival_asked(data: Data) -> bool:
    """Late delivery: the arrival date once «Заказ привезли — Да»; missing items: the order came, ask the day."""
    if _late(data):
        return bool(get_path(data, "order.delivered_on"))
    return "missing_items" in _kinds(data)  # due no later than the day the rest of the order came


# ---------------------------------------------------------------- items of the order and what was wrong with them

ISSUE_QUESTIONS: dict[str, str] = {
    "missing_items": "Каких товаров не хватало?",
    "wrong_items": "Вместо каких товаров привезли другие (пересорт)?",
    "poor_quality": "Какие товары оказались ненадлежащего качества (испорчены, повреждены)?",
    "expired_goods": "У каких товаров истёк срок годности?",
}
ISSUE_LABELS: dict[str, str] = {  # short, for the review table and the item lists
    "missing_items": "не хватало",
    "wrong_items": "пересорт",
    "poor_quality": "ненадлежащего качества",
    "expired_goods": "истёк срок годности",
}
AFFECTED_QUESTIONS: dict[str, str] = {  # «Сколько из 3 шт. «Молоко» …?»
    "missing_items": "не привезли",
    "wrong_items": "заменили другим товаром",
    "poor_quality": "оказались ненадлежащего качества",
    "expired_goods": "с истёкшим сроком годности",
}
AFFECTED_LABELS: dict[str, str] = {  # «Товар 1: сколько …»
    "missing_items": "не привезли",
    "wrong_items": "заменили другим",
    "poor_quality": "ненадлежащего качества",
    "expired_goods": "с истёкшим сроком",
}


def _items(data: Data) -> list[dict]:
    items = get_path(data, "order.items")
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _quantity(value: Any) -> Decimal | None:
    """A raw quantity (``2``, ``"1,5"``) as a number, or None when it is missing or not a positive number."""
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", "").replace("\xa0", ""))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number > 0 else None


def _number(value: Decimal) -> str:
    """``Decimal("1.50")`` → ``1,5``: a quantity as people write it."""
    return format(value.normalize(), "f").replace(".", ",")


def _item_name(i: int, item: dict) -> str:
    return str(item.get("name") or f"товар {i + 1}")


def _item_line(i: int, item: dict) -> str:
    """«Молоко 3,2 %, 1 л — 3 шт. по 96,90 руб.»: an item as a choice in a list."""
    qty = _quantity(item.get("quantity")) or Decimal(1)
    price = _money(item.get("price"))
    return f"{_item_name(i, item)} — {_number(qty)} шт." + (f" по {_rubles(price)}" if price else "")


def _money(value: Any) -> Decimal | None:
    from complaint_cli.fields import parse_money

    try:
        return parse_money(value)
    except ValueError:  # PydanticCustomError is a ValueError
        return None


def _rubles(value: Decimal) -> str:
    from complaint_cli.money import format_short

    return f"{format_short(value)} руб."


def _append_item(data: Data, name: str) -> list[str]:
    name = name.strip() if isinstance(name, str) else name
    if not _empty(name):
        items = get_path(data, "order.items")
        set_path(data, "order.items", (items if isinstance(items, list) else []) + [{"name": name}])
    return []


def _store_item_name(index: int, data: Data, name: str) -> list[str]:
    """A new name for item ``index``; an empty one takes the item off the list."""
    name = name.strip() if isinstance(name, str) else name
    items = get_path(data, "order.items")
    if not isinstance(items, list) or index >= len(items):
        return []
    if _empty(name):
        del items[index]
        if not items:
            set_path(data, "order.items", None)
    elif isinstance(items[index], dict):
        items[index]["name"] = name
    return []


def _item_questions(data: Data) -> list[Question]:
    """For item problems: each item (name, quantity, price), then «one more item?» until the user says no more."""
    if not _item_kinds(data):
        return []
    out: list[Question] = []
    for i, item in enumerate(_items(data)):
        n, name, base = i + 1, _item_name(i, item), f"order.items.{i}"
        out += [
            Question(f"{base}.name", "problem", f"Товар {n}: название (как в чеке)", f"Товар {n}",
                     instruction="(пустая строка — убрать товар из списка)", store=partial(_store_item_name, i)),
            Question(f"{base}.quantity", "problem", f"Сколько штук «{name}» было в заказе?", f"Товар {n}: количество",
                     instruction="(по чеку; Enter — 1)", blank="1 шт."),
            Question(f"{base}.price", "problem", f"Цена «{name}» за штуку, руб.", f"Товар {n}: цена за штуку", "money",
                     instruction="(по чеку, например: 189,90; Enter — пропустить)"),
        ]
    n = len(_items(data))
    first = n == 0
    out.append(Question(
        f"order.items.{n}.name", "problem",
        "С какими товарами проблема? Название первого товара (как в чеке)" if first else
        "Ещё товар с проблемой — название (как в чеке)", "Добавить товар", key=f"order.items.new{n}",
        instruction="(например: Творог 5 %, 200 г; Enter — не перечислять)" if first else "(Enter — больше нет)",
        store=_append_item, in_table=False, reask=lambda d: [f"order.items.issue.{k}" for k in _item_kinds(d)]))
    return out


def _issue_choices(kind: str, data: Data) -> Choices:
    out = []
    for i, item in enumerate(_items(data)):
        other = item.get("issue")
        note = f" (сейчас: {ISSUE_LABELS[other]})" if other in ISSUE_LABELS and other != kind else ""
        out.append((str(i), _item_line(i, item) + note))
    return out


def _issue_load(kind: str, data: Data) -> list[str]:
    return [str(i) for i, item in enumerate(_items(data)) if item.get("issue") == kind]


def _store_issue(kind: str, data: Data, chosen: list[str]) -> list[str]:
    """The chosen items get this issue (an item has one); items no longer chosen lose it and their count."""
    for i, item in enumerate(_items(data)):
        if str(i) in chosen and item.get("issue") != kind:
            item["issue"] = kind
            item.pop("affected_quantity", None)
        elif str(i) not in chosen and item.get("issue") == kind:
            item.pop("issue", None)
            item.pop("affected_quantity", None)
    return []


def _issue_questions(data: Data) -> list[Question]:
    """Per item problem: which items it concerns, then how many units of each (when there are several)."""
    items, kinds = _items(data), _item_kinds(data)
    if not items:
        return []
    out: list[Question] = []
    # One item problem and nothing marked yet: every listed item is ticked, Enter confirms.
    everything = len(kinds) == 1 and not any(item.get("issue") for item in items)
    for kind in kinds:
        out.append(Question(
            "order.items", "problem", ISSUE_QUESTIONS[kind], f"Товары: {ISSUE_LABELS[kind]}", "multi",
            key=f"order.items.issue.{kind}", choices=partial(_issue_choices, kind), load=partial(_issue_load, kind),
            store=partial(_store_issue, kind), blank="не указаны",
            default=(lambda d: [str(i) for i in range(len(_items(d)))]) if everything else None))
        for i, item in enumerate(items):
            qty = _quantity(item.get("quantity"))
            if item.get("issue") != kind or not qty or qty <= 1:
                continue
            name, total = _item_name(i, item), _number(qty)
            out.append(Question(
                f"order.items.{i}.affected_quantity", "problem",
                f"Сколько из {total} шт. «{name}» {AFFECTED_QUESTIONS[kind]}?",
                f"Товар {i + 1}: сколько {AFFECTED_LABELS[kind]}", instruction=f"(Enter — все {total})",
                blank=f"все {total}"))
    return out


# ---------------------------------------------------------------- who answers for the goods: the seller on the receipt


def _company(data: Data) -> Any:
    """The company section as a validated ``Company`` (invalid fields dropped, as validation does)."""
    from complaint_cli.validation import build_case

    company = data.get("company")
    return build_case({"company": company} if isinstance(company, dict) else {})[0].company


def _aggregator(data: Data) -> bool:
    from complaint_cli.law.roles import is_aggregator

    return is_aggregator(_company(data))


def _preset_aggregator(data: Data) -> bool | None:
    """What the company preset matching by ОГРН or ИНН says (None: no preset matches)."""
    from complaint_cli.law.roles import matching_preset

    preset = matching_preset(_company(data))
    return None if preset is None else preset.aggregator


def _quality(data: Data) -> bool:
    return bool(QUALITY_PROBLEMS & set(_kinds(data)))


def _service(data: Data) -> str:
    """«Купер» (the brand people know) or the company's name: who the aggregator is, in a sentence."""
    brand = str(get_path(data, "company.brand") or "").strip("«»\" ")
    return f"«{brand}»" if brand else str(get_path(data, "company.name") or "сервис")


def _aggregator_choices(data: Data) -> Choices:
    name = get_path(data, "company.name") or "организация"
    return [("no", f"{name} — эта же организация сама продаёт товар"),
            ("yes", f"Другая компания (магазин-партнёр), а {name} — агрегатор: площадка или служба доставки")]


def _aggregator_load(data: Data) -> str | None:
    value = get_path(data, "company.aggregator")
    if value is None:
        value = _preset_aggregator(data)
    return None if value is None else "yes" if value else "no"


def _aggregator_shown(data: Data) -> str | None:
    value = _aggregator_load(data)
    if value is None:
        return None
    text = dict(_aggregator_choices(data))[value]
    return text + ("; так в справочнике компаний" if get_path(data, "company.aggregator") is None else "")


def _store_aggregator(data: Data, value: str) -> list[str]:
    set_path(data, "company.aggregator", value == "yes")
    return []


def _late_goods(data: Data) -> bool:
    """Paid goods not handed over in time — items missing, or the order not brought by the promised day: the seller on
    the receipt pays the ст. 23.1 penalty (the aggregator never does, law.md §0b.9), so the seller is asked for. A
    delivery late by hours on the promised day is the delivery service's alone (ст. 28): no question."""
    kinds = _kinds(data)
    if "missing_items" in kinds:
        return True
    if "late_delivery" not in kinds:
        return False
    due, came = get_path(data, "order.delivery_due"), get_path(data, "order.delivered_on")
    if came is None:
        return True  # not brought (yet)
    try:
        from complaint_cli.fields import parse_date

        return due is not None and parse_date(str(came)) > parse_date(str(due))
    except Exception:  # noqa: BLE001 - a half-typed date: the validation asks again
        return False


def _asks_seller(data: Data) -> bool:
    return "seller" in data or (_quality(data) or _late_goods(data)) and _aggregator(data)


def _seller_why(data: Data) -> str | None:
    if not _aggregator(data):
        return None
    if _quality(data):
        return (f"За качество товара отвечает продавец, указанный в кассовом чеке (п. 2.2 ст. 12 Закона о защите прав "
                f"потребителей); {_service(data)} — владелец агрегатора. Претензию о качестве направим продавцу, "
                "копию — сервису.")
    if _late_goods(data):
        return (f"Неустойку за товар, не переданный в срок, платит продавец из кассового чека (п. 3 ст. 23.1 Закона "
                f"о защите прав потребителей); {_service(data)} — владелец агрегатора. С продавцом претензия уйдёт "
                "ему и сервису совместно; без него — сервису.")
    return None


def _store_seller_name(data: Data, name: str) -> list[str]:
    """The seller's name; an empty answer means no seller in the case (the claim then goes to the company)."""
    name = name.strip() if isinstance(name, str) else name
    if _empty(name):
        data.pop("seller", None)
    else:
        set_path(data, "seller.name", name)
    return []


def _seller_after(data: Data) -> list[str]:
    """What a seller given (or skipped) changes, when the line before the question has not said it already."""
    if not _quality(data):
        return []
    if not _aggregator(data):
        seller = get_path(data, "seller.name")
        return [f"Претензия о товаре будет адресована продавцу из чека ({seller}), копия — сервису."] if seller else []
    if not get_path(data, "seller.name"):
        return ["Без продавца претензию о качестве получит сервис, но иск о качестве товара к агрегатору не "
                "составить. Продавца можно добавить на шаге проверки ответов."]
    return []


# ---------------------------------------------------------------- the receipt's QR code (issue 18)

RECEIPT_CONFLICT = "order.receipt.conflict"


def _receipt_load(data: Data) -> str | None:
    """The receipt as the question pre-fills it: its file, else the QR text pasted."""
    receipt = get_path(data, "order.receipt")
    if not isinstance(receipt, dict):
        return None
    return receipt.get("file") or receipt.get("qr")


def _check_receipt(value: Any) -> str | None:
    """A file that is not there, or a pasted text that is not a receipt's QR code, is asked again; a photo without a
    readable code is not (the wizard goes on and asks the date and the sum)."""
    from complaint_cli.receipt import ReceiptError, read_source

    text = value.strip() if isinstance(value, str) else ""
    if not text:
        return None
    try:
        read_source(text)
    except ReceiptError as exc:
        return exc.message
    return None


def _store_receipt(data: Data, value: Any) -> list[str]:
    """The receipt (its file, its QR text) replaces the one before; the order's date, time and sum are filled from it
    where not answered yet (a different answer is asked about: :data:`RECEIPT_CONFLICT`)."""
    from complaint_cli.receipt import ReceiptError, fill_order, read_source, receipt_data

    text = value.strip() if isinstance(value, str) else ""
    if text and text == _receipt_load(data):
        return []  # Enter on the receipt already given
    set_path(data, "order.receipt", None)
    if not text:
        return []
    try:
        reading = read_source(text)
    except ReceiptError:  # refused by the check: only reached if the file vanished in between
        return []
    set_path(data, "order.receipt", receipt_data(reading))
    return fill_order(data, reading.qr) if reading.qr is not None else []


def _receipt_after(data: Data) -> list[str]:
    from complaint_cli.receipt import NO_CODE, OTHER_CODE, decode_file, qr_of

    receipt = get_path(data, "order.receipt")
    if not isinstance(receipt, dict):
        return []
    qr = qr_of(data)
    if qr is None:
        if not receipt.get("file"):
            return []
        try:
            other = bool(decode_file(Path(receipt["file"])))
        except Exception:  # noqa: BLE001 - the file changed since: the general message
            other = False
        return [(OTHER_CODE if other else NO_CODE) + "."]
    lines = [f"Прочитан QR-код чека: {qr.describe()}."]
    if not qr.purchase:
        lines.append(f"Это чек «{qr.operation_name}», а не чек покупки: его дата и сумма не взяты как дата и сумма "
                     "заказа. Если есть чек покупки — укажите его здесь (чек возврата останется доказательством "
                     "возврата, если приложить его к претензии).")
    elif not _receipt_conflicts(data):
        lines.append("Дата, время и сумма заказа взяты из чека. Если чек пробит при доставке, заказ могли оформить "
                     "раньше — тогда исправьте дату на шаге проверки ответов.")
    return lines


def _receipt_shown(data: Data) -> str | None:
    from complaint_cli.receipt import qr_of

    receipt = get_path(data, "order.receipt")
    if not isinstance(receipt, dict) or not (receipt.get("file") or receipt.get("qr")):
        return None
    qr = qr_of(data)
    name = Path(receipt["file"]).name if receipt.get("file") else "текст QR-кода"
    return f"{name}: {qr.describe()}" if qr is not None else f"{name}: QR-код не прочитан"


def _receipt_conflicts(data: Data) -> list[tuple[str, str, str]]:
    from complaint_cli.receipt import conflicts

    return conflicts(data)


def _conflict_note(data: Data) -> str | None:
    labels = {"order.date": "дата заказа", "order.time": "время", "order.amount": "сумма"}
    found = _receipt_conflicts(data)
    if not found:
        return None
    mine = "; ".join(f"{labels[p]} {answer}" for p, answer, _ in found)
    theirs = "; ".join(f"{labels[p]} {receipt}" for p, _, receipt in found)
    return (f"В ваших ответах: {mine}; в кассовом чеке: {theirs.removesuffix('.')}. Чек на полную оплату часто "
            "пробивают в день доставки, а товары и доставку бывает оплачивают разными чеками — тогда оставьте свои "
            "ответы.")


def _store_conflict(data: Data, choice: str) -> list[str]:
    from complaint_cli.receipt import fill_order, qr_of

    qr = qr_of(data)
    if choice != "receipt" or qr is None:
        return []
    return fill_order(data, qr, replace=True)


# ---------------------------------------------------------------- demands


def _store_demands(data: Data, kinds: list[str]) -> list[str]:
    """The chosen demands in order; one already given keeps its amount and text."""
    old = {d.get("kind"): d for d in reversed(data.get("demands") or []) if isinstance(d, dict)}
    set_path(data, "demands", [old.get(kind, {"kind": kind}) for kind in kinds])
    return []


def _demand_default(data: Data, index: int) -> Any:
    """The sum offered for a refund or price reduction: what the legal analysis takes when none is given (the affected
    items' prices, the delivery fee); else, where the whole order is at stake (a late order that never came, a refund
    not received), the order amount."""
    kind = get_path(data, f"demands.{index}.kind")
    if kind not in {"refund", "price_reduction"}:
        return None
    derived = _derived_amount(data, index)
    if derived is not None:
        return f"{derived:.2f}".replace(".", ",")
    main, came = get_path(data, "problem.kind"), bool(get_path(data, "order.delivered_on"))
    whole = main == "refund_not_received" or main == "late_delivery" and not came and not _item_kinds(data)
    return get_path(data, "order.amount") if whole and kind == "refund" else None


def _derived_amount(data: Data, index: int) -> Decimal | None:
    """``law.analysis.default_amount`` for the answers so far (None when the case is too incomplete to say)."""
    from complaint_cli.validation import build_case

    trial = copy.deepcopy(data)
    demand = get_path(trial, f"demands.{index}")
    if isinstance(demand, dict):
        demand.pop("amount", None)
    try:
        from complaint_cli.law.analysis import default_amount

        return default_amount(build_case(trial)[0], index)
    except Exception:  # noqa: BLE001 - a half-answered case may trip the analysis: then nothing is offered
        return None


def _evidence_items(data: Data) -> list[dict]:
    return [e for e in data.get("evidence") or [] if isinstance(e, dict)]


def _store_evidence(data: Data, chosen: list[str]) -> list[str]:
    """The ticked typical attachments, then the user's own ones (kept as they were)."""
    items = {e.get("description"): e for e in _evidence_items(data)}
    own = [e for d, e in items.items() if d not in EVIDENCE_CHOICES]
    set_path(data, "evidence", [items.get(c, {"description": c}) for c in chosen] + own)
    return []


def _store_other_evidence(data: Data, text: str) -> list[str]:
    standard = [e for e in _evidence_items(data) if e.get("description") in EVIDENCE_CHOICES]
    own = [{"description": part.strip()} for part in (text or "").split(";") if part.strip()]
    set_path(data, "evidence", standard + own)
    return []


# The penalty each norm of ``data/terms.yaml`` stands for, as the wizard explains it (not the letters' wording).
PENALTY_HINTS: dict[str, str] = {
    "23": "неустойку 1 % цены товара за каждый день просрочки (п. 1 ст. 23 Закона о защите прав потребителей)",
    "23.1": "неустойку 0,5 % суммы предварительной оплаты за каждый день просрочки, но не больше этой суммы "
            "(п. 3 ст. 23.1 Закона о защите прав потребителей)",
    "28": "неустойку 3 % цены услуги за каждый день просрочки, но не больше цены услуги (п. 3 ст. 31 и п. 5 ст. 28 "
          "Закона о защите прав потребителей)",
    "31.3": "неустойку 3 % цены услуги за каждый день просрочки удовлетворения этого требования, но не больше цены "
            "услуги (п. 3 ст. 31 Закона о защите прав потребителей)",
    "395": "проценты за пользование чужими деньгами (ст. 395 ГК РФ)",
}


def _demands_hint(data: Data) -> list[str]:
    """The statutory term, article and penalty of each chosen demand, as the legal analysis reads the answers so far."""
    import copy
    import datetime as dt

    from complaint_cli.law.analysis import analyze
    from complaint_cli.money import days_phrase
    from complaint_cli.validation import build_case

    problem = get_path(data, "problem.kind")
    if problem not in PROBLEM_LABELS:
        return []
    try:
        case, _, _ = build_case(copy.deepcopy(data))
        a = analyze(case, case.submission.sent_on or dt.date.today())
    except Exception:  # noqa: BLE001 - a half-typed draft: no hint rather than a crash
        return []
    lines = []
    for d in a.demands:
        rule = d.rule
        note = re.sub(r"\s*\[K\??\]", "", rule.note).strip()  # law.md confidence tags are for us, not the user
        if rule.days is None:
            text = note or "Срок законом не установлен."
        else:
            text = (f"Продавец (исполнитель) обязан удовлетворить требование в течение {days_phrase(rule.days)} со дня "
                    f"получения претензии ({rule.article}).") + (f" {note}" if rule.confidence == "K" and note else "")
        if rule.penalty_norm in PENALTY_HINTS and not re.search("неустойк|процент", text):  # not twice
            text += f" За просрочку можно требовать {PENALTY_HINTS[rule.penalty_norm]}."
        if rule.confidence == "K":
            text += " (Эта норма не подтверждена источником — проверьте.)"
        lines.append(f"• «{d.words[:1].upper()}{d.words[1:]}»: {text[:1].lower()}{text[1:]}")
    for p in a.penalties:
        if p.started and not p.running:
            lines.append(f"• Уже начислена неустойка {p.what} ({p.short}): {p.formula()}; она войдёт в претензию.")
    for reason in a.not_owed:
        lines.append(f"• {_FILE_ASIDE.sub('', reason)}")
    return ["Что говорит закон:", *lines] if lines else []


QUESTIONS: tuple[Question, ...] = (
    Question("claimant.full_name", "claimant", "Ваши фамилия, имя и отчество (как в паспорте)", "ФИО"),
    Question("claimant.gender", "claimant", "Ваш пол (для слов «вынужден/вынуждена» в тексте)", "Пол", "select",
             when=_undetected_gender, choices=lambda d: list(GENDER_LABELS.items())),
    Question("claimant.address", "claimant", "Почтовый адрес для ответа", "Почтовый адрес",
             instruction="(с индексом: 125047, г. Москва, ул. Тверская, д. 1, кв. 2)"),
    Question("claimant.region", "claimant", "Регион (субъект РФ), где вы живёте", "Регион", skip=_region_known,
             instruction="(например: Московская область)"),
    Question("claimant.phone", "claimant", "Телефон для связи", "Телефон", instruction="(например: +7 999 123-45-67)"),
    Question("claimant.email", "claimant", "Электронная почта для ответа", "Электронная почта",
             instruction="(например: ivanov@mail.ru)"),
    Question("company", "company", "Где вы сделали заказ?", "Компания", "preset",
             choices=lambda d: preset_choices(all_presets()), store=_store_preset,
             after=lambda d: describe(found) if (found := match_preset(d.get("company"), all_presets())) else [],
             load=lambda d: chosen_key(d.get("company"), all_presets())),
    Question("company.name", "company", "Название организации с формой (ООО, АО, ИП) — из чека или раздела "
             "«Реквизиты» на сайте", "Организация", instruction="(например: ООО «Ромашка»)"),
    Question("company.brand", "company", "Название сервиса или магазина для покупателей, если отличается",
             "Сервис (бренд)", instruction=SKIP),
    Question("company.address", "company", "Адрес организации (юридический)", "Адрес организации"),
    Question("company.inn", "company", "ИНН организации", "ИНН организации", instruction=SKIP),
    Question("company.ogrn", "company", "ОГРН организации", "ОГРН организации", instruction=SKIP),
    Question("company.head_position", "company", "Должность руководителя, которому адресуете претензию",
             "Должность руководителя", instruction="(например: Генеральный директор; Enter — пропустить)"),
    Question("order.number", "company", "Номер заказа", "Номер заказа", instruction="(как в приложении или чеке)"),
    Question("order.receipt.qr", "company", "Есть фото или PDF чека? Программа прочитает QR-код", "Кассовый чек",
             instruction="(путь к файлу или текст QR-кода t=…&s=…; Enter — пропустить)", load=_receipt_load,
             store=_store_receipt, check=_check_receipt, after=_receipt_after, shown=_receipt_shown, blank="нет",
             reask=lambda d: [RECEIPT_CONFLICT]),
    Question("order.receipt.conflict", "company", "Что указать в претензии?", "Дата и сумма: из чека или ваши",
             "select", key=RECEIPT_CONFLICT, when=lambda d: bool(_receipt_conflicts(d)), before=_conflict_note,
             choices=lambda d: [("receipt", "Взять из чека"), ("keep", "Оставить мои ответы")],
             load=lambda d: None, store=_store_conflict, in_table=False),
    Question("order.date", "company", "Дата заказа", "Дата заказа", "date", instruction=DATE_HINT),
    Question("order.amount", "company", "Сколько вы заплатили за заказ всего, вместе с доставкой, руб.", "Сумма заказа",
             "money", instruction="(например: 4 870,00)"),
    Question("order.delivery_fee", "company", "Сколько из этой суммы — плата за доставку, руб.",
             "Стоимость доставки", "money", instruction="(Enter — если доставка бесплатная)"),
    Question("order.payment", "company", "Как оплачен заказ", "Оплата",
             instruction="(например: картой ****1234 в приложении; Enter — пропустить)"),
    Question("problem.kind", "problem", "Что случилось?", "Что случилось", "select",
             choices=lambda d: list(PROBLEM_LABELS.items()), store=_store_kind),
    Question("problem.also", "problem", "Были ли ещё проблемы с этим заказом?", "Ещё проблемы с заказом", "multi",
             instruction="(↑/↓ — перемещение, пробел — отметить, Enter — готово; не было — просто Enter)",
             blank="нет", when=lambda d: bool(get_path(d, "problem.kind")),
             choices=lambda d: [(k, v) for k, v in PROBLEM_LABELS.items() if k != get_path(d, "problem.kind")],
             store=_store_also),
    Question("order.delivery_due", "problem", "Какого числа заказ должны были доставить?", "Обещанная дата доставки",
             "date", instruction="(ДД.ММ.ГГГГ; нужна для расчёта неустойки)", when=_late),
    Question("order.delivery_window", "problem", "В какой интервал обещали привезти заказ?", "Обещанный интервал",
             instruction="(ЧЧ:ММ–ЧЧ:ММ, например 17:00–18:00; Enter — если интервала не было)", when=_late,
             blank="не было"),
    Question("order.delivered", "problem", "Заказ в итоге привезли?", "Заказ привезли", "confirm", when=_late,
             load=lambda d: bool(get_path(d, "order.delivered_on")), store=_store_delivered,
             follow=("order.delivered_on", "order.delivered_at")),
    Question("order.delivered_on", "problem", "Какого числа привезли заказ?", "Дата, когда привезли", "date",
             instruction=DATE_HINT, when=_arrival_asked,
             default=lambda d: get_path(d, "order.delivery_due") or get_path(d, "order.date")),
    Question("order.delivered_at", "problem", "Во сколько привезли заказ?", "Время, когда привезли",
             instruction="(ЧЧ:ММ, например 22:40; Enter — пропустить)",
             when=lambda d: _late(d) and bool(get_path(d, "order.delivered_on"))),
    Question("order.items", "problem", "", "Товары", key="order.items.list", expand=_item_questions),
    Question("order.items", "problem", "", "Товары с проблемой", key="order.items.issues", expand=_issue_questions),
    Question("company.aggregator", "problem", "Кто указан продавцом в кассовом чеке?", "Продавец по чеку", "select",
             when=lambda d: _quality(d) or get_path(d, "company.aggregator") is not None,
             choices=_aggregator_choices, load=_aggregator_load, store=_store_aggregator, shown=_aggregator_shown),
    Question("seller.name", "problem", "Продавец из кассового чека: название с формой (ООО, АО, ИП)",
             "Продавец из чека", instruction="(например: ООО «Магазин у дома»; Enter — если чека нет)",
             when=_asks_seller,
             before=_seller_why, store=_store_seller_name, after=_seller_after, blank="не указан"),
    Question("seller.address", "problem", "Адрес продавца (из чека)", "Адрес продавца",
             instruction="(если в чеке его нет — юридический адрес из ЕГРЮЛ)", when=lambda d: "seller" in d),
    Question("seller.inn", "problem", "ИНН продавца (из чека)", "ИНН продавца", instruction=SKIP,
             when=lambda d: "seller" in d),
    Question("seller.ogrn", "problem", "ОГРН продавца", "ОГРН продавца", instruction=SKIP,
             when=lambda d: "seller" in d),
    Question("problem.discovered_on", "problem", "Когда вы обнаружили нарушение?", "Дата обнаружения", "date",
             instruction="(ДД.ММ.ГГГГ; Enter — пропустить)"),
    Question("problem.description", "problem", "Опишите своими словами, что произошло: когда, что не так, "
             "что ответила поддержка", "Описание"),
    Question("demands", "demands", "Чего вы требуете? Можно выбрать несколько", "Требования", "multi",
             choices=lambda d: list(DEMAND_LABELS.items()), load=_demand_kinds, store=_store_demands,
             after=_demands_hint),
    Question("demands.*.amount", "demands", "Сумма по требованию «{label}», руб.", "Сумма: {label}", "money",
             instruction="(например: 1 250,50)", item=lambda d: d.get("kind") in MONEY_DEMANDS - {"moral_damages"}),
    Question("demands.*.amount", "demands", "Сумма компенсации морального вреда, руб.", "Сумма: {label}", "money",
             instruction="(Enter — оставить на усмотрение суда)", blank="на усмотрение суда", key="demands.*.moral",
             item=lambda d: d.get("kind") == "moral_damages"),
    Question("demands.*.text", "demands", "Сформулируйте требование своими словами", "Требование своими словами",
             item=lambda d: d.get("kind") == "other"),
    Question("claimant.refund_details", "demands", "Куда вернуть деньги?", "Куда вернуть деньги",
             instruction="(Enter — на карту, с которой платили)", blank="на карту, с которой платили",
             when=lambda d: bool(set(_demand_kinds(d)) & MONEY_DEMANDS)),
    Question("evidence", "evidence", "Что вы приложите к претензии?", "Приложения", "multi", prefix=True,
             choices=lambda d: [(c, c) for c in EVIDENCE_CHOICES],
             load=lambda d: [e.get("description") for e in _evidence_items(d)
                             if e.get("description") in EVIDENCE_CHOICES], store=_store_evidence),
    Question("evidence", "evidence", "Что ещё приложите? Несколько — через «;»", "Другие приложения", prefix=True,
             instruction=SKIP, key="evidence.other",
             load=lambda d: "; ".join(e.get("description") or "" for e in _evidence_items(d)
                                      if e.get("description") not in EVIDENCE_CHOICES), store=_store_other_evidence),
    Question("submission.channel", "submission", "Как вы отправите претензию?", "Способ отправки", "select",
             choices=lambda d: list(CHANNEL_LABELS.items())),
    Question("company.email", "submission", "Электронная почта компании для претензий", "E-mail компании",
             instruction="(из оферты, разделов «Контакты» или «Реквизиты» на сайте; например: claims@example.ru)",
             when=lambda d: get_path(d, "submission.channel") == "email"),
)


def questions_for(data: Data) -> list[Question]:
    """The questions that apply to ``data``, in asking order: ``*`` expanded for each demand, ``expand`` entries
    turned into the questions about each item of the order."""
    result = []
    for q in QUESTIONS:
        if q.when is not None and not q.when(data):
            continue
        if q.expand is not None:
            result += q.expand(data)
            continue
        if "*" not in q.path:
            result.append(q)
            continue
        for i, demand in enumerate(data.get("demands") or []):
            if isinstance(demand, dict) and q.item is not None and q.item(demand):
                label = DEMAND_LABELS.get(demand.get("kind"), "")
                result.append(replace(
                    q, path=q.path.replace("*", str(i)), key=q.id.replace("*", str(i)),
                    message=q.message.format(label=label), label=q.label.format(label=label),
                    default=partial(_demand_default, index=i), item=None))
    return result


def find_question(qid: str, data: Data) -> Question | None:
    """The question with this id among those that apply to ``data``."""
    return next((q for q in questions_for(data) if q.id == qid), None)


def current(q: Question, data: Data) -> Any:
    return q.load(data) if q.load else get_path(data, q.path)


def answered(q: Question, data: Data) -> bool:
    value = current(q, data)
    return q.kind == "confirm" and value is True or not _empty(value) and value is not False


# --------------------------------------------------------------------------- validation (the one path)


def apply_answer(data: Data, q: Question, value: Any) -> list[str]:
    """Put an answer into ``data``; returns the paths the answer filled besides its own (a preset)."""
    if q.store is not None:
        return q.store(data, value)
    set_path(data, q.path, value.strip() if isinstance(value, str) else value)
    return []


def check_answer(data: Data, q: Question, value: Any, *, today: dt.date) -> str | None:
    """The Russian message validation gives for this question's path with ``value`` in place, or None."""
    from complaint_cli.validation import validate_data

    from complaint_cli.validation import WIZARD_STRICT

    if q.check is not None and (problem := q.check(value)):
        return problem[:1].upper() + problem[1:]
    trial = copy.deepcopy(data)
    apply_answer(trial, q, value)
    report = validate_data(trial, today=today)
    messages = [p.message for p in report.errors
                if p.field == q.path or (q.prefix and p.field.startswith(q.path + "."))]
    # What the question itself asks for (the postcode, the legal form) is required here, a warning in a case file.
    messages += [w.partition(": ")[2] for w in report.warnings
                 if w.partition(": ")[0] == q.path and w.partition(": ")[2] in WIZARD_STRICT]
    text = "; ".join(dict.fromkeys(messages))
    return text[:1].upper() + text[1:] if text else None


@dataclass
class Missing:
    """A field the case cannot be rendered without (or whose value is wrong), with its question's short name."""

    path: str
    question: str
    message: str

    def line(self) -> str:
        return f"{self.question} ({self.path}): {self.message}" if self.question else f"{self.path}: {self.message}"


def label_of(path: str, data: Data) -> str:
    """The short name of the question for ``path`` (``seller`` → «Продавец из чека», its name's question)."""
    qs = questions_for(data)
    return next((q.label for q in qs if q.path == path), "") or next(
        (q.label for q in qs if q.path == f"{path}.name"), "")


def missing_fields(data: Data, *, today: dt.date) -> list[Missing]:
    """Every validation error of ``data`` in the order of the questions, each with its question (``--no-input``)."""
    from complaint_cli.validation import validate_data

    order = {q.path: i for i, q in reversed(list(enumerate(questions_for(data))))}
    errors = sorted(validate_data(data, today=today).errors, key=lambda p: order.get(p.field, len(order)))
    return [Missing(p.field, label_of(p.field, data), p.message) for p in errors]


_FILE_ASIDE = re.compile(r" ?\(в файле дела: [^)]*\)")


def humanize(message: str, data: Data) -> str:
    """``order.delivery_due: …`` -> ``Обещанная дата доставки: …`` (warnings name fields by their question); the
    case-file keys a message gives for those who edit the file («(в файле дела: seller.name)») are dropped."""
    message = _FILE_ASIDE.sub("", message)
    path, sep, rest = message.partition(": ")
    if not sep or " " in path:
        return message
    label = label_of(path, data) or next((q.label for q in QUESTIONS if q.path in (path, f"{path}.name")), "")
    return f"{label}: {rest}" if label else rest


# --------------------------------------------------------------------------- the terminal


class Asker(Protocol):
    """What the wizard needs from a terminal (tests may pass a scripted one)."""

    def text(self, message: str, *, default: str = "", instruction: str | None = None,
             validate: Callable[[str], str | None] | None = None) -> str: ...
    def select(self, message: str, choices: Choices, *, default: str | None = None) -> str: ...
    def confirm(self, message: str, *, default: bool = False) -> bool: ...
    def checkbox(self, message: str, choices: Choices, *, checked: list[str] | None = None,
                 validate: Callable[[list[str]], str | None] | None = None, empty: str = "ничего",
                 instruction: str | None = None) -> list[str]: ...


SELECT_HELP = "(↑/↓ — выбрать, Enter — подтвердить)"
CHECKBOX_HELP = "(↑/↓ — перемещение, пробел — отметить, Enter — готово)"


class QuestionaryAsker:
    """questionary prompts in Russian; ``input``/``output`` are prompt_toolkit objects (pipe input in tests)."""

    def __init__(self, input: Any = None, output: Any = None) -> None:
        self.output = output
        self.io = {k: v for k, v in (("input", input), ("output", output)) if v is not None}

    def text(self, message, *, default="", instruction=None, validate=None):
        import questionary

        check = (lambda text: validate(text) or True) if validate else None
        return questionary.text(message, default=default, instruction=instruction, validate=check,
                                validate_while_typing=False, **self.io).unsafe_ask()

    def select(self, message, choices, *, default=None):
        import questionary

        items = [questionary.Choice(label, value) for value, label in choices]
        start = default if default in {v for v, _ in choices} else None
        return questionary.select(message, items, default=start, instruction=SELECT_HELP, **self.io).unsafe_ask()

    def confirm(self, message, *, default=False):
        # questionary.confirm answers «Yes»/«No» and listens to y/n only: a two-item select speaks Russian.
        return self.select(message, [("yes", "Да"), ("no", "Нет")], default="yes" if default else "no") == "yes"

    def checkbox(self, message, choices, *, checked=None, validate=None, empty="ничего", instruction=None):
        import questionary
        from prompt_toolkit import print_formatted_text
        from prompt_toolkit.formatted_text import FormattedText
        from questionary.prompts.common import InquirerControl

        items = [questionary.Choice(label, value, checked=value in (checked or ())) for value, label in choices]
        check = (lambda values: validate(values) or True) if validate else None

        class NeverAnswered(InquirerControl):  # an answered checkbox shows «done (N selections)»: never show it
            is_answered = property(lambda self: False, lambda self, value: None)

        # ... and erase the prompt when done, printing the answer in Russian instead.
        question = questionary.checkbox(message, choices=items, instruction=instruction or CHECKBOX_HELP,
                                        validate=check, erase_when_done=True, **self.io)
        for control in question.application.layout.find_all_controls():
            if isinstance(control, InquirerControl):
                control.__class__ = NeverAnswered
        values = question.unsafe_ask()
        answer = "; ".join(dict(choices)[v] for v in values) or empty
        print_formatted_text(FormattedText([("class:qmark fg:#5f819d", "? "), ("bold", message + " "),
                                            ("fg:#FF9D00 bold", answer)]), output=self.output)
        return values


# --------------------------------------------------------------------------- the flow


_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def _as_text(value: Any, *, date: bool = False, money: bool = False) -> str:
    """An answer as the prompt pre-fills it: dates as the instruction asks for them (ДД.ММ.ГГГГ), also when the case
    file holds them in ISO form («2026-03-14») and the question is a date's."""
    if isinstance(value, dt.date):
        return value.strftime("%d.%m.%Y")
    if value is None:
        return ""
    text = str(value)
    if date and (iso := _ISO_DATE.match(text)) is not None:
        return f"{iso[3]}.{iso[2]}.{iso[1]}"
    if money and re.fullmatch(r"-?\d+(\.\d+)?", text):  # «2.00» from a case file: as the example shows it, «2,00»
        from decimal import Decimal

        from complaint_cli.money import format_short

        return format_short(Decimal(text))
    return text


@dataclass
class Wizard:
    """Asks what is missing, then loops over a review table until the user confirms; ``data`` is the case so far."""

    asker: Asker
    today: dt.date
    console: Any
    data: Data = field(default_factory=dict)
    asked: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        # Resuming an --answers file: optional questions before the last answered one were skipped on purpose.
        qs = questions_for(self.data)
        last = max((i for i, q in enumerate(qs) if answered(q, self.data)), default=-1)
        # A receipt that disagrees with the answers is no such skipped question: asked unless a draft says it was.
        self.asked = set(self.asked) | {q.id for q in qs[: last + 1] if q.id != RECEIPT_CONFLICT}

    def run(self) -> Data:
        try:
            self.fill()
            self.review()
        except (KeyboardInterrupt, EOFError):
            raise WizardInterrupted(self.data) from None
        return self.data

    def pending(self) -> Question | None:
        """The first question that applies and is unanswered (never asked) or whose answer is now invalid."""
        from complaint_cli.validation import WIZARD_STRICT, validate_data

        report = validate_data(self.data, today=self.today)
        errors = set(report.error_fields())
        # What a question asks for and the answer lacks (the postcode once the claim goes by post): asked again.
        errors |= {path for path, _, why in (w.partition(": ") for w in report.warnings) if why in WIZARD_STRICT}
        for q in questions_for(self.data):
            unasked = q.id not in self.asked and not answered(q, self.data) and not (q.skip and q.skip(self.data))
            if q.path in errors or unasked:
                return q
        return None

    def fill(self) -> None:
        section = None
        while (q := self.pending()) is not None:
            if q.section != section:
                section = q.section
                self.console.rule(SECTIONS[section])
            self.ask(q)

    def ask(self, q: Question) -> None:
        if q.before is not None and (note := q.before(self.data)):
            self.say(note, style="dim")
        value = current(q, self.data)
        if not _empty(value) and (problem := check_answer(self.data, q, value, today=self.today)):
            self.say(f"Ответ «{q.label}» нужно исправить: {problem}", style="red")
        validate = lambda v: check_answer(self.data, q, v, today=self.today)  # noqa: E731
        if q.kind == "select" or q.kind == "preset":
            answer = self.asker.select(q.message, q.choices(self.data), default=value)
        elif q.kind == "confirm":
            answer = self.asker.confirm(q.message, default=bool(value))
            if answer and q.follow:  # its details at once; Ctrl-C among them leaves the confirm unanswered
                apply_answer(self.data, q, answer)
                self.ask_follow(q)
        elif q.kind == "multi":
            def validate(values: list[str]) -> str | None:
                problem = check_answer(self.data, q, values, today=self.today)
                hint = ". Отметьте пункты пробелом, затем нажмите Enter." if problem and not values else ""
                return f"{problem}{hint}" if problem else None

            if _empty(value) and q.default is not None and q.id not in self.asked:
                value = q.default(self.data)
            answer = self.asker.checkbox(q.message, q.choices(self.data), checked=list(value or []), validate=validate,
                                         empty=q.blank if q.blank != "—" else "ничего", instruction=q.instruction)
        else:
            if _empty(value) and q.default is not None:
                value = q.default(self.data)
            prefill = _as_text(value, date=q.kind == "date", money=q.kind == "money")
            answer = self.asker.text(q.message, default=prefill,
                                     instruction=q.instruction,
                                     validate=validate)
        self.asked.add(q.id)
        self.asked.update(apply_answer(self.data, q, answer))
        if q.kind == "preset" and answer == MANUAL:
            self.asked -= {i for i in self.asked if i.startswith("company.")}
        for line in q.after(self.data) if q.after is not None else ():
            self.say(line, style="cyan")
        given = not _empty(answer.strip() if isinstance(answer, str) else answer)
        for qid in q.reask(self.data) if q.reask is not None and given else ():
            if qid in self.asked and (again := find_question(qid, self.data)) is not None:
                self.ask(again)

    def ask_follow(self, q: Question) -> None:
        """Ask the details of a «Да» (``q.follow``): the first always, the next ones where they now apply."""
        for i, qid in enumerate(q.follow):
            detail = find_question(qid, self.data)
            if detail is None and i == 0:
                detail = next(x for x in QUESTIONS if x.id == qid)
            if detail is not None:
                self.ask(detail)

    def say(self, text: str, *, style: str = "") -> None:
        from rich.text import Text

        self.console.print(Text(text, style=style), soft_wrap=False)

    # ---------------------------------------------------------------- review

    def review(self) -> None:
        from complaint_cli.validation import validate_data

        while True:
            self.fill()
            self.show_table()
            menu = [(DONE, "Всё верно — составить претензию")] + [(s, f"Исправить: {t}") for s, t in SECTIONS.items()]
            choice = self.asker.select("Проверьте ответы. Всё верно?", menu, default=DONE)
            if choice == DONE:
                if not (problems := missing_fields(self.data, today=self.today)):
                    return
                self.say("Сначала исправьте:\n" + "\n".join(f"• {m.line()}" for m in problems), style="red")
                continue
            qs = [q for q in questions_for(self.data) if q.section == choice]
            case = validate_data(self.data, today=self.today).case
            fields = [(q.id, f"{q.label}: {self.display(q, case)}" if q.in_table else f"+ {q.label}") for q in qs]
            fields.append((BACK, "← Назад к проверке"))
            picked = self.asker.select(f"Что исправить в разделе «{SECTIONS[choice]}»?", fields)
            if picked != BACK:
                self.ask(next(q for q in qs if q.id == picked))

    def show_table(self) -> None:
        from rich.markup import escape
        from rich.table import Table

        from complaint_cli.validation import validate_data

        report = validate_data(self.data, today=self.today)
        errors = {p.field: p.message for p in report.errors}
        table = Table(title="Проверьте ответы")
        table.add_column("Вопрос", style="bold", overflow="fold")
        table.add_column("Ответ", overflow="fold")
        section = None
        for q in questions_for(self.data):
            if not q.in_table:
                continue
            if q.section != section:
                section = q.section
                table.add_row(f"[reverse] {SECTIONS[section]} [/reverse]", "")
            shown = self.display(q, report.case) + (f" — ошибка: {errors[q.path]}" if q.path in errors else "")
            table.add_row(escape(q.label), escape(shown), style="red" if q.path in errors else None)
        self.console.print(table)
        for w in report.warnings:
            if not w.startswith("claimant.region: регион определён по адресу") and not _partial_items(w, report.case):
                self.say(f"Обратите внимание — {humanize(w, self.data)}", style="yellow")

    def display(self, q: Question, case: Any = None) -> str:
        value = current(q, self.data)
        if q.shown is not None:
            return q.shown(self.data) or q.blank
        if q.kind == "confirm":
            return "Да" if value else "Нет"
        if q.kind in {"select", "preset", "multi"}:
            labels = dict(q.choices(self.data))
            values = value if isinstance(value, list) else [value] if value else []
            if q.kind == "preset" and value == MANUAL:
                return "Реквизиты введены или исправлены вручную"
            return "; ".join(labels.get(v, str(v)) for v in values) or q.blank
        normal = case_value(case, q.path) if case is not None and q.load is None else None
        if q.path == "claimant.region" and not value and normal:
            return f"{normal} (по адресу)"
        if _empty(value):
            return q.blank
        return _format(normal, q.path) if normal is not None else _as_text(value)


def _partial_items(warning: str, case: Any) -> bool:
    """The «order amount ≠ items» warning when the items add up to less: the wizard asks only for the items with a
    problem, not the whole receipt. The region warning is the other one the review table already answers."""
    if not warning.startswith("order.amount: сумма заказа") or case.order.amount is None:
        return False
    total = sum((i.price * (i.quantity or 1) for i in case.order.items if i.price is not None), Decimal(0))
    return total < case.order.amount


def case_value(case: Any, path: str) -> Any:
    """The validated (normalised) value at a dotted path of a ``Case``, or None."""
    for key in path.split("."):
        is_item = isinstance(case, list)
        case = (case[int(key)] if int(key) < len(case) else None) if is_item else getattr(case, key, None)
        if case is None:
            return None
    return case


def _format(value: Any, path: str) -> str:
    """A validated value as the user reads it: ДД.ММ.ГГГГ, «4 870,00 руб.», «2 шт.», «+7 916 123-45-67»."""
    if isinstance(value, Decimal):
        return f"{_number(value)} шт." if path.endswith("quantity") else _rubles(value)
    from complaint_cli.fields import format_phone

    return format_phone(value) if path.endswith(".phone") else _as_text(getattr(value, "value", value))


# --------------------------------------------------------------------------- drafts and the finished case


def _named(out_dir: Path, prefix: str, data: Data, fallback: str) -> Path:
    """``<out>/<prefix>_<номер заказа>.yaml``: the number made safe for a file name, never leaving ``out_dir``."""
    from complaint_cli.fsutil import inside, safe_name

    number = get_path(data, "order.number")
    return inside(Path(out_dir), f"{prefix}_{safe_name(str(number), max_len=60) if number else fallback}.yaml")


def draft_path(data: Data, out_dir: Path, *, now: dt.datetime | None = None) -> Path:
    """``<out>/черновик_<номер заказа>.yaml``, or with the date and time when there is no order number yet."""
    return _named(out_dir, "черновик", data, (now or dt.datetime.now()).strftime("%Y-%m-%d_%H%M%S"))


def save_draft(data: Data, path: Path, *, asked: set[str] = frozenset()) -> Path | None:
    """Save the answers so far (invalid ones dropped) as a case file; None when there is nothing to save.

    A YAML comment on the first line lists the questions already asked, so that resuming does not ask again the ones
    the user left empty on purpose; the case file itself stays a plain case file (``casefile.dump_case``).
    """
    from complaint_cli.casefile import dump_case
    from complaint_cli.fsutil import atomic_write_text
    from complaint_cli.validation import build_case

    case, _, _ = build_case(copy.deepcopy(data))
    if not {k: v for k, v in case.to_data().items() if k != "schema_version"}:
        return None
    head = f"{ASKED_MARK}{', '.join(sorted(asked))}\n" if asked else ""
    return atomic_write_text(Path(path), head + dump_case(case))


def drafts_done(data: Data, out_dir: Path, answers: Path | None = None) -> list[Path]:
    """Delete the drafts a finished case makes redundant (they hold the same personal data); returns them.

    The draft the wizard resumed from (``--answers черновик_….yaml``) and the one an interrupted run left in the output
    folder for this order. A case file given as ``--answers`` is the user's and is kept.
    """
    candidates = [draft_path(data, out_dir)]
    if answers is not None and Path(answers).name.startswith("черновик_"):
        candidates.insert(0, Path(answers))
    removed = []
    for path in dict.fromkeys(candidates):
        try:
            path.unlink()
            removed.append(path)
        except (FileNotFoundError, IsADirectoryError):
            pass
    return removed


def asked_in_draft(path: Path) -> set[str]:
    """The questions a draft records as already asked (none for an ordinary case file)."""
    first = Path(path).read_text(encoding="utf-8-sig").partition("\n")[0]
    listed = first[len(ASKED_MARK):].split(",") if first.startswith(ASKED_MARK) else []
    return {k.strip() for k in listed if k.strip()}


def case_path(data: Data, out_dir: Path) -> Path:
    """``<out>/дело_<номер заказа>.yaml``."""
    return _named(out_dir, "дело", data, "без_номера")


@dataclass
class Finished:
    """What ``finish`` produced: the case file, the documents, the claim's first lines and what to do next."""

    case_path: Path
    documents: list[Path]
    preview: list[str]
    next_steps: list[str]
    warnings: list[str]


def finish(data: Data, *, out_dir: Path, today: dt.date, force: bool = False, preview_lines: int = 14) -> Finished:
    """Validate, save the case file atomically, render the claim and read back its first lines."""
    from complaint_cli.casefile import write_case
    from complaint_cli.documents import document_name
    from complaint_cli.errors import OutputExists
    from complaint_cli.render import document_text
    from complaint_cli.service import render_claim_for_file
    from complaint_cli.validation import validate_data  # noqa: I001 - heavy modules: imported when finishing

    case = validate_data(copy.deepcopy(data), today=today).raise_for_errors()
    target = case_path(data, out_dir)
    document = Path(out_dir) / document_name("claim", case)
    for path in (target, document):
        if path.exists() and not force:
            raise OutputExists(f"Файл уже существует: {path}. Чтобы перезаписать, добавьте --force "
                               "(или выберите другую папку: --out).")
    write_case(target, case)
    result = render_claim_for_file(target, out_dir=Path(out_dir), on=today, force=True)
    docs = [d.path for d in result.documents]
    text = document_text(docs[0].read_bytes()) if docs else ""
    preview = [line for line in text.splitlines() if line.strip()][:preview_lines]
    warnings = [humanize(w, data) for w in result.warnings]
    return Finished(target, docs, preview, list(result.next_steps), warnings)
