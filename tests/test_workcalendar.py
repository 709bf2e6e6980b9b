"""Production calendar: law.md §6 tables, cross-checked with the `holidays` package (tests only)."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest

from complaint_cli.errors import CalendarError
from complaint_cli.law.workcalendar import (
    ProductionCalendar,
    get_calendar,
    unconfirmed_years,
)


@pytest.fixture(scope="module")
def cal() -> ProductionCalendar:
    return get_calendar()


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


# ---------------------------------------------------------------- holiday periods 2025 (§6.2)

REST_PERIODS_2025 = [
    ("Новогодние каникулы", date(2024, 12, 29), date(2025, 1, 8)),
    ("23 февраля (выходные)", date(2025, 2, 22), date(2025, 2, 23)),
    ("8 марта (выходные)", date(2025, 3, 8), date(2025, 3, 9)),
    ("майские 1–4", date(2025, 5, 1), date(2025, 5, 4)),
    ("майские 8–11", date(2025, 5, 8), date(2025, 5, 11)),
    ("12 июня", date(2025, 6, 12), date(2025, 6, 15)),
    ("4 ноября", date(2025, 11, 2), date(2025, 11, 4)),
    ("31 декабря", date(2025, 12, 31), date(2025, 12, 31)),
]
# law.md §6.3 lists 31.12.2025–11.01.2026 as one rest period.
REST_PERIODS_2026 = [
    ("Новогодние каникулы", date(2025, 12, 31), date(2026, 1, 11)),
    ("23 февраля", date(2026, 2, 21), date(2026, 2, 23)),
    ("8 марта", date(2026, 3, 7), date(2026, 3, 9)),
    ("1 мая", date(2026, 5, 1), date(2026, 5, 3)),
    ("9 мая", date(2026, 5, 9), date(2026, 5, 11)),
    ("12 июня", date(2026, 6, 12), date(2026, 6, 14)),
    ("4 ноября", date(2026, 11, 4), date(2026, 11, 4)),
    ("31 декабря", date(2026, 12, 31), date(2026, 12, 31)),
]


@pytest.mark.parametrize(
    ("name", "start", "end"),
    REST_PERIODS_2025 + REST_PERIODS_2026,
    ids=[f"{e.year}-{n}" for n, _, e in REST_PERIODS_2025 + REST_PERIODS_2026],
)
def test_every_day_of_a_rest_period_is_off_and_it_is_framed_by_working_days(
    cal: ProductionCalendar, name: str, start: date, end: date
) -> None:
    # Days of 2024 are outside the data (weekends only): check only the years the data confirms.
    inside = [d for d in _days(start, end) if cal.is_confirmed(d.year)]
    assert [d for d in inside if cal.is_working_day(d)] == []
    before, after = start - timedelta(days=1), end + timedelta(days=1)
    if cal.is_confirmed(before.year):
        assert cal.is_working_day(before)
    if (end.month, end.day) != (12, 31):  # 31.12 runs into the next year's holidays
        assert cal.is_working_day(after)


@pytest.mark.parametrize(
    "d",
    [date(2025, 2, 24), date(2025, 3, 10), date(2025, 12, 30), date(2026, 1, 12)],
)
def test_days_after_transferred_holidays_are_working(cal: ProductionCalendar, d: date) -> None:
    assert cal.is_working_day(d)


def test_saturday_1_november_2025_is_a_working_day(cal: ProductionCalendar) -> None:
    assert date(2025, 11, 1).weekday() == 5
    assert cal.is_working_day(date(2025, 11, 1))
    assert not cal.is_working_day(date(2025, 11, 8))


def test_2026_has_no_working_saturdays(cal: ProductionCalendar) -> None:
    weekends = [d for d in _days(date(2026, 1, 1), date(2026, 12, 31)) if d.weekday() >= 5]
    assert not any(cal.is_working_day(d) for d in weekends)


@pytest.mark.parametrize("year", [2025, 2026])
def test_calendar_equals_holidays_package_for_every_day(cal: ProductionCalendar, year: int) -> None:
    reference = holidays.country_holidays("RU", years=year)
    mismatches = [
        d
        for d in _days(date(year, 1, 1), date(year, 12, 31))
        if cal.is_working_day(d) != reference.is_working_day(d)
    ]
    assert mismatches == []


def test_holidays_package_version_is_the_one_the_data_was_checked_against() -> None:
    assert holidays.__version__ == "0.109"


# ---------------------------------------------------------------- confirmation status


def test_2025_and_2026_are_confirmed_by_a_decree(cal: ProductionCalendar) -> None:
    assert cal.is_confirmed(2025) and cal.is_confirmed(2026)
    assert "1335" in cal.year_info(2025).decree  # type: ignore[union-attr]


def test_2027_is_covered_but_provisional(cal: ProductionCalendar) -> None:
    assert cal.covers(2027)
    assert not cal.is_confirmed(2027)
    assert unconfirmed_years(date(2026, 12, 30), date(2027, 1, 11)) == [2027]
    assert cal.notes_for(date(2027, 3, 1)) == [
        "Производственный календарь на 2027 год не утверждён: дата рассчитана предварительно"
    ]


def test_2027_baseline_follows_labour_code_not_unconfirmed_guesses(cal: ProductionCalendar) -> None:
    # ТК ст. 112: holidays and automatic moves of 01.05, 09.05, 12.06 to Mondays.
    for d in (date(2027, 1, 8), date(2027, 2, 23), date(2027, 5, 3), date(2027, 5, 10)):
        assert not cal.is_working_day(d)
    assert not cal.is_working_day(date(2027, 6, 14))
    # `holidays` 0.109 lists Sat 20.02.2027 as working (22.02 off); no decree confirms it.
    assert not cal.is_working_day(date(2027, 2, 20))
    assert cal.is_working_day(date(2027, 2, 22))


def test_year_outside_data_counts_weekends_only_and_is_flagged(cal: ProductionCalendar) -> None:
    assert not cal.covers(2028)
    assert not cal.is_confirmed(2028)
    assert cal.is_working_day(date(2028, 2, 29))  # Tuesday of a leap year
    assert not cal.is_working_day(date(2028, 3, 4))  # Saturday
    assert cal.unconfirmed_years(date(2028, 2, 29), None, date(2025, 5, 5)) == [2028]
    assert "2028 год отсутствует" in cal.notes_for(date(2028, 2, 29))[0]


# ---------------------------------------------------------------- counting (§6.5)


def test_w2_five_working_days_over_may_holidays(cal: ProductionCalendar) -> None:
    assert cal.nth_working_day_after(date(2025, 4, 28), 5) == date(2025, 5, 7)


def test_w5_five_working_days_over_23_february(cal: ProductionCalendar) -> None:
    assert cal.nth_working_day_after(date(2026, 2, 20), 5) == date(2026, 3, 2)


def test_counting_starts_the_day_after_even_if_that_day_is_working(cal: ProductionCalendar) -> None:
    assert cal.nth_working_day_after(date(2025, 3, 3), 1) == date(2025, 3, 4)
    assert cal.nth_working_day_after(date(2025, 12, 30), 1) == date(2026, 1, 12)


def test_nth_working_day_needs_a_positive_n(cal: ProductionCalendar) -> None:
    with pytest.raises(CalendarError):
        cal.nth_working_day_after(date(2025, 3, 3), 0)


def test_next_working_day_is_the_day_itself_when_working(cal: ProductionCalendar) -> None:
    assert cal.next_working_day(date(2025, 3, 13)) == date(2025, 3, 13)
    assert cal.next_working_day(date(2025, 5, 2)) == date(2025, 5, 5)
    assert cal.next_working_day(date(2026, 1, 1)) == date(2026, 1, 12)


# ---------------------------------------------------------------- data validation


def test_get_calendar_is_cached() -> None:
    assert get_calendar() is get_calendar()


@pytest.mark.parametrize(
    "body",
    [
        {"confirmed": True, "non_working_weekdays": [date(2025, 3, 8)]},  # a Saturday
        {"confirmed": True, "non_working_weekdays": [date(2024, 3, 8)]},  # another year
        {"confirmed": True, "working_weekends": [date(2025, 11, 3)]},  # a Monday
        {"confirmed": True, "non_working_weekdays": ["2025-03-10"]},  # not a date
        {"non_working_weekdays": []},  # no confirmed flag
    ],
)
def test_corrupt_calendar_data_is_rejected_with_a_russian_message(body: dict) -> None:
    with pytest.raises(CalendarError, match="Производственный календарь"):
        ProductionCalendar.from_mapping({"years": {2025: body}})
