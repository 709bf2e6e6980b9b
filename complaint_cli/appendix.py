"""The penalty appendix «Расчёт неустойки»: a signed table attached to the repeat claim and to the court claim.

ГПК ст. 132 asks for the calculation of the sums sought; the repeat claim demands the penalty as of a date. The
appendix puts every penalty the legal analysis (:mod:`complaint_cli.law.analysis`, :mod:`complaint_cli.law.penalties`)
counts on that date into one table — norm with its пункт, base, rate, period, days (hours), cap, sum — with the
total. Nothing here decides law: every figure is a field of an analysis :class:`~complaint_cli.law.penalties.PenaltyLine`.

The court claim keeps its own sheet «РАСЧЁТ взыскиваемых денежных сумм» (:func:`complaint_cli.court.calculation_lines`):
it adds up the price of the claim (principal + penalties) and the sums outside it (moral damages, the fine, costs);
its penalty lines carry the same amounts from the same analysis and refer to this appendix for the day count.

No appendix is produced when no penalty has started on the date (nothing owed, or not owed at all: the analysis'
``not_owed`` says why — e.g. ст. 23.1 against an aggregator without the seller, law.md §0b.9).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from complaint_cli.law.analysis import Analysis, PenaltyLine, _end
from complaint_cli.law.calc import percent
from complaint_cli.law.deadlines import Deadline, fmt_date
from complaint_cli.language import bind_legal, initials
from complaint_cli.model import Case
from complaint_cli.money import days_phrase, format_amount, format_short, hours_phrase

TEMPLATE = "penalty.docx"
TITLE = "Расчёт неустойки"

PENALTY_APPENDIX_VARIABLES: dict[str, str] = {
    "subtitle": "«по заказу № … от ДД.ММ.ГГГГ (по состоянию на ДД.ММ.ГГГГ)»",
    "claimant.full_name": "ФИО потребителя",
    "debtors": "кто уплачивает неустойку: «Должник: ООО …» или по строкам, если должников двое",
    "basis": "претензия и последний день срока удовлетворения требований, или пусто",
    "rows": "строки таблицы: .number, .norm (норма с пунктом), .what (за что), .debtor (должник или пусто), "
    ".base (база, руб.), .base_name (от чего), .rate (ставка в день или в час), .start / .end (начало и конец "
    "периода ДД.ММ.ГГГГ, с часами при почасовой неустойке), .count (дней или часов), .cap (предел, руб., или "
    "«не установлен»), .cap_note (применён / не достигнут), .amount (сумма, руб.), .raw_note (начислено без предела "
    "или пусто)",
    "total": "итого неустойка, руб.",
    "total_words": "итого цифрами и прописью",
    "formulas": "порядок расчёта по строкам: «1. 3 % × 199,00 руб. × 2 часа = 11,94 руб.»",
    "accrual": "что неустойка начисляется дальше и её пределы, или пусто",
    "pending": "неустойки, которые ещё не начали начисляться (с какого дня), или пустой список",
    "signer_role": "«Представитель по доверенности» или пусто",
    "signature": "инициалы и фамилия подписывающего",
    "date": "дата расчёта ДД.ММ.ГГГГ (--on)",
}


def started(sums: Analysis) -> list[PenaltyLine]:
    """The penalties counted on the analysis date (those in the table)."""
    return [line for line in sums.penalties if line.started]


def appendix_reason(sums: Analysis, *, why: bool = True) -> str | None:
    """Why no appendix is produced (Russian, for the console), or None when there is one to produce. ``why=False``
    leaves out the analysis' own reasons (``not_owed``) when the console already shows them."""
    if started(sums):
        return None
    pending = [line for line in sums.penalties if not line.started]
    if pending:
        when = "; ".join(f"по {line.short} — с {fmt_date(line.start)}" for line in pending)
        return (f"Расчёт неустойки не составлен: на {fmt_date(sums.on)} неустойка ещё не начисляется ({when}, если "
                "требования не будут удовлетворены в срок).")
    if not sums.not_owed:
        return "Расчёт неустойки не составлен: по обстоятельствам дела неустойка не начисляется."
    if not why:
        return "Расчёт неустойки не составлен: неустойка по делу не начисляется (почему — сказано выше)."
    return bind_legal("Расчёт неустойки не составлен: неустойка по делу не начисляется. " + " ".join(sums.not_owed))


def appendix_title(on: dt.date) -> str:
    """How the letters list the appendix among their attachments."""
    return f"{TITLE} по состоянию на {fmt_date(on)}"


def _base_name(line: PenaltyLine) -> str:
    """«цена услуги по доставке» from the analysis' genitive label «цены услуги по доставке (199,00 руб.)»."""
    label = line.base_label.rsplit(" (", 1)[0]
    first, _, rest = label.partition(" ")
    nominative = {"цены": "цена", "суммы": "сумма", "стоимости": "стоимость"}.get(first)
    return f"{nominative} {rest}".strip() if nominative else f"от {label}"


def _rate(line: PenaltyLine) -> str:
    return f"{percent(line.rate)} {'в час' if line.unit == 'hour' else 'в день'}"


def _bounds(line: PenaltyLine) -> tuple[str, str]:
    if line.unit == "hour" and line.start_at and line.end_at:
        return (f"{fmt_date(line.start_at.date())} {line.start_at:%H:%M}", f"{fmt_date(line.end_at.date())} "
                f"{line.end_at:%H:%M}")
    return fmt_date(line.start), fmt_date(line.end) if line.end else ""


def _row(number: int, line: PenaltyLine, debtor: str) -> dict[str, Any]:
    start, end = _bounds(line)
    if line.cap is None:
        cap, cap_note = "не установлен", ""
    else:
        cap, cap_note = format_short(line.cap), ("применён" if line.capped else "не достигнут")
    return {
        "number": number,
        "norm": bind_legal(line.article),
        "what": bind_legal(line.what),
        "debtor": debtor,
        "base": format_short(line.base),
        "base_name": _base_name(line),
        "rate": bind_legal(_rate(line)),
        "start": start,
        "end": end,
        "count": hours_phrase(line.count) if line.unit == "hour" else days_phrase(line.count),
        "cap": cap,
        "cap_note": cap_note,
        "amount": format_short(line.amount),
        "raw_note": f"начислено {format_short(line.raw)}" if line.capped else "",
    }


def _signer(case: Case) -> tuple[str, str]:
    from complaint_cli.claim import claimant_context

    rep = case.representative if case.representative and case.representative.full_name else None
    if rep is not None:
        return "Представитель по доверенности", initials(rep.full_name)  # type: ignore[arg-type]
    return "", claimant_context(case)["signature"]


def penalty_appendix_context(case: Case, deadline: Deadline | None, sums: Analysis, on: dt.date) -> dict[str, Any]:
    """The context of ``templates/penalty.docx`` (see :data:`PENALTY_APPENDIX_VARIABLES`).

    ``sums`` is the analysis as of ``on`` (escalation.escalation_sums); ``deadline`` defaults to its own. Raises
    :class:`~complaint_cli.errors.ComplaintError` with :func:`appendix_reason` when no penalty has started.
    """
    from complaint_cli.court import accrual_sentence, penalty_paragraph
    from complaint_cli.errors import ComplaintError

    reason = appendix_reason(sums)
    if reason is not None:
        raise ComplaintError(reason)
    deadline = deadline or sums.deadline
    lines = started(sums)
    parties = {line.liable: sums.liable_party(line.liable).name for line in lines}
    several = len(set(parties.values())) > 1
    rows = [_row(i, line, parties[line.liable] if several else "") for i, line in enumerate(lines, 1)]
    if several:
        by_party: dict[str, list[str]] = {}
        for row, line in zip(rows, lines):
            by_party.setdefault(parties[line.liable], []).append(str(row["number"]))
        debtors = "Должники: " + "; ".join(
            f"{name} — {'строка' if len(nums) == 1 else 'строки'} {', '.join(nums)}" for name, nums in by_party.items())
    else:
        debtors = f"Должник: {next(iter(parties.values()))}"
    o = case.order
    number = f"№ {o.number}" if o.number else "без номера"
    subtitle = f"по заказу {number}" + (f" от {fmt_date(o.date)}" if o.date else "") + \
        f" (по состоянию на {fmt_date(on)})"
    basis = ""
    claim_date = sums.claim_date or case.submission.sent_on
    if claim_date and deadline is not None and deadline.last_day is not None:
        basis = (f"Претензия от {fmt_date(claim_date)}; последний день срока удовлетворения требований — "
                 f"{fmt_date(deadline.last_day)}.")
    total = sum((line.amount for line in lines), Decimal("0.00"))
    signer_role, signature = _signer(case)
    from complaint_cli.claim import claimant_context

    return {
        "subtitle": subtitle,
        "claimant": {"full_name": claimant_context(case)["full_name"]},
        "debtors": bind_legal(debtors),
        "basis": bind_legal(basis),
        "rows": rows,
        "total": format_short(total),
        "total_words": format_amount(total),
        "formulas": [bind_legal(f"{i}. {_end(line.formula())}") for i, line in enumerate(lines, 1)],
        "accrual": accrual_sentence(lines),
        "pending": [penalty_paragraph(line) for line in sums.penalties if not line.started],
        "signer_role": signer_role,
        "signature": signature,
        "date": fmt_date(on),
    }


def render_penalty_appendix(context: dict[str, Any], templates_dir: Path | None = None) -> bytes:
    """The appendix as .docx bytes; a templates folder without ``penalty.docx`` falls back to the bundled one."""
    from complaint_cli.render import load_template

    own = templates_dir if templates_dir is not None and (Path(templates_dir) / TEMPLATE).is_file() else None
    return load_template(TEMPLATE, own).render(context)


def penalty_appendix_bytes(case: Case, on: dt.date, *, analysis: Analysis | None = None,
                           templates_dir: Path | None = None) -> bytes | None:
    """The appendix of a validated case as of ``on`` (for ``batch``, row by row), or None when no penalty has started
    (:func:`appendix_reason` says why)."""
    from complaint_cli.law.analysis import analyze

    sums = analysis or analyze(case, on)
    if appendix_reason(sums) is not None:
        return None
    return render_penalty_appendix(penalty_appendix_context(case, sums.deadline, sums, on), templates_dir)
