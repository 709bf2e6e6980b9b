"""Peer: the minimal docxtpl script for one letter — ``DocxTemplate`` → ``render`` → ``save``.

    python docxtpl_render.py TEMPLATE.docx CONTEXT.json OUT.docx

CONTEXT.json is the template's context (prepared beforehand, as a user's script would be given its data).
Self-contained: docxtpl and the standard library only.
"""

import json
import sys

from docxtpl import DocxTemplate


def main():
    template, context, out = sys.argv[1:4]
    with open(context, encoding="utf-8") as fh:
        ctx = json.load(fh)
    doc = DocxTemplate(template)
    doc.render(ctx, autoescape=True)
    doc.save(out)


if __name__ == "__main__":
    main()
