"""Case files are written by a small YAML emitter of our own: whatever it writes reads back equal."""

from __future__ import annotations

import datetime as dt

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from complaint_cli import yamlio
from tests.conftest import TODAY

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
    assert ours == pyyaml  # same styles: plain where PyYAML is plain, quoted where it quotes


def test_a_lone_surrogate_is_refused_as_pyyaml_refuses_it():
    import pytest

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
