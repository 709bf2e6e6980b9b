"""The one validation path: raw data (wizard answers, a case file, a batch row) -> ``Case`` + every problem at once.

Steps, each reporting by dotted field path (``order.number``, ``demands.0.amount``):
1. clean every string (control characters removed with a warning naming the field);
2. validate with the pydantic model; a field that fails is reported and dropped, so that the rest can still be checked;
3. cross-field rules and completeness of the four elements of a claim (personal data, order, substance, demands).
Doubtful but possible data is a warning, never an error.
"""

from __future__ import annotations

import re

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from complaint_cli.errors import InvalidCase, Problem
from complaint_cli.fields import CONTROL, parse_postcode, strip_control
from complaint_cli.model import DEMAND_LABELS, MONEY_DEMANDS, PROBLEM_LABELS, Case

# Completeness: what a claim cannot be sent without, grouped by the four elements of a claim.
REQUIRED_FIELDS: dict[str, str] = {
    "claimant.full_name": "укажите фамилию, имя и отчество",
    "claimant.address": "укажите почтовый адрес для ответа",
    "claimant.region": "укажите регион (субъект РФ) — нужен для жалобы в Роспотребнадзор",
    "claimant.phone": "укажите телефон для связи",
    "claimant.email": "укажите адрес электронной почты для ответа",
    "company.name": "укажите название организации (с ОПФ: ООО, АО, ИП)",
    "company.address": "укажите адрес организации",
    "order.number": "укажите номер заказа",
    "order.date": "укажите дату заказа",
    "order.amount": "укажите сумму заказа",
    "problem.kind": "выберите, что случилось",
    "problem.description": "опишите, что произошло",
    "submission.channel": "выберите способ отправки претензии",
}

_REQUIRED = "обязательное поле не заполнено"
_REQUIRED_PARTS = [(tuple(path.split(".")), (path, hint)) for path, hint in REQUIRED_FIELDS.items()]


@dataclass
class Report:
    """The outcome of validating one case: the best-effort case, every error and every warning."""

    case: Case
    errors: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.errors

    def error_fields(self) -> set[str]:
        return {p.field for p in self.errors}

    def raise_for_errors(self) -> Case:
        if self.errors:
            raise InvalidCase(self.errors)
        return self.case

    def as_dict(self) -> dict[str, Any]:
        return {
            "complete": self.complete,
            "errors": [p.as_dict() for p in self.errors],
            "warnings": list(self.warnings),
        }


def clean_strings(data: Any, path: str = "") -> tuple[Any, list[str]]:
    """Return a copy of ``data`` with control characters removed from every string, and a warning per field."""
    warnings: list[str] = []
    return _clean(data, path, warnings), warnings


def _clean(data: Any, path: str, warnings: list[str]) -> Any:
    if type(data) is str:
        if CONTROL.search(data) is None:  # nearly every value: nothing to remove, nothing to copy
            return data
    elif isinstance(data, dict):
        out = {}
        for key, value in data.items():
            if isinstance(key, str) and not key.isascii():  # a lone surrogate in a key (JSON "\ud800") would stop
                key = key.encode("utf-8", "replace").decode("utf-8")  # the validator itself
            if type(value) is str and CONTROL.search(value) is None:
                out[key] = value
            else:
                out[key] = _clean(value, f"{path}.{key}" if path else str(key), warnings)
        return out
    elif isinstance(data, list):
        return [_clean(value, f"{path}.{i}", warnings) for i, value in enumerate(data)]
    if isinstance(data, str):
        cleaned, changed = strip_control(data)
        if changed:
            warnings.append(f"{path}: удалены управляющие (невидимые) символы")
        return cleaned
    return data


def _path(loc: tuple) -> str:
    return ".".join(str(p) for p in loc)


# Sections about people: a value from them is never quoted back in a message (the README: no personal data in
# messages without --debug; they reach terminals, logs and batch reports).
PERSONAL_SECTIONS = frozenset({"claimant", "representative"})


def _translate(err: dict, personal: bool = False) -> str:
    """A pydantic error in Russian. Our own parsers already speak Russian (PydanticCustomError); for a ``personal``
    field a message quoting the value is replaced by its plain twin (:func:`complaint_cli.fields._quoting`)."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind in {"date_type", "date_format", "date_impossible", "time_format", "window_format", "yes_no", "money", "phone", "email", "inn", "ogrn"}:
        return ctx["plain"] if personal and "plain" in ctx else err["msg"]
    if kind == "missing":
        return _REQUIRED
    if kind == "extra_forbidden":
        return "неизвестное поле (проверьте написание ключа)"
    if kind == "string_too_long":
        return f"слишком длинный текст: не более {ctx.get('max_length')} символов"
    if kind in {"enum", "literal_error"}:
        expected = ctx.get("expected", "").replace(" or ", ", ")
        if personal:
            return f"недопустимое значение; допустимо: {expected}"
        return f"недопустимое значение «{str(err.get('input'))[:60]}»; допустимо: {expected}"
    if kind in {"greater_than", "greater_than_equal"}:
        return f"значение должно быть больше {ctx.get('gt', ctx.get('ge'))}"
    if kind in {"less_than", "less_than_equal"}:
        return f"значение должно быть не больше {ctx.get('lt', ctx.get('le'))}"
    if kind in {"int_parsing", "int_type", "int_from_float", "decimal_parsing", "decimal_type", "float_parsing"}:
        return "ожидается число"
    if kind in {"bool_parsing", "bool_type"}:
        return "ожидается «да» или «нет» (true/false)"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return "ожидается набор полей (раздел), а не одно значение"
    if kind == "list_type":
        return "ожидается список"
    if kind in {"string_type", "string_sub_type"}:
        return "ожидается текст"
    return "недопустимое значение"


def _drop(data: Any, loc: tuple) -> None:
    """Remove the value at ``loc`` so the rest of the case can still be validated."""
    target = data
    for key in loc[:-1]:
        try:
            target = target[key]
        except (KeyError, IndexError, TypeError):
            return
    last = loc[-1]
    if isinstance(target, dict):
        target.pop(last, None)
    elif isinstance(target, list) and isinstance(last, int) and last < len(target):
        # A section (dict) is emptied in place so later indices stay put; a bad value in a list of values
        # (problem.also) is marked and removed before the next round, never reported twice.
        target[last] = {} if isinstance(target[last], dict) else _DROPPED


_DROPPED = object()


def _without_dropped(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_dropped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_dropped(v) for v in value if v is not _DROPPED]
    return value


def build_case(data: Any) -> tuple[Case, list[Problem], list[str]]:
    """Clean and validate raw data into the best-effort ``Case`` and the format errors of its fields."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return Case(), [Problem("(дело)", "ожидается набор разделов: claimant, company, order, …")], []
    data, warnings = clean_strings(data)
    problems: list[Problem] = []
    for _ in range(50):
        try:
            return Case.model_validate(data), problems, warnings
        except ValidationError as exc:
            for err in exc.errors():
                loc = tuple(err["loc"])
                # Pydantic reports union members separately; the parser's own message is the one to show.
                loc = tuple(p for p in loc if not (isinstance(p, str) and p.startswith(("function-", "decimal"))))
                problem = Problem(_path(loc) or "(дело)", _translate(err, bool(loc) and loc[0] in PERSONAL_SECTIONS))
                if problem not in problems:
                    problems.append(problem)
                _drop(data, loc)
            data = _without_dropped(data)
    return Case(), problems, warnings  # pragma: no cover - 50 rounds of dropping always converge


def check_case(case: Case, *, today: dt.date) -> tuple[list[Problem], list[str]]:
    """Cross-field rules and completeness. ``today`` is injected: dates may not lie in the future."""
    errors: list[Problem] = []
    warnings: list[str] = []

    def err(path: str, message: str) -> None:
        errors.append(Problem(path, message))

    _check_region(case, errors, warnings)  # first: it may fill claimant.region from the address
    if case.order.receipt is not None and case.order.receipt.qr:  # and the order's date and sum from the receipt
        from complaint_cli.receipt import merge_receipt

        merge_receipt(case, errors, warnings)
    for (section, key), (path, hint) in _REQUIRED_PARTS:
        value = getattr(getattr(case, section), key)
        if value is None or (isinstance(value, str) and not value.strip()):
            err(path, f"{_REQUIRED}: {hint}")

    c = case.claimant
    if c.full_name and len(c.full_name.split()) < 2:
        err("claimant.full_name", "нужны фамилия и имя (и отчество, если есть), например: Иванов Иван Иванович")
    elif c.full_name and not (c.name_genitive and c.name_dative):
        from complaint_cli.language import split_full_name

        try:
            split_full_name(c.full_name)
        except ValueError:
            warnings.append(
                "claimant.full_name: ФИО не склоняется автоматически и будет напечатано как есть; при необходимости "
                "укажите падежные формы в claimant.name_genitive и claimant.name_dative"
            )
    if c.birth_date and (c.birth_date >= today or c.birth_date.year < 1900):
        err("claimant.birth_date", "неверная дата рождения")

    o = case.order
    for path, value in (
        ("order.date", o.date),
        ("submission.sent_on", case.submission.sent_on),
        ("submission.received_on", case.submission.received_on),
        ("problem.discovered_on", case.problem.discovered_on),
    ):
        if value and value > today:
            err(path, f"дата {value:%d.%m.%Y} ещё не наступила")
    s = case.submission
    if o.date and s.sent_on and s.sent_on < o.date:
        err("submission.sent_on", "претензия не может быть отправлена раньше даты заказа")
    if s.sent_on and s.received_on and s.received_on < s.sent_on:
        err("submission.received_on", "претензия не может быть получена раньше, чем отправлена")
    if o.date and s.received_on and not s.sent_on and s.received_on < o.date:
        err("submission.received_on", "претензия не может быть получена раньше даты заказа")
    if o.date and o.delivery_due and o.delivery_due < o.date:
        err("order.delivery_due", "срок доставки не может быть раньше даты заказа")
    if o.date and case.problem.discovered_on and case.problem.discovered_on < o.date:
        err("problem.discovered_on", "проблема не может быть обнаружена раньше даты заказа")

    for path, value in (("order.amount", o.amount), ("order.delivery_fee", o.delivery_fee)):
        if value is not None and value <= 0:
            err(path, "сумма должна быть больше нуля")
    for i, item in enumerate(o.items):
        if not item.name:
            err(f"order.items.{i}.name", f"{_REQUIRED}: название товара")
        if item.price is not None and item.price <= 0:
            err(f"order.items.{i}.price", "цена должна быть больше нуля")
    if o.amount and o.items and all(it.price is not None for it in o.items):
        total = sum((it.price * (it.quantity or 1) for it in o.items), Decimal(0))
        # The wizard asks only for the items with a problem, so fewer items than the order is normal; more is not.
        if total > o.amount and total + (o.delivery_fee or 0) != o.amount:
            warnings.append(
                f"order.amount: сумма заказа ({o.amount}) меньше суммы товаров ({total.quantize(Decimal('0.01'))}); "
                "проверьте чек"
            )

    if not case.demands:
        err("demands", f"{_REQUIRED}: укажите хотя бы одно требование")
    for i, demand in enumerate(case.demands):
        base = f"demands.{i}"
        if demand.kind is None:
            err(f"{base}.kind", f"{_REQUIRED}: выберите требование")
            continue
        kind = demand.kind.value
        if demand.amount is not None and demand.amount <= 0:
            err(f"{base}.amount", "сумма должна быть больше нуля")
        if kind in MONEY_DEMANDS - {"moral_damages"} and demand.amount is None and _derived(case, i) is None:
            err(f"{base}.amount", f"{_REQUIRED}: укажите сумму требования «{DEMAND_LABELS[kind]}»")
        if kind == "other" and not demand.text:
            err(f"{base}.text", f"{_REQUIRED}: сформулируйте требование своими словами")
        if demand.amount and o.amount and kind in {"refund", "price_reduction"} and demand.amount > o.amount:
            warnings.append(f"{base}.amount: сумма требования больше суммы заказа — проверьте")

    if o.delivered_on:
        if o.delivered_on > today:
            err("order.delivered_on", f"дата {o.delivered_on:%d.%m.%Y} ещё не наступила")
        if o.date and o.delivered_on < o.date:
            err("order.delivered_on", "заказ не может быть доставлен раньше даты заказа")
    if o.delivered_at and not o.delivered_on:
        err("order.delivered_on", f"{_REQUIRED}: дата, когда привезли заказ (время указано в order.delivered_at)")
    # An order placed after its own delivery slot, or after it arrived, is a typo — or the time of a receipt printed
    # on delivery (a prepaid order's full-payment receipt often is): the letter would state an impossible fact.
    receipt_hint = ("; если дата и время взяты из кассового чека (order.receipt), это может быть время чека, "
                    "пробитого при доставке, — укажите, когда заказ был оформлен") if o.receipt else ""
    if o.time and o.date and o.delivery_window and o.delivery_due == o.date:
        end = o.delivery_window.split("–")[1]
        if _minutes(o.time) >= _minutes(end):
            err("order.time", f"заказ в {o.time} не мог быть оформлен на интервал доставки {o.delivery_window} "
                              f"того же дня{receipt_hint}")
    if o.time and o.date and o.delivered_at and o.delivered_on == o.date and _minutes(o.time) > _minutes(o.delivered_at):
        err("order.time", f"заказ в {o.time} не мог быть оформлен позже, чем его привезли ({o.delivered_at})"
                          f"{receipt_hint}")
    if o.delivery_window and not o.delivery_due:
        err("order.delivery_due", f"{_REQUIRED}: дата, на которую обещан интервал доставки {o.delivery_window}")
    for i, item in enumerate(o.items):
        if item.affected_quantity is not None and item.quantity is not None and item.affected_quantity > item.quantity:
            err(f"order.items.{i}.affected_quantity", "не может быть больше количества товара в заказе")
        if item.affected_quantity is not None and item.issue is None:
            err(f"order.items.{i}.issue", f"{_REQUIRED}: что не так с товаром (количество указано в affected_quantity)")
    kinds = case.problem_kinds()
    p = case.problem
    if "late_delivery" in kinds and not o.delivery_due:
        warnings.append("order.delivery_due: без обещанной даты доставки неустойку по ст. 23.1 не рассчитать")
    for i, item in enumerate(o.items):
        if item.issue is not None and item.issue.value not in kinds:
            warnings.append(f"order.items.{i}.issue: проблема «{PROBLEM_LABELS[item.issue.value]}» не указана среди "
                            "проблем заказа (problem.kind, problem.also) — она добавлена в претензию")
    from complaint_cli.law.roles import QUALITY_PROBLEMS, is_aggregator

    late_goods = "missing_items" in kinds or ("late_delivery" in kinds and o.delivery_due is not None and (
        o.delivered_on is None or o.delivered_on > o.delivery_due))
    aggregator = case.seller is None and is_aggregator(case.company)
    if aggregator and late_goods and not QUALITY_PROBLEMS & set(kinds):
        warnings.append(
            "seller: компания — владелец агрегатора; неустойка за непереданный в срок товар (п. 3 ст. 23.1 Закона РФ "
            "«О защите прав потребителей») — ответственность продавца из кассового чека. Укажите продавца — название "
            "и адрес из чека (в файле дела: seller.name, seller.address), чтобы неустойка была заявлена ему; без него она заявляется сервису"
        )
    if aggregator and QUALITY_PROBLEMS & set(kinds):
        warnings.append(
            "seller: компания — владелец агрегатора, а за качество товара отвечает продавец из кассового чека "
            "(п. 2.2 ст. 12 Закона РФ «О защите прав потребителей»). Укажите продавца — название и адрес из "
            "чека (в файле дела: seller.name, seller.address): без него претензию можно направить агрегатору, но иск о качестве товара к агрегатору не составляется"
        )
    if p.description and len(p.description.strip()) < 15:
        warnings.append("problem.description: описание очень короткое — опишите, что и когда произошло")
    if case.seller is not None:
        if not case.seller.name:
            err("seller.name", f"{_REQUIRED}: продавец из чека")
        if not case.seller.address:
            err("seller.address", f"{_REQUIRED}: адрес продавца из чека")
    for i, ev in enumerate(case.evidence):
        if not ev.description:
            err(f"evidence.{i}.description", f"{_REQUIRED}: что это за доказательство")
    _check_photo_dates(case, today, warnings)
    from complaint_cli.language import has_legal_form

    for path, party in (("company.name", case.company), ("seller.name", case.seller)):
        if party is not None and party.name and not has_legal_form(party.name):
            warnings.append(f"{path}: {LEGAL_FORM_MISSING}")
    channel = case.submission.channel.value if case.submission.channel else None
    if channel == "post" and case.claimant.address and parse_postcode(case.claimant.address) is None:
        warnings.append(f"claimant.address: {POSTCODE_MISSING}")
    if channel == "email" and not case.company.email:
        warnings.append(f"company.email: {COMPANY_EMAIL_MISSING}")
    name = case.company.name or ""
    if name and "«" not in name and '"' not in name and not name.upper().startswith(("ИП ", "ИНДИВИДУАЛЬНЫЙ")):
        warnings.append("company.name: название организации обычно пишут в кавычках: ООО «Ромашка»")
    if case.bank is not None and case.bank.card:  # a mask only, never the full card number (escalate --only bank)
        from complaint_cli.bank import card_problem

        if (message := card_problem(case.bank.card)) is not None:
            err("bank.card", message)
    return errors, warnings


def _check_photo_dates(case: Case, today: dt.date, warnings: list[str]) -> None:
    """A typed capture date after the claim or before the order (probably the wrong photo); a time without a date.
    The files' own EXIF times are checked when the claim is rendered (evidence.photo_warnings)."""
    from complaint_cli.photos import range_notes

    for i, ev in enumerate(case.evidence):
        if ev.taken_on is not None:
            warnings.extend(range_notes(f"evidence.{i}.taken_on", "в деле указано, что снимок сделан", ev.taken_on,
                                        case.order.date, case.submission.sent_on or today))
        elif ev.taken_at is not None:
            warnings.append(f"evidence.{i}.taken_at: время съёмки без даты (taken_on) в письме не указывается — "
                            "добавьте дату")


LEGAL_FORM_MISSING = ("в начале названия нет организационно-правовой формы (ООО, АО, ПАО, ИП…): возьмите её из "
                      "чека или раздела «Реквизиты» на сайте — без неё адресат претензии не определён точно")
POSTCODE_MISSING = ("в адресе нет почтового индекса (6 цифр): претензия уходит почтой, ответ без индекса может не "
                    "дойти")
COMPANY_EMAIL_MISSING = ("претензия уходит по электронной почте, а адрес компании не указан. Его пишут в оферте "
                         "(пользовательском соглашении), в разделах «Контакты» или «Реквизиты» на сайте и в "
                         "приложении; адрес чата поддержки не подойдёт")
# Warnings the wizard does not let pass: its questions ask for exactly this (a case file keeps them as warnings).
WIZARD_STRICT = (LEGAL_FORM_MISSING, POSTCODE_MISSING, COMPANY_EMAIL_MISSING)


def _derived(case: Case, index: int):
    """The sum the analysis takes for a demand left without one (the items' prices, the delivery fee), or None."""
    from complaint_cli.law.analysis import default_amount

    try:
        return default_amount(case, index)
    except Exception:  # noqa: BLE001 - an incomplete case: the field is simply required
        return None


def _check_region(case: Case, errors: list[Problem], warnings: list[str]) -> None:
    from complaint_cli.errors import ComplaintError
    from complaint_cli.law.regions import find_region, region_from_address

    c = case.claimant
    if c.region:
        try:
            find_region(c.region)
        except ComplaintError as exc:  # without the value as typed (it may be a whole address); suggestions stay
            shown = " ".join(c.region.split())
            message = exc.message if shown.isdigit() else exc.message.replace(f" «{shown}»", "")  # a code is no one's
            errors.append(Problem("claimant.region", message))
    elif c.address:
        region = region_from_address(c.address)
        if region is not None:
            c.region = region.name
            warnings.append(f"claimant.region: регион определён по адресу — {region.name}")


def validate_data(data: Any, *, today: dt.date | None = None, receipt_folder: Path | None = None) -> Report:
    """Validate raw data (from any source) into a ``Report`` with every problem at once.

    ``receipt_folder``: a batch's input folder. A row naming a receipt file there (``order.receipt.file``) and no
    ``order.receipt.qr`` has the file's QR code read first (:func:`complaint_cli.receipt.prepare_data`); other rows,
    and every other caller, read no file.
    """
    today = today or dt.date.today()
    read_errors: list[Problem] = []
    read_warnings: list[str] = []
    if receipt_folder is not None and isinstance(data, dict) and isinstance(data.get("order"), dict) and isinstance(
            data["order"].get("receipt"), dict):
        from complaint_cli.receipt import prepare_data

        data, read_errors, read_warnings = prepare_data(data, receipt_folder)
    case, problems, warnings = build_case(data)
    errors, more_warnings = check_case(case, today=today)
    problems = read_errors + problems
    seen = {p.field for p in problems}
    # A field whose format was wrong is also "missing" now: report it once, with the format message.
    merged = problems + [e for e in errors if e.field not in seen]
    return Report(case=case, errors=merged, warnings=read_warnings + warnings + more_warnings)


def problem_label(kind: str | None) -> str:
    return PROBLEM_LABELS.get(kind or "", "")


def _minutes(clock: str) -> int:
    """«19:15» → 1155 (a TimeField is always «ЧЧ:ММ»)."""
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)

