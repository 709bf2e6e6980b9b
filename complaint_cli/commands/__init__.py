"""Typer commands: each module registers a few thin commands over the library core."""
