"""Benchmark: ``complaint batch`` end to end against the naive docxtpl loop, on the same template and rows.

    python benchmarks/batch.py                      # 300 rows, --jobs = number of CPUs
    python benchmarks/batch.py --rows 1000 --rows 10000 --no-naive   # is peak memory flat?

``complaint batch`` runs as a subprocess and is timed from start to exit: interpreter start-up, reading the CSV,
validation, rendering, atomic writes, the registry (one is created first, so the batch writes to it) and the report.
The naive loop is what one would write by hand with docxtpl — ``DocxTemplate(path)``, ``render(ctx,
autoescape=True)``, ``save()`` per row — given the very same contexts (built beforehand, outside its timing).

Peak memory: per process, the ``VmHWM`` (peak resident set) read from /proc while the batch runs (Linux), in one
more run made for it. Not ``ru_maxrss`` of RUSAGE_CHILDREN: a child forked by this script starts as a copy of it
(holding every generated row) until it execs, and that copy's size would be reported as the batch's.

Three conditions are set as a user's machine has them:

* the package's bytecode is compiled first (``compileall``), as ``pip install .`` does: an editable install run
  with PYTHONDONTWRITEBYTECODE would otherwise compile every module from source on every run;
* the page cache is synced before each run (the batch syncs once at its end and would otherwise also write out
  what the previous measurement left dirty);
* every attempt writes into a fresh folder and nothing is deleted until the end: on ext4 without a journal the
  kernel skips inodes freed in the last 30 s when it creates files (``recently_deleted``), which makes creating
  files several times slower right after a mass delete — the benchmark would measure its own clean-up.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ON = dt.date(2026, 11, 25)
SURNAMES = ["Кузнецов", "Иванов", "Смирнов", "Попов", "Васильев", "Петров", "Соколов", "Михайлов", "Новиков",
            "Фёдоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семёнов", "Егоров", "Павлов", "Козлов"]
NAMES = ["Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Максим", "Евгений", "Иван", "Михаил", "Артём"]
PATRONYMICS = ["Александрович", "Сергеевич", "Дмитриевич", "Андреевич", "Иванович", "Петрович", "Михайлович"]
PROBLEMS = ["late_delivery", "missing_items", "overcharge", "refund_not_received"]


def generate_rows(n: int) -> list[dict[str, str]]:
    """``n`` distinct valid rows (dotted-key columns), built from the late-delivery example."""
    rows = []
    for i in range(n):
        amount = 500 + (i * 37) % 9000
        problem = PROBLEMS[i % len(PROBLEMS)]
        day = 1 + i % 20
        rows.append({
            "claimant.full_name": f"{SURNAMES[i % len(SURNAMES)]} {NAMES[(i // 3) % len(NAMES)]} "
                                  f"{PATRONYMICS[(i // 7) % len(PATRONYMICS)]}",
            "claimant.address": f"125047, г. Москва, ул. Тверская-Ямская 1-я, д. {1 + i % 90}, кв. {1 + i % 300}",
            "claimant.region": "Москва",
            "claimant.phone": f"+7 916 {100 + i % 900:03d}-{i % 100:02d}-{(i * 7) % 100:02d}",
            "claimant.email": f"user{i}@example.ru",
            "company.name": "ООО «Инстамарт Сервис»",
            "company.brand": "Купер",
            "company.head_position": "Генеральный директор",
            "company.address": "115035, г. Москва, ул. Садовническая, д. 9А, эт. 5, пом. I, ком. 1",
            "company.ogrn": "1187746494980",
            "order.number": f"R-{10_000_000 + i}",
            "order.date": f"{day:02d}.11.2026",
            "order.delivery_due": f"{day:02d}.11.2026",
            "order.amount": f"{amount},00",
            "problem.kind": problem,
            "problem.description": f"Заказ № R-{10_000_000 + i} от {day:02d}.11.2026: проблема «{problem}», "
                                   "поддержка в чате не помогла.",
            "demands.0.kind": "refund",
            "demands.0.amount": f"{amount},00",
            "evidence.0.description": "Скриншот заказа и переписки с поддержкой",
            "submission.channel": "app",
        })
    return rows


def write_csv(rows: list[dict[str, str]], path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        writer.writerows(rows)


def _tree(pid: int) -> list[int]:
    """The pid and its descendants (Linux /proc)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                todo += [int(c) for c in Path(f"/proc/{p}/task/{task}/children").read_text().split()]
        except OSError:
            pass
    return out


def _hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def run_batch(csv_path: Path, out: Path, home: Path, jobs: int, *, watch: bool = False) -> dict:
    """Time ``complaint batch`` as a subprocess; with ``watch``, sample every process's peak RSS while it runs.

    Sampling walks /proc every 20 ms from this process, which takes CPU from the batch on a 2-core machine: the
    timed runs do not sample, and one more run per table size is made for the memory figures.
    """
    from complaint_cli.registry import Registry

    Registry.open(home / "registry.sqlite3").close()  # the registry exists: the batch must write to it
    env = {**os.environ, "COMPLAINT_CLI_HOME": str(home), "COMPLAINT_CLI_TODAY": ON.isoformat()}
    exe = Path(sys.executable).with_name("complaint")
    cmd = [str(exe) if exe.exists() else sys.executable, *([] if exe.exists() else ["-m", "complaint_cli"]),
           "batch", str(csv_path), "--out", str(out), "--json", "--jobs", str(jobs)]
    peaks: dict[int, float] = {}
    os.sync()  # the batch ends with a sync: it must not flush what the previous measurement wrote
    start = time.perf_counter()
    # Output goes to files, not pipes: a pipe nobody reads while we poll would block the batch when it is full.
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, env=env)
        while watch and proc.poll() is None:
            for pid in _tree(proc.pid):
                hwm = _hwm_mb(pid)
                if hwm is not None:
                    peaks[pid] = max(peaks.get(pid, 0.0), hwm)
            time.sleep(0.02)
        proc.wait()
        elapsed = time.perf_counter() - start
        stdout.seek(0)
        stderr.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"complaint batch failed ({proc.returncode}): {stderr.read().decode()[-2000:]}")
        doc = json.loads(stdout.read())
    main = peaks.pop(proc.pid, None)
    return {"seconds": elapsed, "docs": len(doc["documents"]), "main_mb": main, "worker_mb": sorted(peaks.values())}


def naive_loop(rows: list[dict[str, str]], out: Path) -> dict:
    """docxtpl as one would use it per row, given the contexts complaint_cli builds.

    ``seconds`` times the loop alone (the brief's definition); ``with_contexts`` adds the time to build them
    (validation + claim_context), which a hand-written script would also spend.
    """
    from docxtpl import DocxTemplate

    from complaint_cli.claim import claim_context
    from complaint_cli.render import bundled_path
    from complaint_cli.tabular import _nest, column_key
    from complaint_cli.validation import validate_data

    start = time.perf_counter()
    contexts = []
    for row in rows:
        pairs = [(tuple(int(p) if p.isdigit() else p for p in column_key(k).split(".")), v) for k, v in row.items()]
        case = validate_data(_nest(pairs), today=ON).raise_for_errors()
        contexts.append(claim_context(case, on=ON))
    building = time.perf_counter() - start
    template = bundled_path("claim.docx")
    out.mkdir(parents=True, exist_ok=True)
    os.sync()
    start = time.perf_counter()
    for i, ctx in enumerate(contexts):
        doc = DocxTemplate(template)
        doc.render(ctx, autoescape=True)
        doc.save(out / f"{i}.docx")
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "with_contexts": elapsed + building, "docs": len(contexts)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, action="append", help="rows to generate (repeatable); default 300")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the best is reported (default 3)")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive loop (for the memory runs)")
    parser.add_argument("--naive-rows", type=int, default=300, help="rows for the naive loop (it is slow)")
    args = parser.parse_args()
    print(f"CPUs: {os.cpu_count()}, --jobs {args.jobs}, Python {sys.version.split()[0]}, best of {args.repeat}")
    compileall.compile_dir(ROOT / "complaint_cli", quiet=1)
    with tempfile.TemporaryDirectory(prefix="complaint-bench-") as tmp:
        for n in args.rows or [300]:
            measure(n, args, Path(tmp) / f"{n}")


def measure(n: int, args: argparse.Namespace, tmp: Path) -> None:
    rows = generate_rows(n)
    batches, naives = [], []
    for attempt in range(args.repeat):
        tmp_path = tmp / str(attempt)
        tmp_path.mkdir(parents=True)
        write_csv(rows, tmp_path / "rows.csv")
        batches.append(run_batch(tmp_path / "rows.csv", tmp_path / "out", tmp_path / "home", args.jobs))
        if not args.no_naive:
            naives.append(naive_loop(rows[: args.naive_rows], tmp_path / "naive"))
    memory_run = tmp / "memory"
    memory_run.mkdir()
    write_csv(rows, memory_run / "rows.csv")
    memory = run_batch(memory_run / "rows.csv", memory_run / "out", memory_run / "home", args.jobs, watch=True)
    batch = min(batches, key=lambda b: b["seconds"])
    rate = batch["docs"] / batch["seconds"]
    runs = ", ".join(f"{b['seconds']:.2f}" for b in batches)
    workers = ", ".join(f"{w:.0f}" for w in memory["worker_mb"])
    print(f"\n{n} rows")
    print(f"  complaint batch: {batch['docs']} docs in {batch['seconds']:.2f} s = {rate:.0f} docs/s "
          f"(end to end; runs: {runs} s)")
    print(f"  peak RSS per process: "
          f"main {memory['main_mb'] or 0:.0f} MB; workers {workers or '—'} MB")
    if not naives:
        return
    naive = min(naives, key=lambda r: r["seconds"])
    naive_rate = naive["docs"] / naive["seconds"]
    with_ctx = naive["docs"] / min(r["with_contexts"] for r in naives)
    print(f"  naive docxtpl loop: {naive['docs']} docs in {naive['seconds']:.2f} s = {naive_rate:.0f} docs/s "
          f"(contexts given; {with_ctx:.0f} docs/s counting their building)")
    print(f"  ratio: {rate / naive_rate:.1f}× ({rate / with_ctx:.1f}× against the loop that builds contexts)")


if __name__ == "__main__":
    main()
