"""Benchmark: ``complaint status --check`` and ``complaint status --json`` over a registry of 10 000 cases.

    .venv/bin/python benchmarks/status.py                       # 10 000 cases, 5 rounds
    .venv/bin/python benchmarks/status.py --cases 1000 --rounds 3

Run it with the Python of the environment complaint_cli is installed in, from any folder (it runs that
environment's ``complaint``).

Setup (untimed, its time printed): ``complaint batch`` of ``--cases`` generated rows (``_rows.py``: every row a new
person and order; 45 % of the claims already sent, some received, so deadlines run and some are overdue) into a
home with a registry — that writes the case files and registers every case, as a user's batch does.

Then interleaved rounds in rotated order, each command a cold process timed from start to exit: ``status --check``
(exit 0, or 3 when a case is overdue) and ``status --json``; stdout goes to a file (not a terminal). Per run: wall
time, CPU time (user+sys), and the peak RSS (VmHWM, sampled every 5 ms while it runs: one process, so sampling
costs little). Medians with min–max. The case files are in the page cache (they were just written): a first run
after a reboot reads them from disk.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import _bench as B
from _rows import ON, generate_rows, variety, write_csv

COMMANDS = {"status --check": ["status", "--check"], "status --json": ["status", "--json"]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000, help="cases in the registry (default 10 000)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    report = B.Environment(f"complaint status over {args.cases} cases")
    report.begin()
    B.compile_package()
    from complaint_cli.registry import Registry

    with tempfile.TemporaryDirectory(prefix="complaint-bench-status-") as tmp:
        base = Path(tmp)
        rows = generate_rows(args.cases, args.seed)
        print(f"Rows: {variety(rows)} (seed {args.seed}).")
        csv = write_csv(rows, base / "cases.csv")
        del rows
        home = base / "home"
        home.mkdir()
        Registry.open(home / "registry.sqlite3").close()
        env = B.child_env(COMPLAINT_CLI_TODAY=ON.isoformat(), COMPLAINT_CLI_HOME=str(home))
        print("Setup: complaint batch into the registry…", file=sys.stderr, flush=True)
        setup = B.run([*B.complaint_command(), "batch", str(csv), "--out", str(base / "cases"), "--json"],
                      env=env, cwd=base)
        done = json.loads(setup.stdout)
        if done["ok"] != args.cases:
            raise SystemExit(f"the batch accepted {done['ok']} of {args.cases} rows: {done['failed'][:5]}")
        print(f"Setup: {args.cases} cases written and registered by complaint batch in {setup.wall:.1f} s.")

        def measure(name: str, _: int) -> None:
            result = B.run([*B.complaint_command(), *COMMANDS[name]], env=env, cwd=base, watch=True, ok=(0, 3),
                           interval=0.005)
            runs[name].append(result)
            outputs[name] = result

        outputs: dict[str, B.Run] = {}
        runs: dict[str, list[B.Run]] = {name: [] for name in COMMANDS}
        for name in COMMANDS:  # warm-up
            measure(name, -1)
            runs[name].clear()
        B.rounds(list(COMMANDS), args.rounds, measure)
        listed = len(json.loads(outputs["status --json"].stdout)["cases"])
        check = outputs["status --check"]

    rows = [[name, B.spread([r.wall for r in rs], 0, 1000), B.spread([r.cpu for r in rs], 0, 1000),
             B.spread([r.main_mb or 0 for r in rs], 0)] for name, rs in runs.items()]
    print()
    print(f"## status over {args.cases} cases, {args.rounds} rounds")
    print()
    print(B.table(["command", "wall ms", "CPU ms", "peak RSS MB"], rows))
    print()
    print(f"`status --json` listed {listed} cases; `status --check` exited {check.returncode} and printed "
          f"{len(check.stdout.splitlines())} lines ({len(check.stdout) / 1024:.0f} KB).")
    report.end()


if __name__ == "__main__":
    main()
