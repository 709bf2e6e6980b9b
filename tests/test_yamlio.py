"""Case files are written by a small YAML emitter of our own: whatever it writes reads back equal."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from complaint_cli import yamlio
from tests.conftest import ROOT, TODAY

NASTY = ["", " ", "yes", "No", "on", "null", "~", "true", "1", "0x1F", "1_000", "500.00", "1e3", ".inf", "2026-11-01",
         "12:30", "190:20:30", "+79161000000", "-", "- x", "? x", ": x", "a: b", "a #b", "#", "'", '"', "''",
         "«Купер»", "ООО «Инстамарт Сервис»", "a\nb", "line\r\n", "\t", "tab\there", "\x00", "\x7f", "\x85",
         "\u2028", "\u2029", "\ufeff", "\ufffe", "emoji 😀", "{{ x }}", "{% raw %}", "[a]", "{a: 1}",
         "&anchor", "*alias", "!tag", "|", ">", "%YAML", "@", "`", "---", "...", "=", "<<", " lead", "trail ",
         "two  spaces", "a\\b", "a:b", "a:", "Москва:", "https://x.ru/a?b=1", "a::b", "x#y", "a:\tb", "x" * 10_000, "<w:t>&amp;</w:t>", "\u00a0", "№ 17", "ст.\u00a015"]

scalars = st.one_of(st.text(), st.sampled_from(NASTY), st.integers(), st.booleans(), st.none())
keys = st.one_of(st.text(min_size=1, max_size=20), st.sampled_from(NASTY[:40]))
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.dictionaries(keys, inner, max_size=5), st.lists(inner, max_size=4)),
    max_leaves=25,
)
documents = st.one_of(st.dictionaries(keys, values, min_size=1, max_size=6), st.lists(values, min_size=1, max_size=4))


@settings(max_examples=1500, deadline=None)
@given(documents)
def test_every_document_reads_back_equal(data):
    text = yamlio.dump(data)
    assert yamlio.load(text) == data
    assert yaml.safe_load(text) == data  # the pure-Python loader agrees with libyaml


def test_each_nasty_string_reads_back_as_a_key_and_a_value():
    for text in NASTY:
        assert yamlio.load(yamlio.dump({text: text, "list": [text, {"k": text}]})) == {
            text: text, "list": [text, {"k": text}]}


def test_a_case_file_reads_like_the_one_pyyaml_writes(late_case):
    from complaint_cli.casefile import dump_case
    from complaint_cli.validation import validate_data

    late_case["problem"]["description"] = late_case["problem"]["description"].replace("\n", " ")
    case = validate_data(late_case, today=TODAY).raise_for_errors()
    data = case.to_data()
    ours = dump_case(case)
    assert yamlio.load(ours)["claimant"] == data["claimant"]
    pyyaml = yaml.dump({"schema_version": 1, **{k: v for k, v in data.items() if k != "schema_version"}},
                       allow_unicode=True, sort_keys=False, width=10_000)
    # Same styles — plain where PyYAML is plain, quoted where it quotes — except that a string starting with a
    # digit is always quoted (the emitter does not ask YAML's resolver whether it would read as a number or date).
    differences = 0
    for mine, theirs in zip(ours.splitlines(), pyyaml.splitlines(), strict=True):
        if mine != theirs:
            prefix = theirs[:len(theirs) - len(theirs.lstrip(" -"))]
            key, _, value = theirs[len(prefix):].rpartition(": ") if ": " in theirs else ("", "", theirs[len(prefix):])
            assert value[:1].isdigit(), theirs
            assert mine == f"{prefix}{key}{': ' if key else ''}'{value}'", (mine, theirs)
            differences += 1
    assert differences < 5


@pytest.mark.parametrize("text", ["yes", "Yes", "YES", "yEs", "y", "N", "on", "OFF", "true", "False", "null", "Null",
                                  "12345", "12:30", "2026-11-25", "1_000", "0x1F", "١٢٣"])
def test_a_string_yaml_could_read_as_something_else_is_quoted(text):
    written = yamlio.dump({"k": text})
    assert written in (f"k: '{text}'\n", f'k: "{text}"\n')
    assert yaml.safe_load(written) == {"k": text}


@pytest.mark.parametrize("text", ["Yesterday", "Online", "nullify", "Купер", "«Купер»", "Ромашка 2"])
def test_ordinary_words_stay_plain(text):
    assert yamlio.dump({"k": text}) == f"k: {text}\n"


# --------------------------------------------------------------------------- the bundled data files' JSON twins


def test_every_data_file_has_its_current_twin_and_no_stale_ones():
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        from build_data import DATA, build_all
    finally:
        sys.path.pop(0)
    twins = build_all()
    assert sorted(p.name for p in (DATA / yamlio.COMPILED_DIR).glob("*")) == sorted(twins), (
        "run python scripts/build_data.py")
    for name, text in twins.items():
        assert (DATA / yamlio.COMPILED_DIR / name).read_text(encoding="utf-8") == text
    for path in DATA.glob("*.yaml"):
        assert yamlio.bundled(path.name) == yaml.safe_load(path.read_text(encoding="utf-8")), path.name


def test_an_edited_data_file_without_its_twin_is_read_as_yaml(monkeypatch):
    edited = yamlio.data_text("state_duty.yaml") + "\nextra_key: 1\n"
    monkeypatch.setattr(yamlio, "data_text", lambda name: edited)
    assert yamlio.bundled("state_duty.yaml")["extra_key"] == 1  # the twin of the old text is not used


@settings(max_examples=300, deadline=None)
@given(st.recursive(
    st.one_of(st.text(), st.integers(), st.booleans(), st.none(), st.dates(), st.floats(allow_nan=False)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(), st.sampled_from(["$date", "$items", "$x"]), st.integers(), st.dates()),
                        inner, max_size=4)),
    max_leaves=20))
def test_a_twin_reads_back_equal(data):
    assert yamlio.from_twin(yamlio.to_twin(data)) == data


def test_a_batch_never_imports_pyyaml(tmp_path):
    """The data files come from their twins and case files from the own emitter: PyYAML (~13 ms) is not loaded."""
    script = (
        "import sys, datetime\n"
        "from pathlib import Path\n"
        "from complaint_cli.batch import run_batch\n"
        "from complaint_cli.tabular import write_template\n"
        f"source = write_template(Path({str(tmp_path / 't.csv')!r}))\n"
        f"result = run_batch(source, out_dir=Path({str(tmp_path / 'out')!r}), on=datetime.date(2026, 11, 25), jobs=1)\n"
        "assert result.ok == 1, result.as_dict()\n"
        "print('yaml' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_yaml_errors_are_still_caught_by_name():
    with pytest.raises(yamlio.YAMLError):
        yamlio.load("a: [unclosed")


def test_a_lone_surrogate_is_refused_as_pyyaml_refuses_it():
    with pytest.raises(UnicodeEncodeError):
        yamlio.dump({"name": "\ud800"})


def test_values_it_does_not_write_go_to_pyyaml():
    data = {"when": dt.date(2026, 11, 25), "ratio": 0.5, "nested": [[1, 2]]}
    assert yamlio.load(yamlio.dump(data)) == data


def test_a_text_of_several_lines_is_written_as_it_was_typed():
    data = {"problem": {"description": "Заказ не привезли.\n\nВ чате: «ждите».\n    цитата с отступом"}}
    text = yamlio.dump(data)
    assert text == ("problem:\n  description: |-\n    Заказ не привезли.\n\n    В чате: «ждите».\n"
                    "        цитата с отступом\n")
    assert yamlio.load(text) == data
