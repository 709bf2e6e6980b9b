"""Advocates' own Word templates: list, export for editing, and check before use.

A template is checked by compiling it exactly as it will be rendered (docxtpl's tag clean-up, then the sandboxed
Jinja environment of :mod:`complaint_cli.render`), so a template that passes ``check`` compiles at render time too;
then it is rendered once with the example case, under the same limits of size, time and memory as every letter
(:mod:`complaint_cli.sandbox`), so a template that loops forever or builds a gigabyte is refused by ``check``.
The variables a template may use are documented in code (``claim.CLAIM_VARIABLES`` and its siblings); the same
tables generate docs/template-variables.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from complaint_cli.errors import ComplaintError, TemplateError

# template file -> (Russian title, module, name of its variables table)
TEMPLATES: dict[str, tuple[str, str, str]] = {
    "claim.docx": ("Претензия", "complaint_cli.claim", "CLAIM_VARIABLES"),
    "inaction.docx": ("Повторная претензия «на бездействие»", "complaint_cli.escalation", "INACTION_VARIABLES"),
    "rospotrebnadzor.docx": ("Жалоба в Роспотребнадзор", "complaint_cli.escalation", "ROSPOTREBNADZOR_VARIABLES"),
    "court.docx": ("Исковое заявление", "complaint_cli.escalation", "COURT_VARIABLES"),
    "penalty.docx": ("Расчёт неустойки (приложение)", "complaint_cli.appendix", "PENALTY_APPENDIX_VARIABLES"),
    "bank.docx": ("Заявление в банк об оспаривании операции", "complaint_cli.bank", "BANK_VARIABLES"),
}

# Names a template may use besides the documented context: Jinja's own loop helpers.
JINJA_NAMES = {"loop", "range", "namespace", "dict", "lipsum", "cycler", "joiner"}


def variables_for(name: str) -> dict[str, str]:
    """The documented variables of a bundled template (dotted name -> Russian description)."""
    if name not in TEMPLATES:
        return {}
    _, module, table = TEMPLATES[name]
    try:
        return dict(getattr(import_module(module), table))
    except (ImportError, AttributeError):
        return {}


def bundled_templates() -> list[tuple[str, str, bool]]:
    """``(file name, title, exists)`` for every bundled template."""
    from complaint_cli.render import bundled_path

    return [(name, title, bundled_path(name).is_file()) for name, (title, _, _) in TEMPLATES.items()]


def export_templates(target: Path, *, force: bool = False) -> list[Path]:
    """Copy the bundled templates into ``target`` for editing; never overwrite without ``force``."""
    from complaint_cli.render import bundled_path

    from complaint_cli.fsutil import atomic_write_bytes, inside, make_dirs

    target = make_dirs(Path(target))
    written = []
    for name, _, exists in bundled_templates():
        if not exists:
            continue
        dest = inside(target, name)  # a link planted there is refused, not written through
        if dest.exists() and not force:
            raise ComplaintError(f"Файл {dest} уже существует. Чтобы перезаписать, добавьте --force.")
        atomic_write_bytes(dest, bundled_path(name).read_bytes(), mode=0o644)
        written.append(dest)
    return written


@dataclass
class CheckResult:
    path: Path
    kind: str | None
    used: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.unknown

    def as_dict(self) -> dict:
        return {"template": str(self.path), "kind": self.kind, "variables": self.used, "unknown": self.unknown,
                "errors": self.errors, "ok": self.ok}


def check_template(path: Path, kind: str | None = None) -> CheckResult:
    """Compile a template and list the variables it uses; flag unknown ones and syntax errors."""
    from complaint_cli.render import CompiledTemplate

    path = Path(path)
    kind = kind or (path.name if path.name in TEMPLATES else None)
    result = CheckResult(path=path, kind=kind)
    try:
        compiled = CompiledTemplate(path, label=path.name)
    except TemplateError as exc:
        result.errors.append(exc.message)
        return result
    result.used = sorted(used_variables(compiled.source))
    result.errors += sandbox_violations(compiled.source)
    if not result.errors:
        try:
            compiled.trial(sample_context(kind or "claim.docx"))
        except TemplateError as exc:
            result.errors.append(exc.message)
    known = variables_for(kind) if kind else {}
    if known:
        prefixes = set(known) | {k.split(".")[0] for k in known}
        result.unknown = [v for v in result.used if v not in prefixes and v.split(".")[0] not in JINJA_NAMES
                          and not any(k.startswith(v + ".") for k in known)]
    return result


def sample_context(kind: str) -> dict:
    """The context of letter ``kind`` for the example case of the batch table (``tabular.EXAMPLE``), its claim sent
    and received on the day after the order and the escalation letters written 20 days after the deadline."""
    import datetime as dt

    from complaint_cli.tabular import example_row
    from complaint_cli.validation import validate_data

    data = example_row().data
    order_date = dt.date(2026, 11, 2)  # as in EXAMPLE
    data.setdefault("submission", {}).update({"sent_on": order_date + dt.timedelta(days=1),
                                              "received_on": order_date + dt.timedelta(days=1)})
    if kind == "bank.docx":  # a card charged twice, with the operation's details
        data["problem"] = {**data.get("problem", {}), "kind": "overcharge", "also": []}
        data["bank"] = {"name": "ПАО «Банк»", "card": "2202 20** **** 1234", "operation_on": order_date,
                        "operation_at": "19:15", "amount": "3480.00", "merchant": "KUPER"}
    case = validate_data(data, today=order_date + dt.timedelta(days=1)).raise_for_errors()
    if kind not in ("inaction.docx", "rospotrebnadzor.docx", "court.docx", "penalty.docx", "bank.docx"):
        from complaint_cli.claim import claim_context

        return claim_context(case, on=order_date + dt.timedelta(days=1))
    from complaint_cli import escalation as esc

    deadline = esc.escalation_deadline(case)
    on = (deadline.last_day or order_date) + dt.timedelta(days=20)
    if kind == "rospotrebnadzor.docx":
        return esc.rospotrebnadzor_context(case, deadline, on=on)[0]
    sums = esc.escalation_sums(case, deadline, on)
    if kind == "penalty.docx":
        from complaint_cli.appendix import penalty_appendix_context

        return penalty_appendix_context(case, deadline, sums, on)
    if kind == "bank.docx":
        from complaint_cli.bank import bank_context

        return bank_context(case, deadline, sums, on=on)[0]
    if kind == "inaction.docx":
        return esc.inaction_context(case, deadline, sums, on=on)
    from complaint_cli.court import court_context

    return court_context(case, deadline, sums, on=on)[0]


def used_variables(source: str) -> set[str]:
    """Dotted context names a Jinja source reads (``claimant.name_genitive``), loop variables excluded."""
    from jinja2 import nodes

    from complaint_cli.render import environment

    tree = environment().parse(source)
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    found: set[str] = set()

    def chain(node) -> str | None:
        if isinstance(node, nodes.Name):
            return node.name
        if isinstance(node, nodes.Getattr):
            base = chain(node.node)
            return f"{base}.{node.attr}" if base else None
        return None

    for node in tree.find_all((nodes.Getattr, nodes.Name)):
        if isinstance(node, nodes.Name) and node.ctx != "load":
            continue
        dotted = chain(node)
        if dotted and dotted.split(".")[0] not in assigned:
            found.add(dotted)
    # keep the longest chains only: "claimant" is implied by "claimant.address"
    return {v for v in found if not any(o.startswith(v + ".") for o in found)}


def sandbox_violations(source: str) -> list[str]:
    """Attribute access the sandbox refuses at render time (``__class__``, ``_private``), found before rendering."""
    from jinja2 import nodes

    from complaint_cli.render import environment

    tree = environment().parse(source)
    bad = sorted({n.attr for n in tree.find_all(nodes.Getattr) if n.attr.startswith("_")})
    return [f"обращение к служебному атрибуту «{attr}» запрещено: шаблоны работают в песочнице" for attr in bad]


def variables_markdown() -> str:
    """docs/template-variables.md, generated from the tables in code."""
    lines = [
        "# Переменные шаблонов Word",
        "",
        "Сгенерировано из кода (`python scripts/gen_docs.py`); не редактируйте вручную.",
        "Шаблоны используют синтаксис docxtpl/Jinja (`{{ переменная }}`, `{%p if … %}`, `{%p for … %}`) и",
        "отображаются в песочнице: неизвестная переменная — ошибка с её именем, данные пользователя никогда не",
        "становятся кодом шаблона. Проверить свой шаблон: `complaint templates check ФАЙЛ.docx`.",
        "",
    ]
    from complaint_cli.law.analysis import ANALYSIS_FIELDS

    lines += ["## Правовой анализ (`complaint_cli/law/analysis.py`)", "",
              "Все письма строятся из одного анализа дела; переменные ниже — его текстовое представление.", "",
              "| Что решает анализ | Содержание |", "|---|---|"]
    lines += [f"| `{k}` | {v} |" for k, v in ANALYSIS_FIELDS.items()]
    lines.append("")
    for name, (title, _, _) in TEMPLATES.items():
        table = variables_for(name)
        lines += [f"## {title} — `{name}`", ""]
        if not table:
            lines += ["(нет данных)", ""]
            continue
        lines += ["| Переменная | Что содержит |", "|---|---|"]
        lines += [f"| `{var}` | {desc} |" for var, desc in table.items()]
        lines.append("")
    return "\n".join(lines)
