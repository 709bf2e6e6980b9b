"""The one validation path: every problem of a case at once, in Russian, named by dotted field path."""

from __future__ import annotations

from decimal import Decimal

import pytest

from complaint_cli.validation import validate_data
from tests.conftest import TODAY


def errors_of(data) -> dict[str, str]:
    return {p.field: p.message for p in validate_data(data, today=TODAY).errors}


def test_examples_are_complete_and_valid(late_case, missing_case, expired_case):
    for data in (late_case, missing_case, expired_case):
        report = validate_data(data, today=TODAY)
        assert report.complete, report.errors


def test_empty_case_lists_every_missing_element_of_a_claim():
    errs = errors_of({})
    for field in ("claimant.full_name", "claimant.address", "claimant.phone", "claimant.email",
                  "company.name", "company.address", "order.number", "order.date", "order.amount",
                  "problem.kind", "problem.description", "demands", "submission.channel"):
        assert field in errs, field
        assert "обязательное поле" in errs[field]


def test_all_problems_are_reported_at_once(late_case):
    late_case["claimant"]["email"] = "not-an-email"
    late_case["claimant"]["phone"] = "12345"
    late_case["order"]["date"] = "31.02.2026"
    late_case["demands"][0]["amount"] = "-5"
    late_case["problem"]["kind"] = "stolen_by_aliens"
    errs = errors_of(late_case)
    assert "неверный адрес электронной почты" in errs["claimant.email"]
    assert "неверный номер телефона" in errs["claimant.phone"]
    assert errs["order.date"] == "такой даты не существует: «31.02.2026»"
    assert "больше нуля" in errs["demands.0.amount"]
    assert "недопустимое значение «stolen_by_aliens»" in errs["problem.kind"]
    # The other, valid fields are still checked and not reported.
    assert "claimant.full_name" not in errs


@pytest.mark.parametrize("raw, expected", [
    ("8 (916) 123-45-67", "+79161234567"),
    ("+7 916 123 45 67", "+79161234567"),
    ("9161234567", "+79161234567"),
    ("+375 29 123-45-67", "+375291234567"),
])
def test_phone_is_normalised_to_plus_seven(late_case, raw, expected):
    late_case["claimant"]["phone"] = raw
    assert validate_data(late_case, today=TODAY).case.claimant.phone == expected


@pytest.mark.parametrize("raw", ["123", "+7 916 123", "8-800-CALL-NOW", "+79161234567890123"])
def test_bad_phone_is_an_error_naming_the_field(late_case, raw):
    late_case["claimant"]["phone"] = raw
    assert "claimant.phone" in errors_of(late_case)


def test_dates_accept_russian_and_iso_forms(late_case):
    late_case["order"]["date"] = "02.11.2026"
    late_case["order"]["delivery_due"] = "2026-11-03"
    case = validate_data(late_case, today=TODAY).case
    assert case.order.date.isoformat() == "2026-11-02"
    assert case.order.delivery_due.isoformat() == "2026-11-03"


def test_dates_in_the_future_are_errors(late_case):
    late_case["order"]["date"] = "01.12.2026"
    assert errors_of(late_case)["order.date"] == "дата 01.12.2026 ещё не наступила"


def test_order_date_before_sent_before_received(late_case):
    late_case["submission"].update(sent_on="2026-11-10", received_on="2026-11-09")
    errs = errors_of(late_case)
    assert errs["submission.received_on"] == "претензия не может быть получена раньше, чем отправлена"
    late_case["submission"].update(sent_on="2026-11-01", received_on="2026-11-09")
    assert "раньше даты заказа" in errors_of(late_case)["submission.sent_on"]


@pytest.mark.parametrize("time, receipt, error", [
    ("10:15", False, None),  # ordered in the morning for a 17:00–18:00 slot the same day
    ("17:59", False, None),  # inside the slot: unusual, not impossible
    ("18:00", False, "не мог быть оформлен на интервал доставки 17:00–18:00 того же дня"),
    ("19:15", True, "это может быть время чека, пробитого при доставке"),  # the receipt's time, printed on delivery
])
def test_an_order_placed_after_its_own_slot_is_an_error_naming_the_time(late_case, time, receipt, error):
    late_case["order"]["time"] = time
    if receipt:
        late_case["order"]["receipt"] = {"qr": "t=20261102T1915&s=3480.00&fn=7380440700076549&i=41521&fp=2123456789&n=1"}
    message = errors_of(late_case).get("order.time")
    assert (message is None) if error is None else (error in message)


def test_an_order_placed_after_it_arrived_is_an_error():
    from tests.conftest import load_example

    case = load_example("kuper_late_delivery.yaml")  # ordered 02.11 at 10:15, delivered the same day at 22:40
    case["order"].pop("delivery_window")
    case["order"].update(time="23:00")
    assert "позже, чем его привезли (22:40)" in errors_of(case)["order.time"]


@pytest.mark.parametrize("raw, value", [("1 250,50", "1250.50"), ("1250.50", "1250.50"), (1250, "1250.00"),
                                        ("1\u00a0250,5", "1250.50")])
def test_amounts_accept_both_decimal_marks(late_case, raw, value):
    late_case["order"]["amount"] = raw
    assert validate_data(late_case, today=TODAY).case.order.amount == Decimal(value)


def test_inn_and_ogrn_checksums(late_case):
    late_case["company"]["inn"] = "7707083893"  # Сбербанк: valid
    late_case["company"]["ogrn"] = "1027700132195"  # valid
    assert not errors_of(late_case)
    late_case["company"]["inn"] = "7707083894"
    late_case["company"]["ogrn"] = "1027700132196"
    errs = errors_of(late_case)
    assert "контрольной суммы" in errs["company.inn"]
    assert "контрольной суммы" in errs["company.ogrn"]


def test_money_demand_needs_an_amount_and_other_needs_text(late_case):
    late_case["demands"] = [{"kind": "refund"}, {"kind": "other"}, {"kind": "moral_damages"}]
    errs = errors_of(late_case)
    assert "укажите сумму требования «Вернуть деньги»" in errs["demands.0.amount"]
    assert "своими словами" in errs["demands.1.text"]
    assert "demands.2.amount" not in errs  # moral damages: the court decides the sum


def test_order_total_below_its_items_is_a_warning_not_an_error(missing_case):
    missing_case["order"]["amount"] = "999,00"
    report = validate_data(missing_case, today=TODAY)
    assert report.complete
    assert any(w.startswith("order.amount: сумма заказа") and "меньше суммы товаров" in w for w in report.warnings)


def test_listing_only_the_items_with_a_problem_is_not_a_mistake(missing_case):
    missing_case["order"]["amount"] = "9 999,00"  # more than the listed items: the others had no problem
    report = validate_data(missing_case, today=TODAY)
    assert not any(w.startswith("order.amount") for w in report.warnings)


def test_region_is_derived_from_the_address(missing_case):
    report = validate_data(missing_case, today=TODAY)
    assert "Татарстан" in report.case.claimant.region
    assert any("регион определён по адресу" in w for w in report.warnings)


def test_unknown_region_is_an_error_with_suggestions(late_case):
    late_case["claimant"]["region"] = "Масква"
    assert "Москва" in errors_of(late_case)["claimant.region"]


def test_unknown_key_is_reported(late_case):
    late_case["order"]["numbr"] = "1"
    assert errors_of(late_case)["order.numbr"] == "неизвестное поле (проверьте написание ключа)"


def test_control_characters_are_removed_with_a_warning(late_case):
    late_case["claimant"]["full_name"] = "Кузнецова\x00 Ольга\x07 Андреевна"
    report = validate_data(late_case, today=TODAY)
    assert report.case.claimant.full_name == "Кузнецова Ольга Андреевна"
    assert "claimant.full_name: удалены управляющие (невидимые) символы" in report.warnings


def test_length_limits_are_generous_but_bounded(late_case):
    late_case["problem"]["description"] = "д" * 10_000
    late_case["claimant"]["address"] = "а" * 500
    assert validate_data(late_case, today=TODAY).complete
    late_case["problem"]["description"] = "д" * 10_001
    assert errors_of(late_case)["problem.description"] == "слишком длинный текст: не более 10000 символов"


def test_seller_needs_name_and_address(expired_case):
    expired_case["seller"] = {"name": "ООО «Ромашка»"}
    assert "seller.address" in errors_of(expired_case)


def test_a_list_instead_of_a_case_is_a_clear_error():
    assert "(дело)" in errors_of(["not", "a", "case"])


@pytest.mark.parametrize(("typed", "value"), [("да", True), ("Нет", False), (True, True), ("false", False)])
def test_company_aggregator_takes_yes_and_no_in_russian_as_people_type_them(late_case, typed, value):
    late_case["company"]["aggregator"] = typed
    assert validate_data(late_case, today=TODAY).case.company.aggregator is value


def test_a_wrong_aggregator_value_names_the_field(late_case):
    late_case["company"]["aggregator"] = "может быть"
    errors = validate_data(late_case, today=TODAY).errors
    assert [(e.field, e.message) for e in errors] == [("company.aggregator", "ожидается «да» или «нет» (true/false)")]


def test_a_wrong_kind_in_problem_also_is_reported_once_and_the_rest_kept(late_case):
    late_case["problem"]["also"] = ["растаяло", "poor_quality"]
    report = validate_data(late_case, today=TODAY)
    assert [e.field for e in report.errors] == ["problem.also.0"]
    assert [k.value for k in report.case.problem.also] == ["poor_quality"]


@pytest.mark.parametrize("window", ["{{ 7*7 }}", "20:00-19:00", "9-10", "x" * 10_000, "17:00–25:00"])
def test_a_delivery_window_must_be_a_real_slot(late_case, window):
    late_case["order"]["delivery_window"] = window
    errors = validate_data(late_case, today=TODAY).errors
    assert [e.field for e in errors] == ["order.delivery_window"]
