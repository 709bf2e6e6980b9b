"""``complaint sent/received/reply/close/status``: follow a claim after it is drafted.

The work is done by :mod:`complaint_cli.tracking`; these commands parse options and show its results.
"""

from __future__ import annotations

from enum import Enum
from typing import Optional

import typer

from complaint_cli.commands.common import (
    CASE_REF_ARG,
    JSON_OPT,
    console,
    emit_json,
    handle_errors,
    parse_cli_date,
    print_warnings,
    today,
)

ON_HELP = "Дата (ДД.ММ.ГГГГ или ГГГГ-ММ-ДД)."


class ChannelChoice(str, Enum):
    """model.Channel for typer, without importing pydantic at start-up (a test keeps the two equal)."""

    app = "app"
    website = "website"
    phone = "phone"
    email = "email"
    office = "office"
    post = "post"


class OutcomeChoice(str, Enum):
    satisfied = "satisfied"
    partial = "partial"
    refused = "refused"


def _show(result, json_out: bool) -> None:
    """One tracking result: JSON to stdout, or the message, next step and warnings to stderr."""
    if json_out:
        emit_json(result.as_dict())
        return
    con = console()
    con.print(f"[green]{_escape(result.message)}[/green]")
    if result.next_step:
        con.print(f"Что дальше: {_escape(result.next_step)}")
    print_warnings(result.warnings)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


@handle_errors
def sent(
    case: str = CASE_REF_ARG,
    on: str = typer.Option(..., "--on", help=f"Дата отправки претензии. {ON_HELP}", show_default=False),
    channel: Optional[ChannelChoice] = typer.Option(None, "--channel", help="Как отправлена претензия."),
    reference: Optional[str] = typer.Option(
        None, "--reference", help="Номер обращения в чате или ШПИ заказного письма (14 цифр)."
    ),
    json_out: bool = JSON_OPT,
) -> None:
    """Отметить, что претензия отправлена (дата записывается в файл дела).

    Пример: complaint sent case.yaml --on 02.11.2026 --channel post --reference 12345678901234
    """
    from complaint_cli.tracking import mark_sent

    date = parse_cli_date(on, "--on")
    result = mark_sent(
        case, on=date, channel=channel.value if channel else None, reference=reference, today=today()
    )
    _show(result, json_out)


@handle_errors
def received(
    case: str = CASE_REF_ARG,
    on: str = typer.Option(..., "--on", help=f"Дата получения претензии компанией. {ON_HELP}", show_default=False),
    json_out: bool = JSON_OPT,
) -> None:
    """Отметить, когда компания получила претензию: от этой даты считается срок по закону.

    Пример: complaint received case.yaml --on 03.11.2026
    """
    from complaint_cli.tracking import mark_received

    result = mark_received(case, on=parse_cli_date(on, "--on"), today=today())
    _show(result, json_out)


@handle_errors
def reply(
    case: str = CASE_REF_ARG,
    on: str = typer.Option(..., "--on", help=f"Дата ответа компании. {ON_HELP}", show_default=False),
    outcome: OutcomeChoice = typer.Option(
        ..., "--outcome", help="Результат: satisfied — удовлетворены, partial — частично, refused — отказ.",
        show_default=False,
    ),
    note: Optional[str] = typer.Option(None, "--note", help="Заметка об ответе (что именно ответили)."),
    json_out: bool = JSON_OPT,
) -> None:
    """Записать ответ компании на претензию.

    Пример: complaint reply 3 --on 10.11.2026 --outcome refused --note "Отказ в чате поддержки"
    """
    from complaint_cli.tracking import record_reply

    result = record_reply(case, on=parse_cli_date(on, "--on"), outcome=outcome.value, note=note, today=today())
    _show(result, json_out)


@handle_errors
def close(case: str = CASE_REF_ARG, json_out: bool = JSON_OPT) -> None:
    """Закрыть дело: оно пропадёт из «complaint status», история останется в реестре.

    Пример: complaint close 3
    """
    from complaint_cli.tracking import close_case

    _show(close_case(case, today=today()), json_out)


@handle_errors
def status(
    json_out: bool = JSON_OPT,
    check: bool = typer.Option(
        False, "--check", help="Код выхода 3, если срок хотя бы по одному делу истёк (для cron)."
    ),
) -> None:
    """Открытые дела: сроки, сколько осталось и что делать дальше.

    Пример: complaint status --check
    """
    from complaint_cli.errors import EXIT_OVERDUE
    from complaint_cli.tracking import any_overdue, status_rows

    rows = status_rows(today=today())
    if json_out:
        emit_json({"cases": [row.as_dict() for row in rows]})
    else:
        _print_table(rows)
    if check and any_overdue(rows):
        raise typer.Exit(EXIT_OVERDUE)


def _print_table(rows) -> None:
    from rich.table import Table

    from complaint_cli.law.deadlines import fmt_date

    con = console()
    if not rows:
        con.print("Открытых дел нет.")
        return
    day = lambda d: fmt_date(d) if d else "—"  # noqa: E731
    table = Table(title="Открытые дела", show_lines=True)
    table.add_column("№", no_wrap=True)
    table.add_column("Компания, заказ", overflow="fold", max_width=24)
    table.add_column("Отправлена / получена", no_wrap=True)
    table.add_column("Срок по закону", no_wrap=True)
    table.add_column("Что дальше", overflow="fold", ratio=3)
    with_warnings = any(row.warnings for row in rows)
    if with_warnings:
        table.add_column("Замечания", overflow="fold", style="yellow", ratio=2)
    for row in rows:
        deadline = day(row.deadline) + (" (оценка)" if row.deadline and row.estimated else "")
        remaining = row.remaining_text()
        deadline += "\n" + (f"[red]{remaining}[/red]" if row.overdue else remaining)
        if row.company_promise:
            deadline += f"\nобещание компании:\n{fmt_date(row.company_promise)}"
        cells = [
            str(row.id),
            _escape(f"{row.company or '—'}\nзаказ {row.order or '—'}"),
            f"{day(row.sent_on)}\n{day(row.received_on)}",
            deadline,
            _escape(row.next_step),
        ]
        if with_warnings:
            cells.append(_escape("\n".join(row.warnings)))
        table.add_row(*cells)
    con.print(table)


def register(app: typer.Typer) -> None:
    app.command("sent")(sent)
    app.command("received")(received)
    app.command("reply")(reply)
    app.command("close")(close)
    app.command("status")(status)
