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


def registry_path() -> Path:
    return home() / "registry.sqlite3"


def default_output_dir() -> Path:
    """Documents go to ./complaints by default: where the user can see them."""
    return Path.cwd() / "complaints"
