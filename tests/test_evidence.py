"""Evidence files: checked to exist (a validation-style error naming evidence.N.file), copied into «Приложения»
under safe names, and listed in the claim's Приложения with exactly those names."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from complaint_cli.cli import app
from complaint_cli.errors import InvalidCase
from complaint_cli.evidence import (
    EVIDENCE_FOLDER,
    attachment_name,
    copy_evidence,
    evidence_files,
    with_attachment_names,
)
from complaint_cli.render import document_text
from complaint_cli.service import render_claim_for_file
from complaint_cli.validation import build_case
from tests.conftest import write_yaml

runner = CliRunner()
ON = dt.date(2026, 11, 25)
PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def case_of(data: dict):
    case, problems, _ = build_case(data)
    assert problems == []
    return case


@pytest.fixture
def case_dir(tmp_path, late_case):
    """A case file whose first evidence item points at a photo with a Cyrillic name in a subfolder."""
    folder = tmp_path / "дело"
    (folder / "фото").mkdir(parents=True)
    (folder / "фото" / "Заказ и чек.PNG").write_bytes(PHOTO)
    late_case["evidence"][0]["file"] = "фото/Заказ и чек.PNG"
    write_yaml(folder / "case.yaml", late_case)
    return folder


def test_a_missing_evidence_file_is_an_error_naming_the_field(tmp_path, late_case):
    late_case["evidence"][1]["file"] = "нет_такого.jpg"
    with pytest.raises(InvalidCase) as info:
        evidence_files(case_of(late_case), tmp_path)
    assert [p.field for p in info.value.problems] == ["evidence.1.file"]
    assert "файл «нет_такого.jpg» не найден" in info.value.problems[0].message
    assert str(tmp_path) in info.value.problems[0].message


def test_every_missing_file_is_reported_at_once(tmp_path, late_case):
    late_case["evidence"][0]["file"] = "a.jpg"
    late_case["evidence"][2]["file"] = "b.pdf"
    with pytest.raises(InvalidCase) as info:
        evidence_files(case_of(late_case), tmp_path)
    assert [p.field for p in info.value.problems] == ["evidence.0.file", "evidence.2.file"]


def test_a_folder_is_not_an_evidence_file(tmp_path, late_case):
    (tmp_path / "photos").mkdir()
    late_case["evidence"][0]["file"] = "photos"
    with pytest.raises(InvalidCase) as info:
        evidence_files(case_of(late_case), tmp_path)
    assert info.value.problems[0].field == "evidence.0.file"
    assert "не файл" in info.value.problems[0].message


def test_render_with_a_missing_file_exits_1_names_the_field_and_writes_nothing(tmp_path, late_case):
    late_case["evidence"][1]["file"] = "скриншоты/чат.png"
    path = write_yaml(tmp_path / "case.yaml", late_case)
    result = runner.invoke(app, ["render", str(path), "--json"])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert [e["field"] for e in doc["errors"]] == ["evidence.1.file"]
    assert "evidence.1.file" in runner.invoke(app, ["render", str(path)]).stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["case.yaml"]


def test_relative_paths_count_from_the_case_file_folder_and_absolute_paths_work(tmp_path, late_case):
    elsewhere = tmp_path / "elsewhere.jpg"
    elsewhere.write_bytes(b"\xff\xd8\xff\xe0jpeg")  # a JPEG by its first bytes: evidence is checked by content
    (tmp_path / "case").mkdir()
    (tmp_path / "case" / "local.pdf").write_bytes(b"%PDF")
    late_case["evidence"][0]["file"] = str(elsewhere)
    late_case["evidence"][1]["file"] = "local.pdf"
    files = evidence_files(case_of(late_case), tmp_path / "case")
    assert [(f.index, f.name, f.source) for f in files] == [
        (0, "elsewhere.jpg", elsewhere.resolve()),
        (1, "local.pdf", (tmp_path / "case" / "local.pdf").resolve()),
    ]


def test_render_copies_evidence_into_the_attachments_folder_byte_for_byte(case_dir, tmp_path):
    out = tmp_path / "out"
    result = render_claim_for_file(case_dir / "case.yaml", out_dir=out, on=ON)
    copy = out / EVIDENCE_FOLDER / "Заказ_и_чек.png"
    assert result.evidence == [copy]
    assert copy.read_bytes() == PHOTO
    assert copy.stat().st_mode & 0o777 == 0o600


def test_the_claim_lists_the_copied_file_by_its_name_in_the_attachments_folder(case_dir):
    result = render_claim_for_file(case_dir / "case.yaml", on=ON)
    text = document_text(result.documents[0].path.read_bytes()).replace("\u00a0", " ")
    assert "Скриншот заказа № R-84512376 с выбранным интервалом доставки (файл Заказ_и_чек.png)" in text
    assert (case_dir / EVIDENCE_FOLDER / "Заказ_и_чек.png").is_file()


def test_rendering_again_with_force_leaves_the_copies_alone(case_dir):
    render_claim_for_file(case_dir / "case.yaml", on=ON)
    copy = case_dir / EVIDENCE_FOLDER / "Заказ_и_чек.png"
    before = copy.stat().st_mtime_ns
    render_claim_for_file(case_dir / "case.yaml", on=ON, force=True)
    assert copy.stat().st_mtime_ns == before


def test_files_with_the_same_name_from_different_folders_get_distinct_names(tmp_path, late_case):
    for sub, data in (("a", PHOTO + b"first"), ("b", PHOTO + b"second")):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "photo.jpg").write_bytes(data)
    late_case["evidence"][0]["file"] = "a/photo.jpg"
    late_case["evidence"][1]["file"] = "b/photo.jpg"
    files = evidence_files(case_of(late_case), tmp_path)
    assert [f.name for f in files] == ["photo.jpg", "photo_2.jpg"]
    copies = copy_evidence(files, tmp_path / "out")
    assert [c.read_bytes() for c in copies] == [PHOTO + b"first", PHOTO + b"second"]


def test_the_case_given_to_the_template_carries_the_attachment_names(case_dir):
    case = case_of(yaml.safe_load((case_dir / "case.yaml").read_text(encoding="utf-8")))
    renamed = with_attachment_names(case, evidence_files(case, case_dir))
    assert renamed.evidence[0].file == "Заказ_и_чек.png"
    assert case.evidence[0].file == "фото/Заказ и чек.PNG", "the original case is not changed"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("фото заказа.JPG", "фото_заказа.jpg"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\Оля\\чек.pdf", "чек.pdf"),
        ("скрин: чат?.png", "скрин_чат.png"),
        ("без расширения", "без_расширения"),
        (".png", "png"),
    ],
)
def test_attachment_names_are_safe_and_keep_the_extension(raw, expected):
    assert attachment_name(raw) == expected


@given(st.text(min_size=1, max_size=300))
def test_any_file_name_becomes_a_single_safe_component(raw):
    name = attachment_name(raw)
    assert name and "/" not in name and "\\" not in name and "\x00" not in name
    assert name not in (".", "..")
    assert len(name.encode("utf-8")) <= 80 + 11


def test_new_with_answers_elsewhere_keeps_finding_the_evidence_files(tmp_path, monkeypatch):
    """``complaint new --answers src/дело.yaml --out другая_папка``: the photo named relative to the answers file is
    still found from the case file written elsewhere (the reviewer's «файл не найден»)."""
    from tests.conftest import TODAY, load_example, write_yaml

    monkeypatch.setenv("COMPLAINT_CLI_TODAY", TODAY.isoformat())
    src = tmp_path / "src"
    (src / "photos").mkdir(parents=True)
    (src / "photos" / "пакет.png").write_bytes(_png())
    data = load_example("kuper_missing_items.yaml")
    data["evidence"] = [{"description": "Фотография пакета", "file": "photos/пакет.png"}]
    answers = write_yaml(src / "дело.yaml", data)
    done = CliRunner().invoke(app, ["new", "--answers", str(answers), "--no-input", "--out", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    case_file = next((tmp_path / "out").glob("дело_*.yaml"))
    written = yaml.safe_load(case_file.read_text(encoding="utf-8"))["evidence"][0]["file"]
    assert written == "../src/photos/пакет.png" and (case_file.parent / written).is_file()
    assert (tmp_path / "out" / "Приложения").is_dir()


def _png() -> bytes:
    import base64

    return base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
