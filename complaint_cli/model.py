"""The case model: the single source of truth for the wizard, case files and batch rows.

The keys are a contract (see README, «Формат файла дела»): fields may be added, never renamed. Every field is
optional at the model level so that a draft (a wizard interrupted half-way) is still a valid ``Case``; whether a case
is *complete* enough to render is decided by :func:`complaint_cli.validation.check_case`.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

from pydantic import BaseModel, ConfigDict, Field

from complaint_cli.fields import (
    Address,
    DateField,
    Description,
    Email,
    Inn,
    Money,
    Name,
    Ogrn,
    Phone,
    Short,
    Text,
    TimeField,
    WindowField,
    YesNo,
)

SCHEMA_VERSION = 1


class ProblemKind(str, Enum):
    late_delivery = "late_delivery"
    missing_items = "missing_items"
    wrong_items = "wrong_items"
    poor_quality = "poor_quality"
    expired_goods = "expired_goods"
    overcharge = "overcharge"
    refund_not_received = "refund_not_received"
    courier_conduct = "courier_conduct"
    other = "other"


class DemandKind(str, Enum):
    refund = "refund"
    replacement = "replacement"
    price_reduction = "price_reduction"
    compensation = "compensation"
    deliver = "deliver"
    apology = "apology"
    moral_damages = "moral_damages"
    other = "other"


class Channel(str, Enum):
    app = "app"
    website = "website"
    phone = "phone"
    email = "email"
    office = "office"
    post = "post"


class ItemIssue(str, Enum):
    """What went wrong with one item of an order (``order.items[].issue``)."""

    missing_items = "missing_items"
    wrong_items = "wrong_items"
    poor_quality = "poor_quality"
    expired_goods = "expired_goods"


class Gender(str, Enum):
    male = "male"
    female = "female"


PROBLEM_LABELS: dict[str, str] = {
    "late_delivery": "Заказ доставлен с опозданием или не доставлен",
    "missing_items": "Привезли не всё: недовложение товаров",
    "wrong_items": "Привезли не тот товар (пересорт)",
    "poor_quality": "Товар ненадлежащего качества (испорчен, повреждён)",
    "expired_goods": "Товар с истёкшим сроком годности",
    "overcharge": "Списали лишние деньги (двойное списание, завышенная цена)",
    "refund_not_received": "Не вернули деньги за отменённый заказ или товар",
    "courier_conduct": "Грубость или нарушения со стороны курьера",
    "other": "Другое",
}

DEMAND_LABELS: dict[str, str] = {
    "refund": "Вернуть деньги",
    "replacement": "Заменить товар",
    "price_reduction": "Уменьшить цену",
    "compensation": "Возместить убытки",
    "deliver": "Доставить недостающий товар",
    "apology": "Принести извинения и провести проверку",
    "moral_damages": "Компенсировать моральный вред",
    "other": "Другое требование (своими словами)",
}

CHANNEL_LABELS: dict[str, str] = {
    "app": "Через приложение (чат поддержки)",
    "website": "Через форму на сайте",
    "phone": "По телефону горячей линии",
    "email": "По электронной почте",
    "office": "Лично в офисе",
    "post": "Заказным письмом по почте",
}

# Demands that are about a sum of money: their amount is asked and stated in figures and words.
MONEY_DEMANDS = frozenset({"refund", "price_reduction", "compensation", "moral_damages"})


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, validate_assignment=True,
                              defer_build=True)


class Claimant(_Part):
    full_name: Name | None = None
    address: Address | None = None
    region: Name | None = None
    phone: Phone = None
    email: Email = None
    gender: Gender | None = None
    birth_date: DateField = None
    birth_place: Address | None = None
    identifier: Short | None = None
    refund_details: Text | None = None
    name_genitive: Name | None = None
    name_dative: Name | None = None


class Company(_Part):
    name: Name | None = None
    brand: Name | None = None
    head_position: Name | None = None
    address: Address | None = None
    inn: Inn = None
    ogrn: Ogrn = None
    email: Email = None
    phone: Phone = None
    promise_working_days: int | None = Field(default=None, ge=1, le=60)
    # The company owns an aggregator (marketplace / delivery platform): the goods are sold by the seller on the
    # receipt (ЗоЗПП ст. 12 п. 2.1–2.4). None = not said: a matching preset (by ОГРН or ИНН) decides.
    aggregator: YesNo = None


class Seller(_Part):
    name: Name | None = None
    address: Address | None = None
    inn: Inn = None
    ogrn: Ogrn = None


class Item(_Part):
    name: Name | None = None
    quantity: Decimal | None = Field(default=None, gt=0)
    price: Money = None  # per unit
    issue: ItemIssue | None = None  # the problem with this item, if any
    affected_quantity: Decimal | None = Field(default=None, gt=0)  # how many units it concerns (default: all)

    @property
    def affected(self) -> Decimal:
        """Units concerned by ``issue``: ``affected_quantity``, else the whole quantity (1 when not given)."""
        return self.affected_quantity if self.affected_quantity is not None else (self.quantity or Decimal(1))


class Receipt(_Part):
    """The fiscal receipt of the order (its QR code or the details printed under it), issue 18.

    The order's date, time and sum are taken from the same QR code into ``order``; these are the receipt's own
    fiscal details, which identify it at the tax service (ФНС) and at the seller.
    """

    fn: Short | None = None  # ФН: the number of the fiscal drive (QR ``fn``)
    fd: Short | None = None  # ФД: the number of the fiscal document (QR ``i``)
    fp: Short | None = None  # ФП: the fiscal sign of the document (QR ``fp``)
    operation: int | None = Field(default=None, ge=1, le=4)  # QR ``n``: 1 приход, 2 возврат прихода, 3 расход, 4 возврат расхода
    qr: Short | None = None  # the QR code's text as read, ``t=20261102T1915&s=3480.00&fn=…&i=…&fp=…&n=1``
    file: Address | None = None  # the photo, scan or PDF of the receipt (attached with the evidence)


class Order(_Part):
    number: Short | None = None
    date: DateField = None
    time: TimeField = None
    delivery_due: DateField = None
    delivery_window: WindowField = None  # the promised slot on delivery_due, "17:00–18:00"
    delivered_on: DateField = None  # when the order actually arrived (absent: not delivered as of the letter)
    delivered_at: TimeField = None
    amount: Money = None
    delivery_fee: Money = None
    payment: Text | None = None
    items: list[Item] = Field(default_factory=list)
    receipt: Receipt | None = None


class Problem(_Part):
    kind: ProblemKind | None = None
    also: list[ProblemKind] = Field(default_factory=list)  # further problems with the same order
    description: Description | None = None
    discovered_on: DateField = None
    emergency: bool = False


class Demand(_Part):
    kind: DemandKind | None = None
    amount: Money = None
    text: Text | None = None


class Evidence(_Part):
    description: Text | None = None
    file: Address | None = None
    # When a photo was taken: from its EXIF data, or as the consumer states it (issue 18).
    taken_on: DateField = None
    taken_at: TimeField = None


class Submission(_Part):
    channel: Channel | None = None
    sent_on: DateField = None
    received_on: DateField = None
    reference: Short | None = None
    declared_value: Money = None  # a registered letter's declared value (ценное письмо с описью, Ф.107), issue 18


class Representative(_Part):
    full_name: Name | None = None
    address: Address | None = None
    power_of_attorney: Text | None = None


class Bank(_Part):
    """The card payment to dispute at the card's issuing bank (``escalate --only bank``, issue 18)."""

    name: Name | None = None  # the issuing bank
    address: Address | None = None
    email: Email = None
    card: Short | None = None  # the card's mask, «2202 20** **** 1234»: never the full number
    operation_on: DateField = None  # the date of the disputed operation (as the bank's statement shows it)
    operation_at: TimeField = None
    amount: Money = None  # the amount of the operation
    disputed_amount: Money = None  # the part of it disputed (default: the whole amount)
    merchant: Name | None = None  # the merchant's name as the statement shows it
    reference: Short | None = None  # the operation's RRN / authorisation code, if known


class Cost(_Part):
    description: Text | None = None
    amount: Money = None


class Court(_Part):
    """Data only the court claim needs: the exact court (or precinct) and the costs to recover."""

    name: Name | None = None
    costs: list[Cost] = Field(default_factory=list)


class Case(_Part):
    """One consumer's complaint: the four elements of a claim plus evidence and how it is sent."""

    schema_version: int = SCHEMA_VERSION
    claimant: Claimant = Field(default_factory=Claimant)
    company: Company = Field(default_factory=Company)
    seller: Seller | None = None
    order: Order = Field(default_factory=Order)
    problem: Problem = Field(default_factory=Problem)
    demands: list[Demand] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    submission: Submission = Field(default_factory=Submission)
    representative: Representative | None = None
    court: Court | None = None
    bank: Bank | None = None

    def problem_kinds(self) -> list[str]:
        """The main problem and ``problem.also``, in order, without repeats."""
        kinds = [self.problem.kind.value] if self.problem.kind else []
        kinds += [k.value for k in self.problem.also]
        return list(dict.fromkeys(kinds))

    def to_data(self) -> dict:
        """The case as plain YAML-able data: ISO dates, amounts as strings, empty values left out."""
        return _prune(self.model_dump(mode="json", exclude_none=True))


def _prune(value):
    """Drop empty strings, empty lists/dicts and ``emergency: false`` so case files stay short to read."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if isinstance(item, (dict, list)):
                item = _prune(item)
                if not item:
                    continue
            elif item is None or item == "" or (key == "emergency" and item is False):
                continue
            out[key] = item
        return out
    if isinstance(value, list):
        kept = []
        for item in value:
            if isinstance(item, (dict, list)):
                item = _prune(item)
                if not item:
                    continue
            elif item is None or item == "":
                continue
            kept.append(item)
        return kept
    return value
