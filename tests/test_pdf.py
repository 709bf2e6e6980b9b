"""PDF through LibreOffice: text read back with pdftotext, one soffice run for many files, private profiles,
a clear warning (and the .docx kept) when LibreOffice is missing, a timeout that kills soffice."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import stat
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from typer.testing import CliRunner

from complaint_cli import pdf
from complaint_cli.cli import app
from complaint_cli.documents import render_claim
from complaint_cli.validation import build_case
from tests.conftest import EXAMPLES, write_yaml

runner = CliRunner()
ON = dt.date(2026, 11, 25)


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def render(case_data: dict, folder: Path) -> Path:
    case, problems, _ = build_case(case_data)
    assert problems == []
    return render_claim(case, out_dir=folder, on=ON).path


@pytest.fixture
def no_libreoffice(tmp_path, monkeypatch):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(pdf, "KNOWN_LOCATIONS", ())


def fake_soffice(folder: Path, script: str, monkeypatch) -> None:
    """Put a fake ``soffice`` first on PATH (a shell script) to simulate a hanging or failing LibreOffice."""
    folder.mkdir(exist_ok=True)
    exe = folder / "soffice"
    exe.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")


def test_the_claim_converts_to_a_pdf_next_to_it_whose_text_is_the_claim(tmp_path, late_case):
    docx = render(late_case, tmp_path)
    pdfs, warnings = pdf.convert_to_pdf([docx])
    assert warnings == []
    assert pdfs == [docx.with_suffix(".pdf")]
    text = pdf_text(pdfs[0])
    assert "ПРЕТЕНЗИЯ" in text
    assert "от Кузнецовой Ольги Андреевны" in text
    assert "R-84512376" in text
    assert "4 870 руб. 00 коп." in text
    assert pdfs[0].stat().st_mode & 0o777 == 0o600


def test_many_documents_are_converted_in_one_libreoffice_run_with_a_private_profile(tmp_path, late_case, missing_case, monkeypatch):
    docs = [render(late_case, tmp_path / "a"), render(missing_case, tmp_path / "b")]
    calls: list[list[str]] = []
    real_run = pdf._run

    def spy(command, timeout):
        calls.append(command)
        return real_run(command, timeout)

    monkeypatch.setattr(pdf, "_run", spy)
    pdfs, warnings = pdf.convert_to_pdf(docs)
    assert warnings == []
    assert pdfs == [d.with_suffix(".pdf") for d in docs]
    assert len(calls) == 1
    profile = next(arg for arg in calls[0] if arg.startswith("-env:UserInstallation="))
    assert profile.startswith("-env:UserInstallation=file:///")
    profile_dir = Path(profile.split("file://", 1)[1])
    assert not profile_dir.exists(), "the private profile is removed after the run"
    assert "ПРЕТЕНЗИЯ" in pdf_text(pdfs[1])


def test_documents_with_the_same_name_in_different_folders_do_not_overwrite_each_other(tmp_path, late_case, missing_case):
    first = render(late_case, tmp_path / "a")
    second = tmp_path / "b" / first.name
    second.parent.mkdir()
    shutil.copy(render(missing_case, tmp_path / "c"), second)
    pdfs, warnings = pdf.convert_to_pdf([first, second])
    assert warnings == []
    assert pdfs == [first.with_suffix(".pdf"), second.with_suffix(".pdf")]
    assert "R-84512376" in pdf_text(pdfs[0])
    assert "R-84512376" not in pdf_text(pdfs[1])


def test_parallel_conversions_do_not_collide(tmp_path, late_case):
    docs = [render(late_case, tmp_path / f"run{i}") for i in range(3)]
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda d: pdf.convert_to_pdf([d]), docs))
    for doc, (pdfs, warnings) in zip(docs, results):
        assert warnings == []
        assert pdfs == [doc.with_suffix(".pdf")]
        assert "ПРЕТЕНЗИЯ" in pdf_text(pdfs[0])


def test_missing_libreoffice_is_a_warning_with_the_install_command(tmp_path, late_case, no_libreoffice):
    docx = render(late_case, tmp_path)
    pdfs, warnings = pdf.convert_to_pdf([docx])
    assert pdfs == []
    assert len(warnings) == 1
    assert "не найден LibreOffice" in warnings[0]
    assert "sudo apt-get install libreoffice-writer-nogui fonts-liberation" in warnings[0]
    assert docx.is_file()


def test_a_hanging_libreoffice_is_killed_after_the_timeout(tmp_path, late_case, monkeypatch):
    docx = render(late_case, tmp_path)
    fake_soffice(tmp_path / "bin", "sleep 60", monkeypatch)
    started = time.monotonic()
    pdfs, warnings = pdf.convert_to_pdf([docx], timeout=1)
    assert time.monotonic() - started < 15
    assert pdfs == []
    assert "не уложился в 1 секунд" in warnings[0]


def test_a_file_libreoffice_could_not_convert_is_named_in_a_warning(tmp_path, late_case, monkeypatch):
    docx = render(late_case, tmp_path)
    fake_soffice(tmp_path / "bin", "exit 0", monkeypatch)
    pdfs, warnings = pdf.convert_to_pdf([docx])
    assert pdfs == []
    assert warnings == [
        f"PDF не создан для {docx.name}: LibreOffice не смог преобразовать файл. Откройте .docx и сохраните его "
        "как PDF вручную."
    ]


def test_nothing_to_convert_runs_nothing():
    assert pdf.convert_to_pdf([]) == ([], [])


def test_render_format_both_lists_the_pdf_as_a_second_claim_document(tmp_path):
    result = runner.invoke(app, ["render", str(EXAMPLES / "kuper_missing_items.yaml"), "--out", str(tmp_path),
                                 "--format", "both", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    docx = (tmp_path / "Претензия_заказ_12345_2026.docx").resolve()
    assert doc["documents"] == [
        {"kind": "claim", "path": str(docx)},
        {"kind": "claim", "path": str(docx.with_suffix(".pdf"))},
    ]
    assert "ПРЕТЕНЗИЯ" in pdf_text(docx.with_suffix(".pdf"))


def test_render_format_pdf_keeps_only_the_pdf_and_refuses_to_overwrite_it(tmp_path):
    args = ["render", str(EXAMPLES / "kuper_missing_items.yaml"), "--out", str(tmp_path), "--format", "pdf", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    paths = [Path(d["path"]) for d in json.loads(result.stdout)["documents"]]
    assert [p.suffix for p in paths] == [".pdf"]
    assert sorted(p.name for p in tmp_path.glob("Претензия*")) == ["Претензия_заказ_12345_2026.pdf"]
    again = runner.invoke(app, args)
    assert again.exit_code == 1
    assert "--force" in again.stderr
    assert runner.invoke(app, [*args, "--force"]).exit_code == 0


def test_render_as_pdf_without_libreoffice_still_writes_the_docx_and_says_how_to_install(tmp_path, no_libreoffice):
    result = runner.invoke(app, ["render", str(EXAMPLES / "kuper_missing_items.yaml"), "--out", str(tmp_path),
                                 "--format", "pdf", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [Path(d["path"]).suffix for d in doc["documents"]] == [".docx"]
    assert any("sudo apt-get install libreoffice-writer-nogui fonts-liberation" in w for w in doc["warnings"])
    human = runner.invoke(app, ["render", str(EXAMPLES / "kuper_missing_items.yaml"), "--out", str(tmp_path / "h"),
                                "--format", "both"])
    assert human.exit_code == 0
    assert "Предупреждение: PDF не создан: не найден LibreOffice" in human.stderr


def test_render_rejects_an_unknown_format_as_a_usage_error(tmp_path, late_case):
    path = write_yaml(tmp_path / "case.yaml", late_case)
    result = runner.invoke(app, ["render", str(path), "--format", "odt"])
    assert result.exit_code == 2
    assert "--format: неизвестный формат «odt»; допустимо: docx, pdf, both." in result.stderr
    assert not list(tmp_path.glob("*.docx"))
