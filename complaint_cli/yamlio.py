"""YAML in and out, through libyaml when it is available (the pure-Python parser and emitter are 5–10× slower).

Both loaders and dumpers are the *safe* ones: no Python objects are ever constructed from a file.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

YAMLError = yaml.YAMLError


def load(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100)


@cache
def data_text(name: str) -> str:
    """The text of a bundled data file (complaint_cli/data/NAME)."""
    return resources.files("complaint_cli.data").joinpath(name).read_text(encoding="utf-8")
