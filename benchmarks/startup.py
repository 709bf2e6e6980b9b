"""How fast `complaint --help` starts, against a bare typer app's `--help` (issue: ≤ 1.5×).

    python benchmarks/startup.py [--runs 20]

Both are run as fresh interpreter processes; the median wall time of N runs is compared.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE = '''
import typer
app = typer.Typer(rich_markup_mode=None, add_completion=False)
@app.command()
def hello(name: str = "x"):
    """Say hello."""
@app.command()
def bye():
    """Say bye."""
app()
'''


def median_time(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE)
        median_time([sys.executable, str(bare), "--help"], 3)  # warm the file cache
        t_bare = median_time([sys.executable, str(bare), "--help"], args.runs)
        t_ours = median_time([sys.executable, "-m", "complaint_cli", "--help"], args.runs)
    print(f"bare typer --help:  {t_bare * 1000:.0f} ms")
    print(f"complaint --help:   {t_ours * 1000:.0f} ms")
    print(f"ratio:              {t_ours / t_bare:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
