"""Evidence files: checked to exist, copied next to the documents, named as the claim's Приложения name them.

``evidence[].file`` in a case file is a path relative to the case file's folder (or absolute). Before anything is
rendered every named file is checked (:func:`evidence_files`): a missing one is an :class:`InvalidCase` problem at
``evidence.N.file``, the same shape as every other validation error. The files are then copied into the output
folder's «Приложения» subfolder under safe, unique names (:func:`copy_evidence`), and the case handed to the template
carries those names (:func:`with_attachment_names`), so «Приложения: … (файл фото_1.jpg)» in the letter names exactly
the file that sits in the folder and goes into the e-mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from complaint_cli.errors import InvalidCase, Problem
from complaint_cli.fsutil import atomic_write_bytes, inside, safe_name
from complaint_cli.model import Case

EVIDENCE_FOLDER = "Приложения"
_MAX_STEM = 80  # bytes of UTF-8: Cyrillic names stay readable, the whole path stays far below file-system limits


@dataclass(frozen=True)
class EvidenceFile:
    """One evidence file of a case: where it is, and the name it gets in «Приложения»."""

    index: int
    description: str | None
    source: Path
    name: str

    def as_dict(self) -> dict[str, str | int | None]:
        return {"index": self.index, "description": self.description, "source": str(self.source), "name": self.name}


def attachment_name(filename: str) -> str:
    """A safe file name that keeps the extension: ``«фото заказа».JPG`` → ``фото_заказа.jpg``."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot or not stem or not suffix.isalnum() or len(suffix) > 10:
        stem, suffix = base, ""
    name = safe_name(stem, max_len=_MAX_STEM, fallback="файл")
    return f"{name}.{suffix.lower()}" if suffix else name


def _unique(name: str, used: set[str]) -> str:
    if name.casefold() not in used:
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    n = 2
    while True:
        candidate = f"{stem}_{n}" + (f".{suffix}" if suffix else "")
        if candidate.casefold() not in used:
            return candidate
        n += 1


def evidence_files(case: Case, case_dir: Path) -> list[EvidenceFile]:
    """The case's evidence files resolved against ``case_dir``; raises :class:`InvalidCase` naming every missing one.

    Entries without ``file`` (a paper receipt, a description only) are skipped: they are listed in Приложения by their
    description alone.
    """
    base = Path(case_dir)
    problems: list[Problem] = []
    found: list[EvidenceFile] = []
    used: set[str] = set()
    for i, item in enumerate(case.evidence):
        if not item.file:
            continue
        raw = Path(item.file).expanduser()
        source = raw if raw.is_absolute() else base / raw
        if not source.exists():
            problems.append(
                Problem(
                    f"evidence.{i}.file",
                    f"файл «{item.file}» не найден (путь считается от папки файла дела: {base}). "
                    "Проверьте имя файла или удалите поле file у этого доказательства.",
                )
            )
            continue
        if not source.is_file():
            problems.append(Problem(f"evidence.{i}.file", f"«{item.file}» — не файл (папка или устройство); укажите файл."))
            continue
        name = _unique(attachment_name(source.name), used)
        used.add(name.casefold())
        found.append(EvidenceFile(i, item.description, source.resolve(), name))
    if problems:
        raise InvalidCase(
            problems,
            message="Не найдены файлы доказательств:\n" + "\n".join(f"  • {p.field}: {p.message}" for p in problems),
        )
    return found


def evidence_folder(out_dir: Path) -> Path:
    return Path(out_dir) / EVIDENCE_FOLDER


def copy_evidence(files: list[EvidenceFile], out_dir: Path) -> list[Path]:
    """Copy the files into ``out_dir/Приложения`` (0600, atomically); returns the copies' paths in order.

    A file already there with the same bytes (a re-render, or evidence kept in that folder) is left alone.
    """
    if not files:
        return []
    folder = evidence_folder(out_dir)
    copies: list[Path] = []
    for item in files:
        target = inside(folder, item.name)
        data = item.source.read_bytes()
        if target.exists() and (target.resolve() == item.source or target.read_bytes() == data):
            copies.append(target)
            continue
        copies.append(atomic_write_bytes(target, data))
    return copies


def with_attachment_names(case: Case, files: list[EvidenceFile]) -> Case:
    """A copy of the case whose ``evidence[].file`` are the names in «Приложения» (what the letter prints)."""
    if not files:
        return case
    renamed = case.model_copy(deep=True)
    for item in files:
        renamed.evidence[item.index].file = item.name
    return renamed
