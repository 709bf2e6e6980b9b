"""Calendar reminders: RFC 5545 text (CRLF, folding at 75 octets, escaping) read back with the icalendar library;
the claim's statutory last day with an alarm the day before; the Rospotrebnadzor answer term once the registry
shows the complaint."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from complaint_cli.cli import app
from complaint_cli.errors import ComplaintError
from complaint_cli.reminders import (
    Reminder,
    build_calendar,
    escape_text,
    fold,
    rospotrebnadzor_reminder,
    write_reminders,
)
from complaint_cli.tracking import record_document
from complaint_cli.validation import build_case
from tests.conftest import write_yaml

runner = CliRunner()
TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=3)))


def events(path: Path) -> list:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return list(calendar.walk("VEVENT"))


def case_file(tmp_path: Path, data: dict, **submission) -> Path:
    data["submission"] = {"channel": "app", **{k: v.isoformat() for k, v in submission.items()}}
    return write_yaml(tmp_path / "case.yaml", data)


def test_the_claim_deadline_is_an_all_day_event_with_an_alarm_the_day_before(tmp_path, late_case):
    # Received 03.11.2026 + 10 days = 13.11.2026, a Friday (law.md §6.6 style).
    path = case_file(tmp_path, late_case, sent_on=dt.date(2026, 11, 3), received_on=dt.date(2026, 11, 3))
    result = write_reminders(path, today=dt.date(2026, 11, 5), now=NOW)
    assert result.path == tmp_path / "Напоминания_заказ_R-84512376.ics"
    [event] = events(result.path)
    assert event.decoded("DTSTART") == dt.date(2026, 11, 13)
    assert event.decoded("DTEND") == dt.date(2026, 11, 14)
    assert str(event["SUMMARY"]) == "Последний день ответа на претензию: Купер, заказ № R-84512376"
    description = str(event["DESCRIPTION"])
    assert "последний день 13.11.2026" in description
    assert "complaint escalate" in description
    [alarm] = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -dt.timedelta(hours=15)  # 09:00 the day before
    assert "Завтра, 13.11.2026" in str(alarm["DESCRIPTION"])
    assert event.decoded("DTSTAMP") == dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.timezone.utc)


def test_an_estimated_deadline_says_preliminary_in_the_summary(tmp_path, late_case):
    path = case_file(tmp_path, late_case, sent_on=dt.date(2026, 11, 3))
    result = write_reminders(path, today=dt.date(2026, 11, 5), now=NOW)
    [event] = events(result.path)
    assert str(event["SUMMARY"]).endswith("(предварительно)")
    assert "дата получения претензии не подтверждена" in str(event["DESCRIPTION"])
    assert result.reminders[0].preliminary is True


def test_a_deadline_in_an_unconfirmed_calendar_year_is_preliminary(tmp_path, late_case):
    # 2028 has no production calendar in the data (2027 is confirmed since law.md §0b.7).
    path = case_file(tmp_path, late_case, sent_on=dt.date(2028, 2, 19), received_on=dt.date(2028, 2, 19))
    result = write_reminders(path, today=dt.date(2028, 2, 19), now=NOW)
    [event] = events(result.path)
    assert event.decoded("DTSTART") == dt.date(2028, 2, 29)
    assert "(предварительно)" in str(event["SUMMARY"])


def test_a_deadline_in_confirmed_2027_is_not_preliminary(tmp_path, late_case):
    path = case_file(tmp_path, late_case, sent_on=dt.date(2026, 12, 28), received_on=dt.date(2026, 12, 28))
    result = write_reminders(path, today=dt.date(2026, 12, 28), now=NOW)
    [event] = events(result.path)
    assert event.decoded("DTSTART") == dt.date(2027, 1, 11)
    assert "(предварительно)" not in str(event["SUMMARY"])


def test_without_any_date_the_error_says_to_record_the_sending(tmp_path, late_case):
    path = case_file(tmp_path, late_case)
    with pytest.raises(ComplaintError) as info:
        write_reminders(path, today=TODAY)
    assert "неизвестна дата получения претензии" in info.value.message
    result = runner.invoke(app, ["remind", str(path)])
    assert result.exit_code == 1
    assert f"complaint sent {path} --on ДД.ММ.ГГГГ" in result.stderr
    assert not list(tmp_path.glob("*.ics"))


def test_the_file_uses_crlf_and_no_line_is_longer_than_75_octets(tmp_path, late_case):
    path = case_file(tmp_path, late_case, sent_on=dt.date(2026, 11, 3), received_on=dt.date(2026, 11, 3))
    raw = write_reminders(path, today=TODAY, now=NOW).path.read_bytes()
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    lines = raw.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines), "the Russian description is long enough to be folded"
    for line in lines:
        line.decode("utf-8")  # folding never splits a character


def test_the_uid_is_stable_so_importing_again_updates_the_event(tmp_path, late_case):
    path = case_file(tmp_path, late_case, sent_on=dt.date(2026, 11, 3), received_on=dt.date(2026, 11, 3))
    first = str(events(write_reminders(path, today=TODAY, now=NOW).path)[0]["UID"])
    later = NOW + dt.timedelta(days=3)
    second = str(events(write_reminders(path, today=TODAY, now=later, force=True).path)[0]["UID"])
    assert first == second and first.endswith("@complaint-cli")


def test_special_characters_survive_escaping(tmp_path):
    text = "Точка; запятая, обратная \\ черта\nвторая строка"
    reminder = Reminder("claim", "x@complaint-cli", dt.date(2026, 1, 12), text, text, text, False)
    ics = tmp_path / "x.ics"
    ics.write_bytes(build_calendar([reminder], now=NOW).encode("utf-8"))
    [event] = events(ics)
    assert str(event["SUMMARY"]) == text
    assert str(event["DESCRIPTION"]) == text
    assert escape_text("a;b,c\\d\ne") == "a\\;b\\,c\\\\d\\ne"


@given(st.text(max_size=400))
def test_folding_any_text_keeps_every_line_within_75_octets_and_unfolds_to_the_original(text):
    line = "DESCRIPTION:" + escape_text(text)
    folded = fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert folded.replace("\r\n ", "") == line


def test_the_rospotrebnadzor_answer_term_is_added_once_the_registry_shows_the_complaint(tmp_path, late_case):
    path = case_file(tmp_path, late_case, sent_on=dt.date(2026, 11, 3), received_on=dt.date(2026, 11, 3))
    case, _, _ = build_case(late_case)
    record_document(path, case, "rospotrebnadzor", tmp_path / "Жалоба.docx", on=dt.date(2026, 11, 20))
    result = write_reminders(path, today=TODAY, now=NOW)
    claim, rpn = events(result.path)
    assert claim.decoded("DTSTART") == dt.date(2026, 11, 13)
    # 20.11.2026 + 3 days for registration = 23.11.2026; + 30 days = 23.12.2026.
    assert rpn.decoded("DTSTART") == dt.date(2026, 12, 23)
    assert str(rpn["SUMMARY"]) == "Срок ответа Роспотребнадзора по жалобе: Купер, заказ № R-84512376 (предварительно)"
    description = str(rpn["DESCRIPTION"])
    assert "ч. 2 ст. 8" in description and "ч. 1 ст. 12" in description and "59-ФЗ" in description
    assert "правило переноса срока по 59-ФЗ с нерабочего дня не установлено" in description
    assert "За дату отправки жалобы в Роспотребнадзор принята дата жалобы — 20.11.2026" in description
    assert "прокуратуру" in description
    assert str(rpn["UID"]) != str(claim["UID"])
    assert rpn.walk("VALARM")


@pytest.mark.parametrize(
    ("sent", "due"),
    [
        # law.md §6.6: registered 28.04.2025 -> answer due 28.05.2025; registered 15.12.2025 -> 14.01.2026.
        (dt.date(2025, 4, 25), dt.date(2025, 5, 28)),
        (dt.date(2025, 12, 12), dt.date(2026, 1, 14)),
    ],
)
def test_the_rospotrebnadzor_term_matches_the_law_sheet_examples(late_case, sent, due):
    case, _, _ = build_case(late_case)
    reminder = rospotrebnadzor_reminder(case, sent, case_ref="case.yaml")
    assert reminder.day == due
    assert reminder.preliminary is True
    assert f"Жалоба в Роспотребнадзор отправлена {sent:%d.%m.%Y}." in reminder.description


def test_the_command_writes_where_asked_and_prints_the_json_contract(tmp_path, late_case):
    path = case_file(tmp_path, late_case, sent_on=dt.date(2026, 11, 3), received_on=dt.date(2026, 11, 3))
    target = tmp_path / "calendar" / "срок.ics"
    result = runner.invoke(app, ["remind", str(path), "--out", str(target), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["path"] == str(target)
    assert [(e["kind"], e["date"], e["preliminary"]) for e in doc["events"]] == [("claim", "2026-11-13", False)]
    assert doc["warnings"] == ["Дата события «Последний день ответа на претензию: Купер, заказ № R-84512376» "
                               "(13.11.2026) уже прошла."]
    assert target.stat().st_mode & 0o777 == 0o600
    with_rpn = runner.invoke(app, ["remind", str(path), "--out", str(target), "--rospotrebnadzor-sent", "01.12.2026",
                                   "--force"])
    assert with_rpn.exit_code == 0
    assert "03.01.2027 — Срок ответа Роспотребнадзора" in with_rpn.stdout
