"""Russia's federal subjects and their Rospotrebnadzor territorial offices.

The table lives in ``complaint_cli/data/regions.yaml`` (89 subjects, Constitution art. 65; office
names after the law.md §5 pattern, with per-entry notes where a detail is not confirmed). This
module loads it and answers two questions:

* :func:`find_region` — which subject did the user mean by «мск», «Татарстан», «по Московской
  области» or «77»? Unknown input raises :class:`~complaint_cli.errors.ComplaintError` with the
  closest matches.
* :func:`region_from_address` — which subject is a free-form postal address in? Only explicit
  subject names and the cities listed in the data count (postal indexes do not: their prefixes do
  not map reliably onto subjects); anything doubtful gives ``None``.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from complaint_cli import yamlio

from complaint_cli.errors import ComplaintError

DATA_FILE = "regions.yaml"

# Generic words of subject names and their abbreviations, in the cases people type them. They are
# dropped before comparing, so «Московская обл.», «Московская область» and «Московской области»
# differ only in the adjective (which the data lists in both forms: name and dative).
_FILLERS = frozenset(
    {
        "г", "гор", "город", "города", "городу", "федерального", "значения",
        "обл", "область", "области",
        "респ", "республика", "республики", "республике",
        "край", "края", "краю", "кр",
        "ао", "аобл", "автономный", "автономная", "автономного", "автономной", "автономному",
        "округ", "округа", "округу", "окр",
    }
)
# Words after which a name is a street, a metro station or a settlement type, not a subject/city:
# «ул. Московская», «м. Курская», «р-н Пермский».
_STREET_WORDS = frozenset(
    {
        "ул", "улица", "пр", "просп", "проспект", "пер", "переулок", "ш", "шоссе", "б", "бул",
        "бульвар", "наб", "набережная", "пл", "площадь", "проезд", "туп", "тупик", "аллея",
        "линия", "мкр", "мкрн", "микрорайон", "тракт", "м", "метро", "ст", "станция", "платформа",
        "р", "рн", "район", "пос", "поселок", "п", "пгт", "с", "село", "д", "деревня", "дер",
        "х", "хутор", "станица", "снт", "тер", "территория", "кв", "квартал",
    }
)
_CITY_MARKERS = frozenset({"г", "гор", "город"})
# Adjectival names («Тверская», «Пермский») are also streets and districts («Тверская ул.»,
# «Пермский р-н»): in an address they count only when a generic word or the end of the part follows.
_ADJECTIVE_ENDINGS = ("ая", "яя", "ий", "ый", "ой", "ое", "ее", "ие", "ые")
_MAX_WINDOW = 8  # tokens: «город федерального значения Санкт-Петербург», «ХМАО – Югра АО»
_MIN_ADDRESS_ALIAS = 3  # «МО», «ЛО», «УР» are too short to trust inside an address
_MAX_SUGGESTIONS = 3
_SUGGEST_CUTOFF = 0.6  # difflib ratio below which a name is not "close"
_SUGGEST_MARGIN = 0.15
_TOKEN_SPLIT = re.compile(r"[^0-9a-zа-я]+")
_ADDRESS_PARTS = re.compile(r"[,;\n]+")
_HINT = "Укажите субъект РФ, например «Московская область», «г. Москва», или код региона («50»)."


@dataclass(frozen=True)
class Region:
    """One federal subject and the Rospotrebnadzor office that handles complaints from it."""

    code: str
    name: str
    dative: str
    office: str
    office_short: str
    site: str
    site_confirmed: bool
    aliases: tuple[str, ...]
    cities: tuple[str, ...] = ()
    address: str | None = None
    address_confirmed: bool = False
    note: str | None = None

    @property
    def is_federal_city(self) -> bool:
        """Москва, Санкт-Петербург, Севастополь: the name (and the dative) start in lowercase."""
        return self.name.startswith("город ")


@functools.cache
def _document() -> Mapping[str, Any]:
    raw = yamlio.bundled(DATA_FILE)
    if not isinstance(raw, Mapping) or not isinstance(raw.get("regions"), list):
        raise ComplaintError("Файл регионов повреждён: нет списка regions.")
    return raw


_REQUIRED = (
    "code", "name", "dative", "office", "office_short", "site", "site_confirmed", "aliases",
)


def _region(entry: Any) -> Region:
    if not isinstance(entry, Mapping):
        raise ComplaintError("Файл регионов повреждён: запись региона не является словарём.")
    missing = [key for key in _REQUIRED if entry.get(key) in (None, "")]
    if missing:
        label = entry.get("name") or entry.get("code") or "?"
        raise ComplaintError(
            f"Файл регионов повреждён: у региона «{label}» нет полей {', '.join(missing)}."
        )
    return Region(
        code=str(entry["code"]),
        name=str(entry["name"]),
        dative=str(entry["dative"]),
        office=str(entry["office"]),
        office_short=str(entry["office_short"]),
        site=str(entry["site"]),
        site_confirmed=bool(entry["site_confirmed"]),
        aliases=tuple(str(a) for a in entry["aliases"]),
        cities=tuple(str(c) for c in entry.get("cities") or ()),
        address=entry.get("address"),
        address_confirmed=bool(entry.get("address_confirmed", False)),
        note=entry.get("note"),
    )


@functools.cache
def all_regions() -> tuple[Region, ...]:
    """Every federal subject in the order of the data file (by region code)."""
    return tuple(_region(entry) for entry in _document()["regions"])


def central_office() -> dict[str, Any]:
    """The federal service itself (for complaints about a territorial office); a fresh copy."""
    office = _document().get("central_office")
    if not isinstance(office, Mapping):
        raise ComplaintError("Файл регионов повреждён: нет раздела central_office.")
    return dict(office)


# --- normalisation -------------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    """Lowercase words with ё→е; punctuation, dashes and hyphens separate words."""
    return [t for t in _TOKEN_SPLIT.split(text.lower().replace("ё", "е")) if t]


def _key(tokens: Sequence[str]) -> str:
    return " ".join(t for t in tokens if t not in _FILLERS)


def normalize(text: str) -> str:
    """Comparison key of a subject's name: «по г. Москве» → «москве», «Ханты-Мансийский АО» →
    «ханты мансийский». A leading «по» (as in «по Московской области») is dropped."""
    tokens = _tokens(text)
    if tokens[:1] == ["по"]:
        tokens = tokens[1:]
    return _key(tokens)


@functools.cache
def _name_index() -> Mapping[str, tuple[Region, ...]]:
    """Comparison key → subjects, from every name, dative and alias."""
    index: dict[str, list[Region]] = {}
    for region in all_regions():
        for form in (region.name, region.dative, *region.aliases):
            key = normalize(form)
            if key and region not in index.setdefault(key, []):
                index[key].append(region)
    return {key: tuple(found) for key, found in index.items()}


@functools.cache
def _codes() -> Mapping[str, Region]:
    return {region.code: region for region in all_regions()}


# --- find_region ---------------------------------------------------------------------------------


def find_region(text: str) -> Region:
    """The subject named by ``text``: its name, dative, a known alias or its two-digit code.

    Case, ё/е, punctuation, dashes and the generic words («г.», «обл.», «респ.», «край», «АО»…)
    do not matter. Raises ComplaintError naming the input and the closest subjects.
    """
    shown = " ".join(text.split())
    if not shown:
        raise ComplaintError("Регион не указан.", hint=_HINT)
    if shown.isdigit():
        region = _codes().get(shown.zfill(2))
        if region is None:
            raise ComplaintError(f"Регион с кодом «{shown}» не найден.", hint=_HINT)
        return region
    key = normalize(shown)
    found = _name_index().get(key, ())
    if len(found) == 1:
        return found[0]
    if found:
        names = ", ".join(region.name for region in found)
        message = f"Регион «{shown}» неоднозначен: {names}. Уточните название."
        raise ComplaintError(message, hint=_HINT)
    suggestions = _suggest(key)
    message = f"Регион «{shown}» не найден."
    if suggestions:
        message += " Возможно, вы имели в виду: " + ", ".join(suggestions) + "."
    raise ComplaintError(message, hint=_HINT)


def _suggest(key: str) -> list[str]:
    """Names of the closest subjects: the subject of a city typed instead of a region first,
    then the spelling neighbours within a small margin of the best one."""
    if not key:
        return []
    names: list[str] = []
    city_code = _address_index().get(key)
    if city_code is not None and city_code != _AMBIGUOUS:
        names.append(_codes()[city_code].name)
    index = _name_index()
    scored = sorted(
        ((difflib.SequenceMatcher(None, key, candidate).ratio(), candidate) for candidate in index),
        reverse=True,
    )
    best = scored[0][0] if scored else 0.0
    for ratio, candidate in scored:
        if ratio < _SUGGEST_CUTOFF or ratio < best - _SUGGEST_MARGIN:
            break
        names.extend(region.name for region in index[candidate] if region.name not in names)
    return names[:_MAX_SUGGESTIONS]


# --- region_from_address -------------------------------------------------------------------------

_AMBIGUOUS = "ambiguous"  # a city with a namesake in another subject: decides nothing


@functools.cache
def _address_index() -> Mapping[str, str]:
    """Comparison key → region code, from subject names, aliases and cities (no datives: an
    address never says «по Московской области»; no codes: «16» is a house number there)."""
    index: dict[str, str] = {}
    ambiguous_cities = {normalize(name) for name in _document().get("ambiguous_cities") or {}}
    for region in all_regions():
        for city in region.cities:
            key = normalize(city)
            clash = key in ambiguous_cities or index.get(key, region.code) != region.code
            index[key] = _AMBIGUOUS if clash else region.code
    names = _name_index()
    for region in all_regions():
        for form in (region.name, *region.aliases):
            key = normalize(form)
            if len(names.get(key, ())) == 1 and len(key.replace(" ", "")) >= _MIN_ADDRESS_ALIAS:
                index[key] = region.code
    return index


def _is_adjective(token: str) -> bool:
    return token.endswith(_ADJECTIVE_ENDINGS)


def _context_ok(tokens: Sequence[str], start: int, end: int) -> bool:
    before = tokens[start - 1] if start > 0 else None
    after = tokens[end] if end < len(tokens) else None
    if before in _STREET_WORDS:
        return False
    if _is_adjective(tokens[end - 1]) and before not in _CITY_MARKERS:
        return after is None or after in _FILLERS
    return True


def _scan(tokens: Sequence[str]) -> list[str]:
    """Longest known names in one address part, left to right, without overlaps."""
    index = _address_index()
    hits: list[str] = []
    start = 0
    while start < len(tokens):
        end = _match(tokens, start, index)
        if end is None:
            start += 1
            continue
        hits.append(index[_key(tokens[start:end])])
        start = end
    return hits


def _match(tokens: Sequence[str], start: int, index: Mapping[str, str]) -> int | None:
    if tokens[start] in _FILLERS:
        return None
    for end in range(min(len(tokens), start + _MAX_WINDOW), start, -1):
        if tokens[end - 1] in _FILLERS:
            continue
        if _key(tokens[start:end]) in index and _context_ok(tokens, start, end):
            return end
    return None


def region_from_address(address: str) -> Region | None:
    """The subject a free-form postal address is in, or None when that is not certain.

    The subject is taken from its name («Республика Татарстан», «Московская обл.», «г. Москва»)
    or from a city of the data («г. Казань»). Two different subjects, a city with a namesake in
    another subject, or nothing recognised give None: the caller asks the user instead.
    """
    codes: set[str] = set()
    for part in _ADDRESS_PARTS.split(address):
        codes.update(code for code in _scan(_tokens(part)) if code != _AMBIGUOUS)
    if len(codes) != 1:
        return None
    return _codes()[codes.pop()]
