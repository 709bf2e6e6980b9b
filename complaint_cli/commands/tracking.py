"""``complaint sent/received/reply/close/status``: follow a claim after it is drafted.

The work is done by :mod:`complaint_cli.tracking`; these commands parse options and show its results.
"""

from typing import Optional

import typer

from complaint_cli.commands.choices import CHANNEL, OUTCOME
from complaint_cli.commands.common import (
    CASE_REF_ARG,
    JSON_OPT,
    console,
    emit_json,
    handle_errors,
    parse_cli_date,
    print_warnings,
    styled,
    today,
)

ON_HELP = "Дата (ДД.ММ.ГГГГ или ГГГГ-ММ-ДД)."


def _show(result, json_out: bool) -> None:
    """One tracking result: JSON to stdout, or the message and next step to stdout and warnings to stderr."""
    if json_out:
        emit_json(result.as_dict())
        return
    con = console()
    con.print(styled("{}", (result.message, "green")))
    if result.next_step:
        con.print(f"Что дальше: {result.next_step}", markup=False)
    print_warnings(result.warnings)


def _blame_option(exc, field: str, given: str):
    """Name the option (``given``: «--on 01.11.2026») when the case file rejects the value it sets in ``field``
    (``submission.sent_on`` before the order date): the file is left unchanged and ``validate`` finds nothing wrong
    with it, so «the case file has errors» would send the user looking in the wrong place."""
    from complaint_cli.errors import InvalidCase

    own = [p for p in exc.problems if p.field == field]
    if not own:
        return exc
    lines = [f"{given}: {p.message} — отметка не записана." for p in own]
    others = [p for p in exc.problems if p.field != field]
    if others:
        lines.append("Кроме того, в файле дела есть ошибки:")
        lines += [f"  • {p.field}: {p.message}" for p in others]
    error = InvalidCase(exc.problems, message="\n".join(lines))
    error.hint = exc.hint if others else None
    return error


@handle_errors
def sent(
    case: str = CASE_REF_ARG,
    on: str = typer.Option(
        ..., "--on", metavar="ДАТА", help=f"Дата отправки претензии. {ON_HELP}", show_default=False),
    channel: Optional[str] = typer.Option(
        None, "--channel", metavar="СПОСОБ", parser=CHANNEL, autocompletion=CHANNEL.complete,
        help=f"Как отправлена претензия: {CHANNEL.listing()}.",
    ),
    reference: Optional[str] = typer.Option(
        None, "--reference", metavar="НОМЕР", help="Номер обращения в чате или ШПИ заказного письма (14 цифр)."
    ),
    json_out: bool = JSON_OPT,
) -> None:
    """Отметить, что претензия отправлена: дата — в файл дела.

    Пример: complaint sent case.yaml --on 02.11.2026 --channel почта --reference 12345678901234
    """
    from complaint_cli.errors import InvalidCase
    from complaint_cli.tracking import mark_sent

    date = parse_cli_date(on, "--on")
    try:
        result = mark_sent(case, on=date, channel=channel, reference=reference, today=today())
    except InvalidCase as exc:
        raise _blame_option(exc, "submission.sent_on", f"--on {on}") from None
    _show(result, json_out)


@handle_errors
def received(
    case: str = CASE_REF_ARG,
    on: str = typer.Option(
        ..., "--on", metavar="ДАТА", help=f"Дата получения претензии компанией. {ON_HELP}", show_default=False),
    json_out: bool = JSON_OPT,
) -> None:
    """Отметить, когда компания получила претензию.

    От этой даты считается срок по закону.

    Пример: complaint received case.yaml --on 03.11.2026
    """
    from complaint_cli.errors import InvalidCase
    from complaint_cli.tracking import mark_received

    try:
        result = mark_received(case, on=parse_cli_date(on, "--on"), today=today())
    except InvalidCase as exc:
        raise _blame_option(exc, "submission.received_on", f"--on {on}") from None
    _show(result, json_out)


@handle_errors
def reply(
    case: str = CASE_REF_ARG,
    on: str = typer.Option(..., "--on", metavar="ДАТА", help=f"Дата ответа компании. {ON_HELP}", show_default=False),
    outcome: str = typer.Option(
        ..., "--outcome", metavar="РЕЗУЛЬТАТ", parser=OUTCOME, autocompletion=OUTCOME.complete,
        help=f"Результат: {OUTCOME.listing()}.", show_default=False,
    ),
    note: Optional[str] = typer.Option(None, "--note", metavar="ТЕКСТ", help="Заметка об ответе (что именно ответили)."),
    json_out: bool = JSON_OPT,
) -> None:
    """Записать ответ компании на претензию.

    Пример: complaint reply 3 --on 10.11.2026 --outcome отказ --note "Отказ в чате поддержки"
    """
    from complaint_cli.tracking import record_reply

    result = record_reply(case, on=parse_cli_date(on, "--on"), outcome=outcome, note=note, today=today())
    _show(result, json_out)


@handle_errors
def close(case: str = CASE_REF_ARG, json_out: bool = JSON_OPT) -> None:
    """Закрыть дело: оно пропадёт из «complaint status».

    История дела останется в реестре.

    Пример: complaint close 3
    """
    from complaint_cli.tracking import close_case

    _show(close_case(case, today=today()), json_out)


# A terminal shows a summary and this many of the most urgent cases (``--all``: every case, through the pager).
SUMMARY_ROWS = 20
# More cases than this are listed a few lines each instead of as a table: rich draws ~1 000 table rows a second,
# and a table of thousands is read no better than a list.
TABLE_ROWS = 200


@handle_errors
def status(
    json_out: bool = JSON_OPT,
    check: bool = typer.Option(
        False, "--check", help="Только дела с истёкшим сроком; код выхода 3, если они есть (для cron)."
    ),
    show_all: bool = typer.Option(
        False, "--all", help=f"На терминале — все дела постранично, а не сводка и {SUMMARY_ROWS} самых срочных."
    ),
) -> None:
    """Открытые дела: сроки, сколько осталось и что делать дальше.

    Пример: complaint status --check
    """
    from complaint_cli.errors import EXIT_OVERDUE
    from complaint_cli.tracking import any_overdue, status_rows

    rows = status_rows(today=today(), overdue_only=check)
    if json_out:
        _emit_cases(rows)
    else:
        _print_status(rows, check=check, show_all=show_all)
    if check and any_overdue(rows):
        raise typer.Exit(EXIT_OVERDUE)


def _emit_cases(rows) -> None:
    """``{"cases": [...]}``, one case a line: the C encoder (an indented dump of 10 000 cases takes the pure-Python
    one, ~1 s), written as it goes."""
    import json
    import sys

    encode = json.JSONEncoder(ensure_ascii=False).encode
    out = sys.stdout
    out.write('{"cases": [')
    for i, row in enumerate(rows):
        out.write(("\n  " if i == 0 else ",\n  ") + encode(row.as_dict()))
    out.write("\n]}\n" if rows else "]}\n")
    out.flush()


def _print_status(rows, *, check: bool, show_all: bool) -> None:
    """On a terminal, up to SUMMARY_ROWS cases as a table, more as counts by state and the most urgent ones
    (``--all``: every case, through the pager). Piped or redirected, every case: ``complaint status > дела.txt``."""
    con = console()
    if not rows:
        con.print("Просроченных дел нет." if check else "Открытых дел нет.")
        return
    title = "Дела с истёкшим сроком" if check else "Открытые дела"
    paged = con.is_terminal and len(rows) > SUMMARY_ROWS
    if paged and not show_all:
        _print_summary(con, rows, title, check)
    elif len(rows) <= TABLE_ROWS and paged:
        with con.pager():
            con.print(_table(rows, title))
    elif len(rows) <= TABLE_ROWS:
        con.print(_table(rows, title))
    else:
        import sys

        text = f"{title}: {len(rows)}\n" + "".join(_listing(row) for row in rows)
        if paged:
            import pydoc

            pydoc.pager(text)  # what rich's pager does with its capture
        else:
            sys.stdout.write(text)
            sys.stdout.flush()


def _listing(row) -> str:
    """A case in a few lines (for thousands of cases: drawn 100 times faster than a table row)."""
    from complaint_cli.law.deadlines import fmt_date

    day = lambda d: fmt_date(d) if d else "—"  # noqa: E731
    deadline = "—"
    if row.deadline:
        deadline = f"{fmt_date(row.deadline)}{' (оценка)' if row.estimated else ''}, {row.remaining_text()}"
    lines = [
        f"\n№ {row.id} — {row.company or '—'}, заказ {row.order or '—'}",
        f"  отправлена {day(row.sent_on)}, получена {day(row.received_on)}",
        f"  срок по закону: {deadline}"
        + (f"; обещание компании: {fmt_date(row.company_promise)}" if row.company_promise else ""),
        f"  что дальше: {row.next_step}",
    ]
    lines += [f"  замечание: {w}" for w in row.warnings]
    return "\n".join(lines) + "\n"


def _print_summary(con, rows, title: str, check: bool) -> None:
    """Counts by state, the SUMMARY_ROWS most urgent cases, and how to see them all."""
    from complaint_cli.tracking import STATES

    counts: dict[str, int] = {}
    for row in rows:
        counts[row.state] = counts.get(row.state, 0) + 1
    con.print(f"{title}: {len(rows)}", markup=False)
    for state, label in STATES.items():
        if counts.get(state):
            con.print(f"  {label}: {counts[state]}", markup=False)
    rank = {state: i for i, state in enumerate(STATES)}
    urgent = sorted(rows, key=lambda r: (rank.get(r.state, len(rank)), r.days_left or 0, r.id))[:SUMMARY_ROWS]
    con.print(_table(urgent, f"{SUMMARY_ROWS} самых срочных"))
    flags = " --check" if check else ""
    con.print(f"Все {len(rows)}: complaint status{flags} --all (постранично) или complaint status{flags} --json.",
              markup=False)


def _table(rows, title: str):
    from rich.table import Table
    from rich.text import Text

    from complaint_cli.law.deadlines import fmt_date

    day = lambda d: fmt_date(d) if d else "—"  # noqa: E731
    table = Table(title=title, show_lines=True)
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
            Text(f"{row.company or '—'}\nзаказ {row.order or '—'}"),
            f"{day(row.sent_on)}\n{day(row.received_on)}",
            deadline,
            Text(row.next_step),
        ]
        if with_warnings:
            cells.append(Text("\n".join(row.warnings)))
        table.add_row(*cells)
    return table


def register(app: typer.Typer) -> None:
    app.command("sent")(sent)
    app.command("received")(received)
    app.command("reply")(reply)
    app.command("close")(close)
    app.command("status")(status)
