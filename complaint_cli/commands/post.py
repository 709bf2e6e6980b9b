"""``complaint post``: the post-office kit — the inventory on form ф. 107, the address label and the steps.

A thin adapter over :func:`complaint_cli.postkit.write_post_kit`.
"""

from pathlib import Path
from typing import Optional

import typer

from complaint_cli.commands.choices import LETTER
from complaint_cli.commands.common import (
    CASE_REF_ARG,
    JSON_OPT,
    check_out_dir,
    console,
    emit_json,
    handle_errors,
    print_warnings,
    styled,
    today,
)

ROLE_WORDS = {"addressee": "адресату", "second_addressee": "второму адресату", "copy": "копия",
              "office": "в Роспотребнадзор", "defendant": "ответчику", "court": "в суд"}


@handle_errors
def post(
    case: Path = CASE_REF_ARG,
    document: str = typer.Option(
        "claim", "--document", metavar="ДОКУМЕНТ", parser=LETTER, autocompletion=LETTER.complete,
        help=f"Какой документ отправить почтой: {LETTER.listing()}. По умолчанию — претензия.", show_default=False,
    ),
    out: Optional[Path] = typer.Option(
        None, "--out", metavar="ПАПКА",
        help="Папка с документами дела; туда же запишутся опись и ярлык (по умолчанию — папка файла дела).",
    ),
    force: bool = typer.Option(False, "--force", help="Перезаписать готовые опись и ярлык."),
    json_out: bool = JSON_OPT,
) -> None:
    """Опись вложения (форма 107) и ярлык для ценного письма.

    Для ценного письма с описью вложения и уведомлением о вручении: опись по форме ф. 107 «Почты России» в двух
    экземплярах (документ с числом листов, каждое приложение, объявленная ценность и итог), адресный ярлык с
    индексами и порядок действий на почте. Кому письмо — по правовому анализу дела: претензия — адресату (и второму
    адресату или получателю копии), жалоба — в управление Роспотребнадзора, иск — копии ответчикам и сам иск в суд.

    Пример: complaint post дело.yaml --document иск
    """
    from complaint_cli.commands.sending import case_file
    from complaint_cli.postkit import value_text, write_post_kit

    check_out_dir(out)
    result = write_post_kit(case_file(case), document=document, out_dir=out, on=today(), force=force)
    if json_out:
        emit_json(result.as_dict())
        return
    print_warnings(result.kit.warnings)
    con = console()
    for path in result.paths:
        con.print(styled("[green]Записано:[/green] {}", path))
    for m in result.kit.mailings:
        con.print(f"Письмо {ROLE_WORDS[m.role]}: {m.to.name}, индекс {m.to.postcode or 'не найден'}; "
                  f"предметов в описи — {m.quantity_total}, объявленная ценность — {value_text(m.value_total)} руб.",
                  markup=False, highlight=False)
    con.print(styled("{}", ("Как отправить на почте:", "bold")))
    for i, step in enumerate(result.kit.steps, 1):
        con.print(f"  {i}. {step}", markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    app.command("post")(post)
