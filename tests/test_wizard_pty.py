"""`complaint new` in a real pseudo-terminal (pexpect): what a user sees and types, end to end."""

from __future__ import annotations

import io
import os
import re
import sys

import pytest

from complaint_cli.casefile import read_case_data
from tests.conftest import TODAY

pexpect = pytest.importorskip("pexpect")

ENTER, DOWN, UP, SPACE, CTRL_C, BACKSPACE = "\r", "\x1b[B", "\x1b[A", " ", "\x03", "\x7f"
ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][A-Za-z0-9]|[=>])")


def spawn(tmp_path, *args: str):
    # PROMPT_TOOLKIT_NO_CPR: pexpect never answers prompt_toolkit's cursor-position request, which would cost a
    # timeout on every prompt.
    env = {**os.environ, "COMPLAINT_CLI_HOME": str(tmp_path / "home"), "COMPLAINT_CLI_TODAY": TODAY.isoformat(),
           "TERM": "xterm", "PROMPT_TOOLKIT_NO_CPR": "1", "LANG": "C.UTF-8", "COLUMNS": "120", "LINES": "40"}
    child = pexpect.spawn(sys.executable, ["-m", "complaint_cli", "new", *args], cwd=str(tmp_path), env=env,
                          encoding="utf-8", dimensions=(40, 120), timeout=30)
    child.logfile_read = io.StringIO()
    return child


def answer(child, question: str, keys: str) -> None:
    child.expect_exact(question)
    child.send(keys)


def screen_text(child) -> str:
    return ANSI.sub("", child.logfile_read.getvalue())


def personal_data(child, email: str = "o.kuznetsova@example.ru") -> None:
    answer(child, "Ваши фамилия, имя и отчество", "Кузнецова Ольга Андреевна" + ENTER)
    answer(child, "Почтовый адрес для ответа", "125047, г. Москва, ул. Тверская, д. 1, кв. 2" + ENTER)
    answer(child, "Телефон для связи", "+7 916 123-45-67" + ENTER)
    answer(child, "Электронная почта для ответа", email + ENTER)


def the_rest(child) -> None:
    answer(child, "Где вы сделали заказ?", ENTER)
    answer(child, "Номер заказа", "R-84512376" + ENTER)
    answer(child, "Есть фото или PDF чека?", ENTER)
    answer(child, "Дата заказа", "02.11.2026" + ENTER)
    answer(child, "Сколько вы заплатили", "4870" + ENTER)
    answer(child, "плата за доставку", ENTER)
    answer(child, "Как оплачен заказ", ENTER)
    answer(child, "Что случилось?", ENTER)
    answer(child, "Были ли ещё проблемы с этим заказом?", ENTER)
    answer(child, "Какого числа заказ должны были доставить?", "02.11.2026" + ENTER)
    answer(child, "В какой интервал обещали", ENTER)
    answer(child, "Заказ в итоге привезли?", ENTER)
    answer(child, "Продавец из кассового чека", ENTER)  # it owes the ст. 23.1 penalty; no receipt at hand
    answer(child, "Когда вы обнаружили нарушение?", ENTER)
    answer(child, "Опишите своими словами", "Заказ не привезли ни в назначенный интервал, ни вечером." + ENTER)
    answer(child, "Чего вы требуете?", SPACE + ENTER)
    answer(child, "Сумма по требованию «Вернуть деньги»", ENTER)
    answer(child, "Куда вернуть деньги?", ENTER)
    answer(child, "Что вы приложите к претензии?", SPACE + ENTER)
    answer(child, "Что ещё приложите?", ENTER)
    answer(child, "Как вы отправите претензию?", ENTER)


def test_a_user_types_a_kuper_case_in_a_terminal_and_gets_the_claim(tmp_path):
    child = spawn(tmp_path)
    personal_data(child, email="ivan@")
    child.expect_exact("Неверный адрес электронной почты: нужно")  # shown at the prompt, which stays open
    child.send(BACKSPACE + "@mail.ru" + ENTER)
    the_rest(child)
    child.expect_exact("Проверьте ответы")
    answer(child, "Всё верно?", ENTER)
    child.expect_exact("Претензия готова")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    out = tmp_path / "complaints"
    assert (out / "Претензия_заказ_R-84512376.docx").exists()
    data = read_case_data(out / "дело_R-84512376.yaml")
    assert data["claimant"]["email"] == "ivan@mail.ru"
    assert data["company"]["name"] == "ООО «Инстамарт Сервис»"

    text = screen_text(child)
    assert "Что говорит закон:" in text and "ст. 23.1" in text
    assert "↑/↓ — выбрать, Enter — подтвердить" in text
    assert "ПРЕТЕНЗИЯ" in text  # the preview
    assert "complaint sent" in text  # the next step
    for english in ("Use arrow", "(Y/n)", "Yes", "done (", "selections", "Cancelled", "Invalid input", "Traceback"):
        assert english not in text


def test_ctrl_c_saves_a_draft_that_answers_resumes_in_the_terminal(tmp_path):
    child = spawn(tmp_path)
    personal_data(child)
    answer(child, "Где вы сделали заказ?", ENTER)
    answer(child, "Номер заказа", "R-84512376" + ENTER)
    answer(child, "Есть фото или PDF чека?", ENTER)
    answer(child, "Дата заказа", "02.11.2026" + ENTER)
    answer(child, "Сколько вы заплатили", "4870" + ENTER)
    for question in ("плата за доставку", "Как оплачен заказ"):  # optional: left empty on purpose
        answer(child, question, ENTER)
    answer(child, "Что случилось?", CTRL_C)  # in a list, not a text field
    child.expect_exact("Ответы сохранены в черновик")
    draft = tmp_path / "complaints" / "черновик_R-84512376.yaml"
    child.expect_exact("Продолжить: complaint new --answers")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert str(draft) in screen_text(child).replace("\r\n", "")
    assert read_case_data(draft)["order"] == {"number": "R-84512376", "date": "2026-11-02", "amount": "4870.00"}

    child = spawn(tmp_path, "--answers", str(draft))
    child.expect_exact("Что случилось?")  # the first question not asked yet: nothing is asked twice
    for asked_before in ("Ваши фамилия, имя и отчество", "Дата заказа", "Как оплачен заказ"):
        assert asked_before not in screen_text(child)
    child.send(ENTER)
    answer(child, "Были ли ещё проблемы с этим заказом?", ENTER)
    answer(child, "Какого числа заказ должны были доставить?", "02.11.2026" + ENTER)
    answer(child, "В какой интервал обещали", ENTER)
    answer(child, "Заказ в итоге привезли?", ENTER)
    answer(child, "Продавец из кассового чека", ENTER)  # it owes the ст. 23.1 penalty; no receipt at hand
    answer(child, "Когда вы обнаружили нарушение?", ENTER)
    answer(child, "Опишите своими словами", "Заказ не привезли ни в назначенный интервал, ни вечером." + ENTER)
    answer(child, "Чего вы требуете?", SPACE + ENTER)
    answer(child, "Сумма по требованию «Вернуть деньги»", ENTER)
    answer(child, "Куда вернуть деньги?", ENTER)
    answer(child, "Что вы приложите к претензии?", ENTER)
    answer(child, "Что ещё приложите?", ENTER)
    answer(child, "Как вы отправите претензию?", ENTER)
    answer(child, "Всё верно?", ENTER)
    child.expect_exact("Претензия готова")
    child.expect_exact("удалён: ответы теперь в файле дела")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (tmp_path / "complaints" / "дело_R-84512376.yaml").exists()
    assert not draft.exists()  # the draft's personal data does not outlive it (issue 16)


def test_a_late_order_that_came_after_its_slot_with_a_melted_item_in_a_terminal(tmp_path):
    """Late delivery with a slot, delivered at 22:40, and a second problem (poor quality) with its items."""
    child = spawn(tmp_path)
    personal_data(child)
    answer(child, "Где вы сделали заказ?", ENTER)  # «Купер»: an aggregator by its preset
    answer(child, "Номер заказа", "R-84512376" + ENTER)
    answer(child, "Есть фото или PDF чека?", ENTER)
    answer(child, "Дата заказа", "02.11.2026" + ENTER)
    answer(child, "Сколько вы заплатили", "4870" + ENTER)
    answer(child, "плата за доставку", "299" + ENTER)
    answer(child, "Как оплачен заказ", ENTER)
    answer(child, "Что случилось?", ENTER)  # late delivery
    answer(child, "Были ли ещё проблемы с этим заказом?", DOWN * 2 + SPACE + ENTER)  # + poor quality
    answer(child, "Какого числа заказ должны были доставить?", "02.11.2026" + ENTER)
    answer(child, "В какой интервал обещали", "17:00-18:00" + ENTER)
    answer(child, "Заказ в итоге привезли?", UP + ENTER)  # «Да»
    answer(child, "Какого числа привезли заказ?", ENTER)  # the promised day is offered
    answer(child, "Во сколько привезли заказ?", "22:40" + ENTER)
    answer(child, "С какими товарами проблема?", "Пломбир ванильный, 80 г" + ENTER)
    answer(child, "Сколько штук «Пломбир ванильный, 80 г» было в заказе?", "4" + ENTER)
    answer(child, "Цена «Пломбир ванильный, 80 г» за штуку", "89,90" + ENTER)
    answer(child, "Ещё товар с проблемой", ENTER)
    answer(child, "Какие товары оказались ненадлежащего качества", ENTER)  # the only item is ticked already
    answer(child, "Сколько из 4 шт. «Пломбир ванильный, 80 г» оказались ненадлежащего качества?", "4" + ENTER)
    child.expect_exact("За качество товара отвечает продавец")
    answer(child, "Продавец из кассового чека", "ООО «Ромашка»" + ENTER)
    answer(child, "Адрес продавца", "101000, г. Москва, ул. Мясницкая, д. 1" + ENTER)
    answer(child, "ИНН продавца", ENTER)
    answer(child, "ОГРН продавца", ENTER)
    answer(child, "Когда вы обнаружили нарушение?", ENTER)
    answer(child, "Опишите своими словами", "Привезли в 22:40 вместо 17:00–18:00, мороженое растаяло." + ENTER)
    answer(child, "Чего вы требуете?", SPACE + ENTER)
    answer(child, "Сумма по требованию «Вернуть деньги»", ENTER)  # the sum the legal analysis derives is offered
    answer(child, "Куда вернуть деньги?", ENTER)
    answer(child, "Что вы приложите к претензии?", SPACE + ENTER)
    answer(child, "Что ещё приложите?", ENTER)
    answer(child, "Как вы отправите претензию?", ENTER)
    child.expect_exact("Проверьте ответы")
    answer(child, "Всё верно?", ENTER)
    child.expect_exact("Претензия готова")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    data = read_case_data(tmp_path / "complaints" / "дело_R-84512376.yaml")
    assert data["problem"]["kind"] == "late_delivery" and data["problem"]["also"] == ["poor_quality"]
    assert {k: data["order"][k] for k in ("delivery_due", "delivery_window", "delivered_on", "delivered_at")} == {
        "delivery_due": "2026-11-02", "delivery_window": "17:00–18:00", "delivered_on": "2026-11-02",
        "delivered_at": "22:40"}
    assert data["order"]["items"] == [{"name": "Пломбир ванильный, 80 г", "quantity": "4", "price": "89.90",
                                       "issue": "poor_quality", "affected_quantity": "4"}]
    assert data["seller"] == {"name": "ООО «Ромашка»", "address": "101000, г. Москва, ул. Мясницкая, д. 1"}
    from complaint_cli.law.analysis import default_amount
    from complaint_cli.validation import validate_data

    bare = {**data, "demands": [{"kind": "refund"}]}
    assert data["demands"][0]["amount"] == str(default_amount(validate_data(bare, today=TODAY).case, 0))
    text = " ".join(screen_text(child).split())
    assert "«Купер» — владелец агрегатора. Претензию о качестве направим продавцу, копию — сервису." in text
    for english in ("Use arrow", "(Y/n)", "Yes", "done (", "selections", "Cancelled", "Invalid input", "Traceback"):
        assert english not in text
