"""Advocates' own templates cannot take the machine down, and broken ones are refused in Russian.

* a template that computes without measure — huge values, endless loops, a value doubling itself — is refused by
  ``templates check``, by ``render`` and row by row by ``batch``, within the time limit, never by running out of
  memory (issue 15, item 9b);
* a template that unpacks to gigabytes is refused before anything is unpacked (9c);
* invalid UTF-8 or malformed XML in a template's parts is a Russian error naming the file and the part (10);
* the parts a letter takes unchanged from its template are compressed (15).
"""

from __future__ import annotations

import io
import json
import os
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from complaint_cli import render as render_module
from complaint_cli import sandbox
from complaint_cli.batch import run_batch
from complaint_cli.cli import app
from complaint_cli.customtemplates import TEMPLATES, check_template, sample_context
from complaint_cli.errors import TemplateError
from complaint_cli.render import DOCUMENT_PART, CompiledTemplate, bundled_path, document_text
from tests.conftest import EXAMPLES, ROOT, TODAY

sys.path.insert(0, str(ROOT / "scripts"))
from docxbuild import build_docx  # noqa: E402

runner = CliRunner()

SMALL = sandbox.Limits(seconds=0.5, size=100_000, range=10_000)  # what the tests run under: a runaway ends sooner


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setattr(sandbox, "LIMITS", SMALL)
    return SMALL


def make_template(path: Path, *paragraphs: str, page_numbers: bool = False) -> Path:
    path.write_bytes(build_docx([("Normal", p) for p in paragraphs], title="test", page_numbers=page_numbers))
    return path


def replace_part(path: Path, part: str, data: bytes) -> Path:
    """The template at ``path`` with ``part`` replaced by ``data`` (bytes as they are: broken on purpose)."""
    with zipfile.ZipFile(path) as zf:
        parts = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, original in parts:
            zf.writestr(info, data if info.filename == part else original)
    return path


def check(path: Path):
    return runner.invoke(app, ["templates", "check", str(path)])


# --------------------------------------------------------------------------- 9b: runaway templates

RUNAWAYS = {
    # Jinja folded this constant while *compiling*: `templates check` used to take all the memory of the machine.
    "string repetition": "{{ 'a' * 10**10 }}",
    "a huge power": "{{ 10 ** 100000 }}",
    "squaring in a loop": "{% set ns = namespace(x=3) %}{% for i in range(100) %}{% set ns.x = ns.x * ns.x %}"
                          "{% endfor %}{{ ns.x }}",
    "a huge range": "{% for i in range(10**9) %}{% endfor %}",
    "nested loops with an empty body": "{% for i in range(10000) %}{% for j in range(10000) %}"
                                       "{% for k in range(10000) %}{% endfor %}{% endfor %}{% endfor %}",
    "nested loops writing text": "{% for i in range(10000) %}{% for j in range(10000) %}x{% endfor %}{% endfor %}",
    "nested loops over a string": "{% set s = 'x' * 10000 %}{% for a in s %}{% for b in s %}{% for c in s %}"
                                  "{% endfor %}{% endfor %}{% endfor %}",
    "a list doubling itself": "{% set ns = namespace(l=[1]) %}{% for i in range(100) %}{% set ns.l = ns.l + ns.l %}"
                              "{% endfor %}{{ ns.l|length }}",
    "a string doubling itself with ~": "{% set ns = namespace(s='a') %}{% for i in range(100) %}"
                                       "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
    "a list extending itself": "{% set l = [1] %}{% for i in range(100) %}{% set _ = l.extend(l) %}{% endfor %}",
    "a list nested in itself": "{% set ns = namespace(l=[1]) %}{% for i in range(60) %}{% set ns.l = [ns.l, ns.l] %}"
                               "{% endfor %}{{ ns.l }}",
    "a macro doubling its argument": "{% macro f(x, n) %}{% if n %}{{ f([x, x], n - 1) }}{% else %}{{ x }}{% endif %}"
                                     "{% endmacro %}{{ f([1], 60) }}",
    "endless recursion": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
    "a block of nested loops": "{% set x %}{% for i in range(10000) %}{% for j in range(10000) %}aaaaaaaaaa{% endfor %}"
                               "{% endfor %}{% endset %}{{ x|length }}",
    "center filter": "{{ 'x'|center(9999999999) }}",
    "printf width": "{{ '%9999999999d' % 1 }}",
    "format filter width": "{{ '%9999999999d'|format(1) }}",
    "str.format width": "{{ '{:>9999999999}'.format(1) }}",
    "ljust": "{{ 'x'.ljust(9999999999) }}",
    "join of huge parts": "{% set l = ['x' * 100000, 'y' * 100000] %}{{ l|join }}",
}


@pytest.mark.parametrize("source", RUNAWAYS.values(), ids=RUNAWAYS.keys())
def test_check_refuses_a_runaway_template_in_russian_within_the_time_limit(tmp_path, small_limits, source):
    path = make_template(tmp_path / "claim.docx", "Претензия {{ claimant.name_genitive }}", source)
    start = time.monotonic()
    result = check(path)
    elapsed = time.monotonic() - start
    assert result.exit_code == 1, result.output
    assert "Шаблон claim.docx отклонён:" in result.output
    assert elapsed < small_limits.seconds + 10  # the time limit plus building the example case, on a busy machine


@pytest.mark.parametrize("name", ["a huge range", "string repetition", "nested loops writing text"])
def test_render_refuses_a_runaway_template_and_writes_nothing(tmp_path, small_limits, name):
    folder = tmp_path / "tpl"
    folder.mkdir()
    make_template(folder / "claim.docx", RUNAWAYS[name])
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(EXAMPLES / "kuper_late_delivery.yaml"), "--out", str(out),
                                 "--templates", str(folder)])
    assert result.exit_code == 1
    assert "Шаблон claim.docx отклонён:" in result.output
    assert not out.exists() or not any(out.rglob("*.docx"))


def test_the_message_says_which_limit_was_exceeded(tmp_path, small_limits):
    def refusal(source: str) -> str:
        result = check_template(make_template(tmp_path / "claim.docx", source))
        assert not result.ok
        return result.errors[0].replace("\u00a0", " ")

    assert "оператор «*»: значение длиной 10 000 000 000 — больше допустимых 100 000" in refusal(
        "{{ 'a' * 10**10 }}")
    assert "присваивание l в namespace: значение длиной" in refusal(RUNAWAYS["a list nested in itself"])
    assert "range() на 1 000 000 000 элементов — больше допустимых 10 000" in refusal(
        "{% for i in range(10**9) %}{% endfor %}")
    assert "отрисовка длится дольше 0,5 с" in refusal(RUNAWAYS["nested loops writing text"])
    assert "слишком глубоко" in refusal(RUNAWAYS["endless recursion"])


def test_nothing_is_computed_while_compiling_an_advocates_template(tmp_path):
    """Jinja evaluates constant expressions at compile time, before any limit could apply; not here."""
    start = time.monotonic()
    template = CompiledTemplate(make_template(tmp_path / "claim.docx", "{{ 'x'|center(9999999999) }}"))
    assert time.monotonic() - start < 1
    assert "9999999999" in template._template.environment.compile(template.source, raw=True)  # still a call
    with pytest.raises(TemplateError, match="фильтр «center»: значение длиной 9.999.999.999"):
        template.render(sample_context("claim.docx"))


def test_loops_are_stopped_outside_the_main_thread_too(tmp_path, small_limits):
    """No SIGALRM there: the loops themselves look at the clock."""
    template = CompiledTemplate(make_template(tmp_path / "claim.docx", RUNAWAYS["nested loops over a string"]))
    errors: list[str] = []

    def render() -> None:
        try:
            template.render(sample_context("claim.docx"))
        except TemplateError as exc:
            errors.append(exc.message)

    thread = threading.Thread(target=render, daemon=True)
    thread.start()
    thread.join(small_limits.seconds + 5)
    assert not thread.is_alive()
    assert errors and "отрисовка длится дольше" in errors[0]


def test_a_template_that_ran_out_of_time_is_refused_at_once_for_the_next_letters(tmp_path, small_limits):
    template = CompiledTemplate(make_template(tmp_path / "claim.docx", RUNAWAYS["nested loops writing text"]))
    context = sample_context("claim.docx")
    with pytest.raises(TemplateError, match="дольше"):
        template.render(context)
    start = time.monotonic()
    with pytest.raises(TemplateError, match="дольше"):
        template.render(context)
    assert time.monotonic() - start < 0.1


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="the address-space limit is applied on Linux")
def test_memory_no_check_foresaw_is_capped_and_refused(tmp_path, monkeypatch):
    """With the size limit out of the way, a 2 GB string meets the memory limit of the render instead."""
    import resource

    before = resource.getrlimit(resource.RLIMIT_AS)
    monkeypatch.setattr(sandbox, "LIMITS", sandbox.Limits(size=10**12, memory=256 * 2**20))
    template = CompiledTemplate(make_template(tmp_path / "claim.docx", "{{ ('a' * 2000000000)|length }}"))
    with pytest.raises(TemplateError, match="не хватило 256 МБ памяти"):
        template.render(sample_context("claim.docx"))
    assert resource.getrlimit(resource.RLIMIT_AS) == before  # restored after the render


def test_batch_with_a_runaway_template_fails_every_row_with_a_clear_error_and_does_not_hang(tmp_path, small_limits):
    from tests.test_batch import case_row, write_rows

    folder = tmp_path / "tpl"
    folder.mkdir()
    make_template(folder / "claim.docx", RUNAWAYS["nested loops writing text"])
    source = write_rows(tmp_path / "cases.csv", [case_row(i) for i in range(1, 6)])
    start = time.monotonic()
    result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1, templates_dir=folder)
    assert time.monotonic() - start < 3 * small_limits.seconds + 10
    assert result.failed_rows == 5 and not result.documents
    assert all("Шаблон claim.docx отклонён: отрисовка длится дольше" in f.message for f in result.failed)


@pytest.mark.parametrize("name", TEMPLATES)
def test_the_bundled_templates_pass_check_and_render_alike_under_the_limits(name):
    assert check_template(bundled_path(name)).errors == []
    context = sample_context(name)
    trusted = CompiledTemplate(bundled_path(name), trusted=True).render(context)
    limited = CompiledTemplate(bundled_path(name), trusted=False).render(context)
    assert document_text(limited) == document_text(trusted)


def test_ordinary_template_code_still_works_under_the_limits(tmp_path):
    source = ("{% set ns = namespace(total=0) %}{% for i in range(1, 4) %}{% set ns.total = ns.total + i %}{% endfor %}"
              "{{ ns.total }}|{{ '%05.1f'|format(2.5) }}|{{ '{:>4}'.format(7) }}|{{ ['а', 'б']|join('-') }}|"
              "{{ 'ab' * 2 }}|{{ 2 ** 10 }}|{{ [1, 2] + [3] }}|{{ 'x'|center(5) }}|{{ claimant.name_genitive ~ '!' }}")
    template = CompiledTemplate(make_template(tmp_path / "claim.docx", source))
    text = document_text(template.render(sample_context("claim.docx")))
    assert text == "6|002.5|   7|а-б|abab|1024|[1, 2, 3]|  x  |Кузнецовой Ольги Андреевны!"


# --------------------------------------------------------------------------- 9c: archive bombs


def test_a_template_that_unpacks_to_hundreds_of_times_its_size_is_refused_before_unpacking(tmp_path, monkeypatch):
    path = make_template(tmp_path / "claim.docx", "Текст")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/media/image1.emf", bytes(50 * 2**20))  # 50 MB of zeros: ~50 KB packed
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: pytest.fail("a part was unpacked"))
    with pytest.raises(TemplateError) as err:
        CompiledTemplate(path)
    assert err.value.message.startswith("Шаблон claim.docx отклонён: часть word/media/image1.emf сжата в ")
    assert "«zip-бомбы»" in err.value.message


def test_a_template_that_unpacks_past_the_size_limit_is_refused_before_unpacking(tmp_path, monkeypatch):
    path = make_template(tmp_path / "claim.docx", "Текст")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as zf:
        zf.writestr("word/media/image1.png", os.urandom(3 * 2**20))
    monkeypatch.setattr(render_module, "MAX_UNPACKED", 2 * 2**20)
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda *a, **k: pytest.fail("a part was unpacked"))
    result = check(path)
    assert result.exit_code == 1
    assert "Шаблон claim.docx отклонён: распакованный, он занял бы 3 МБ (допустимо 2 МБ)" in result.output


# --------------------------------------------------------------------------- 10: broken parts

BROKEN = {
    "invalid UTF-8 in the document": (DOCUMENT_PART, "<?xml version='1.0' encoding='UTF-8'?><w:document "
                                      f"xmlns:w='{render_module.W_NS}'><w:body><w:p><w:r><w:t>".encode()
                                      + b"\xff\xfe\xcf" + b"</w:t></w:r></w:p></w:body></w:document>",
                                      f"часть {DOCUMENT_PART} не в кодировке UTF-8"),
    "malformed XML in the document": (DOCUMENT_PART, f"<w:document xmlns:w='{render_module.W_NS}'><w:body><w:p>"
                                      "</w:body></w:document>".encode(), f"часть {DOCUMENT_PART} — повреждённый XML"),
    "malformed XML in the footer": ("word/footer1.xml", b"<w:ftr><w:p></w:ftr",
                                    "часть word/footer1.xml — повреждённый XML"),
    "a DTD with entities in the styles": ("word/styles.xml", b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                                          b']><w:styles xmlns:w="x">&lol;</w:styles>',
                                          "часть word/styles.xml содержит объявление <!DOCTYPE>"),
}


@pytest.mark.parametrize(("part", "data", "message"), BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_part_is_named_by_check_and_by_render_which_writes_nothing(tmp_path, part, data, message):
    folder = tmp_path / "tpl"
    folder.mkdir()
    path = replace_part(make_template(folder / "claim.docx", "{{ claimant.name_genitive }}", page_numbers=True),
                        part, data)
    result = check(path)
    assert result.exit_code == 1
    assert f"Шаблон claim.docx: {message}" in result.output
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(EXAMPLES / "kuper_late_delivery.yaml"), "--out", str(out),
                                 "--templates", str(folder)])
    assert result.exit_code == 1, result.output
    assert f"Шаблон claim.docx: {message}" in result.output
    assert not out.exists() or not any(p.is_file() for p in out.rglob("*"))


def test_a_template_whose_output_is_not_xml_is_refused_by_check(tmp_path):
    """Well-formed as saved, but what it writes is not: check renders it and parses the result."""
    path = make_template(tmp_path / "claim.docx", "{{ '<w:p>'|safe }}", "Текст")
    result = check(path)
    assert result.exit_code == 1
    assert "Шаблон claim.docx дал повреждённый XML" in result.output


# --------------------------------------------------------------------------- 15: compressed letters


def test_the_parts_a_letter_takes_unchanged_from_its_template_are_compressed(tmp_path):
    path = make_template(tmp_path / "claim.docx", "Претензия {{ claimant.name_genitive }}")
    styles = ("<?xml version='1.0'?><w:styles xmlns:w='%s'>" % render_module.W_NS
              + "".join(f"<w:style w:styleId='s{i}'><w:name w:val='Стиль {i}'/></w:style>" for i in range(20000))
              + "</w:styles>").encode()
    replace_part(path, "word/styles.xml", styles)  # ~1 MB of XML, as Word's own style sheets are
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("word/media/image1.jpeg", os.urandom(100_000))  # already compressed: stored as it is
    letter = CompiledTemplate(path).render(sample_context("claim.docx"))
    assert len(letter) < 1.2 * path.stat().st_size
    with zipfile.ZipFile(io.BytesIO(letter)) as zf:
        assert zf.testzip() is None
        assert zf.getinfo("word/styles.xml").compress_type == zipfile.ZIP_DEFLATED
        assert zf.getinfo("word/media/image1.jpeg").compress_type == zipfile.ZIP_STORED
        assert zf.read("word/styles.xml") == styles
    assert document_text(letter) == "Претензия Кузнецовой Ольги Андреевны"


def test_check_json_lists_the_refusal_as_an_error(tmp_path, small_limits):
    path = make_template(tmp_path / "claim.docx", RUNAWAYS["a huge range"])
    doc = json.loads(runner.invoke(app, ["templates", "check", str(path), "--json"]).stdout)
    assert doc["ok"] is False
    assert doc["errors"][0].startswith("Шаблон claim.docx отклонён: range() на")
