"""Tracking a claim: `complaint sent/received/reply/close/status` and the library use cases behind them."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from complaint_cli.cli import app
from complaint_cli.registry import Registry
from complaint_cli.tracking import record_document, status_rows
from complaint_cli.validation import build_case
from tests.conftest import write_yaml

runner = CliRunner()

ALL_ROUTES = "можно направить повторную претензию, жалобу в Роспотребнадзор, иск"
OVERDUE_STEP = f"срок истёк 13.11.2026 — {ALL_ROUTES}"
STATUS_KEYS = {
    "id", "case_file", "company", "order", "sent_on", "received_on", "deadline", "estimated", "overdue",
    "days_left", "next_step", "escalated", "warnings",
}


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def status_json() -> list[dict]:
    result = run("status", "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)["cases"]


def submission(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("submission", {})


@pytest.fixture
def case_file(tmp_path, late_case) -> Path:
    return write_yaml(tmp_path / "case.yaml", late_case)


@pytest.fixture
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")  # the rich table keeps each next step on one line


def sent_and_received(case_file: Path) -> None:
    assert run("sent", case_file, "--on", "02.11.2026").exit_code == 0
    assert run("received", case_file, "--on", "03.11.2026").exit_code == 0


# --------------------------------------------------------------------------- sent


def test_sent_writes_the_date_into_the_case_file_and_records_an_event(case_file):
    result = run("sent", case_file, "--on", "02.11.2026")
    assert result.exit_code == 0, result.stderr
    assert "Дело № 1: претензия отмечена как отправленная 02.11.2026 (через приложение)." in result.stdout
    assert "отмечена как отправленная" not in result.stderr  # the result is on stdout
    assert submission(case_file) == {"channel": "app", "sent_on": "2026-11-02"}
    assert stat.S_IMODE(case_file.stat().st_mode) == 0o600
    with Registry.open() as reg:
        assert [e.kind for e in reg.events(1)] == ["created", "sent"]
        assert reg.events(1)[1].on_date == dt.date(2026, 11, 2)


def test_a_case_file_never_registered_is_registered_on_first_use(case_file):
    assert status_json() == []
    assert run("sent", case_file, "--on", "2026-11-02", "--channel", "email").exit_code == 0
    [row] = status_json()
    assert row["id"] == 1 and row["case_file"] == str(case_file.resolve())
    assert row["sent_on"] == "2026-11-02"


def test_commands_accept_the_registry_id_instead_of_the_path(case_file):
    run("sent", case_file, "--on", "02.11.2026")
    result = run("received", "1", "--on", "03.11.2026")
    assert result.exit_code == 0, result.stderr
    assert "Дело № 1: претензия получена компанией 03.11.2026." in result.stdout
    assert submission(case_file)["received_on"] == "2026-11-03"


def test_sent_json_prints_one_document(case_file):
    result = run("sent", case_file, "--on", "02.11.2026", "--json")
    doc = json.loads(result.stdout)
    assert doc["id"] == 1 and doc["event"] == "sent"
    assert doc["case_file"] == str(case_file.resolve())
    assert "дата получения претензии не подтверждена" in doc["next_step"]


def test_sent_by_post_checks_the_14_digit_tracking_number(case_file):
    before = case_file.read_bytes()
    result = run("sent", case_file, "--on", "02.11.2026", "--channel", "post", "--reference", "RA123456789RU")
    assert result.exit_code == 2
    assert "ШПИ) должен состоять из 14 цифр" in result.stderr
    assert "«RA123456789RU»" in result.stderr
    assert case_file.read_bytes() == before
    short = run("sent", case_file, "--on", "02.11.2026", "--channel", "post", "--reference", "1234567890123")
    assert short.exit_code == 2


def test_sent_by_post_accepts_a_tracking_number_written_with_spaces(case_file):
    result = run("sent", case_file, "--on", "02.11.2026", "--channel", "post", "--reference", "1234 5678 9012 34")
    assert result.exit_code == 0, result.stderr
    assert submission(case_file)["reference"] == "12345678901234"
    assert submission(case_file)["channel"] == "post"


def test_a_chat_ticket_is_not_checked_as_a_tracking_number(case_file):
    result = run("sent", case_file, "--on", "02.11.2026", "--channel", "app", "--reference", "Обращение 5531")
    assert result.exit_code == 0
    assert submission(case_file)["reference"] == "5531"  # the number itself: the letters say «обращение № 5531»


def test_sent_by_post_without_a_tracking_number_warns(case_file):
    result = run("sent", case_file, "--on", "02.11.2026", "--channel", "post")
    assert result.exit_code == 0
    assert "Не указан номер почтового отправления (ШПИ, 14 цифр)" in result.stderr


def test_unknown_channel_is_a_usage_error(case_file):
    assert run("sent", case_file, "--on", "02.11.2026", "--channel", "pigeon").exit_code == 2


def test_an_impossible_date_is_a_clear_russian_error(case_file):
    for command in ("sent", "received"):
        result = run(command, case_file, "--on", "31.02.2026")
        assert result.exit_code == 2
        assert "--on: такой даты не существует: «31.02.2026»" in result.stderr
    result = run("reply", case_file, "--on", "2026-13-01", "--outcome", "refused")
    assert result.exit_code == 2
    assert "такой даты не существует" in result.stderr


def test_a_date_in_the_future_is_refused(case_file):
    result = run("sent", case_file, "--on", "26.11.2026")
    assert result.exit_code == 1
    assert "Дата отправки претензии 26.11.2026 ещё не наступила (сегодня 25.11.2026)." in result.stderr


def test_missing_on_option_is_a_usage_error(case_file):
    assert run("sent", case_file).exit_code == 2


def test_sent_refuses_a_case_file_with_errors_and_leaves_it_untouched(tmp_path, late_case):
    late_case["claimant"]["email"] = "не почта"
    path = write_yaml(tmp_path / "bad.yaml", late_case)
    before = path.read_bytes()
    result = run("sent", path, "--on", "02.11.2026")
    assert result.exit_code == 1
    assert "есть ошибки — отметка не записана" in result.stderr
    assert "claimant.email" in result.stderr
    assert path.read_bytes() == before


def test_sent_again_replaces_the_date(case_file):
    run("sent", case_file, "--on", "02.11.2026")
    assert run("sent", case_file, "--on", "04.11.2026").exit_code == 0
    assert submission(case_file)["sent_on"] == "2026-11-04"


# --------------------------------------------------------------------------- received


def test_received_before_sent_is_a_clear_error_and_changes_nothing(case_file):
    run("sent", case_file, "--on", "05.11.2026")
    before = case_file.read_bytes()
    result = run("received", case_file, "--on", "03.11.2026")
    assert result.exit_code == 1
    assert (
        "Дата получения претензии (03.11.2026) раньше даты её отправки (05.11.2026) — так быть не может."
        in result.stderr
    )
    assert "complaint sent 1 --on ДД.ММ.ГГГГ" in result.stderr
    assert case_file.read_bytes() == before
    with Registry.open() as reg:
        assert "received" not in [e.kind for e in reg.events(1)]


def test_sent_after_the_recorded_receipt_is_the_same_error(case_file):
    sent_and_received(case_file)
    result = run("sent", case_file, "--on", "10.11.2026")
    assert result.exit_code == 1
    assert "Дата получения претензии (03.11.2026) раньше даты её отправки (10.11.2026)" in result.stderr


# --------------------------------------------------------------------------- unknown cases


@pytest.mark.parametrize(
    "args",
    [
        ("sent", "42", "--on", "02.11.2026"),
        ("received", "42", "--on", "02.11.2026"),
        ("reply", "42", "--on", "02.11.2026", "--outcome", "refused"),
        ("close", "42"),
    ],
)
def test_an_unknown_case_id_is_a_russian_error(args):
    result = run(*args)
    assert result.exit_code == 1
    assert "Ошибка: Дела № 42 нет в реестре." in result.stderr
    assert "complaint status" in result.stderr


def test_an_unknown_case_id_with_json_prints_the_error_as_json():
    result = run("close", "42", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"error": "Дела № 42 нет в реестре."}


def test_a_case_file_that_does_not_exist_is_an_error(tmp_path):
    result = run("sent", tmp_path / "nope.yaml", "--on", "02.11.2026")
    assert result.exit_code == 1
    assert "Файл дела не найден" in result.stderr


# --------------------------------------------------------------------------- reply and close


@pytest.mark.parametrize(
    ("outcome", "said", "step"),
    [
        ("satisfied", "требования удовлетворены", "закройте дело: complaint close 1"),
        ("partial", "требования удовлетворены частично", ALL_ROUTES),
        ("refused", "в требованиях отказано", ALL_ROUTES),
    ],
)
def test_reply_records_the_outcome_and_changes_the_next_step(case_file, outcome, said, step):
    sent_and_received(case_file)
    result = run("reply", case_file, "--on", "10.11.2026", "--outcome", outcome, "--note", "ответ в чате")
    assert result.exit_code == 0, result.stderr
    assert f"Дело № 1: ответ компании от 10.11.2026 записан — {said}." in result.stdout
    [row] = status_json()
    assert row["reply"] == outcome
    assert step in row["next_step"]
    with Registry.open() as reg:
        reply = reg.events(1)[-1]
    assert (reply.kind, reply.outcome, reply.note) == ("reply", outcome, "ответ в чате")


def test_reply_with_an_unknown_outcome_is_a_usage_error(case_file):
    assert run("reply", case_file, "--on", "10.11.2026", "--outcome", "maybe").exit_code == 2


def test_reply_dated_before_the_claim_was_sent_is_refused(case_file):
    run("sent", case_file, "--on", "05.11.2026")
    result = run("reply", case_file, "--on", "04.11.2026", "--outcome", "refused")
    assert result.exit_code == 1
    assert "Дата ответа компании (04.11.2026) раньше даты отправки претензии (05.11.2026)" in result.stderr


def test_close_removes_the_case_from_status_and_closing_twice_is_harmless(case_file):
    sent_and_received(case_file)
    result = run("close", "1")
    assert result.exit_code == 0
    assert "Дело № 1 закрыто." in result.stdout
    assert status_json() == []
    again = run("close", "1")
    assert again.exit_code == 0
    assert "Дело № 1 уже закрыто." in again.stdout
    with Registry.open() as reg:
        assert [e.kind for e in reg.events(1)].count("closed") == 1


# --------------------------------------------------------------------------- status


def test_status_json_of_an_overdue_case(case_file):
    sent_and_received(case_file)
    [row] = status_json()
    assert STATUS_KEYS <= set(row)
    assert row["company"] == "Купер"
    assert row["order"] == "R-84512376"
    assert (row["sent_on"], row["received_on"], row["deadline"]) == ("2026-11-02", "2026-11-03", "2026-11-13")
    assert row["estimated"] is False
    assert row["overdue"] is True
    assert row["days_left"] == -12
    assert row["next_step"] == OVERDUE_STEP
    assert row["company_promise"] == "2026-11-18"
    assert row["escalated"] == [] and row["warnings"] == []


def test_status_table_shows_company_order_dates_deadline_and_next_step(case_file, wide):
    sent_and_received(case_file)
    result = run("status")
    assert result.exit_code == 0
    assert result.stderr == ""  # the table is the product: stdout (| less, > file)
    for text in ("Купер", "R-84512376", "02.11.2026", "03.11.2026", "13.11.2026", "просрочено на 12", OVERDUE_STEP,
                 "обещание компании:", "18.11.2026"):
        assert text in result.stdout, text


def test_status_check_exits_3_when_a_case_is_overdue(case_file):
    sent_and_received(case_file)
    assert run("status", "--check").exit_code == 3
    result = run("status", "--check", "--json")
    assert result.exit_code == 3
    assert json.loads(result.stdout)["cases"][0]["overdue"] is True


def test_status_check_exits_0_while_the_deadline_has_not_passed(case_file, monkeypatch, wide):
    monkeypatch.setenv("COMPLAINT_CLI_TODAY", "2026-11-10")
    sent_and_received(case_file)
    assert run("status", "--check").exit_code == 0
    [row] = status_json()
    assert row["overdue"] is False and row["days_left"] == 3
    assert row["next_step"] == "ждите ответа до 13.11.2026 включительно; компания обещала ответить до 18.11.2026"
    assert "осталось 3" in run("status").stdout


def test_the_last_day_itself_is_not_overdue(case_file, monkeypatch):
    monkeypatch.setenv("COMPLAINT_CLI_TODAY", "2026-11-13")
    sent_and_received(case_file)
    [row] = status_json()
    assert (row["days_left"], row["overdue"]) == (0, False)
    assert run("status", "--check").exit_code == 0


def test_an_estimated_deadline_says_so_and_is_never_overdue(case_file):
    run("sent", case_file, "--on", "02.11.2026", "--channel", "app")
    [row] = status_json()
    assert row["estimated"] is True
    assert row["deadline"] == "2026-11-12"
    assert row["overdue"] is False
    assert "оценке" in row["next_step"] and "complaint received 1 --on" in row["next_step"]
    assert any("это оценка" in w for w in row["warnings"])
    assert run("status", "--check").exit_code == 0


def test_a_posted_claim_without_a_receipt_date_asks_for_it(case_file):
    run("sent", case_file, "--on", "02.11.2026", "--channel", "post", "--reference", "12345678901234")
    [row] = status_json()
    assert row["deadline"] is None and row["overdue"] is False
    assert "дату вручения по ШПИ" in row["next_step"]
    assert "complaint received 1 --on ДД.ММ.ГГГГ" in row["next_step"]


def test_a_registered_case_not_yet_sent_says_to_send_it(case_file, late_case, tmp_path):
    case, _, _ = build_case(late_case)
    record_document(case_file, case, "claim", tmp_path / "claim.docx", on=dt.date(2026, 11, 2))
    [row] = status_json()
    assert row["next_step"] == "отправьте претензию и отметьте это: complaint sent 1 --on ДД.ММ.ГГГГ"


def test_an_unconfirmed_calendar_year_is_flagged(tmp_path, late_case, monkeypatch):
    monkeypatch.setenv("COMPLAINT_CLI_TODAY", "2028-04-21")
    late_case["order"]["date"] = late_case["order"]["delivery_due"] = "2028-04-01"
    late_case["problem"]["discovered_on"] = "2028-04-01"
    path = write_yaml(tmp_path / "case.yaml", late_case)
    run("sent", path, "--on", "20.04.2028")
    run("received", path, "--on", "20.04.2028")
    [row] = status_json()
    assert row["deadline"] == "2028-05-02"  # 30.04 is a Sunday, 01.05 a holiday (provisional 2028 baseline)
    assert row["calendar_confirmed"] is False
    assert "дата предварительная" in row["next_step"]
    assert any("Производственный календарь на 2028 год не утверждён" in w for w in row["warnings"])


def test_an_emergency_offers_escalation_after_24_hours(tmp_path, late_case):
    late_case["problem"]["emergency"] = True
    path = write_yaml(tmp_path / "case.yaml", late_case)
    run("sent", path, "--on", "20.11.2026")
    run("received", path, "--on", "20.11.2026")
    [row] = status_json()
    assert row["overdue"] is False
    assert row["next_step"].startswith("срочный случай: если ответа нет в течение 24 часов (с 21.11.2026)")
    assert "жалобу в Роспотребнадзор" in row["next_step"]


def test_a_deleted_case_file_is_reported_not_crashed_on(case_file, wide):
    sent_and_received(case_file)
    case_file.unlink()
    [row] = status_json()
    assert any(w.startswith(f"Файл дела не найден: {case_file.resolve()}") for w in row["warnings"])
    assert row["company"] == "ООО «Инстамарт Сервис» (Купер)"  # from the registry
    assert (row["sent_on"], row["received_on"]) == ("2026-11-02", "2026-11-03")  # from its events
    assert "закройте дело: complaint close 1" in row["next_step"]
    table = run("status")
    assert table.exit_code == 0
    assert "Замечания" in table.stdout and "Файл дела не найден" in table.stdout
    assert run("status", "--check").exit_code == 0
    result = run("received", "1", "--on", "03.11.2026")
    assert result.exit_code == 1
    assert "Файл дела № 1 не найден" in result.stderr


def test_a_moved_case_file_is_found_again_under_its_id(case_file, tmp_path):
    sent_and_received(case_file)
    moved = tmp_path / "archive" / "case.yaml"
    moved.parent.mkdir()
    case_file.rename(moved)
    result = run("reply", moved, "--on", "10.11.2026", "--outcome", "refused")
    assert result.exit_code == 0
    assert "Дело № 1:" in result.stdout
    [row] = status_json()
    assert row["case_file"] == str(moved.resolve()) and row["warnings"] == []


def test_an_unreadable_case_file_is_a_warning_in_status(case_file):
    sent_and_received(case_file)
    case_file.write_text("claimant: [не закрыт", encoding="utf-8")
    [row] = status_json()
    assert any(w.startswith("Файл дела не читается") for w in row["warnings"])


def test_generated_documents_are_registered_and_escalations_shown_in_status(case_file, late_case, tmp_path):
    sent_and_received(case_file)
    case, _, _ = build_case(late_case)
    record_document(case_file, case, "claim", tmp_path / "claim.docx", on=dt.date(2026, 11, 2))
    case_id = record_document(
        case_file, case, "rospotrebnadzor", tmp_path / "rpn.docx", on=dt.date(2026, 11, 20)
    )
    assert case_id == 1
    [row] = status_json()
    assert row["escalated"] == [{"kind": "rospotrebnadzor", "label": "жалоба в Роспотребнадзор", "on": "2026-11-20"}]
    assert row["next_step"] == OVERDUE_STEP + "; уже подготовлено: жалоба в Роспотребнадзор (20.11.2026)"
    with Registry.open() as reg:
        assert [d.kind for d in reg.documents(1)] == ["claim", "rospotrebnadzor"]
        assert [e.kind for e in reg.events(1)][-2:] == ["rendered", "escalated"]


def test_status_with_no_open_cases_says_so():
    result = run("status")
    assert result.exit_code == 0
    assert "Открытых дел нет." in result.stdout
    assert json.loads(run("status", "--json").stdout) == {"cases": []}


def test_status_rows_are_usable_from_python(case_file):
    sent_and_received(case_file)
    [row] = status_rows(today=dt.date(2026, 11, 25))
    assert row.deadline == dt.date(2026, 11, 13) and row.overdue
    assert row.remaining_text() == "просрочено на 12\u00a0дней"


@pytest.mark.parametrize("command", ["sent", "received", "reply", "close", "status"])
def test_every_tracking_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Пример: complaint" in result.stdout


def test_the_channel_option_offers_exactly_the_model_channels():
    """commands/choices.py keeps its own tables (command modules import no pydantic at start-up): they must not drift."""
    from complaint_cli.commands.choices import CHANNEL_WORDS, OUTCOME_WORDS
    from complaint_cli.model import Channel
    from complaint_cli.tracking import OUTCOMES

    assert list(CHANNEL_WORDS) == [c.value for c in Channel]
    assert list(OUTCOME_WORDS) == list(OUTCOMES)
