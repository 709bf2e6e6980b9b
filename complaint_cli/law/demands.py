"""The demands of a case as the law reads them: what each is about, its wording, basis and statutory term.

Part of the legal analysis (:mod:`complaint_cli.law.analysis`): a demand is assigned to a violation and a subject
(the delivery fee, the goods' prepayment, the missing items, the price of defective goods, losses…), worded for what
it is (a refund of a fee is not a price reduction of the goods) and given its rule from ``data/terms.yaml``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from complaint_cli import yamlio
from complaint_cli.law.deadlines import DemandRule, Ground, demand_rule
from complaint_cli.law.facts import (
    LAW,
    Delivery,
    Violation,
    _items,
    _quoted,
    _sum_items,
    case_kinds,
    delivery_facts,
)
from complaint_cli.language import Verbatim, user_words
from complaint_cli.law.roles import QUALITY_PROBLEMS, Roles
from complaint_cli.model import MONEY_DEMANDS, Case
from complaint_cli.money import format_amount

# Which problem a demand most likely concerns when the case does not say (first present wins).
_REFUND_ORDER = ("expired_goods", "poor_quality", "wrong_items", "missing_items", "late_delivery", "overcharge",
                 "refund_not_received")


@functools.cache
def _data() -> dict[str, Any]:
    return yamlio.bundled("terms.yaml")


def fee_rule() -> DemandRule:
    """The rule of a demand about the delivery fee (ст. 31 п. 1 term, ст. 31 п. 3 penalty)."""
    spec = _data()["delivery_fee_demand"]
    return DemandRule(
        problem_kind="late_delivery", demand_kind="delivery_fee", days=spec["days"],
        article=" ".join(spec["article"].split()), penalty_norm=str(spec["penalty_norm"]),
        confidence=str(spec["confidence"]), note=" ".join(spec.get("note", "").split()),
        grounds=tuple(Ground(" ".join(g["text"].split()), str(g["confidence"])) for g in spec.get("grounds", ())),
    )


_MISSING_HEAD = "В связи с непередачей оплаченных товаров"


@dataclass(frozen=True)
class DemandLine:
    """One demand of the claim, worded for what it is, with its basis and term."""

    number: int
    kind: str
    problem: str
    subject: str  # prepayment | missing_goods | goods | goods_price | delivery_fee | losses | moral | replacement |
    #              deliver | apology | overcharge | refund | other
    amount: Decimal | None
    text: str
    rule: DemandRule
    liable: str  # "seller" or "company"
    label: str  # what is recovered, for the court's prayer (accusative: «плату за доставку заказа»)
    label_nominative: str = ""  # the same for the calculation's lines («Плата за доставку заказа»)

    @property
    def repeat_text(self) -> str:
        """The demand as a repeat claim states it: the refusal of the contract was declared in the first claim."""
        for declared in ("отказываюсь от исполнения договора купли-продажи и требую вернуть",
                         "отказываюсь от исполнения договора в этой части и требую вернуть",
                         "отказываюсь от исполнения договора об оказании этой услуги и требую вернуть"):
            tool = self.text.segments[0][0] if isinstance(self.text, Verbatim) else self.text
            if declared in tool:
                head, tail = tool.split(declared, 1)
                # The pronoun pointed at what the cut-off head named: name it again («за неё» — the delivery service,
                # «за них» — the goods not handed over, with their list).
                tail = tail.replace(" уплаченную за неё плату", " плату, уплаченную за услугу по доставке заказа", 1)
                if " за них " in tail and head.startswith(_MISSING_HEAD):
                    items = head[len(_MISSING_HEAD):].strip()
                    tail = tail.replace(" за них ", f" за непереданные товары{' ' + items if items else ''} ", 1)
                said = "Вернуть" + tail.rstrip(".") + "; об отказе от исполнения договора заявлено в претензии."
                if isinstance(self.text, Verbatim):  # the user's own words follow, as typed
                    return Verbatim((said, False), *self.text.segments[1:])
                return said
        return self.text

    @property
    def words(self) -> str:
        """A few plain words for the guide, the review and the wizard («вернуть плату за доставку»)."""
        if self.subject == "delivery_fee" and "уменьшить цену" in self.text:
            return "уменьшить цену доставки"
        return SUBJECT_WORDS.get(self.subject) or self.text.rstrip(".")

    @property
    def money(self) -> bool:
        return self.kind in MONEY_DEMANDS and self.kind != "moral_damages" and self.amount is not None

    @property
    def losses(self) -> bool:
        return self.kind == "compensation"


def _assign(case: Case, index: int, kinds: list[str], d: Delivery) -> tuple[str, str]:
    """(problem, subject) of demand ``index``: what the demand is about."""
    dem = case.demands[index]
    kind = dem.kind.value if dem.kind else "other"
    fee = case.order.delivery_fee
    explicit = getattr(dem, "problem", None)
    problem = explicit.value if explicit is not None else None
    if problem is None:
        if kind in {"refund", "price_reduction"} and "late_delivery" in kinds and fee and dem.amount == fee:
            problem = "late_delivery"
        elif kind == "price_reduction" and "late_delivery" in kinds and not (QUALITY_PROBLEMS & set(kinds)):
            problem = "late_delivery"
        elif kind in {"refund", "price_reduction", "compensation"}:
            by_amount = [k for k in kinds if dem.amount is not None and _sum_items(_items(case, k)) == dem.amount]
            present = [k for k in _REFUND_ORDER if k in kinds]
            problem = (by_amount or present or kinds or ["other"])[0]
        elif kind == "replacement":
            problem = next((k for k in kinds if k in QUALITY_PROBLEMS), (kinds or ["other"])[0])
        elif kind == "deliver":
            problem = next((k for k in ("missing_items", "late_delivery") if k in kinds), (kinds or ["other"])[0])
        else:
            problem = (kinds or ["other"])[0]
    subject = {"compensation": "losses", "moral_damages": "moral", "replacement": "replacement",
               "deliver": "deliver", "apology": "apology", "other": "other"}.get(kind, "")
    if not subject:
        if problem == "late_delivery":
            fee_like = fee is not None and (dem.amount == fee or (d.delivered and (dem.amount or fee) <= fee))
            subject = "delivery_fee" if fee_like or kind == "price_reduction" else "prepayment"
        elif problem == "missing_items":
            subject = "missing_goods"
        elif problem in QUALITY_PROBLEMS:
            subject = "goods_price" if kind == "price_reduction" else "goods"
        elif problem == "overcharge":
            subject = "overcharge"
        else:
            subject = "refund"
    return problem, subject


def default_amount(case: Case, index: int) -> Decimal | None:
    """The sum of a money demand the user left empty: the affected items' prices, or the delivery fee."""
    kinds = case_kinds(case)
    dem = case.demands[index]
    if dem.amount is not None or dem.kind is None or dem.kind.value not in {"refund", "price_reduction"}:
        return dem.amount
    problem, subject = _assign(case, index, kinds, delivery_facts(case))
    if subject == "delivery_fee":
        return case.order.delivery_fee
    if dem.kind.value == "refund":
        return _sum_items(_items(case, problem))
    return None


def _money(amount: Decimal | None) -> str:
    return f" в размере {format_amount(amount)}" if amount is not None else ""


def _what_items(v: Violation | None) -> str:
    if v is None or not v.items:
        return ""
    names = ", ".join(_quoted(i.name) for i in v.items)
    return f" ({names})"


# What each demand's money is, for the court: (accusative — «взыскать …», nominative — the calculation's lines).
_LABELS = {
    "delivery_fee": ("плату за доставку заказа", "Плата за доставку заказа"),
    "delivery_fee_reduction": ("денежные средства в счёт уменьшения цены услуги по доставке",
                               "Уменьшение цены услуги по доставке"),
    "prepayment": ("предварительно уплаченную за товар сумму", "Предварительно уплаченная за товар сумма"),
    "missing_goods": ("предварительно уплаченную за непереданные товары сумму",
                      "Предварительно уплаченная за непереданные товары сумма"),
    "goods": ("уплаченную за товар ненадлежащего качества сумму", "Уплаченная за товар ненадлежащего качества сумма"),
    "goods_price": ("денежные средства в счёт соразмерного уменьшения покупной цены товара",
                    "Соразмерное уменьшение покупной цены товара"),
    "overcharge": ("излишне списанные денежные средства", "Излишне списанные денежные средства"),
    "refund": ("уплаченные денежные средства", "Уплаченные денежные средства"),
    "losses": ("убытки", "Убытки"),
}
# The same demands in a few plain words (guide, review, wizard).
SUBJECT_WORDS = {
    "prepayment": "вернуть предоплату за непереданный товар", "delivery_fee": "вернуть плату за доставку",
    "missing_goods": "вернуть деньги за непереданные товары", "goods": "вернуть деньги за товар",
    "goods_price": "уменьшить цену товара", "losses": "возместить убытки", "moral": "компенсировать моральный вред",
    "replacement": "заменить товар", "deliver": "передать оплаченный товар",
    "apology": "извиниться и провести проверку", "overcharge": "вернуть излишне списанные деньги",
    "refund": "вернуть деньги",
}


def _demand_text(kind: str, subject: str, amount: Decimal | None, v: Violation | None, aggregator: bool,
                 user_text: str | None, delivered: bool = False) -> tuple[str, str, str]:
    """The demand as the letter states it, and what is recovered (court prayer, calculation)."""
    m = _money(amount)
    items = _what_items(v)
    key = subject
    if subject == "delivery_fee":
        if delivered or (kind == "price_reduction" and amount is not None):
            # The service was performed late: the remedy is a reduction of its price (ст. 28 п. 1), down to zero.
            key = "delivery_fee_reduction"
            text = (f"В связи с нарушением срока оказания услуги по доставке уменьшить цену этой услуги на "
                    f"{format_amount(amount) if amount is not None else 'соразмерную сумму'} и вернуть мне эту сумму "
                    f"(п. 1 ст. 28 {LAW}).")
        else:
            text = (f"В связи с нарушением срока оказания услуги по доставке отказываюсь от исполнения договора об "
                    f"оказании этой услуги и требую вернуть уплаченную за неё плату{m} (п. 1 ст. 28 {LAW}).")
    elif subject == "prepayment":
        basis = "п. 2 ст. 23.1" + (" и п. 2.4 ст. 12" if aggregator else "")
        text = (f"В связи с нарушением срока передачи товара отказываюсь от исполнения договора купли-продажи и "
                f"требую вернуть предварительно уплаченную за товар сумму{m} ({basis} {LAW}).")
    elif subject == "missing_goods":
        basis = "п. 2 ст. 23.1" + (" и п. 2.4 ст. 12" if aggregator else "")
        text = (f"В связи с непередачей оплаченных товаров{items} отказываюсь от исполнения договора в этой части и "
                f"требую вернуть предварительно уплаченную за них сумму{m} ({basis} {LAW}).")
    elif subject == "goods":
        text = (f"В связи с отказом от исполнения договора купли-продажи в отношении товара ненадлежащего "
                f"качества{items} вернуть уплаченную за него сумму{m} (п. 1 ст. 18 {LAW}).")
    elif subject == "goods_price":
        text = (f"Соразмерно уменьшить покупную цену товара ненадлежащего качества{items}"
                + (f" на {format_amount(amount)} и вернуть мне эту сумму" if amount is not None else "")
                + f" (п. 1 ст. 18 {LAW}).")
    elif subject == "overcharge":
        text = f"Вернуть излишне списанные денежные средства{m} (ст. 1102 ГК РФ)."
    elif subject == "refund":
        text = f"Вернуть уплаченные денежные средства{m}."
    elif subject == "losses":
        what = (user_text or "").strip().rstrip(".")
        basis = f" (п. 1 ст. 18 {LAW})" if v is not None and v.kind in QUALITY_PROBLEMS else ""
        if what and "\n" not in what:
            text = Verbatim(("Возместить причинённые мне убытки — ", False), (what[:1].lower() + what[1:], True),
                            (f" —{m}{basis}.", False))
            return text, *_LABELS["losses"]
        return f"Возместить причинённые мне убытки{m}{basis}.", *_LABELS["losses"]
    elif subject == "replacement":
        text = (f"Заменить товар ненадлежащего качества{items} на товар этой же марки (модели, артикула) надлежащего "
                f"качества (п. 1 ст. 18, ст. 21 {LAW}).")
    elif subject == "deliver":
        text = (f"Передать мне недостающие оплаченные товары{items} (п. 2 ст. 23.1 {LAW})." if v and
                v.kind == "missing_items" else f"Передать мне оплаченный товар (п. 2 ст. 23.1 {LAW}).")
    elif subject == "moral":
        text = f"Компенсировать причинённый мне моральный вред{m} (ст. 15 {LAW})."
    elif subject == "apology":
        text = ("Принести мне письменные извинения, провести служебную проверку по факту нарушения и сообщить мне о "
                "её результатах.")
    else:
        return user_words(_sentence(user_text or "")), "", ""
    extra = _sentence(user_text or "")
    acc, nom = _LABELS.get(key, ("", ""))
    return (Verbatim((text + " ", False), (extra, True)) if extra else text), acc, nom


def _sentence(text: str) -> str:
    """The user's own words as a sentence of their own: capitalised, closed by a full stop."""
    text = " ".join(text.split()) if "\n" not in text else text.strip()
    if not text:
        return ""
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?…" else text + "."


def _demands(case: Case, kinds: list[str], d: Delivery, violations: list[Violation], r: Roles) -> list[DemandLine]:
    out = []
    by_kind = {v.kind: v for v in violations}
    for i, dem in enumerate(case.demands):
        if dem.kind is None:
            continue
        problem, subject = _assign(case, i, kinds, d)
        amount = dem.amount if dem.amount is not None else default_amount(case, i)
        rule = fee_rule() if subject == "delivery_fee" else demand_rule(problem, dem.kind.value)
        v = by_kind.get(problem)
        text, label, nominative = _demand_text(dem.kind.value, subject, amount, v, r.aggregator, dem.text,
                                               delivered=d.delivered)
        liable = v.liable if v is not None and subject not in {"delivery_fee", "prepayment"} else "company"
        if subject == "moral":  # moral damages: from whoever breached; «both» when the seller and the aggregator did
            sides = {x.liable for x in violations}
            liable = sides.pop() if len(sides) == 1 else "both"
        out.append(DemandLine(i + 1, dem.kind.value, problem, subject, amount, text, rule, liable, label,
                              nominative))
    return out


def _term_key(x: DemandLine) -> str:
    return f"{x.number}"
