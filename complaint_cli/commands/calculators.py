"""``complaint deadline`` and ``complaint calc penalty|court|case``: the numbers alone, for people and scripts."""

from pathlib import Path
from typing import Optional

import typer

from complaint_cli.commands.common import (
    CASE_FILE_ARG,
    JSON_OPT,
    console,
    emit_json,
    err_console,
    handle_errors,
    parse_cli_date,
    styled,
)


calc_app = typer.Typer(
    help="Калькуляторы: неустойка, подсудность, госпошлина и штраф.",
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _amount(value: str, option: str):
    from complaint_cli.errors import UsageError
    from complaint_cli.money import parse_amount

    try:
        amount = parse_amount(value)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None
    if amount < 0:
        raise UsageError(f"{option}: сумма не может быть отрицательной")
    return amount


@handle_errors
def deadline(
    from_: str = typer.Option(..., "--from", metavar="ДАТА", help="Дата начала отсчёта (получение претензии)."),
    days: Optional[int] = typer.Option(
        None, "--days", min=1, max=3650, metavar="ДНИ", help="Срок в календарных днях (со сдвигом по ст. 193 ГК РФ)."),
    working_days: Optional[int] = typer.Option(
        None, "--working-days", min=1, max=3650, metavar="ДНИ", help="Срок в рабочих днях."),
    json_out: bool = JSON_OPT,
) -> None:
    """Последний день срока по производственному календарю.

    Пример: complaint deadline --from 22.04.2025 --days 10   → 05.05.2025 (02.05 — выходной)
    """
    from complaint_cli.errors import UsageError
    from complaint_cli.law.deadlines import statutory_term
    from complaint_cli.law.workcalendar import get_calendar

    if (days is None) == (working_days is None):
        raise UsageError("Укажите ровно один из параметров: --days (календарные дни) или --working-days (рабочие дни).")
    start = parse_cli_date(from_, "--from")
    cal = get_calendar()
    if days is not None:
        term = statutory_term(start, days, cal)
        last, shifted, nominal = term.last_day, term.shifted, term.nominal
        rule = f"{days} календарных дней с {start:%d.%m.%Y}; последний день переносится на следующий рабочий (ст. 193 ГК РФ)"
    else:
        last = cal.nth_working_day_after(start, working_days)
        shifted, nominal = False, last
        rule = f"{working_days}-й рабочий день после {start:%d.%m.%Y}"
    notes = cal.notes_for(start, nominal, last)
    confirmed = not cal.unconfirmed_years(start, nominal, last)
    if json_out:
        emit_json({
            "deadline": last.isoformat(),
            "shifted": shifted,
            "calendar_confirmed": confirmed,
            "nominal": nominal.isoformat(),
            "rule": rule,
            "warnings": notes,
        })
        return
    con = console()
    con.print(f"Последний день срока: [bold]{last:%d.%m.%Y}[/bold]")
    if shifted:
        con.print(f"{nominal:%d.%m.%Y} — нерабочий день, срок перенесён на {last:%d.%m.%Y} (ст. 193 ГК РФ).")
    con.print(f"Правило: {rule}.")
    _notes(notes)


@handle_errors
def calc_penalty(
    norm: str = typer.Option(..., "--norm", metavar="СТАТЬЯ", help="Норма: 23 (1 %), 23.1 (0,5 %) или 28 (3 %)."),
    base: str = typer.Option(..., "--base", metavar="СУММА", help="База: цена товара, предоплата или цена услуги."),
    deadline_: Optional[str] = typer.Option(None, "--deadline", metavar="ДАТА", help="Последний день срока."),
    received: Optional[str] = typer.Option(
        None, "--received", metavar="ДАТА", help="Дата получения претензии (срок считается сам)."),
    days: int = typer.Option(10, "--days", min=1, max=365, metavar="ДНИ", help="Срок в днях при --received."),
    on: str = typer.Option(..., "--on", metavar="ДАТА", help="Дата расчёта (включительно)."),
    json_out: bool = JSON_OPT,
) -> None:
    """Неустойка: 1 %, 0,5 % или 3 % в день.

    Статьи 23, 23.1, 28 Закона о защите прав потребителей.

    Пример: complaint calc penalty --norm 23 --base 1250.50 --received 03.03.2025 --on 02.04.2025
    """
    from complaint_cli.errors import UsageError
    from complaint_cli.law.calc import penalty, penalty_from_received

    if norm not in {"23", "23.1", "28"}:
        raise UsageError("--norm: допустимо 23, 23.1 или 28")
    if (deadline_ is None) == (received is None):
        raise UsageError("Укажите ровно один из параметров: --deadline (последний день срока) или --received.")
    amount = _amount(base, "--base")
    on_date = parse_cli_date(on, "--on")
    if deadline_ is not None:
        result = penalty(norm, amount, parse_cli_date(deadline_, "--deadline"), on_date)
    else:
        result = penalty_from_received(norm, amount, parse_cli_date(received, "--received"), on_date, days=days)
    if json_out:
        emit_json({
            "days": result.days,
            "amount": f"{result.amount:.2f}",
            "capped": result.capped,
            "period_from": result.period_from.isoformat(),
            "period_to": result.period_to.isoformat(),
            "deadline": result.deadline.isoformat(),
            "rate": f"{result.rate}",
            "cap": f"{result.cap:.2f}" if result.cap is not None else None,
            "rule": result.rule,
            "formula": result.formula,
            "warnings": list(result.caveats),
        })
        return
    con = console()
    con.print(f"Неустойка: [bold]{result.formula}[/bold]")
    con.print(f"Период: с {result.period_from:%d.%m.%Y} по {result.period_to:%d.%m.%Y} ({result.days} дн.)")
    con.print(result.rule, markup=False)
    _notes(result.caveats)


@handle_errors
def calc_court(
    claim_value: str = typer.Option(
        ..., "--claim-value", metavar="СУММА", help="Цена иска: долг + убытки + неустойка."),
    moral_damages: Optional[str] = typer.Option(
        None, "--moral-damages", metavar="СУММА", help="Компенсация морального вреда."),
    json_out: bool = JSON_OPT,
) -> None:
    """Подсудность, госпошлина и штраф 50 % для иска потребителя.

    Пример: complaint calc court --claim-value 150000 --moral-damages 10000
    """
    from complaint_cli.law.calc import court_calculation

    value = _amount(claim_value, "--claim-value")
    moral = _amount(moral_damages, "--moral-damages") if moral_damages is not None else None
    result = court_calculation(value, moral)
    if json_out:
        emit_json({
            "court": result.court.value,
            "state_duty": f"{result.state_duty:.2f}",
            "fine": f"{result.fine:.2f}",
            "court_name": result.court_name_ru,
            "exempt": result.exempt,
            "claim_value": f"{result.claim_value:.2f}",
            "fine_base": f"{result.fine_base:.2f}",
            "warnings": list(result.caveats),
        })
        return
    con = console()
    for line in (result.court_rule, result.duty_rule, result.fine_rule):
        con.print(line, markup=False)
    _notes(result.caveats)


@handle_errors
def calc_case(
    case: Path = CASE_FILE_ARG,
    on: Optional[str] = typer.Option(None, "--on", metavar="ДАТА", help="Дата расчёта (по умолчанию — сегодня)."),
    json_out: bool = JSON_OPT,
) -> None:
    """Правовой анализ дела, из которого строятся письма.

    Роли, нарушения, нормы, сроки, неустойки и что не взыскивается.

    Пример: complaint calc case examples/kuper_late_delivery.yaml --on 30.11.2026
    """
    from complaint_cli.commands.common import load_case, today
    from complaint_cli.law.analysis import analyze

    date = parse_cli_date(on, "--on") if on else today()
    analysis = analyze(load_case(case).raise_for_errors(), date)
    if json_out:
        emit_json(analysis.as_dict())
        return
    for line in analysis.describe():  # the product of the command: to stdout (it can be saved or piped)
        typer.echo(line)


def _notes(notes) -> None:
    """Caveats of a calculation (the ``warnings`` of its JSON): on stderr, as every warning."""
    con = err_console()
    for note in notes:
        con.print(styled("{}", (note, "yellow")))


def register(app: typer.Typer) -> None:
    app.command("deadline")(deadline)
    calc_app.command("penalty")(calc_penalty)
    calc_app.command("court")(calc_court)
    calc_app.command("case")(calc_case)
    app.add_typer(calc_app, name="calc")
