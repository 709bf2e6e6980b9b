"""``complaint batch``: a spreadsheet of cases → a folder of letters per row, and a report (see complaint_cli.batch)."""

import sys
from pathlib import Path
from typing import Optional

import typer

from complaint_cli.commands.choices import BATCH_LETTER
from complaint_cli.commands.common import (
    check_out_dir,
    console,
    emit_json,
    err_console,
    handle_errors,
    parse_cli_date,
    print_warnings,
    styled,
    today,
)

SHOWN_ERRORS = 30


@handle_errors
def batch(
    file: Optional[Path] = typer.Argument(
        None, metavar="ТАБЛИЦА", help="Таблица дел: .csv, .xlsx, .yaml или .json.", show_default=False),
    out: Optional[Path] = typer.Option(
        None, "--out", metavar="ПАПКА", help="Папка для писем (по умолчанию ./complaints)."),
    letters: str = typer.Option(
        "claim", "--letters", metavar="ПИСЬМА", parser=BATCH_LETTER.many,
        help="Какие документы через запятую: претензия, повторная, роспотребнадзор, иск, расчёт (неустойки), опись "
             "(опись вложения и ярлык для претензии) — или claim, inaction, rospotrebnadzor, court, penalty, post."),
    on: Optional[str] = typer.Option(None, "--on", metavar="ДАТА", help="Дата писем (по умолчанию — сегодня)."),
    jobs: Optional[int] = typer.Option(
        None, "--jobs", metavar="ЧИСЛО", help="Число процессов (по умолчанию — число ядер)."),
    report: Optional[Path] = typer.Option(
        None, "--report", metavar="ФАЙЛ", help="Куда записать отчёт CSV (по умолчанию — в --out)."),
    force: bool = typer.Option(False, "--force", help="Составить заново и то, что не изменилось."),
    template: Optional[Path] = typer.Option(
        None, "--template", metavar="ФАЙЛ", help="Записать пустой шаблон таблицы: .csv или .xlsx."),
    templates: Optional[Path] = typer.Option(
        None, "--templates", metavar="ПАПКА", help="Папка со своими шаблонами Word."),
    fmt: str = typer.Option(
        "docx", "--format", metavar="ФОРМАТ", help="Формат: docx, pdf (через LibreOffice) или both — оба."),
    json_out: bool = typer.Option(False, "--json", help="Вывести результат в JSON (только JSON в stdout)."),
) -> None:
    """Составить письма по таблице дел: по папке на строку.

    Отчёт об ошибках — с номерами строк.

    Пример: complaint batch --template дела.xlsx; complaint batch дела.xlsx --out письма/
    """
    from complaint_cli.errors import UsageError

    if template is not None:
        if file is not None:
            raise UsageError("Укажите либо таблицу дел, либо --template ФАЙЛ, но не оба сразу.")
        from complaint_cli.tabular import write_template

        path = write_template(template, force=force)
        if json_out:
            emit_json({"template": str(path)})
        else:
            console().print(styled("[green]Шаблон таблицы записан:[/green] {}", path))
        return
    if file is None:
        raise UsageError("Укажите таблицу дел (complaint batch ДЕЛА.xlsx) или --template ФАЙЛ.xlsx.")
    from complaint_cli.batch import run_batch
    from complaint_cli.paths import default_output_dir
    from complaint_cli.pdf import FORMATS

    if fmt not in FORMATS:
        raise UsageError("--format: допустимо docx, pdf или both")

    date = parse_cli_date(on, "--on") or today()
    check_out_dir(out)
    # rich is imported only for a bar on a terminal (a script's run does not wait for it)
    with _progress(file, enabled=not json_out and sys.stderr.isatty() and err_console().is_terminal) as tick:
        result = run_batch(file, out_dir=out or default_output_dir(), on=date, letters=letters, jobs=jobs,
                           force=force, report=report, progress=tick, templates_dir=templates)
    if fmt != "docx":
        result.convert(fmt)
        print_warnings(result.pdf_warnings)
    if json_out:
        result.write_json(sys.stdout)  # streamed: the same text as emit_json(result.as_dict())
        sys.stdout.flush()
    else:
        _summary(result)
    raise typer.Exit(result.exit_code)


class _progress:
    """A rich progress bar (rate and ETA) on stderr when it is a terminal; otherwise nothing at all.

    The bar starts with the first finished row: its refresh thread must not exist yet when the worker processes
    are forked.
    """

    def __init__(self, file: Path, *, enabled: bool) -> None:
        self.file, self.enabled, self.bar = file, enabled, None

    def __enter__(self):
        if not self.enabled:
            return None
        from complaint_cli.tabular import count_rows

        total = count_rows(self.file)

        def tick(_outcome) -> None:
            if self.bar is None:
                self.bar = self._start(total)
            self.bar.advance(self.task)
            speed = self.bar.tasks[0].speed
            self.bar.update(self.task, rate=f"{speed:.0f} строк/с" if speed else "")

        return tick

    def _start(self, total: int | None):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(TextColumn("Строки"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                       TextColumn("осталось"), TimeRemainingColumn(), console=err_console(), transient=True)
        self.task = bar.add_task("batch", total=total, rate="")
        bar.start()
        return bar

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()


def _summary(result) -> None:
    """The run's result for the person, on stdout (rows with errors are part of it, as in ``validate``)."""
    from itertools import islice

    con = console()
    if not result.total:
        con.print("[yellow]В таблице нет строк с данными под заголовком.[/yellow]")
    con.print(f"Строк с данными: {result.total}; готово: {result.ok} (составлено сейчас: {result.rendered}, "
              f"без изменений: {result.unchanged}); с ошибками: {result.failed_rows}.")
    for error in islice(result.iter_failed(), SHOWN_ERRORS):
        con.print(styled(f"  [red]строка {error.row}[/red], {{}}: {{}}", (error.field, "bold"), error.message))
    if result.errors > SHOWN_ERRORS:
        con.print(f"  … и ещё {result.errors - SHOWN_ERRORS} — см. отчёт.")
    if result.not_due_letters:
        con.print(f"[yellow]Срок для писем эскалации ещё не наступил:[/yellow] {result.not_due_letters} "
                  "(строки и причины — в отчёте).")
    if result.registry_error:
        err_console().print(styled("[yellow]Реестр дел не обновлён:[/yellow] {}", result.registry_error))
    con.print("Номер строки — номер строки данных: 1 — первая строка под заголовком.")
    con.print(f"Письма: {result.out_dir}\nОтчёт: {result.report_path}", markup=False)


def register(app: typer.Typer) -> None:
    app.command("batch")(batch)
