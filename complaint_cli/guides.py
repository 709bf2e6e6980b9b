"""Channel guides: how to send the claim the way the user chose, what proof to keep, and how to record it.

The texts live in ``complaint_cli/data/guides.yaml`` (with their sources); this module fills in the case's details
(company, order, demands, the regional Rospotrebnadzor office) and returns a :class:`Guide` that the CLI prints and
``--json`` serialises. Shown after ``complaint render`` and by ``complaint guide CASE``.

The Rospotrebnadzor guide also carries the paste-ready text for the Госуслуги / site form (:func:`form_text`, built
from the complaint's own context, so the form and the .docx say the same) and the list of files to attach: since
30.03.2025 the complaint is filed there or by post, never by e-mail (59-ФЗ as amended by 547-ФЗ; law.md §0b.1).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from complaint_cli import yamlio

from complaint_cli.errors import ComplaintError
from complaint_cli.model import CHANNEL_LABELS, Case

DATA_FILE = "guides.yaml"
BLANK_MARK = "____"  # what the letters put where a fact is missing (court.BLANK)
CHANNELS = tuple(CHANNEL_LABELS)


@dataclass(frozen=True)
class Section:
    title: str
    steps: list[str]
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "steps": list(self.steps), "note": self.note}


@dataclass(frozen=True)
class FileToAttach:
    """One file for the form (or the letter): what it is, and where it is when the program knows."""

    description: str
    path: Path | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"description": self.description, "path": str(self.path) if self.path else None}


@dataclass
class Guide:
    """Steps for one route: ``kind`` is "claim" (with ``channel``) or "rospotrebnadzor".

    The Rospotrebnadzor guide adds ``form_text`` (paste-ready text for the form's text box, or None when the
    complaint cannot be drafted yet — ``form_note`` says why), ``form_note`` and ``attachments``; ``--json`` gets them
    as the keys ``form_text``, ``form_note`` and ``attachments`` (claim guides have none of these keys).
    """

    kind: str
    channel: str | None
    title: str
    intro: str | None = None
    sections: list[Section] = field(default_factory=list)
    form_text: str | None = None
    form_note: str | None = None
    attachments: list[FileToAttach] | None = None
    labels: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out = {
            "kind": self.kind,
            "channel": self.channel,
            "title": self.title,
            "intro": self.intro,
            "sections": [s.as_dict() for s in self.sections],
        }
        if self.attachments is not None:
            out.update(form_text=self.form_text, form_note=self.form_note,
                       attachments=[a.as_dict() for a in self.attachments])
        return out

    def lines(self) -> list[str]:
        """The guide as plain text lines: numbered steps under each section title, then the form's text and files."""
        out = [self.title]
        if self.intro:
            out.append(self.intro)
        for section in self.sections:
            out.append(f"{section.title}:")
            out += [f"  {i}. {step}" for i, step in enumerate(section.steps, 1)]
            if section.note:
                out.append(f"  ({section.note})")
        if self.attachments is None:
            return out
        rule = "—" * 40
        if self.form_text:
            out += ["", f"{self.labels['form_text']}:", rule, self.form_text, rule]
        if self.form_note:
            out.append(self.form_note)
        out += ["", f"{self.labels['attachments']}:"]
        out += [f"  {i}. {a.description}" + (f" — {a.path}" if a.path else "")
                for i, a in enumerate(self.attachments, 1)]
        return out


@functools.cache
def _data() -> dict[str, Any]:
    return yamlio.bundled(DATA_FILE)


class _Values(dict):
    """Placeholders for the data's ``{name}``: an unknown name is a bug in guides.yaml, reported loudly."""

    def __missing__(self, key: str) -> str:
        raise KeyError(f"guides.yaml uses an unknown placeholder {{{key}}}")


def _fill(text: str | None, values: _Values) -> str | None:
    return text.format_map(values).strip() if text else None


def _fill_all(items: list[str], values: _Values) -> list[str]:
    return [_fill(item, values) or "" for item in items]


def _demands(case: Case) -> str:
    """The demands in a phrase for a phone call, worded by what each is about (the legal analysis)."""
    import datetime as dt

    from complaint_cli.law.analysis import analyze
    from complaint_cli.money import format_short

    parts = []
    for demand in analyze(case, case.submission.sent_on or dt.date.today()).demands:
        label = demand.words
        label = label[:1].lower() + label[1:]
        if demand.amount is not None:
            label += f" — {format_short(demand.amount)} руб."
        parts.append(label)
    return ", ".join(parts) or "ваши требования из претензии"


def _values(case: Case, case_ref: str, channel: str | None = None) -> _Values:
    from complaint_cli.claim import format_phone
    from complaint_cli.law.deadlines import fmt_date

    order = f"№ {case.order.number}" if case.order.number else "(номер заказа)"
    if case.order.date:
        order += f" от {fmt_date(case.order.date)}"
    values = _Values(
        case=case_ref,
        company=f"«{case.company.brand}»" if case.company.brand else case.company.name or "компании",
        order=order,
        email=case.company.email or ("адрес компании для претензий — он в оферте (пользовательском соглашении), в "
                                     "разделах «Контакты» или «Реквизиты» на сайте; впишите его в дело "
                                     "(company.email) или укажите: complaint email ДЕЛО --to АДРЕС"),
        phone=format_phone(case.company.phone) if case.company.phone else "номер указан на сайте и в приложении",
        demands=_demands(case),
        channel=channel or "",
        reference="",
    )
    values.update(_office_values(case))
    return values


def _office_values(case: Case) -> dict[str, str]:
    """The regional office from ``claimant.region`` (or the address); generic wording when it is unknown."""
    from complaint_cli.law.regions import central_office, find_region, region_from_address

    region = None
    if case.claimant.region:
        try:
            region = find_region(case.claimant.region)
        except ComplaintError:
            region = None
    if region is None and case.claimant.address:
        region = region_from_address(case.claimant.address)
    central = central_office()
    values = {"central_address": central.get("address") or "Москва"}
    if region is None:
        values.update(
            office="Управление Роспотребнадзора вашего региона (укажите claimant.region в файле дела)",
            site="сайт Управления вашего региона (NN.rospotrebnadzor.ru, NN — код региона)",
            site_note="Адрес сайта Управления вида NN.rospotrebnadzor.ru, где NN — код региона.",
            office_address="адрес Управления указан на его сайте",
        )
        return values
    values.update(
        office=region.office_short or region.office,
        site=region.site,
        site_note=(
            "" if region.site_confirmed
            else "Адрес сайта не проверен по официальному источнику: убедитесь, что это сайт Роспотребнадзора."
        ),
        office_address=(
            f"{region.address} (проверьте адрес на сайте {region.site} перед отправкой)" if region.address
            else f"адрес указан на сайте {region.site}"
        ),
    )
    return values


def channel_guide(case: Case, *, case_ref: str, channel: str | None = None) -> Guide:
    """How to send the claim through ``channel`` (default: the case's ``submission.channel``)."""
    chosen = channel or (case.submission.channel.value if case.submission.channel else None)
    if chosen is None:
        raise ComplaintError(
            "Не выбран способ отправки претензии: укажите submission.channel в файле дела или --channel "
            f"({', '.join(CHANNELS)}).",
            hint=f"Например: complaint guide {case_ref} --channel post",
        )
    if chosen not in CHANNELS:
        raise ComplaintError(f"Неизвестный способ отправки «{chosen}»; допустимо: {', '.join(CHANNELS)}.")
    spec = _data()["channels"][chosen]
    values = _values(case, case_ref, chosen)
    values["reference"] = spec["reference"]
    return Guide(
        kind="claim",
        channel=chosen,
        title=f"Как отправить претензию: {spec['title'].lower()}",
        sections=[
            Section("Что сделать", _fill_all(spec["steps"], values), _fill(spec.get("note"), values)),
            Section("Что сохранить как доказательство", _fill_all(spec["proof"], values)),
            Section("Как записать отправку в программе", _fill_all(_data()["record"], values)),
        ],
    )


def rospotrebnadzor_guide(
    case: Case, *, case_ref: str, case_path: Path | None = None, on: dt.date | None = None
) -> Guide:
    """How to file the Rospotrebnadzor complaint (Госуслуги, the regional site, post — not e-mail) and what to do on
    silence, with the paste-ready text for the form and the files to attach.

    ``on`` is the complaint's date (default: today); with ``case_path`` the files are looked up next to the case file
    (or where the registry saw them) and a refusal recorded in the registry is taken into account, as ``escalate`` does.
    """
    spec = _data()["rospotrebnadzor"]
    values = _values(case, case_ref)
    sections = [
        Section(route["title"], _fill_all(route["steps"], values), _fill(route.get("note"), values))
        for route in spec["routes"]
    ]
    sections.append(Section("После отправки", _fill_all(spec["after"], values)))
    silence = spec["silence"]
    sections.append(Section(silence["title"], _fill_all(silence["steps"], values), _fill(silence.get("note"), values)))
    form = spec["form"]
    refused_on = _refusal_on_record(case_path)
    text, note = None, None
    try:
        ctx = _complaint_context(case, on or dt.date.today(), refused_on)
    except ComplaintError as exc:
        ctx = None
        note = _fill(form["not_ready"], _Values(values, reason=exc.message.rstrip(".")))
    if ctx is not None:
        text = form_text(ctx)
        note = _fill(form["note"], _Values(values, length=str(len(text))))
        if BLANK_MARK in text:
            note += " " + (_fill(form["blanks"], values) or "")
    return Guide(
        kind="rospotrebnadzor",
        channel=None,
        title=spec["title"],
        intro=_fill(spec.get("intro"), values),
        sections=sections,
        form_text=text,
        form_note=note,
        attachments=files_to_attach(case, case_path, ctx, _fill(form["complaint_file"], values) or "",
                                    _fill(form["complaint_missing"], values) or ""),
        labels={"form_text": form["title"], "attachments": form["attachments_title"]},
    )


# --------------------------------------------------------------------------- the form's text and files


def _refusal_on_record(case_path: Path | None) -> dt.date | None:
    """The company's refusal date from the registry (as ``escalate`` uses it), or None."""
    if case_path is None:
        return None
    from complaint_cli.escalation import refusal_date
    from complaint_cli.reminders import case_history

    try:
        events, _ = case_history(case_path)
    except ComplaintError:
        return None
    return refusal_date(events)


def _complaint_context(case: Case, on: dt.date, refused_on: dt.date | None) -> dict[str, Any]:
    """The Rospotrebnadzor complaint's template context, exactly as ``escalate`` builds it."""
    from complaint_cli.escalation import escalation_deadline, rospotrebnadzor_context

    ctx, _ = rospotrebnadzor_context(case, escalation_deadline(case), on=on, refused_on=refused_on)
    return ctx


def _plain(text: str) -> str:
    """A web form's text box: ordinary spaces instead of the letter's no-break and thin ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ").strip()


def form_text(ctx: dict[str, Any]) -> str:
    """The complaint's essence as plain text for the form's text box, paragraph by paragraph as in the .docx.

    Who complains and about whom, the order, what happened, the first claim and its fate (with what it demanded), the
    rights breached and what is asked — every sentence is a value of the complaint's context
    (:func:`complaint_cli.escalation.rospotrebnadzor_context`), so the form never says something the .docx does not.
    The office's address block, the attachments and the signature are left out: the form has its own fields.
    """
    c = ctx["claimant"]
    contacts = [f"адрес: {c['address']}" if c.get("address") else "", f"тел.: {c['phone']}" if c.get("phone") else "",
                f"e-mail: {c['email']}" if c.get("email") else ""]
    out = [f"От {c['name_genitive']}" + "".join(f"; {x}" for x in contacts if x) + "."] if c.get("name_genitive") else []
    if ctx.get("urgent"):
        out.append(ctx["urgent"])
    out.append(ctx["intro"])
    out += [f"– {s}" for s in ctx["subjects"]]
    facts = ctx["facts"]
    out += [x for x in (facts.get("order"), facts.get("seller"), facts.get("problem"),
                        ctx["problem"].get("description")) if x]
    history = list(ctx["history"])
    out += history[:1]
    if ctx["claim_demands"]:
        out.append(ctx["claim_demands_lead"])
        out += [f"{d['number']}. {d['text']}" for d in ctx["claim_demands"]]
    out += history[1:]
    out.append(ctx["grounds_lead"])
    grounds = ctx["grounds"]
    out += [f"– {g}" + ("." if i == len(grounds) - 1 else ";") for i, g in enumerate(grounds)]
    if ctx.get("offence"):
        out.append(ctx["offence"])
    out += [ctx["basis"], "ПРОШУ:"]
    out += [f"{i}. {r}" for i, r in enumerate(ctx["requests"], 1)]
    out.append(ctx["money_note"])
    return "\n".join(_plain(line) for line in out if line)


def files_to_attach(
    case: Case, case_path: Path | None, ctx: dict[str, Any] | None, complaint_label: str, missing_label: str
) -> list[FileToAttach]:
    """The complaint itself, then its «Приложения» (the first claim, proof of sending, evidence), with the files the
    program can find: documents next to the case file (or where the registry saw them), evidence by ``file``."""
    from complaint_cli.escalation import first_claim_attachments

    def documents(kind: str) -> list[Path]:
        if case_path is None:
            return []
        from complaint_cli.emaildraft import document_files

        try:
            return document_files(case, case_path, kind, Path(case_path).resolve().parent)
        except ComplaintError:
            return []

    def best(paths: list[Path]) -> Path | None:  # the PDF when there is one: forms take it everywhere
        return next((x for x in paths if x.suffix == ".pdf"), paths[0] if paths else None)

    from complaint_cli.claim import attachment_items

    evidence: dict[str, Path] = {}  # by the case field that names the file
    if case_path is not None:
        from complaint_cli.evidence import evidence_files

        try:
            evidence = {e.field: e.source for e in evidence_files(case, Path(case_path).resolve().parent)}
        except ComplaintError:
            evidence = {}
    items = attachment_items(case)  # the receipt and the evidence, as every letter lists them
    listed = ctx["attachments"] if ctx is not None else first_claim_attachments(case) + [t for t, _ in items]
    first = len(listed) - len(items)
    complaint = best(documents("rospotrebnadzor"))
    out = [FileToAttach(complaint_label if complaint or case_path is None else missing_label, complaint)]
    for i, item in enumerate(listed[:first]):
        out.append(FileToAttach(item, best(documents("claim")) if i == 0 else None))
    out += [FileToAttach(text, evidence.get(field)) for text, (_, field) in zip(listed[first:], items)]
    listed_fields = {field for _, field in items}
    out += [FileToAttach(path.name, path) for field, path in evidence.items() if field not in listed_fields]
    return out
