"""``complaint export`` and ``complaint forget``: everything held about a person, or nothing."""

import sys
from pathlib import Path
from typing import Optional

import typer

from complaint_cli.commands.common import (
    CASE_REF_ARG,
    JSON_OPT,
    ask_yes_no,
    console,
    emit_json,
    err_console,
    handle_errors,
    styled,
    today,
)



@handle_errors
def export(
    case: str = CASE_REF_ARG,
    out: Optional[Path] = typer.Option(None, "--out", metavar="ФАЙЛ", help="Куда записать архив .zip."),
    json_out: bool = JSON_OPT,
) -> None:
    """Выгрузить всё, что хранится о деле, в архив ZIP.

    Файл дела, записи реестра, документы.

    Пример: complaint export 3 --out выгрузка.zip
    """
    from complaint_cli.privacy import export_case

    path, count = export_case(case, out, today=today())
    if json_out:
        emit_json({"path": str(path), "files": count})
        return
    console().print(styled("[green]Выгрузка готова:[/green] {} (файлов: {})", path, count))


@handle_errors
def forget(
    case: str = CASE_REF_ARG,
    yes: bool = typer.Option(False, "--yes", help="Не спрашивать подтверждение."),
    json_out: bool = JSON_OPT,
) -> None:
    """Удалить дело: его файл, документы и записи реестра.

    Пример: complaint forget 3
    """
    from complaint_cli.errors import UsageError
    from complaint_cli.privacy import forget_case, plan_forget

    plan = plan_forget(case, today=today())
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError("Удаление необратимо: подтвердите его флагом --yes (нет терминала для вопроса).")
        ask = err_console()  # the question and what it is about go where the prompt goes
        ask.print(f"Будут удалены дело № {plan.case_id} и файлы:")
        for path in plan.files:
            ask.print(f"  {path}", markup=False)
        if not ask_yes_no("Удалить безвозвратно?"):
            ask.print("Ничего не удалено.")
            raise typer.Exit(1)
    deleted = forget_case(plan)
    if json_out:
        emit_json({"case_id": plan.case_id, "deleted": [str(p) for p in deleted]})
        return
    console().print(f"[green]Дело № {plan.case_id} удалено[/green] (файлов: {len(deleted)}, записи реестра стёрты).")


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("forget")(forget)
