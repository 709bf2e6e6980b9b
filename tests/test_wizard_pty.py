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

ENTER, DOWN, SPACE, CTRL_C, BACKSPACE = "\r", "\x1b[B", " ", "\x03", "\x7f"
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
    answer(child, "Продавец в кассовом чеке", ENTER)
    answer(child, "Номер заказа", "R-84512376" + ENTER)
    answer(child, "Дата заказа", "02.11.2026" + ENTER)
    answer(child, "Сколько вы заплатили", "4870" + ENTER)
    answer(child, "Стоимость доставки", ENTER)
    answer(child, "Как оплачен заказ", ENTER)
    answer(child, "Что случилось?", ENTER)
    answer(child, "Какого числа заказ должны были доставить?", "02.11.2026" + ENTER)
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
    child.expect_exact("Неверный адрес электронной почты «ivan@»")  # shown at the prompt, which stays open
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
    answer(child, "Продавец в кассовом чеке", ENTER)
    answer(child, "Номер заказа", "R-84512376" + ENTER)
    answer(child, "Дата заказа", "02.11.2026" + ENTER)
    answer(child, "Сколько вы заплатили", "4870" + ENTER)
    for question in ("Стоимость доставки", "Как оплачен заказ"):  # optional: left empty on purpose
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
    answer(child, "Какого числа заказ должны были доставить?", "02.11.2026" + ENTER)
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
    child.expect_exact("больше не нужен")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert (tmp_path / "complaints" / "дело_R-84512376.yaml").exists()
