"""``complaint export`` and ``complaint forget``: everything held about a person, or nothing."""

from __future__ import annotations

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
    handle_errors,
    today,
)
from complaint_cli.errors import UsageError



@handle_errors
def export(
    case: str = CASE_REF_ARG,
    out: Optional[Path] = typer.Option(None, "--out", help="Куда записать архив .zip."),
    json_out: bool = JSON_OPT,
) -> None:
    """Выгрузить всё, что хранится о деле: файл дела, записи реестра, документы (ZIP).

    Пример: complaint export 3 --out выгрузка.zip
    """
    from complaint_cli.privacy import export_case

    path, count = export_case(case, out, today=today())
    if json_out:
        emit_json({"path": str(path), "files": count})
        return
    console().print(f"[green]Выгрузка готова:[/green] {path} (файлов: {count})")


@handle_errors
def forget(
    case: str = CASE_REF_ARG,
    yes: bool = typer.Option(False, "--yes", help="Не спрашивать подтверждение."),
    json_out: bool = JSON_OPT,
) -> None:
    """Удалить дело: файл дела, его документы и все записи реестра о нём.

    Пример: complaint forget 3
    """
    from complaint_cli.privacy import forget_case, plan_forget

    plan = plan_forget(case, today=today())
    con = console()
    if not yes:
        if not sys.stdin.isatty():
            raise UsageError("Удаление необратимо: подтвердите его флагом --yes (нет терминала для вопроса).")
        con.print(f"Будут удалены дело № {plan.case_id} и файлы:")
        for path in plan.files:
            con.print(f"  {path}")
        if not ask_yes_no("Удалить безвозвратно?"):
            con.print("Ничего не удалено.")
            raise typer.Exit(1)
    deleted = forget_case(plan)
    if json_out:
        emit_json({"case_id": plan.case_id, "deleted": [str(p) for p in deleted]})
        return
    con.print(f"[green]Дело № {plan.case_id} удалено[/green] (файлов: {len(deleted)}, записи реестра стёрты).")


def register(app: typer.Typer) -> None:
    app.command("export")(export)
    app.command("forget")(forget)
