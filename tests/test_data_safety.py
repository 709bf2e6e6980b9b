"""Data safety: private files, atomic writes, safe names, no network, no personal data in error output."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from complaint_cli.casefile import read_case_data, write_case
from complaint_cli.cli import app
from complaint_cli.fsutil import atomic_write_bytes, inside, safe_name
from complaint_cli.validation import validate_data
from tests.conftest import EXAMPLES, TODAY, write_yaml

runner = CliRunner()


def test_case_files_are_written_atomically_with_mode_0600(tmp_path, late_case):
    case = validate_data(late_case, today=TODAY).case
    path = write_case(tmp_path / "дело.yaml", case)
    assert path.stat().st_mode & 0o777 == 0o600
    again = validate_data(read_case_data(path), today=TODAY)
    assert again.complete and again.case == case
    assert [p.name for p in tmp_path.iterdir()] == ["дело.yaml"]


def test_a_failed_write_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "doc.docx"
    target.write_bytes(b"old")

    def boom(*_):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError):
        atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["doc.docx"]


def test_an_atomic_write_survives_short_writes_a_missing_folder_and_a_stale_temp_file(tmp_path, monkeypatch):
    import itertools

    from complaint_cli import fsutil

    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:1000])))  # a short write each time
    monkeypatch.setattr(fsutil, "_temp_numbers", itertools.count(7))
    folder = tmp_path / "new" / "folder"
    data = os.urandom(10_000)
    fsutil.atomic_write_bytes(folder / "a.docx", data, durable=False)
    assert (folder / "a.docx").read_bytes() == data
    stale = folder / f".b.docx.{os.getpid()}-8.tmp"  # what a killed process with our id would have left
    stale.write_bytes(b"stale")
    fsutil.atomic_write_bytes(folder / "b.docx", b"fresh")
    assert (folder / "b.docx").read_bytes() == b"fresh" and stale.read_bytes() == b"stale"
    assert sorted(p.name for p in folder.iterdir()) == sorted(["a.docx", "b.docx", stale.name])


def test_an_atomic_write_gives_exactly_the_mode_asked_for_whatever_the_umask(tmp_path):
    old = os.umask(0o077)
    try:
        shared = atomic_write_bytes(tmp_path / "shared.txt", b"x", mode=0o644)
        private = atomic_write_bytes(tmp_path / "private.txt", b"x")
    finally:
        os.umask(old)
    assert shared.stat().st_mode & 0o777 == 0o644 and private.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("raw, expected", [
    ("12345/2026", "12345_2026"),
    ("../../etc/passwd", "etc_passwd"),
    ("/abs/path", "abs_path"),
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("...", "без_имени"),
    ("", "без_имени"),
    ("a\\b:c*d?e\"f<g>h|i", "a_b_c_d_e_f_g_h_i"),
    ("Заказ №  77", "Заказ_№_77"),
])
def test_file_names_from_data_are_sanitised(raw, expected):
    assert safe_name(raw) == expected


def test_file_names_are_bounded_in_bytes():
    name = safe_name("Ж" * 300, max_len=80)
    assert len(name.encode("utf-8")) <= 80 and name == "Ж" * 40


def test_nothing_is_written_outside_the_output_folder(tmp_path):
    with pytest.raises(ValueError):
        inside(tmp_path, "../escape.docx")
    assert inside(tmp_path, "ok.docx") == (tmp_path / "ok.docx").resolve()


def test_no_command_touches_the_network(tmp_path, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    for args in (["validate", EXAMPLES / "kuper_expired_goods.yaml"],
                 ["render", EXAMPLES / "kuper_expired_goods.yaml", "--out", tmp_path],
                 ["deadline", "--from", "2026-01-01", "--days", "10"],
                 ["calc", "court", "--claim-value", "1000"]):
        result = runner.invoke(app, [str(a) for a in args])
        assert result.exit_code == 0, result.output


def test_an_internal_error_shows_no_traceback_and_no_personal_data(tmp_path, late_case, monkeypatch):
    import complaint_cli.documents as documents

    def crash(*_args, **_kwargs):
        raise RuntimeError("Кузнецова Ольга Андреевна, 125047, г. Москва")

    monkeypatch.setattr(documents, "render_claim", crash)
    import complaint_cli.service as service

    monkeypatch.setattr(service, "render_claim", crash)
    path = write_yaml(tmp_path / "case.yaml", late_case)
    result = runner.invoke(app, ["render", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "Кузнецова" not in result.output and "Внутренняя ошибка программы (RuntimeError)" in result.stderr
    debug = runner.invoke(app, ["--debug", "render", str(path), "--out", str(tmp_path / "out")])
    assert isinstance(debug.exception, RuntimeError)


def test_a_newer_case_file_format_is_refused(tmp_path, late_case):
    late_case["schema_version"] = 99
    path = write_yaml(tmp_path / "case.yaml", late_case)
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "более новой версией программы" in result.stderr


def test_cp1251_case_file_gets_a_hint_to_save_as_utf8(tmp_path):
    path = Path(tmp_path / "case.yaml")
    path.write_bytes("claimant:\n  full_name: Иванов Иван\n".encode("cp1251"))
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "UTF-8" in result.stderr
