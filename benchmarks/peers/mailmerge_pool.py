"""Peer: a docx-mailmerge2 pool on a MERGEFIELD copy of the template.

    python mailmerge_pool.py TEMPLATE.docx FIELDS PLAN OUT [--jobs N]

FIELDS: the merge data, one ``{field: text}`` per letter, prepared beforehand; PLAN: ``[[folder, file name], …]`` in
the same order. Both are in ``marshal`` format (plain data that loads fastest); the time to load them is reported as
``load_ms``. ``--jobs`` processes are forked after the data is loaded; the template's bytes are read once, and each
letter is ``MailMerge(template) → merge(**fields) → write()`` (a MailMerge object is consumed by its merge, so one
is made per letter, from memory), written atomically to ``OUT/<folder>/<file name>``; one ``os.sync()`` at the end.
Self-contained: docx-mailmerge2 and the standard library only.
"""

import argparse
import io
import json
import marshal
import multiprocessing
import os
import sys
import time

from mailmerge import MailMerge

TEMPLATE = b""
FIELDS = []
PLAN = []
OUT = ""


def _work(span):
    start, stop = span
    for i in range(start, stop):
        folder, name = PLAN[i]
        folder = os.path.join(OUT, folder)
        os.makedirs(folder, mode=0o700, exist_ok=True)
        tmp = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
        with MailMerge(io.BytesIO(TEMPLATE)) as document:
            document.merge(**FIELDS[i])
            document.write(tmp)
        os.replace(tmp, os.path.join(folder, name))
    return stop - start


def main():
    global TEMPLATE, FIELDS, PLAN, OUT
    parser = argparse.ArgumentParser()
    parser.add_argument("template")
    parser.add_argument("fields")
    parser.add_argument("plan")
    parser.add_argument("out")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with open(args.template, "rb") as fh:
        TEMPLATE = fh.read()
    loading = time.perf_counter()
    with open(args.fields, "rb") as fh:
        FIELDS = marshal.load(fh)
    with open(args.plan, "rb") as fh:
        PLAN = marshal.load(fh)
    load_ms = (time.perf_counter() - loading) * 1000
    OUT = args.out
    os.makedirs(OUT, exist_ok=True)
    spans = [(i, min(i + 16, len(PLAN))) for i in range(0, len(PLAN), 16)]
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        done = sum(pool.imap_unordered(_work, spans))
        pool.close()
        pool.join()
    os.sync()
    print(json.dumps({"documents": done, "load_ms": round(load_ms, 1)}))
    return 0 if done == len(PLAN) else 1


if __name__ == "__main__":
    sys.exit(main())
