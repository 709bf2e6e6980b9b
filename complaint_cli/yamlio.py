"""YAML in and out: read through libyaml when it is available (the pure-Python parser is 5–10× slower); plain data
written by a small emitter of our own.

Both loaders and dumpers are the *safe* ones: no Python objects are ever constructed from a file.

Why an emitter of our own: writing a case file through PyYAML costs ~0.17 ms (its representer and resolver run in
Python even with libyaml), as much as rendering the letter itself, and a batch writes one per row. The data of a
case is plain — mappings with string keys, lists, strings, integers, booleans — and for that block-style YAML is
simple: a string is written plain only when it is made of letters, digits and harmless punctuation and the loader's
own resolver reads it back as a string; otherwise single-quoted; a text of several lines as a literal block (``|``),
as one would type it; double-quoted with escapes when it holds characters YAML does not allow raw. Anything else
(floats, dates, nested lists) goes to PyYAML. The output is what PyYAML writes, except that long strings are not
folded and multi-line ones are literal blocks; tests/test_yamlio.py checks that every document reads back equal.
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib import resources
from typing import Any

import re

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

YAMLError = yaml.YAMLError


def load(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader


def dump(data: Any) -> str:
    """Block-style YAML for ``data`` (see the module docstring); reads back equal with :func:`load`."""
    out: list[str] = []
    try:
        if isinstance(data, dict) and data:
            _mapping(data, 0, out)
        elif isinstance(data, list) and data:
            _sequence(data, 0, out)
        else:
            raise _Unsupported
    except _Unsupported:
        return yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, width=100)
    out.append("")
    return "\n".join(out)


class _Unsupported(Exception):
    """A value the small emitter leaves to PyYAML."""


_STR_TAG = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
# Plain: starts with a letter, digit or «; then letters, digits, spaces and punctuation that means nothing to YAML
# in block context (no '#', no ': ', no brackets, no leading indicator); no space at either end.
_PLAIN = re.compile(r"(?:[^\W_]|«)(?:[\w «»()\-.,;!?%/+*&=~@№\"'—–…]|:(?=[^\s:]))*(?<! )\Z")
# Characters YAML must not see raw inside quotes: line breaks, controls, and what its reader rejects (or a BOM).
_NEEDS_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n",
            "\v": "\\v", "\f": "\\f", "\r": "\\r", "\x1b": "\\e", "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}


def _string(text: str, indent: int | None = None) -> str:
    """``text`` as a scalar; with ``indent`` (a value, not a key) a multi-line text may become a literal block."""
    if _PLAIN.match(text) and _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG:
        return text
    if not _NEEDS_ESCAPE.search(text):
        return "'" + text.replace("'", "''") + "'"
    if indent is not None and _literal_ok(text):
        pad = " " * (indent + 2)
        body = text[:-1] if text.endswith("\n") else text
        lines = "\n".join(pad + line if line else "" for line in body.split("\n"))
        return ("|\n" if text.endswith("\n") else "|-\n") + lines
    return '"' + re.sub(r'[\\"]|' + _NEEDS_ESCAPE.pattern, _escape, text) + '"'


def _literal_ok(text: str) -> bool:
    """A text with line breaks that reads best as a literal block (``|``) and survives it exactly."""
    return (
        "\n" in text
        and text[0] not in " \t\n"  # the first line sets the block's indentation
        and not text.endswith("\n\n")  # more than one final line break would need "|+"
        and not _NEEDS_ESCAPE.search(text.replace("\n", ""))
    )


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    if 0xD800 <= code <= 0xDFFF:
        raise _Unsupported  # a lone surrogate is not text: PyYAML refuses it as the UTF-8 file would
    return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


@lru_cache(maxsize=1024)
def _key(text: str) -> str:
    return _string(text)  # a case has a few dozen distinct keys: each is analysed once


def _scalar(value: Any, indent: int) -> str:
    if isinstance(value, str):
        return _string(value, indent)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if value == {}:
        return "{}"
    if value == []:
        return "[]"
    raise _Unsupported


def _mapping(data: dict, indent: int, out: list[str], first: str | None = None) -> None:
    pad = " " * indent
    for key, value in data.items():
        written = _key(key) if isinstance(key, str) else ""
        if not written or len(written) > 1000:  # YAML's implicit keys stop at 1024 characters
            raise _Unsupported
        head = f"{first if first is not None else pad}{written}:"
        first = None
        if isinstance(value, dict) and value:
            out.append(head)
            _mapping(value, indent + 2, out)
        elif isinstance(value, list) and value:
            out.append(head)
            _sequence(value, indent, out)
        else:
            out.append(f"{head} {_scalar(value, indent)}")


def _sequence(items: list, indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, dict) and item:
            _mapping(item, indent + 2, out, first=f"{pad}- ")
        elif isinstance(item, list) and item:
            raise _Unsupported
        else:
            out.append(f"{pad}- {_scalar(item, indent)}")


@cache
def data_text(name: str) -> str:
    """The text of a bundled data file (complaint_cli/data/NAME)."""
    return resources.files("complaint_cli.data").joinpath(name).read_text(encoding="utf-8")
