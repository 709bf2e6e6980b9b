"""Peer: a bare typer app with two commands, the baseline of ``startup.py``."""

import typer

app = typer.Typer(rich_markup_mode=None, add_completion=False)


@app.command()
def hello(name: str = "x"):
    """Say hello."""


@app.command()
def bye():
    """Say bye."""


app()
