"""The sample cases shipped with the tool: listed, and copied out for the user to fill in (``complaint example``).

A sample used in place (``complaint render …/examples/kuper_late_delivery.yaml``) is only tried: its letters go to
``./complaints`` and it never enters the registry, so ``complaint status`` shows only the user's own cases. A copy
written by :func:`write_example` is the user's case like any other.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from complaint_cli.errors import ComplaintError, OutputExists, UsageError
from complaint_cli.fsutil import atomic_write_bytes
from complaint_cli.paths import examples_dir

TRY_NOTE = ("Это образец из комплекта программы: документы записаны в папку {out}, в реестр дел (complaint status) он "
            "не добавлен. Для своего дела возьмите копию: complaint example {name} --out дело.yaml")


@dataclass(frozen=True)
class Example:
    name: str  # the file name without .yaml («kuper_late_delivery»)
    title: str  # its first comment line
    path: Path

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "title": self.title, "path": str(self.path)}


def examples() -> list[Example]:
    """Every shipped sample, by name."""
    found = []
    for path in sorted(examples_dir().glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        comments = [line.lstrip("# ").strip() for line in lines if line.startswith("#")]
        found.append(Example(path.stem, " ".join(comments[:2]), path))
    return found


def find_example(name: str) -> Example:
    known = examples()
    wanted = name.strip().removesuffix(".yaml")
    for example in known:
        if example.name == wanted:
            return example
    raise UsageError(f"Образца «{name}» нет. Есть: {', '.join(e.name for e in known)}.",
                     hint="Список с описаниями: complaint example")


def write_example(name: str, target: Path, *, force: bool = False) -> list[Path]:
    """Copy a sample case (and the evidence files it names, beside it) to ``target``; returns the files written.

    The copy is the user's: every command treats it as their case. An existing file is kept unless ``force``.
    """
    from complaint_cli import yamlio

    example = find_example(name)
    target = Path(target)
    if target.is_dir():
        target = target / f"{example.name}.yaml"
    if target.suffix.lower() not in (".yaml", ".yml"):
        raise UsageError(f"--out: «{target}» — файл дела должен иметь расширение .yaml.")
    text = example.path.read_text(encoding="utf-8")
    evidence = [e.get("file") for e in (yamlio.load(text) or {}).get("evidence") or [] if isinstance(e, dict)]
    copies = [(example.path.parent / f, target.parent / f) for f in evidence if isinstance(f, str) and f]
    for path in [target, *(dst for _, dst in copies)]:
        if path.exists() and not force:
            raise OutputExists(f"Файл уже существует: {path}. Чтобы перезаписать, добавьте --force.")
    written = [atomic_write_bytes(target, text.encode("utf-8"))]
    for source, dst in copies:
        try:
            written.append(atomic_write_bytes(dst, source.read_bytes()))
        except FileNotFoundError:
            raise ComplaintError(f"В комплекте нет файла образца {source}: переустановите программу.") from None
    return written
