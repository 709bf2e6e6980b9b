"""``complaint validate`` and ``complaint render``: check a case file and render the first claim."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from complaint_cli.commands.common import (
    console,
    emit_json,
    handle_errors,
    load_case,
    parse_cli_date,
    print_warnings,
    today,
)

CASE_ARG = typer.Argument(..., help="Файл дела (YAML).", show_default=False, metavar="ДЕЛО.yaml")
JSON_OPT = typer.Option(False, "--json", help="Вывести результат в JSON (только JSON в stdout).")


@handle_errors
def validate(case: Path = CASE_ARG, json_out: bool = JSON_OPT) -> None:
    """Проверить файл дела: все ошибки сразу, с именами полей.

    Пример: complaint validate examples/kuper_late_delivery.yaml
    """
    report = load_case(case)
    if json_out:
        emit_json(report.as_dict())
    con = console()
    if report.errors:
        con.print(f"[red]Дело {case} заполнено не полностью или с ошибками ({len(report.errors)}):[/red]")
        for p in report.errors:
            con.print(f"  • [bold]{p.field}[/bold]: {p.message}", markup=True, highlight=False)
    else:
        con.print(f"[green]Дело {case} заполнено полностью, ошибок нет.[/green]")
    print_warnings(report.warnings)
    raise typer.Exit(0 if report.complete else 1)


@handle_errors
def render(
    case: Path = CASE_ARG,
    out: Optional[Path] = typer.Option(None, "--out", help="Папка для документов (по умолчанию — папка файла дела)."),
    force: bool = typer.Option(False, "--force", help="Перезаписать существующий документ."),
    on: Optional[str] = typer.Option(None, "--on", help="Дата претензии (по умолчанию — сегодня)."),
    templates: Optional[Path] = typer.Option(None, "--templates", help="Папка со своими шаблонами Word."),
    json_out: bool = JSON_OPT,
) -> None:
    """Составить претензию (.docx) по файлу дела.

    Пример: complaint render examples/kuper_late_delivery.yaml --out out/
    """
    from complaint_cli.service import render_claim_for_file

    date = parse_cli_date(on, "--on") or today()
    result = render_claim_for_file(case, out_dir=out, on=date, force=force, templates_dir=templates)
    if json_out:
        emit_json({"documents": [d.as_dict() for d in result.documents], "warnings": result.warnings})
        return
    print_warnings(result.warnings)
    con = console()
    for doc in result.documents:
        con.print(f"[green]Готово:[/green] {doc.path}")
    for line in result.next_steps:
        con.print(line)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
    app.command("render")(render)
