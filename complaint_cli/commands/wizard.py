"""``complaint new``: the interactive wizard (questions in Russian → case file → claim)."""

from pathlib import Path
from typing import Optional

import typer

from complaint_cli.commands.common import console, err_console, handle_errors, print_warnings, styled, today

NO_TERMINAL = (
    "Мастеру нужен терминал, чтобы задавать вопросы, а ввод сейчас идёт не с клавиатуры. Возьмите образец файла "
    "дела (complaint example kuper_late_delivery --out дело.yaml), впишите в него свои данные и запустите: "
    "complaint new --answers дело.yaml --no-input"
)


@handle_errors
def new(
    answers: Optional[Path] = typer.Option(
        None, "--answers", metavar="ДЕЛО.yaml",
        help="Файл дела (YAML) с уже известными ответами: мастер спросит только недостающее.", show_default=False),
    out: Optional[Path] = typer.Option(
        None, "--out", metavar="ПАПКА", help="Папка для файла дела и претензии (по умолчанию ./complaints).",
        show_default=False),
    no_input: bool = typer.Option(
        False, "--no-input",
        help="Ничего не спрашивать: перечислить недостающие ответы или сразу составить претензию."),
    force: bool = typer.Option(False, "--force", help="Перезаписать существующие файл дела и претензию."),
    receipt: Optional[str] = typer.Option(
        None, "--receipt", metavar="ФАЙЛ",
        help="Фото, скан или PDF кассового чека (или текст его QR-кода): дата, время и сумма заказа берутся из "
             "QR-кода, файл прикладывается к претензии.", show_default=False),
) -> None:
    """Мастер: вопросы по-русски → файл дела → претензия (.docx).

    Пример: complaint new, или без вопросов: complaint new --answers дело.yaml --no-input;
    с чеком: complaint new --receipt чек.jpg
    """
    import sys

    from complaint_cli import wizard
    from complaint_cli.casefile import read_case_data
    from complaint_cli.errors import ComplaintError, OutputExists
    from complaint_cli.commands.common import check_out_dir
    from complaint_cli.paths import default_output_dir

    check_out_dir(out)
    out_dir = out if out is not None else default_output_dir()
    data = read_case_data(answers) if answers is not None else {}
    con = err_console()  # the dialogue (questions, review, interruptions) is on stderr, as questionary is
    on = today()
    for line in _read_receipt(data, receipt, answers):
        con.print(line, markup=False)
    if answers is not None:  # the case file is written to out_dir: its files must still be found from there
        from complaint_cli.evidence import rebase_files

        rebase_files(data, Path(answers).parent, out_dir)
    if no_input:
        missing = wizard.missing_fields(data, today=on)
        if missing:
            con.print(f"[red]Не хватает ответов или они неверны ({len(missing)}):[/red]")
            for m in missing:
                con.print(f"  • {m.line()}", markup=False)
            again = f"complaint new --answers {_quote(answers) if answers else 'ДЕЛО.yaml'} --no-input"
            con.print(f"Допишите их в файл дела и запустите снова: {again}", markup=False)
            raise typer.Exit(1)
        _show(wizard.finish(data, out_dir=out_dir, today=on, force=force))
        return
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise ComplaintError(NO_TERMINAL)

    from prompt_toolkit.output import create_output

    asker = wizard.QuestionaryAsker(output=create_output(stdout=sys.stderr))
    con.print("[bold]Составим претензию.[/bold] Отвечайте на вопросы; в конце можно проверить и исправить любой ответ. "
              "Ctrl+C — прервать с сохранением черновика.", soft_wrap=False)
    if answers is not None:
        con.print(f"Ответы загружены из {answers}: спрошу только недостающее и неверное.", markup=False)
    asked = wizard.asked_in_draft(answers) if answers is not None else set()
    master = wizard.Wizard(asker=asker, today=on, console=con, data=data, asked=asked)
    try:
        master.run()
        try:
            result = wizard.finish(master.data, out_dir=out_dir, today=on, force=force)
        except OutputExists as exc:
            con.print(styled("{}", (exc.message, "yellow")))
            if not asker.confirm("Перезаписать существующие файлы?", default=False):
                raise
            result = wizard.finish(master.data, out_dir=out_dir, today=on, force=True)
    except (wizard.WizardInterrupted, KeyboardInterrupt, EOFError):
        saved = wizard.save_draft(master.data, _draft_target(answers, master.data, out_dir), asked=master.asked)
        if saved is None:
            con.print("\n[yellow]Прервано. Ответов пока нет — черновик не сохранён.[/yellow]")
        else:
            con.print(styled("\n[yellow]Прервано. Ответы сохранены в черновик:[/yellow] {}", saved))
            again = f"complaint new --answers {_quote(saved)}" + (f" --out {_quote(out)}" if out else "")
            con.print(f"Продолжить: {again}", markup=False)
        raise typer.Exit(130) from None
    _show(result)
    for draft in wizard.drafts_done(master.data, out_dir, answers):
        console().print(f"Черновик {draft} удалён: ответы теперь в файле дела.", markup=False)


def _read_receipt(data: dict, source: str | None, answers: Path | None) -> list[str]:
    """``--receipt``: the receipt's file and QR code into the answers; the order's date, time and sum where they are
    not given (others stay: the wizard asks which to keep, ``--no-input`` warns). Without it, an answers file naming
    a receipt file whose code was never read has it read (relative to the answers file's folder). The lines to show."""
    from complaint_cli.receipt import fill_order, read_file, read_source, receipt_data, resolve_file

    if source is not None:
        reading = read_source(source)
        if not isinstance(data.get("order"), dict):
            data["order"] = {}
        data["order"]["receipt"] = receipt_data(reading)
    else:
        held = (data.get("order") or {}).get("receipt") if isinstance(data.get("order"), dict) else None
        if not isinstance(held, dict) or held.get("qr") or not isinstance(held.get("file"), str):
            return []
        reading = read_file(resolve_file(held["file"], Path(answers).parent if answers else None))
        if reading.qr is not None:
            held["qr"] = reading.qr.text
    if reading.qr is None:
        return [f"Чек: {reading.problem}."]
    lines = [f"Прочитан QR-код чека: {reading.qr.describe()}."]
    if not reading.qr.purchase:
        lines.append(f"Это чек «{reading.qr.operation_name}», а не чек покупки: его дата и сумма не взяты как дата и "
                     "сумма заказа.")
        return lines
    filled = fill_order(data, reading.qr)
    names = {"order.date": "дата", "order.time": "время", "order.amount": "сумма"}
    if filled:
        lines.append(f"Из чека взяты: {', '.join(names[p] for p in filled)} заказа.")
    return lines  # a disagreement with the answers: the wizard asks, a case file's validation warns


def _draft_target(answers: Path | None, data: dict, out_dir: Path) -> Path:
    """Resuming a draft saves it back in place; otherwise a new draft goes to the output folder."""
    from complaint_cli.wizard import draft_path

    if answers is not None and Path(answers).name.startswith("черновик_"):
        return Path(answers)
    return draft_path(data, out_dir)


def _show(result) -> None:
    """What the wizard made — the case file, the claim, its first lines, the next steps — on stdout."""
    print_warnings(result.warnings)
    con = console()
    con.print(styled("[green]Файл дела сохранён:[/green] {}", result.case_path))
    for doc in result.documents:
        con.print(styled("[green]Претензия готова:[/green] {}", doc))
    if result.preview:
        con.rule("Начало претензии")
        for line in result.preview:
            con.print(line, markup=False, soft_wrap=False)
        con.rule()
    for line in result.next_steps:
        con.print(line, markup=False)


def _quote(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))


def register(app: typer.Typer) -> None:
    app.command("new")(new)
