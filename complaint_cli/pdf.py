"""PDF copies of rendered documents through LibreOffice in headless mode.

LibreOffice is an optional system program, not a Python dependency: when it is missing, the .docx is still written and
the user gets a Russian warning with the install command. Each call:

* uses its own throw-away user profile (``-env:UserInstallation=file://<tmpdir>``): two ``soffice`` processes that
  share a profile block each other or exit silently without converting, so parallel runs (batch jobs, tests) must never
  share one;
* converts every document in ONE ``soffice`` run (starting LibreOffice costs far more than converting a page) into a
  private temporary folder, then moves each PDF next to its .docx atomically
  (:func:`complaint_cli.fsutil.atomic_write_bytes`, mode 0600 like every document);
* is bounded by a timeout, after which the whole process group is killed.

Usable from Python::

    pdfs, warnings = convert_to_pdf([Path("Претензия_заказ_1.docx")])
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from complaint_cli.fsutil import atomic_write_bytes

INSTALL_COMMAND = "sudo apt-get install libreoffice-writer-nogui fonts-liberation"
EXECUTABLES = ("soffice", "libreoffice")
# Where the macOS and Windows installers put the program when it is not on PATH.
KNOWN_LOCATIONS = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)
# Seconds: LibreOffice's first start with a fresh profile takes a few seconds, each page well under one.
BASE_TIMEOUT = 90.0
PER_FILE_TIMEOUT = 10.0

MISSING_MESSAGE = (
    "PDF не создан: не найден LibreOffice (программа soffice), через который программа делает PDF. "
    f"Документы Word (.docx) записаны. Установите LibreOffice командой: {INSTALL_COMMAND} "
    "(в Windows и macOS — установщик с libreoffice.org) и повторите команду с --format pdf или both."
)


def find_soffice() -> str | None:
    """The LibreOffice executable: ``soffice`` or ``libreoffice`` on PATH, else a known install location."""
    for name in EXECUTABLES:
        found = shutil.which(name)
        if found:
            return found
    for location in KNOWN_LOCATIONS:
        if os.path.isfile(location) and os.access(location, os.X_OK):
            return location
    return None


def pdf_path_for(docx: Path) -> Path:
    """Where the PDF of a document goes: next to it, same name, ``.pdf``."""
    return Path(docx).with_suffix(".pdf")


def convert_to_pdf(docx_paths: list[Path], *, timeout: float | None = None) -> tuple[list[Path], list[str]]:
    """Convert .docx files to PDF next to them; returns (the PDFs written, in input order; Russian warnings).

    Never raises for a missing LibreOffice, a timeout or a failed file: those are warnings, because the .docx the user
    needs is already written. An existing PDF of the same name is replaced (it belongs to the .docx just rendered).
    """
    paths = [Path(p).resolve() for p in dict.fromkeys(docx_paths)]
    if not paths:
        return [], []
    missing = [p for p in paths if not p.is_file()]
    warnings = [f"PDF не создан: нет файла {p}." for p in missing]
    paths = [p for p in paths if p.is_file()]
    if not paths:
        return [], warnings
    soffice = find_soffice()
    if soffice is None:
        return [], warnings + [MISSING_MESSAGE]
    done: dict[Path, Path] = {}
    for group in _unique_stem_groups(paths):
        pdfs, group_warnings = _convert_group(soffice, group, timeout)
        done.update(pdfs)
        warnings.extend(group_warnings)
    return [done[p] for p in paths if p in done], warnings


def _unique_stem_groups(paths: list[Path]) -> list[list[Path]]:
    """Split the files so that no two in one group share a name: one soffice run writes into one folder."""
    groups: list[list[Path]] = []
    for path in paths:
        for group in groups:
            if all(other.stem != path.stem for other in group):
                group.append(path)
                break
        else:
            groups.append([path])
    return groups


def _convert_group(soffice: str, paths: list[Path], timeout: float | None) -> tuple[dict[Path, Path], list[str]]:
    limit = timeout if timeout is not None else BASE_TIMEOUT + PER_FILE_TIMEOUT * len(paths)
    with tempfile.TemporaryDirectory(prefix="complaint-pdf-") as tmp:
        profile = Path(tmp) / "profile"
        outdir = Path(tmp) / "out"
        outdir.mkdir()
        command = [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *[str(p) for p in paths],
        ]
        try:
            _run(command, limit)
        except subprocess.TimeoutExpired:
            return {}, [
                f"PDF не создан: LibreOffice не уложился в {int(limit)} секунд. Документы Word (.docx) записаны; "
                "повторите команду позже или откройте .docx и сохраните его как PDF вручную."
            ]
        except OSError as exc:
            return {}, [f"PDF не создан: LibreOffice ({soffice}) не запускается: {exc.strerror or exc}."]
        written: dict[Path, Path] = {}
        warnings: list[str] = []
        for docx in paths:
            produced = outdir / f"{docx.stem}.pdf"
            if not produced.is_file() or produced.stat().st_size == 0:
                warnings.append(
                    f"PDF не создан для {docx.name}: LibreOffice не смог преобразовать файл. Откройте .docx и "
                    "сохраните его как PDF вручную."
                )
                continue
            written[docx] = atomic_write_bytes(pdf_path_for(docx), produced.read_bytes())
        return written, warnings


def _run(command: list[str], timeout: float) -> None:
    """Run soffice in its own process group so a timeout kills soffice.bin and its helpers too."""
    kwargs: dict = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    if sys.platform != "win32":
        kwargs["start_new_session"] = True
    proc = subprocess.Popen(command, **kwargs)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise


def _kill(proc: subprocess.Popen) -> None:
    try:
        if sys.platform != "win32":
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover
            proc.kill()
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


FORMATS = ("docx", "pdf", "both")


def apply_format(docx_paths: list[Path], fmt: str) -> tuple[dict[Path, Path], list[str]]:
    """Make PDFs of rendered documents as ``--format`` asks: ``{docx: pdf}`` for those converted, and warnings.

    "both" keeps the .docx beside its PDF; "pdf" removes a .docx once its PDF exists (never before, so a missing
    LibreOffice leaves the user with the .docx). "docx" does nothing.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    docx = [Path(p) for p in docx_paths if Path(p).suffix.lower() == ".docx"]
    if fmt == "docx" or not docx:
        return {}, []
    pdfs, warnings = convert_to_pdf(docx)
    made = {pdf_path_for(d.resolve()): d for d in docx}
    converted = {made[p]: p for p in pdfs if p in made}
    if fmt == "pdf":
        for source in converted:
            source.unlink(missing_ok=True)
    return converted, warnings
