"""Issue 18, item 1 «The receipt»: the fiscal QR code of a кассовый чек — read from a phone photo, a scan, a PDF page or
pasted as text — fills the order's date, time and sum and the receipt's ФН, ФД, ФП; in the wizard, ``new --receipt``,
case files and batch rows alike (the one validation path)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from decimal import Decimal
from pathlib import Path

import pytest
import segno
import yaml
from PIL import Image, ImageDraw, ImageFilter
from typer.testing import CliRunner

from complaint_cli import receipt as receipt_module
from complaint_cli.cli import app
from complaint_cli.receipt import NO_CODE, NOT_A_RECEIPT, ReceiptError, parse_qr, read_source
from complaint_cli.tabular import column_key
from complaint_cli.validation import validate_data
from tests.conftest import TODAY, write_yaml

QR = "t=20261102T1915&s=3480.00&fn=7380440700076549&i=41521&fp=2123456789&n=1"


@pytest.fixture
def late_case(late_case):
    """The not-delivered example with its slot after the receipt's 19:15: a receipt printed before a 17:00–18:00 slot
    of the same day cannot be (validation refuses an order placed after its own slot)."""
    late_case["order"]["delivery_window"] = "20:00–21:00"
    return late_case
REFUND = "t=20261105T1002&s=3480.00&fn=7380440700076549&i=41630&fp=3398710045&n=2"
runner = CliRunner()


def flat(text: str) -> str:
    """Text with every run of spaces (sums are printed with no-break spaces: «3 480,00») as one space."""
    return " ".join(text.split())


# --------------------------------------------------------------------------- receipts made in the test


def paper(text: str | None, *, qr_px: int = 520) -> Image.Image:
    """A white till receipt: lines of text and, under them, the QR code (none when ``text`` is None)."""
    sheet = Image.new("L", (900, 1700), 248)
    draw = ImageDraw.Draw(sheet)
    for i, line in enumerate(["KASSOVYI CHEK  PRIHOD", "OOO ROMASHKA  INN 7701234567", "Tvorog 5% 200 g   2 x 189.90",
                              "Dostavka   299.00", "ITOGO   =3480.00", "FN 7380440700076549  FD 41521",
                              "FP 2123456789"] * 2):
        draw.text((60, 60 + 62 * i), line, fill=25)
    if text is not None:
        buf = io.BytesIO()
        segno.make(text, error="m").save(buf, kind="png", scale=8, border=4)
        code = Image.open(io.BytesIO(buf.getvalue())).convert("L").resize((qr_px, qr_px), Image.NEAREST)
        sheet.paste(code, ((sheet.width - qr_px) // 2, sheet.height - qr_px - 60))
    return sheet


def phone_photo(text: str | None, *, size=(4000, 3000), qr_px: int = 520, quality: int = 60,
                blur: float = 2.2) -> bytes:
    """The receipt as a phone shoots it: on a grey table, rotated ~7°, scaled up to 12 MP, blurred, JPEG at 60."""
    sheet = paper(text, qr_px=qr_px)
    scale = size[1] * 0.9 / sheet.height
    sheet = sheet.resize((int(sheet.width * scale), int(sheet.height * scale)), Image.BICUBIC)
    table = Image.new("L", size, 95)
    table.paste(sheet, ((size[0] - sheet.width) // 2, (size[1] - sheet.height) // 2))
    photo = table.rotate(7, resample=Image.BICUBIC, fillcolor=95).filter(ImageFilter.GaussianBlur(blur))
    out = io.BytesIO()
    photo.convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


@pytest.fixture(scope="module")
def photos(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("чеки")
    made = {
        "photo": phone_photo(QR),
        "far": phone_photo(QR, qr_px=100, blur=1.0),  # a sharp but small code: found at full resolution only
        "blank": phone_photo(None),
        "refund": phone_photo(REFUND),
    }
    paths = {name: folder / f"{name}.jpg" for name in made}
    for name, data in made.items():
        paths[name].write_bytes(data)
    pdf = folder / "чек.pdf"
    paper(QR).convert("RGB").save(pdf, "PDF", resolution=150)  # a scan saved as PDF
    paths["pdf"] = pdf
    other = folder / "other.png"
    img = Image.new("L", (600, 600), 255)
    buf = io.BytesIO()
    segno.make("https://example.ru/promo").save(buf, kind="png", scale=10)
    img.paste(Image.open(io.BytesIO(buf.getvalue())), (50, 50))
    img.save(other)
    paths["other"] = other
    return paths


# --------------------------------------------------------------------------- the text of the code


@pytest.mark.parametrize(("text", "date", "clock", "amount", "operation"), [
    (QR, "2026-11-02", "19:15", "3480.00", 1),
    ("t=20261102T191500&s=3480.00&fn=7380440700076549&i=41521&fp=2123456789&n=1", "2026-11-02", "19:15", "3480.00", 1),
    ("t=20261102T1915&s=3480,5&fn=7380440700076549&i=41521&fp=2123456789&n=1", "2026-11-02", "19:15", "3480.50", 1),
    ("t=20261102T1915&s=3480&fn=7380440700076549&i=41521&fp=2123456789&n=1", "2026-11-02", "19:15", "3480.00", 1),
    ("n=1&fp=2123456789&i=41521&fn=7380440700076549&s=3480.00&t=20261102T1915", "2026-11-02", "19:15", "3480.00", 1),
    ("t=20261102T1915&s=3480.00&fn=7380440700076549&i=41521&fp=2123456789&n=1&ofd=taxcom&utm=x", "2026-11-02",
     "19:15", "3480.00", 1),
    ("T=20261102T1915&S=3480.00&FN=7380440700076549&I=41521&FP=2123456789&N=1", "2026-11-02", "19:15", "3480.00", 1),
    ("t%3D20261102T1915%26s%3D3480.00%26fn%3D7380440700076549%26i%3D41521%26fp%3D2123456789%26n%3D1", "2026-11-02",
     "19:15", "3480.00", 1),
    ("https://consumer.example-ofd.ru/v1?t=20261102T1915&s=3480.00&fn=7380440700076549&i=41521&fp=2123456789&n=1",
     "2026-11-02", "19:15", "3480.00", 1),
    ("  t=20261102T1915&s=3480.00\n&fn=7380440700076549 &i=41521&fp=2123456789&n=1\n", "2026-11-02", "19:15",
     "3480.00", 1),
    ("t=20261102T1915&s=3480.00&fn=7380440700076549&i=41521&fp=2123456789", "2026-11-02", "19:15", "3480.00", None),
    (REFUND, "2026-11-05", "10:02", "3480.00", 2),
])
def test_real_world_variants_of_the_qr_text_are_read_alike(text, date, clock, amount, operation):
    qr = parse_qr(text)
    assert (qr.date, qr.time, qr.amount, qr.operation) == (dt.date.fromisoformat(date), clock, Decimal(amount),
                                                           operation)
    assert (qr.fn, qr.fp) == ("7380440700076549", "2123456789" if operation != 2 else "3398710045")
    assert qr.text == "".join(text.split())  # kept as read, without whitespace


@pytest.mark.parametrize(("text", "message"), [
    ("t=20261102T1915&s=3480.00&fn=738044070007654&i=41521&fp=2123456789&n=1", "номер ФН (fn): нужно 16 цифр"),
    ("t=20261102T1915&s=3480.00&fn=7380440700076549&i=41521&fp=21234567890&n=1", "ФП (fp): нужно число до 10 цифр"),
    ("t=20261102T1915&s=3480.00&fn=7380440700076549&i=41521&fp=9999999999&n=1", "ФП (fp): нужно число до 10 цифр"),
    ("t=20261102T1915&s=3480.00&fn=7380440700076549&i=abc&fp=2123456789&n=1", "номер ФД (i)"),
    ("t=20261102T1915&s=3480.00&fn=7380440700076549&i=41521&fp=2123456789&n=5", "признак расчёта (n): допустимо 1"),
    ("t=20261131T1915&s=3480.00&fn=7380440700076549&i=41521&fp=2123456789&n=1", "неверные дата и время (t)"),
    ("t=20261102T1915&s=3 480 руб&fn=7380440700076549&i=41521&fp=2123456789&n=1", "неверная сумма (s)"),
    ("t=20261102T1915&s=3480.00&s=3500.00&fn=7380440700076549&i=41521&fp=2123456789", "указан дважды"),
    ("t=20261102T1915&s=3480.00", "нет: номер ФН (fn), номер ФД (i), ФП (fp)"),
    ("Кассовый чек № 41521", NOT_A_RECEIPT),
])
def test_a_wrong_qr_text_is_refused_naming_the_key(text, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        parse_qr(text)


# --------------------------------------------------------------------------- photos, scans, PDF


@pytest.mark.parametrize("name", ["photo", "far", "pdf"])
def test_the_code_is_read_from_a_phone_photo_a_distant_shot_and_a_pdf(photos, name):
    reading = read_source(str(photos[name]))
    assert reading.problem is None
    assert reading.qr.text == QR and reading.file == photos[name]


def test_a_refund_receipt_is_read_as_such(photos):
    assert read_source(str(photos["refund"])).qr.operation == 2


@pytest.mark.parametrize(("name", "problem"), [("blank", NO_CODE), ("other", receipt_module.OTHER_CODE)])
def test_a_photo_without_a_receipt_code_is_no_error_but_says_why(photos, name, problem):
    reading = read_source(str(photos[name]))
    assert reading.qr is None and reading.problem == problem and reading.file == photos[name]


def test_a_missing_file_or_one_that_is_no_image_is_a_russian_error(tmp_path):
    with pytest.raises(ReceiptError, match="файл чека не найден"):
        read_source(str(tmp_path / "нет.jpg"))
    (tmp_path / "чек.jpg").write_text("это не картинка", encoding="utf-8")
    with pytest.raises(ReceiptError, match="не открывается как изображение или PDF"):
        read_source(str(tmp_path / "чек.jpg"))


def test_a_12_megapixel_photo_is_read_in_well_under_a_second(photos):
    receipt_module._decode_cached.cache_clear()
    started = time.perf_counter()
    assert read_source(str(photos["photo"])).qr is not None
    assert time.perf_counter() - started < 1.5  # measured ≈ 0.1 s; a generous bound for a loaded test machine


# --------------------------------------------------------------------------- the one validation path


def with_receipt(case: dict, **receipt) -> dict:
    case["order"]["receipt"] = receipt
    return case


def test_a_case_with_the_qr_text_gets_the_date_time_sum_and_fiscal_details(late_case):
    for key in ("date", "time", "amount"):
        late_case["order"].pop(key)
    report = validate_data(with_receipt(late_case, qr=QR), today=TODAY)
    assert report.errors == [] and not [w for w in report.warnings if w.startswith("order.")]
    order = report.case.order
    assert (order.date, order.time, order.amount) == (dt.date(2026, 11, 2), "19:15", Decimal("3480.00"))
    assert (order.receipt.fn, order.receipt.fd, order.receipt.fp, order.receipt.operation) == (
        "7380440700076549", "41521", "2123456789", 1)
    assert report.case.to_data()["order"]["receipt"]["fd"] == "41521"  # written to the case file


@pytest.mark.parametrize(("typed", "kept", "warning"), [
    ({"date": "2026-11-01"}, ("date", dt.date(2026, 11, 1)),
     "order.date: указана дата заказа 01.11.2026, а в кассовом чеке — 02.11.2026"),
    ({"amount": "3 500,00"}, ("amount", Decimal("3500.00")),
     "order.amount: указана сумма заказа 3 500,00 руб., а в кассовом чеке — 3 480,00 руб."),
    ({"time": "10:15"}, ("time", "10:15"), "order.time: указано время заказа 10:15, а в кассовом чеке — 19:15"),
])
def test_a_case_that_disagrees_with_its_receipt_keeps_its_own_values_with_a_warning(late_case, typed, kept, warning):
    late_case["order"].update({"date": "2026-11-02", "time": "19:15", "amount": "3480.00"} | typed)
    report = validate_data(with_receipt(late_case, qr=QR), today=TODAY)
    assert report.errors == []
    assert getattr(report.case.order, kept[0]) == kept[1]
    assert [w for w in report.warnings if flat(w).startswith(warning)]


def test_a_refund_receipt_is_said_so_and_never_taken_as_the_order_sum(late_case):
    late_case["order"].pop("amount")
    report = validate_data(with_receipt(late_case, qr=REFUND), today=TODAY)
    assert report.case.order.amount is None
    assert "order.amount" in report.error_fields()
    assert any(w.startswith("order.receipt.operation: кассовый чек — «возврат прихода» (2), а не покупка")
               for w in report.warnings)


def test_a_wrong_qr_text_in_a_case_file_is_an_error_at_its_key(late_case):
    report = validate_data(with_receipt(late_case, qr=QR.replace("fn=7380440700076549", "fn=12")), today=TODAY)
    assert [(p.field, p.message) for p in report.errors] == [
        ("order.receipt.qr", "в QR-коде чека неверный номер ФН (fn): нужно 16 цифр")]


def test_a_receipt_from_the_future_is_refused_like_any_order_date(late_case):
    late_case["order"].pop("date")
    report = validate_data(with_receipt(late_case, qr=QR.replace("20261102", "20261230")), today=TODAY)
    assert "order.date" in report.error_fields()


# --------------------------------------------------------------------------- batch rows


def row_case(late_case, **order) -> dict:
    for key in ("date", "time", "amount"):
        late_case["order"].pop(key)
    late_case["order"].update(order)
    return late_case


def test_a_batch_row_with_a_receipt_file_under_the_tables_folder_is_filled(photos, late_case):
    data = row_case(late_case, receipt={"file": photos["photo"].name})
    report = validate_data(data, today=TODAY, receipt_folder=photos["photo"].parent)
    assert report.errors == []
    assert (report.case.order.date, report.case.order.amount) == (dt.date(2026, 11, 2), Decimal("3480.00"))
    assert report.case.order.receipt.file == "photo.jpg"  # as the cell gave it
    assert "qr" not in data["order"]["receipt"]  # the row itself is not changed


def test_a_batch_row_may_not_read_a_file_outside_the_tables_folder(photos, late_case, tmp_path):
    data = row_case(late_case, receipt={"file": str(photos["photo"])})
    report = validate_data(data, today=TODAY, receipt_folder=tmp_path)
    assert ("order.receipt.file", "файл чека должен лежать в папке таблицы (или в её подпапках)") in [
        (p.field, p.message) for p in report.errors]


def test_a_batch_row_whose_photo_has_no_code_is_warned_and_needs_the_cells(photos, late_case):
    report = validate_data(row_case(late_case, receipt={"file": "blank.jpg"}), today=TODAY,
                           receipt_folder=photos["blank"].parent)
    assert {"order.date", "order.amount"} <= report.error_fields()
    assert f"order.receipt.file: {NO_CODE}" in report.warnings


def test_rows_without_a_receipt_file_read_no_image(late_case, monkeypatch, tmp_path):
    def boom(*args):
        raise AssertionError("an image was decoded")

    monkeypatch.setattr(receipt_module, "decode_file", boom)
    assert validate_data(late_case, today=TODAY, receipt_folder=tmp_path).errors == []
    qr_only = row_case(late_case, receipt={"qr": QR, "file": "нет_такого.jpg"})  # the QR column wins: no reading
    assert validate_data(qr_only, today=TODAY, receipt_folder=tmp_path).errors == []


def test_batch_fills_date_time_and_sum_from_the_receipt_columns(photos, tmp_path):
    from tests.test_batch import case_row, write_rows

    folder = photos["photo"].parent
    empty = {"order.date": "", "order.time": "", "order.amount": ""}
    slot = {"order.delivery_window": "20:00–21:00"}  # after the receipt's 19:15 (see the late_case fixture)
    rows = [case_row(1, **empty, **slot, **{"order.receipt.file": "photo.jpg"}),
            case_row(2, **empty, **slot, **{"order.receipt.qr": QR}),
            case_row(3, **slot, **{"order.receipt.qr": QR})]  # typed cells that disagree: kept, with a warning
    source = write_rows(folder / "дела.csv", rows)
    text = source.read_text(encoding="utf-8").replace("order.receipt.file", "Чек: файл (фото, скан или PDF)", 1)
    source.write_text(text.replace("order.receipt.qr", "QR-код чека", 1), encoding="utf-8")
    result = runner.invoke(app, ["batch", str(source), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    cases = {}
    for path in (tmp_path / "out").rglob("дело_*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        cases[data["order"]["number"]] = data["order"]
    for number in ("R-00001", "R-00002"):
        assert (cases[number]["date"], cases[number]["time"], cases[number]["amount"]) == ("2026-11-02", "19:15",
                                                                                           "3480.00")
        assert cases[number]["receipt"]["fd"] == "41521"
    assert cases["R-00003"]["amount"] == "4870.00"
    report = list(csv.reader(io.StringIO((tmp_path / "out" / "отчёт.csv").read_text(encoding="utf-8-sig")),
                             delimiter=";"))
    assert any("в кассовом чеке — 3 480,00 руб." in flat(cell) for row in report for cell in row)


def test_the_receipt_columns_have_russian_names():
    assert column_key("Чек: файл (фото, скан или PDF)") == "order.receipt.file"
    assert column_key("QR-код чека") == "order.receipt.qr"
    assert column_key("Чек: ФД") == "order.receipt.fd"


# --------------------------------------------------------------------------- complaint new --receipt


def test_new_with_a_receipt_photo_fills_the_case_and_attaches_the_file(photos, late_case, tmp_path):
    for key in ("date", "time", "amount"):
        late_case["order"].pop(key)
    answers = write_yaml(tmp_path / "дело.yaml", late_case)
    result = runner.invoke(app, ["new", "--answers", str(answers), "--receipt", str(photos["photo"]), "--no-input",
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "Прочитан QR-код чека: 02.11.2026 19:15, 3 480,00 руб. (ФН 7380440700076549, ФД 41521, ФП 2123456789)" in (
        flat(result.stderr))
    saved = yaml.safe_load((tmp_path / "out" / "дело_R-84512376.yaml").read_text(encoding="utf-8"))["order"]
    assert (saved["date"], saved["time"], saved["amount"]) == ("2026-11-02", "19:15", "3480.00")
    assert saved["receipt"] == {"fn": "7380440700076549", "fd": "41521", "fp": "2123456789", "operation": 1, "qr": QR,
                                "file": str(photos["photo"])}


def test_new_with_a_receipt_that_disagrees_keeps_the_answers_and_warns(late_case, tmp_path):
    answers = write_yaml(tmp_path / "дело.yaml", late_case)  # 02.11.2026 10:15, 4 870,00 руб.
    result = runner.invoke(app, ["new", "--answers", str(answers), "--receipt", QR, "--no-input",
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    saved = yaml.safe_load((tmp_path / "out" / "дело_R-84512376.yaml").read_text(encoding="utf-8"))["order"]
    assert (saved["time"], saved["amount"]) == ("10:15", "4870.00")
    output = flat(result.output)
    assert "указана сумма заказа 4 870,00 руб., а в кассовом чеке — 3 480,00 руб." in output
    assert "указано время заказа 10:15, а в кассовом чеке — 19:15" in output


def test_new_with_a_photo_without_a_code_says_so_and_asks_for_the_date(photos, late_case, tmp_path):
    late_case["order"].pop("date")
    answers = write_yaml(tmp_path / "дело.yaml", late_case)
    result = runner.invoke(app, ["new", "--answers", str(answers), "--receipt", str(photos["blank"]), "--no-input",
                                 "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "QR-код кассового чека в файле не найден" in result.stderr
    assert "Дата заказа (order.date): обязательное поле не заполнено" in result.stderr


@pytest.mark.parametrize(("source", "message"), [
    ("нет_такого.jpg", "файл чека не найден"),
    ("t=20261102T1915&s=3480.00&fn=1&i=41521&fp=2123456789&n=1", "неверный номер ФН (fn)"),
])
def test_new_with_a_receipt_it_cannot_read_stops_with_a_russian_error(tmp_path, source, message):
    result = runner.invoke(app, ["new", "--receipt", source, "--no-input", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.output


# --------------------------------------------------------------------------- the wizard


def test_the_wizard_reads_a_receipt_photo_and_does_not_ask_its_date_and_sum(photos):
    from tests.test_wizard import COMPANY_AND_ORDER, FULL, PERSONAL, REVIEW_OK, drive

    at = len(PERSONAL) + 2  # the receipt question, right after the order number
    keys = FULL[:at] + [str(photos["photo"]) + "\r"] + FULL[at + 3:] + REVIEW_OK  # no date, no amount typed
    assert COMPANY_AND_ORDER[1:4] == ["R-84512376\r", "\r", "02.11.2026\r"]
    wizard, asker, log = drive(keys)
    assert "Дата заказа" not in asker.questions
    assert not any(q.startswith("Сколько вы заплатили") for q in asker.questions)
    assert "Прочитан QR-код чека: 02.11.2026 19:15, 3 480,00 руб." in flat(log)
    order = validate_data(wizard.data, today=TODAY).case.order
    assert (order.date, order.time, order.amount) == (dt.date(2026, 11, 2), "19:15", Decimal("3480.00"))
    assert order.receipt.file == str(photos["photo"]) and order.receipt.fd == "41521"


def test_the_wizard_goes_on_when_the_photo_has_no_code(photos):
    from tests.test_wizard import FULL, PERSONAL, REVIEW_OK, drive

    at = len(PERSONAL) + 2
    keys = FULL[:at] + [str(photos["blank"]) + "\r"] + FULL[at + 1:] + REVIEW_OK
    wizard, asker, log = drive(keys)
    assert "QR-код кассового чека в файле не найден" in flat(log)
    assert "Дата заказа" in asker.questions  # asked as before
    assert wizard.data["order"]["receipt"] == {"file": str(photos["blank"])}


def test_the_wizard_refuses_a_file_that_is_not_there_at_the_prompt(tmp_path):
    from tests.test_wizard import FULL, PERSONAL, REVIEW_OK, drive

    at = len(PERSONAL) + 2
    keys = FULL[:at] + [str(tmp_path / "нет.jpg") + "\r", "\x15\r"] + FULL[at + 1:] + REVIEW_OK
    _, asker, _ = drive(keys)
    assert any(m.startswith("Файл чека не найден") for m in asker.shown)


@pytest.mark.parametrize(("choice", "amount"), [("\r", Decimal("3480.00")), ("\x1b[B\r", Decimal("4870.00"))])
def test_the_wizard_asks_which_to_keep_when_the_receipt_disagrees(late_case, choice, amount):
    from tests.test_wizard import drive

    late_case["order"]["receipt"] = {"qr": QR}  # an answers file: 02.11.2026 10:15, 4 870,00 руб.
    wizard, asker, log = drive([choice, "\r"], late_case)
    assert asker.questions[0] == "Что указать в претензии?"
    assert "В ваших ответах: время 10:15; сумма 4 870,00 руб.; в кассовом чеке: время 19:15; сумма 3 480,00 руб. Чек" in (
        flat(log))
    assert validate_data(wizard.data, today=TODAY).case.order.amount == amount


@pytest.mark.parametrize("typed", ["'{}'", '"{}"', "{escaped}", "  {}  "])
def test_a_file_dragged_into_the_terminal_is_found_quoted_or_escaped(photos, tmp_path, typed):
    target = tmp_path / "чек из магазина.jpg"
    target.write_bytes(photos["photo"].read_bytes())
    reading = read_source(typed.format(str(target), escaped=str(target).replace(" ", "\\ ")))
    assert reading.file == target and reading.qr.text == QR


# --------------------------------------------------------------------------- hostile files


def test_a_pdf_with_a_giant_page_is_drawn_within_a_pixel_budget(tmp_path):
    """A 1-KB PDF whose page is 200 inches square: drawn at 200 dpi it took 16 s and 4.8 GB; now at most
    PDF_MAX_PIXELS are drawn (a tenth of a second, tens of megabytes)."""
    from PIL import Image

    from complaint_cli.receipt import PDF_MAX_PIXELS, _pdf_codes

    Image.new("L", (100, 100), 255).save(tmp_path / "огромный.pdf", resolution=0.5)
    drawn = []
    import pypdfium2 as pdfium

    original = pdfium.PdfPage.render

    def spy(page, **kw):
        bitmap = original(page, **kw)
        drawn.append(bitmap.width * bitmap.height)
        return bitmap

    pdfium.PdfPage.render = spy
    try:
        started = time.perf_counter()
        assert _pdf_codes(str(tmp_path / "огромный.pdf")) == []
    finally:
        pdfium.PdfPage.render = original
    assert drawn and max(drawn) <= PDF_MAX_PIXELS * 1.01
    assert time.perf_counter() - started < 5


def test_a_decompression_bomb_image_is_refused_with_a_message(tmp_path, monkeypatch):
    from PIL import Image

    from complaint_cli.receipt import ReceiptError, _photo_codes

    Image.new("L", (3000, 3000), 255).save(tmp_path / "бомба.png")  # 9 MP; the limit lowered to 4 MP for the test
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 4_000_000)
    with pytest.raises(ReceiptError, match="слишком большое"):
        _photo_codes(str(tmp_path / "бомба.png"))


def test_a_qr_text_longer_than_a_file_name_is_read_as_text(tmp_path):
    """10 000 characters of unknown keys after a real code: a text, not a file name too long for the system."""
    from complaint_cli.receipt import read_source

    reading = read_source(QR + "&x=" + "A" * 10_000)
    assert reading.file is None and reading.qr is not None and reading.qr.amount == Decimal("3480.00")


def test_a_path_of_thousands_of_characters_is_shown_cut_in_messages():
    from complaint_cli.errors import from_os_error

    exc = OSError(36, "File name too long", "a" * 5000)
    message = from_os_error(exc).message
    assert len(message) < 600 and "(5000 символов)" in message


def test_a_receipt_path_with_a_nul_byte_is_a_message_not_a_crash():
    from complaint_cli.receipt import ReceiptError, read_source

    with pytest.raises(ReceiptError, match="нулевой байт"):
        read_source("чек\x00.jpg")
