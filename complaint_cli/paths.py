"""Where the tool keeps its state. One place, overridden by ``COMPLAINT_CLI_HOME`` (tests always set it)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "COMPLAINT_CLI_HOME"


def home() -> Path:
    """The data folder: ``$COMPLAINT_CLI_HOME`` or the platform's user data directory."""
    override = os.environ.get(ENV_HOME)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("complaint_cli", appauthor=False)


def config_dir() -> Path:
    """User configuration (own company presets): ``$COMPLAINT_CLI_HOME/config`` or the platform's config dir."""
    override = os.environ.get(ENV_HOME)
    if override:
        return Path(override).expanduser() / "config"
    from platformdirs import user_config_path

    return user_config_path("complaint_cli", appauthor=False)


def cache_dir() -> Path:
    """What can be rebuilt at any time (compiled templates): ``$COMPLAINT_CLI_HOME/cache`` or the platform's cache dir."""
    override = os.environ.get(ENV_HOME)
    if override:
        return Path(override).expanduser() / "cache"
    from platformdirs import user_cache_path

    return user_cache_path("complaint_cli", appauthor=False)


def registry_path() -> Path:
    return home() / "registry.sqlite3"


def locks_dir() -> Path:
    """The case files' lock files (:func:`complaint_cli.casefile.case_lock`)."""
    return home() / "locks"


def default_output_dir() -> Path:
    """Documents go to ./complaints by default: where the user can see them."""
    return Path.cwd() / "complaints"


def examples_dir() -> Path:
    """The sample case files shipped with the tool (``examples/`` of the source, ``complaint_cli/examples`` installed)."""
    from importlib.resources import files

    return Path(str(files("complaint_cli.examples")))


def is_example(case_file: Path | str) -> bool:
    """Is this one of the shipped sample cases, used in place? (A copy the user made is their own case.)"""
    try:
        return Path(case_file).resolve().parent == examples_dir().resolve()
    except (OSError, ModuleNotFoundError):
        return False


def case_output_dir(case_file: Path | str) -> Path:
    """Where a case's documents go by default: beside its file, or ``./complaints/<sample>`` for a sample tried in
    place (the tool's own folder is not the user's, and may not be writable)."""
    return default_output_dir() / Path(case_file).stem if is_example(case_file) else Path(case_file).resolve().parent
