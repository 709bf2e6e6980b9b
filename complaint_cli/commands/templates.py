"""``complaint templates list|export|check``: advocates' own Word templates."""

from pathlib import Path

import typer

from complaint_cli.commands.common import (
    JSON_OPT,
    console,
    emit_json,
    handle_errors,
    styled,
)


templates_app = typer.Typer(help="Свои шаблоны Word: список, выгрузка для правки, проверка.",
                            no_args_is_help=True, rich_markup_mode=None)


@handle_errors
def list_(json_out: bool = JSON_OPT) -> None:
    """Показать встроенные шаблоны.

    Пример: complaint templates list
    """
    from complaint_cli.customtemplates import bundled_templates

    items = bundled_templates()
    if json_out:
        emit_json({"templates": [{"name": n, "title": t, "available": e} for n, t, e in items]})
        return
    con = console()
    for name, title, exists in items:
        con.print(f"{name:22} {title}" + ("" if exists else " (нет в этой версии)"), markup=False)
    con.print("Выгрузить для правки: complaint templates export ПАПКА; использовать: --templates ПАПКА")


@handle_errors
def export(
    folder: Path = typer.Argument(..., metavar="ПАПКА", help="Папка, куда скопировать шаблоны.", show_default=False),
    force: bool = typer.Option(False, "--force", help="Перезаписать существующие файлы."),
    json_out: bool = JSON_OPT,
) -> None:
    """Скопировать встроенные шаблоны в папку для правки в Word.

    Пример: complaint templates export мои_шаблоны
    """
    from complaint_cli.customtemplates import export_templates

    written = export_templates(folder, force=force)
    if json_out:
        emit_json({"written": [str(p) for p in written]})
        return
    con = console()
    for path in written:
        con.print(styled("[green]Скопирован:[/green] {}", path))
    con.print(f"Отредактируйте их и проверьте: complaint templates check {folder}/claim.docx", markup=False)


@handle_errors
def check(
    file: Path = typer.Argument(..., metavar="ФАЙЛ.docx", help="Шаблон .docx.", show_default=False),
    kind: str = typer.Option(
        None, "--kind", metavar="ШАБЛОН",
        help="Какой документ это: претензия, повторная, роспотребнадзор, иск (или claim.docx, inaction.docx, "
             "rospotrebnadzor.docx, court.docx)."),
    json_out: bool = JSON_OPT,
) -> None:
    """Проверить шаблон: переменные и ошибки синтаксиса.

    Какие переменные шаблон использует, нет ли неизвестных и ошибок синтаксиса.

    Пример: complaint templates check мои_шаблоны/claim.docx
    """
    from complaint_cli.customtemplates import check_template

    if kind is not None and not kind.endswith(".docx"):
        from complaint_cli.commands.choices import LETTER
        from complaint_cli.errors import UsageError

        word = LETTER.lookup(kind)
        if word is None:
            raise UsageError(f"--kind: неизвестный документ «{kind[:40]}»; допустимо: {LETTER.listing()}.")
        kind = f"{word}.docx"
    result = check_template(file, kind)
    if json_out:
        emit_json(result.as_dict())
    else:
        con = console()
        for error in result.errors:
            con.print(styled("[red]Ошибка:[/red] {}", error))
        if result.used:
            con.print("Переменные: " + ", ".join(result.used), markup=False)
        for name in result.unknown:
            con.print(styled("[red]Неизвестная переменная:[/red] {}", name))
        if result.ok:
            con.print("[green]Шаблон в порядке.[/green]")
    raise typer.Exit(0 if result.ok else 1)


def register(app: typer.Typer) -> None:
    templates_app.command("list")(list_)
    templates_app.command("export")(export)
    templates_app.command("check")(check)
    app.add_typer(templates_app, name="templates")
