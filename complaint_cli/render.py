"""Rendering Word templates: docxtpl's tag syntax, a sandboxed Jinja, each template compiled once.

docxtpl re-reads the .docx and recompiles the Jinja source on every ``render()``; its post-processing turns ``{_{``
in the *output* back into ``{{`` and recovers silently from broken XML by blanking content. So we use docxtpl only for
what it is best at — cleaning Word's run-split tags (``patch_xml``, which also handles ``{%p %}``/``{%tr %}``) — and
do the rest ourselves:

* the Jinja environment is a ``SandboxedEnvironment`` with ``StrictUndefined`` and autoescape: user data is escaped
  once, never parsed as template code, and a template we did not write cannot reach Python internals;
* every output value goes through :func:`_finalize`, which escapes XML and turns ``\\n`` into a Word line break and
  ``\\t`` into a tab, so multi-line descriptions keep their lines;
* the rendered XML is parsed strictly; broken XML is an error, never silently repaired;
* :class:`CompiledTemplate` keeps the compiled template and the untouched parts of the package in memory, so a
  batch renders each row with one Jinja call and one zip write.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from complaint_cli.docxzip import Package
from complaint_cli.errors import TemplateError

DOCUMENT_PART = "word/document.xml"
_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'
_TAB = '</w:t><w:tab/><w:t xml:space="preserve">'

BUNDLED = ("claim.docx", "inaction.docx", "rospotrebnadzor.docx", "court.docx")


def _finalize(value: Any) -> Any:
    from markupsafe import Markup, escape

    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    text = str(escape(str(value)))
    return Markup(text.replace("\n", _BREAK).replace("\t", _TAB))


@cache
def environment():
    """The one Jinja environment every template renders in (sandboxed, strict, autoescaped)."""
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    return SandboxedEnvironment(
        undefined=StrictUndefined,
        autoescape=True,
        finalize=_finalize,
        keep_trailing_newline=True,
    )


def _patch(xml: str) -> str:
    from docxtpl import DocxTemplate

    # patch_xml is a pure string transformation; it does not touch the instance.
    return DocxTemplate.patch_xml(None, xml)  # type: ignore[arg-type]


COMPILED_DIR = "compiled"  # in complaint_cli.templates: the Jinja sources of the bundled templates, by content


def source_key(template_xml: str) -> str:
    """The name under which the Jinja source of a document part is kept: a hash of the part's exact text."""
    return hashlib.sha256(template_xml.encode("utf-8")).hexdigest()[:32] + ".xml"


def bundled_path(name: str) -> Path:
    """The path of a template shipped inside the package."""
    ref = resources.files("complaint_cli.templates").joinpath(name)
    with resources.as_file(ref) as path:
        return Path(path)


def patched_source(template_xml: str) -> str:
    """The Jinja source of a template's document part, computed with docxtpl (which takes ~0.1 s to import)."""
    xml = _patch(template_xml)
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


def template_source(template_xml: str) -> str:
    """The Jinja source of a template's document part, as it will be compiled.

    The sources of the bundled templates are shipped precomputed (``scripts/build_templates.py`` writes them, a test
    checks them against docxtpl), found by a hash of the part's text: a part that differs in one byte — an
    advocate's edited copy — is patched by docxtpl as usual, so a stale source can never be used.
    """
    ref = resources.files("complaint_cli.templates").joinpath(COMPILED_DIR).joinpath(source_key(template_xml))
    try:
        return ref.read_text(encoding="utf-8")
    except OSError:
        return patched_source(template_xml)


class CompiledTemplate:
    """One Word template, read and compiled once; :meth:`render` is cheap and thread-safe."""

    def __init__(self, path: Path, *, label: str | None = None, trusted: bool = False) -> None:
        # ``trusted``: a bundled template, whose output is well-formed by construction (every value is escaped by
        # _finalize, and tests/test_hostile_input.py parses thousands of renders). Others are parsed after every
        # render, so a broken template is an error instead of a document Word cannot open.
        self.trusted = trusted
        self.path = Path(path)
        self.label = label or self.path.name
        try:
            with zipfile.ZipFile(self.path) as zf:
                parts = [(info, zf.read(info)) for info in zf.infolist()]
        except (OSError, zipfile.BadZipFile) as exc:
            raise TemplateError(f"Шаблон {self.label} не открывается как документ Word (.docx): {exc}") from None
        document = next((data for info, data in parts if info.filename == DOCUMENT_PART), None)
        if document is None:
            raise TemplateError(f"В шаблоне {self.label} нет основной части документа ({DOCUMENT_PART})")
        # The unchanged parts (styles, relationships: a few KB) are stored, serialised once for every letter.
        try:
            self._package = Package(parts, DOCUMENT_PART)
        except ValueError:  # two parts of that name, a part over 4 GB
            raise TemplateError(
                f"Шаблон {self.label} повреждён: основная часть документа ({DOCUMENT_PART}) записана в нём дважды "
                "или часть файла больше 4 ГБ. Пересохраните шаблон в Word."
            ) from None
        self.source = template_source(document.decode("utf-8"))
        from jinja2 import TemplateSyntaxError

        try:
            self._template = environment().from_string(self.source)
        except TemplateSyntaxError as exc:
            raise TemplateError(
                f"Ошибка синтаксиса в шаблоне {self.label}: {exc.message} — в абзаце «{_paragraph_at(self.source, exc.lineno)}»"
            ) from None

    def render_xml(self, context: dict[str, Any]) -> str:
        from jinja2 import TemplateError as JinjaError
        from jinja2 import UndefinedError
        from jinja2.sandbox import SecurityError

        try:
            xml = self._template.render(context)
        except SecurityError as exc:
            raise TemplateError(f"Шаблон {self.label} пытается выйти за пределы песочницы и отклонён: {exc}") from None
        except UndefinedError as exc:
            raise TemplateError(f"Шаблон {self.label} использует неизвестную переменную: {exc.message}") from None
        except JinjaError as exc:
            raise TemplateError(f"Ошибка в шаблоне {self.label}: {exc}") from None
        except (TypeError, ValueError, AttributeError, KeyError, IndexError, ZeroDivisionError) as exc:
            raise TemplateError(f"Ошибка в шаблоне {self.label}: {exc}") from None
        # Undo the line breaks template_source put before paragraphs (user text cannot hold "<": it is escaped).
        return xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")

    def render(self, context: dict[str, Any]) -> bytes:
        """The rendered .docx as bytes."""
        xml = self.render_xml(context)
        if not self.trusted:
            _check_xml(xml, self.label)
        return self._package.build(xml.encode("utf-8"))


def _check_xml(xml: str, label: str) -> None:
    from lxml import etree

    try:
        etree.fromstring(xml.encode("utf-8"))
    except etree.XMLSyntaxError as exc:
        raise TemplateError(
            f"Шаблон {label} дал повреждённый XML ({exc.msg}); документ не записан. "
            "Проверьте, что теги {% %} не разрывают абзацы и таблицы неправильно."
        ) from None


def _paragraph_at(source: str, lineno: int | None) -> str:
    lines = source.splitlines()
    if not lineno or lineno > len(lines):
        return "?"
    text = re.sub(r"<[^>]+>", "", lines[lineno - 1]).strip()
    return text[:120]


_cache: dict[tuple[str, float], CompiledTemplate] = {}


def load_template(name: str, templates_dir: Path | None = None) -> CompiledTemplate:
    """A compiled template by name, from ``templates_dir`` (advocates' own) or the bundled set; cached per process."""
    if templates_dir is not None:
        path = Path(templates_dir) / name
        if not path.is_file():
            raise TemplateError(f"В папке шаблонов {templates_dir} нет файла {name}")
    else:
        path = bundled_path(name)
    key = (str(path), path.stat().st_mtime)
    if key not in _cache:
        _cache[key] = CompiledTemplate(path, label=name, trusted=templates_dir is None)
    return _cache[key]


def document_text(data: bytes) -> str:
    """All paragraph text of a .docx (tests and previews), one paragraph per line."""
    from docx import Document

    doc = Document(io.BytesIO(data))
    return "\n".join(p.text for p in doc.paragraphs)
