"""Benchmark: one claim with ``complaint render ДЕЛО.yaml``, end to end, against the minimal docxtpl script.

    .venv/bin/python benchmarks/render.py                 # 10 rounds
    .venv/bin/python benchmarks/render.py --rounds 30 --case my_case.yaml

Run it with the Python of the environment complaint_cli is installed in, from any folder (it imports the installed
package and runs that environment's ``complaint``).

Contenders, each a cold process per run (a new interpreter, as a user starts it), timed from start to exit:

* ``complaint`` — ``complaint render ДЕЛО.yaml --out <fresh folder>``: reading and validating the case file, the
  legal analysis and the context, rendering, writing the letter, and the console output (to a file: stdout is not
  a terminal here). Its home (``COMPLAINT_CLI_HOME``, no registry) is kept across runs, as a user's is: anything
  complaint caches on disk is warm after the first, untimed run;
* ``docxtpl-script`` — ``peers/docxtpl_render.py``: ``DocxTemplate(template)`` → ``render(ctx, autoescape=True)``
  → ``save()`` of the same bundled template, loading the context from a JSON file (built beforehand by complaint_cli
  for the same case, outside the timing: the script does what a user's script does once it has its data).

The case: the bundled example ``kuper_two_problems.yaml`` (an aggregator with a seller, items, two problems),
unless ``--case`` names another. One untimed warm-up run of each, then interleaved rounds in rotated order; medians
with min–max, CPU time of the process (user+sys), and the peak RSS (VmHWM) from one more run of each.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import _bench as B
from _rows import ON

CONTENDERS = ("complaint", "docxtpl-script")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=10, help="interleaved rounds (default 10)")
    parser.add_argument("--case", type=Path, default=None, help="a case file (default: the example with two problems)")
    args = parser.parse_args()
    env_report = B.Environment("One claim: complaint render against the minimal docxtpl script")
    env_report.begin()
    B.compile_package()
    from complaint_cli.casefile import read_case_data
    from complaint_cli.claim import claim_context
    from complaint_cli.paths import examples_dir
    from complaint_cli.render import bundled_path
    from complaint_cli.validation import validate_data

    source = args.case or examples_dir() / "kuper_two_problems.yaml"
    with tempfile.TemporaryDirectory(prefix="complaint-bench-render-") as tmp:
        base = Path(tmp)
        case_file = base / "ДЕЛО.yaml"
        shutil.copyfile(source, case_file)
        case = validate_data(read_case_data(case_file), today=ON).raise_for_errors()
        context = base / "context.json"
        context.write_text(json.dumps(claim_context(case, on=ON), ensure_ascii=False, default=str), encoding="utf-8")
        template = bundled_path("claim.docx")
        home = base / "home"
        home.mkdir()
        env = B.child_env(COMPLAINT_CLI_TODAY=ON.isoformat(), COMPLAINT_CLI_HOME=str(home))
        print(f"Case: {source.name}; template {template}.")

        def command(name: str, tag: str) -> list[str]:
            out = base / tag / name
            out.mkdir(parents=True)
            if name == "complaint":
                return [*B.complaint_command(), "render", str(case_file), "--out", str(out)]
            return [sys.executable, str(B.PEERS / "docxtpl_render.py"), str(template), str(context),
                    str(out / "claim.docx")]

        def measure(name: str, tag: str, watch: bool = False) -> B.Run:
            result = B.run(command(name, tag), env=env, watch=watch, cwd=base)
            if not any((base / tag / name).glob("*.docx")):
                raise SystemExit(f"{name} wrote no letter")
            return result

        for name in CONTENDERS:
            measure(name, "warm-up")
        runs: dict[str, list[B.Run]] = {c: [] for c in CONTENDERS}
        B.rounds(CONTENDERS, args.rounds, lambda name, i: runs[name].append(measure(name, f"round{i + 1}")))
        memory = {name: measure(name, "memory", watch=True) for name in CONTENDERS}

    rows = []
    for name, rs in runs.items():
        walls = [r.wall for r in rs]
        vs = "—" if name == "complaint" else B.ratio_spread([r.wall for r in runs["complaint"]], walls)
        rows.append([name, B.spread(walls, 0, 1000), B.spread([r.cpu for r in rs], 0, 1000),
                     f"{memory[name].main_mb or 0:.0f}", vs])
    print()
    print(f"## One claim, {args.rounds} rounds")
    print()
    print(B.table(["contender", "wall ms", "CPU ms", "peak RSS MB", "complaint time ÷ contender time"], rows))
    env_report.end()


if __name__ == "__main__":
    main()
