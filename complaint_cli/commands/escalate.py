"""``complaint escalate``: the repeat claim, the Rospotrebnadzor complaint, the court claim and a review
(see :mod:`complaint_cli.escalation`)."""

from pathlib import Path
from typing import List, Optional

import typer

from complaint_cli.commands.choices import ESCALATION_LETTER
from complaint_cli.commands.common import (
    CASE_REF_ARG,
    JSON_OPT,
    check_out_dir,
    console,
    emit_json,
    handle_errors,
    parse_cli_date,
    print_warnings,
    styled,
    today,
)



def _money(value: str | None, option: str):
    from complaint_cli.errors import UsageError
    from complaint_cli.money import parse_amount

    if value is None:
        return None
    try:
        amount = parse_amount(value)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None
    if amount <= 0:
        raise UsageError(f"{option}: сумма должна быть больше нуля")
    return amount


def _costs(values: list[str] | None) -> tuple:
    from complaint_cli.errors import UsageError

    costs = []
    for value in values or ():
        label, sep, amount = value.rpartition("=")
        if not sep or not label.strip():
            raise UsageError(f"--costs: ожидается «название=сумма», например «почтовые расходы=285,04»; получено «{value}»")
        costs.append((label.strip(), _money(amount, "--costs")))
    return tuple(costs)


def _asker(json_out: bool):
    """questionary on stderr when a person is at a terminal; None otherwise (never prompt in scripts)."""
    import sys

    if json_out or not (sys.stdin.isatty() and sys.stderr.isatty()):
        return None
    from prompt_toolkit.output import create_output

    from complaint_cli.wizard import QuestionaryAsker

    return QuestionaryAsker(output=create_output(stdout=sys.stderr))


@handle_errors
def escalate(
    case: str = CASE_REF_ARG,
    on: Optional[str] = typer.Option(
        None, "--on", metavar="ДАТА", help="Дата документов и расчёта неустойки (по умолчанию — сегодня)."),
    out: Optional[Path] = typer.Option(
        None, "--out", metavar="ПАПКА", help="Папка для документов (по умолчанию — папка файла дела)."),
    only: Optional[str] = typer.Option(
        None, "--only", metavar="ДОКУМЕНТЫ", parser=ESCALATION_LETTER.many,
        help="Какие документы через запятую: повторная, роспотребнадзор, иск, отзыв, банк (или inaction, "
             "rospotrebnadzor, court, review, bank; по умолчанию — все, кроме заявления в банк: оно только с --only "
             "банк, при оплате картой)."),
    force: bool = typer.Option(
        False, "--force", help="Составить документы до истечения срока и перезаписать существующие файлы."),
    reply_days: int = typer.Option(
        7, "--reply-days", min=1, max=60, metavar="ДНИ", help="Новый срок в повторной претензии, дней."),
    moral_damages: Optional[str] = typer.Option(
        None, "--moral-damages", metavar="СУММА", help="Компенсация морального вреда для иска, руб."),
    court_name: Optional[str] = typer.Option(
        None, "--court-name", metavar="СУД",
        help="Суд, например «Мировому судье судебного участка № 5 Тверского района г. Москвы»."),
    costs: Optional[List[str]] = typer.Option(
        None, "--costs", metavar="НАЗВАНИЕ=СУММА", help="Судебные расходы для иска (можно повторять)."),
    templates: Optional[Path] = typer.Option(
        None, "--templates", metavar="ПАПКА", help="Папка со своими шаблонами Word."),
    fmt: str = typer.Option(
        "docx", "--format", metavar="ФОРМАТ", help="Формат: docx, pdf (через LibreOffice) или both — оба."),
    json_out: bool = JSON_OPT,
) -> None:
    """После отказа или молчания: повторная претензия, жалоба, иск.

    Повторная претензия, жалоба в Роспотребнадзор, исковое заявление, отзыв. До истечения срока удовлетворения претензии команда отказывается (код 1), если нет --force или отказа
    компании (complaint reply … --outcome отказ). К повторной претензии и иску прилагается расчёт неустойки.
    Если с карты списали лишнее или не вернули деньги — заявление в банк об оспаривании операции: --only банк.

    Пример: complaint escalate дело.yaml --only inaction,rospotrebnadzor --on 25.11.2026
    """
    from complaint_cli.escalation import EscalationOptions, escalate_file, parse_kinds

    from complaint_cli.errors import UsageError
    from complaint_cli.pdf import FORMATS, apply_format

    if fmt not in FORMATS:
        raise UsageError("--format: допустимо docx, pdf или both")
    date = parse_cli_date(on, "--on") or today()
    check_out_dir(out)
    options = EscalationOptions(
        only=parse_kinds(only), force=force, reply_days=reply_days,
        moral_damages=_money(moral_damages, "--moral-damages"),
        court_name=court_name.strip() if court_name and court_name.strip() else None,
        costs=_costs(costs), templates_dir=templates,
    )
    result = escalate_file(case, out_dir=out, on=date, today=max(date, today()), options=options,
                           asker=_asker(json_out))
    converted, pdf_warnings = apply_format([d.path for d in result.documents], fmt)
    result.warnings.extend(pdf_warnings)
    documents = []
    for doc in result.documents:
        if doc.path in converted:
            if fmt == "both":
                documents.append(doc)
            documents.append(type(doc)(doc.kind, converted[doc.path]))
        else:
            documents.append(doc)
    result.documents = documents
    if json_out:
        emit_json(result.as_dict())
        return
    con = console()
    print_warnings(result.warnings)
    for doc in result.documents:
        con.print(styled("[green]Готово:[/green] {}", doc.path))
    if result.sums is not None and result.sums.penalty_total > 0:
        con.print(f"Неустойка на {date:%d.%m.%Y}: {_rub(result.sums.penalty_total)}")
    for line in result.next_steps:
        con.print(line, markup=False)


def _rub(amount) -> str:
    from complaint_cli.law.calc import rub

    return rub(amount)


def register(app: typer.Typer) -> None:
    app.command("escalate")(escalate)
