"""A newcomer's first hour (issue 16): the command line speaks Russian everywhere, results go to stdout, and the usual
mistakes get a message that names the option — never an internal error."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.dom import minidom

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.main import get_command
from typer.testing import CliRunner

from complaint_cli.cli import app
from tests.conftest import EXAMPLES, ROOT, write_yaml
from tests.test_docs import COMMANDS, command_paths  # noqa: F401 - the one list of commands

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def complaint(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "complaint_cli", *args], capture_output=True, text=True,
                          timeout=60, cwd=ROOT, env={**os.environ, **(env or {})})


@pytest.fixture
def case_file(tmp_path, late_case) -> Path:
    return write_yaml(tmp_path / "case.yaml", late_case)


def submission(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("submission", {})


def status_row() -> dict:
    [row] = json.loads(run("status", "--json").stdout)["cases"]
    return row


# --------------------------------------------------------------------------- option values in Russian


@pytest.mark.parametrize("word, stored", [
    ("удовлетворено", "satisfied"), ("Удовлетворены", "satisfied"), ("частично", "partial"),
    ("отказ", "refused"), ("отказано", "refused"), ("refused", "refused"),
])
def test_reply_outcome_accepts_russian_words_and_stores_the_contract_value(case_file, word, stored):
    assert run("sent", case_file, "--on", "02.11.2026").exit_code == 0
    result = run("reply", case_file, "--on", "10.11.2026", "--outcome", word)
    assert result.exit_code == 0, result.output
    assert status_row()["reply"] == stored


@pytest.mark.parametrize("word, stored", [
    ("почта", "post"), ("заказное письмо", "post"), ("e-mail", "email"), ("Эл. почта", "email"),
    ("электронная почта", "email"), ("приложение", "app"), ("сайт", "website"), ("телефон", "phone"),
    ("офис", "office"), ("лично", "office"), ("website", "website"),
])
def test_sent_channel_accepts_russian_words_and_stores_the_contract_value(case_file, word, stored):
    result = run("sent", case_file, "--on", "02.11.2026", "--channel", word)
    assert result.exit_code == 0, result.output
    assert submission(case_file)["channel"] == stored


def test_guide_channel_accepts_russian_words(case_file):
    result = run("guide", case_file, "--channel", "почта")
    assert result.exit_code == 0, result.output
    assert "Как отправить претензию: заказным письмом по почте" in result.stdout


@pytest.mark.parametrize("args, message", [
    (("reply", "1", "--on", "10.11.2026", "--outcome", "может быть"),
     "Ошибка: Неверное значение --outcome: неизвестный результат «может быть»; допустимо: удовлетворено, частично, "
     "отказ (или satisfied, partial, refused)."),
    (("sent", "1", "--on", "02.11.2026", "--channel", "голубь"),
     "Ошибка: Неверное значение --channel: неизвестный способ отправки «голубь»; допустимо: приложение, сайт, "
     "телефон, e-mail, офис, почта (или app, website, phone, email, office, post)."),
])
def test_an_unknown_value_is_a_usage_error_listing_the_russian_words(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Value error" not in result.stderr


@pytest.mark.parametrize("command, option, words", [
    ("reply", "--outcome", "удовлетворено, частично, отказ"),
    ("sent", "--channel", "приложение, сайт, телефон, e-mail, офис, почта"),
    ("guide", "--channel", "приложение, сайт, телефон, e-mail, офис, почта"),
])
def test_help_lists_the_russian_words(command, option, words):
    help_text = " ".join(run(command, "--help").stdout.split())
    assert words in help_text


@pytest.mark.parametrize("path", COMMANDS, ids=" ".join)
def test_help_names_arguments_and_values_in_russian(path):
    """No typer type names (<str>, <path>, <int range>, <list[str]>), no {case}, no 1<=x<=60."""
    text = run(*path, "--help").stdout
    assert not re.search(r"<[a-z][\w \[\]|.]*>", text), text
    assert not re.search(r"\{[a-z_]+\}", text), text
    assert "<=" not in text and "x>=" not in text


@pytest.mark.parametrize("args, name", [
    (("validate",), "ДЕЛО.yaml"), (("sent", "--on", "02.11.2026"), "ДЕЛО"), (("templates", "export"), "ПАПКА"),
    (("templates", "check"), "ФАЙЛ.docx"), (("escalate",), "ДЕЛО"),
])
def test_a_missing_argument_is_named_in_russian(args, name):
    result = run(*args)
    assert result.exit_code == 2
    assert f"Ошибка: Не указан обязательный аргумент {name}." in result.stderr


def test_a_mistyped_command_suggests_the_close_ones_without_stray_quotes():
    result = complaint("rendr")
    assert result.returncode == 2
    assert "Ошибка: Нет такой команды: rendr. Возможно, вы имели в виду: render или remind?" in result.stderr
    assert "'" not in result.stderr


def test_a_mistyped_option_suggests_the_close_one():
    result = run("sent", "1", "--chanel", "почта")
    assert result.exit_code == 2
    assert "Ошибка: Нет такого параметра: --chanel. Возможно, вы имели в виду: --channel?" in result.stderr


def test_a_number_out_of_range_is_explained_in_russian(case_file):
    result = run("escalate", case_file, "--reply-days", "100")
    assert result.exit_code == 2
    assert "Ошибка: Неверное значение --reply-days: должно быть не больше 60." in result.stderr


# --------------------------------------------------------------------------- where output goes


@pytest.mark.parametrize("args, product", [
    (("guide", EXAMPLES / "kuper_late_delivery.yaml"), "Как отправить претензию: через приложение"),
    (("validate", EXAMPLES / "kuper_late_delivery.yaml"), "заполнено полностью, ошибок нет"),
    (("calc", "penalty", "--norm", "23.1", "--base", "4870", "--deadline", "2025-06-10", "--on", "2025-06-30"),
     "Неустойка: 0,5 %"),
    (("calc", "court", "--claim-value", "150000"), "Госпошлина"),
    (("deadline", "--from", "22.04.2025", "--days", "10"), "Последний день срока: 05.05.2025"),
    (("templates", "list"), "claim"),
    (("status",), "Открытых дел нет."),
])
def test_what_a_command_produces_goes_to_stdout(args, product):
    """So that «complaint guide ДЕЛО > инструкция.txt» and «| less» work."""
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert product in result.stdout.replace("\u00a0", " ")
    assert product not in result.stderr.replace("\u00a0", " ")


def test_render_prints_done_on_stdout_and_warnings_on_stderr(tmp_path):
    result = run("render", EXAMPLES / "kuper_late_delivery.yaml", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    assert f"Готово: {tmp_path}" in result.stdout
    assert "Предупреждение:" in result.stderr and "Предупреждение:" not in result.stdout


def test_tracking_results_go_to_stdout_and_their_warnings_to_stderr(case_file):
    result = run("sent", case_file, "--on", "02.11.2026")
    assert result.exit_code == 0, result.output
    assert "Дело № 1: претензия отмечена как отправленная 02.11.2026" in result.stdout
    assert "Предупреждение: Срок рассчитан от даты отправки" in result.stderr


def test_with_json_stdout_is_still_exactly_one_json_document(case_file):
    for args in (("guide", case_file), ("validate", case_file), ("sent", case_file, "--on", "02.11.2026"),
                 ("status",)):
        result = run(*args, "--json")
        assert result.exit_code in (0, 1), result.output
        json.loads(result.stdout)  # nothing but the document


def test_guide_redirected_to_a_file_is_the_whole_guide(tmp_path):
    target = tmp_path / "инструкция.txt"
    with target.open("w", encoding="utf-8") as fh:
        done = subprocess.run([sys.executable, "-m", "complaint_cli", "guide", str(EXAMPLES / "kuper_late_delivery.yaml")],
                              stdout=fh, stderr=subprocess.PIPE, text=True, timeout=60, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    text = target.read_text(encoding="utf-8")
    assert text.startswith("Как отправить претензию") and "complaint sent" in text


# --------------------------------------------------------------------------- smaller things a user hits


@pytest.mark.parametrize("command", ["render", "escalate", "email"])
def test_out_that_is_a_file_is_named_not_an_internal_error(case_file, command):
    result = run(command, case_file, "--out", case_file)
    assert result.exit_code == 1
    assert f"Ошибка: --out: «{case_file}» — это файл, а не папка." in result.stderr
    assert "Внутренняя ошибка" not in result.output


def test_out_under_a_file_is_named_too(case_file):
    result = run("render", case_file, "--out", case_file / "письма")
    assert result.exit_code == 1
    assert f"--out: «{case_file}» — это файл, а не папка, поэтому папку «{case_file / 'письма'}» не создать." in (
        result.stderr)


def test_sent_before_the_order_date_names_the_option_and_leaves_the_file_valid(case_file):
    before = case_file.read_bytes()
    result = run("sent", case_file, "--on", "01.11.2026")
    assert result.exit_code == 1
    assert ("Ошибка: --on 01.11.2026: претензия не может быть отправлена раньше даты заказа — отметка не записана."
            in result.stderr)
    assert "В файле дела" not in result.stderr
    assert case_file.read_bytes() == before
    assert run("validate", case_file).exit_code == 0


def test_received_before_the_order_date_names_the_option(case_file):
    result = run("received", case_file, "--on", "01.11.2026")
    assert result.exit_code == 1
    assert "Ошибка: --on 01.11.2026: претензия не может быть получена раньше даты заказа" in result.stderr


def test_main_help_shows_every_command_description_uncut():
    result = complaint("--help")
    commands = result.stdout.split("Команды:", 1)[1]
    assert "..." not in commands
    group = get_command(app)
    for name, cmd in group.commands.items():
        first = cmd.get_short_help_str(limit=1000)
        assert len(first) <= 60, (name, first)
        assert first in " ".join(commands.split())


def test_version_is_the_installed_package_version():
    from importlib.metadata import version

    result = complaint("--version")
    assert result.returncode == 0
    assert result.stdout == f"complaint_cli {version('complaint-cli')}\n"


def test_help_offers_shell_completion_in_russian():
    help_text = run("--help").stdout
    assert "--install-completion" in help_text and "Установить автодополнение" in help_text
    assert "--show-completion" in help_text and "Install completion" not in help_text


def test_shell_completion_completes_commands_and_russian_values():
    def complete(words: str) -> list[str]:
        env = {"_COMPLAINT_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)}
        done = subprocess.run([sys.executable, "-c", "from complaint_cli.cli import main; main()"], capture_output=True,
                              text=True, timeout=60, cwd=ROOT, env={**os.environ, **env})
        return done.stdout.split()

    assert complete("complaint sen") == ["sent"]
    assert complete("complaint sent 1 --channel по") == ["почта"]
    assert complete("complaint reply 1 --outcome ча") == ["частично"]


def test_install_completion_writes_into_home_and_says_so_in_russian(tmp_path):
    result = complaint("--install-completion", "bash",
                       env={"HOME": str(tmp_path), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert result.returncode == 0, result.stderr
    assert "Автодополнение для bash установлено" in result.stdout
    assert (tmp_path / ".bash_completions" / "complaint.sh").is_file()
    assert "complaint.sh" in (tmp_path / ".bashrc").read_text()


def test_help_stays_as_light_as_a_bare_typer_app():
    """The start-up budget: `complaint --help` imports none of pydantic, rich or importlib.metadata (measured:
    see the report of issue 16 for the timings)."""
    script = ("import sys\nsys.argv = ['complaint', '--help']\nfrom complaint_cli.cli import main\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "print(sorted(m for m in ('pydantic', 'rich', 'importlib.metadata', 'questionary', 'yaml') "
              "if m in sys.modules), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.stderr.strip() == "[]"


# --------------------------------------------------------------------------- hostile text on the command line


def test_validate_shows_markup_like_values_verbatim(tmp_path, late_case):
    late_case["order"]["date"] = "[/]"
    late_case["[/bold]"] = 1
    path = write_yaml(tmp_path / "case.yaml", late_case)
    result = run("validate", path)
    assert result.exit_code == 1
    assert "order.date: неверный формат даты «[/]»" in result.stdout
    assert "[/bold]: неизвестное поле" in result.stdout
    assert "Внутренняя ошибка" not in result.output


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.text(st.sampled_from("[]/\\ab =#"), min_size=1, max_size=12).filter(lambda k: k.strip() == k and k))
def test_validate_never_reads_a_field_name_as_markup(tmp_path, late_case, key):
    path = write_yaml(tmp_path / "case.yaml", {**late_case, key: 1})
    result = run("validate", path)
    assert result.exit_code == 1, result.output
    assert f"{key}: неизвестное поле" in result.stdout


def _docx_xml(path: str) -> bytes:
    with zipfile.ZipFile(path) as docx:
        return docx.read("word/document.xml")


def test_control_characters_in_text_options_are_cleaned_before_they_reach_a_letter(tmp_path, late_case):
    late_case["submission"] = {"channel": "app", "sent_on": "2026-11-03", "received_on": "2026-11-03"}
    path = write_yaml(tmp_path / "case.yaml", late_case)
    result = run("escalate", path, "--out", tmp_path / "out", "--only", "court", "--json",
                 "--court-name", "Мировому судье\x01 участка № 5", "--costs", "почтовые\x02 расходы=285,04")
    assert result.exit_code == 0, result.output
    assert "Предупреждение: --court-name: удалены управляющие (невидимые) символы" in result.stderr
    assert "Предупреждение: --costs: удалены управляющие (невидимые) символы" in result.stderr
    xml = _docx_xml(json.loads(result.stdout)["documents"][0]["path"])
    minidom.parseString(xml)  # a well-formed document Word can open
    text = xml.decode("utf-8")
    assert "Мировому судье участка" in text and "почтовые расходы" in text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=st.text(max_size=30))
def test_any_text_option_is_stored_without_control_characters(tmp_path_factory, late_case, note):
    """Whatever bytes a terminal passes (C0/C1 controls, lone surrogates from undecodable argv), nothing crashes
    and nothing unprintable is stored."""
    from complaint_cli.fields import strip_control
    from complaint_cli.registry import Registry

    path = write_yaml(tmp_path_factory.mktemp("case") / "case.yaml", late_case)
    assert run("sent", path, "--on", "02.11.2026").exit_code == 0
    result = run("reply", path, "--on", "10.11.2026", "--outcome", "отказ", "--note", note)
    assert result.exit_code == 0, result.output
    with Registry.open() as registry:
        record = registry.find(path)
        stored = registry.events(record.id)[-1].note or ""
    assert stored == strip_control(stored)[0]


def test_options_skip_the_cleaning_import_only_when_nothing_could_be_removed():
    """commands.common cleans an option only when it is not ``str.isprintable()``: that shortcut must never let
    through a character that fields.strip_control removes."""
    from complaint_cli.fields import strip_control

    assert all(strip_control(c)[0] == c for c in map(chr, range(0x110000)) if c.isprintable())


def test_letters_are_named_in_russian_for_escalate_batch_and_templates_check(tmp_path):
    """Issue 16: «повторная,иск» works wherever «inaction,court» does."""
    from complaint_cli.commands.choices import ESCALATION_LETTER, LETTER

    assert LETTER.many("претензия, повторная,Роспотребнадзор ,иск") == "claim,inaction,rospotrebnadzor,court"
    assert ESCALATION_LETTER.many("повторная,отзыв") == "inaction,review"
    assert LETTER.many("claim") == "claim"
    runner = CliRunner()
    wrong = runner.invoke(app, ["batch", str(tmp_path / "нет.csv"), "--letters", "претензия,письмо"])
    assert wrong.exit_code == 2 and "письмо" in wrong.stderr and "повторная" in wrong.stderr
    from complaint_cli.render import bundled_path

    checked = runner.invoke(app, ["templates", "check", str(bundled_path("inaction.docx")), "--kind", "повторная"])
    assert checked.exit_code == 0, checked.output
