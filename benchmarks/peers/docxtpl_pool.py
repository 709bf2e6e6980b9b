"""Peer: a competent docxtpl pool — what a developer who knows docxtpl writes for a batch of letters.

    python docxtpl_pool.py TEMPLATE.docx CONTEXTS PLAN OUT [--jobs N]

CONTEXTS: the template contexts, one per letter, built beforehand; PLAN: ``[[folder, file name], …]`` in the same
order. Both are in ``marshal`` format (plain data that loads fastest); the time to load them is reported as
``load_ms``. ``--jobs`` processes are forked after the contexts are loaded, so they share them; each parses the
template ONCE (one ``DocxTemplate`` reused for every letter) and compiles each Jinja source once (a caching
environment: docxtpl's own ``render()`` re-reads the .docx and recompiles the template every time). Each letter goes
to ``OUT/<folder>/<file name>``, written atomically (temporary file + rename); one ``os.sync()`` at the end.
Self-contained: docxtpl, Jinja and the standard library only.
"""

import argparse
import json
import marshal
import multiprocessing
import os
import sys
import time

from docxtpl import DocxTemplate
from jinja2 import Environment


class CachingEnvironment(Environment):
    """``from_string`` compiles each distinct source once (docxtpl calls it for every part on every render)."""

    def from_string(self, source, globals=None, template_class=None):
        cache = self.__dict__.setdefault("_compiled", {})
        template = cache.get(source)
        if template is None:
            template = cache[source] = super().from_string(source, globals, template_class)
        return template


class ReusedTemplate(DocxTemplate):
    """A DocxTemplate parsed once and rendered many times: the document body is patched once and kept."""

    def __init__(self, path):
        super().__init__(path)
        self.init_docx()
        self._patched_body = self.patch_xml(self.get_xml())

    def render_init(self):
        # docxtpl reloads the whole .docx here once it has rendered; the body is replaced on every render anyway
        # (headers, footers and properties of this template are static: re-rendering them is idempotent).
        self.pic_map = {}
        self.current_rendering_part = None
        self.docx_ids_index = 1000
        self.is_saved = False

    def build_xml(self, context, jinja_env=None):
        return self.render_xml_part(self._patched_body, self.docx._part, context, jinja_env)


_TEMPLATE = None
_ENV = None
CONTEXTS = []
PLAN = []
OUT = ""


def _init(template_path):
    global _TEMPLATE, _ENV
    _TEMPLATE = ReusedTemplate(template_path)
    _ENV = CachingEnvironment(autoescape=True)


def _work(span):
    start, stop = span
    for i in range(start, stop):
        folder, name = PLAN[i]
        folder = os.path.join(OUT, folder)
        os.makedirs(folder, mode=0o700, exist_ok=True)
        _TEMPLATE.render(CONTEXTS[i], _ENV, autoescape=True)
        tmp = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
        _TEMPLATE.save(tmp)
        os.replace(tmp, os.path.join(folder, name))
    return stop - start


def main():
    global CONTEXTS, PLAN, OUT
    parser = argparse.ArgumentParser()
    parser.add_argument("template")
    parser.add_argument("contexts")
    parser.add_argument("plan")
    parser.add_argument("out")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    loading = time.perf_counter()
    with open(args.contexts, "rb") as fh:
        CONTEXTS = marshal.load(fh)
    with open(args.plan, "rb") as fh:
        PLAN = marshal.load(fh)
    load_ms = (time.perf_counter() - loading) * 1000
    OUT = args.out
    os.makedirs(OUT, exist_ok=True)
    spans = [(i, min(i + 16, len(PLAN))) for i in range(0, len(PLAN), 16)]
    with multiprocessing.get_context("fork").Pool(args.jobs, initializer=_init, initargs=(args.template,)) as pool:
        done = sum(pool.imap_unordered(_work, spans))
        pool.close()
        pool.join()
    os.sync()
    print(json.dumps({"documents": done, "load_ms": round(load_ms, 1)}))
    return 0 if done == len(PLAN) else 1


if __name__ == "__main__":
    sys.exit(main())
