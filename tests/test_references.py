"""Issue 16 item 5: ``sent --reference`` takes a ticket or tracking number in the shape its channel gives, and the
letters print it sensibly (never an e-mail's subject as «обращение № …»)."""

from __future__ import annotations

import shutil

import pytest
import yaml
from typer.testing import CliRunner

from complaint_cli.cli import app
from complaint_cli.escalation import how_sent, proof_of_sending
from complaint_cli.errors import UsageError
from complaint_cli.tracking import normalize_reference
from complaint_cli.validation import validate_data
from tests.conftest import EXAMPLES, TODAY

runner = CliRunner()


@pytest.mark.parametrize(("channel", "typed", "kept"), [
    ("app", "88112345", "88112345"),
    ("app", "№ 88112345", "88112345"),
    ("site", "#A-1024", "A-1024"),
    ("email", "Обращение № 5512", "5512"),
    ("phone", "тикет 88112", "88112"),
    ("office", "ВХ-1024 от 20.11", "ВХ-1024 от 20.11"),
    ("post", "8010 2345 6789 01", "80102345678901"),
])
def test_a_reference_of_the_right_shape_is_kept(channel, typed, kept):
    assert normalize_reference(typed, channel) == kept


@pytest.mark.parametrize(("channel", "typed"), [
    ("email", "Претензия по заказу"),  # an e-mail's subject: no number in it
    ("email", "Претензия по заказу № H12345678 от 02.11.2026 о нарушении сроков"),  # a sentence
    ("app", "тикет"),
    ("post", "123"),
])
def test_a_subject_or_a_sentence_is_refused_with_what_the_channel_gives(channel, typed):
    with pytest.raises(UsageError) as caught:
        normalize_reference(typed, channel)
    assert "--reference" in caught.value.message


def test_the_guide_no_longer_suggests_the_subject_as_the_reference(tmp_path):
    data = yaml.safe_load((EXAMPLES / "kuper_late_delivery.yaml").read_text(encoding="utf-8"))
    data["submission"] = {"channel": "email"}
    data["company"]["email"] = "claims@example.ru"
    path = tmp_path / "дело.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["guide", str(path)])
    assert "тема письма или" not in result.stdout
    assert "номер обращения из ответа компании" in result.stdout
    refused = runner.invoke(app, ["sent", str(path), "--on", "20.11.2026", "--reference", "Претензия по заказу"])
    assert refused.exit_code == 2 and "Тему письма" in refused.stderr.replace("\n", " ")


def test_a_subject_already_in_a_case_file_is_printed_as_a_subject_not_a_number(late_case):
    late_case["submission"] = {"channel": "email", "sent_on": "2026-11-20",
                               "reference": "Претензия по заказу № H12345678"}
    case = validate_data(late_case, today=TODAY).raise_for_errors()
    assert "письмо с темой «Претензия по заказу № H12345678»" in how_sent(case)
    assert "обращение: Претензия" not in how_sent(case) and "№ Претензия" not in proof_of_sending(case)
    late_case["submission"]["reference"] = "5512"
    case = validate_data(late_case, today=TODAY).raise_for_errors()
    assert "обращение № 5512" in how_sent(case)
