"""``complaint email``, ``complaint remind``, ``complaint guide``: take the claim all the way to «sent».

Thin adapters over :mod:`complaint_cli.emaildraft`, :mod:`complaint_cli.reminders` and :mod:`complaint_cli.guides`.
"""

from pathlib import Path
from typing import Optional

import typer

from complaint_cli.commands.choices import CHANNEL, DOCUMENT
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

DOCUMENT_HELP = "Какой документ: претензия (claim) или жалоба в Роспотребнадзор (роспотребнадзор, rospotrebnadzor)."
EMAIL_DOCUMENT_HELP = (
    "Какой документ: претензия (claim; по умолчанию). Жалобу в Роспотребнадзор по e-mail не подают (с 30.03.2025 "
    "такое обращение не рассматривается): complaint guide ДЕЛО --document роспотребнадзор."
)


def case_file(ref: Path) -> Path:
    """A case file path, or the file of a registry id (``complaint email 3``)."""
    text = str(ref).strip()
    if Path(text).exists() or not text.isdigit():
        return Path(text)
    from complaint_cli.registry import Registry

    if not Registry.exists():
        return Path(text)  # reading it reports «Файл дела не найден»
    with Registry.open() as registry:
        return registry.get(int(text)).case_file


def print_guide(guide, con) -> None:
    """A guide for people: the title in bold, then plain lines (data text is never read as rich markup)."""
    lines = guide.lines()
    con.print(styled("{}", (lines[0], "bold")))
    for line in lines[1:]:
        con.print(line, markup=False, highlight=False)


@handle_errors
def email(
    case: Path = CASE_REF_ARG,
    out: Optional[Path] = typer.Option(
        None, "--out", metavar="ПАПКА",
        help="Папка с документами дела; туда же запишется письмо (по умолчанию — папка файла дела).",
    ),
    document: str = typer.Option(
        "claim", "--document", metavar="ДОКУМЕНТ", parser=DOCUMENT, autocompletion=DOCUMENT.complete,
        help=EMAIL_DOCUMENT_HELP, show_default=False,
    ),
    to: Optional[str] = typer.Option(None, "--to", metavar="АДРЕС", help="Адрес получателя вместо company.email."),
    force: bool = typer.Option(False, "--force", help="Перезаписать готовое письмо .eml."),
    json_out: bool = JSON_OPT,
) -> None:
    """Черновик письма (.eml) с претензией и доказательствами.

    И ссылка mailto:, которая заполнит адрес, тему и текст письма.

    Жалобу в Роспотребнадзор по электронной почте не подают: подайте её через Госуслуги, сайт Управления или почтой
    (complaint guide ДЕЛО --document rospotrebnadzor).

    Пример: complaint email дело.yaml --out complaints/
    """
    from complaint_cli.emaildraft import write_email_draft

    check_out_dir(out)
    draft = write_email_draft(case_file(case), document=document, out_dir=out, to=to, on=today(), force=force)
    if json_out:
        emit_json(draft.as_dict())
        return
    print_warnings(draft.warnings)
    con = console()
    con.print(styled("[green]Письмо готово:[/green] {}", draft.path))
    con.print(f"Кому: {draft.to or '(не указано)'}\nТема: {draft.subject}", markup=False)
    con.print("Вложения:", *(f"  {i}. {a.name}" for i, a in enumerate(draft.attachments, 1)), sep="\n", markup=False)
    con.print("Откройте файл .eml в почтовой программе (Outlook откроет его как черновик), проверьте и отправьте.")
    con.print(
        "Ссылка mailto: заполнит адрес, тему и текст; вложения через неё передать нельзя — приложите файлы вручную "
        "(если программа обрезала длинную ссылку, используйте файл .eml):"
    )
    con.print(draft.mailto, markup=False, highlight=False, soft_wrap=True)


@handle_errors
def remind(
    case: Path = CASE_REF_ARG,
    out: Optional[Path] = typer.Option(
        None, "--out", metavar="ФАЙЛ", help="Файл .ics (по умолчанию — рядом с файлом дела)."),
    rospotrebnadzor_sent: Optional[str] = typer.Option(
        None, "--rospotrebnadzor-sent", metavar="ДАТА",
        help="Дата отправки жалобы в Роспотребнадзор (по умолчанию — дата жалобы).",
    ),
    force: bool = typer.Option(False, "--force", help="Перезаписать готовый файл .ics."),
    json_out: bool = JSON_OPT,
) -> None:
    """Напоминание в календарь (.ics) о последнем дне срока ответа.

    Последний день ответа на претензию и срок ответа Роспотребнадзора.

    Пример: complaint remind дело.yaml --out срок.ics
    """
    from complaint_cli.law.deadlines import fmt_date
    from complaint_cli.reminders import write_reminders

    sent = parse_cli_date(rospotrebnadzor_sent, "--rospotrebnadzor-sent")
    result = write_reminders(case_file(case), today=today(), out=out, rospotrebnadzor_sent=sent, force=force)
    if json_out:
        emit_json(result.as_dict())
        return
    print_warnings(result.warnings)
    con = console()
    con.print(styled("[green]Напоминания записаны:[/green] {}", result.path))
    for r in result.reminders:
        con.print(f"  • {fmt_date(r.day)} — {r.summary}", markup=False)
    con.print("Откройте файл в календаре (Google, Apple, Outlook): он напомнит накануне в 9:00.")


@handle_errors
def guide(
    case: Path = CASE_REF_ARG,
    channel: Optional[str] = typer.Option(
        None, "--channel", metavar="СПОСОБ", parser=CHANNEL, autocompletion=CHANNEL.complete,
        help=f"Способ отправки: {CHANNEL.listing()}. По умолчанию — из дела.",
    ),
    document: Optional[str] = typer.Option(
        None, "--document", metavar="ДОКУМЕНТ", parser=DOCUMENT, autocompletion=DOCUMENT.complete, help=DOCUMENT_HELP
    ),
    json_out: bool = JSON_OPT,
) -> None:
    """Пошаговая инструкция: как отправить претензию или жалобу.

    Как отправить претензию выбранным способом и сохранить доказательства; как подать жалобу в Роспотребнадзор:
    шаги, текст для формы на Госуслугах или сайте Управления и список файлов для вложения.

    Пример: complaint guide дело.yaml --channel почта
    """
    from complaint_cli.commands.common import load_case
    from complaint_cli.guides import channel_guide, rospotrebnadzor_guide
    from complaint_cli.reminders import rospotrebnadzor_date

    path = case_file(case)
    found = load_case(path).case  # a draft is enough to say how to send it
    guides = []
    if document != "rospotrebnadzor":
        guides.append(channel_guide(found, case_ref=str(case), channel=channel))
    complaint_date = rospotrebnadzor_date(path)
    if document == "rospotrebnadzor" or (document is None and complaint_date is not None):
        # The form's text is dated as the complaint the registry knows of (else today), as escalate drafted it.
        guides.append(rospotrebnadzor_guide(found, case_ref=str(case), case_path=path, on=complaint_date or today()))
    if json_out:
        emit_json({"guides": [g.as_dict() for g in guides]})
        return
    con = console()
    for g in guides:
        print_guide(g, con)


def register(app: typer.Typer) -> None:
    app.command("email")(email)
    app.command("remind")(remind)
    app.command("guide")(guide)
