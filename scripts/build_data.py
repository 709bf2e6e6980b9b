"""Regenerate the JSON twins of the bundled data files (run after editing anything in complaint_cli/data/).

    python scripts/build_data.py

For each complaint_cli/data/NAME.yaml it writes complaint_cli/data/compiled/<hash of its text>.json — the same data
(dates and non-string keys tagged) that ``complaint_cli.yamlio.bundled`` reads ~10× faster than the YAML, and
without importing PyYAML — and removes twins of older texts. A YAML file edited without running this is still read
(as YAML): a twin is found by the hash of the YAML's exact text, so a stale one is never used.
tests/test_yamlio.py checks that every twin is there, current and equal to its YAML.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from complaint_cli import yamlio  # noqa: E402

DATA = ROOT / "complaint_cli" / "data"


def build_all() -> dict[str, str]:
    """{twin file name: its text} for every bundled YAML file."""
    out = {}
    for path in sorted(DATA.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        data = yamlio.load(text)
        twin = yamlio.to_twin(data)
        if yamlio.from_twin(twin) != data:
            raise SystemExit(f"{path.name}: the JSON twin does not read back equal")
        out[yamlio.twin_name(text)] = twin
    return out


def main() -> None:
    folder = DATA / yamlio.COMPILED_DIR
    folder.mkdir(exist_ok=True)
    twins = build_all()
    for stale in folder.glob("*.json"):
        if stale.name not in twins:
            stale.unlink()
    for name, text in twins.items():
        (folder / name).write_text(text, encoding="utf-8")
    print(f"{len(twins)} twins in {folder.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
