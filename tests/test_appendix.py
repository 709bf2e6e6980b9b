"""The penalty appendix «Расчёт неустойки»: a signed table attached to the repeat claim and the court claim
(ГПК ст. 132), its figures those of the legal analysis (law.md §3), read back from the rendered .docx."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import re

import pytest
from docx import Document as Docx

from complaint_cli.appendix import appendix_reason, penalty_appendix_bytes, penalty_appendix_context
from complaint_cli.court import escalation_sums
from complaint_cli.escalation import EscalationOptions, escalate
from complaint_cli.money import normalize_spaces
from complaint_cli.render import document_text
from complaint_cli.validation import validate_data
from tests.conftest import load_example, write_yaml

ON = dt.date(2026, 12, 10)
HEADER = ["№", "Основание (норма)", "База, руб.", "Ставка", "Период", "Дней (часов)", "Предел, руб.", "Сумма, руб."]


def case_of(name: str, sent: str | None = None, got: str | None = None, **changes):
    data = copy.deepcopy(load_example(name))
    if sent:
        data["submission"] = {"channel": "app", "sent_on": sent, "received_on": got}
    data.update(changes)
    return validate_data(data, today=ON).raise_for_errors()


def table(data: bytes) -> list[list[str]]:
    """The appendix's table, cell by cell (paragraphs of a cell joined by « / »)."""
    doc = Docx(io.BytesIO(data))
    (tbl,) = doc.tables
    return [[normalize_spaces(" / ".join(p.text for p in cell.paragraphs if p.text)) for cell in row.cells]
            for row in tbl.rows]


# Each example on 10.12.2026: the rows (norm, base, rate, from, to, count, cap, sum) and the total — re-done by hand:
#   two problems: 3 % × 199,00 × 2 ч = 11,94; 1 % × 539,40 × 10 дн. = 53,94; 3 % × 199,00 × 10 дн. = 59,70
#                 (its cap 199,00 − 11,94 = 187,06); total 125,58
#   late delivery (claim received 04.11): 3 % × 299,00 × 4 ч = 35,88; 3 % × 299,00 × 24 дн. (17.11–10.12) = 215,28
#                 (cap 299,00 − 35,88 = 263,12); total 251,16
#   not delivered (claim received 04.11): 3 % × 299,00 × 54 ч = 484,38, capped at the fee 299,00
#   expired goods (claim received 12.11, deadline 23.11): 1 % × 1 250,50 × 17 дн. = 212,585 → 212,59
SCENARIOS = [
    ("kuper_two_problems.yaml", None, None, [
        ["1", "п. 5 ст. 28", "199,00 / цена услуги по доставке", "3 % в час", "с 14.11.2026 20:00 / по 14.11.2026 22:30",
         "2 часа", "199,00 / не достигнут", "11,94"],
        ["2", "п. 1 ст. 23", "539,40 / цена товара", "1 % в день", "с 01.12.2026 / по 10.12.2026", "10 дней",
         "539,40 / не достигнут", "53,94"],
        ["3", "п. 3 ст. 31", "199,00 / цена услуги по доставке", "3 % в день", "с 01.12.2026 / по 10.12.2026",
         "10 дней", "187,06 / не достигнут", "59,70"],
    ], "125,58"),
    ("kuper_late_delivery.yaml", "2026-11-03", "2026-11-04", [
        ["1", "п. 5 ст. 28", "299,00 / цена услуги по доставке", "3 % в час", "с 02.11.2026 18:00 / по 02.11.2026 22:40",
         "4 часа", "299,00 / не достигнут", "35,88"],
        ["2", "п. 3 ст. 31", "299,00 / цена услуги по доставке", "3 % в день", "с 17.11.2026 / по 10.12.2026",
         "24 дня", "263,12 / не достигнут", "215,28"],
    ], "251,16"),
    ("kuper_not_delivered.yaml", "2026-11-03", "2026-11-04", [
        ["1", "п. 5 ст. 28", "299,00 / цена услуги по доставке", "3 % в час", "с 02.11.2026 18:00 / по 05.11.2026 00:00",
         "54 часа", "299,00 / применён", "299,00 / начислено 484,38"],
    ], "299,00"),
    ("kuper_expired_goods.yaml", "2026-11-11", "2026-11-12", [
        ["1", "п. 1 ст. 23", "1 250,50 / цена товара", "1 % в день", "с 24.11.2026 / по 10.12.2026", "17 дней",
         "1 250,50 / не достигнут", "212,59"],
    ], "212,59"),
]


@pytest.mark.parametrize("example, sent, got, rows, total", SCENARIOS, ids=[s[0] for s in SCENARIOS])
def test_the_table_states_norm_base_rate_period_count_cap_and_sum(example, sent, got, rows, total):
    case = case_of(example, sent, got)
    cells = table(penalty_appendix_bytes(case, ON))
    assert cells[0] == HEADER
    body = cells[1:-1]
    assert len(body) == len(rows)
    for got_row, want in zip(body, rows):
        norm = want[1]
        assert got_row[1].startswith(f"{norm} Закона РФ «О защите прав потребителей» / за нарушение срока")
        assert [got_row[0], *got_row[2:]] == [want[0], *want[2:]]
    assert cells[-1][-1] == total and cells[-1][0] == "Итого"


def test_total_formulas_signature_and_date():
    case = case_of("kuper_two_problems.yaml")
    text = normalize_spaces(document_text(penalty_appendix_bytes(case, ON)))
    assert text.startswith("РАСЧЁТ НЕУСТОЙКИ\nпо заказу № K-2026-551903 от 14.11.2026 (по состоянию на 10.12.2026)")
    assert "Потребитель: Петров Никита Сергеевич" in text
    # two debtors: the aggregator for the delivery (ст. 28, 31), the seller on the receipt for the goods (ст. 23)
    assert "Должники: ООО «Инстамарт Сервис» (сервис «Купер») — строки 1, 3; ООО «Продукты у дома» — строка 2" in text
    assert "Итого неустойка на 10.12.2026: 125 руб. 58 коп. (сто двадцать пять рублей 58 копеек)." in text
    assert "1. 3 % × 199,00 руб. × 2 часа = 11,94 руб.\n2. 1 % × 539,40 руб. × 10 дней = 53,94 руб." in text
    assert "по п. 3 ст. 31 — не более 187,06 руб." in text
    assert text.rstrip().endswith("10.12.2026\t_______________ / Н. С. Петров")


def test_a_representative_signs_it():
    case = case_of("kuper_expired_goods.yaml", "2026-11-11", "2026-11-12",
                   representative={"full_name": "Смирнов Павел Игоревич", "address": "г. Москва",
                                   "power_of_attorney": "от 01.11.2026 № 77 АБ 1234567"})
    text = normalize_spaces(document_text(penalty_appendix_bytes(case, ON)))
    assert text.rstrip().endswith("10.12.2026\tПредставитель по доверенности _______________ / П. И. Смирнов")


def test_no_penalty_no_appendix_and_the_console_says_why(tmp_path):
    # An aggregator without the seller: ст. 23.1 is the seller's, never claimed from the aggregator (law.md §0b.9).
    case = case_of("kuper_missing_items.yaml")
    sums = escalation_sums(case, None, ON)
    assert penalty_appendix_bytes(case, ON) is None
    reason = normalize_spaces(appendix_reason(sums))
    assert reason.startswith("Расчёт неустойки не составлен: неустойка по делу не начисляется.")
    assert "п. 3 ст. 23.1" in reason and "seller.name" in reason
    result = escalate(case, out_dir=tmp_path, on=ON, options=EscalationOptions())
    assert "penalty" not in [d.kind for d in result.documents]
    assert "Расчёт неустойки не составлен: неустойка по делу не начисляется (почему — сказано выше)." in result.warnings
    assert not list(tmp_path.glob("Расчёт_неустойки*"))
    inaction = document_text(next(d.path for d in result.documents if d.kind == "inaction").read_bytes())
    assert "Расчёт неустойки" not in inaction


def test_a_penalty_that_has_not_started_yet_gives_no_appendix():
    case = case_of("kuper_expired_goods.yaml", "2026-11-11", "2026-11-12")
    on = dt.date(2026, 11, 23)  # the last day of the term: ст. 23 starts on 24.11
    reason = appendix_reason(escalation_sums(case, None, on))
    assert reason == ("Расчёт неустойки не составлен: на 23.11.2026 неустойка ещё не начисляется (по п. 1 ст. 23 — с "
                      "24.11.2026, если требования не будут удовлетворены в срок).")
    with pytest.raises(Exception, match="ещё не начисляется"):
        penalty_appendix_context(case, None, escalation_sums(case, None, on), on)


def test_it_is_written_beside_the_letters_and_listed_among_their_attachments(tmp_path):
    case = case_of("kuper_late_delivery.yaml", "2026-11-03", "2026-11-04")
    result = escalate(case, out_dir=tmp_path, on=ON, options=EscalationOptions(only=("inaction", "court")))
    assert [d.kind for d in result.documents] == ["inaction", "court", "penalty"]
    assert result.documents[-1].path.name == "Расчёт_неустойки_заказ_R-84512376.docx"
    texts = {d.kind: normalize_spaces(document_text(d.path.read_bytes())) for d in result.documents}
    assert "\n3. Расчёт неустойки по состоянию на 10.12.2026\n" in texts["inaction"]
    assert re.search(r"Расчёт взыскиваемых денежных сумм, подписанный истцом\n\d+\. Расчёт неустойки по состоянию на "
                     r"10\.12\.2026\n", texts["court"])
    only_rpn = escalate(case, out_dir=tmp_path / "r", on=ON, options=EscalationOptions(only=("rospotrebnadzor",)))
    assert [d.kind for d in only_rpn.documents] == ["rospotrebnadzor"]


def test_the_court_sums_sheet_carries_the_same_figures_row_by_row(tmp_path):
    case = case_of("kuper_two_problems.yaml")
    result = escalate(case, out_dir=tmp_path, on=ON, options=EscalationOptions(only=("court",)))
    court = normalize_spaces(document_text(result.documents[0].path.read_bytes()))
    sheet = court[court.index("РАСЧЁТ\nвзыскиваемых"):]
    rows = table(result.documents[1].path.read_bytes())[1:-1]
    for row in rows:
        amount = row[-1]
        line = next(x for x in sheet.splitlines() if f"«Расчёт неустойки», строка {row[0]}." in x)
        assert f" — {amount.replace(',', ' руб. ', 1)} коп." in line, (line, amount)
    assert "539,40 руб. + 199,00 руб. + 11,94 руб. + 53,94 руб. + 59,70 руб. = 863,98 руб." in sheet


def test_escalate_json_lists_the_appendix_as_a_document(tmp_path):
    from typer.testing import CliRunner

    from complaint_cli.cli import app

    data = copy.deepcopy(load_example("kuper_expired_goods.yaml"))
    data["submission"].update(sent_on="2026-11-11", received_on="2026-11-12")
    path = write_yaml(tmp_path / "case.yaml", data)
    result = CliRunner().invoke(app, ["escalate", str(path), "--out", str(tmp_path / "out"), "--only", "иск",
                                      "--on", "10.12.2026", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [d["kind"] for d in doc["documents"]] == ["court", "penalty"]
    assert doc["penalty"] == "212.59"


def test_every_variable_of_the_appendix_template_is_documented():
    from complaint_cli.appendix import PENALTY_APPENDIX_VARIABLES
    from complaint_cli.customtemplates import used_variables
    from complaint_cli.render import load_template

    used = used_variables(load_template("penalty.docx").source)
    documented = set(PENALTY_APPENDIX_VARIABLES) | {k.split(".")[0] for k in PENALTY_APPENDIX_VARIABLES}
    assert {v for v in used if v.split(".")[0] not in {"loop", "row"}} <= documented


def test_the_tools_words_keep_their_no_break_spaces_and_the_order_number_its_hyphen():
    from complaint_cli.language import NB_HYPHEN
    from tests.test_typography import paragraph_texts

    docx = penalty_appendix_bytes(case_of("kuper_late_delivery.yaml", "2026-11-03", "2026-11-04"), ON)
    text = "\n".join(paragraph_texts(docx))
    assert re.search(r"№ \S", text) is None
    assert f"по заказу №\u00a0R{NB_HYPHEN}84512376 от 02.11.2026" in text
    cells = table(penalty_appendix_bytes(case_of("kuper_late_delivery.yaml", "2026-11-03", "2026-11-04"), ON))
    assert "{{" not in str(cells) and "{%" not in str(cells)
