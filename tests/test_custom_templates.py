"""Advocates' own templates: export, check, render with --templates, and the sandbox."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from complaint_cli.cli import app
from complaint_cli.claim import claim_context
from complaint_cli.errors import TemplateError
from complaint_cli.render import CompiledTemplate
from complaint_cli.validation import validate_data
from tests.conftest import EXAMPLES, ROOT, TODAY, load_example

sys.path.insert(0, str(ROOT / "scripts"))
from docxbuild import build_docx  # noqa: E402

runner = CliRunner()


def make_template(path: Path, *paragraphs: str) -> Path:
    path.write_bytes(build_docx([("Normal", p) for p in paragraphs], title="test"))
    return path


def context():
    return claim_context(validate_data(load_example("kuper_not_delivered.yaml"), today=TODAY).case, on=TODAY)


@pytest.mark.parametrize("expression", [
    "{{ ''.__class__.__mro__ }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ claimant.__class__ }}",
    "{{ (1).__class__.__base__.__subclasses__() }}",
])
def test_sandbox_escapes_are_refused_with_a_clear_error(tmp_path, expression):
    template = CompiledTemplate(make_template(tmp_path / "evil.docx", expression))
    with pytest.raises(TemplateError, match="песочниц|неизвестную переменную"):
        template.render(context())


def test_missing_variable_is_an_error_naming_it_and_the_template(tmp_path):
    template = CompiledTemplate(make_template(tmp_path / "mine.docx", "{{ claimant.passport_number }}"))
    with pytest.raises(TemplateError) as err:
        template.render(context())
    assert "mine.docx" in err.value.message and "passport_number" in err.value.message


def test_export_check_and_render_with_own_templates(tmp_path):
    folder = tmp_path / "tpl"
    result = runner.invoke(app, ["templates", "export", str(folder)])
    assert result.exit_code == 0
    assert (folder / "claim.docx").is_file()
    assert runner.invoke(app, ["templates", "check", str(folder / "claim.docx")]).exit_code == 0
    make_template(folder / "claim.docx", "МОЙ ШАБЛОН для {{ claimant.name_genitive }}")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(EXAMPLES / "kuper_late_delivery.yaml"), "--out", str(out),
                                 "--templates", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    from complaint_cli.render import document_text

    path = Path(json.loads(result.stdout)["documents"][0]["path"])
    assert document_text(path.read_bytes()) == "МОЙ ШАБЛОН для Кузнецовой Ольги Андреевны"


def test_check_lists_variables_and_flags_unknown_ones_and_syntax_errors(tmp_path):
    path = make_template(tmp_path / "claim.docx", "{{ claimant.name_genitive }}", "{{ claimant.passport }}")
    doc = json.loads(runner.invoke(app, ["templates", "check", str(path), "--json"]).stdout)
    assert doc["variables"] == ["claimant.name_genitive", "claimant.passport"]
    assert doc["unknown"] == ["claimant.passport"]
    broken = make_template(tmp_path / "broken.docx", "Первый абзац", "Сумма {{ order.amount ", "Третий")
    result = runner.invoke(app, ["templates", "check", str(broken)])
    assert result.exit_code == 1
    assert "Ошибка синтаксиса в шаблоне broken.docx" in result.stdout  # the check's result, as validate's


def test_template_that_is_not_a_docx_is_a_clear_error(tmp_path):
    path = tmp_path / "claim.docx"
    path.write_text("not a zip")
    result = runner.invoke(app, ["templates", "check", str(path)])
    assert result.exit_code == 1
    assert "не открывается как документ Word" in result.stdout


def test_template_variables_reference_is_generated_from_code():
    from complaint_cli.customtemplates import variables_markdown

    assert (ROOT / "docs" / "template-variables.md").read_text(encoding="utf-8") == variables_markdown()
