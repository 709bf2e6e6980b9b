"""A MERGEFIELD copy of a docxtpl template, for the docx-mailmerge2 peer, and the merge data of each row.

How the copy is made from the bundled ``claim.docx`` (``make_copy``), paragraph by paragraph of the body:

* ``{{ a.b }}`` in a paragraph outside any block becomes ``MERGEFIELD a_b`` (a ``w:fldSimple`` with the run's
  formatting), the text around it stays as it is;
* an inline ``{% if … %}…{% endif %}`` becomes one field (``inline_N``) holding what it renders to;
* a block of paragraphs between ``{%p if/for … %}`` and its ``{%p endif/endfor %}`` (loops, optional lines, the
  copy-to alternative) becomes ONE paragraph with one field (``block_N``, the style of the block's first paragraph)
  holding the block's rendered lines joined by line breaks: mail merge has no paragraph loops or conditions
  (docx-mailmerge2 repeats table rows only, and its IF field compares strings, it cannot test a list). So what the
  Jinja template decides inside a block, the mail-merge user decides while preparing the data — outside the peer's
  timing, as the docxtpl peer is given its contexts — and an empty block leaves an empty paragraph where Jinja
  leaves none.

Every other part (styles, footer with its PAGE field, properties) is copied unchanged. ``field_values`` turns one
claim context (the dict the claim template receives) into the flat ``{field: text}`` a mail merge takes.
"""

from __future__ import annotations

import copy
import re
import zipfile
from pathlib import Path
from typing import Any

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT = "word/document.xml"
_CONTROL = re.compile(r"^\s*\{%p\s+(if|for|elif|else|endif|endfor)\b(.*?)%\}\s*$")
_SIMPLE = re.compile(r"^\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)\s*\}\}$")
_SEGMENT = re.compile(r"(\{%\s*if\b.*?%\}.*?\{%\s*endif\s*%\}|\{\{.*?\}\})", re.S)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(_w("t")))


def _field(name: str, rpr) -> Any:
    from lxml import etree

    fld = etree.Element(_w("fldSimple"))
    fld.set(_w("instr"), f" MERGEFIELD {name} \\* MERGEFORMAT ")
    run = etree.SubElement(fld, _w("r"))
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    t = etree.SubElement(run, _w("t"))
    t.text = f"«{name}»"
    return fld


def _run(text: str, rpr) -> Any:
    from lxml import etree

    run = etree.Element(_w("r"))
    if rpr is not None:
        run.append(copy.deepcopy(rpr))
    t = etree.SubElement(run, _w("t"))
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    return run


def _block_source(paragraphs: list) -> str:
    """The Jinja text of a block: control paragraphs as tags on lines of their own, each other paragraph a line."""
    lines = []
    for p in paragraphs:
        text = _text(p)
        m = _CONTROL.match(text)
        lines.append("{% " + m.group(1) + m.group(2).rstrip() + " %}" if m else text)
    return "\n".join(lines) + "\n"


def make_copy(template: Path, out: Path) -> dict[str, list[str]]:
    """Write the MERGEFIELD copy of ``template`` to ``out``; returns the spec ``field_values`` needs:
    ``{field: ["path", "a.b"] | ["jinja", source]}``."""
    from lxml import etree

    with zipfile.ZipFile(template) as zin:
        parts = [(info, zin.read(info)) for info in zin.infolist()]
    root = etree.fromstring(dict((i.filename, d) for i, d in parts)[DOCUMENT])
    body = root.find(_w("body"))
    spec: dict[str, list[str]] = {}
    children = list(body)
    i = 0
    while i < len(children):
        p = children[i]
        if p.tag != _w("p"):
            i += 1
            continue
        m = _CONTROL.match(_text(p))
        if m:  # a block: collect to its matching end
            if m.group(1) not in ("if", "for"):
                raise ValueError(f"unbalanced block at paragraph «{_text(p)}»")
            depth, j = 0, i
            while True:
                mj = _CONTROL.match(_text(children[j])) if children[j].tag == _w("p") else None
                if mj and mj.group(1) in ("if", "for"):
                    depth += 1
                elif mj and mj.group(1) in ("endif", "endfor"):
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            block = children[i:j + 1]
            name = f"block_{len([k for k in spec if k.startswith('block_')]) + 1}"
            spec[name] = ["jinja", _block_source(block)]
            first = next(b for b in block if not _CONTROL.match(_text(b)))
            holder = etree.Element(_w("p"))
            ppr = first.find(_w("pPr"))
            if ppr is not None:
                holder.append(copy.deepcopy(ppr))
            first_run = first.find(_w("r"))
            holder.append(_field(name, first_run.find(_w("rPr")) if first_run is not None else None))
            body.replace(p, holder)
            for b in block[1:]:
                body.remove(b)
            i = j + 1
            continue
        for t in list(p.iter(_w("t"))):
            if "{" not in (t.text or ""):
                continue
            run = t.getparent()
            if [c.tag for c in run if c.tag != _w("rPr")] != [_w("t")]:
                raise ValueError(f"a tag shares its run with other content: «{t.text}»")
            rpr = run.find(_w("rPr"))
            new = []
            for k, seg in enumerate(_SEGMENT.split(t.text)):
                if not seg:
                    continue
                if k % 2 == 0:
                    if "{{" in seg or "{%" in seg:
                        raise ValueError(f"a tag split across runs: «{t.text}»")
                    new.append(_run(seg, rpr))
                    continue
                simple = _SIMPLE.match(seg)
                if simple:
                    name = simple.group(1).replace(".", "_")
                    spec[name] = ["path", simple.group(1)]
                else:
                    name = f"inline_{len([k for k in spec if k.startswith('inline_')]) + 1}"
                    spec[name] = ["jinja", seg]
                new.append(_field(name, rpr))
            parent = run.getparent()
            at = parent.index(run)
            parent.remove(run)
            for offset, element in enumerate(new):
                parent.insert(at + offset, element)
        i += 1
    document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in parts:
            zout.writestr(info, document if info.filename == DOCUMENT else data)
    return spec


def _lookup(ctx: dict[str, Any], path: str) -> str:
    value: Any = ctx
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return "" if value is None else str(value)


class FieldValues:
    """``spec`` → a function from one context to its merge data (the Jinja snippets compiled once)."""

    def __init__(self, spec: dict[str, list[str]]) -> None:
        from jinja2 import Environment

        env = Environment(trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
        self.paths = {name: source for name, (kind, source) in spec.items() if kind == "path"}
        self.snippets = {name: env.from_string(source) for name, (kind, source) in spec.items() if kind == "jinja"}

    def __call__(self, ctx: dict[str, Any]) -> dict[str, str]:
        values = {name: _lookup(ctx, path) for name, path in self.paths.items()}
        for name, template in self.snippets.items():
            values[name] = template.render(ctx).rstrip("\n")
        return values
