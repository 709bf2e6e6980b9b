"""The wizard (`complaint new`) driven end to end through prompt_toolkit's pipe input, as questionary's own tests do.

Every key a user would press is sent up front; the pipe is then closed, so a question the test did not expect ends the
run with EOF (the wizard reports it as an interruption) instead of hanging.
"""

from __future__ import annotations

import copy
import io
import re
import threading
import time
from decimal import Decimal

import pytest
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from prompt_toolkit.output.vt100 import Vt100_Output
from rich.console import Console
from typer.testing import CliRunner

from complaint_cli.casefile import read_case_data
from complaint_cli.cli import app
from complaint_cli.validation import validate_data
from complaint_cli.wizard import (
    PENALTY_HINTS,
    QUESTIONS,
    QuestionaryAsker,
    Wizard,
    asked_in_draft,
    WizardInterrupted,
    _demands_hint,
    apply_answer,
    case_path,
    check_answer,
    draft_path,
    find_question,
    finish,
    missing_fields,
    questions_for,
    save_draft,
)
from tests.conftest import EXAMPLES, TODAY, write_yaml

ENTER, DOWN, UP, SPACE, CTRL_C, CLEAR, BACKSPACE = "\r", "\x1b[B", "\x1b[A", " ", "\x03", "\x15", "\x7f"

PERSONAL = [
    "Кузнецова Ольга Андреевна" + ENTER,
    "125047, г. Москва, ул. Тверская, д. 1, кв. 2" + ENTER,  # region is found from the address: not asked
    "8 916 123-45-67" + ENTER,
    "o.kuznetsova@example.ru" + ENTER,
]
COMPANY_AND_ORDER = [
    ENTER,  # preset: «Купер» is the first choice
    "R-84512376" + ENTER,
    ENTER,  # a photo or PDF of the receipt: none
    "02.11.2026" + ENTER,
    "4 870,00" + ENTER,
    "299" + ENTER,  # delivery fee
    ENTER,  # payment: skipped
]
WHAT_HAPPENED = [
    ENTER,  # «Заказ доставлен с опозданием или не доставлен» is the first choice
    ENTER,  # other problems with the order: none
    "02.11.2026" + ENTER,  # promised delivery date (asked for late delivery only)
    ENTER,  # promised slot: none
    ENTER,  # did the order come in the end? — «Нет» (the default)
    ENTER,  # the seller on the receipt (it owes the ст. 23.1 penalty): no receipt at hand
    ENTER,  # discovered on: skipped
    "Заказ не привезли ни в интервал 17:00–18:00, ни вечером." + ENTER,
]
DEMANDS = [
    SPACE + DOWN * 6 + SPACE + ENTER,  # «Вернуть деньги» + «Компенсировать моральный вред»
    ENTER,  # refund amount: the order amount is offered and accepted
    "3000" + ENTER,  # moral damages
    ENTER,  # refund details: to the card
]
EVIDENCE_AND_SENDING = [
    SPACE + DOWN + SPACE + ENTER,  # order screenshot + receipt
    ENTER,  # nothing else
    ENTER,  # «Через приложение (чат поддержки)»
]
FULL = PERSONAL + COMPANY_AND_ORDER + WHAT_HAPPENED + DEMANDS + EVIDENCE_AND_SENDING
REVIEW_OK = [ENTER]  # «Всё верно — составить претензию»


class RecordingAsker(QuestionaryAsker):
    """The real questionary asker, also recording every message the validation showed at a prompt."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown: list[str] = []
        self.questions: list[str] = []

    def _record(self, validate):
        if validate is None:
            return None

        def wrapped(value):
            message = validate(value)
            if message:
                self.shown.append(message)
            return message

        return wrapped

    def text(self, message, *, default="", instruction=None, validate=None):
        self.questions.append(message)
        return super().text(message, default=default, instruction=instruction, validate=self._record(validate))

    def select(self, message, choices, *, default=None):
        self.questions.append(message)
        return super().select(message, choices, default=default)

    def checkbox(self, message, choices, *, checked=None, validate=None, **options):
        self.questions.append(message)
        return super().checkbox(message, choices, checked=checked, validate=self._record(validate), **options)


def drive(keys: list[str], data: dict | None = None, *, screen: io.StringIO | None = None, asked=frozenset()):
    """Run the wizard on ``keys``; returns (wizard, asker, console text). The pipe is closed after the keys.

    With ``screen`` the prompts are drawn into it as a 120x40 terminal would show them, and the keys are typed one
    answer at a time (typed-ahead keys are handled before a prompt is first drawn, hiding its instructions).
    """
    log = io.StringIO()
    console = Console(file=log, width=120, color_system=None)
    output = Vt100_Output(screen, lambda: Size(rows=40, columns=120), term="xterm") if screen else DummyOutput()
    with create_pipe_input() as pipe:
        asker = RecordingAsker(input=pipe, output=output)
        wizard = Wizard(asker=asker, today=TODAY, console=console, data=copy.deepcopy(data or {}), asked=set(asked))
        if screen is None:
            pipe.send_text("".join(keys))
            pipe.close()
            wizard.run()
        else:
            typist = threading.Thread(target=_type, args=(pipe, keys))
            typist.start()
            try:
                wizard.run()
            finally:
                typist.join()
    return wizard, asker, log.getvalue()


def _type(pipe, keys: list[str]) -> None:
    for key in keys:
        time.sleep(0.15)
        pipe.send_text(key)
    pipe.close()


# --- a full case typed in ----------------------------------------------------------------------------------------


def test_a_full_kuper_case_typed_in_is_complete_and_uses_the_preset():
    wizard, _, log = drive(FULL + REVIEW_OK)
    report = validate_data(wizard.data, today=TODAY)
    assert report.errors == []
    case = report.case
    assert case.company.name == "ООО «Инстамарт Сервис»"
    assert case.company.ogrn == "1187746494980"
    assert case.company.inn is None  # not confirmed (law.md §1.5 [K?]): never filled in by the preset
    assert case.claimant.phone == "+79161234567"
    assert case.claimant.region == "город Москва"
    assert [d.kind.value for d in case.demands] == ["refund", "moral_damages"]
    assert str(case.demands[0].amount) == "4870.00"
    assert case.order.delivery_due.isoformat() == "2026-11-02"
    assert case.seller is None
    assert [e.description for e in case.evidence] == [
        "Скриншот заказа (номер, состав, сумма, время доставки)",
        "Кассовый чек",
    ]
    assert "ЕГРЮЛ" in log  # the preset's «verify» note is shown when it is chosen


def test_after_the_demands_the_term_and_the_article_are_shown():
    _, _, log = drive(FULL + REVIEW_OK)
    flat = re.sub(r"[ \n]+", " ", log)  # undo line wrapping (the no-break space after «10» stays)
    assert (
        "«Вернуть предоплату за непереданный товар»: продавец (исполнитель) обязан удовлетворить требование в "
        "течение 10\xa0дней со дня получения претензии (ст. 23.1 Закона РФ «О защите прав потребителей»)" in flat
    )
    assert "размер определяет суд" in flat  # moral damages: no pre-trial term


def test_the_review_table_lists_every_answer_in_plain_words():
    _, _, log = drive(FULL + REVIEW_OK)
    log = log.replace("\xa0", " ")
    for shown in ("Кузнецова Ольга Андреевна", "+7 916 123-45-67", "город Москва (по адресу)", "4 870,00 руб.",
                  "Заказ доставлен с опозданием или не доставлен", "Через приложение (чат поддержки)",
                  "на карту, с которой платили", "3 000,00 руб."):
        assert shown in log, shown


def test_questions_come_grouped_personal_company_problem_demands_evidence_sending():
    _, asker, _ = drive(FULL + REVIEW_OK)
    order = [
        "Ваши фамилия, имя и отчество (как в паспорте)",
        "Где вы сделали заказ?",
        "Что случилось?",
        "Чего вы требуете? Можно выбрать несколько",
        "Что вы приложите к претензии?",
        "Как вы отправите претензию?",
        "Проверьте ответы. Всё верно?",
    ]
    positions = [asker.questions.index(q) for q in order]
    assert positions == sorted(positions)


def test_screens_are_russian_with_no_questionary_english_left(tmp_path):
    screen = io.StringIO()
    drive(FULL + REVIEW_OK, screen=screen)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", screen.getvalue())
    assert "Ваши фамилия, имя и отчество" in text
    assert "↑/↓ — выбрать, Enter — подтвердить" in text
    assert "пробел — отметить" in text
    for english in ("Use arrow", "arrow keys", "Yes", "No)", "(Y/n)", "(y/N)", "done (", "selections", "Cancelled",
                    "Invalid input", "to toggle"):
        assert english not in text


# --- validation at the prompt --------------------------------------------------------------------------------------


def test_a_wrong_email_is_explained_at_the_prompt_and_asked_again():
    keys = PERSONAL[:3] + ["ivan@", ENTER, BACKSPACE, "@mail.ru" + ENTER] + FULL[4:] + REVIEW_OK
    wizard, asker, _ = drive(keys)
    assert asker.shown == ["Неверный адрес электронной почты: нужно в виде name@example.ru"]
    assert wizard.data["claimant"]["email"] == "ivan@mail.ru"
    assert validate_data(wizard.data, today=TODAY).complete


def test_a_required_answer_cannot_be_left_empty():
    keys = [ENTER, "Кузнецова Ольга Андреевна" + ENTER] + FULL[1:] + REVIEW_OK
    wizard, asker, _ = drive(keys)
    assert asker.shown == ["Обязательное поле не заполнено: укажите фамилию, имя и отчество"]
    assert wizard.data["claimant"]["full_name"] == "Кузнецова Ольга Андреевна"


def test_a_future_order_date_is_refused_by_the_same_validation_as_case_files():
    q = next(q for q in QUESTIONS if q.path == "order.date")
    assert check_answer({}, q, "30.11.2026", today=TODAY) == "Дата 30.11.2026 ещё не наступила"
    assert check_answer({}, q, "31.02.2026", today=TODAY) == "Такой даты не существует: «31.02.2026»"
    assert check_answer({}, q, "02.11.2026", today=TODAY) is None


def test_choosing_no_demand_is_refused_with_a_hint_about_the_space_key():
    keys = FULL[: len(FULL) - len(DEMANDS) - len(EVIDENCE_AND_SENDING)] + [ENTER] + DEMANDS + EVIDENCE_AND_SENDING
    _, asker, _ = drive(keys + REVIEW_OK)
    assert asker.shown[0].startswith("Обязательное поле не заполнено: укажите хотя бы одно требование")
    assert "пробелом" in asker.shown[0]


def test_every_penalty_norm_of_the_terms_is_explained_by_the_wizard_itself():
    from complaint_cli.law.deadlines import demand_rule
    from complaint_cli.model import DemandKind, ProblemKind

    norms = {demand_rule(p.value, d.value).penalty_norm for p in ProblemKind for d in DemandKind} - {None}
    assert norms <= set(PENALTY_HINTS), norms - set(PENALTY_HINTS)
    hint = " ".join(_demands_hint({"problem": {"kind": "expired_goods"}, "demands": [{"kind": "refund"}]}))
    assert "За просрочку можно требовать неустойку 1 % цены товара за каждый день просрочки (п. 1 ст. 23" in hint


# --- amounts only where they matter -------------------------------------------------------------------------------


def test_an_amount_is_asked_only_for_money_demands():
    data = {"problem": {"kind": "courier_conduct"},
            "demands": [{"kind": "apology"}, {"kind": "compensation"}, {"kind": "other"}]}
    paths = [q.path for q in questions_for(data) if q.path.startswith("demands.")]
    assert paths == ["demands.1.amount", "demands.2.text"]
    money = next(q for q in questions_for(data) if q.path == "demands.1.amount")
    assert "«Возместить убытки»" in money.message


def test_the_delivery_date_is_asked_only_for_late_delivery():
    assert "order.delivery_due" not in [q.path for q in questions_for({"problem": {"kind": "wrong_items"}})]
    assert "order.delivery_due" in [q.path for q in questions_for({"problem": {"kind": "late_delivery"}})]


# --- seller on the receipt --------------------------------------------------------------------------------------


SELLER = ["ООО «Лента»" + ENTER, "г. Санкт-Петербург, ул. Савушкина, д. 112" + ENTER, ENTER, ENTER]  # no ИНН, ОГРН
WHY = ("За качество товара отвечает продавец, указанный в кассовом чеке (п. 2.2 ст. 12 Закона о защите прав "
       "потребителей); «Купер» — владелец агрегатора. Претензию о качестве направим продавцу, копию — сервису.")


def flat(log: str) -> str:
    return re.sub(r"[ \n]+", " ", log)  # undo the console's line wrapping


def test_an_aggregators_quality_problem_asks_the_seller_on_the_receipt_and_says_why():
    problem = [DOWN * 4 + ENTER, ENTER,  # «Товар с истёкшим сроком годности», nothing else
               "Творог 5 %, 200 г" + ENTER, ENTER, "189,90" + ENTER, ENTER,  # one item: name, 1 pc., price; no more
               ENTER]  # «У каких товаров истёк срок годности?» — the only item is ticked already
    problem += SELLER + [ENTER, "Привезли творог с истёкшим сроком годности." + ENTER]
    demands = [DEMANDS[0], ENTER] + DEMANDS[2:]  # the refund offered is the item's price
    keys = PERSONAL + COMPANY_AND_ORDER + problem + demands + EVIDENCE_AND_SENDING + REVIEW_OK
    wizard, asker, log = drive(keys)
    case = validate_data(wizard.data, today=TODAY).raise_for_errors()
    assert case.seller.name == "ООО «Лента»" and case.seller.inn is None
    assert case.problem.kind.value == "expired_goods"
    assert [(i.name, i.issue.value, i.price) for i in case.order.items] == [
        ("Творог 5 %, 200 г", "expired_goods", Decimal("189.90"))]
    assert str(case.demands[0].amount) == "189.90"
    assert WHY in flat(log)
    assert "Претензия о товаре будет адресована" not in log  # the line before the question said it already
    assert "Кто указан продавцом в кассовом чеке?" not in asker.questions  # the «Купер» preset says: aggregator
    shown = wizard.display(find_question("company.aggregator", wizard.data))  # as the review table lists it
    assert shown == ("Другая компания (магазин-партнёр), а ООО «Инстамарт Сервис» — агрегатор: площадка или служба "
                     "доставки; так в справочнике компаний")


def test_the_seller_is_asked_only_when_the_goods_came_late_by_days_or_not_at_all():
    """The seller on the receipt owes the ст. 23.1 penalty (never the aggregator, law.md §0b.9): asked when the goods
    were not handed over in time; a delivery late by hours on the promised day is the delivery service's alone."""
    kuper = {"ogrn": "1187746494980"}
    same_day = {"company": kuper, "problem": {"kind": "late_delivery"},
                "order": {"delivery_due": "2026-11-02", "delivered_on": "2026-11-02"}}
    next_day = {**same_day, "order": {"delivery_due": "2026-11-02", "delivered_on": "2026-11-03"}}
    never = {"company": kuper, "problem": {"kind": "late_delivery"}, "order": {"delivery_due": "2026-11-02"}}
    assert not {"seller.name", "company.aggregator"} & {q.id for q in questions_for(same_day)}
    assert "seller.name" in {q.id for q in questions_for(next_day)}
    assert "seller.name" in {q.id for q in questions_for(never)}


def test_a_company_typed_in_is_asked_whether_it_sells_itself_and_only_an_aggregator_gets_the_seller_question():
    data = {"company": {"name": "ООО «Ромашка»", "address": "г. Москва"}, "problem": {"kind": "poor_quality"}}
    ids = [q.id for q in questions_for(data)]
    assert "company.aggregator" in ids and "seller.name" not in ids
    aggregator = next(q for q in QUESTIONS if q.id == "company.aggregator")
    assert [v for v, _ in aggregator.choices(data)] == ["no", "yes"]
    data["company"]["aggregator"] = True
    assert "seller.name" in [q.id for q in questions_for(data)]
    data["company"]["aggregator"] = False
    assert "seller.name" not in [q.id for q in questions_for(data)]


def test_skipping_the_seller_leaves_none_and_the_review_warns_naming_the_seller():
    problem = [DOWN * 4 + ENTER, ENTER, ENTER,  # expired goods, nothing else, no items listed
               ENTER,  # seller: Enter — no receipt at hand
               ENTER, "Привезли творог с истёкшим сроком годности." + ENTER]
    demands = [DEMANDS[0], "189,90" + ENTER] + DEMANDS[2:]
    wizard, asker, log = drive(PERSONAL + COMPANY_AND_ORDER + problem + demands + EVIDENCE_AND_SENDING + REVIEW_OK)
    assert "seller" not in wizard.data
    assert "Адрес продавца (из чека)" not in asker.questions
    text = flat(log)
    assert "Без продавца претензию о качестве получит сервис" in text
    assert "Обратите внимание — Продавец из чека: компания — владелец агрегатора" in text
    assert validate_data(wizard.data, today=TODAY).complete


# --- what really happened: the slot, the arrival, several problems, the items ---------------------------------------

LATE_CAME = [
    ENTER, ENTER,  # late delivery; nothing else
    "02.11.2026" + ENTER,  # promised date
    "17:00-18:00" + ENTER,  # the slot, typed with a hyphen
    UP + ENTER,  # «Заказ в итоге привезли?» — «Да»
    ENTER,  # «Какого числа привезли заказ?» — the promised date is offered
    "22:40" + ENTER,  # «Во сколько привезли заказ?»
    ENTER, "Интервал 17:00–18:00, заказ привезли только в 22:40, поддержка извинилась." + ENTER,
]


def offered(case, index):
    """What ``law.analysis`` derives for a demand given without a sum: the wizard offers exactly that."""
    from complaint_cli.law.analysis import default_amount

    bare = case.model_copy(deep=True)
    bare.demands[index].amount = None
    return default_amount(bare, index)


def test_a_late_order_that_came_records_the_slot_and_when_it_arrived():
    demands = [SPACE + ENTER, ENTER, ENTER]  # «Вернуть деньги»: the delivery fee is offered; to the card
    keys = PERSONAL + COMPANY_AND_ORDER + LATE_CAME + demands + EVIDENCE_AND_SENDING + REVIEW_OK
    wizard, asker, log = drive(keys)
    case = validate_data(wizard.data, today=TODAY).raise_for_errors()
    assert case.order.delivery_window == "17:00–18:00"
    assert case.order.delivered_on.isoformat() == "2026-11-02" and case.order.delivered_at == "22:40"
    assert case.problem_kinds() == ["late_delivery"]
    assert case.demands[0].amount == Decimal("299.00") == offered(case, 0)  # it came: the delivery fee, not the order
    order = ["Какого числа заказ должны были доставить?", "В какой интервал обещали привезти заказ?",
             "Заказ в итоге привезли?", "Какого числа привезли заказ?", "Во сколько привезли заказ?"]
    assert [q for q in asker.questions if q in order] == order
    table = log.replace("\xa0", " ")
    for row in ("Обещанный интервал", "17:00–18:00", "Заказ привезли", "Дата, когда привезли", "22:40"):
        assert row in table, row


def test_a_late_order_that_never_came_has_no_arrival():
    wizard, asker, _ = drive(FULL + REVIEW_OK)
    assert "delivered_on" not in wizard.data["order"] and "delivery_window" not in wizard.data["order"]
    assert "Какого числа привезли заказ?" not in asker.questions
    assert "Заказ в итоге привезли?" in asker.questions


def test_a_wrong_slot_is_explained_at_the_prompt():
    keys = PERSONAL + COMPANY_AND_ORDER + [ENTER, ENTER, "02.11.2026" + ENTER, "17-18" + ENTER,
                                           CLEAR + "17:00–18:00" + ENTER] + LATE_CAME[4:]
    wizard, asker, _ = drive(keys + [SPACE + ENTER, ENTER, ENTER] + EVIDENCE_AND_SENDING + REVIEW_OK)
    assert asker.shown == ["Интервал доставки нужно указать как ЧЧ:ММ–ЧЧ:ММ, например 17:00–18:00"]
    assert wizard.data["order"]["delivery_window"] == "17:00–18:00"


def test_an_arrival_before_the_order_is_refused_by_the_one_validation():
    q = next(q for q in QUESTIONS if q.id == "order.delivered_on")
    data = {"order": {"date": "02.11.2026"}, "problem": {"kind": "late_delivery"}}
    assert check_answer(data, q, "01.11.2026", today=TODAY) == "Заказ не может быть доставлен раньше даты заказа"
    assert check_answer(data, q, "26.11.2026", today=TODAY) == "Дата 26.11.2026 ещё не наступила"


TWO_PROBLEMS = [
    DOWN + ENTER,  # «Привезли не всё: недовложение товаров»
    DOWN * 3 + SPACE + ENTER,  # and «Товар с истёкшим сроком годности» (the main problem is not offered again)
    ENTER,  # «Какого числа привезли заказ?» — the order date is offered
    "Сыр «Российский» 45 %, 200 г" + ENTER, "2" + ENTER, "289,90" + ENTER,
    "Кофе молотый, 250 г" + ENTER, ENTER, "649" + ENTER,
    "Творог 5 %, 200 г" + ENTER, ENTER, "189,90" + ENTER,
    ENTER,  # no more items
    SPACE + DOWN + SPACE + ENTER,  # «Каких товаров не хватало?» — the cheese and the coffee
    "1" + ENTER,  # «Сколько из 2 шт. «Сыр …» не привезли?»
    DOWN * 2 + SPACE + ENTER,  # «У каких товаров истёк срок годности?» — the cottage cheese
    *SELLER,
    ENTER, "Не привезли кофе и одну упаковку сыра, творог просрочен." + ENTER,
]


def test_two_problems_in_one_order_each_with_its_items_and_the_seller():
    demands = [SPACE + ENTER, ENTER, ENTER]  # refund: the sum offered is accepted
    keys = PERSONAL + COMPANY_AND_ORDER + TWO_PROBLEMS + demands + EVIDENCE_AND_SENDING + REVIEW_OK
    wizard, asker, log = drive(keys)
    case = validate_data(wizard.data, today=TODAY).raise_for_errors()
    assert case.problem_kinds() == ["missing_items", "expired_goods"]
    assert [(i.name, i.quantity, i.issue.value, i.affected) for i in case.order.items] == [
        ("Сыр «Российский» 45 %, 200 г", Decimal(2), "missing_items", Decimal(1)),
        ("Кофе молотый, 250 г", None, "missing_items", Decimal(1)),
        ("Творог 5 %, 200 г", None, "expired_goods", Decimal(1)),
    ]
    assert case.order.delivered_on.isoformat() == "2026-11-02"
    assert case.seller.name == "ООО «Лента»"
    assert case.demands[0].amount == offered(case, 0)  # the sum the legal analysis takes for it
    assert "Были ли ещё проблемы с этим заказом?" in asker.questions
    assert "Сколько из 2 шт. «Сыр «Российский» 45 %, 200 г» не привезли?" in asker.questions
    assert "Кофе" not in " ".join(q for q in asker.questions if q.startswith("Сколько из"))  # 1 pc.: not asked
    table = flat(log.replace("\xa0", " "))
    assert "Товары: не хватало │ Сыр «Российский» 45 %, 200 г — 2 шт. по 289,90 руб.; Кофе молотый" in table
    assert "Товар 1: сколько не привезли │ 1 шт." in table
    assert "Товары: истёк срок годности │ Творог 5 %, 200 г — 1 шт. по 189,90 руб." in table
    # Only the items with a problem were asked for: their total is not the order's, and that is no reason to warn.
    assert "не равна сумме товаров" not in table


def test_the_items_offered_for_a_second_problem_show_what_they_are_marked_with():
    data = {"problem": {"kind": "missing_items", "also": ["expired_goods"]},
            "order": {"items": [{"name": "Сыр", "issue": "missing_items"}, {"name": "Творог"}]}}
    q = next(q for q in questions_for(data) if q.id == "order.items.issue.expired_goods")
    assert q.choices(data) == [("0", "Сыр — 1 шт. (сейчас: не хватало)"), ("1", "Творог — 1 шт.")]
    apply_answer(data, q, ["0", "1"])  # an item has one problem: the cheese moves over
    assert [i["issue"] for i in data["order"]["items"]] == ["expired_goods", "expired_goods"]


def test_dropping_a_problem_drops_its_marks_on_the_items():
    data = {"problem": {"kind": "late_delivery", "also": ["poor_quality"]},
            "order": {"items": [{"name": "Пломбир", "quantity": 4, "issue": "poor_quality", "affected_quantity": 2}]}}
    also = next(q for q in QUESTIONS if q.id == "problem.also")
    apply_answer(data, also, [])
    assert data["order"]["items"] == [{"name": "Пломбир", "quantity": 4}]
    assert "also" not in data["problem"]


def test_more_units_affected_than_ordered_is_refused_at_the_prompt():
    data = {"problem": {"kind": "poor_quality"}, "order": {"items": [{"name": "Пломбир", "quantity": 4,
                                                                       "issue": "poor_quality"}]}}
    q = next(q for q in questions_for(data) if q.id == "order.items.0.affected_quantity")
    assert q.message == "Сколько из 4 шт. «Пломбир» оказались ненадлежащего качества?"
    assert check_answer(data, q, "5", today=TODAY) == "Не может быть больше количества товара в заказе"
    assert check_answer(data, q, "2", today=TODAY) is None


def test_ctrl_c_in_the_arrival_details_asks_whether_it_came_again(tmp_path):
    keys = PERSONAL + COMPANY_AND_ORDER + LATE_CAME[:5] + [CTRL_C]  # «Да», then Ctrl-C at the arrival date
    log = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text("".join(keys))
        wizard = Wizard(asker=QuestionaryAsker(input=pipe, output=DummyOutput()), today=TODAY,
                        console=Console(file=log))
        with pytest.raises(WizardInterrupted):
            wizard.run()
    assert "order.delivered" not in wizard.asked and "delivered_on" not in wizard.data["order"]
    path = save_draft(wizard.data, tmp_path / "черновик_R-84512376.yaml", asked=wizard.asked)
    _, asker, _ = drive(LATE_CAME[4:] + [SPACE + ENTER, ENTER, ENTER] + EVIDENCE_AND_SENDING + REVIEW_OK,
                        read_case_data(path), asked=asked_in_draft(path))
    assert asker.questions[:2] == ["Заказ в итоге привезли?", "Какого числа привезли заказ?"]


# --- the review loop --------------------------------------------------------------------------------------------


def test_an_answer_can_be_edited_in_the_review_loop():
    edit = [DOWN + ENTER, ENTER, CLEAR + "Смирнова Анна Сергеевна" + ENTER]  # «Исправить: Ваши данные» → ФИО
    wizard, asker, _ = drive(FULL + edit + REVIEW_OK)
    assert wizard.data["claimant"]["full_name"] == "Смирнова Анна Сергеевна"
    assert asker.questions.count("Проверьте ответы. Всё верно?") == 2


def test_changing_the_demands_in_review_asks_the_new_amount():
    # «Исправить: Требования» → «Требования» → also tick «Возместить убытки» → its amount is asked.
    edit = [DOWN * 4 + ENTER, ENTER, DOWN * 3 + SPACE + ENTER, "500" + ENTER]
    wizard, asker, _ = drive(FULL + edit + REVIEW_OK)
    kinds = [d["kind"] for d in wizard.data["demands"]]
    assert kinds == ["refund", "compensation", "moral_damages"]
    assert wizard.data["demands"][1]["amount"] == "500"
    assert wizard.data["demands"][2]["amount"] == "3000"  # the moral damages amount is kept


def test_the_arrival_and_the_slot_can_be_given_and_taken_back_in_the_review():
    problem = DOWN * 3 + ENTER  # «Исправить: Что случилось»
    came = [problem, DOWN * 4 + ENTER, UP + ENTER, ENTER, "22:40" + ENTER]  # «Заказ привезли» → «Да», date, time
    slot = [problem, DOWN * 3 + ENTER, "17:00–18:00" + ENTER]
    wizard, _, _ = drive(FULL + came + slot + REVIEW_OK)
    order = wizard.data["order"]
    assert (order["delivered_on"], order["delivered_at"], order["delivery_window"]) == (
        "02.11.2026", "22:40", "17:00–18:00")

    gone = [problem, DOWN * 4 + ENTER, DOWN + ENTER]  # «Заказ привезли» → «Нет»
    wizard, _, _ = drive(FULL + came + gone + REVIEW_OK)
    assert "delivered_on" not in wizard.data["order"] and "delivered_at" not in wizard.data["order"]


def test_an_item_added_in_the_review_is_asked_which_problem_it_has():
    problem = [DOWN * 4 + ENTER, ENTER, "Творог 5 %, 200 г" + ENTER, ENTER, "189,90" + ENTER, ENTER, ENTER,
               *SELLER, ENTER, "Привезли творог и кефир с истёкшим сроком годности." + ENTER]
    demands = [DEMANDS[0], ENTER] + DEMANDS[2:]
    add = [DOWN * 3 + ENTER, DOWN * 5 + ENTER,  # «Исправить: Что случилось» → «+ Добавить товар»
           "Кефир 1 %, 900 мл" + ENTER,
           DOWN + SPACE + ENTER,  # «У каких товаров истёк срок годности?» is asked again: tick the kefir too
           "2" + ENTER, "99,90" + ENTER, ENTER,  # its quantity and price; no more items
           "1" + ENTER]  # «Сколько из 2 шт. «Кефир 1 %, 900 мл» с истёкшим сроком годности?»
    keys = PERSONAL + COMPANY_AND_ORDER + problem + demands + EVIDENCE_AND_SENDING + add + REVIEW_OK
    wizard, asker, _ = drive(keys)
    assert "Что исправить в разделе «Что случилось»?" in asker.questions
    assert asker.questions.count("У каких товаров истёк срок годности?") == 2
    case = validate_data(wizard.data, today=TODAY).raise_for_errors()
    assert [(i.name, i.issue.value, i.affected) for i in case.order.items] == [
        ("Творог 5 %, 200 г", "expired_goods", Decimal(1)), ("Кефир 1 %, 900 мл", "expired_goods", Decimal(1))]


def test_switching_from_the_preset_to_another_company_asks_its_details():
    edit = [DOWN * 2 + ENTER, ENTER, DOWN + ENTER,  # «Исправить: Компания и заказ» → «Компания» → другая
            "ООО «Ромашка»" + ENTER, ENTER, "101000, г. Москва, ул. Мясницкая, д. 1" + ENTER, ENTER, ENTER, ENTER]
    wizard, _, _ = drive(FULL + edit + REVIEW_OK)
    assert wizard.data["company"] == {"name": "ООО «Ромашка»", "address": "101000, г. Москва, ул. Мясницкая, д. 1"}


# --- drafts and resuming ------------------------------------------------------------------------------------------


def test_ctrl_c_keeps_the_answers_so_far_and_a_draft_resumes_where_it_stopped(tmp_path):
    stop = len(PERSONAL) + 2  # after the order number
    with pytest.raises(WizardInterrupted) as interrupted:
        drive(FULL[:stop] + [CTRL_C])
    data = interrupted.value.data
    assert data["order"] == {"number": "R-84512376"}
    path = save_draft(data, draft_path(data, tmp_path))
    assert path.name == "черновик_R-84512376.yaml"

    resumed, asker, _ = drive(FULL[stop:] + REVIEW_OK, read_case_data(path))
    assert asker.questions[0] == "Есть фото или PDF чека? Программа прочитает QR-код"  # nothing answered is asked again
    assert validate_data(resumed.data, today=TODAY).complete


def test_a_draft_remembers_the_optional_questions_left_empty(tmp_path):
    stop = len(PERSONAL) + len(COMPANY_AND_ORDER)  # delivery fee given, payment left empty; then Ctrl-C
    log = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text("".join(FULL[:stop]) + CTRL_C)
        asker = QuestionaryAsker(input=pipe, output=DummyOutput())
        wizard = Wizard(asker=asker, today=TODAY, console=Console(file=log))
        with pytest.raises(WizardInterrupted):
            wizard.run()
    path = save_draft(wizard.data, tmp_path / "черновик_R-84512376.yaml", asked=wizard.asked)
    assert path.read_text(encoding="utf-8").startswith("# Черновик мастера complaint new; уже заданы вопросы: ")
    assert "order.payment" in asked_in_draft(path)
    assert asked_in_draft(EXAMPLES / "kuper_late_delivery.yaml") == set()

    _, asker, _ = drive(FULL[stop:] + REVIEW_OK, read_case_data(path), asked=asked_in_draft(path))
    assert asker.questions[0] == "Что случилось?"  # «Как оплачен заказ» is not asked again


def test_ctrl_c_before_any_answer_saves_nothing(tmp_path):
    with pytest.raises(WizardInterrupted) as interrupted:
        drive([CTRL_C])
    assert save_draft(interrupted.value.data, tmp_path / "черновик.yaml") is None
    assert not (tmp_path / "черновик.yaml").exists()


def test_answers_file_asks_only_what_is_missing_or_invalid(late_case):
    late_case["claimant"]["phone"] = "12345"
    del late_case["claimant"]["email"]
    wizard, asker, log = drive([CLEAR + "+7 916 123-45-67" + ENTER, "o.k@example.ru" + ENTER] + REVIEW_OK, late_case)
    assert asker.questions == ["Телефон для связи", "Электронная почта для ответа", "Проверьте ответы. Всё верно?"]
    assert "Ответ «Телефон» нужно исправить: Неверный номер телефона: нужно 11 цифр" in log
    assert validate_data(wizard.data, today=TODAY).complete


# --- the finished case ----------------------------------------------------------------------------------------------


def test_finish_saves_the_case_renders_the_claim_and_previews_it(tmp_path, late_case):
    done = finish(late_case, out_dir=tmp_path, today=TODAY)
    assert done.case_path == tmp_path / "дело_R-84512376.yaml"
    assert read_case_data(done.case_path)["order"]["number"] == "R-84512376"
    assert [p.name for p in done.documents] == ["Претензия_заказ_R-84512376.docx"]
    assert "ПРЕТЕНЗИЯ" in done.preview
    assert any("complaint sent" in line for line in done.next_steps)


def test_finish_does_not_overwrite_without_force(tmp_path, late_case):
    from complaint_cli.errors import OutputExists

    finish(late_case, out_dir=tmp_path, today=TODAY)
    with pytest.raises(OutputExists, match="--force"):
        finish(late_case, out_dir=tmp_path, today=TODAY)
    assert finish(late_case, out_dir=tmp_path, today=TODAY, force=True).case_path.exists()


def test_an_order_number_cannot_lead_the_case_file_out_of_its_folder(tmp_path):
    path = case_path({"order": {"number": "../../etc/passwd"}}, tmp_path)
    assert path.parent == tmp_path.resolve()


# --- the command ----------------------------------------------------------------------------------------------------

runner = CliRunner()


def test_no_input_lists_the_missing_answers_by_question(tmp_path, late_case):
    del late_case["order"]["number"]
    late_case["claimant"]["email"] = "нет"
    answers = write_yaml(tmp_path / "ответы.yaml", late_case)
    result = runner.invoke(app, ["new", "--answers", str(answers), "--no-input", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "Не хватает ответов или они неверны (2):" in result.stderr
    assert "Номер заказа (order.number): обязательное поле не заполнено: укажите номер заказа" in result.stderr
    assert ("Электронная почта (claimant.email): неверный адрес электронной почты: нужно в виде name@example.ru"
            in result.stderr)
    assert not (tmp_path / "out").exists()


def test_no_input_with_a_complete_answers_file_renders_the_claim(tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(app, ["new", "--answers", str(EXAMPLES / "kuper_late_delivery.yaml"), "--no-input",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.stderr
    assert (out / "дело_R-84512376.yaml").exists()
    assert (out / "Претензия_заказ_R-84512376.docx").exists()
    assert "Начало претензии" in result.stdout and "ПРЕТЕНЗИЯ" in result.stdout  # what was made: stdout


def test_no_input_without_answers_lists_everything_required():
    missing = missing_fields({}, today=TODAY)
    assert {m.path for m in missing} >= {"claimant.full_name", "order.number", "problem.kind", "demands"}
    result = runner.invoke(app, ["new", "--no-input"])
    assert result.exit_code == 1
    assert "ФИО (claimant.full_name)" in result.stderr


def test_without_a_terminal_the_wizard_points_at_answers():
    result = runner.invoke(app, ["new"], input="")
    assert result.exit_code == 1
    assert "Мастеру нужен терминал" in result.stderr
    assert "complaint new --answers дело.yaml --no-input" in result.stderr
    assert "Traceback" not in result.stderr
