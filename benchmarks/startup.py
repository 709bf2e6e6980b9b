"""Benchmark: how fast ``complaint --help`` starts, against a bare typer app's ``--help`` (README goal: ≤ 1.5×).

    .venv/bin/python benchmarks/startup.py               # 30 rounds
    .venv/bin/python benchmarks/startup.py --rounds 50

Run it with the Python of the environment complaint_cli is installed in, from any folder (it runs that
environment's ``complaint`` script; the bare app, ``peers/bare_typer.py``, runs with the same interpreter).

Both are fresh interpreter processes, timed from start to exit, output to a file. After one untimed warm-up run of
each, the two commands are interleaved in rotated order (round i starts with the i-th), so a slow minute of the
machine weighs on both. Medians with min–max over the rounds; CPU time is user+sys of the process.
"""

from __future__ import annotations

import argparse
import sys

import _bench as B

CONTENDERS = ("complaint --help", "bare typer --help")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=30, help="interleaved rounds (default 30)")
    args = parser.parse_args()
    report = B.Environment("Start-up: complaint --help against a bare typer app")
    report.begin()
    B.compile_package()
    env = B.child_env()
    commands = {"complaint --help": [*B.complaint_command(), "--help"],
                "bare typer --help": [sys.executable, str(B.PEERS / "bare_typer.py"), "--help"]}
    runs: dict[str, list[B.Run]] = {name: [] for name in CONTENDERS}
    for name in CONTENDERS:
        B.run(commands[name], env=env)  # warm-up: bytecode caches, page cache
    B.rounds(CONTENDERS, args.rounds, lambda name, i: runs[name].append(B.run(commands[name], env=env)))
    ours, bare = ([r.wall for r in runs[name]] for name in CONTENDERS)
    rows = [[name, B.spread([r.wall for r in rs], 0, 1000), B.spread([r.cpu for r in rs], 0, 1000)]
            for name, rs in runs.items()]
    print()
    print(f"## Start-up, {args.rounds} rounds")
    print()
    print(B.table(["command", "wall ms", "CPU ms"], rows))
    print()
    print(f"complaint ÷ bare typer: {B.ratio_spread(ours, bare)} (goal ≤ 1.5×)")
    report.end()


if __name__ == "__main__":
    main()
