"""Legal calculators: неустойка (law.md §3), court and state duty (§4.1–4.2), fine (ст. 13 п. 6)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from complaint_cli.law.calc import (
    CourtKind,
    claim_value,
    consumer_state_duty,
    court_calculation,
    court_for,
    fine,
    no_penalty_reason,
    penalty,
    penalty_from_received,
    state_duty_general,
)
from complaint_cli.errors import ComplaintError
from complaint_cli.money import normalize_spaces
from complaint_cli.law.workcalendar import get_calendar

CAL = get_calendar()


# ---------------------------------------------------------------- worked examples (§3.2)


def test_p1_one_percent_for_spoiled_item_refund_ignored() -> None:
    result = penalty_from_received("23", D("1250.50"), date(2025, 3, 3), date(2025, 4, 2), cal=CAL)
    assert result.deadline == date(2025, 3, 13)
    assert (result.period_from, result.period_to) == (date(2025, 3, 14), date(2025, 4, 2))
    assert result.days == 20
    assert result.amount == D("250.10")
    assert normalize_spaces(result.formula) == "1 % × 1 250,50 руб. × 20 дн. = 250,10 руб."
    assert "п. 1 ст. 23" in result.rule


def test_p2_half_percent_for_prepaid_order_not_delivered() -> None:
    result = penalty("23.1", D("4870.00"), date(2025, 6, 10), date(2025, 6, 30))
    assert result.days == 20
    assert result.amount == D("487.00")
    assert result.cap == D("4870.00") and not result.capped
    assert normalize_spaces(result.formula) == "0,5 % × 4 870,00 руб. × 20 дн. = 487,00 руб."


def test_p4a_three_percent_for_delivery_fee_refund_ignored() -> None:
    result = penalty_from_received("28", D("299.00"), date(2026, 1, 12), date(2026, 1, 30))
    assert result.deadline == date(2026, 1, 22)
    assert result.days == 8
    assert result.amount == D("71.76")


# ---------------------------------------------------------------- caps


def test_article_23_before_february_2026_is_uncapped_with_a_caveat() -> None:
    result = penalty("23", D("1000.00"), date(2025, 3, 13), date(2025, 9, 9))
    assert result.days == 180
    assert result.amount == D("1800.00")
    assert result.cap is None and not result.capped
    assert any("500-ФЗ" in c and "суд может применить" in c for c in result.caveats)


def test_article_23_cap_applies_when_the_term_ends_on_1_february_2026() -> None:
    result = penalty("23", D("1000.00"), date(2026, 2, 1), date(2026, 7, 31))
    assert result.days == 180
    assert result.raw_amount == D("1800.00")
    assert (result.amount, result.capped, result.cap) == (D("1000.00"), True, D("1000.00"))
    assert "ограничение" in result.formula


def test_article_23_one_day_before_the_cap_date_stays_uncapped() -> None:
    result = penalty("23", D("1000.00"), date(2026, 1, 31), date(2026, 7, 30))
    assert result.amount == D("1800.00") and result.cap is None


def test_article_23_1_reaches_its_cap_at_exactly_200_days() -> None:
    assert penalty("23.1", D("4870"), date(2025, 6, 10), date(2025, 12, 27)).amount == D("4870.00")
    below = penalty("23.1", D("4870"), date(2025, 6, 10), date(2025, 12, 26))
    assert below.amount == D("4845.65") and not below.capped
    above = penalty("23.1", D("4870"), date(2025, 6, 10), date(2026, 6, 10))
    assert above.capped and above.amount == D("4870.00")


def test_article_28_reaches_its_cap_after_34_days() -> None:
    assert penalty("28", D("299"), date(2026, 1, 22), date(2026, 2, 24)).amount == D("296.01")
    capped = penalty("28", D("299"), date(2026, 1, 22), date(2026, 2, 25))
    assert capped.capped and capped.amount == D("299.00")


def test_rounding_is_half_up_to_kopecks() -> None:
    # 0,5 % × 0,01 × 1 = 0,00005 → 0,00; 0,5 % × 1,01 × 1 = 0,00505 → 0,01
    assert penalty("23.1", D("0.01"), date(2025, 6, 10), date(2025, 6, 11)).amount == D("0.00")
    assert penalty("23.1", D("1.01"), date(2025, 6, 10), date(2025, 6, 11)).amount == D("0.01")


# ---------------------------------------------------------------- day counting


def test_shift_over_new_year_moves_the_penalty_start_to_13_january() -> None:
    result = penalty_from_received("23", D("500"), date(2025, 12, 22), date(2026, 1, 20))
    assert result.deadline == date(2026, 1, 12)  # C5
    assert result.period_from == date(2026, 1, 13)
    assert result.days == 8 and result.amount == D("40.00")
    assert any("перенесён с нерабочего дня 01.01.2026" in c for c in result.caveats)


def test_shift_over_may_holidays_moves_the_penalty_start_to_6_may() -> None:
    result = penalty_from_received("23", D("500"), date(2025, 4, 22), date(2025, 5, 6))
    assert result.deadline == date(2025, 5, 5)  # C2
    assert result.days == 1 and result.amount == D("5.00")


def test_leap_year_outside_the_calendar_data_still_computes_and_is_flagged() -> None:
    result = penalty_from_received("23", D("100"), date(2028, 2, 19), date(2028, 3, 1))
    assert result.deadline == date(2028, 2, 29)
    assert result.days == 1 and result.amount == D("1.00")
    assert result.cap == D("100.00")  # the term ends after 01.02.2026
    assert any("2028 год" in c for c in result.caveats)


def test_zero_days_on_the_last_day_of_the_term() -> None:
    result = penalty("23", D("1250.50"), date(2025, 3, 13), date(2025, 3, 13))
    assert result.days == 0 and result.amount == D("0.00")
    assert "просрочки нет" in result.rule


def test_calculation_date_before_the_deadline_is_an_error() -> None:
    with pytest.raises(ComplaintError, match="Дата расчёта раньше последнего дня срока"):
        penalty("23", D("1250.50"), date(2025, 3, 13), date(2025, 3, 12))


@pytest.mark.parametrize("norm", ["395", "24", ""])
def test_norm_without_a_zozpp_penalty_is_refused(norm: str) -> None:
    with pytest.raises(ComplaintError, match="не рассчитывается"):
        penalty(norm, D("100"), date(2025, 3, 13), date(2025, 3, 20))


@pytest.mark.parametrize("base", [D("0"), D("-5"), "много"])
def test_penalty_base_must_be_a_positive_amount(base: object) -> None:
    with pytest.raises(ComplaintError, match="База для расчёта неустойки"):
        penalty("23", base, date(2025, 3, 13), date(2025, 3, 20))  # type: ignore[arg-type]


# ---------------------------------------------------------------- when there is no penalty


def test_overcharge_and_refund_of_proper_goods_fall_under_article_395() -> None:
    for problem in ("overcharge", "refund_not_received"):
        reason = no_penalty_reason(problem, "refund")
        assert reason is not None and "ст. 395 ГК РФ" in reason


def test_courier_conduct_has_no_penalty() -> None:
    reason = no_penalty_reason("courier_conduct", "apology")
    assert reason is not None and reason.startswith("Неустойка не предусмотрена")


def test_defective_goods_refund_has_a_penalty() -> None:
    assert no_penalty_reason("poor_quality", "refund") is None
    assert no_penalty_reason("late_delivery", "refund") is None


# ---------------------------------------------------------------- court and duty (§4)


def test_claim_value_excludes_moral_damages_and_fine() -> None:
    assert claim_value(D("1250.50"), D("300"), D("250.10")) == D("1800.60")


def test_hundred_thousand_goes_to_the_magistrate_one_kopeck_more_to_district_court() -> None:
    assert court_for(D("100000.00")) == "magistrate"
    assert court_for(D("100000.01")) == "district"
    assert court_for(D("100000.01")).article == "ст. 24 ГПК РФ"
    assert CourtKind.MAGISTRATE.name_ru == "мировой судья"


def test_non_property_claim_goes_to_district_court() -> None:
    assert court_for(D("0"), has_property_claim=False) is CourtKind.DISTRICT
    result = court_calculation(D("0"), moral_damages=D("10000"))
    assert result.court is CourtKind.DISTRICT and result.fine == D("5000.00")


@pytest.mark.parametrize(
    ("value", "duty"),
    [
        (D("1"), D("4000.00")),
        (D("100000.00"), D("4000.00")),
        (D("100000.01"), D("4000.00")),
        (D("200000"), D("7000.00")),
        (D("500000"), D("15000.00")),
        (D("1000000"), D("25000.00")),
        (D("3000000"), D("45000.00")),
        (D("8000000"), D("80000.00")),
        (D("1000000000"), D("900000.00")),
    ],
)
def test_general_state_duty_brackets_from_9_september_2024(value: D, duty: D) -> None:
    assert state_duty_general(value) == duty


def test_duty_brackets_join_without_jumps() -> None:
    for edge in ("100000", "300000", "500000", "1000000", "3000000", "8000000", "24000000"):
        at, above = state_duty_general(D(edge)), state_duty_general(D(edge) + D("0.01"))
        assert D("0") <= above - at <= D("0.01")


def test_consumer_is_exempt_up_to_one_million() -> None:
    assert consumer_state_duty(D("1000000.00")) == D("0.00")
    result = court_calculation(D("1000000.00"))
    assert result.exempt and result.state_duty == D("0.00")
    assert "истец освобождён" in result.duty_rule


def test_consumer_pays_one_percent_of_the_excess_just_above_one_million() -> None:
    assert consumer_state_duty(D("1000100.00")) == D("1.00")
    assert consumer_state_duty(D("1000000.01")) == D("0.00")  # 0,0001 rounds to 0,00


def test_consumer_duty_at_three_million_is_twenty_thousand() -> None:
    result = court_calculation(D("3000000"))
    assert result.state_duty == D("20000.00") and not result.exempt


def test_fine_is_half_of_the_awarded_sum_including_moral_damages() -> None:
    assert fine(D("1250.51")) == D("625.26")
    result = court_calculation(D("1500.60"), moral_damages=D("5000"))
    assert result.court == "magistrate"
    assert result.fine_base == D("6500.60") and result.fine == D("3250.30")
    assert "п. 6 ст. 13" in result.fine_rule


def test_court_calculation_needs_some_amount() -> None:
    with pytest.raises(ComplaintError, match="Нет заявленных сумм"):
        court_calculation(D("0"))


# ---------------------------------------------------------------- properties

NORMS = st.sampled_from(["23", "23.1", "28"])
BASES = st.decimals(min_value=D("0.01"), max_value=D("10000000"), places=2)
DEADLINES = st.dates(min_value=date(2024, 1, 1), max_value=date(2028, 12, 31))
DAYS = st.integers(min_value=0, max_value=3000)


@given(norm=NORMS, base=BASES, deadline=DEADLINES, days=DAYS)
def test_penalty_never_exceeds_its_cap(norm: str, base: D, deadline: date, days: int) -> None:
    result = penalty(norm, base, deadline, deadline + timedelta(days=days))
    if result.cap is not None:
        assert result.amount <= result.cap
    assert result.amount >= 0


@given(norm=NORMS, base=BASES, deadline=DEADLINES, days=DAYS, later=st.integers(1, 400))
def test_penalty_never_decreases_as_the_calculation_date_moves_later(
    norm: str, base: D, deadline: date, days: int, later: int
) -> None:
    on = deadline + timedelta(days=days)
    earlier = penalty(norm, base, deadline, on).amount
    assert penalty(norm, base, deadline, on + timedelta(days=later)).amount >= earlier


@given(norm=NORMS, base=BASES, deadline=DEADLINES)
def test_penalty_is_zero_on_the_last_day(norm: str, base: D, deadline: date) -> None:
    assert penalty(norm, base, deadline, deadline).amount == D("0.00")


@given(value=st.decimals(min_value=D("0"), max_value=D("2000000000"), places=2))
def test_consumer_duty_is_never_more_than_the_general_duty(value: D) -> None:
    duty = consumer_state_duty(value)
    assert D("0") <= duty
    if value > 0:
        assert duty <= state_duty_general(value)
