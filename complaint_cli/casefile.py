"""Case files: YAML on disk, versioned, migrated on read, written atomically with mode 0600.

A new case file is written whole (:func:`write_case`). An existing one — often written or edited by hand — is
changed only through :func:`update_case`: one command at a time (a lock per case file), only the keys the command
sets, everything else kept as the user wrote it (comments, key order, number format, quoting).
"""

from __future__ import annotations

import codecs
import copy
import hashlib
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from complaint_cli.errors import Busy, CaseFileError
from complaint_cli.fsutil import PRIVATE, atomic_write_bytes, atomic_write_text
from complaint_cli.model import SCHEMA_VERSION, Case

# One-step migrations: MIGRATIONS[n] turns a version-n document into version n+1.
MIGRATIONS: dict[int, Any] = {}

# How long a command waits for another one that is changing the same case file (an update takes milliseconds).
LOCK_TIMEOUT = 30.0


def read_case_data(path: Path) -> dict[str, Any]:
    """Read a case file into raw data (validation is :mod:`complaint_cli.validation`'s job)."""
    path = Path(path)
    return _parse(_decode(_read(path), path), path)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise CaseFileError(f"Файл дела не найден: {path}") from None
    except IsADirectoryError:
        raise CaseFileError(f"Это папка, а не файл дела: {path}") from None
    except OSError as exc:
        from complaint_cli.errors import shown_path

        raise CaseFileError(f"Не удалось прочитать файл дела {shown_path(path)}: {exc.strerror}") from None


def _decode(raw: bytes, path: Path) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaseFileError(
            f"Файл дела {path} не в кодировке UTF-8. Сохраните его в UTF-8 (в Блокноте: «Сохранить как» → UTF-8)."
        ) from None


def _parse(text: str, path: Path) -> dict[str, Any]:
    from complaint_cli import yamlio

    try:
        data = yamlio.load(text, source=f"Файл дела {path}")
    except yamlio.YAMLError as exc:
        where = yamlio.error_place(exc)
        raise CaseFileError(f"Файл дела {path} не читается как YAML{where}. Проверьте отступы, двоеточия и кавычки "
                            "в этом месте.") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise CaseFileError(f"Файл дела {path} должен содержать разделы claimant, company, order, …, а не список")
    return migrate(data, source=str(path))


def migrate(data: dict[str, Any], *, source: str = "дело") -> dict[str, Any]:
    """Bring a case document to the current schema version; refuse documents from a newer tool."""
    version = data.get("schema_version", 1)
    if not isinstance(version, int) or version < 1:
        raise CaseFileError(f"{source}: неверная версия формата schema_version={version!r}")
    if version > SCHEMA_VERSION:
        raise CaseFileError(
            f"{source}: файл создан более новой версией программы (формат {version}, поддерживается до "
            f"{SCHEMA_VERSION}). Обновите complaint_cli."
        )
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
        data["schema_version"] = version
    return data


def dump_case(case: Case) -> str:
    """The text of the case file (YAML, ``schema_version`` first)."""
    return dump_data(case.to_data())


def dump_data(data: dict) -> str:
    """:func:`dump_case` of the case whose :meth:`~complaint_cli.model.Case.to_data` is ``data`` (left unchanged)."""
    from complaint_cli import yamlio

    ordered = {"schema_version": SCHEMA_VERSION, **{k: v for k, v in data.items() if k != "schema_version"}}
    return yamlio.dump(ordered)


def write_case(path: Path, case: Case) -> Path:
    """Save a new case file atomically (mode 0600: it holds personal data). An existing one: :func:`update_case`."""
    return atomic_write_text(Path(path), dump_case(case))


# --------------------------------------------------------------------------- changing an existing case file


def update_case(path: Path, changes: Mapping[str, Any], *, validate: Callable[[dict[str, Any]], Case]) -> Case:
    """Set ``changes`` in the case file at ``path`` and change nothing else in it; returns the case it now holds.

    ``changes`` maps dotted keys (``submission.sent_on``) to new values (strings: dates in ISO form); a missing
    section is added. Under the case file's lock (:func:`case_lock`) the file is read afresh, so what another
    command wrote meanwhile is kept; ``validate`` — :func:`complaint_cli.validation.validate_data` plus the
    command's own checks, raising on errors — turns the changed data into the case before anything is written; the
    new text keeps the user's comments, key order, number format and quoting (:func:`_edited_text`) and replaces
    the file atomically.
    """
    path = Path(path)
    with case_lock(path):
        raw = _read(path)
        text = _decode(raw, path)
        data = _parse(text, path)
        for key, value in changes.items():
            _set(data, key, value, dict)
        case = validate(copy.deepcopy(data))
        new_text = _edited_text(text, changes, data, path)
        bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
        atomic_write_bytes(path, bom + new_text.encode("utf-8"))
    return case


def lock_path(case_file: Path) -> Path:
    """The lock file of a case file: in the tool's own folder, named by a hash of the case file's absolute path.

    Not beside the case file: a lock file stays after the command (deleting it while another command may be waiting
    on it would let two in at once), and the user's folder should hold only the user's files. It is empty, and its
    name gives nothing away without the path; ``forget`` should still remove it with the case.
    """
    from complaint_cli.paths import locks_dir

    case_file = Path(case_file)
    where = os.path.join(os.path.realpath(case_file.parent), case_file.name)
    return locks_dir() / (hashlib.sha256(os.fsencode(where)).hexdigest()[:32] + ".lock")


_held = threading.local()  # the lock files this thread holds


@contextmanager
def case_lock(case_file: Path) -> Iterator[None]:
    """Hold the case file's lock: its read-modify-write (and a command's registry update after it) is not
    interleaved with another command's. Another process waits up to :data:`LOCK_TIMEOUT`, then gets :class:`Busy`.

    Re-entrant within a thread: a command holding the lock calls :func:`update_case`, which takes it too.
    """
    target = lock_path(case_file)
    held: set[Path] = _held.__dict__.setdefault("locks", set())
    if target in held:
        yield
        return
    from filelock import FileLock, Timeout

    from complaint_cli.fsutil import make_dirs

    lock = FileLock(target, timeout=LOCK_TIMEOUT, mode=PRIVATE)
    try:
        make_dirs(target.parent)
        lock.acquire()
    except Timeout:
        raise Busy(f"Файл дела {case_file} сейчас изменяет другая команда complaint, она не закончила за "
                   f"{LOCK_TIMEOUT:.0f} с. Повторите команду, когда та завершится.") from None
    except OSError as exc:
        raise CaseFileError(f"Не удалось заблокировать файл дела {case_file} для изменения: {exc.strerror} "
                            f"(файл блокировки {target}).") from None
    held.add(target)
    try:
        yield
    finally:
        held.discard(target)
        lock.release()


def _set(data: dict, dotted: str, value: Any, new_mapping: Callable[[], dict]) -> None:
    """Set ``data[a][b] = value`` for ``dotted`` = ``a.b``; a missing or non-mapping section becomes a new mapping."""
    *sections, key = dotted.split(".")
    for name in sections:
        section = data.get(name)
        if not isinstance(section, dict):
            section = data[name] = new_mapping()
        data = section
    data[key] = value


def _edited_text(text: str, changes: Mapping[str, Any], expected: dict[str, Any], path: Path) -> str:
    """The case file's text with ``changes`` made and every other line as it was.

    ruamel.yaml's round trip keeps comments, key order and each scalar as written, but re-indents the file in one
    style and respells a few things (``True``, ``~``, extra spaces after a colon); so its output is laid over the
    user's text only where the changes are (:func:`_splice`), and the whole round trip is used only when that is
    not possible. A candidate is accepted only when it reads back as exactly the old data with the changes.
    """
    crlf = "\r\n" in text  # Notepad's line ends are kept
    body = text.replace("\r\n", "\n")
    if body and not body.endswith("\n"):
        body += "\n"
    for candidate in _round_trip(body, changes):
        try:
            same = _parse(candidate, path) == expected
        except CaseFileError:
            same = False
        if same:
            return candidate.replace("\n", "\r\n") if crlf else candidate
    lines = "\n".join(f"  {key}: {value}" for key, value in changes.items())
    raise CaseFileError(
        f"Не удалось изменить файл дела {path}, сохранив его оформление; файл не изменён. Впишите в него вручную:\n"
        f"{lines}"
    )


def _round_trip(body: str, changes: Mapping[str, Any]) -> Iterator[str]:
    """Texts of the document with ``changes`` made: the user's text with only the changed lines, then ruamel's."""
    from ruamel.yaml import YAML, YAMLError
    from ruamel.yaml.comments import CommentedMap

    yaml = YAML()  # round-trip mode: comments, order and the spelling of scalars are kept
    yaml.preserve_quotes = True
    yaml.allow_duplicate_keys = True  # as PyYAML, which reads the case (it keeps the last; the splice keeps both)
    yaml.width = 1 << 16  # never fold a long line the user kept on one
    try:
        doc = yaml.load(body)
        if doc is None:
            doc = CommentedMap()
        if not isinstance(doc, CommentedMap):
            return
        yaml.indent(**_indentation(doc))
        before = _dump(yaml, doc)
        for key, value in changes.items():
            _set(doc, key, _spelt(value), CommentedMap)
        after = _dump(yaml, doc)
    except YAMLError:
        return
    spliced = _splice(body, before, after)
    if spliced is not None:
        yield spliced
    yield after


def _spelt(value: Any) -> Any:
    """A new value quoted as the tool's own emitter quotes it (yamlio.dump): ruamel follows YAML 1.2 and would leave
    ``12:30`` or ``yes`` plain, which PyYAML (YAML 1.1, what reads case files) takes for a number or a boolean."""
    if not isinstance(value, str):
        return value
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, SingleQuotedScalarString

    from complaint_cli import yamlio

    spelt = yamlio.dump({"k": value})[len("k: "):]
    if spelt.startswith("'"):
        return SingleQuotedScalarString(value)
    if spelt.startswith('"'):
        return DoubleQuotedScalarString(value)
    return value


def _dump(yaml: Any, doc: Any) -> str:
    import io

    out = io.StringIO()
    yaml.dump(doc, out)
    return out.getvalue()


def _indentation(doc: Any) -> dict[str, int]:
    """The file's own indentation for ruamel (which writes one style for the whole file): of the first nested block
    mapping and the first block sequence, measured from their parent key."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    found: dict[str, int] = {}

    def walk(node: Any) -> None:
        if isinstance(node, CommentedSeq):
            for item in node:
                walk(item)
        if not isinstance(node, CommentedMap):
            return
        for key, child in node.items():
            if isinstance(child, (CommentedMap, CommentedSeq)) and child and not child.fa.flow_style():
                column = node.lc.key(key)[1]
                if isinstance(child, CommentedMap) and "mapping" not in found:
                    found["mapping"] = child.lc.key(next(iter(child)))[1] - column
                elif isinstance(child, CommentedSeq) and "sequence" not in found:
                    found["offset"] = child.lc.col - column
                    found["sequence"] = child.lc.item(0)[1] - column
            walk(child)

    walk(doc)
    if found.get("mapping", 2) < 1:
        del found["mapping"]
    if "sequence" in found and not 0 <= found["offset"] <= found["sequence"] - 2:
        del found["sequence"], found["offset"]
    return found


def _splice(original: str, before: str, after: str) -> str | None:
    """``original`` with the lines that differ between ``before`` and ``after`` (ruamel's text of the document
    without and with the changes) replaced; None when a change falls on a line ruamel wrote differently from the
    user, so that its place in ``original`` is not certain.

    A new key is put above comment lines indented less than itself: they introduce the next section (ruamel
    attaches them to the last value before it).
    """
    from difflib import SequenceMatcher

    orig, old, new = (_lines(s) for s in (original, before, after))
    kept = [(o1, b1, b2) for tag, o1, _o2, b1, b2 in SequenceMatcher(None, orig, old, autojunk=False).get_opcodes()
            if tag == "equal"]
    out: list[str] = []
    done = 0
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        start = next((o1 + i1 - b1 for o1, b1, b2 in kept if b1 <= i1 and i2 <= b2), None)
        if start is None or start < done:
            return None
        end = start + i2 - i1
        if tag == "insert":
            indent = _indent(new[j1])
            while start > done and _comment_or_blank(orig[start - 1]) and _indent(orig[start - 1]) < indent:
                start -= 1
            end = start
        out += orig[done:start] + new[j1:j2]
        done = end
    return "".join(out + orig[done:])


def _lines(text: str) -> list[str]:
    r"""The lines of ``text`` with their ends; only ``\n`` ends a line (str.splitlines also splits at \x0c, \u2028…)."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _comment_or_blank(line: str) -> bool:
    return line.strip() == "" or line.lstrip().startswith("#")
