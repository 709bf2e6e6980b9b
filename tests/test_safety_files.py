"""Files the tool reads and writes are safe with hostile data (issue 15, items 7, 8, 10 and 13).

* Evidence is only what evidence is: a regular file outside hidden and system folders, within the size limits, an
  image, PDF, office document, text, audio or video by its content. Anything else is refused with an error naming
  ``evidence.N.file``, and nothing is copied or attached. A batch row may name only files under its input folder.
* No symbolic link inside the output folder is followed; folders are created 0700 and files 0600 whatever the umask.
* File names built from data have no invisible characters and keep a Windows device name visible (``_CON``).
* A lone surrogate in any text of a batch row neither crashes the batch nor reaches a file name.
"""

from __future__ import annotations

import io
import json
import os
import stat
import unicodedata
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from complaint_cli.batch import run_batch
from complaint_cli.batchjournal import JOURNAL
from complaint_cli.cli import app
from complaint_cli.documents import document_name
from complaint_cli.emaildraft import write_email_draft
from complaint_cli.errors import InvalidCase, UnsafePath
from complaint_cli.evidence import (
    EVIDENCE_FOLDER,
    MAX_FILE_BYTES,
    MAX_TOTAL_BYTES,
    copy_evidence,
    evidence_files,
)
from complaint_cli.fsutil import atomic_write_bytes, safe_name
from complaint_cli.service import render_claim_for_file
from complaint_cli.validation import build_case
from tests.conftest import TODAY, write_yaml
from tests.test_batch import case_row, write_rows

runner = CliRunner()

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
PRIVATE_KEY = b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n"
LETTER = "Претензия_заказ_R-84512376.docx"


def case_of(data: dict):
    case, problems, _ = build_case(data)
    assert problems == []
    return case


def with_evidence(folder: Path, case: dict, *files: str) -> Path:
    """The case file in ``folder`` naming ``files`` as its evidence (one evidence item each)."""
    case["evidence"] = [{"description": f"Доказательство {i}", "file": f} for i, f in enumerate(files, 1)]
    folder.mkdir(parents=True, exist_ok=True)
    return write_yaml(folder / "case.yaml", case)


def written(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


# --------------------------------------------------------------------------- 7. evidence is only evidence


def _ssh_key(case_dir: Path, monkeypatch) -> str:
    home = case_dir.parent / "user"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_bytes(PRIVATE_KEY)
    monkeypatch.setenv("HOME", str(home))
    return "~/.ssh/id_rsa"


def _config_photo(case_dir: Path, _) -> str:
    (case_dir / ".config").mkdir()
    (case_dir / ".config" / "фото.jpg").write_bytes(JPEG)  # even a real photo: hidden folders hold settings
    return ".config/фото.jpg"


def _link_to_key(case_dir: Path, _) -> str:
    secret = case_dir.parent / ".ssh" / "id_ed25519"
    secret.parent.mkdir()
    secret.write_bytes(PRIVATE_KEY)
    (case_dir / "фото.jpg").symlink_to(secret)
    return "фото.jpg"


def _link_to_environ(case_dir: Path, _) -> str:
    (case_dir / "скрин.png").symlink_to("/proc/self/environ")
    return "скрин.png"


def _fifo(case_dir: Path, _) -> str:
    os.mkfifo(case_dir / "запись.mp3")
    return "запись.mp3"


def _folder(case_dir: Path, _) -> str:
    (case_dir / "фото.jpg").mkdir()
    return "фото.jpg"


def _file(name: str, data: bytes):
    def make(case_dir: Path, _) -> str:
        (case_dir / name).write_bytes(data)
        return name
    return make


def _sparse(name: str, head: bytes, size: int):
    def make(case_dir: Path, _) -> str:
        with open(case_dir / name, "wb") as fh:
            fh.write(head)
            fh.truncate(size)  # sparse: no disk space taken
        return name
    return make


PRIVATE_FILES = {
    "ssh key in the home folder": (_ssh_key, "скрыт"),
    "a photo in a hidden folder": (_config_photo, "скрыт"),
    "a photo that is a link to a key in a hidden folder": (_link_to_key, "скрыт"),
    "/proc/self/environ": (lambda *_: "/proc/self/environ", "системный путь"),
    "/etc/passwd": (lambda *_: "/etc/passwd", "системный путь"),
    "/dev/zero": (lambda *_: "/dev/zero", "системный путь"),
    "a screenshot that is a link to /proc": (_link_to_environ, "системный путь"),
    "a channel (fifo)": (_fifo, "не файл"),
    "a folder": (_folder, "не файл"),
    "a .jpg that is a private key": (_file("фото.jpg", PRIVATE_KEY), "не распознано"),
    "a .txt that is a private key": (_file("заметки.txt", PRIVATE_KEY), "закрытый ключ"),
    "a .pdf that is a database": (_file("чек.pdf", b"SQLite format 3\x00" + bytes(200)), "application/x-sqlite3"),
    "a .docx that is a plain zip": (_file("акт.docx", b"PK\x03\x04" + bytes(60)), "application/zip"),
    "a .txt that is binary": (_file("лог.txt", b"text\x00\x01\x02 binary"), "не текст"),
    "an empty photo": (_file("фото.jpg", b""), "пуст"),
    "a video over the size limit": (_sparse("видео.mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(12), MAX_FILE_BYTES + 1),
                                    "больше предела 50 МБ"),
}


@pytest.mark.parametrize("make, expected", PRIVATE_FILES.values(), ids=PRIVATE_FILES.keys())
def test_private_system_and_non_evidence_files_are_refused_naming_the_field_and_nothing_is_written(
        tmp_path, late_case, monkeypatch, make, expected):
    case_dir = tmp_path / "дело"
    case_dir.mkdir()
    good = _file("чек.png", PNG)(case_dir, None)
    path = with_evidence(case_dir, late_case, good, make(case_dir, monkeypatch))
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(path), "--out", str(out), "--json"])
    assert result.exit_code == 1, result.output
    errors = json.loads(result.stdout)["errors"]
    assert [e["field"] for e in errors] == ["evidence.1.file"]
    assert expected in errors[0]["message"]
    assert written(out) == []  # neither the letter nor the good photo: everything is checked before anything


def test_the_plain_error_names_the_field_and_the_limit(tmp_path, late_case):
    case_dir = tmp_path / "дело"
    case_dir.mkdir()
    path = with_evidence(case_dir, late_case, _sparse("видео.mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(12),
                                                      MAX_FILE_BYTES + 1)(case_dir, None))
    result = runner.invoke(app, ["render", str(path)])
    assert result.exit_code == 1
    assert "evidence.0.file" in result.output and "50 МБ" in result.output
    assert "Traceback" not in result.output


def test_all_evidence_together_has_a_limit_too(tmp_path, late_case):
    each = MAX_TOTAL_BYTES // 3 + 1
    assert each <= MAX_FILE_BYTES
    names = [_sparse(f"видео_{i}.mp4", b"\x00\x00\x00\x18ftypmp42" + bytes(12), each)(tmp_path, None)
             for i in range(3)]
    late_case["evidence"] = [{"description": n, "file": n} for n in names]
    with pytest.raises(InvalidCase) as info:
        evidence_files(case_of(late_case), tmp_path)
    assert [p.field for p in info.value.problems] == ["evidence"]
    assert "100 МБ" in info.value.problems[0].message


def _docx() -> bytes:
    import docx

    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Акт о недовложении")
    document.save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    import openpyxl

    buffer = io.BytesIO()
    book = openpyxl.Workbook()
    book.active["A1"] = "Выписка"
    book.save(buffer)
    return buffer.getvalue()


def _odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:  # OpenDocument: «mimetype» stored first, uncompressed
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def _ole(marker_at_512: bytes) -> bytes:  # Word 97 / Excel 97: a compound file whose first sector names the kind
    data = bytearray(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))
    data[512:512 + len(marker_at_512)] = marker_at_512
    return bytes(data)


EVIDENCE_KINDS = {
    "фото.jpg": JPEG,
    "скрин.PNG": PNG,
    "анимация.gif": b"GIF89a" + bytes(32),
    "фото.webp": b"RIFF\x00\x00\x00\x00WEBPVP8 " + bytes(32),
    "чек.pdf": b"%PDF-1.7\n" + bytes(64),
    "акт.docx": _docx(),
    "выписка.xlsx": _xlsx(),
    "акт.odt": _odt(),
    "акт.doc": _ole(b"\xec\xa5\xc1\x00"),
    "выписка.xls": _ole(b"\xfd\xff\xff\xff\x00\x00\x00"),
    "письмо.rtf": b"{\\rtf1\\ansi \\u1055?\\u1088?}",
    "переписка.txt": "Чат с поддержкой: заказ не привезли.\n".encode(),
    "переписка_1251.txt": "Чат с поддержкой: заказ не привезли.\r\n".encode("cp1251"),
    "выписка.csv": "дата;сумма\n01.11.2026;4870,00\n".encode("utf-8-sig"),
    "ответ.eml": b"From: support@example.ru\nSubject: =?utf-8?b?0J7RgtCy0LXRgg==?=\n\nHello\n",
    "звонок.mp3": b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(64),
    "звонок.wav": b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(32),
    "курьер.mp4": b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(32),
    "звонок.ogg": b"OggS\x00\x02" + bytes(40),
}


def test_evidence_of_every_kind_is_recognised_by_content_and_copied_byte_for_byte(tmp_path, late_case):
    for name, data in EVIDENCE_KINDS.items():
        (tmp_path / name).write_bytes(data)
    late_case["evidence"] = [{"description": n, "file": n} for n in EVIDENCE_KINDS]
    files = evidence_files(case_of(late_case), tmp_path)
    assert [f.source.name for f in files] == list(EVIDENCE_KINDS)
    copies = copy_evidence(files, tmp_path / "out")
    assert [c.read_bytes() for c in copies] == list(EVIDENCE_KINDS.values())


def test_a_symlink_to_a_real_photo_in_an_ordinary_folder_is_followed(tmp_path, late_case):
    (tmp_path / "Загрузки").mkdir()
    (tmp_path / "Загрузки" / "IMG_0001.JPG").write_bytes(JPEG)
    (tmp_path / "фото.jpg").symlink_to(tmp_path / "Загрузки" / "IMG_0001.JPG")
    late_case["evidence"] = [{"description": "Фото", "file": "фото.jpg"}]
    (item,) = evidence_files(case_of(late_case), tmp_path)
    assert item.source == tmp_path / "Загрузки" / "IMG_0001.JPG"


def test_a_file_swapped_after_the_check_is_refused_when_copied_and_nothing_is_copied(tmp_path, late_case):
    for name in ("a.jpg", "b.jpg"):
        (tmp_path / name).write_bytes(JPEG)
    late_case["evidence"] = [{"description": n, "file": n} for n in ("a.jpg", "b.jpg")]
    files = evidence_files(case_of(late_case), tmp_path)
    (tmp_path / "b.jpg").write_bytes(PRIVATE_KEY)
    with pytest.raises(InvalidCase) as info:
        copy_evidence(files, tmp_path / "out")
    assert [p.field for p in info.value.problems] == ["evidence.1.file"]
    assert not (tmp_path / "out" / EVIDENCE_FOLDER).exists()  # not even a.jpg, checked and fine


def test_the_email_draft_attaches_no_file_that_is_not_evidence(tmp_path, late_case):
    case_dir = tmp_path / "дело"
    case_dir.mkdir()
    (case_dir / "фото.jpg").write_bytes(JPEG)
    late_case["company"]["email"] = "pretenzii@kuper.example"
    path = with_evidence(case_dir, late_case, "фото.jpg")
    render_claim_for_file(path, on=TODAY)
    (case_dir / "фото.jpg").write_bytes(PRIVATE_KEY)  # the client «updates» the photo before the e-mail
    with pytest.raises(InvalidCase) as info:
        write_email_draft(path, on=TODAY)
    assert [p.field for p in info.value.problems] == ["evidence.0.file"]
    assert not list(case_dir.glob("*.eml"))
    result = runner.invoke(app, ["email", str(path)])
    assert result.exit_code == 1 and "evidence.0.file" in result.output
    assert not list(case_dir.glob("*.eml"))


def test_batch_rows_may_name_evidence_only_under_the_input_folder(tmp_path):
    inbox = tmp_path / "вход"
    (inbox / "фото").mkdir(parents=True)
    (inbox / "фото" / "чек.jpg").write_bytes(JPEG)
    outside = tmp_path / "чужое"
    outside.mkdir()
    (outside / "чек.jpg").write_bytes(JPEG)
    (inbox / "ссылка.jpg").symlink_to(outside / "чек.jpg")
    paths = ["фото/чек.jpg", str(inbox / "фото" / "чек.jpg"), str(outside / "чек.jpg"), "../чужое/чек.jpg",
             "ссылка.jpg", "../чужое/нет_такого.jpg", "нет_такого.jpg"]
    rows = [case_row(i, **{"evidence.0.description": "Чек", "evidence.0.file": p}) for i, p in enumerate(paths, 1)]
    source = write_rows(inbox / "дела.csv", rows)
    result = run_batch(source, out_dir=tmp_path / "out", on=TODAY, jobs=1)
    assert [(e.row, e.field) for e in result.failed] == [(i, "evidence.0.file") for i in (3, 4, 5, 6)]
    assert all("вне папки входного файла" in e.message for e in result.failed)
    assert result.ok == 3  # a batch copies no evidence: a file not there is listed by name, as before


# --------------------------------------------------------------------------- 8. no link inside --out is followed


def test_a_case_folder_planted_as_a_link_gets_nothing_and_the_row_fails_naming_it(tmp_path):
    source = write_rows(tmp_path / "дела.csv", [case_row(1), case_row(2)])
    out = tmp_path / "out"
    first = run_batch(source, out_dir=out, on=TODAY, jobs=1)
    folder = first.documents[0].path.parent
    for child in folder.iterdir():
        child.unlink()
    folder.rmdir()
    elsewhere = tmp_path / "чужая_папка"
    elsewhere.mkdir()
    folder.symlink_to(elsewhere)
    again = run_batch(source, out_dir=out, on=TODAY, jobs=1, force=True)
    assert list(elsewhere.iterdir()) == []
    (failed,) = again.failed
    assert failed.row == 1 and str(folder) in failed.message and "символическая ссылка" in failed.message
    assert again.ok == 1 and again.exit_code == 1


def test_a_batch_journal_planted_as_a_link_is_refused_before_anything_is_written(tmp_path):
    source = write_rows(tmp_path / "дела.csv", [case_row(1)])
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "чужой_файл.txt"
    victim.write_text("не трогать\n", encoding="utf-8")
    (out / JOURNAL).symlink_to(victim)
    with pytest.raises(UnsafePath) as info:
        run_batch(source, out_dir=out, on=TODAY, jobs=1)
    assert str(out / JOURNAL) in info.value.message
    assert victim.read_text(encoding="utf-8") == "не трогать\n"
    assert not [p for p in out.iterdir() if p.is_dir()]  # no case folder, no letter
    result = runner.invoke(app, ["batch", str(source), "--out", str(out)])
    assert result.exit_code == 1 and "символическая ссылка" in result.output and "Traceback" not in result.output
    assert victim.read_text(encoding="utf-8") == "не трогать\n"


def test_an_attachments_folder_planted_as_a_link_gets_no_evidence(tmp_path, late_case):
    case_dir = tmp_path / "дело"
    case_dir.mkdir()
    (case_dir / "фото.jpg").write_bytes(JPEG)
    path = with_evidence(case_dir, late_case, "фото.jpg")
    out = tmp_path / "out"
    out.mkdir()
    elsewhere = tmp_path / "чужая_папка"
    elsewhere.mkdir()
    (out / EVIDENCE_FOLDER).symlink_to(elsewhere)
    result = runner.invoke(app, ["render", str(path), "--out", str(out)])
    assert result.exit_code == 1 and str(out / EVIDENCE_FOLDER) in result.output.replace("\n", "")
    assert list(elsewhere.iterdir()) == []
    assert [p.name for p in out.iterdir()] == [EVIDENCE_FOLDER]  # refused before the letter was written


def test_a_letter_planted_as_a_link_is_not_written_through(tmp_path, late_case):
    path = write_yaml(tmp_path / "case.yaml", late_case)
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "чужой.docx"
    victim.write_bytes(b"precious")
    (out / LETTER).symlink_to(victim)
    result = runner.invoke(app, ["render", str(path), "--out", str(out), "--force"])
    assert result.exit_code == 1 and "символическая ссылка" in result.output
    assert victim.read_bytes() == b"precious"


def test_an_atomic_write_follows_no_link_below_its_root_but_the_root_itself_may_be_one(tmp_path):
    real_out = tmp_path / "real_out"
    real_out.mkdir()
    out = tmp_path / "out"
    out.symlink_to(real_out)  # the user's own choice of --out: followed
    atomic_write_bytes(out / "дело" / "a.docx", b"x", root=out)
    assert (real_out / "дело" / "a.docx").read_bytes() == b"x"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (real_out / "planted").symlink_to(elsewhere)
    with pytest.raises(UnsafePath):
        atomic_write_bytes(out / "planted" / "deeper" / "b.docx", b"x", root=out)
    assert list(elsewhere.iterdir()) == []


@pytest.fixture(params=[0o000, 0o077], ids=["umask 000", "umask 077"])
def umask(request):
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def modes(top: Path) -> dict[str, set[str]]:
    """Octal modes of everything under ``top`` (itself included), by kind."""
    found: dict[str, set[str]] = {"folders": set(), "files": set()}
    for path in [top, *top.rglob("*")]:
        info = path.lstat()
        kind = "folders" if stat.S_ISDIR(info.st_mode) else "files"
        found[kind].add(oct(info.st_mode & 0o777))
    return found


def test_render_creates_private_folders_and_files_whatever_the_umask(tmp_path, late_case, umask):
    case_dir = tmp_path / "дело"
    case_dir.mkdir()
    (case_dir / "фото.jpg").write_bytes(JPEG)
    path = with_evidence(case_dir, late_case, "фото.jpg")
    render_claim_for_file(path, out_dir=tmp_path / "новая" / "папка" / "out", on=TODAY)
    assert modes(tmp_path / "новая") == {"folders": {"0o700"}, "files": {"0o600"}}
    assert (tmp_path / "новая" / "папка" / "out" / EVIDENCE_FOLDER / "фото.jpg").is_file()


def test_a_batch_creates_private_folders_and_files_whatever_the_umask(tmp_path, umask):
    source = write_rows(tmp_path / "дела.csv", [case_row(1), case_row(2)])
    result = run_batch(source, out_dir=tmp_path / "новая" / "out", on=TODAY, jobs=1)
    assert result.ok == 2
    assert modes(tmp_path / "новая") == {"folders": {"0o700"}, "files": {"0o600"}}


# --------------------------------------------------------------------------- 13. file names


@pytest.mark.parametrize("raw, expected", [
    ("abc\u202egnp.exe", "abcgnp.exe"),                   # right-to-left override: looked like «…exe.png»
    ("\u2066R-1\u2069\u202a2\u202c", "R-12"),            # isolates and embeddings
    ("R-\u200b84\u200c51\u200d2\u2060376", "R-84512376"),  # zero-width space, non-joiners, word joiner
    ("\ufeffR-1", "R-1"),                                 # a byte-order mark pasted from a file
    ("R-\ud8001", "R-1"),                                 # a lone surrogate
    ("CON", "_CON"),
    ("con.txt", "_con.txt"),
    ("Lpt9", "_Lpt9"),
    ("CONOUT$", "_CONOUT$"),
    ("CONTRACT", "CONTRACT"),
    ("\u202e\u200b", "без_имени"),
])
def test_file_names_have_no_invisible_characters_and_keep_device_names_visible(raw, expected):
    assert safe_name(raw) == expected


def test_letter_names_keep_an_order_number_that_is_a_device_name_and_drop_bidi_overrides(late_case):
    late_case["order"]["number"] = "CON"
    assert document_name("claim", case_of(late_case)) == "Претензия_заказ__CON.docx"
    late_case["order"]["number"] = "abc\u202egnp.exe"
    assert document_name("claim", case_of(late_case)) == "Претензия_заказ_abcgnp.exe.docx"


ANY_CHARACTER = st.one_of(st.characters(), st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp", "Zs"]),
                          st.sampled_from(["C", "O", "N", ".", "/", "\\", "\u202e", "\ufeff", "\ud800"]))


@settings(max_examples=500, deadline=None)
@given(st.text(ANY_CHARACTER, max_size=120), st.integers(min_value=8, max_value=120))
def test_any_text_gives_an_encodable_visible_bounded_name(text, max_len):
    name = safe_name(text, max_len=max_len, fallback="без_имени")
    assert len(name.encode("utf-8")) <= max(max_len, len("без_имени".encode()))
    assert not any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in name)
    assert "/" not in name and "\\" not in name and name not in (".", "..")
    assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}


# --------------------------------------------------------------------------- 10. lone surrogates in a batch


def _hostile_rows() -> list[dict]:
    from tests.conftest import load_example

    rows = []
    for i in range(1, 6):
        case = load_example("kuper_not_delivered.yaml")
        case["claimant"]["full_name"] = f"Петров\ud800 Иван Иванович{'а' * i}"
        case["order"]["number"] = f"R-\udfff{i}"
        case["problem"]["description"] += " \ud83d"
        rows.append(case)
    rows[2]["claimant"]["full_name"] = "\ud800"  # nothing but a surrogate: an error for this row only
    rows[3]["неизвестно\ud800"] = "x\udc00"  # in a key as well
    return rows


def test_lone_surrogates_in_any_text_of_a_batch_row_neither_crash_the_batch_nor_reach_a_file(tmp_path):
    rows = _hostile_rows()
    text = json.dumps(rows, ensure_ascii=True, default=str)  # "\ud800" escapes: valid JSON, lone surrogates
    assert "\\ud800" in text
    source = tmp_path / "дела.json"
    source.write_text(text, encoding="ascii")
    out = tmp_path / "out"
    result = run_batch(source, out_dir=out, on=TODAY, jobs=1)
    assert result.total == 5 and result.ok == 3
    assert [(e.row, e.field) for e in result.failed] == [(3, "claimant.full_name"), (4, "неизвестно?")]
    for path in out.rglob("*"):
        path.name.encode("utf-8")
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == [
        f"Петров_Иван_Иванович{'а' * i}_заказ_R-{i}" for i in (1, 2, 5)]
    (out / "отчёт.csv").read_text(encoding="utf-8-sig")
