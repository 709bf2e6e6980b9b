"""The README's first command works as typed on a stock Debian/Ubuntu Python, which refuses ``pip install`` into
the system (PEP 668): run it from a clean copy of the project with such a Python first on PATH."""

from __future__ import annotations

import os
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest

from tests.test_docs import INSTALL_COMMAND

ROOT = Path(__file__).resolve().parent.parent
SYSTEM_PYTHONS = ("/usr/bin/python3", "/usr/local/bin/python3")


def _externally_managed_python() -> str | None:
    """A Python ≥ 3.11 that marks its installation as externally managed (Debian 12, Ubuntu 24.04), if any."""
    for candidate in SYSTEM_PYTHONS:
        if not os.access(candidate, os.X_OK):
            continue
        probe = subprocess.run(
            [candidate, "-c", "import sys, sysconfig, os; print(sys.version_info >= (3, 11), "
             "os.path.isfile(os.path.join(sysconfig.get_path('stdlib'), 'EXTERNALLY-MANAGED')))"],
            capture_output=True, text=True)
        if probe.stdout.split() == ["True", "True"]:
            return candidate
    return None


def _clean_copy(target: Path) -> Path:
    """The project's files as a fresh clone has them (tracked and new files; no venv, no build output)."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.splitlines()
    for name in listed:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    return target


@pytest.mark.skipif(_externally_managed_python() is None,
                    reason="no externally managed system Python (PEP 668) on this machine: nothing to reproduce")
def test_the_readmes_first_command_installs_on_a_python_that_refuses_pip(tmp_path):
    python = Path(_externally_managed_python())
    shim = tmp_path / "bin"  # «python3» on PATH is the system's one, as on a fresh Debian
    shim.mkdir()
    (shim / "python3").symlink_to(python)
    env = {"PATH": f"{shim}:/usr/bin:/bin", "HOME": str(tmp_path / "home"), "LANG": "C.UTF-8",
           "COMPLAINT_CLI_HOME": str(tmp_path / "state")}
    for key in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_CONFIG_FILE"):
        if key in os.environ:
            env[key] = os.environ[key]
    project = _clean_copy(tmp_path / "complaint_cli")
    refused = subprocess.run(["python3", "-m", "pip", "install", "."], cwd=project, env=env, capture_output=True,
                             text=True)
    if "No module named pip" not in refused.stderr:  # Debian without python3-pip refuses even earlier
        assert refused.returncode != 0 and "externally-managed-environment" in refused.stderr
    done = subprocess.run(INSTALL_COMMAND, shell=True, cwd=project, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=900)
    output = done.stdout + done.stderr
    if "ensurepip is not" in output:
        pytest.skip("this system Python has no venv module (python3-venv): the README says to install it")
    if done.returncode != 0 and ("NewConnectionError" in output or "No matching distribution" in output):
        pytest.skip("no package index reachable from this machine")
    assert "externally-managed-environment" not in output
    assert (project / ".venv" / "bin" / "complaint").is_file()
    # Installed and started: without a terminal the wizard says how to go on instead of asking.
    assert "--answers" in output, output[-2000:]
    assert "Traceback" not in output
    version = subprocess.run([str(project / ".venv" / "bin" / "complaint"), "--help"], env=env,
                             capture_output=True, text=True)
    assert version.returncode == 0 and "претенз" in version.stdout
