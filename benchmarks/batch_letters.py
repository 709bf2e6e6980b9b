"""Benchmark: what the issue-18 documents cost a batch — ``--letters claim`` against ``claim,post`` (the claim's
inventory on form 107 and address label) and ``claim,inaction,penalty`` (the repeat claim and the penalty appendix).

    .venv/bin/python benchmarks/batch_letters.py                 # 1 000 rows, 5 rounds
    .venv/bin/python benchmarks/batch_letters.py --rows 300 --rounds 3

Run it with the Python of the environment complaint_cli is installed in, from any folder (it runs that
environment's ``complaint``). The rows are ``_rows.py``'s (every row a new person and order; some claims already
sent and received, so that their escalation letters are due on the batch's date). Each contender is a cold
``complaint batch rows.csv --out <fresh folder> --json --jobs N`` process timed from start to exit, into a fresh
folder, with a home without a registry. Rounds are interleaved and rotated; nothing is deleted before the end.
Per contender: documents written, wall time, rows/s and documents/s, and the wall time per row added to
``--letters claim`` (medians, with the min–max range).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

import _bench as B
from _rows import ON, generate_rows, variety, write_csv

CONTENDERS = {
    "claim": "claim",
    "claim,post": "claim,post",
    "claim,inaction,penalty": "claim,inaction,penalty",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1000, help="table size (default 1000)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: the CPUs)")
    parser.add_argument("--seed", type=int, default=17, help="of the generated rows")
    args = parser.parse_args()
    report = B.Environment(f"complaint batch: the cost of the issue-18 documents (--jobs {args.jobs})")
    report.begin()
    B.compile_package()
    base = Path(tempfile.mkdtemp(prefix="complaint-bench-letters-"))
    try:
        rows = generate_rows(args.rows, args.seed)
        print(f"Rows: {variety(rows)} (seed {args.seed}).")
        source = write_csv(rows, base / "rows.csv")
        del rows
        runs: dict[str, list[B.Run]] = {name: [] for name in CONTENDERS}
        docs: dict[str, int] = {}
        count = iter(range(10**6))

        def measure(name: str, _: int) -> None:
            n = next(count)
            home = base / f"home-{n}"  # no registry: what is measured is the letters
            env = B.child_env(COMPLAINT_CLI_TODAY=ON.isoformat(), COMPLAINT_CLI_HOME=str(home))
            out = base / f"out-{n}"
            cmd = [*B.complaint_command(), "batch", str(source), "--out", str(out), "--json", "--jobs",
                   str(args.jobs), "--letters", CONTENDERS[name]]
            run = B.run(cmd, env=env, sync=True)
            result = json.loads(run.stdout)
            if result.get("failed"):
                sys.exit(f"{name}: {len(result['failed'])} rows failed — the benchmark's rows must all be valid")
            docs[name] = len(result["documents"])
            runs[name].append(run)

        for name in CONTENDERS:  # warm-up: bytecode and page caches
            measure(name, -1)
            runs[name].clear()
        B.rounds(list(CONTENDERS), args.rounds, measure)
        claim = B.med([r.wall for r in runs["claim"]])
        table = []
        for name, rs in runs.items():
            walls = [r.wall for r in rs]
            added = "—" if name == "claim" else f"{(B.med(walls) - claim) / args.rows * 1000:+.2f}"
            table.append([f"`--letters {name}`", B.fmt_num(docs[name]), B.spread(walls, 2),
                          B.fmt_num(args.rows / B.med(walls)), B.fmt_num(docs[name] / B.med(walls)), added])
        print()
        print(f"## {args.rows} rows, {args.rounds} rounds, --jobs {args.jobs}")
        print()
        print(B.table(["letters", "documents", "wall s", "rows/s", "docs/s", "ms per row added"], table))
    finally:
        print("\nRemoving the benchmark's files…", file=sys.stderr)
        shutil.rmtree(base, ignore_errors=True)
        report.end()


if __name__ == "__main__":
    main()
