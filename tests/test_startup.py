"""One claim, fast (issue 17, goal 2): a command imports only what it needs, output off a terminal is written without
rich (and reads exactly as rich would write it), and the bundled template is compiled once and kept across runs in a
cache that nothing stale, torn, tampered with or writable by others can get code into."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from complaint_cli import render, templatecache
from complaint_cli.cli import COMMANDS, LazyCoercion, load_module_commands
from complaint_cli.commands.common import PlainConsole, console, styled
from complaint_cli.paths import cache_dir
from tests.conftest import EXAMPLES, ROOT, write_yaml

# --------------------------------------------------------------------------- what a command imports

SNAPSHOT = (
    "import json, sys\n"
    "sys.argv = ['complaint', *json.loads(sys.argv[1])]\n"
    "from complaint_cli.cli import main\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
)


def imported(*args: str) -> set[str]:
    """The modules a `complaint …` process has imported by the time it ends (its output goes to a pipe)."""
    done = subprocess.run([sys.executable, "-c", SNAPSHOT, json.dumps([str(a) for a in args])], capture_output=True,
                          text=True, timeout=120, cwd=ROOT, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def command_modules(modules: set[str]) -> set[str]:
    return {m.rsplit(".", 1)[1] for m in modules if m.startswith("complaint_cli.commands.")}


def test_help_lists_every_command_without_importing_any():
    modules = imported("--help")
    assert command_modules(modules) == {"common", "russian"}
    assert not {"pydantic", "rich", "importlib.metadata", "jinja2"} & modules


def test_a_commands_help_imports_that_command_alone_and_no_pydantic():
    """typer built a pydantic converter even for options that were not given (``--install-completion``)."""
    modules = imported("render", "--help")
    assert command_modules(modules) == {"common", "russian", "claims"}
    assert not {"pydantic", "rich", "importlib.metadata"} & modules


def test_render_off_a_terminal_imports_no_rich_no_plugin_lookup_and_no_other_command(tmp_path, late_case):
    case = write_yaml(tmp_path / "case.yaml", late_case)
    modules = imported("render", case, "--out", tmp_path / "out")
    assert (tmp_path / "out").is_dir() and any((tmp_path / "out").glob("*.docx"))
    assert command_modules(modules) <= {"common", "russian", "choices", "claims", "sending"}
    assert "rich" not in modules
    assert "importlib.metadata" not in modules  # pydantic's plugin lookup, with every plugin off


@pytest.mark.parametrize("module", sorted({module for module, _ in COMMANDS.values()}))
def test_the_command_table_is_what_each_module_registers(module):
    commands = load_module_commands(module)
    assert set(commands) == {name for name, (owner, _) in COMMANDS.items() if owner == module}
    for name, command in commands.items():
        for limit in (20, 45, 60, 1000):  # what --help shows at any terminal width
            from typer._click.utils import make_default_short_help

            assert make_default_short_help(COMMANDS[name][1], limit) == command.get_short_help_str(limit), name


def test_help_and_completion_still_see_every_command():
    from typer.testing import CliRunner

    from complaint_cli.cli import app

    listed = CliRunner().invoke(app, ["--help"]).stdout.split("Команды:", 1)[1]
    assert [line.split()[0] for line in listed.strip().splitlines()] == list(COMMANDS)
    done = subprocess.run([sys.executable, "-m", "complaint_cli"], capture_output=True, text=True, timeout=60,
                          cwd=ROOT, env={**os.environ, "_COMPLAINT_COMPLETE": "complete_bash",
                                         "COMP_WORDS": "complaint re", "COMP_CWORD": "1"})
    assert done.stdout.split() == ["render", "remind", "received", "reply"]


# --------------------------------------------------------------------------- typer's conversions, without pydantic

RENDER = load_module_commands("claims")["render"]


@settings(max_examples=300, suppress_health_check=list(HealthCheck), deadline=None)
@given(value=st.text(max_size=30), name=st.sampled_from(["case", "out", "templates", "on", "fmt"]))
def test_plain_text_and_path_options_convert_as_typer_converts_them(value, name):
    from typer._click import Context
    from typer._coercion import build_runtime_param

    param = next(p for p in RENDER.params if p.name == name)
    ctx = Context(RENDER)

    def outcome(runtime):
        try:
            result = runtime.coerce(value, param=param, ctx=ctx)
            return type(result), result
        except Exception as exc:  # noqa: BLE001 - both must fail alike
            return type(exc), str(exc)

    assert outcome(LazyCoercion(param.type_descriptor, build_runtime_param)) == outcome(
        build_runtime_param(param.type_descriptor))


# --------------------------------------------------------------------------- output off a terminal, without rich


def rich_output(*objects, **options) -> str:
    from rich.console import Console

    out = io.StringIO()
    Console(file=out, highlight=False, soft_wrap=True, emoji=False).print(*objects, **options)
    return out.getvalue()


def plain_output(*objects, **options) -> str:
    out, saved = io.StringIO(), sys.stdout
    sys.stdout = out
    try:
        PlainConsole().print(*objects, **options)
    finally:
        sys.stdout = saved
    return out.getvalue()


PIECES = ["[", "]", "\\", "/", "[/]", "[bold]", "[/bold]", "[green]", "[/green]", "[red]", "[/red]", "[/x]", "[@click]",
          "[link=https://x]", "[Bold]", "[/Bold]", "[b]", "[/b]", "a", "Я", "ё", " ", "  ", "\n", "\t", "\r", "\x07",
          "\x1b", ":smile:", "=", "x" * 90, "漢", "\u200b"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=12).map("".join) | st.text(max_size=40)


def outcome(func, *objects, **options) -> str:
    from rich.errors import MarkupError

    try:
        return func(*objects, **options)
    except MarkupError:
        return "MarkupError"


@settings(max_examples=500, suppress_health_check=list(HealthCheck), deadline=None)
@given(text=TEXTS, markup=st.booleans())
def test_plain_console_writes_what_rich_writes_off_a_terminal(text, markup):
    assert outcome(plain_output, text, markup=markup) == outcome(rich_output, text, markup=markup)


@settings(max_examples=300, suppress_health_check=list(HealthCheck), deadline=None)
@given(first=TEXTS, second=TEXTS)
def test_styled_values_are_printed_as_typed_with_or_without_rich(first, second):
    for value in (styled("[red]Ошибка:[/red] {}", first), styled("  • {}: {}", (first, "bold"), second)):
        assert plain_output(value) == rich_output(value)
    if "\t" not in first:  # as typed (less the control characters rich drops too)
        assert plain_output(styled("{}", first)) == first.translate(dict.fromkeys((7, 8, 11, 12, 13))) + "\n"


def test_rich_draws_only_on_a_terminal_or_when_colour_is_asked_for(monkeypatch):
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("TTY_COMPATIBLE", raising=False)
    assert isinstance(console(), PlainConsole)  # pytest captures stdout: not a terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert not isinstance(console(), PlainConsole)
    monkeypatch.setenv("TTY_COMPATIBLE", "0")
    assert isinstance(console(stderr=True), PlainConsole)


# --------------------------------------------------------------------------- the compiled template, kept across runs


@pytest.fixture
def compiles(monkeypatch):
    """Counts Jinja compilations (any environment) and forgets the templates this process has loaded."""
    calls = []
    original = jinja2.Environment.compile

    def counting(self, source, *args, **kwargs):
        calls.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    monkeypatch.setattr(render, "_cache", {})
    return calls


def new_run(monkeypatch):
    """What a new process starts with: no template loaded yet."""
    monkeypatch.setattr(render, "_cache", {})


def cache_files() -> list[Path]:
    return sorted(cache_dir().glob(f"*{templatecache.SUFFIX}"))


def claim_text(late_case) -> str:
    from complaint_cli.claim import claim_context
    from complaint_cli.validation import validate_data
    from tests.conftest import TODAY

    case = validate_data(late_case, today=TODAY).raise_for_errors()
    return render.document_text(render.load_template("claim.docx").render(claim_context(case, on=TODAY)))


def test_the_bundled_template_is_compiled_once_and_loaded_from_disk_next_time(compiles, monkeypatch, late_case,
                                                                               isolated_home):
    first = claim_text(late_case)
    assert len(compiles) == 1
    [kept] = cache_files()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE((isolated_home / templatecache.KEY_FILE).stat().st_mode) == 0o600
    new_run(monkeypatch)
    assert claim_text(late_case) == first
    assert len(compiles) == 1  # the second run compiled nothing


def test_a_second_process_does_not_compile_the_template(tmp_path, late_case):
    case = write_yaml(tmp_path / "case.yaml", late_case)
    script = ("import sys, jinja2\ncalls = []\noriginal = jinja2.Environment.compile\n"
              "def counting(self, *a, **k):\n    calls.append(1)\n    return original(self, *a, **k)\n"
              "jinja2.Environment.compile = counting\n"
              f"sys.argv = ['complaint', 'render', {str(case)!r}, '--force']\n"
              "from complaint_cli.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
              "print('compiled', len(calls), file=sys.stderr)\n")
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT)
            for _ in range(2)]
    assert [r.stderr.strip().splitlines()[-1] for r in runs] == ["compiled 1", "compiled 0"]


def signed_code(key: str, secret: bytes, code_source: str, template_source: str) -> bytes:
    """A cache file as this module writes it, for any code and any secret."""
    from jinja2.bccache import Bucket

    env = render.trusted_environment()
    bucket = Bucket(env, key, templatecache.SignedBytecodeCache(Path("."), secret).get_source_checksum(template_source))
    bucket.code = compile(code_source, "<planted>", "exec")
    return templatecache.SignedBytecodeCache(Path("."), secret).sign(key, bucket.bytecode_to_string()) + (
        bucket.bytecode_to_string())


PLANTED = "import pathlib\npathlib.Path({marker!r}).write_text('ran')\n"


@pytest.mark.parametrize("how", ["another key", "flipped byte", "cut short", "moved from another name"])
def test_a_tampered_cache_file_is_never_run_and_is_replaced(compiles, monkeypatch, late_case, tmp_path, how):
    expected = claim_text(late_case)
    [kept] = cache_files()
    marker = tmp_path / "planted-code-ran"
    secret = (Path(os.environ["COMPLAINT_CLI_HOME"]) / templatecache.KEY_FILE).read_bytes()
    source = render.load_template("claim.docx").source
    planted = {
        "another key": signed_code(kept.stem, os.urandom(32), PLANTED.format(marker=str(marker)), source),
        "flipped byte": (lambda data: data[:-40] + bytes([data[-40] ^ 1]) + data[-39:])(kept.read_bytes()),
        "cut short": kept.read_bytes()[:500],
        "moved from another name": signed_code("0" * 64, secret, PLANTED.format(marker=str(marker)), source),
    }[how]
    kept.write_bytes(planted)
    new_run(monkeypatch)
    assert claim_text(late_case) == expected
    assert not marker.exists()
    assert len(compiles) == 2  # recompiled…
    assert kept.read_bytes() != planted  # …and the bad file replaced by a good one
    new_run(monkeypatch)
    claim_text(late_case)
    assert len(compiles) == 2


def test_a_stale_cache_is_not_used(compiles, monkeypatch, late_case):
    claim_text(late_case)
    monkeypatch.setattr(jinja2, "__version__", "99.0")  # an upgraded Jinja generates other code
    new_run(monkeypatch)
    claim_text(late_case)
    assert len(compiles) == 2
    assert len(cache_files()) == 2
    edited = render.load_template("claim.docx").source + "<!-- an advocate's edit -->"
    templatecache.compile_template(render.trusted_environment(), edited)  # another source: another file
    assert len(compiles) == 3


def test_a_cache_folder_others_can_write_to_is_not_trusted(compiles, monkeypatch, late_case):
    claim_text(late_case)
    folder = cache_dir()
    folder.chmod(0o777)
    for _ in range(2):
        new_run(monkeypatch)
        claim_text(late_case)
    assert len(compiles) == 3  # compiled every time, nothing read from there
    folder.chmod(0o700)


def test_a_cache_file_others_can_write_or_a_link_is_not_read(compiles, monkeypatch, late_case, tmp_path):
    claim_text(late_case)
    [kept] = cache_files()
    kept.chmod(0o666)
    new_run(monkeypatch)
    claim_text(late_case)
    assert len(compiles) == 2
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600  # written again, private
    elsewhere = tmp_path / "elsewhere.jinjac"
    elsewhere.write_bytes(kept.read_bytes())
    elsewhere.chmod(0o600)
    kept.unlink()
    kept.symlink_to(elsewhere)
    new_run(monkeypatch)
    claim_text(late_case)
    assert len(compiles) == 3


def test_a_key_others_can_read_is_replaced(compiles, monkeypatch, late_case, isolated_home):
    claim_text(late_case)
    key = isolated_home / templatecache.KEY_FILE
    old = key.read_bytes()
    key.chmod(0o644)
    new_run(monkeypatch)
    claim_text(late_case)
    assert len(compiles) == 2  # what the old key signed is no longer trusted
    assert key.read_bytes() != old and stat.S_IMODE(key.stat().st_mode) == 0o600


def test_without_a_usable_cache_folder_the_template_is_still_compiled(compiles, monkeypatch, late_case):
    cache_dir().parent.mkdir(parents=True, exist_ok=True)
    cache_dir().write_text("not a folder")
    assert claim_text(late_case)
    assert len(compiles) == 1


def test_the_cache_keeps_a_bounded_number_of_files(compiles, monkeypatch):
    env = render.trusted_environment()
    for n in range(templatecache.KEEP + 5):
        templatecache.compile_template(env, f"<w:t>{n} {{{{ x }}}}</w:t>")
    assert len(cache_files()) == templatecache.KEEP


def test_an_example_case_renders_the_same_from_the_cache(monkeypatch, tmp_path):
    """The cached code is the compiled code: every shipped example gives the same letter from a warm cache."""
    import yaml

    for example in sorted(EXAMPLES.glob("*.yaml")):
        data = yaml.safe_load(example.read_text(encoding="utf-8"))
        cold = claim_text(data)
        new_run(monkeypatch)
        assert claim_text(data) == cold, example.name
