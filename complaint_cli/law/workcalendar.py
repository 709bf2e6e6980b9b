"""Russian production calendar: which days are working days.

The data lives in ``complaint_cli/data/calendar_ru.yaml`` (one entry per year with the decree it
comes from). A year missing from the data is not an error: it is treated as "weekends only" and
reported as unconfirmed, so a caller can compute a preliminary date and flag it to the user.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from complaint_cli import yamlio

from complaint_cli.errors import CalendarError

DATA_FILE = "calendar_ru.yaml"
SATURDAY = 5
SUNDAY = 6
# Safety bound for forward searches: no real calendar has this many consecutive days off.
_MAX_DAYS_OFF_IN_A_ROW = 60


@dataclass(frozen=True)
class YearCalendar:
    """One year of the production calendar as published by the Government decree."""

    year: int
    confirmed: bool
    decree: str
    non_working_weekdays: frozenset[date]
    working_weekends: frozenset[date]
    notes: str = ""


class ProductionCalendar:
    """Working/non-working days for the years in the data; weekends only for other years."""

    def __init__(self, years: Iterable[YearCalendar]) -> None:
        self._years: dict[int, YearCalendar] = {}
        for entry in years:
            _validate_year(entry)
            self._years[entry.year] = entry

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> ProductionCalendar:
        """Build a calendar from the parsed YAML document (``{"years": {2025: {...}}}``)."""
        years = raw.get("years")
        if not isinstance(years, Mapping):
            raise CalendarError("Файл производственного календаря повреждён: нет раздела years.")
        entries = []
        for year, body in years.items():
            if not isinstance(body, Mapping) or "confirmed" not in body:
                raise CalendarError(
                    f"Производственный календарь на {year} год повреждён: нет поля confirmed."
                )
            entries.append(
                YearCalendar(
                    year=int(year),
                    confirmed=bool(body["confirmed"]),
                    decree=str(body.get("decree", "")).strip(),
                    non_working_weekdays=frozenset(_dates(body.get("non_working_weekdays"))),
                    working_weekends=frozenset(_dates(body.get("working_weekends"))),
                    notes=str(body.get("notes", "")).strip(),
                )
            )
        return cls(entries)

    @property
    def years(self) -> list[int]:
        """Years present in the data, ascending."""
        return sorted(self._years)

    def covers(self, year: int) -> bool:
        """True when the data has an entry (confirmed or provisional) for ``year``."""
        return year in self._years

    def is_confirmed(self, year: int) -> bool:
        """True only for years whose calendar is backed by an adopted decree."""
        entry = self._years.get(year)
        return entry is not None and entry.confirmed

    def year_info(self, year: int) -> YearCalendar | None:
        """The data for ``year`` (decree text, notes) or None when the year is not covered."""
        return self._years.get(year)

    def is_working_day(self, d: date) -> bool:
        """Mon–Fri except the listed days off, plus the listed working Saturdays/Sundays."""
        entry = self._years.get(d.year)
        if d.weekday() in (SATURDAY, SUNDAY):
            return entry is not None and d in entry.working_weekends
        return entry is None or d not in entry.non_working_weekdays

    def next_working_day(self, d: date) -> date:
        """``d`` itself when it is a working day, else the nearest following working day."""
        current = d
        for _ in range(_MAX_DAYS_OFF_IN_A_ROW):
            if self.is_working_day(current):
                return current
            current += timedelta(days=1)
        raise CalendarError(  # pragma: no cover - only reachable with corrupt data
            f"Не найден рабочий день после {d:%d.%m.%Y}: проверьте производственный календарь."
        )

    def nth_working_day_after(self, d: date, n: int) -> date:
        """The ``n``-th working day counting from the day after ``d`` (``n`` >= 1)."""
        if n < 1:
            raise CalendarError(f"Число рабочих дней должно быть не меньше 1 (получено {n}).")
        current = d
        for _ in range(n):
            current = self.next_working_day(current + timedelta(days=1))
        return current

    def unconfirmed_years(self, *dates: date | None) -> list[int]:
        """Sorted distinct years of ``dates`` whose calendar is not confirmed (None is skipped)."""
        return sorted({d.year for d in dates if d is not None and not self.is_confirmed(d.year)})

    def note_for_year(self, year: int) -> str | None:
        """Russian warning for a date in ``year``, or None when the year is confirmed."""
        if self.is_confirmed(year):
            return None
        if self.covers(year):
            return (
                f"Производственный календарь на {year} год не утверждён: "
                "дата рассчитана предварительно"
            )
        return (
            f"Производственный календарь на {year} год отсутствует в данных программы: "
            "учтены только субботы и воскресенья, дата рассчитана предварительно"
        )

    def notes_for(self, *dates: date | None) -> list[str]:
        """Warnings for every unconfirmed year among ``dates``, one per year."""
        return [note for y in self.unconfirmed_years(*dates) if (note := self.note_for_year(y))]


def _dates(value: Any) -> list[date]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, date) for v in value):
        raise CalendarError(
            "Производственный календарь повреждён: ожидается список дат в формате ГГГГ-ММ-ДД."
        )
    return list(value)


def _validate_year(entry: YearCalendar) -> None:
    """Reject data that cannot be right: a day of another year, a weekend listed as a weekday."""
    for d in entry.non_working_weekdays:
        if d.year != entry.year or d.weekday() in (SATURDAY, SUNDAY):
            raise CalendarError(
                f"Производственный календарь на {entry.year} год повреждён: "
                f"{d:%d.%m.%Y} не является будним днём этого года."
            )
    for d in entry.working_weekends:
        if d.year != entry.year or d.weekday() not in (SATURDAY, SUNDAY):
            raise CalendarError(
                f"Производственный календарь на {entry.year} год повреждён: "
                f"{d:%d.%m.%Y} не является выходным днём этого года."
            )


@functools.cache
def get_calendar() -> ProductionCalendar:
    """The bundled production calendar (loaded once)."""
    raw = yamlio.bundled(DATA_FILE)
    if not isinstance(raw, Mapping):
        raise CalendarError("Файл производственного календаря повреждён.")
    return ProductionCalendar.from_mapping(raw)


def unconfirmed_years(*dates: date | None, cal: ProductionCalendar | None = None) -> list[int]:
    """Years among ``dates`` whose calendar is not confirmed (bundled calendar by default)."""
    return (cal or get_calendar()).unconfirmed_years(*dates)
