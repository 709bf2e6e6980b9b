"""``complaint new``: the interactive wizard (questions in Russian → case file → claim)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from complaint_cli.commands.common import console, handle_errors, print_warnings, today

NO_TERMINAL = (
    "Мастеру нужен терминал, чтобы задавать вопросы, а ввод сейчас идёт не с клавиатуры. Заполните файл дела "
    "(образец: examples/kuper_late_delivery.yaml) и запустите: complaint new --answers ДЕЛО.yaml --no-input"
)


@handle_errors
def new(
    answers: Optional[Path] = typer.Option(
        None, "--answers", help="Файл дела (YAML) с уже известными ответами: мастер спросит только недостающее.",
        show_default=False),
    out: Optional[Path] = typer.Option(
        None, "--out", help="Папка для файла дела и претензии (по умолчанию ./complaints).", show_default=False),
    no_input: bool = typer.Option(
        False, "--no-input",
        help="Ничего не спрашивать: перечислить недостающие ответы или сразу составить претензию."),
    force: bool = typer.Option(False, "--force", help="Перезаписать существующие файл дела и претензию."),
) -> None:
    """Мастер: вопросы по-русски → файл дела → претензия (.docx).

    Пример: complaint new, или без вопросов: complaint new --answers дело.yaml --no-input
    """
    import sys

    from complaint_cli import wizard
    from complaint_cli.casefile import read_case_data
    from complaint_cli.errors import ComplaintError, OutputExists
    from complaint_cli.paths import default_output_dir

    out_dir = out if out is not None else default_output_dir()
    data = read_case_data(answers) if answers is not None else {}
    con = console()
    on = today()
    if no_input:
        missing = wizard.missing_fields(data, today=on)
        if missing:
            con.print(f"[red]Не хватает ответов или они неверны ({len(missing)}):[/red]")
            for m in missing:
                con.print(f"  • {_escape(m.line())}")
            again = f"complaint new --answers {_quote(answers) if answers else 'ДЕЛО.yaml'} --no-input"
            con.print(f"Допишите их в файл дела и запустите снова: {_escape(again)}")
            raise typer.Exit(1)
        _show(wizard.finish(data, out_dir=out_dir, today=on, force=force), con)
        return
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise ComplaintError(NO_TERMINAL)

    from prompt_toolkit.output import create_output

    asker = wizard.QuestionaryAsker(output=create_output(stdout=sys.stderr))
    con.print("[bold]Составим претензию.[/bold] Отвечайте на вопросы; в конце можно проверить и исправить любой ответ. "
              "Ctrl+C — прервать с сохранением черновика.", soft_wrap=False)
    if answers is not None:
        con.print(f"Ответы загружены из {_escape(str(answers))}: спрошу только недостающее и неверное.")
    asked = wizard.asked_in_draft(answers) if answers is not None else set()
    master = wizard.Wizard(asker=asker, today=on, console=con, data=data, asked=asked)
    try:
        master.run()
        try:
            result = wizard.finish(master.data, out_dir=out_dir, today=on, force=force)
        except OutputExists as exc:
            con.print(f"[yellow]{_escape(exc.message)}[/yellow]")
            if not asker.confirm("Перезаписать существующие файлы?", default=False):
                raise
            result = wizard.finish(master.data, out_dir=out_dir, today=on, force=True)
    except (wizard.WizardInterrupted, KeyboardInterrupt, EOFError):
        saved = wizard.save_draft(master.data, _draft_target(answers, master.data, out_dir), asked=master.asked)
        if saved is None:
            con.print("\n[yellow]Прервано. Ответов пока нет — черновик не сохранён.[/yellow]")
        else:
            con.print(f"\n[yellow]Прервано. Ответы сохранены в черновик:[/yellow] {_escape(str(saved))}")
            con.print(f"Продолжить: complaint new --answers {_quote(saved)}" + (f" --out {_quote(out)}" if out else ""))
        raise typer.Exit(130) from None
    _show(result, con)
    if answers is not None and Path(answers).name.startswith("черновик_"):
        con.print(f"Черновик {_escape(str(answers))} больше не нужен — его можно удалить.")


def _draft_target(answers: Path | None, data: dict, out_dir: Path) -> Path:
    """Resuming a draft saves it back in place; otherwise a new draft goes to the output folder."""
    from complaint_cli.wizard import draft_path

    if answers is not None and Path(answers).name.startswith("черновик_"):
        return Path(answers)
    return draft_path(data, out_dir)


def _show(result, con) -> None:
    print_warnings(result.warnings)
    con.print(f"[green]Файл дела сохранён:[/green] {_escape(str(result.case_path))}")
    for doc in result.documents:
        con.print(f"[green]Претензия готова:[/green] {_escape(str(doc))}")
    if result.preview:
        con.rule("Начало претензии")
        for line in result.preview:
            con.print(_escape(line), soft_wrap=False)
        con.rule()
    for line in result.next_steps:
        con.print(_escape(line))


def _quote(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def register(app: typer.Typer) -> None:
    app.command("new")(new)
