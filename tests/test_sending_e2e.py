"""End to end, as a user would go: wizard answers → claim → PDF → e-mail draft → sent → calendar reminder,
all in a temporary COMPLAINT_CLI_HOME (conftest)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from email import policy
from email.parser import BytesParser
from pathlib import Path

import icalendar
from typer.testing import CliRunner

from complaint_cli.cli import app
from tests.conftest import write_yaml

runner = CliRunner()
RECEIPT = b"%PDF-1.4 fake receipt \x00\x01\x02"


def run(*args) -> dict | None:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if "--json" in args else None


def test_from_wizard_answers_to_a_sent_claim_with_proof_and_a_reminder(tmp_path, late_case, isolated_home):
    evidence = tmp_path / "скачанное" / "Чек заказа.pdf"
    evidence.parent.mkdir()
    evidence.write_bytes(RECEIPT)
    late_case["company"]["email"] = "pretenzii@kuper.example"
    late_case["evidence"][0]["file"] = str(evidence)
    late_case["submission"] = {"channel": "email"}
    answers = write_yaml(tmp_path / "answers.yaml", late_case)
    out = tmp_path / "complaints"

    # 1. The wizard without questions writes the case file and the claim.
    run("new", "--answers", answers, "--no-input", "--out", out)
    case = out / "дело_R-84512376.yaml"
    assert case.is_file()

    # 2. The claim as .docx and PDF, the evidence copied into «Приложения».
    rendered = run("render", case, "--format", "both", "--force", "--json")
    paths = [Path(d["path"]) for d in rendered["documents"]]
    assert [p.suffix for p in paths] == [".docx", ".pdf"]
    pdf_text = subprocess.run(["pdftotext", str(paths[1]), "-"], capture_output=True, check=True).stdout.decode()
    pdf_text = " ".join(pdf_text.split())
    assert "ПРЕТЕНЗИЯ" in pdf_text and "Кузнецовой Ольги Андреевны" in pdf_text
    assert "(файл Чек_заказа.pdf)" in pdf_text
    assert (out / "Приложения" / "Чек_заказа.pdf").read_bytes() == RECEIPT

    # 3. The e-mail draft carries both documents and the evidence, byte for byte.
    draft = run("email", case, "--json")
    message = BytesParser(policy=policy.default).parsebytes(Path(draft["path"]).read_bytes())
    assert message["Subject"] == "Претензия по заказу № R-84512376"
    got = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert got == {p.name: p.read_bytes() for p in paths} | {"Чек_заказа.pdf": RECEIPT}
    assert draft["mailto"].startswith("mailto:pretenzii@kuper.example?subject=")

    # 4. The user sends it and records the proof (the ticket number from the company's auto-reply, not the subject);
    # the company's receipt date is known.
    run("sent", case, "--on", "03.11.2026", "--reference", "Обращение № 5512-A")
    run("received", case, "--on", "03.11.2026")

    # 5. The reminder lands on the statutory last day, not an estimate.
    reminded = run("remind", case, "--json")
    assert [(e["kind"], e["date"], e["preliminary"]) for e in reminded["events"]] == [("claim", "2026-11-13", False)]
    [event] = icalendar.Calendar.from_ical(Path(reminded["path"]).read_bytes()).walk("VEVENT")
    assert event.decoded("DTSTART") == dt.date(2026, 11, 13)

    # Everything the program keeps lives in the temporary home; nothing leaked elsewhere.
    assert Path(os.environ["COMPLAINT_CLI_HOME"]) == isolated_home
    assert (isolated_home / "registry.sqlite3").is_file()
