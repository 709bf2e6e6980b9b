"""Benchmark: ``complaint batch`` end to end against its peers, given the same rows, on this machine.

    .venv/bin/python benchmarks/batch.py                          # 1 000 rows, 5 rounds
    .venv/bin/python benchmarks/batch.py --rows 10000 --rounds 3  # the floor comparison
    .venv/bin/python benchmarks/batch.py --rows 50000 --rounds 1 --contenders complaint   # is peak RSS flat?

Run it with the Python of the environment complaint_cli is installed in (``python3 -m venv .venv && .venv/bin/pip
install '.[bench]'``), from any folder: it imports the installed package (never the source tree) and runs that
environment's ``complaint`` script. It needs docx-mailmerge2 for the mail-merge peer (the ``bench`` extra).

Contenders, each a process of its own timed from start to exit, writing into a fresh folder:

* ``complaint`` — ``complaint batch rows.csv --out … --json --jobs N``: reading the CSV, validation, contexts,
  rendering, a folder per row with the letter and the case file (atomic writes, one sync), the journal, the report
  and the registry. Its home is the reference run's (what complaint keeps between runs, such as compiled
  templates, is warm, as on a user's machine) with a new, empty registry, so the batch registers its cases;
* ``docxtpl-pool`` — ``peers/docxtpl_pool.py``: N forked processes, each parsing the template ONCE and compiling
  each Jinja source once, given the contexts complaint_cli builds for the rows (built beforehand, outside the
  timing), writing the same letters (atomically, one folder per row, one sync);
* ``mailmerge-pool`` — ``peers/mailmerge_pool.py``: docx-mailmerge2 on a MERGEFIELD copy of the bundled claim
  template (made by ``_mergefields.py``, whose docstring says how), given the merge data of the same contexts;
* ``floor`` — ``peers/floor.py``: the same files (a folder per row, the .docx and the .yaml with the very bytes
  complaint produced in a reference run, atomic writes, one sync) and nothing else.

Rows: ``_rows.py`` — every row a new person (large pools of surnames of both genders, double-barrelled, invariable
and syllable-made rare ones; first names, patronymics), address, company, order, problem kind and story; every
row valid (the reference run must accept them all).

Measured per round and contender: wall time → docs/s, CPU ms per document (user+sys of the whole process tree,
from ``getrusage(RUSAGE_CHILDREN)``); per contender, in one more run made for it (sampling costs CPU), the peak
RSS (VmHWM) of each process. Rounds are interleaved and rotated (round i starts with the i-th contender), the page
cache is synced before each run, and nothing is deleted before the end (on ext4 creating files right after a mass
delete is several times slower). Figures: medians with the min–max range over the rounds; the ratios are of the
medians, with the range of the per-round ratios.
"""

from __future__ import annotations

import argparse
import json
import marshal
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import _bench as B
from _rows import ON, generate_rows, variety, write_csv

CONTENDERS = ("complaint", "docxtpl-pool", "mailmerge-pool", "floor")


class Workload:
    """One table size: the rows, the reference run's files, and each peer's input."""

    def __init__(self, n: int, base: Path, seed: int, jobs: int, contenders: list[str]) -> None:
        self.n, self.base, self.jobs = n, base, jobs
        base.mkdir(parents=True)
        rows = generate_rows(n, seed)
        print(f"Rows: {variety(rows)} (seed {seed}).")
        self.csv = write_csv(rows, base / "rows.csv")
        del rows
        self.env = B.child_env(COMPLAINT_CLI_TODAY=ON.isoformat())
        print("Reference run of complaint batch (also the warm-up)…", file=sys.stderr, flush=True)
        ref = base / "reference"
        self.plan, self.files = self._layout(ref, self.run_complaint(ref, base / "reference-home"))
        if "floor" in contenders:
            self._floor_input()
        if {"docxtpl-pool", "mailmerge-pool"} & set(contenders):
            self._peer_input("mailmerge-pool" in contenders)

    def run_complaint(self, out: Path, home: Path, *, watch: bool = False) -> B.Run:
        """A run into ``out`` with the home ``home``: a copy of the reference run's home (what complaint keeps
        between runs, such as compiled templates, stays warm as on a user's machine) with a new, empty registry
        (so the batch registers its cases, and the registry does not grow from round to round)."""
        from complaint_cli.registry import Registry

        warm = self.base / "reference-home"
        if home != warm:
            shutil.copytree(warm, home, ignore=shutil.ignore_patterns("registry.sqlite3*"))
        else:
            home.mkdir(parents=True)
        Registry.open(home / "registry.sqlite3").close()
        env = {**self.env, "COMPLAINT_CLI_HOME": str(home)}
        cmd = [*B.complaint_command(), "batch", str(self.csv), "--out", str(out), "--json", "--on", ON.isoformat(),
               "--jobs", str(self.jobs)]
        result = B.run(cmd, env=env, sync=True, watch=watch)
        doc = json.loads(result.stdout)
        if doc["ok"] != self.n or doc["failed"]:
            raise SystemExit(f"complaint batch accepted {doc['ok']} of {self.n} rows: {doc['failed'][:5]}")
        return result

    def _layout(self, ref: Path, run: B.Run) -> tuple[list[list[str]], list[tuple[str, list[str]]]]:
        """From the reference run (its --json): each row's folder and letter (the peers' plan), and all its files."""
        doc_of_row = {d["row"]: Path(d["path"]) for d in json.loads(run.stdout)["documents"] if d["kind"] == "claim"}
        ref = ref.resolve()
        plan, files = [], []
        for row in range(1, self.n + 1):
            path = doc_of_row[row]
            folder = path.parent.relative_to(ref).as_posix()
            plan.append([folder, path.name])
            names = sorted(p.name for p in path.parent.iterdir() if not p.name.startswith("."))
            files.append((folder, names))
        return plan, files

    def _floor_input(self) -> None:
        index = []
        offset = 0
        with open(self.base / "floor.blob", "wb") as blob:
            for folder, names in self.files:
                entries = []
                for name in names:
                    data = (self.base / "reference" / folder / name).read_bytes()
                    blob.write(data)
                    entries.append([name, offset, len(data)])
                    offset += len(data)
                index.append([folder, entries])
        _dump(self.base / "floor.index", index)
        print(f"Floor input: {sum(len(n) for _, n in self.files)} files, {offset / 2**20:.1f} MB.")

    def _peer_input(self, with_mailmerge: bool) -> None:
        """The contexts complaint_cli builds for the rows (its own CSV reader, validation and claim_context)."""
        from complaint_cli.claim import claim_context
        from complaint_cli.render import bundled_path
        from complaint_cli.tabular import read_rows
        from complaint_cli.validation import validate_data

        start = time.perf_counter()
        contexts = []
        for row in read_rows(self.csv):
            case = validate_data(row.data, today=ON).raise_for_errors()
            contexts.append(json.loads(json.dumps(claim_context(case, on=ON), ensure_ascii=False, default=str)))
        took = time.perf_counter() - start
        self.template = bundled_path("claim.docx")
        _dump(self.base / "contexts", contexts)
        _dump(self.base / "plan", self.plan)
        print(f"Contexts for the peers: built by complaint_cli in {took:.1f} s in this process (not timed); "
              f"template {self.template}.")
        if with_mailmerge:
            from _mergefields import FieldValues, make_copy

            self.mailmerge_template = self.base / "claim-mergefield.docx"
            spec = make_copy(self.template, self.mailmerge_template)
            values = FieldValues(spec)
            _dump(self.base / "fields", [values(c) for c in contexts])
            print(f"Mail-merge copy of the template: {len(spec)} MERGEFIELDs "
                  f"({sum(1 for k in spec if k.startswith('block_'))} for paragraph blocks).")
        self.sample = [(i, contexts[i]["claimant"]["name_genitive"]) for i in (0, self.n // 2, self.n - 1)]

    def command(self, name: str, out: Path) -> list[str]:
        peers = B.PEERS
        jobs = ["--jobs", str(self.jobs)]
        if name == "docxtpl-pool":
            return [sys.executable, str(peers / "docxtpl_pool.py"), str(self.template), str(self.base / "contexts"),
                    str(self.base / "plan"), str(out), *jobs]
        if name == "mailmerge-pool":
            return [sys.executable, str(peers / "mailmerge_pool.py"), str(self.mailmerge_template),
                    str(self.base / "fields"), str(self.base / "plan"), str(out), *jobs]
        if name == "floor":
            return [sys.executable, str(peers / "floor.py"), str(self.base / "floor.blob"),
                    str(self.base / "floor.index"), str(out), *jobs]
        raise ValueError(name)

    def measure(self, name: str, tag: str, *, watch: bool = False) -> B.Run:
        out = self.base / tag / name
        if name == "complaint":
            return self.run_complaint(out, self.base / tag / "complaint-home", watch=watch)
        result = B.run(self.command(name, out), env=self.env, sync=True, watch=watch)
        report = json.loads(result.stdout)
        if report["documents"] != self.n:
            raise SystemExit(f"{name} wrote {report['documents']} of {self.n} documents")
        result.load_ms = report.get("load_ms")  # type: ignore[attr-defined]
        return result

    def check(self, name: str, tag: str) -> None:
        """The contender wrote every letter where it should, and they hold the right people."""
        from complaint_cli.render import document_text

        out = self.base / tag / name
        missing = [f"{f}/{n}" for f, n in self.plan if not (out / f / n).is_file()]
        if missing:
            raise SystemExit(f"{name}: {len(missing)} letters missing, e.g. {missing[:3]}")
        if name == "floor":
            return
        for i, genitive in getattr(self, "sample", []):
            folder, letter = self.plan[i]
            text = " ".join(document_text((out / folder / letter).read_bytes()).split())
            if " ".join(genitive.split()) not in text:
                raise SystemExit(f"{name}: the letter of row {i + 1} does not name «{genitive}»")


def _dump(path: Path, data) -> None:
    with open(path, "wb") as fh:
        marshal.dump(data, fh)


def measure_size(n: int, args: argparse.Namespace, base: Path) -> dict:
    contenders = args.contenders
    work = Workload(n, base, args.seed, args.jobs, contenders)
    runs: dict[str, list[B.Run]] = {c: [] for c in contenders}

    def one(name: str, i: int) -> None:
        runs[name].append(work.measure(name, f"round{i + 1}"))
        if i == 0:
            work.check(name, "round1")

    print(f"Timed rounds ({args.rounds}), then one run per contender for peak RSS…", file=sys.stderr, flush=True)
    B.rounds(contenders, args.rounds, one)
    memory = {name: work.measure(name, "memory", watch=True) for name in contenders}
    return report(n, args, runs, memory)


def report(n: int, args: argparse.Namespace, runs: dict[str, list[B.Run]], memory: dict[str, B.Run]) -> dict:
    rate = {name: [n / r.wall for r in rs] for name, rs in runs.items()}
    rows = []
    for name, rs in runs.items():
        cpu_ms = [r.cpu / n * 1000 for r in rs]
        mem = memory[name]
        workers = mem.children_mb
        rss = f"{mem.main_mb or 0:.0f}" + (f" / {min(workers):.0f}–{max(workers):.0f}" if workers else "")
        if "complaint" in rate and name != "complaint":
            vs = B.ratio_spread(rate["complaint"], rate[name])
            vs += f"; complaint at {B.med(rate['complaint']) / B.med(rate[name]):.0%} of it" if name == "floor" else ""
        else:
            vs = "—"
        rows.append([name, B.spread(rate[name]), B.spread([r.wall for r in rs], 2), B.spread(cpu_ms, 2), rss, vs])
    print()
    print(f"## {n} rows, {args.rounds} rounds, --jobs {args.jobs}")
    print()
    print(B.table(["contender", "docs/s", "wall s", "CPU ms/doc", "peak RSS MB: main / workers",
                   "complaint ÷ contender (docs/s)"], rows))
    loads = {name: [r.load_ms for r in rs if getattr(r, "load_ms", None) is not None] for name, rs in runs.items()}
    notes = [f"{name} {B.med(v):.0f} ms" for name, v in loads.items() if v]
    if notes:
        print(f"\nLoading their given input (inside the peers' times): {', '.join(notes)}.")
    return {"rows": n, "rounds": args.rounds, "jobs": args.jobs,
            "runs": {name: [{"wall": r.wall, "cpu": r.cpu} for r in rs] for name, rs in runs.items()},
            "peak_rss_mb": {name: {"main": m.main_mb, "children": m.children_mb} for name, m in memory.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[1000], help="table sizes to measure (default 1000)")
    parser.add_argument("--rounds", type=int, default=5, help="interleaved rounds (default 5)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes, for every contender")
    parser.add_argument("--contenders", default=",".join(CONTENDERS),
                        help=f"comma-separated subset of {', '.join(CONTENDERS)}")
    parser.add_argument("--seed", type=int, default=17, help="of the generated rows")
    parser.add_argument("--tmp", type=Path, default=None, help="where to write (default: the system's temp folder)")
    parser.add_argument("--save", type=Path, default=None, help="also write the raw measurements here (JSON)")
    args = parser.parse_args()
    args.contenders = [c.strip() for c in args.contenders.split(",") if c.strip()]
    unknown = set(args.contenders) - set(CONTENDERS)
    if unknown:
        parser.error(f"unknown contenders: {', '.join(sorted(unknown))}")
    env = B.Environment(f"complaint batch against its peers (--jobs {args.jobs})")
    env.begin()
    B.compile_package()
    results = []
    with tempfile.TemporaryDirectory(prefix="complaint-bench-", dir=args.tmp) as tmp:
        for n in args.rows:
            results.append(measure_size(n, args, Path(tmp) / str(n)))
            print()
        print("Removing the benchmark's files…", file=sys.stderr, flush=True)
    if len(results) > 1 and "complaint" in args.contenders:
        print("## complaint batch: peak RSS by table size (is it flat?)")
        print()
        print(B.table(["rows", "main process MB", "workers MB"], [
            [B.fmt_num(r["rows"]), f"{r['peak_rss_mb']['complaint']['main'] or 0:.0f}",
             ", ".join(f"{mb:.0f}" for mb in r["peak_rss_mb"]["complaint"]["children"])] for r in results]))
    env.end()
    if args.save:
        args.save.write_text(json.dumps(results, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
