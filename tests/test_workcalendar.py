"""Production calendar: law.md §6 tables, cross-checked with the `holidays` package (tests only)."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest

from complaint_cli.errors import CalendarError
from complaint_cli.law.deadlines import statutory_term
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
# law.md §0b.7: 02.01 -> 05.11, 03.01 -> 31.12, Sat 20.02 working with Mon 22.02 off; ТК ст. 112 moves.
REST_PERIODS_2027 = [
    ("Новогодние каникулы", date(2026, 12, 31), date(2027, 1, 10)),
    ("23 февраля", date(2027, 2, 21), date(2027, 2, 23)),  # framed by working Saturday 20.02
    ("8 марта", date(2027, 3, 6), date(2027, 3, 8)),
    ("1 мая", date(2027, 5, 1), date(2027, 5, 3)),
    ("9 мая", date(2027, 5, 8), date(2027, 5, 10)),
    ("12 июня", date(2027, 6, 12), date(2027, 6, 14)),
    ("4 ноября", date(2027, 11, 4), date(2027, 11, 7)),
    ("31 декабря", date(2027, 12, 31), date(2027, 12, 31)),
]
ALL_REST_PERIODS = REST_PERIODS_2025 + REST_PERIODS_2026 + REST_PERIODS_2027


@pytest.mark.parametrize(
    ("name", "start", "end"),
    ALL_REST_PERIODS,
    ids=[f"{e.year}-{n}" for n, _, e in ALL_REST_PERIODS],
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


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_calendar_equals_holidays_package_for_every_day(cal: ProductionCalendar, year: int) -> None:
    reference = holidays.country_holidays("RU", years=year)
    mismatches = [
        d
        for d in _days(date(year, 1, 1), date(year, 12, 31))
        if cal.is_working_day(d) != reference.is_working_day(d)
    ]
    assert mismatches == []


def test_every_day_of_2027_equals_holidays_0_109(cal: ProductionCalendar) -> None:
    # The check that allowed `confirmed: true` for 2027: all 365 days, working Saturdays included.
    reference = holidays.country_holidays("RU", years=2027)
    days = _days(date(2027, 1, 1), date(2027, 12, 31))
    assert len(days) == 365
    assert [d for d in days if cal.is_working_day(d) != reference.is_working_day(d)] == []
    ours_weekend_work = [d for d in days if d.weekday() >= 5 and cal.is_working_day(d)]
    assert ours_weekend_work == sorted(reference.weekend_workdays) == [date(2027, 2, 20)]
    ours_weekdays_off = [d for d in days if d.weekday() < 5 and not cal.is_working_day(d)]
    assert ours_weekdays_off == sorted(d for d in reference if d.year == 2027 and d.weekday() < 5)
    assert len(ours_weekdays_off) == 15
    assert sum(cal.is_working_day(d) for d in days) == 247


def test_holidays_package_version_is_the_one_the_data_was_checked_against() -> None:
    assert holidays.__version__ == "0.109"


# ---------------------------------------------------------------- confirmation status


def test_2025_and_2026_are_confirmed_by_a_decree(cal: ProductionCalendar) -> None:
    assert cal.is_confirmed(2025) and cal.is_confirmed(2026)
    assert "1335" in cal.year_info(2025).decree  # type: ignore[union-attr]


def test_2027_is_confirmed_with_its_source_written_next_to_it(cal: ProductionCalendar) -> None:
    assert cal.is_confirmed(2027)
    assert unconfirmed_years(date(2026, 12, 30), date(2027, 1, 11)) == []
    assert cal.notes_for(date(2027, 3, 1)) == []
    info = cal.year_info(2027)
    assert info is not None
    assert "holidays` 0.109" in info.notes and "§0b.7" in info.notes
    assert "не подтвержден" in info.decree  # the decree's number was not seen


@pytest.mark.parametrize(
    ("holiday", "day_off"),
    [
        (date(2027, 1, 2), date(2027, 11, 5)),  # Sat 02.01 -> Fri 05.11 (decree)
        (date(2027, 1, 3), date(2027, 12, 31)),  # Sun 03.01 -> Fri 31.12 (decree)
        (date(2027, 2, 20), date(2027, 2, 22)),  # working Sat 20.02 -> Mon 22.02 off (decree)
        (date(2027, 5, 1), date(2027, 5, 3)),  # ТК ст. 112 ч. 2
        (date(2027, 5, 9), date(2027, 5, 10)),  # ТК ст. 112 ч. 2
        (date(2027, 6, 12), date(2027, 6, 14)),  # ТК ст. 112 ч. 2
    ],
    ids=["02.01-05.11", "03.01-31.12", "20.02-22.02", "01.05-03.05", "09.05-10.05", "12.06-14.06"],
)
def test_2027_transfers(cal: ProductionCalendar, holiday: date, day_off: date) -> None:
    assert holiday.weekday() >= 5 and day_off.weekday() < 5
    assert not cal.is_working_day(day_off)
    assert cal.is_working_day(holiday) == (holiday == date(2027, 2, 20))


def test_2027_saturday_20_february_is_the_only_working_weekend(cal: ProductionCalendar) -> None:
    assert date(2027, 2, 20).weekday() == 5 and cal.is_working_day(date(2027, 2, 20))
    weekends = [d for d in _days(date(2027, 1, 1), date(2027, 12, 31)) if d.weekday() >= 5]
    assert [d for d in weekends if cal.is_working_day(d)] == [date(2027, 2, 20)]
    # Days around the transfers that stay working.
    for d in (date(2027, 2, 19), date(2027, 2, 24), date(2027, 5, 4), date(2027, 11, 3), date(2027, 12, 30)):
        assert cal.is_working_day(d)


def test_2027_working_saturday_counts_as_a_working_day(cal: ProductionCalendar) -> None:
    # Thu 18.02: 19.02 (1), Sat 20.02 (2), 21–23.02 off, 24.02 (3), 25.02 (4), 26.02 (5).
    assert cal.nth_working_day_after(date(2027, 2, 18), 5) == date(2027, 2, 26)


@pytest.mark.parametrize(
    ("received", "nominal", "last_day"),
    [
        # 21.04 + 10 = Sat 01.05; Sun 02.05 and Mon 03.05 (01.05 moved, ТК ст. 112) are off.
        (date(2027, 4, 21), date(2027, 5, 1), date(2027, 5, 4)),
        # 26.10 + 10 = Fri 05.11 (day off moved from 02.01); Sat 06.11, Sun 07.11 -> Mon 08.11.
        (date(2027, 10, 26), date(2027, 11, 5), date(2027, 11, 8)),
        # 12.02 + 10 = Mon 22.02 (day off for working Sat 20.02); Tue 23.02 holiday -> Wed 24.02.
        (date(2027, 2, 12), date(2027, 2, 22), date(2027, 2, 24)),
    ],
    ids=["1-may", "5-november", "22-february"],
)
def test_2027_ten_calendar_days_ending_on_a_day_off_move_by_gk_193(
    cal: ProductionCalendar, received: date, nominal: date, last_day: date
) -> None:
    term = statutory_term(received, 10, cal)
    assert (term.nominal, term.last_day) == (nominal, last_day)
    assert term.shifted and term.confirmed


def test_2027_ten_days_ending_on_the_working_saturday_are_not_moved(cal: ProductionCalendar) -> None:
    term = statutory_term(date(2027, 2, 10), 10, cal)
    assert (term.nominal, term.last_day, term.shifted, term.confirmed) == (
        date(2027, 2, 20), date(2027, 2, 20), False, True
    )


def test_a_provisional_year_in_the_data_is_still_reported_as_not_confirmed() -> None:
    # The bundled data has no provisional year since 2027 was confirmed; the wording stays.
    provisional = ProductionCalendar.from_mapping(
        {"years": {2028: {"confirmed": False, "non_working_weekdays": [date(2028, 1, 3)]}}}
    )
    assert provisional.covers(2028) and not provisional.is_confirmed(2028)
    assert not provisional.is_working_day(date(2028, 1, 3))
    assert provisional.unconfirmed_years(date(2028, 1, 3)) == [2028]
    assert provisional.notes_for(date(2028, 3, 1)) == [
        "Производственный календарь на 2028 год не утверждён: дата рассчитана предварительно"
    ]


def test_year_outside_data_counts_weekends_only_and_is_flagged(cal: ProductionCalendar) -> None:
    assert not cal.covers(2029)
    assert not cal.is_confirmed(2029)
    assert cal.is_working_day(date(2029, 2, 28))  # Wednesday
    assert not cal.is_working_day(date(2029, 3, 3))  # Saturday
    assert cal.unconfirmed_years(date(2029, 2, 28), None, date(2025, 5, 5)) == [2029]
    assert "2029 год отсутствует" in cal.notes_for(date(2029, 2, 28))[0]


def test_2028_is_a_provisional_labour_code_baseline_reported_as_unconfirmed(cal: ProductionCalendar) -> None:
    assert cal.covers(2028) and not cal.is_confirmed(2028)
    assert not cal.is_working_day(date(2028, 1, 3))  # ТК ст. 112: 01–08.01
    assert not cal.is_working_day(date(2028, 11, 6))  # Sat 04.11 moved to Monday (ТК ст. 112 ч. 2)
    assert "2028 год не утверждён" in cal.notes_for(date(2028, 2, 29))[0]


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
