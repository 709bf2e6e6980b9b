"""``complaint example``: the sample cases shipped with the tool, listed or copied out as the user's own case."""

from pathlib import Path
from typing import Optional

import typer

from complaint_cli.commands.common import JSON_OPT, console, emit_json, handle_errors, styled


@handle_errors
def example(
    name: Optional[str] = typer.Argument(None, metavar="ОБРАЗЕЦ", show_default=False,
                                         help="Имя образца; без него — список образцов."),
    out: Optional[Path] = typer.Option(None, "--out", metavar="ФАЙЛ",
                                       help="Куда записать копию (файл .yaml или папка; по умолчанию ./ОБРАЗЕЦ.yaml)."),
    force: bool = typer.Option(False, "--force", help="Перезаписать существующий файл."),
    json_out: bool = JSON_OPT,
) -> None:
    """Образцы дел: список или копия для своего дела.

    Образец, открытый на месте, только показывает, как выглядят письма: в реестр дел он не попадает. Копия —
    ваше дело: впишите в неё свои данные и составьте претензию.

    Пример: complaint example kuper_late_delivery --out дело.yaml
    """
    from complaint_cli.samples import examples, write_example

    if name is None:
        found = examples()
        if json_out:
            emit_json({"examples": [e.as_dict() for e in found]})
            return
        con = console()
        for e in found:
            con.print(styled("{} — {}", (e.name, "bold"), e.title))
        con.print("Копия для своего дела: complaint example ОБРАЗЕЦ --out дело.yaml")
        return
    written = write_example(name, out if out is not None else Path.cwd() / f"{name.removesuffix('.yaml')}.yaml",
                            force=force)
    if json_out:
        emit_json({"case_file": str(written[0]), "files": [str(p) for p in written]})
        return
    con = console()
    con.print(styled("[green]Готово:[/green] {}", written[0]))
    con.print(styled("Впишите свои данные (или ответьте на вопросы мастера: complaint new --answers {}), "
                     "затем: complaint render {}", written[0], written[0]))


def register(app: typer.Typer) -> None:
    app.command("example")(example)
