"""Evidence photos and the receipt in «Приложения» (issue 18, item 2).

A photo is listed with the time it was taken, as its EXIF header says (the camera's local time, no time zone); a
photo without one, with another time than the one typed, or taken after the claim or before the order, is a
warning. The receipt (``order.receipt``) is the first attachment of every letter, and its file is checked, copied
and attached like any evidence file.
"""

from __future__ import annotations

import datetime as dt
import io
import time
from pathlib import Path

import pytest
from PIL import Image

from complaint_cli.claim import attachment_lines, claim_context
from complaint_cli.errors import InvalidCase
from complaint_cli.evidence import EVIDENCE_FOLDER, evidence_files, photo_warnings, with_attachment_names
from complaint_cli.photos import CaptureTime, capture_time, is_photo, parse_exif_time
from complaint_cli.render import document_text
from complaint_cli.service import render_claim_for_file
from complaint_cli.validation import build_case, validate_data
from tests.conftest import write_yaml

ON = dt.date(2026, 11, 25)
EXIF_IFD, ORIGINAL, DIGITIZED, DATETIME, OFFSET = 0x8769, 0x9003, 0x9004, 0x0132, 0x9011
NB = "\u00a0"
RECEIPT = {"fn": "7380440700076549", "fd": "41521", "fp": "2123456789", "operation": 1}
RECEIPT_LINE = (f"Копия кассового чека от 10.11.2026 на сумму 1{NB}250,50{NB}руб. (ФН{NB}7380440700076549, "
                f"ФД{NB}41521, ФП{NB}2123456789")


def jpeg(tags: dict[int, str] | None = None, size=(64, 48), **exif_ifd: str) -> bytes:
    """A JPEG with the given IFD0 tags and Exif-IFD tags (``ORIGINAL="2026:11:10 21:15:42"`` by tag name)."""
    exif = Image.Exif()
    for tag, value in (tags or {}).items():
        exif[tag] = value
    names = {"original": ORIGINAL, "digitized": DIGITIZED, "offset": OFFSET}
    for name, value in exif_ifd.items():
        exif.get_ifd(EXIF_IFD)[names[name]] = value
    out = io.BytesIO()
    Image.new("RGB", size, (200, 160, 120)).save(out, "JPEG", exif=exif)
    return out.getvalue()


def case_of(data: dict):
    case, problems, _ = build_case(data)
    assert problems == []
    return case


# --------------------------------------------------------------------------- reading the capture time

@pytest.mark.parametrize(("written", "expected"), [
    ("2026:11:02 22:47:13", (dt.date(2026, 11, 2), "22:47")),
    ("2026:11:02 22:47:13\x00", (dt.date(2026, 11, 2), "22:47")),  # as some cameras pad it
    (b"2026:11:02 09:05:00", (dt.date(2026, 11, 2), "09:05")),
    ("2026-11-02T22:47", (dt.date(2026, 11, 2), "22:47")),  # what some editors write
    ("0000:00:00 00:00:00", None),  # a camera whose clock was never set
    ("    :  :     :  :  ", None),  # the standard's «unknown»
    ("2026:13:40 10:00:00", None),
    ("2026:11:02 25:00:00", None),
    ("1970:01:01 00:00:00", None),  # a reset clock, not a date
    ("", None),
    (None, None),
    (20261102, None),
])
def test_an_exif_time_is_read_as_the_camera_wrote_it_or_not_at_all(written, expected):
    assert parse_exif_time(written) == expected


@pytest.mark.parametrize(("ifd0", "exif_ifd", "expected"), [
    ({}, {"original": "2026:11:10 21:15:42", "digitized": "2026:11:10 21:16:00"},
     CaptureTime(dt.date(2026, 11, 10), "21:15", "DateTimeOriginal")),
    ({DATETIME: "2026:11:12 08:00:00"}, {"digitized": "2026:11:10 21:16:00"},
     CaptureTime(dt.date(2026, 11, 10), "21:16", "DateTimeDigitized")),
    ({DATETIME: "2026:11:12 08:00:00"}, {}, CaptureTime(dt.date(2026, 11, 12), "08:00", "DateTime")),
    ({DATETIME: "2026:11:12 08:00:00"}, {"original": "0000:00:00 00:00:00"},  # a blank original: the next tag
     CaptureTime(dt.date(2026, 11, 12), "08:00", "DateTime")),
    # the camera's local time, as the phone showed it: the offset is neither applied nor printed
    ({}, {"original": "2026:11:10 23:30:00", "offset": "+10:00"},
     CaptureTime(dt.date(2026, 11, 10), "23:30", "DateTimeOriginal")),
    ({}, {}, None),
])
def test_the_capture_time_is_the_original_then_the_digitized_then_the_files_time(ifd0, exif_ifd, expected):
    assert capture_time(io.BytesIO(jpeg(ifd0, **exif_ifd))) == expected


def test_reading_the_time_decodes_no_pixels_and_takes_well_under_a_millisecond_per_photo():
    data = jpeg(original="2026:11:10 21:15:42", size=(4000, 3000))  # a 12-megapixel phone photo
    sos = data.index(b"\xff\xda")  # start of scan: its header, then the compressed pixels
    header = data[: sos + 2 + int.from_bytes(data[sos + 2:sos + 4], "big")]  # no pixel data at all
    assert capture_time(io.BytesIO(header)) == CaptureTime(dt.date(2026, 11, 10), "21:15", "DateTimeOriginal")
    capture_time(io.BytesIO(data))  # Pillow imported
    start = time.perf_counter()
    for _ in range(50):
        capture_time(io.BytesIO(data))
    assert (time.perf_counter() - start) / 50 < 0.005  # measured ≈ 0.3 ms; decoding the pixels takes ≈ 100 ms


@pytest.mark.parametrize("content", [
    b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4,  # a JPEG by its first bytes only
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
    b"%PDF-1.4 not an image",
])
def test_a_file_pillow_cannot_read_has_no_time_and_is_no_error(content):
    assert capture_time(io.BytesIO(content), "image/jpeg") is None


def test_an_iphone_heic_photo_has_its_time_read_through_pillow_heif():
    import pillow_heif

    exif = Image.Exif()
    exif.get_ifd(EXIF_IFD)[ORIGINAL] = "2026:11:10 21:15:42"
    out = io.BytesIO()
    try:
        pillow_heif.from_pillow(Image.new("RGB", (64, 48), (10, 20, 30))).save(out, quality=30, exif=exif.tobytes())
    except Exception as exc:  # noqa: BLE001 - a libheif built without an encoder can read but not write HEIC
        pytest.skip(f"pillow-heif cannot write HEIC here ({exc})")
    out.seek(0)
    assert capture_time(out, "image/heic") == CaptureTime(dt.date(2026, 11, 10), "21:15", "DateTimeOriginal")


@pytest.mark.parametrize(("mime", "description", "photo"), [
    ("image/jpeg", "Упаковка йогурта", True),  # a camera's format: a photo whatever it is called
    ("image/heic", "Крышка", True),
    ("image/png", "Фотографии содержимого пакетов", True),  # a PNG called a photo
    ("image/png", "Заказ в приложении", False),  # a PNG otherwise: a screenshot or a drawing
    ("image/jpeg", "Скриншот переписки с поддержкой", False),
    ("image/png", "Снимок экрана с заказом", False),
    ("application/pdf", "Фото чека", False),
    (None, "Фото", False),
])
def test_what_counts_as_a_photo(mime, description, photo):
    assert is_photo(mime, description) is photo


# --------------------------------------------------------------------------- the letter and the warnings

@pytest.fixture
def photo_case(tmp_path, expired_case):
    """The expired-yoghurt case (ordered 10.11.2026, claim sent 11.11.2026): a photo with EXIF, one without, and the
    receipt's photo with its fiscal details."""
    folder = tmp_path / "дело"
    folder.mkdir()
    (folder / "упаковка.jpg").write_bytes(jpeg(original="2026:11:10 21:15:42", offset="+03:00"))
    (folder / "крышка.jpg").write_bytes(jpeg())
    (folder / "чек.jpg").write_bytes(jpeg())
    expired_case["order"]["receipt"] = {**RECEIPT, "file": "чек.jpg"}
    expired_case["evidence"] = [
        {"description": "Фотография упаковки", "file": "упаковка.jpg"},
        {"description": "Фотография крышки", "file": "крышка.jpg"},
        {"description": "Кассовый чек продавца ООО «Ромашка-Ритейл»"},  # what order.receipt now says
        {"description": "Скриншот переписки с поддержкой"},
    ]
    return folder, expired_case


def render(folder: Path, data: dict):
    path = write_yaml(folder / "case.yaml", data)
    result = render_claim_for_file(path, on=ON, fmt="docx")
    text = document_text(result.documents[0].path.read_bytes())
    return result, text.split("Приложения:\n", 1)[1].rsplit("\n", 1)[0].splitlines()


def test_the_claim_lists_the_receipt_then_each_photo_with_the_time_it_was_taken(photo_case):
    folder, data = photo_case
    result, attachments = render(folder, data)
    assert attachments == [
        f"1. {RECEIPT_LINE}; файл чек.jpg)",
        "2. Фотография упаковки (снято 10.11.2026 в 21:15, файл упаковка.jpg)",
        "3. Фотография крышки (файл крышка.jpg)",
        "4. Скриншот переписки с поддержкой",
    ]
    assert sorted(p.name for p in (result.documents[0].path.parent / EVIDENCE_FOLDER).iterdir()) == [
        "крышка.jpg", "упаковка.jpg", "чек.jpg"]
    photo = [w for w in result.warnings if w.startswith("evidence.")]
    assert photo == [
        "evidence.1.file: у фотографии «крышка.jpg» нет даты съёмки в данных файла (EXIF) — такое доказательство "
        "слабее; по возможности приложите исходный снимок с телефона (не пересланный через мессенджер, который "
        "стирает эти данные). Если помните, когда сделан снимок, укажите это в деле: taken_on (ДД.ММ.ГГГГ) и "
        "taken_at (ЧЧ:ММ)."]


@pytest.mark.parametrize(("exif", "typed", "listed", "warning"), [
    # the file's time, nothing typed: stated, no warning
    ("2026:11:10 21:15:42", {}, "снято 10.11.2026 в 21:15", None),
    # the same day typed without a time, or the same minute: no warning
    ("2026:11:10 21:15:42", {"taken_on": "10.11.2026"}, "снято 10.11.2026 в 21:15", None),
    ("2026:11:10 21:15:42", {"taken_on": "10.11.2026", "taken_at": "21:15"}, "снято 10.11.2026 в 21:15", None),
    # the file wins over what was typed, and the user is told
    ("2026:11:10 21:15:42", {"taken_on": "10.11.2026", "taken_at": "10:00"}, "снято 10.11.2026 в 21:15",
     "evidence.0.file: по данным файла «фото.jpg» снимок сделан 10.11.2026 в 21:15, а в деле указано 10.11.2026 в "
     "10:00 — в письме указано время из файла."),
    ("2026:11:11 08:00:00", {"taken_on": "10.11.2026"}, "снято 11.11.2026 в 08:00",
     "по данным файла «фото.jpg» снимок сделан 11.11.2026 в 08:00, а в деле указано 10.11.2026 — в письме"),
    # no time in the file: the typed one is stated, and the evidence is weaker
    (None, {"taken_on": "10.11.2026", "taken_at": "21:00"}, "снято 10.11.2026 в 21:00",
     "В письме указана дата из дела (10.11.2026 в 21:00)."),
    (None, {}, None, "taken_on (ДД.ММ.ГГГГ) и taken_at (ЧЧ:ММ)."),
    # a photo taken after the claim (sent 11.11.2026) or before the order (10.11.2026): probably another file
    ("2026:11:20 12:00:00", {}, "снято 20.11.2026 в 12:00",
     "evidence.0.file: по данным файла «фото.jpg» снимок сделан 20.11.2026 — позже даты претензии (11.11.2026). "
     "Вероятно, это не тот файл или ошибка в дате; проверьте."),
    ("2026:10:01 12:00:00", {}, "снято 01.10.2026 в 12:00",
     "evidence.0.file: по данным файла «фото.jpg» снимок сделан 01.10.2026 — раньше даты заказа (10.11.2026)."),
])
def test_the_photos_time_in_the_letter_and_what_the_user_is_told(tmp_path, expired_case, exif, typed, listed,
                                                                   warning):
    (tmp_path / "фото.jpg").write_bytes(jpeg(original=exif) if exif else jpeg())
    expired_case["evidence"] = [{"description": "Фото крышки", "file": "фото.jpg", **typed}]
    result, attachments = render(tmp_path, expired_case)
    assert attachments == [f"1. Фото крышки ({listed + ', ' if listed else ''}файл фото.jpg)"]
    photo = [w for w in result.warnings if w.startswith("evidence.0.")]
    if warning is None:
        assert photo == []
    else:
        assert len(photo) == 1 and warning in photo[0], photo


def test_a_screenshot_has_no_capture_time_and_gets_no_warning(tmp_path, expired_case):
    (tmp_path / "чат.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    expired_case["evidence"] = [{"description": "Скриншот переписки", "file": "чат.png"}]
    result, attachments = render(tmp_path, expired_case)
    assert attachments == ["1. Скриншот переписки (файл чат.png)"]
    assert not [w for w in result.warnings if w.startswith("evidence.")]


@pytest.mark.parametrize(("taken_on", "warning"), [
    ("10.11.2026", None),
    ("11.11.2026", None),  # the claim's own day
    ("12.11.2026", "evidence.0.taken_on: в деле указано, что снимок сделан 12.11.2026 — позже даты претензии "
                   "(11.11.2026). Вероятно, это не тот файл или ошибка в дате; проверьте."),
    ("09.11.2026", "evidence.0.taken_on: в деле указано, что снимок сделан 09.11.2026 — раньше даты заказа "
                   "(10.11.2026). Вероятно, это не тот файл или ошибка в дате; проверьте."),
])
def test_a_typed_capture_date_outside_the_case_is_a_validation_warning(expired_case, taken_on, warning):
    expired_case["evidence"][0]["taken_on"] = taken_on
    warnings = [w for w in validate_data(expired_case, today=ON).warnings if w.startswith("evidence.")]
    assert warnings == ([warning] if warning else [])


def test_a_typed_time_without_a_date_is_a_warning_and_not_printed(expired_case):
    expired_case["evidence"][0]["taken_at"] = "21:15"
    report = validate_data(expired_case, today=ON)
    assert "evidence.0.taken_at: время съёмки без даты (taken_on) в письме не указывается — добавьте дату" \
        in report.warnings
    assert attachment_lines(report.case)[0] == "Фотографии упаковки с датой изготовления и сроком годности"


# --------------------------------------------------------------------------- the receipt

@pytest.mark.parametrize(("receipt", "evidence", "lines"), [
    # a paper receipt: listed all the same (a copy goes with the letter); the evidence item naming it is its line now
    (RECEIPT, [{"description": "Кассовый чек"}, {"description": "Фото"}],
     [f"{RECEIPT_LINE})", "Фото"]),
    ({"fn": "7380440700076549"}, [{"description": "Копия кассового чека"}],
     [f"Копия кассового чека от 10.11.2026 на сумму 1{NB}250,50{NB}руб. (ФН{NB}7380440700076549)"]),
    ({"file": "чек.pdf"}, [{"description": "Электронный кассовый чек по заказу"}],
     [f"Копия кассового чека от 10.11.2026 на сумму 1{NB}250,50{NB}руб. (файл чек.pdf)"]),
    # an evidence item with a file of its own is the user's: kept
    (RECEIPT, [{"description": "Кассовый чек", "file": "скан.pdf"}],
     [f"{RECEIPT_LINE})", "Кассовый чек (файл скан.pdf)"]),
    # «Чек-лист» is no receipt
    (RECEIPT, [{"description": "Чек-лист курьера"}], [f"{RECEIPT_LINE})", "Чек-лист курьера"]),
    # no receipt in the case: the evidence as it was
    (None, [{"description": "Кассовый чек"}], ["Кассовый чек"]),
    ({}, [{"description": "Кассовый чек"}], ["Кассовый чек"]),
])
def test_the_receipt_is_the_first_attachment(expired_case, receipt, evidence, lines):
    expired_case["order"]["receipt"] = receipt
    expired_case["evidence"] = evidence
    assert attachment_lines(case_of(expired_case)) == lines


def test_the_receipt_line_without_the_orders_date_and_sum(expired_case):
    del expired_case["order"]["date"], expired_case["order"]["amount"]
    expired_case["order"]["receipt"] = {"fd": "41521"}
    assert attachment_lines(case_of(expired_case))[0] == f"Копия кассового чека (ФД{NB}41521)"


def test_the_receipts_file_is_checked_like_evidence_and_named_at_its_field(tmp_path, expired_case):
    (tmp_path / "чек.jpg").write_bytes(b"-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n")
    expired_case["order"]["receipt"] = {"file": "чек.jpg"}
    expired_case["evidence"] = [{"description": "Фото", "file": "нет.jpg"}]
    with pytest.raises(InvalidCase) as info:
        evidence_files(case_of(expired_case), tmp_path)
    assert [p.field for p in info.value.problems] == ["order.receipt.file", "evidence.0.file"]
    expired_case["order"]["receipt"] = {"file": "~/.ssh/id_ed25519"}
    expired_case["evidence"] = []
    with pytest.raises(InvalidCase) as info:
        evidence_files(case_of(expired_case), tmp_path)
    assert [p.field for p in info.value.problems] == ["order.receipt.file"]


def test_the_receipt_and_a_photo_with_the_same_name_get_distinct_names(tmp_path, expired_case):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "IMG_1.jpg").write_bytes(jpeg())
    (tmp_path / "IMG_1.jpg").write_bytes(jpeg(original="2026:11:10 21:15:42"))
    expired_case["order"]["receipt"] = {"file": "a/IMG_1.jpg"}
    expired_case["evidence"] = [{"description": "Фото", "file": "IMG_1.jpg"}]
    case = case_of(expired_case)
    files = evidence_files(case, tmp_path)
    assert [(f.field, f.name) for f in files] == [("order.receipt.file", "IMG_1.jpg"),
                                                  ("evidence.0.file", "IMG_1_2.jpg")]
    assert attachment_lines(with_attachment_names(case, files)) == [
        f"Копия кассового чека от 10.11.2026 на сумму 1{NB}250,50{NB}руб. (файл IMG_1.jpg)",
        "Фото (снято 10.11.2026 в 21:15, файл IMG_1_2.jpg)"]
    assert photo_warnings(case, files, on=ON) == []  # the receipt's photo is no evidence photo: no time expected


def test_the_email_draft_attaches_the_receipt(photo_case):
    from complaint_cli.emaildraft import write_email_draft

    folder, data = photo_case
    data["company"]["email"] = "pretenzii@kuper.example"
    render(folder, data)
    draft = write_email_draft(folder / "case.yaml", on=ON)
    assert [a.name for a in draft.attachments][1:] == ["чек.jpg", "упаковка.jpg", "крышка.jpg"]


def test_the_rospotrebnadzor_complaint_and_its_guide_list_the_receipt_with_its_file(photo_case):
    from complaint_cli.escalation import escalation_deadline, rospotrebnadzor_context
    from complaint_cli.guides import files_to_attach

    folder, data = photo_case
    data["submission"]["received_on"] = "12.11.2026"
    path = write_yaml(folder / "case.yaml", data)
    case = validate_data(data, today=ON).raise_for_errors()
    ctx, _ = rospotrebnadzor_context(case, escalation_deadline(case), on=ON)
    assert ctx["attachments"][2:4] == [f"{RECEIPT_LINE}; файл чек.jpg)", "Фотография упаковки (файл упаковка.jpg)"]
    files = files_to_attach(case, path, ctx, "Жалоба", "Жалоба (не найдена)")
    by_text = {f.description: f.path for f in files}
    assert by_text[f"{RECEIPT_LINE}; файл чек.jpg)"] == (folder / "чек.jpg").resolve()
    assert by_text["Фотография упаковки (файл упаковка.jpg)"] == (folder / "упаковка.jpg").resolve()
    assert len(files) == len(ctx["attachments"]) + 1  # the complaint itself, then each line once


def test_a_case_without_photos_reads_no_image(tmp_path, expired_case, monkeypatch):
    """A screenshot, a PDF, a paper receipt: no capture time is looked for, and Pillow is never imported."""
    import complaint_cli.photos as photos
    from tests.test_startup import imported

    (tmp_path / "чат.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "чек.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    expired_case["order"]["receipt"] = {**RECEIPT, "file": "чек.pdf"}
    expired_case["evidence"] = [{"description": "Скриншот переписки", "file": "чат.png"}]
    monkeypatch.setattr(photos, "capture_time", lambda *a, **k: pytest.fail("a capture time was read"))
    result, attachments = render(tmp_path, expired_case)
    assert attachments == [f"1. {RECEIPT_LINE}; файл чек.pdf)", "2. Скриншот переписки (файл чат.png)"]
    assert claim_context(result.case, on=ON)["attachments"] == attachment_lines(result.case)
    modules = imported("render", tmp_path / "case.yaml", "--out", tmp_path / "again", "--on", "25.11.2026")
    assert any((tmp_path / "again").glob("*.docx"))
    assert "complaint_cli.photos" in modules and not {"PIL", "pillow_heif"} & modules


def test_a_jpeg_photo_imports_pillow_but_not_pillow_heif(photo_case):
    from tests.test_startup import imported

    folder, data = photo_case
    path = write_yaml(folder / "case.yaml", data)
    modules = imported("render", path, "--out", folder / "out", "--on", "25.11.2026")
    assert "PIL" in modules and "pillow_heif" not in modules


def test_the_escalation_letters_list_the_photos_with_the_time_they_were_taken(photo_case, monkeypatch, tmp_path):
    """``complaint escalate`` reads the capture times as ``render`` does: the Rospotrebnadzor complaint and the court
    claim list the claim's attachments, photos with «снято …» included."""
    from typer.testing import CliRunner

    from complaint_cli.cli import app

    folder, data = photo_case
    data["submission"] = {"channel": "post", "sent_on": "2026-11-11", "received_on": "2026-11-13"}
    path = write_yaml(folder / "case.yaml", data)
    monkeypatch.setenv("COMPLAINT_CLI_HOME", str(tmp_path / "home"))
    done = CliRunner().invoke(app, ["escalate", str(path), "--on", "10.12.2026", "--only", "rospotrebnadzor",
                                    "--out", str(tmp_path / "out"), "--force"])
    assert done.exit_code == 0, done.output
    complaint = document_text(next((tmp_path / "out").glob("Жалоба_*.docx")).read_bytes())
    assert "Фотография упаковки (снято 10.11.2026 в 21:15, файл упаковка.jpg)" in complaint.replace("\u00a0", " ")
