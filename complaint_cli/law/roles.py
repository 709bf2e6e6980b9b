"""Who is who in a case: the seller, the aggregator's owner and the provider of the delivery service.

ЗоЗПП ст. 12 пп. 2.1–2.4 (law.md §1.5, §0b.9): through an aggregator (Kuper, a marketplace) the goods are sold by the
seller named on the receipt, who answers for their quality (п. 2.2); the aggregator's owner answers for losses from
wrong information it gave (п. 2.1) and refunds a prepayment paid to it for goods not handed over in time (п. 2.4); a
company that delivers the order itself is the provider of the delivery service (ст. 27, 28). A company that is not an
aggregator is the seller and, when it delivers, the delivery service too.
"""

from __future__ import annotations

from dataclasses import dataclass

from complaint_cli.model import Case, Company

# Problems with the goods themselves: the seller's liability (ст. 12 п. 2.2, ст. 18).
QUALITY_PROBLEMS = frozenset({"wrong_items", "poor_quality", "expired_goods"})


def is_aggregator(company: Company) -> bool:
    """``company.aggregator`` when the case says it; otherwise the value of a preset with the same ОГРН or ИНН."""
    if company.aggregator is not None:
        return company.aggregator
    preset = matching_preset(company)
    return bool(preset and preset.aggregator)


def matching_preset(company: Company):
    """The company preset (bundled or the user's) whose ОГРН or ИНН equals the company's, or None."""
    if not (company.ogrn or company.inn):
        return None
    for preset in _presets():
        ogrn, inn = preset.company.get("ogrn"), preset.company.get("inn")
        if (company.ogrn and ogrn and company.ogrn == str(ogrn)) or (company.inn and inn and company.inn == str(inn)):
            return preset
    return None


def _presets() -> list:
    """Bundled and user presets, re-read only when the user's file changes (a batch asks for every row)."""
    from complaint_cli.errors import ComplaintError
    from complaint_cli.presets import all_presets, user_presets_path

    try:
        path = user_presets_path()
        stamp = path.stat().st_mtime_ns if path.exists() else None
    except OSError:
        stamp = None
    if _CACHE.get("stamp", -1) != stamp:
        try:
            _CACHE.update(stamp=stamp, presets=all_presets())
        except ComplaintError:
            _CACHE.update(stamp=stamp, presets=[])
    return _CACHE["presets"]


_CACHE: dict = {}


def company_label(case: Case) -> str:
    """«ООО «Инстамарт Сервис» (сервис «Купер»)»: the legal name with the brand the consumer knows."""
    c = case.company
    name = c.name or ""
    brand = (c.brand or "").strip("«»\" ")
    if brand and brand.lower() not in name.lower():
        name += f" (сервис «{brand}»)"
    return name


@dataclass(frozen=True)
class Party:
    """An organisation in a case: its name as printed, address, registration numbers, e-mail and head's position."""

    name: str
    address: str
    inn: str | None = None
    ogrn: str | None = None
    email: str | None = None
    position: str | None = None


@dataclass(frozen=True)
class Roles:
    """The parties of a case and their legal roles."""

    company: Party
    aggregator: bool  # the company owns an aggregator
    seller: Party | None  # the seller of the goods (the company itself when it is not an aggregator)
    seller_known: bool  # False: through an aggregator, and the receipt's seller is not in the case
    delivery: Party  # who provides the delivery service (the company)

    @property
    def company_role(self) -> str:
        """The company's role in Russian («владелец агрегатора и исполнитель услуги доставки» / «продавец»)."""
        if self.aggregator:
            return "владелец агрегатора и исполнитель услуги доставки"
        return "продавец"

    @property
    def seller_is_company(self) -> bool:
        return not self.aggregator


def roles(case: Case) -> Roles:
    c = case.company
    company = Party(company_label(case), c.address or "", c.inn, c.ogrn, c.email, c.head_position)
    aggregator = is_aggregator(c)
    s = case.seller
    if s is not None and s.name:
        seller: Party | None = Party(s.name, s.address or "", s.inn, s.ogrn)
        known = True
    elif aggregator:
        seller, known = None, False
    else:
        seller, known = company, True
    return Roles(company=company, aggregator=aggregator, seller=seller, seller_known=known, delivery=company)
