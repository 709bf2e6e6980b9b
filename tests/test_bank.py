"""The request to the card's issuing bank to dispute a card payment (escalate --only bank): only for card problems,
never the full card number, blanks for what the case lacks, and — it is no statutory procedure — said so."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from complaint_cli.bank import card_mask, card_problem, not_statute
from complaint_cli.cli import app
from complaint_cli.money import normalize_spaces
from complaint_cli.render import document_text
from complaint_cli.validation import validate_data
from tests.conftest import load_example, write_yaml

ON = "10.12.2026"
NOT_STATUTE = ("Это не установленная законом процедура: банк рассматривает заявление по правилам платёжной системы; "
               "решение принимает банк.")
BANK = {"name": "ПАО «Сбербанк России»", "address": "117312, г. Москва, ул. Вавилова, д. 19",
        "card": "2202 20** **** 1234", "operation_on": "2026-11-05", "operation_at": "14:03", "amount": "3 120,00",
        "merchant": "INSTAMART SERVIS MOSCOW", "reference": "531012345678"}


def overcharge(bank: dict | None = None) -> dict:
    """Charged twice for one order: a registered-letter claim received 12.11.2026, its 7-day term passed 19.11."""
    data = copy.deepcopy(load_example("kuper_late_delivery.yaml"))
    data["order"].update(number="R-90011234", date="2026-11-05", delivered_on="2026-11-05", amount="3 120,00",
                         payment="картой в приложении")  # no mask here: bank.card is the only source of it
    for key in ("delivery_due", "delivery_window", "delivered_at", "delivery_fee"):
        data["order"].pop(key, None)
    data["problem"] = {"kind": "overcharge", "discovered_on": "2026-11-05",
                       "description": "С карты дважды списали по 3 120,00 руб. за один заказ."}
    data["demands"] = [{"kind": "refund", "amount": "3 120,00"}]
    data["evidence"] = [{"description": "Выписка по карте с двумя списаниями"}]
    data["submission"] = {"channel": "post", "sent_on": "2026-11-09", "received_on": "2026-11-12",
                          "reference": "12500012345678"}
    if bank is not None:
        data["bank"] = bank
    return data


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def escalate_bank(tmp_path, data: dict, *more):
    path = write_yaml(tmp_path / "case.yaml", data)
    return run("escalate", path, "--out", tmp_path / "out", "--on", ON, *more)


# --------------------------------------------------------------------------- the card: a mask, never the number

CARDS = [  # (bank.card as typed, the validation error or None)
    ("2202 20** **** 1234", None),
    ("**** 1234", None),
    ("•••• 1234", None),
    ("1234", None),
    ("220220******1234", None),
    ("2202 2012 3456 7890", "похоже на полный номер карты"),
    ("2202201234567890", "похоже на полный номер карты"),
    ("2202-2012-3456-7890-123", "похоже на полный номер карты"),
    ("2202 2012 34** 7890", "похоже на полный номер карты"),  # 12 digits shown: more than 6 + 4
    ("Мир", "хотя бы последние 4 цифры"),
    ("** 12", "хотя бы последние 4 цифры"),
]


@pytest.mark.parametrize("card, error", CARDS)
def test_bank_card_is_checked_in_the_one_validation_path(card, error):
    report = validate_data(overcharge({**BANK, "card": card}), today=dt.date(2026, 12, 10))
    problems = [p for p in report.errors if p.field == "bank.card"]
    if error is None:
        assert problems == []
    else:
        (problem,) = problems
        assert error in problem.message
        digits = "".join(c for c in card if c.isdigit())
        assert len(digits) < 4 or digits not in problem.message.replace(" ", "")  # the number is never quoted


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 -*•", min_size=0, max_size=30))
def test_no_mask_with_more_than_ten_digits_passes_and_none_is_printed(card):
    digits = sum(c.isdigit() for c in card)
    assert (card_problem(card) is not None) == (digits > 10 or (card.strip() != "" and digits < 4))
    assert sum(c.isdigit() for c in card_mask(card)) <= 10


def test_a_full_card_number_refuses_the_case_with_exit_1(tmp_path):
    result = escalate_bank(tmp_path, overcharge({**BANK, "card": "2202 2012 3456 7890"}), "--only", "bank")
    assert result.exit_code == 1
    assert "bank.card" in result.stderr and "полный номер карты" in result.stderr
    assert "3456" not in result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


# --------------------------------------------------------------------------- the letter


def test_escalate_only_bank_drafts_the_request_with_the_operation_and_the_claim(tmp_path):
    result = escalate_bank(tmp_path, overcharge(dict(BANK)), "--only", "банк", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [d["kind"] for d in doc["documents"]] == ["bank"]
    assert doc["documents"][0]["path"].endswith("Заявление_в_банк_заказ_R-90011234.docx")
    assert NOT_STATUTE in doc["warnings"]
    text = normalize_spaces(document_text(open(doc["documents"][0]["path"], "rb").read()))
    lines = text.splitlines()
    assert lines[:2] == ["В ПАО «Сбербанк России»", "117312, г. Москва, ул. Вавилова, д. 19"]
    assert "ЗАЯВЛЕНИЕ\nоб оспаривании операции по банковской карте" in text
    assert "Я являюсь держателем банковской карты 2202 20** **** 1234, выпущенной вашим банком." in text
    assert ("05.11.2026 в 14:03 по карте проведена операция оплаты в пользу INSTAMART SERVIS MOSCOW на сумму "
            "3 120 руб. 00 коп. (три тысячи сто двадцать рублей 00 копеек), код операции (RRN) 531012345678. "
            "Это оплата заказа № R-90011234 от 05.11.2026 в ООО «Инстамарт Сервис» (сервис «Купер»).") in text
    assert "С меня была списана сумма, превышающая стоимость заказа. Оспариваю операцию в сумме 3 120 руб. 00 коп." in text
    # what the consumer did: the claim, how it was sent, received, the term passed (the analysis' deadline)
    assert "09.11.2026 мною в адрес ООО «Инстамарт Сервис» (сервис «Купер») направлена претензия" in text
    assert "Претензия получена адресатом 12.11.2026." in text
    assert "— истёк 19.11.2026." in text
    assert ("Мне известно, что это не установленная законом процедура: банк рассматривает заявление по правилам "
            "платёжной системы; решение принимает банк.") in text
    attachments = text[text.index("Приложения:"):]
    for item in ("1. Копия претензии от 09.11.2026", "почтовый идентификатор № 12500012345678",
                 "Выписка по счёту карты (или снимок экрана мобильного банка) с оспариваемой операцией",
                 "Кассовый чек по заказу № R-90011234", "Выписка по карте с двумя списаниями"):
        assert item in attachments, item
    assert lines[-1] == "10.12.2026\t_______________ / О. А. Кузнецова"


def test_missing_bank_data_leaves_blanks_and_the_console_lists_them(tmp_path):
    result = escalate_bank(tmp_path, overcharge({"name": "АО «Т-Банк»"}), "--only", "bank", "--json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    blanks = [w for w in doc["warnings"] if w.startswith("Заявление в банк: не указано")]
    assert [w.split("(")[-1].split(")")[0] for w in blanks] == ["bank.card", "bank.operation_on", "bank.amount"]
    assert any("bank.merchant" in w for w in doc["warnings"])
    text = normalize_spaces(document_text(open(doc["documents"][0]["path"], "rb").read()))
    assert "Я являюсь держателем банковской карты ____, выпущенной вашим банком." in text
    assert "____ по карте проведена операция оплаты в пользу ООО «Инстамарт Сервис» на сумму ____ руб. Это" in text
    # the disputed sum is the money demanded back for the card problem (the analysis), not a blank
    assert "Оспариваю операцию в сумме 3 120 руб. 00 коп." in text


@pytest.mark.parametrize("kinds", [["late_delivery"], ["missing_items"], ["poor_quality"]])
def test_bank_is_refused_for_other_problems(tmp_path, kinds):
    data = overcharge(dict(BANK))
    data["problem"]["kind"] = kinds[0]
    result = escalate_bank(tmp_path, data, "--only", "bank", "--force")
    assert result.exit_code == 1
    assert "Заявление в банк об оспаривании операции составляется только по проблемам с оплатой картой" in result.stderr
    assert "overcharge" in result.stderr and "refund_not_received" in result.stderr
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_bank_is_not_in_the_default_set_but_is_suggested(tmp_path):
    result = escalate_bank(tmp_path, overcharge(dict(BANK)), "--only", "повторная")
    assert result.exit_code == 0, result.output
    assert not list((tmp_path / "out").glob("Заявление_в_банк*"))
    assert "complaint escalate ДЕЛО --only bank" in normalize_spaces(result.stdout)
    json_all = run("escalate", tmp_path / "case.yaml", "--out", tmp_path / "all", "--on", ON, "--json")
    assert "bank" not in [d["kind"] for d in json.loads(json_all.stdout)["documents"]]


def test_a_terminal_asks_for_the_bank_data_and_saves_it(tmp_path):
    from complaint_cli.casefile import read_case_data
    from complaint_cli.escalation import EscalationOptions, escalate_file
    from tests.test_escalation import ScriptedAsker

    path = write_yaml(tmp_path / "case.yaml", overcharge({"name": "АО «Т-Банк»"}))
    asker = ScriptedAsker({
        "маска карты": ("**** 4410", "2202 2012 3456 7890"),
        "дата операции": ("05.11.2026", "31.11.2026"),
        "сумма операции": ("", None),  # Enter: keep the blank
    })
    on = dt.date(2026, 12, 10)
    result = escalate_file(path, out_dir=tmp_path / "out", on=on, today=on,
                           options=EscalationOptions(only=("bank",)), asker=asker)
    assert all(q.startswith("Заявление в банк: ") for q in asker.asked) and len(asker.asked) == 3
    assert all(asker.rejections)  # a full card number and 31.11 were refused with a message
    saved = read_case_data(path)["bank"]
    assert (saved["card"], saved["operation_on"]) == ("**** 4410", "2026-11-05") and "amount" not in saved
    text = normalize_spaces(document_text(result.documents[0].path.read_bytes()))
    assert "карты **** 4410" in text and "05.11.2026 по карте" in text


def test_the_not_statute_sentence_is_data():
    assert not_statute() == NOT_STATUTE


def test_every_variable_of_the_bank_template_is_documented():
    from complaint_cli.bank import BANK_VARIABLES
    from complaint_cli.customtemplates import used_variables
    from complaint_cli.render import load_template

    used = used_variables(load_template("bank.docx").source)
    documented = set(BANK_VARIABLES) | {k.split(".")[0] for k in BANK_VARIABLES}
    assert {v for v in used if v.split(".")[0] != "loop"} <= documented


def test_the_card_mask_the_consumer_wrote_in_the_payment_is_used_when_bank_card_is_missing():
    from complaint_cli.bank import missing_bank_data, payment_card
    from tests.conftest import TODAY

    data = load_example("kuper_late_delivery.yaml")
    data["order"]["payment"] = "картой ****1234 в приложении"
    case = validate_data(data, today=TODAY).raise_for_errors()
    assert payment_card(case) == "**** 1234"
    assert "bank.card" not in [f for f, _ in missing_bank_data(case)]
    data["order"]["payment"] = "СБП"
    assert payment_card(validate_data(data, today=TODAY).raise_for_errors()) is None
