"""Reading case tables: encodings and delimiters as Excel saves them, XLSX, YAML/JSON lists, Russian headers, the
1-based data row numbers — and the template an advocate starts from."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from complaint_cli.errors import CaseFileError, OutputExists
from complaint_cli.tabular import (
    column_key,
    count_rows,
    read_rows,
    schema,
    template_columns,
    write_template,
)
from complaint_cli.validation import validate_data
from tests.conftest import TODAY

HEADER = ["claimant.full_name", "claimant.email", "order.amount", "demands.0.kind", "demands.0.amount"]
ROWS = [
    ["Кузнецова Ольга Андреевна", "o.k@example.ru", "4 870,00", "refund", "4870.00"],
    ["Ёлкин Пётр Семёнович", "p@example.ru", "1250,50", "refund", "1250,50"],
]


def write_csv(path, header, rows, *, encoding="utf-8", delimiter=";"):
    lines = [delimiter.join(header)] + [delimiter.join(r) for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_in_every_encoding_and_delimiter_reads_the_same_rows(tmp_path, encoding, delimiter):
    rows = [[cell.replace(",", ".") if delimiter == "," else cell for cell in r] for r in ROWS]
    path = write_csv(tmp_path / "cases.csv", HEADER, rows, encoding=encoding, delimiter=delimiter)
    got = list(read_rows(path))
    assert [r.number for r in got] == [1, 2]
    assert got[0].data == {
        "claimant": {"full_name": "Кузнецова Ольга Андреевна", "email": "o.k@example.ru"},
        "order": {"amount": rows[0][2]},
        "demands": [{"kind": "refund", "amount": "4870.00"}],
    }
    assert got[1].data["claimant"]["full_name"] == "Ёлкин Пётр Семёнович"


def test_excel_sep_line_sets_the_delimiter(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("sep=;\nclaimant.full_name;order.number\nИванов Иван;R-1\n", encoding="utf-8")
    assert [r.data for r in read_rows(path)] == [{"claimant": {"full_name": "Иванов Иван"}, "order": {"number": "R-1"}}]


def test_a_file_in_no_known_encoding_is_a_clear_error(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_bytes(b"claimant.full_name\n\x98\x98\xff\n")  # 0x98 is not a cp1251 character
    with pytest.raises(CaseFileError, match="кодировку"):
        list(read_rows(path))


def test_an_empty_file_is_an_error_and_a_header_alone_has_no_rows(tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"\r\n\r\n")
    with pytest.raises(CaseFileError, match="таблица пуста"):
        list(read_rows(tmp_path / "empty.csv"))
    (tmp_path / "header.csv").write_text("order.number\n", encoding="utf-8")
    assert list(read_rows(tmp_path / "header.csv")) == []


def test_empty_rows_are_skipped_but_keep_the_numbering(tmp_path):
    path = write_csv(tmp_path / "c.csv", ["claimant.full_name", "order.number"],
                     [["Иванов Иван", "1"], ["", ""], [" ", ""], ["Петров Пётр", "3"]])
    assert [(r.number, r.data["order"]["number"]) for r in read_rows(path)] == [(1, "1"), (4, "3")]


def test_multiline_cells_stay_one_row_with_their_line_breaks(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text('problem.description;order.number\n"Строка один\nстрока два";R-1\n;\nx;R-3\n', encoding="utf-8")
    rows = list(read_rows(path))
    assert rows[0].data["problem"]["description"] == "Строка один\nстрока два"
    assert [r.number for r in rows] == [1, 3]


def test_indexed_columns_become_lists_and_empty_entries_are_left_out(tmp_path):
    header = ["demands.0.kind", "demands.0.amount", "demands.1.kind", "demands.1.amount",
              "order.items.0.name", "order.items.0.quantity", "evidence.0.description", "evidence.1.description"]
    path = write_csv(tmp_path / "c.csv", header, [["refund", "100", "", "", "Молоко", "1,5", "Чек", ""]])
    data = next(read_rows(path)).data
    assert data["demands"] == [{"kind": "refund", "amount": "100"}]
    assert data["order"]["items"] == [{"name": "Молоко", "quantity": "1.5"}]  # decimal comma for a number field
    assert data["evidence"] == [{"description": "Чек"}]


def test_russian_headers_are_aliases_of_the_dotted_keys(tmp_path):
    header = ["ФИО заявителя", "Номер заказа", "Дата заказа", "Требование 1: вид", "Требование 2: сумма",
              "Товар 1: цена", "Доказательство 2", "E-mail", "Срочный случай (да/нет)"]
    path = write_csv(tmp_path / "c.csv", header,
                     [["Иванов Иван", "R-1", "02.11.2026", "refund", "99", "10", "Фото", "a@b.ru", "да"]])
    data = next(read_rows(path)).data
    assert data["claimant"] == {"full_name": "Иванов Иван", "email": "a@b.ru"}
    assert data["order"] == {"number": "R-1", "date": "02.11.2026", "items": [{"price": "10"}]}
    assert data["demands"] == [{"kind": "refund"}, {"amount": "99"}]
    assert data["evidence"] == [{"description": "Фото"}]
    assert data["problem"] == {"emergency": True}


def test_headers_are_matched_ignoring_case_yo_punctuation_and_the_required_star():
    assert column_key("  фио ЗАЯВИТЕЛЯ* ") == "claimant.full_name"
    assert column_key("Требование 3 — Сумма") == "demands.2.amount"
    assert column_key("Дата обнаружения проблемы") == "problem.discovered_on"
    assert column_key("Что угодно (order.number)") == "order.number"
    assert column_key("Claimant.Full_Name") == "claimant.full_name"
    assert column_key("claimant.ful_name") is None
    assert column_key("Требование 0: вид") is None  # Russian headers count from 1


def test_unknown_column_is_an_error_naming_it_with_a_suggestion(tmp_path):
    path = write_csv(tmp_path / "c.csv", ["claimant.full_name", "claimant.emial"], [["Иванов Иван", "x"]])
    with pytest.raises(CaseFileError) as err:
        list(read_rows(path))
    assert "«claimant.emial» (может быть, claimant.email?)" in err.value.message
    assert "#" in err.value.hint


def test_columns_starting_with_hash_are_the_advocates_notes_and_ignored(tmp_path):
    path = write_csv(tmp_path / "c.csv", ["# пометки", "order.number", ""], [["позвонить", "R-1", "мусор"]])
    assert next(read_rows(path)).data == {"order": {"number": "R-1"}}


def test_two_columns_for_the_same_field_are_refused(tmp_path):
    path = write_csv(tmp_path / "c.csv", ["ФИО заявителя", "claimant.full_name"], [["А", "Б"]])
    with pytest.raises(CaseFileError, match=r"обе означают claimant\.full_name"):
        list(read_rows(path))


def test_unsupported_format_and_missing_file_are_clear_errors(tmp_path):
    with pytest.raises(CaseFileError, match="не найден"):
        read_rows(tmp_path / "nope.csv")
    (tmp_path / "old.xls").write_bytes(b"x")
    with pytest.raises(CaseFileError, match=r"\.xlsx"):
        read_rows(tmp_path / "old.xls")


def test_xlsx_first_sheet_with_real_dates_and_numbers(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["ФИО заявителя", "Номер заказа", "Дата заказа", "Время заказа", "Сумма заказа",
                  "Товар 1: количество"])
    sheet.append(["Иванов Иван", 12345, dt.datetime(2026, 11, 2), dt.time(10, 15), 4870.5, 2])
    sheet.append([None, None, None, None, None, None])
    sheet.append(["Петров Пётр", "R-2", "03.11.2026", None, 100, None])
    book.create_sheet("Другой лист").append(["order.number"])
    book.save(tmp_path / "cases.xlsx")
    rows = list(read_rows(tmp_path / "cases.xlsx"))
    assert [r.number for r in rows] == [1, 3]
    assert rows[0].data == {
        "claimant": {"full_name": "Иванов Иван"},
        "order": {"number": "12345", "date": "2026-11-02", "time": "10:15", "amount": "4870.5",
                  "items": [{"quantity": "2"}]},
    }
    assert rows[1].data["order"] == {"number": "R-2", "date": "03.11.2026", "amount": "100"}


def test_broken_xlsx_is_a_clear_error(tmp_path):
    (tmp_path / "bad.xlsx").write_bytes(b"not a zip")
    with pytest.raises(CaseFileError, match="не открывается как таблица Excel"):
        list(read_rows(tmp_path / "bad.xlsx"))


def test_yaml_list_of_cases_nested_or_with_dotted_keys(tmp_path, late_case):
    path = tmp_path / "cases.yaml"
    dotted = {"claimant.full_name": "Петров Пётр", "order.number": "R-2", "order": {"amount": "10"}}
    path.write_text(yaml.safe_dump([late_case, None, dotted], allow_unicode=True), encoding="utf-8")
    rows = list(read_rows(path))
    assert [r.number for r in rows] == [1, 3]
    assert rows[0].data == late_case
    assert rows[1].data == {"claimant": {"full_name": "Петров Пётр"}, "order": {"amount": "10", "number": "R-2"}}


def test_json_list_of_cases(tmp_path, late_case):
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"cases": [late_case]}, ensure_ascii=False, default=str), encoding="utf-8")
    rows = list(read_rows(path))
    assert len(rows) == 1 and rows[0].data["claimant"]["full_name"] == "Кузнецова Ольга Андреевна"


def test_a_single_case_file_is_read_as_one_row_not_refused(tmp_path, late_case):
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(late_case, allow_unicode=True), encoding="utf-8")
    assert [r.number for r in read_rows(path)] == [1]


def test_rows_are_streamed_not_read_whole(tmp_path):
    path = write_csv(tmp_path / "c.csv", ["order.number"], [[str(i)] for i in range(1, 1001)])
    rows = read_rows(path)
    assert next(rows).number == 1  # a generator: nothing forces the remaining 999 rows into memory
    assert count_rows(path) == 1000


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_template_has_every_column_russian_notes_and_one_valid_example_row(tmp_path, suffix):
    path = write_template(tmp_path / f"шаблон{suffix}")
    rows = list(read_rows(path))
    assert len(rows) == 1
    report = validate_data(rows[0].data, today=TODAY)
    assert report.errors == []
    assert {k.replace(".0.", ".#.").replace(".1.", ".#.").replace(".2.", ".#.") for k in template_columns()} == set(
        schema()
    )


def test_template_headers_carry_the_russian_name_the_required_mark_and_the_key(tmp_path):
    path = write_template(tmp_path / "t.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Russian Excel opens UTF-8 correctly only with it
    header = raw.decode("utf-8-sig").splitlines()[0].split(";")
    assert header[0] == "ФИО заявителя* (claimant.full_name)"
    assert "Требование 1: сумма (demands.0.amount)" in header


def test_xlsx_template_notes_list_the_allowed_values(tmp_path):
    from openpyxl import load_workbook

    path = write_template(tmp_path / "t.xlsx")
    sheet = load_workbook(path).worksheets[0]
    notes = {c.value: c.comment.text for c in sheet[1] if c.comment}
    assert "late_delivery — Заказ доставлен с опозданием или не доставлен" in notes["Вид проблемы* (problem.kind)"]
    assert "Дата: ДД.ММ.ГГГГ" in notes["Дата заказа* (order.date)"]


def test_template_refuses_to_overwrite_without_force_and_other_formats(tmp_path):
    path = write_template(tmp_path / "t.csv")
    with pytest.raises(OutputExists):
        write_template(path)
    write_template(path, force=True)
    from complaint_cli.errors import UsageError

    with pytest.raises(UsageError):
        write_template(tmp_path / "t.ods")


@given(st.text(max_size=80))
def test_any_header_maps_to_a_model_field_or_to_nothing(header):
    key = column_key(header)
    if key == "schema_version":  # the case file's format version: a top-level key of every case, not a model field
        return
    assert key is None or ".".join("#" if p.isdigit() else p for p in key.split(".")) in schema()


@pytest.mark.parametrize("name, text, place", [
    ("cases.yaml", 'cases:\n  - claimant: {full_name: "Иванов\n  - x: [1,\n', "(строка 4, позиция 1)"),
    ("cases.json", '[{"claimant": }]', "(строка 1, позиция 15)"),
])
def test_a_broken_yaml_or_json_batch_file_is_reported_in_russian_with_the_place(tmp_path, name, text, place):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CaseFileError) as err:
        list(read_rows(path))
    assert place in err.value.message and "не читается как" in err.value.message
    assert not any(word in err.value.message for word in ("while", "expected", "Expecting"))  # no parser English


# --------------------------------------------------------------------------- what really happened: the new columns

FACTS_HEADER = ["ФИО заявителя", "Организация — агрегатор (да/нет)", "Обещанная дата доставки",
                "Обещанный интервал доставки", "Дата, когда привезли заказ", "Время, когда привезли заказ",
                "Товар 1: название", "Товар 1: количество", "Товар 1: проблема", "Товар 1: сколько с проблемой",
                "Товар 2: название", "Товар 2: проблема", "Вид проблемы", "Другие проблемы с заказом (через запятую)"]
FACTS_ROW = ["Кузнецова Ольга Андреевна", "да", "02.11.2026", "17:00-18:00", "02.11.2026", "22:40",
             "Пломбир ванильный, 80 г", "4", "poor_quality", "3",
             "Кефир 1 %, 900 мл", "expired_goods", "late_delivery", "poor_quality, expired_goods"]


def assert_facts(case):
    """The row's facts, as the model holds them."""
    assert case.company.aggregator is True
    assert case.order.delivery_due == dt.date(2026, 11, 2) and case.order.delivery_window == "17:00–18:00"
    assert case.order.delivered_on == dt.date(2026, 11, 2) and case.order.delivered_at == "22:40"
    items = [(i.name, i.quantity, i.issue.value, i.affected) for i in case.order.items]
    assert items == [("Пломбир ванильный, 80 г", 4, "poor_quality", 3), ("Кефир 1 %, 900 мл", None, "expired_goods", 1)]
    assert case.problem_kinds() == ["late_delivery", "poor_quality", "expired_goods"]


def test_a_cp1251_csv_row_with_the_new_columns_reaches_the_model(tmp_path):
    path = write_csv(tmp_path / "cases.csv", FACTS_HEADER, [FACTS_ROW], encoding="cp1251", delimiter=";")
    row = next(read_rows(path))
    assert row.data["problem"]["also"] == ["poor_quality", "expired_goods"]  # one cell, comma-separated
    assert row.data["company"]["aggregator"] is True  # «да», as Russian Excel users type it
    report = validate_data(row.data, today=TODAY)
    assert not [p for p in report.errors if p.field.startswith(("company.aggregator", "order.deliver", "order.items",
                                                                 "problem.also"))]
    assert_facts(report.case)


def test_an_xlsx_row_with_the_new_columns_reaches_the_model(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    keys = ["claimant.full_name", "company.aggregator", "order.delivery_due", "order.delivery_window",
            "order.delivered_on", "order.delivered_at", "order.items.0.name", "order.items.0.quantity",
            "order.items.0.issue", "order.items.0.affected_quantity", "order.items.1.name", "order.items.1.issue",
            "problem.kind", "problem.also"]
    sheet.append(keys)  # the dotted keys as headers, and Excel's own types in the cells
    sheet.append(["Кузнецова Ольга Андреевна", "Да", dt.datetime(2026, 11, 2), "17:00–18:00",
                  dt.datetime(2026, 11, 2), dt.time(22, 40), "Пломбир ванильный, 80 г", 4, "poor_quality", 3,
                  "Кефир 1 %, 900 мл", "expired_goods", "late_delivery", "poor_quality;\nexpired_goods"])
    sheet.append(["Петров Пётр", False, None, None, None, None, None, None, None, None, None, None, "late_delivery",
                  None])
    book.save(tmp_path / "cases.xlsx")
    first, second = read_rows(tmp_path / "cases.xlsx")
    assert_facts(validate_data(first.data, today=TODAY).case)
    assert second.data["company"] == {"aggregator": False}  # an Excel boolean cell
    assert "also" not in second.data["problem"]


@pytest.mark.parametrize("cell, error", [("может быть", "ожидается «да» или «нет»"), ("нет", None)])
def test_a_yes_no_cell_other_than_da_or_net_is_an_error_naming_the_column(tmp_path, cell, error):
    path = write_csv(tmp_path / "c.csv", ["company.aggregator"], [[cell]])
    errors = {p.field: p.message for p in validate_data(next(read_rows(path)).data, today=TODAY).errors}
    assert errors.get("company.aggregator", "").startswith(error) if error else "company.aggregator" not in errors


def test_an_unknown_kind_among_the_other_problems_is_an_error_naming_it(tmp_path):
    path = write_csv(tmp_path / "c.csv", ["problem.also"], [["poor_quality, опоздание"]])
    errors = [(p.field, p.message) for p in validate_data(next(read_rows(path)).data, today=TODAY).errors]
    assert any(field == "problem.also.1" and message.startswith("недопустимое значение «опоздание»; допустимо: "
                                                                "'late_delivery'") for field, message in errors)


def test_the_template_offers_the_new_columns_with_hints_and_fills_them_in_the_example(tmp_path):
    from openpyxl import load_workbook

    sheet = load_workbook(write_template(tmp_path / "t.xlsx")).worksheets[0]
    header = [c.value for c in sheet[1]]
    example = dict(zip(header, [c.value for c in sheet[2]]))
    notes = {c.value: c.comment.text for c in sheet[1] if c.comment}
    for column, value in [("Организация — агрегатор (да/нет) (company.aggregator)", "да"),
                          ("Обещанный интервал доставки (order.delivery_window)", "17:00–18:00"),
                          ("Дата, когда привезли заказ (order.delivered_on)", "02.11.2026"),
                          ("Время, когда привезли заказ (order.delivered_at)", "22:40"),
                          ("Товар 1: проблема (order.items.0.issue)", "poor_quality"),
                          ("Товар 1: сколько с проблемой (order.items.0.affected_quantity)", "3"),
                          ("Другие проблемы с заказом (через запятую) (problem.also)", "poor_quality")]:
        assert example[column] == value, column
    assert "пусто — по справочнику компаний" in notes["Организация — агрегатор (да/нет) (company.aggregator)"]
    assert "пусто — заказ не привезли" in notes["Дата, когда привезли заказ (order.delivered_on)"]
    assert "через запятую" in notes["Другие проблемы с заказом (через запятую) (problem.also)"]
    assert "expired_goods — Товар с истёкшим сроком годности" in notes["Товар 2: проблема (order.items.1.issue)"]
    assert "overcharge" not in notes["Товар 2: проблема (order.items.1.issue)"]  # only the item problems
    case = validate_data(next(read_rows(tmp_path / "t.xlsx")).data, today=TODAY).raise_for_errors()
    assert case.problem_kinds() == ["late_delivery", "poor_quality"] and case.seller.name == "ООО «Ромашка»"
    assert case.order.items[0].affected == 3 and case.company.aggregator is True


def test_one_case_file_given_to_batch_is_a_batch_of_one(tmp_path):
    from complaint_cli.tabular import read_rows
    from tests.conftest import EXAMPLES

    rows = list(read_rows(EXAMPLES / "kuper_two_problems.yaml"))
    assert len(rows) == 1 and rows[0].data["order"]["number"] == "K-2026-551903"


def test_a_yaml_that_is_neither_a_list_nor_a_case_says_what_is_expected_in_russian(tmp_path):
    from complaint_cli.errors import CaseFileError
    from complaint_cli.tabular import read_rows

    path = tmp_path / "x.yaml"
    path.write_text("просто строка\n", encoding="utf-8")
    with pytest.raises(CaseFileError, match="ожидается список дел или один файл дела") as info:
        list(read_rows(path))
    assert "str" not in str(info.value) and "dict" not in str(info.value)
