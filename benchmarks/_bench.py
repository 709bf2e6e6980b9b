"""What the benchmarks share: the environment report, timed subprocesses, rotated rounds, medians and tables.

Every contender runs as its own process, timed from start to exit; its CPU time is the user+sys time of its whole
process tree (``getrusage(RUSAGE_CHILDREN)`` before and after it is waited for: a pool's workers count once their
parent has waited for them, which every contender here does), and its peak memory per process the ``VmHWM`` read
from /proc while it runs (Linux). Not ``ru_maxrss``: a child keeps the high-water mark of the process it was forked
from until it execs, so it would report this script's size.
"""

from __future__ import annotations

import compileall
import datetime as dt
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
PEERS = HERE / "peers"


# --------------------------------------------------------------------------- environment


def _cpu_busy(seconds: float = 1.0) -> float:
    """The share of all CPUs busy over ``seconds`` (from /proc/stat), or -1 where it cannot be read."""
    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        return sum(fields), idle

    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except OSError:
        return -1.0
    return 1 - (idle1 - idle0) / max(total1 - total0, 1)


def load_line() -> tuple[str, float]:
    """The load average and how busy the CPUs are right now (a line to print, and the busy share)."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "load average: unknown", -1.0
    busy = _cpu_busy()
    busy_text = f", CPUs {busy:.0%} busy over 1 s" if busy >= 0 else ""
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f}{busy_text}", busy


def package_info() -> list[str]:
    """Where complaint_cli is imported from, its version, and the commit of its source tree when it is one."""
    import complaint_cli

    from importlib import metadata

    pkg = Path(complaint_cli.__file__).resolve().parent
    try:
        version = metadata.version("complaint-cli")
    except metadata.PackageNotFoundError:
        version = "?"
    lines = [f"complaint_cli {version} from {pkg}"]
    git = subprocess.run(["git", "-C", str(pkg), "log", "-1", "--format=%h %cI %s"], capture_output=True, text=True)
    if git.returncode == 0 and git.stdout.strip():
        dirty = subprocess.run(["git", "-C", str(pkg), "status", "--porcelain", "--", str(pkg)],
                               capture_output=True, text=True).stdout.strip()
        changed = len(dirty.splitlines())
        lines.append(f"source tree at commit {git.stdout.strip()[:100]}"
                     + (f" + {changed} uncommitted changed files in complaint_cli/" if changed else ""))
    else:
        lines.append("installed copy (not a git work tree)")
    return lines


class Environment:
    """Printed at the start and the end of every benchmark: the machine, the code measured, how busy it was."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.started = dt.datetime.now(dt.timezone.utc)

    def begin(self) -> None:
        line, busy = load_line()
        print(f"# {self.title}")
        print()
        print(f"- {self.started:%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs; Python {platform.python_version()} "
              f"({sys.executable}); {platform.platform()}")
        for info in package_info():
            print(f"- {info}")
        print(f"- before: {line}")
        if busy > 0.10:
            print(f"- **warning: the machine is busy before the benchmark starts ({busy:.0%} of the CPUs): other "
                  "processes compete with the contenders; the figures are noisy. Rounds are interleaved, so the "
                  "ratios suffer less than the absolute figures.**")
        if os.environ.get("PYTHONDONTWRITEBYTECODE"):
            print("- PYTHONDONTWRITEBYTECODE is set here; it is removed for the contenders (a user's Python caches "
                  "bytecode)")
        print()
        sys.stdout.flush()

    def end(self) -> None:
        line, busy = load_line()
        took = dt.datetime.now(dt.timezone.utc) - self.started
        print()
        print(f"- after ({took.total_seconds():.0f} s): {line}")
        if busy > 0.10:
            print(f"- **warning: the machine was still busy after the benchmark ({busy:.0%}): other processes ran "
                  "alongside it.**")


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(extra)
    return env


def compile_package() -> None:
    """Byte-compile complaint_cli where it is installed, as ``pip install .`` does (an editable install's source tree
    may have been edited since its caches were written)."""
    import complaint_cli

    compileall.compile_dir(Path(complaint_cli.__file__).resolve().parent, quiet=1)


def complaint_command() -> list[str]:
    """The ``complaint`` entry point of this interpreter's environment (the venv's script), else ``-m``."""
    exe = Path(sys.executable).with_name("complaint")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "complaint_cli"]


# --------------------------------------------------------------------------- measuring


@dataclass
class Run:
    wall: float  # seconds, start to exit
    cpu: float  # seconds, user+sys of the process tree
    returncode: int
    stdout: bytes
    stderr: bytes
    peaks: dict[int, float] = field(default_factory=dict)  # pid → VmHWM MB (with ``watch``)
    pid: int = 0

    @property
    def main_mb(self) -> float | None:
        return self.peaks.get(self.pid)

    @property
    def children_mb(self) -> list[float]:
        return sorted(mb for pid, mb in self.peaks.items() if pid != self.pid)


def _tree(pid: int) -> list[int]:
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


def run(cmd: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None, watch: bool = False,
        sync: bool = False, ok: Sequence[int] = (0,), interval: float = 0.02) -> Run:
    """Run ``cmd`` to its end and measure it. ``sync`` flushes the page cache first (a contender that ends with a
    sync must not pay for what the previous one wrote). ``watch`` samples the VmHWM of every process of the tree
    every ``interval`` seconds — that takes CPU from the contender: for a process pool it is done in runs of its
    own, not in the timed ones."""
    if sync:
        os.sync()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        # Output goes to files, not pipes: a pipe nobody reads while we poll would block the child when it is full.
        proc = subprocess.Popen(list(cmd), stdout=out, stderr=err, env=env, cwd=cwd)
        peaks: dict[int, float] = {}
        while watch and proc.poll() is None:
            for pid in _tree(proc.pid):
                hwm = _hwm_mb(pid)
                if hwm is not None:
                    peaks[pid] = max(peaks.get(pid, 0.0), hwm)
            time.sleep(interval)
        proc.wait()
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out.seek(0)
        err.seek(0)
        result = Run(wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), proc.returncode,
                     out.read(), err.read(), peaks, proc.pid)
    if result.returncode not in ok:
        raise SystemExit(f"{' '.join(map(str, cmd))[:300]}\nfailed with exit code {result.returncode}:\n"
                         f"{result.stderr.decode(errors='replace')[-3000:]}")
    return result


def rotated(items: Sequence, i: int) -> list:
    """Round ``i`` runs the contenders starting from the ``i``-th: each one goes first, second… equally often."""
    k = i % len(items)
    return list(items[k:]) + list(items[:k])


def rounds(contenders: Sequence[str], count: int, measure: Callable[[str, int], None]) -> None:
    for i in range(count):
        order = rotated(contenders, i)
        print(f"  round {i + 1}/{count}: {' → '.join(order)}", file=sys.stderr, flush=True)
        for name in order:
            measure(name, i)


# --------------------------------------------------------------------------- figures


def med(values: Sequence[float]) -> float:
    return statistics.median(values)


def fmt_num(value: float, digits: int = 0) -> str:
    text = f"{value:,.{digits}f}".replace(",", " ")
    return text


def spread(values: Sequence[float], digits: int = 0, scale: float = 1.0) -> str:
    """«median (min–max)»."""
    vals = [v * scale for v in values]
    if len(vals) == 1:
        return fmt_num(vals[0], digits)
    return f"{fmt_num(med(vals), digits)} ({fmt_num(min(vals), digits)}–{fmt_num(max(vals), digits)})"


def ratio_spread(ours: Sequence[float], theirs: Sequence[float]) -> str:
    """The ratio of medians, and the range of the per-round ratios (round i of one against round i of the other)."""
    per_round = [a / b for a, b in zip(ours, theirs, strict=True)]
    text = f"{med(ours) / med(theirs):.2f}×"
    if len(per_round) > 1:
        text += f" ({min(per_round):.2f}–{max(per_round):.2f})"
    return text


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
