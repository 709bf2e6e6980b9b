"""Case files: YAML on disk, versioned, migrated on read, written atomically with mode 0600."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from complaint_cli.errors import CaseFileError
from complaint_cli.fsutil import atomic_write_text
from complaint_cli.model import SCHEMA_VERSION, Case

# One-step migrations: MIGRATIONS[n] turns a version-n document into version n+1.
MIGRATIONS: dict[int, Any] = {}


def read_case_data(path: Path) -> dict[str, Any]:
    """Read a case file into raw data (validation is :mod:`complaint_cli.validation`'s job)."""
    from complaint_cli import yamlio

    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CaseFileError(f"Файл дела не найден: {path}") from None
    except IsADirectoryError:
        raise CaseFileError(f"Это папка, а не файл дела: {path}") from None
    except OSError as exc:
        raise CaseFileError(f"Не удалось прочитать файл дела {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CaseFileError(
            f"Файл дела {path} не в кодировке UTF-8. Сохраните его в UTF-8 (в Блокноте: «Сохранить как» → UTF-8)."
        ) from None
    try:
        data = yamlio.load(text)
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
    """Save a case file atomically (mode 0600: it holds personal data)."""
    return atomic_write_text(Path(path), dump_case(case))
