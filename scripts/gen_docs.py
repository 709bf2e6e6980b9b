"""Regenerate docs/template-variables.md from the variable tables in code."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from complaint_cli.customtemplates import variables_markdown  # noqa: E402

if __name__ == "__main__":
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "template-variables.md").write_text(variables_markdown(), encoding="utf-8")
    print("docs/template-variables.md")
