"""Channel guides: how to send the claim the way the user chose, what proof to keep, and how to record it.

The texts live in ``complaint_cli/data/guides.yaml`` (with their sources); this module fills in the case's details
(company, order, demands, the regional Rospotrebnadzor office) and returns a :class:`Guide` that the CLI prints and
``--json`` serialises. Shown after ``complaint render`` and by ``complaint guide CASE``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from complaint_cli import yamlio

from complaint_cli.errors import ComplaintError
from complaint_cli.model import CHANNEL_LABELS, DEMAND_LABELS, Case

DATA_FILE = "guides.yaml"
CHANNELS = tuple(CHANNEL_LABELS)


@dataclass(frozen=True)
class Section:
    title: str
    steps: list[str]
    note: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "steps": list(self.steps), "note": self.note}


@dataclass
class Guide:
    """Steps for one route: ``kind`` is "claim" (with ``channel``) or "rospotrebnadzor"."""

    kind: str
    channel: str | None
    title: str
    intro: str | None = None
    sections: list[Section] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "channel": self.channel,
            "title": self.title,
            "intro": self.intro,
            "sections": [s.as_dict() for s in self.sections],
        }

    def lines(self) -> list[str]:
        """The guide as plain text lines: numbered steps under each section title."""
        out = [self.title]
        if self.intro:
            out.append(self.intro)
        for section in self.sections:
            out.append(f"{section.title}:")
            out += [f"  {i}. {step}" for i, step in enumerate(section.steps, 1)]
            if section.note:
                out.append(f"  ({section.note})")
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
    from complaint_cli.money import format_short

    parts = []
    for demand in case.demands:
        if demand.kind is None:
            continue
        label = demand.text if demand.kind.value == "other" and demand.text else DEMAND_LABELS[demand.kind.value]
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
        email=case.company.email or "адрес компании для претензий",
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


def rospotrebnadzor_guide(case: Case, *, case_ref: str) -> Guide:
    """How to file the Rospotrebnadzor complaint (Госуслуги, the regional site, post) and what to do on silence."""
    spec = _data()["rospotrebnadzor"]
    values = _values(case, case_ref)
    sections = [
        Section(route["title"], _fill_all(route["steps"], values), _fill(route.get("note"), values))
        for route in spec["routes"]
    ]
    sections.append(Section("После отправки", _fill_all(spec["after"], values)))
    silence = spec["silence"]
    sections.append(Section(silence["title"], _fill_all(silence["steps"], values), _fill(silence.get("note"), values)))
    return Guide(
        kind="rospotrebnadzor",
        channel=None,
        title=spec["title"],
        intro=_fill(spec.get("intro"), values),
        sections=sections,
    )
