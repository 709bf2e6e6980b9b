"""The wheel carries everything a non-editable `pip install .` needs: commands, data files and Word templates."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from tests.conftest import ROOT


def test_wheel_ships_commands_data_and_templates(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    wheel = next(tmp_path.glob("complaint_cli-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("complaint_cli/cli.py", "complaint_cli/commands/claims.py", "complaint_cli/data/terms.yaml",
                     "complaint_cli/data/regions.yaml", "complaint_cli/data/calendar_ru.yaml",
                     "complaint_cli/data/companies.yaml", "complaint_cli/data/guides.yaml",
                     "complaint_cli/templates/claim.docx", "complaint_cli/templates/court.docx"):
        assert required in names, required
    source_modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "complaint_cli").rglob("*.py")}
    assert source_modules <= names
    templates = {"complaint_cli/templates/" + p.relative_to(ROOT / "templates").as_posix()
                 for p in (ROOT / "templates").rglob("*") if p.suffix in (".docx", ".xml")}
    assert any("/compiled/" in t for t in templates)
    assert templates <= names
    twins = {"complaint_cli/data/compiled/" + p.name for p in (ROOT / "complaint_cli" / "data" / "compiled").glob("*.json")}
    assert twins and twins <= names  # the data files' JSON twins: without them every run parses YAML
