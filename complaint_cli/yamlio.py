"""YAML in and out: read through libyaml when it is available (the pure-Python parser is 5–10× slower); plain data
written by a small emitter of our own; the bundled data files read from JSON twins.

Both loaders and dumpers are the *safe* ones: no Python objects are ever constructed from a file.

Why an emitter of our own: writing a case file through PyYAML costs ~0.17 ms (its representer and resolver run in
Python even with libyaml), as much as rendering the letter itself, and a batch writes one per row. The data of a
case is plain — mappings with string keys, lists, strings, integers, booleans — and for that block-style YAML is
simple: a string is written plain only when it is made of letters, digits and harmless punctuation, starts with a
letter (or «) and is not one of the words YAML reads as a boolean or null (``yes``, ``off``, ``null``…) — only
those and strings starting with a digit or a sign can be read as anything but a string; otherwise single-quoted; a
text of several lines as a literal block (``|``), as one would type it; double-quoted with escapes when it holds
characters YAML does not allow raw. Anything else (floats, dates, nested lists) goes to PyYAML. The output is what
PyYAML writes, except that strings starting with a digit are always quoted, long strings are not folded and
multi-line ones are literal blocks; tests/test_yamlio.py checks that every document reads back equal.

Why JSON twins: parsing regions.yaml alone takes ~10 ms and importing PyYAML ~13 ms, on every start of every
command. ``scripts/build_data.py`` writes ``data/compiled/<hash of the YAML text>.json`` for each data file (dates and
non-string keys tagged); :func:`bundled` reads the twin whose name matches the YAML's current text, so an edited
YAML without a rebuilt twin is simply parsed as YAML — a stale twin is never used. A batch thus never imports PyYAML.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from importlib import resources
from typing import Any

DATA_PACKAGE = "complaint_cli.data"
COMPILED_DIR = "compiled"


@cache
def _yaml():
    """PyYAML, imported on first use (~13 ms: a batch never needs it)."""
    import yaml

    return yaml


def __getattr__(name: str) -> Any:
    if name == "YAMLError":  # ``except yamlio.YAMLError`` evaluates this only when an exception is being matched
        return _yaml().YAMLError
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# Hostile files (issue 15, item 9). A case nests 7 levels at most (list of cases › case › order › items › item ›
# value); the limit leaves room and keeps every recursive walk over the data far from Python's recursion limit.
MAX_DEPTH = 32
# Aliases (``&a`` … ``*a``) may make the data at most this many times larger than the text (plus a small allowance):
# an honest document is never larger than its text, a «billion laughs» of 2 KB is 10**9 times larger.
MAX_EXPANSION = 2
EXPANSION_ALLOWANCE = 10_000


def load(text: str, source: object = None) -> Any:
    """Parse YAML with a safe loader, refusing a «bomb»: alias expansion beyond :data:`MAX_EXPANSION` times the text,
    a self-referencing alias, nesting deeper than :data:`MAX_DEPTH` — a ``CaseFileError`` naming ``source``.

    The data is checked whole after parsing (PyYAML builds an alias as one shared object, so parsing itself is
    cheap; what explodes is every later walk over the data): 0.04 ms for a case file, ~5 % of a big file's parse.
    """
    yaml = _yaml()
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    except RecursionError:  # the pure-Python loader, without libyaml, recurses per level
        raise too_deep(source) from None
    except yaml.YAMLError as exc:
        if "maximum nesting depth" in str(getattr(exc, "problem", "")):  # libyaml stops at 1000 levels
            raise too_deep(source) from None
        raise
    check_shape(data, len(text), source)
    return data


def check_shape(data: Any, text_length: int, source: object = None) -> None:
    """Refuse parsed YAML or JSON whose expanded size, cycles or depth no honest case file has (see :func:`load`).

    The size counts every container and scalar once per place it appears, strings by their length too; a
    container reached again (an alias) adds its whole size again — without walking it again.
    """
    if not isinstance(data, (dict, list)):
        return
    limit = MAX_EXPANSION * text_length + EXPANSION_ALLOWANCE
    sizes: dict[int, int] = {}  # id of a container walked already -> its expanded size
    on_path: set[int] = set()
    total = 0
    stack: list[tuple[Any, Iterator[Any], int]] = [(data, _children(data), 0)]
    on_path.add(id(data))
    while stack:
        node, children, start = stack[-1]
        child = next(children, _END)
        if child is _END:
            stack.pop()
            on_path.discard(id(node))
            sizes[id(node)] = total - start
            continue
        if isinstance(child, (dict, list)):
            known = sizes.get(id(child))
            if known is not None:
                total += known
            elif id(child) in on_path:
                raise _error(source, "ссылка YAML (*имя) указывает на раздел, в котором сама стоит: такие данные "
                                     "бесконечны")
            elif len(stack) >= MAX_DEPTH:
                raise too_deep(source)
            else:
                total += 1
                on_path.add(id(child))
                stack.append((child, _children(child), total - 1))
        else:
            total += 1 + len(child) if isinstance(child, str) else 1
        if total > limit:
            raise _error(source, "ссылки YAML (&имя … *имя) раскрываются в данные, во много раз большие самого файла "
                                 "(так устроены «YAML-бомбы»)",
                         hint="Если файл составлен вами, запишите повторяющиеся значения полностью, без ссылок *имя.")


_END = object()


def _children(node: dict | list) -> Iterator[Any]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield value
    else:
        yield from node


def too_deep(source: object):
    """The error for data nested deeper than :data:`MAX_DEPTH` (also for a JSON parser's ``RecursionError``)."""
    return _error(source, f"данные вложены глубже {MAX_DEPTH} уровней (в файле дела их не больше семи)")


def _error(source: object, what: str, hint: str | None = None):
    from complaint_cli.errors import CaseFileError

    where = f"{source}: " if source is not None else ""
    return CaseFileError(f"{where}{what}. Файл не обработан.", hint=hint)


def error_place(exc: Exception) -> str:
    """Where a YAML (or JSON) text failed to parse, for a Russian message: `` (строка 3, позиция 7)`` or ``""``."""
    mark = getattr(exc, "problem_mark", None)
    if mark is not None:
        return f" (строка {mark.line + 1}, позиция {mark.column + 1})"
    if isinstance(exc, json.JSONDecodeError):
        return f" (строка {exc.lineno}, позиция {exc.colno})"
    return ""


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
        yaml = _yaml()
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        return yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)
    out.append("")
    return "\n".join(out)


class _Unsupported(Exception):
    """A value the small emitter leaves to PyYAML."""


# Plain: starts with a letter or «; then letters, digits, spaces and punctuation that means nothing to YAML in block
# context (no '#', no ': ', no brackets, no leading indicator); no space at either end. A string starting with a
# digit may be a number, a date or a time (YAML 1.1 reads "12:30" as 750): it is quoted.
_PLAIN = re.compile(r"(?:[^\W\d_]|«)(?:[\w «»()\-.,;!?%/+*&=~@№\"'—–…]|:(?=[^\s:]))*(?<! )\Z")
# The words YAML 1.1 reads as booleans or null (PyYAML: yes/no/true/false/on/off/null in three casings; other
# loaders also take y/n): quoted in any casing.
_NOT_STRINGS = frozenset(["y", "n", "yes", "no", "true", "false", "on", "off", "null"])
# Characters YAML must not see raw inside quotes: line breaks, controls, and what its reader rejects (or a BOM).
_NEEDS_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\0": "\\0", "\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n",
            "\v": "\\v", "\f": "\\f", "\r": "\\r", "\x1b": "\\e", "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}


def _string(text: str, indent: int | None = None) -> str:
    """``text`` as a scalar; with ``indent`` (a value, not a key) a multi-line text may become a literal block."""
    if _PLAIN.match(text) and (len(text) > 5 or text.lower() not in _NOT_STRINGS):
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


def data_text(name: str) -> str:
    """The text of a bundled data file (complaint_cli/data/NAME)."""
    return resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")


def bundled(name: str) -> Any:
    """A bundled data file, parsed: from its JSON twin when there is one for the file's current text, else as YAML.

    A fresh object on every call (the modules that read a data file cache what they build from it).
    """
    text = data_text(name)
    twin = resources.files(DATA_PACKAGE).joinpath(COMPILED_DIR).joinpath(twin_name(text))
    try:
        encoded = twin.read_text(encoding="utf-8")
    except OSError:
        return load(text)
    return from_twin(encoded)


def from_twin(encoded: str) -> Any:
    """The data a JSON twin (:func:`to_twin`) holds."""
    return json.loads(encoded, object_hook=_untag)


def twin_name(text: str) -> str:
    """The JSON twin's file name for a data file with this text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32] + ".json"


def to_twin(data: Any) -> str:
    """The JSON twin of parsed YAML data: dates as ``{"$date": ...}``, a mapping with keys JSON cannot hold (or that
    look like these tags) as ``{"$items": [[key, value], ...]}``. :func:`bundled` reads it back equal."""
    return json.dumps(_tag(data), ensure_ascii=False, indent=1, sort_keys=False) + "\n"


_TAGS = ("$date", "$items")


def _tag(value: Any) -> Any:
    if isinstance(value, dict):
        if all(isinstance(k, str) and not k.startswith("$") for k in value):
            return {k: _tag(v) for k, v in value.items()}
        return {"$items": [[_tag(k), _tag(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [_tag(v) for v in value]
    if isinstance(value, dt.datetime):
        raise TypeError(f"no JSON twin for a date with a time: {value!r}")
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise TypeError(f"no JSON twin for {type(value).__name__}: {value!r}")


def _untag(obj: dict) -> Any:
    if len(obj) == 1:
        if "$date" in obj:
            return dt.date.fromisoformat(obj["$date"])
        if "$items" in obj:
            return {key: value for key, value in obj["$items"]}  # keys untagged already: str, int, date...
    return obj
