"""--format docx|pdf|both on escalate and batch (render's own is in tests/test_pdf.py); PDFs read back with pdftotext."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from complaint_cli.cli import app
from tests.conftest import write_yaml

runner = CliRunner()


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_escalate_both_writes_pdf_beside_each_letter(tmp_path, missing_case):
    missing_case["evidence"] = [{"description": "Кассовый чек"}]
    case = write_yaml(tmp_path / "case.yaml", missing_case)
    result = runner.invoke(app, ["escalate", str(case), "--only", "inaction,rospotrebnadzor", "--format", "both",
                                 "--out", str(tmp_path / "out"), "--json"])
    assert result.exit_code == 0, result.output
    docs = json.loads(result.stdout)["documents"]
    assert sorted(Path(d["path"]).suffix for d in docs) == [".docx", ".docx", ".pdf", ".pdf"]
    pdf = next(Path(d["path"]) for d in docs if d["kind"] == "inaction" and d["path"].endswith(".pdf"))
    assert "ПОВТОРНАЯ ПРЕТЕНЗИЯ" in pdf_text(pdf)


def test_escalate_pdf_keeps_only_pdfs(tmp_path, missing_case):
    missing_case["evidence"] = [{"description": "Кассовый чек"}]
    case = write_yaml(tmp_path / "case.yaml", missing_case)
    result = runner.invoke(app, ["escalate", str(case), "--only", "rospotrebnadzor", "--format", "pdf",
                                 "--out", str(tmp_path / "out"), "--json"])
    assert result.exit_code == 0, result.output
    docs = json.loads(result.stdout)["documents"]
    assert [Path(d["path"]).suffix for d in docs] == [".pdf"]
    assert not list((tmp_path / "out").glob("*.docx"))
    assert "Роспотребнадзор" in pdf_text(Path(docs[0]["path"])).replace("\n", " ")


def test_batch_both_lists_docx_and_pdf_for_each_row(tmp_path, late_case):
    from complaint_cli.tabular import template_columns

    columns = template_columns()
    table = tmp_path / "дела.csv"
    with open(table, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["claimant.full_name", "claimant.address", "claimant.region", "claimant.phone",
                         "claimant.email", "company.name", "company.address", "order.number", "order.date",
                         "order.amount", "problem.kind", "problem.description", "demands.0.kind",
                         "demands.0.amount", "submission.channel"])
        for i in range(2):
            writer.writerow([f"Петров{'а' if i else ''} {'Анна' if i else 'Пётр'} {'Ивановна' if i else 'Иванович'}",
                             "г. Москва, ул. Тверская, д. 1", "Москва", "+79161234567", "p@example.ru",
                             "ООО «Инстамарт Сервис»", "г. Москва, ул. Садовническая, д. 9А", f"Z-{i}", "01.11.2026",
                             "1000,00", "expired_goods", "Просроченный творог в заказе.", "refund", "100,00", "app"])
    assert columns  # the template knows every column used above
    result = runner.invoke(app, ["batch", str(table), "--out", str(tmp_path / "out"), "--format", "both",
                                 "--jobs", "1", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    suffixes = sorted(Path(d["path"]).suffix for d in doc["documents"])
    assert suffixes == [".docx", ".docx", ".pdf", ".pdf"]
    pdfs = [Path(d["path"]) for d in doc["documents"] if d["path"].endswith(".pdf")]
    assert any("Петровой Анны Ивановны" in pdf_text(p) for p in pdfs)
