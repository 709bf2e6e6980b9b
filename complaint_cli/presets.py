"""Company presets: the addressee's legal details filled in by choosing a service from a list.

The bundled presets live in ``complaint_cli/data/companies.yaml`` (each with its source and a ``verify`` note the
wizard shows). A user adds their own — or corrects a bundled one — in ``<config_dir>/companies.yaml`` with the same
format (a preset with the same key replaces the bundled one)::

    companies:
      moy_magazin:
        title: «Мой магазин» — ООО «Ромашка»
        aggregator: false
        company:
          name: ООО «Ромашка»
          address: 101000, г. Москва, ул. Мясницкая, д. 1
        verify: Сверьте реквизиты с чеком.

The company details go through the one validation path (:func:`complaint_cli.validation.build_case`), so a preset
with a wrong ОГРН or e-mail is refused with the same Russian message a case file would get.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from complaint_cli.errors import ComplaintError

MANUAL = "__manual__"  # the wizard's choice «another company, typed in»
MANUAL_TITLE = "Другая компания — ввести реквизиты самому"
DATA_FILE = "companies.yaml"
USER_FILE = "companies.yaml"
_KEY = re.compile(r"^[A-Za-z0-9_-]{1,40}$")


@dataclass(frozen=True)
class Preset:
    """One company the wizard can fill in: its case-model fields and what to check before sending."""

    key: str
    title: str
    company: dict[str, str] = field(default_factory=dict)
    aggregator: bool = False
    verify: str = ""
    source: str = ""
    user: bool = False

    def company_data(self) -> dict[str, str]:
        """A fresh copy of the ``company`` section to put into a case."""
        return dict(self.company)


def user_presets_path(config_dir: Path | None = None) -> Path:
    """Where the user's own presets live: ``<config_dir>/companies.yaml``."""
    if config_dir is None:
        from complaint_cli.paths import config_dir as default_config_dir

        config_dir = default_config_dir()
    return Path(config_dir) / USER_FILE


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def parse_presets(raw: Any, *, origin: str, user: bool = False) -> tuple[Preset, ...]:
    """Presets from a loaded YAML document; any problem is a ``ComplaintError`` naming ``origin`` and the key."""
    from complaint_cli.validation import build_case

    if raw is None:
        return ()
    if not isinstance(raw, dict) or not isinstance(raw.get("companies"), dict):
        raise ComplaintError(f"{origin}: нужен раздел companies: со списком компаний (см. формат в документации).")
    presets = []
    for key, body in raw["companies"].items():
        where = f"{origin}, компания «{key}»"
        if not isinstance(key, str) or not _KEY.match(key):
            raise ComplaintError(f"{where}: ключ может содержать только латинские буквы, цифры, «_» и «-».")
        if not isinstance(body, dict) or not isinstance(body.get("company"), dict):
            raise ComplaintError(f"{where}: нужен раздел company: с названием и адресом организации.")
        company = {str(k): _text(v) for k, v in body["company"].items() if v not in (None, "")}
        _, problems, _ = build_case({"company": company})
        problems = [p for p in problems if p.field.startswith("company")]
        for required in ("name", "address"):
            if not company.get(required):
                problems.append(_missing(required))
        if problems:
            details = "; ".join(f"{p.field}: {p.message}" for p in problems)
            raise ComplaintError(f"{where}: {details}")
        presets.append(
            Preset(
                key=key,
                title=_text(body.get("title")) or company["name"],
                company=company,
                aggregator=bool(body.get("aggregator", False)),
                verify=_text(body.get("verify")),
                source=_text(body.get("source")),
                user=user,
            )
        )
    return tuple(presets)


def _missing(name: str):
    from complaint_cli.errors import Problem

    label = {"name": "название организации", "address": "адрес организации"}[name]
    return Problem(f"company.{name}", f"обязательное поле не заполнено: {label}")


@functools.cache
def bundled_presets() -> tuple[Preset, ...]:
    """The presets shipped with the tool (read once per process)."""
    from complaint_cli import yamlio

    return parse_presets(yamlio.bundled(DATA_FILE), origin=f"встроенный файл {DATA_FILE}")


def user_presets(config_dir: Path | None = None) -> tuple[Preset, ...]:
    """The user's own presets (none when the file does not exist)."""
    from complaint_cli import yamlio

    path = user_presets_path(config_dir)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return ()
    except UnicodeDecodeError:
        raise ComplaintError(f"Файл компаний {path} не в кодировке UTF-8. Сохраните его в UTF-8.") from None
    except OSError as exc:
        raise ComplaintError(f"Не удалось прочитать файл компаний {path}: {exc.strerror}") from None
    try:
        raw = yamlio.load(text, source=f"Файл компаний {path}")
    except yamlio.YAMLError as exc:
        raise ComplaintError(f"Файл компаний {path} не читается как YAML{yamlio.error_place(exc)}.") from None
    return parse_presets(raw, origin=f"файл компаний {path}", user=True)


def all_presets(config_dir: Path | None = None) -> list[Preset]:
    """Bundled presets, then the user's; a user preset with a bundled key replaces the bundled one in place."""
    result = {p.key: p for p in bundled_presets()}
    for preset in user_presets(config_dir):
        result[preset.key] = preset
    return list(result.values())


def find_preset(key: str, config_dir: Path | None = None) -> Preset:
    """A preset by key; ``ComplaintError`` listing the known keys otherwise."""
    presets = all_presets(config_dir)
    for preset in presets:
        if preset.key == key:
            return preset
    known = ", ".join(p.key for p in presets)
    raise ComplaintError(f"Компания «{key}» не найдена среди готовых. Известные: {known}.")


def _norm(text: Any) -> str:
    return " ".join(str(text or "").lower().replace("ё", "е").split())


def match_preset(company: dict[str, Any] | None, presets: list[Preset]) -> Preset | None:
    """The preset whose name and address a case's ``company`` section carries (e.g. a resumed draft)."""
    if not company:
        return None
    for preset in presets:
        if _norm(company.get("name")) == _norm(preset.company.get("name")) and _norm(company.get("address")) == _norm(
            preset.company.get("address")
        ):
            return preset
    return None


# --------------------------------------------------------------------------- the wizard's company question


def preset_choices(presets: list[Preset]) -> list[tuple[str, str]]:
    """(key, title) for every preset, then «another company»."""
    return [(p.key, p.title) for p in presets] + [(MANUAL, MANUAL_TITLE)]


def chosen_key(company: dict[str, Any] | None, presets: list[Preset]) -> str | None:
    """Which choice a case's ``company`` section corresponds to: a preset key, MANUAL, or None when empty."""
    if not company or not company.get("name"):
        return None
    found = match_preset(company, presets)
    return found.key if found else MANUAL


def apply_choice(data: dict[str, Any], key: str, presets: list[Preset]) -> bool:
    """Fill ``data["company"]`` from the chosen preset (True), or clear a preset's details for typing (False).

    The company's e-mail, which presets rarely carry, is kept when the user gave one.
    """
    company = data.get("company") or {}
    if key == MANUAL:
        if match_preset(company, presets):
            data.pop("company", None)  # start from a clean form, not from the preset's details
        return False
    preset = next(p for p in presets if p.key == key)
    data["company"] = preset.company_data()
    if company.get("email") and "email" not in data["company"]:
        data["company"]["email"] = company["email"]
    return True


def describe(preset: Preset) -> list[str]:
    """What the wizard shows when a preset is chosen: the details and what to check before sending."""
    c = preset.company
    lines = [f"Реквизиты: {c.get('name')}, {c.get('address')}" + (f", ОГРН {c['ogrn']}" if c.get("ogrn") else "") + "."]
    if preset.verify:
        lines.append(f"Важно: {preset.verify[:1].lower()}{preset.verify[1:]}")
    return lines
