"""Statutory terms (ГК ст. 191, 193) and the deadline of a case (law.md §2.1, §2.3, §6.6)."""

from __future__ import annotations

from datetime import date

import pytest

from complaint_cli.law.deadlines import (
    CHANNELS,
    DEMAND_KINDS,
    PROBLEM_KINDS,
    case_deadline,
    claim_subtitle,
    demand_label,
    demand_rule,
    legal_grounds,
    problem_info,
    statutory_term,
)
from complaint_cli.errors import ComplaintError
from complaint_cli.money import normalize_spaces
from complaint_cli.law.workcalendar import get_calendar

CAL = get_calendar()


# ---------------------------------------------------------------- statutory_term (§6.6)


def test_c2_ten_days_ending_on_2_may_2025_move_to_5_may() -> None:
    term = statutory_term(date(2025, 4, 22), 10, CAL)
    assert term.nominal == date(2025, 5, 2)
    assert term.last_day == date(2025, 5, 5)
    assert term.shifted and term.confirmed


def test_c5_ten_days_ending_on_1_january_2026_move_to_12_january() -> None:
    term = statutory_term(date(2025, 12, 22), 10, CAL)
    assert term.nominal == date(2026, 1, 1)
    assert term.last_day == date(2026, 1, 12)
    assert term.shifted and term.confirmed


def test_term_ending_on_a_working_day_is_not_shifted() -> None:
    term = statutory_term(date(2025, 3, 3), 10)
    assert (term.last_day, term.shifted) == (date(2025, 3, 13), False)


def test_term_ending_in_2027_is_confirmed() -> None:
    # 2027 was checked day by day against `holidays` 0.109 (law.md §0b.7): 01–10.01.2027 off.
    term = statutory_term(date(2026, 12, 28), 10, CAL)
    assert term.nominal == date(2027, 1, 7)
    assert term.last_day == date(2027, 1, 11)
    assert term.confirmed


def test_term_moved_from_31_december_2027_into_2028_is_computed_but_not_confirmed() -> None:
    # 21.12.2027 + 10 = Fri 31.12.2027 (day off moved from 03.01); 2028 is only the provisional ТК ст. 112
    # baseline (01–08.01 off, then a weekend): Mon 10.01.2028, not confirmed.
    term = statutory_term(date(2027, 12, 21), 10, CAL)
    assert term.nominal == date(2027, 12, 31)
    assert term.last_day == date(2028, 1, 10)
    assert term.shifted and not term.confirmed


def test_term_in_a_year_without_data_still_computes_over_a_leap_day() -> None:
    term = statutory_term(date(2028, 2, 19), 10, CAL)
    assert term.nominal == date(2028, 2, 29)
    assert term.last_day == date(2028, 2, 29)
    assert not term.confirmed


# ---------------------------------------------------------------- the table (terms.yaml)


def test_every_problem_and_demand_pair_has_a_rule_with_a_confidence_tag() -> None:
    for problem in PROBLEM_KINDS:
        info = problem_info(problem)
        assert info.subtitle.startswith("(о ") and info.subtitle.endswith(")")
        assert info.confidence in {"C", "K"}
        assert info.grounds and all(g.confidence in {"C", "K"} for g in info.grounds)
        for demand in DEMAND_KINDS:
            rule = demand_rule(problem, demand)
            assert rule.confidence in {"C", "K"}
            assert rule.penalty_norm in {None, "23", "23.1", "28", "395"}
            assert rule.days in {None, 7, 10}
            assert demand_label(demand)


@pytest.mark.parametrize(
    ("problem", "demand", "days", "norm", "article"),
    [
        ("poor_quality", "refund", 10, "23", "ст. 22"),
        ("expired_goods", "price_reduction", 10, "23", "ст. 22"),
        ("wrong_items", "compensation", 10, "23", "ст. 22"),
        ("poor_quality", "replacement", 7, "23", "ст. 21"),
        ("late_delivery", "refund", 10, "23.1", "ст. 23.1"),
        ("missing_items", "refund", 10, "23.1", "ст. 23.1"),
        ("late_delivery", "price_reduction", 10, "28", "ст. 31"),
        ("refund_not_received", "refund", 10, "395", "ст. 26.1"),
        ("overcharge", "refund", 7, "395", "ст. 314 ГК РФ"),
        ("courier_conduct", "apology", 7, None, "ст. 314 ГК РФ"),
        ("other", "other", 7, None, "ст. 314 ГК РФ"),
        ("poor_quality", "moral_damages", None, None, "ст. 15"),
    ],
)
def test_term_table_follows_law_md(
    problem: str, demand: str, days: int | None, norm: str | None, article: str
) -> None:
    rule = demand_rule(problem, demand)
    assert (rule.days, rule.penalty_norm) == (days, norm)
    assert article in rule.article


def test_terms_from_civil_code_314_are_marked_as_not_confirmed() -> None:
    for problem, demand in [("courier_conduct", "apology"), ("other", "other")]:
        rule = demand_rule(problem, demand)
        assert rule.confidence == "K"
        assert "[K]" in rule.note


def test_claim_grounds_and_subtitle_for_poor_quality() -> None:
    assert claim_subtitle("poor_quality") == (
        "(о возврате денежных средств за товар ненадлежащего качества)"
    )
    texts = [g.text for g in legal_grounds("poor_quality", ["refund", "moral_damages"])]
    assert any(t.startswith("ст. 18 Закона РФ «О защите прав потребителей»") for t in texts)
    assert any(t.startswith("ст. 15 Закона РФ") for t in texts)
    assert len(texts) == len(set(texts))


def test_late_delivery_cites_23_1_with_its_meaning() -> None:
    texts = [g.text for g in legal_grounds("late_delivery")]
    assert texts[0] == (
        "ст. 23.1 Закона РФ «О защите прав потребителей» (нарушение срока передачи "
        "предварительно оплаченного товара)"
    )


@pytest.mark.parametrize("bad", ["lost", ""])
def test_unknown_problem_kind_is_a_user_error(bad: str) -> None:
    with pytest.raises(ComplaintError, match="Неизвестный вид проблемы"):
        case_deadline(bad, ["refund"], date(2025, 3, 3), None, "email")


def test_unknown_demand_kind_is_a_user_error() -> None:
    with pytest.raises(ComplaintError, match="Неизвестный вид требования «cashback»"):
        demand_rule("poor_quality", "cashback")


# ---------------------------------------------------------------- case_deadline


def test_deadline_from_receipt_date_with_the_rule_text() -> None:
    dl = case_deadline("poor_quality", ["refund"], date(2025, 3, 3), date(2025, 2, 28), "post")
    assert dl.last_day == date(2025, 3, 13)
    assert not dl.estimated and dl.confirmed and not dl.shifted
    assert dl.governing_demand == "refund"
    assert normalize_spaces(dl.rule) == (
        "10 дней (ст. 22 Закона РФ «О защите прав потребителей») с даты получения претензии "
        "03.03.2025; последний день 13.03.2025"
    )
    assert dl.penalty_norm == "23"
    assert dl.penalty_start == date(2025, 3, 14)


def test_latest_demand_term_governs() -> None:
    dl = case_deadline(
        "poor_quality", ["replacement", "refund", "moral_damages"], date(2025, 3, 3), None, "post"
    )
    assert dl.governing_demand == "refund"
    assert dl.demand_terms["replacement"].last_day == date(2025, 3, 10)  # type: ignore[union-attr]
    assert dl.demand_terms["moral_damages"] is None


def test_shift_over_may_holidays_is_explained_in_the_rule() -> None:
    dl = case_deadline("expired_goods", ["refund"], date(2025, 4, 22), None, "office")
    assert dl.last_day == date(2025, 5, 5) and dl.shifted
    assert "02.05.2025 — нерабочий день" in dl.rule and "ст. 193 ГК РФ" in dl.rule
    assert dl.penalty_start == date(2025, 5, 6)


@pytest.mark.parametrize("channel", ["email", "app", "website", "office", "phone"])
def test_electronic_and_in_person_claims_are_estimated_as_received_the_same_day(
    channel: str,
) -> None:
    dl = case_deadline("poor_quality", ["refund"], None, date(2025, 3, 3), channel)
    assert dl.estimated
    assert dl.received_on == date(2025, 3, 3)
    assert dl.last_day == date(2025, 3, 13)
    assert "предполагаемой даты получения" in dl.rule
    assert not dl.is_overdue(date(2025, 12, 31))  # an estimate is never reported overdue


def test_posted_claim_without_delivery_date_asks_for_tracking() -> None:
    dl = case_deadline("poor_quality", ["refund"], None, date(2025, 3, 3), "post")
    assert dl.last_day is None and dl.received_on is None
    assert any("ШПИ" in n for n in dl.notes)
    assert not dl.is_overdue(date(2026, 1, 1))


def test_nothing_known_gives_no_deadline_and_says_why() -> None:
    dl = case_deadline("poor_quality", ["refund"], None, None, "email")
    assert dl.last_day is None
    assert "неизвестна дата получения" in dl.rule


def test_moral_damages_alone_has_no_pretrial_term() -> None:
    dl = case_deadline("courier_conduct", ["moral_damages"], date(2025, 3, 3), None, "email")
    assert dl.last_day is None and dl.governing_demand is None
    assert "досудебный срок законом не установлен" in dl.rule
    assert dl.penalty_norm is None


def test_apology_uses_civil_code_seven_days_and_flags_the_assumption() -> None:
    dl = case_deadline(
        "courier_conduct", ["apology", "moral_damages"], date(2025, 3, 3), None, "app"
    )
    assert dl.last_day == date(2025, 3, 10)
    assert "п. 2 ст. 314 ГК РФ" in dl.rule
    assert any("[K]" in n for n in dl.notes)


def test_is_overdue_only_after_the_last_day() -> None:
    dl = case_deadline("poor_quality", ["refund"], date(2025, 3, 3), None, "post")
    assert not dl.is_overdue(date(2025, 3, 13))
    assert dl.is_overdue(date(2025, 3, 14))


def test_company_promise_is_shown_beside_the_statutory_deadline() -> None:
    dl = case_deadline(
        "poor_quality", ["refund"], date(2025, 4, 28), None, "email", company_promise_working_days=5
    )
    assert dl.company_promise == date(2025, 5, 7)  # W2
    assert dl.last_day == date(2025, 5, 12)  # 28.04 + 10 = 08.05, off until Sunday 11.05
    assert any("не срок по закону" in n for n in dl.notes)


def test_emergency_point_is_the_day_after_receipt() -> None:
    dl = case_deadline("expired_goods", ["refund"], date(2025, 3, 3), None, "phone", emergency=True)
    assert dl.emergency_point == date(2025, 3, 4)
    assert dl.last_day == date(2025, 3, 13)  # the statutory deadline is unchanged
    plain = case_deadline("expired_goods", ["refund"], date(2025, 3, 3), None, "phone")
    assert plain.emergency_point is None


def test_deadline_touching_2027_is_no_longer_preliminary() -> None:
    dl = case_deadline("poor_quality", ["refund"], date(2026, 12, 28), None, "email")
    assert dl.last_day == date(2027, 1, 11)
    assert dl.confirmed
    assert not any("Производственный календарь" in n for n in dl.notes)


def test_deadline_touching_2028_is_flagged_as_preliminary() -> None:
    dl = case_deadline("poor_quality", ["refund"], date(2028, 2, 19), None, "email")
    assert dl.last_day == date(2028, 2, 29)
    assert not dl.confirmed
    assert any(n.startswith("Производственный календарь на 2028 год не утверждён") for n in dl.notes)


def test_23_1_penalty_starts_the_day_after_the_contractual_delivery_date() -> None:
    dl = case_deadline(
        "late_delivery", ["refund"], date(2025, 6, 16), None, "app", delivery_due=date(2025, 6, 10)
    )
    assert dl.penalty_norm == "23.1"
    assert dl.penalty_start == date(2025, 6, 11)
    unknown = case_deadline("late_delivery", ["refund"], date(2025, 6, 16), None, "app")
    assert unknown.penalty_start is None
    assert any("должен был быть передан" in n for n in unknown.notes)


def test_receipt_before_sending_is_rejected() -> None:
    with pytest.raises(ComplaintError, match="раньше даты её отправки"):
        case_deadline("poor_quality", ["refund"], date(2025, 3, 1), date(2025, 3, 3), "post")


def test_unknown_channel_is_rejected_listing_the_valid_ones() -> None:
    with pytest.raises(ComplaintError, match="email"):
        case_deadline("poor_quality", ["refund"], None, date(2025, 3, 3), "pigeon")
    assert set(CHANNELS) == {"email", "app", "website", "office", "phone", "post"}
