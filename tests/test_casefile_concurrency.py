"""Changing a case file: two commands at once lose neither's update, and a hand-written file keeps its form.

`sent`, `received` and the court data `escalate` asks for change an existing case file through
casefile.update_case: under a lock per case file, only the keys the command sets, the rest as the user wrote it.
"""

from __future__ import annotations

import codecs
import datetime as dt
import multiprocessing
import stat
import subprocess
import sys
import threading
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from complaint_cli.casefile import read_case_data
from complaint_cli.cli import app
from complaint_cli.escalation import EscalationOptions, ask_court_data
from complaint_cli.registry import Registry
from complaint_cli.tracking import mark_received, mark_sent
from tests.conftest import ROOT, TODAY, write_yaml

runner = CliRunner()
SENT, RECEIVED = dt.date(2026, 11, 2), dt.date(2026, 11, 3)
PAIRS = 60  # sent and received at the same moment, each pair on its own case


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def submission(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("submission") or {}


# --------------------------------------------------------------------------- concurrent commands


def _track(command: str, files: list[str], barrier) -> None:
    """One process: for each case file, wait for the other process, then mark it sent (or received)."""
    for name in files:
        barrier.wait(timeout=60)
        if command == "sent":
            mark_sent(name, on=SENT, today=TODAY)
        else:
            mark_received(name, on=RECEIVED, today=TODAY)


def test_sent_and_received_at_the_same_moment_on_one_case_lose_neither(tmp_path, late_case):
    files = []
    for i in range(PAIRS):
        late_case["order"]["number"] = f"R-{i:05d}"
        files.append(str(write_yaml(tmp_path / f"дело_{i}.yaml", late_case)))
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    barrier = context.Barrier(2)
    workers = [context.Process(target=_track, args=(command, files, barrier)) for command in ("sent", "received")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
        if worker.is_alive():  # stuck: do not leave it behind
            worker.kill()
    assert [w.exitcode for w in workers] == [0, 0]

    lost = [name for name in files
            if {k: submission(Path(name)).get(k) for k in ("sent_on", "received_on")}
            != {"sent_on": "2026-11-02", "received_on": "2026-11-03"}]
    assert lost == []
    with Registry.open() as reg:
        cases = reg.cases()
        assert len(cases) == PAIRS  # one record per case file, none registered twice
        for record in cases:
            assert sorted(e.kind for e in reg.events(record.id)) == ["created", "received", "sent"]


class Asker:
    """A terminal whose user answers while another command changes the case file."""

    def __init__(self, answer: str, meanwhile):
        self.answer, self.meanwhile = answer, meanwhile

    def text(self, message, **kwargs):
        self.meanwhile()
        return self.answer


def test_court_data_asked_during_escalate_keeps_what_another_command_wrote_meanwhile(tmp_path, late_case):
    path = write_yaml(tmp_path / "дело.yaml", late_case)
    asker = Asker("Мировому судье судебного участка № 5 Тверского района г. Москвы",
                  meanwhile=lambda: mark_received(path, on=RECEIVED, today=TODAY))
    ask_court_data(path, read_case_data(path), [("--court-name", "суд")], asker, EscalationOptions(), today=TODAY)
    saved = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert saved["court"] == {"name": "Мировому судье судебного участка № 5 Тверского района г. Москвы"}
    assert saved["submission"]["received_on"] == "2026-11-03"


def test_two_escalates_asking_court_data_at_once_save_both_answers(tmp_path, late_case):
    path = write_yaml(tmp_path / "дело.yaml", late_case)

    def second_escalate():
        ask_court_data(path, read_case_data(path), [("claimant.birth_place", "место рождения")],
                       Asker("г. Тверь", meanwhile=lambda: None), EscalationOptions(), today=TODAY)

    ask_court_data(path, read_case_data(path), [("claimant.birth_date", "дата рождения")],
                   Asker("12.03.1985", meanwhile=second_escalate), EscalationOptions(), today=TODAY)
    claimant = read_case_data(path)["claimant"]
    assert (claimant["birth_date"], claimant["birth_place"]) == ("1985-03-12", "г. Тверь")


def test_the_lock_is_a_private_file_in_the_tools_folder_not_beside_the_case_file(tmp_path, late_case, isolated_home):
    from complaint_cli.casefile import lock_path

    (tmp_path / "cases").mkdir()
    path = write_yaml(tmp_path / "cases" / "дело.yaml", late_case)
    assert run("sent", path, "--on", "02.11.2026").exit_code == 0
    assert sorted(p.name for p in path.parent.iterdir()) == ["дело.yaml"]  # no lock or temporary file left
    lock = lock_path(path)
    assert lock.parent == isolated_home / "locks"
    assert stat.S_IMODE(lock.stat().st_mode) == 0o600
    assert lock_path(tmp_path / "cases" / ".." / "cases" / "дело.yaml") == lock  # one lock however it is named


def test_a_command_kept_waiting_too_long_says_so_and_changes_nothing(tmp_path, late_case, monkeypatch):
    from complaint_cli import casefile

    path = write_yaml(tmp_path / "дело.yaml", late_case)
    monkeypatch.setattr(casefile, "LOCK_TIMEOUT", 0.2)
    holding, done = threading.Event(), threading.Event()

    def another_command():
        with casefile.case_lock(path):
            holding.set()
            done.wait(10)

    other = threading.Thread(target=another_command)
    other.start()
    holding.wait(10)
    try:
        result = run("sent", path, "--on", "02.11.2026")
    finally:
        done.set()
        other.join()
    assert result.exit_code == 1
    assert f"Файл дела {path} сейчас изменяет другая команда complaint" in result.stderr
    assert submission(path) == {"channel": "app"}


# --------------------------------------------------------------------------- a hand-written case file

HAND_WRITTEN = """\
# Дело против «Купера» — заполнено вручную, не форматировать!
schema_version: 1

# Сначала — что случилось
problem:
    kind: late_delivery      # опоздали больше чем на час
    discovered_on: 2026-11-02
    description: "Заказ обещали привезти 02.11.2026 с 17:00 до 18:00, но так и не привезли."

order:
    number: 'R-84512376'
    amount: 4 870,00        # вместе с доставкой
    delivery_fee:  "299,00"
    date: 2026-11-02
    time: "10:15"
    delivery_due: 2026-11-02
    delivery_window: '17:00–18:00'

demands:
  - kind: refund
    amount: 4 571,00
  - kind: refund
    amount: '299,00'

submission:
    channel: app   # через приложение

# Кто жалуется и на кого
claimant:
    full_name: "Кузнецова Ольга Андреевна"
    address: 125047, г. Москва, ул. Тверская-Ямская 1-я, д. 12, кв. 34
    region: Москва
    phone: 8 (916) 123-45-67
    email: o.kuznetsova@example.ru
company:
    brand: Купер
    name: ООО «Инстамарт Сервис»
    ogrn: "1187746494980"
    address: 115035, г. Москва, ул. Садовническая, д. 9А, эт. 5, пом. I, ком. 1
"""


def test_a_hand_written_case_file_keeps_everything_but_the_keys_each_command_sets(tmp_path):
    path = tmp_path / "дело.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")

    assert run("sent", path, "--on", "02.11.2026").exit_code == 0
    after_sent = HAND_WRITTEN.replace(
        "    channel: app   # через приложение\n",
        "    channel: app   # через приложение\n    sent_on: '2026-11-02'\n",
    )
    assert path.read_text(encoding="utf-8") == after_sent

    assert run("received", path, "--on", "03.11.2026").exit_code == 0
    after_received = after_sent.replace(
        "    sent_on: '2026-11-02'\n",
        "    sent_on: '2026-11-02'\n    received_on: '2026-11-03'\n",
    )
    assert path.read_text(encoding="utf-8") == after_received

    # reply and close are the registry's: the file is not touched
    assert run("reply", path, "--on", "10.11.2026", "--outcome", "refused").exit_code == 0
    assert run("close", path).exit_code == 0
    assert path.read_text(encoding="utf-8") == after_received


def test_sent_again_changes_the_date_in_place(tmp_path):
    path = tmp_path / "дело.yaml"
    path.write_text(HAND_WRITTEN.replace("    channel: app", "    sent_on: 2026-11-01\n    channel: app"),
                    encoding="utf-8")
    assert run("sent", path, "--on", "02.11.2026", "--channel", "email").exit_code == 0
    assert path.read_text(encoding="utf-8") == HAND_WRITTEN.replace(
        "    channel: app   # через", "    sent_on: '2026-11-02'\n    channel: email # через")  # the comment stays put


def test_a_case_file_without_the_section_gets_it_added_at_the_end(tmp_path):
    path = tmp_path / "дело.yaml"
    text = HAND_WRITTEN.replace("submission:\n    channel: app   # через приложение\n\n", "")
    path.write_text(text, encoding="utf-8")
    assert run("sent", path, "--on", "02.11.2026", "--channel", "app").exit_code == 0
    assert path.read_text(encoding="utf-8") == text + "submission:\n    channel: app\n    sent_on: '2026-11-02'\n"


def test_a_notepad_file_keeps_its_bom_and_crlf_line_ends(tmp_path):
    path = tmp_path / "дело.yaml"
    path.write_bytes(codecs.BOM_UTF8 + HAND_WRITTEN.replace("\n", "\r\n").encode("utf-8"))
    assert run("sent", path, "--on", "02.11.2026").exit_code == 0
    expected = HAND_WRITTEN.replace("# через приложение\n", "# через приложение\n    sent_on: '2026-11-02'\n")
    assert path.read_bytes() == codecs.BOM_UTF8 + expected.replace("\n", "\r\n").encode("utf-8")


def test_an_invalid_change_leaves_the_hand_written_file_untouched(tmp_path):
    path = tmp_path / "дело.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    assert run("sent", path, "--on", "02.11.2026").exit_code == 0
    before = path.read_bytes()
    result = run("received", path, "--on", "01.11.2026")  # before it was sent
    assert result.exit_code == 1
    assert "раньше даты её отправки" in result.stderr
    assert path.read_bytes() == before


def test_changing_a_case_file_loads_no_round_trip_yaml_until_a_command_needs_it():
    """ruamel.yaml (~20 ms) and filelock are imported only by a command that changes a case file: not at startup,
    not by a batch (which writes new case files with the fast emitter)."""
    script = ("import sys\nimport complaint_cli.cli, complaint_cli.batch, complaint_cli.tracking\n"
              "print(sorted({m.split('.')[0] for m in sys.modules} & {'ruamel', 'filelock'}))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


@settings(max_examples=80, deadline=None)
@given(value=st.text(st.characters(exclude_categories=["Cs"]), max_size=40))
def test_any_text_set_in_a_hand_written_file_reads_back_as_set_and_every_line_stays(tmp_path_factory, value):
    """Whatever a user types (a court's name is free text), it is written so that it reads back exactly, and every
    line of the user's file is still there, in order."""
    from complaint_cli.casefile import update_case

    path = tmp_path_factory.mktemp("hand") / "дело.yaml"
    path.write_text(HAND_WRITTEN, encoding="utf-8")
    update_case(path, {"court.name": value, "submission.sent_on": "2026-11-02"}, validate=lambda data: data)
    data = read_case_data(path)
    assert (data["court"]["name"], data["submission"]["sent_on"]) == (value, "2026-11-02")
    text = path.read_text(encoding="utf-8")
    lines = iter(text.split("\n"))
    assert all(line in lines for line in HAND_WRITTEN.split("\n"))  # a subsequence: nothing lost or reordered
