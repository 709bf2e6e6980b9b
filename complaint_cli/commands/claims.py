"""``complaint validate`` and ``complaint render``: check a case file and render the first claim."""

from pathlib import Path
from typing import Optional

import typer

from complaint_cli.commands.common import (
    CASE_FILE_ARG,
    JSON_OPT,
    check_out_dir,
    console,
    emit_json,
    handle_errors,
    load_case,
    parse_cli_date,
    print_warnings,
    styled,
    today,
)



@handle_errors
def validate(case: Path = CASE_FILE_ARG, json_out: bool = JSON_OPT) -> None:
    """Проверить файл дела: все ошибки сразу, с именами полей.

    Пример: complaint validate examples/kuper_late_delivery.yaml
    """
    report = load_case(case)
    if json_out:
        emit_json(report.as_dict())
    con = console(stderr=json_out)  # the result itself; with --json it is the JSON and this goes to stderr
    if report.errors:
        con.print(styled("{}", (f"Дело {case} заполнено не полностью или с ошибками ({len(report.errors)}):", "red")))
        for p in report.errors:  # field names and messages quote the user's data: never read as markup
            con.print(styled("  • {}: {}", (p.field, "bold"), p.message))
    else:
        con.print(styled("{}", (f"Дело {case} заполнено полностью, ошибок нет.", "green")))
    print_warnings(report.warnings)
    raise typer.Exit(0 if report.complete else 1)


@handle_errors
def render(
    case: Path = CASE_FILE_ARG,
    out: Optional[Path] = typer.Option(
        None, "--out", metavar="ПАПКА", help="Папка для документов (по умолчанию — папка файла дела)."),
    force: bool = typer.Option(False, "--force", help="Перезаписать существующий документ."),
    on: Optional[str] = typer.Option(None, "--on", metavar="ДАТА", help="Дата претензии (по умолчанию — сегодня)."),
    templates: Optional[Path] = typer.Option(
        None, "--templates", metavar="ПАПКА", help="Папка со своими шаблонами Word."),
    fmt: str = typer.Option(
        "docx", "--format", metavar="ФОРМАТ", help="Формат: docx, pdf (через LibreOffice) или both — оба."),
    json_out: bool = JSON_OPT,
) -> None:
    """Составить претензию (.docx или PDF) по файлу дела. Покажет, как её отправить.

    Пример: complaint render examples/kuper_late_delivery.yaml --out out/ --format both
    """
    from complaint_cli.errors import ComplaintError, UsageError
    from complaint_cli.service import FORMATS, render_claim_for_file

    if fmt not in FORMATS:
        raise UsageError(f"--format: неизвестный формат «{fmt}»; допустимо: {', '.join(FORMATS)}.")
    date = parse_cli_date(on, "--on") or today()
    check_out_dir(out)
    result = render_claim_for_file(case, out_dir=out, on=date, force=force, templates_dir=templates, fmt=fmt)
    if json_out:
        emit_json({"documents": [d.as_dict() for d in result.documents], "warnings": result.warnings})
        return
    print_warnings(result.warnings)
    con = console()
    for doc in result.documents:
        con.print(styled("[green]Готово:[/green] {}", doc.path))
    if result.evidence:
        con.print(f"Файлы доказательств скопированы в папку {result.evidence[0].parent}", markup=False)
    from complaint_cli.commands.sending import print_guide
    from complaint_cli.guides import channel_guide

    try:
        guide = channel_guide(result.case, case_ref=str(case)) if result.case is not None else None
    except ComplaintError as exc:  # no channel chosen yet: the generic next step and how to see the guides
        guide = None
        con.print(exc.message, markup=False)
    if guide is None:
        for line in result.next_steps:
            con.print(line, markup=False)
        return
    print_guide(guide, con)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
    app.command("render")(render)
