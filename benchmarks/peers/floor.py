"""The file-writing floor: the files a batch leaves, written, and nothing else.

    python floor.py BLOB INDEX OUT [--jobs N]

BLOB holds the bytes of every file (the letters and case files ``complaint batch`` produced in a reference run);
INDEX (``marshal``) is ``[[folder, [[file name, offset, length], …]], …]``. ``--jobs`` forked processes (sharing
the BLOB through one mmap) create a folder per row (0700) and each of its files atomically (temporary file, write,
close, rename; 0600); one ``os.sync()`` at the end. Standard library only.
"""

import argparse
import json
import marshal
import mmap
import multiprocessing
import os
import sys

BLOB = None
INDEX = []
OUT = ""
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _work(span):
    start, stop = span
    pid = os.getpid()
    for i in range(start, stop):
        folder, files = INDEX[i]
        folder = os.path.join(OUT, folder)
        os.mkdir(folder, 0o700)
        for name, offset, length in files:
            tmp = os.path.join(folder, f".{name}.{pid}.tmp")
            fd = os.open(tmp, _FLAGS, 0o600)
            try:
                view = memoryview(BLOB)[offset:offset + length]
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
            os.rename(tmp, os.path.join(folder, name))
    return stop - start


def main():
    global BLOB, INDEX, OUT
    parser = argparse.ArgumentParser()
    parser.add_argument("blob")
    parser.add_argument("index")
    parser.add_argument("out")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with open(args.blob, "rb") as fh:
        BLOB = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    with open(args.index, "rb") as fh:
        INDEX = marshal.load(fh)
    OUT = args.out
    os.makedirs(OUT, exist_ok=True)
    spans = [(i, min(i + 16, len(INDEX))) for i in range(0, len(INDEX), 16)]
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        done = sum(pool.imap_unordered(_work, spans))
        pool.close()
        pool.join()
    os.sync()
    print(json.dumps({"documents": done}))
    return 0 if done == len(INDEX) else 1


if __name__ == "__main__":
    sys.exit(main())
