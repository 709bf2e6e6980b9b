"""The post-office kit: a ценное письмо с описью вложения и уведомлением о вручении, ready to hand in.

For one document of a case (the claim, the repeat claim, the Rospotrebnadzor complaint or the court claim) it makes

* the inventory of contents on form ф. 107 of АО «Почта России» (``Опись_вложения_Ф107_заказ_….docx``): for every
  letter the document goes in, two identical copies — the letter with its sheet count, each attachment as the
  letter's own «Приложения» list names it, the declared value of each item and the total;
* the address label (``Адресный_ярлык_заказ_….docx``): sender and addressee with their postcodes, large, to glue on
  the envelope, and the steps at the post office on the next page.

Nothing here decides who a letter goes to: the claim's addressee, second addressee or copy recipient come from the legal
analysis (:func:`complaint_cli.law.analysis.analyze`, through :func:`complaint_cli.claim.parties`), the repeat claim
goes to the same parties, the Rospotrebnadzor complaint to the regional office (:func:`escalation.case_region`), the
court claim's copies to the analysis' defendants (ГПК РФ п. 6 ст. 132) and the claim itself to the court. The items
are the «Приложения» of the letter's own context (claim.py, escalation.py, court.py). The form's fields and the
procedure at the post office are data with their sources (``data/post.yaml``); what is practice and not a rule — the
1 руб. per item when the case sets no ``submission.declared_value`` — is said there.

Usable from Python::

    kit = post_kit(case, document="claim", on=date.today(), case_dir=Path("."))
    for name, data in kit.files():
        Path(name).write_bytes(data)
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from functools import cache
from typing import Any

from complaint_cli.fields import parse_postcode, strip_postcode  # noqa: F401 (the kit's API)
from complaint_cli.errors import ComplaintError, UsageError
from complaint_cli.model import Case

POST_DOCUMENTS = ("claim", "inaction", "rospotrebnadzor", "court")
KIT_KINDS = ("post_inventory", "post_label")
BLANK = "____"
ADDRESS_BLANK = "_" * 40  # room to write an address by hand
POSTCODE_BLANK = "_" * 6
DASH = "—"
# What the letter itself is called in the inventory (the court claim's copy for a defendant: «Копия …»).
LETTER_NAMES: dict[str, str] = {
    "claim": "Претензия",
    "inaction": "Повторная претензия (на бездействие)",
    "rospotrebnadzor": "Жалоба в Роспотребнадзор о нарушении прав потребителя",
    "court": "Исковое заявление о защите прав потребителя с расчётом взыскиваемых денежных сумм",
}
COPY_NAMES: dict[str, str] = {
    "claim": "Копия претензии",
    "inaction": "Копия повторной претензии (на бездействие)",
    "court": "Копия искового заявления о защите прав потребителя с расчётом взыскиваемых денежных сумм",
}
# Where the letters are made, for the message when one is missing.
MAKE_COMMAND: dict[str, str] = {
    "claim": "complaint render {case}",
    "inaction": "complaint escalate {case} --only inaction",
    "rospotrebnadzor": "complaint escalate {case} --only rospotrebnadzor",
    "court": "complaint escalate {case} --only court",
}
# Two copies of a form share one A4 sheet while the list is short; longer lists get a sheet per copy.
HALF_PAGE_LINES = 10
NAME_CHARS_PER_LINE = 55  # the «Наименование предметов» column at 11 pt


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Item:
    """One line of the inventory: what it is, on how many sheets (None: unknown), its declared value (None: «—»)."""

    number: int
    name: str
    sheets: int | None = None
    estimated: bool = False  # the sheet count is an estimate from the text's length
    quantity: int = 1
    value: Decimal | None = None

    @property
    def text(self) -> str:
        """«Претензия по заказу № R-1, на 2 л.» — the sheet count blank when unknown."""
        return f"{self.name}, на\u00a0{self.sheets if self.sheets is not None else BLANK}\u00a0л."

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.number, "name": self.name, "sheets": self.sheets, "sheets_estimated": self.estimated,
                "quantity": self.quantity, "value": f"{self.value:.2f}" if self.value is not None else None}


@dataclass(frozen=True)
class PostalAddress:
    """A name and an address as the envelope shows them; ``postcode`` parsed from the address (None: not found)."""

    name: str
    address: str
    postcode: str | None

    @property
    def street(self) -> str:
        """The address without its postcode (the label gives the postcode a field of its own)."""
        return strip_postcode(self.address)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "address": self.address, "postcode": self.postcode}


@dataclass
class Mailing:
    """One registered letter: to whom (its role in the case) and what is inside."""

    role: str  # addressee, second_addressee, copy, office, defendant, court
    to: PostalAddress
    items: list[Item]

    @property
    def quantity_total(self) -> int:
        return sum(i.quantity for i in self.items)

    @property
    def value_total(self) -> Decimal:
        return sum((i.value for i in self.items if i.value is not None), Decimal("0.00"))

    def as_dict(self) -> dict[str, Any]:
        return {"role": self.role, "to": self.to.as_dict(), "items": [i.as_dict() for i in self.items],
                "quantity_total": self.quantity_total, "value_total": f"{self.value_total:.2f}"}


@dataclass
class PostKit:
    """The kit for one document: the letters, the sender, the steps and what the user must check."""

    case: Case
    document: str
    sender: PostalAddress
    mailings: list[Mailing]
    steps: list[str]
    warnings: list[str] = field(default_factory=list)
    signature: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"document": self.document, "sender": self.sender.as_dict(),
                "mailings": [m.as_dict() for m in self.mailings], "steps": list(self.steps),
                "warnings": list(self.warnings)}

    def files(self, templates_dir: Path | None = None) -> list[tuple[str, bytes]]:
        """The two documents, rendered: [(file name, .docx bytes)] — inventory first, then the label."""
        from complaint_cli.render import load_template

        return [(kit_file_name(kind, self.case, self.document),
                 load_template(f"{kind}.docx", templates_dir).render(ctx))
                for kind, ctx in (("post_inventory", inventory_context(self)), ("post_label", label_context(self)))]


def kit_file_name(kind: str, case: Case, document: str) -> str:
    """``Опись_вложения_Ф107_заказ_<номер>.docx`` for the claim; the kit of another document names it too
    (``Опись_вложения_Ф107_Исковое_заявление_заказ_<номер>.docx``), so that one case's kits never overwrite each other."""
    from complaint_cli.documents import KIND_FILE_PREFIX, document_name

    name = document_name(kind, case)
    if document == "claim":
        return name
    prefix = KIND_FILE_PREFIX[kind]
    return name.replace(f"{prefix}_", f"{prefix}_{KIND_FILE_PREFIX[document]}_", 1)


# --------------------------------------------------------------------------- postcodes

def postal(name: str, address: str | None, field_: str, warnings: list[str], whose: str) -> PostalAddress:
    """A :class:`PostalAddress`, with a warning naming ``field_`` when the address or its postcode is missing."""
    address = (address or "").strip()
    postcode = parse_postcode(address)
    if not address:
        warnings.append(f"Не указан адрес {whose} ({field_}): в описи и на ярлыке оставлен пропуск «{BLANK}» — "
                        "впишите адрес с почтовым индексом.")
    elif postcode is None:
        warnings.append(f"В адресе {whose} ({field_}: «{address}») не найден почтовый индекс (6 цифр): без индекса "
                        f"письмо могут не принять. Добавьте его в начало адреса, например «123456, {address}».")
    return PostalAddress(name or BLANK, address or ADDRESS_BLANK, postcode)


# --------------------------------------------------------------------------- sheets


@cache  # read once per process: a batch asks for it several times per row (treat it as read-only)
def _data() -> dict[str, Any]:
    from complaint_cli import yamlio

    return yamlio.bundled("post.yaml")


def pdf_pages(path: Path) -> int | None:
    """Pages of a PDF (pypdfium2, imported only here), None when it cannot be read."""
    try:
        import pypdfium2 as pdfium

        document = pdfium.PdfDocument(str(path))
        try:
            return len(document)
        finally:
            document.close()
    except Exception:  # noqa: BLE001 - an unreadable PDF only costs its sheet count
        return None


def estimate_pages(docx: bytes) -> int:
    """Pages of a rendered letter estimated from its text: lines per paragraph at the body's width, lines per page
    (``data/post.yaml``), a new page at each page break (the court claim's calculation).

    The document part is scanned, not parsed: the tool's own letters (their paragraphs, page breaks and texts are
    all it looks at) — a batch estimates one per row.
    """
    import io
    import zipfile
    from html import unescape

    data = _data()
    per_line, per_page = int(data["chars_per_line"]), int(data["lines_per_page"])
    xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode("utf-8")
    pages, lines = 0, 0
    for paragraph in _PARAGRAPH.findall(xml):
        breaks = 'w:val="TitleNewPage"' in paragraph or _PAGE_BREAK.search(paragraph) is not None
        if breaks and lines:
            pages, lines = pages + math.ceil(lines / per_page), 0
        text = unescape("".join(_TEXT.findall(paragraph)))
        lines += max(1, math.ceil(len(text) / per_line))
    return max(1, pages + math.ceil(lines / per_page))


_PARAGRAPH = re.compile(r"<w:p(?:\s[^>]*)?>.*?</w:p>|<w:p(?:\s[^>]*)?/>", re.S)
_PAGE_BREAK = re.compile(r"<w:br\s[^>]*w:type=\"page\"")
_TEXT = re.compile(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")


def count_letter_pages(files: list[Path], *, soffice: bool = True) -> tuple[int | None, bool]:
    """(pages, estimated) of a letter given its .docx and/or .pdf: the PDF's pages when it is not older than the .docx,
    else the .docx converted by LibreOffice (in a throw-away folder), else an estimate from the text."""
    docx = next((p for p in files if p.suffix == ".docx"), None)
    pdf = next((p for p in files if p.suffix == ".pdf"), None)
    if pdf is not None and (docx is None or pdf.stat().st_mtime >= docx.stat().st_mtime):
        pages = pdf_pages(pdf)
        if pages:
            return pages, False
    if docx is None:
        return None, False
    if soffice:
        from complaint_cli.pdf import convert_to_pdf, find_soffice

        if find_soffice() is not None:
            with tempfile.TemporaryDirectory(prefix="complaint-post-") as tmp:
                copy = Path(tmp) / "letter.docx"
                copy.write_bytes(docx.read_bytes())
                made, _ = convert_to_pdf([copy])
                pages = pdf_pages(made[0]) if made else None
            if pages:
                return pages, False
    return estimate_pages(docx.read_bytes()), True


def evidence_sheets(found: list[Any]) -> dict[int | None, int | None]:
    """Sheets of each evidence file (``evidence.check_evidence``'s list), by its index in ``case.evidence`` (None: the
    receipt's file): a printed photo or screenshot is one sheet, a PDF its pages; a file of another kind unknown."""
    images = {f".{s}" for s in _data()["image_suffixes"]}
    sheets: dict[int | None, int | None] = {}
    for item in found:
        suffix = item.source.suffix.lower()
        sheets[item.index] = 1 if suffix in images else pdf_pages(item.source) if suffix == ".pdf" else None
    return sheets


# --------------------------------------------------------------------------- the letters and their contents


@dataclass
class History:
    """What the registry knows and the letters' contexts need (as ``escalate`` reads it): the company's refusal, the
    date printed on the first claim, the date of the escalation document."""

    refused_on: dt.date | None = None
    claim_date: dt.date | None = None
    document_on: dt.date | None = None


def letter_files(case: Case, kind: str, folder: Path) -> list[Path]:
    """The .docx and .pdf of a document in ``folder`` (its name from documents.document_name)."""
    from complaint_cli.documents import document_name

    return [p for p in (folder / document_name(kind, case, ext) for ext in ("docx", "pdf")) if p.is_file()]


def _postal_name(case: Case, name: str) -> str:
    """The organisation's name for the envelope: the legal name without the brand the letters add («(сервис …)»)."""
    from complaint_cli.law.roles import company_label

    if case.company.name and name == company_label(case):
        return case.company.name
    return name


def _party_field(case: Case, party: Any, roles: Any) -> str:
    return "seller.address" if roles.seller is not None and party is roles.seller and party is not roles.company \
        else "company.address"


def _claim_mailings(case: Case, analysis: Any, warnings: list[str], document: str
                    ) -> list[tuple[str, PostalAddress, str]]:
    """(role, recipient, letter's name) of the claim and the repeat claim: the analysis' addressee, its second
    addressee (a joint claim: a letter each) or the copy's recipient («Копия: …» in the claim)."""
    from complaint_cli.language import legal_form_genitive

    out = []
    a = analysis
    for role, party in (("addressee", a.addressee), ("second_addressee" if a.joint else "copy", a.copy_to)):
        if party is None:
            continue
        name = _postal_name(case, party.name)
        to = postal(name, party.address, _party_field(case, party, a.roles), warnings, legal_form_genitive(name))
        out.append((role, to, (LETTER_NAMES if role != "copy" else COPY_NAMES)[document] + _order_suffix(case, document)))
    return out


def _order_suffix(case: Case, document: str) -> str:
    """« по заказу № R-1» after the letter's name (the court claim's name is long enough without it)."""
    return f" по заказу № {case.order.number}" if case.order.number and document != "court" else ""


def plan(case: Case, *, document: str, on: dt.date, history: History | None = None
         ) -> tuple[list[tuple[str, PostalAddress, list[str], str]], dict[str, str], list[str]]:
    """Who gets a letter and what it holds, from the letter's own context: [(role, recipient, attachment lines,
    the letter's name)], {attachment line: where its sheets come from («claim» or «evidence:N»)}, warnings."""
    from complaint_cli.claim import claim_context
    from complaint_cli.law.analysis import analyze

    h = history or History()
    warnings: list[str] = []
    claim_on = h.claim_date or case.submission.sent_on or on
    claim_ctx = claim_context(case, on=claim_on)
    # The claim's «Приложения» (claim.attachment_items): the receipt's copy, then the described evidence, each with
    # the case field of its file — where its sheets are counted from.
    from complaint_cli.claim import attachment_items

    sources: dict[str, str] = {}
    for line, field_name in attachment_items(case):
        if field_name.startswith("evidence."):
            sources[line] = "evidence:" + field_name.split(".")[1]
        elif field_name:
            sources[line] = "receipt"
    letter = LETTER_NAMES[document] + _order_suffix(case, document)
    out: list[tuple[str, PostalAddress, list[str], str]] = []
    if document == "claim":
        a = analyze(case, case.submission.sent_on or on)
        for role, to, name in _claim_mailings(case, a, warnings, document):
            out.append((role, to, list(claim_ctx["attachments"]), name))
        return out, sources, warnings

    from complaint_cli.escalation import (
        EscalationOptions,
        case_region,
        escalation_deadline,
        escalation_sums,
        first_claim_attachments,
        with_case_defaults,
    )

    doc_on = h.document_on or on
    deadline = escalation_deadline(case)
    sums = escalation_sums(case, deadline, doc_on)
    sums.claim_date = h.claim_date or sums.claim_date
    first = first_claim_attachments(case, h.refused_on, sums.claim_date)
    sources[first[0]] = "claim"  # «Копия претензии от …»: the claim's own sheets
    from complaint_cli.escalation import appendix_attachment

    for line in appendix_attachment(sums):  # «Расчёт неустойки по состоянию на …»: the appendix's own sheets
        sources[line] = "penalty"
    if document == "inaction":
        from complaint_cli.escalation import inaction_context

        ctx = inaction_context(case, deadline, sums, on=doc_on, refused_on=h.refused_on)
        for role, to, name in _claim_mailings(case, sums, warnings, document):
            out.append((role, to, list(ctx["attachments"]), name))
    elif document == "rospotrebnadzor":
        from complaint_cli.escalation import rospotrebnadzor_context

        ctx, _ = rospotrebnadzor_context(case, deadline, on=doc_on, refused_on=h.refused_on,
                                         claim_date=sums.claim_date)
        region = case_region(case)
        to = postal(region.office, region.address, f"справочник управлений программы, регион «{region.name}»",
                    warnings, "управления Роспотребнадзора")
        if region.address:
            warnings.append(f"Адрес управления ({region.address}) взят из справочника программы и не подтверждён: "
                            f"сверьте его с сайтом {region.site} до печати.")
        out.append(("office", to, list(ctx["attachments"]), letter))
    else:
        from complaint_cli.court import court_context

        opts = with_case_defaults(EscalationOptions(), case)
        ctx, _ = court_context(case, deadline, sums, on=doc_on, court_name=opts.court_name, costs=opts.costs,
                               refused_on=h.refused_on)
        attachments = list(ctx["attachments"])
        # court.court_context lists the proof of sending to the defendants first and the calculation last; the
        # calculation is the claim's own last sheet, so it is counted with the claim, not listed apart.
        proof, rest = attachments[0], [x for x in attachments[1:] if not x.startswith("Расчёт взыскиваемых")]
        for_defendants = [x for x in rest if x != "Документ об уплате государственной пошлины"]
        for party in sums.defendants:
            name = _postal_name(case, party.name)
            to = postal(name, party.address, _party_field(case, party, sums.roles), warnings,
                        "ответчика " + name)
            out.append(("defendant", to, for_defendants, COPY_NAMES["court"]))
        court = PostalAddress(ctx["court"]["name"], ADDRESS_BLANK, None)
        warnings.append("Адреса суда в деле нет: впишите его в опись и на ярлык от руки (письмо в суд — последнее в "
                        "файлах) или подайте иск лично либо через ГАС «Правосудие».")
        if not opts.court_name:
            warnings.append("Суд не указан в деле (court.name): в описи и на ярлыке письма в суд оставлен пропуск — "
                            "впишите суд так, как он назван в иске, или добавьте в дело court: {name: …} и повторите.")
        out.append(("court", court, [proof, *rest], letter))
        sources[proof] = "receipts"
    return out, sources, warnings


def post_kit(case: Case, *, document: str = "claim", on: dt.date, case_dir: Path,
             documents_dir: Path | None = None, history: History | None = None, soffice: bool = True,
             letter_pages: tuple[int, bool] | None = None) -> PostKit:
    """The kit for ``document`` of a validated case (see the module docstring).

    ``case_dir``: where the evidence files are resolved; ``documents_dir`` (default ``case_dir``): where the letters
    are — the letter must have been made (its sheets are counted from it), else an error says how to make it.
    ``soffice``: count a .docx's pages through LibreOffice when there is no current PDF (else they are estimated).
    """
    if document not in POST_DOCUMENTS:
        raise UsageError(f"--document: неизвестный документ «{document}»; допустимо: {', '.join(POST_DOCUMENTS)}.")
    folder = Path(documents_dir or case_dir)
    files = letter_files(case, document, folder) if letter_pages is None else []
    if not files and letter_pages is None:
        raise ComplaintError(
            f"Документ «{LETTER_NAMES[document].split(' (')[0]}» по этому делу ещё не составлен (в папке {folder} его "
            "нет): опись составляется по готовому документу — в ней число его листов.",
            hint="Составьте его: " + MAKE_COMMAND[document].format(case="ДЕЛО") + f" --out {folder}",
        )
    from complaint_cli.evidence import check_evidence, with_capture_times

    data = _data()
    found, _ = check_evidence(case, Path(case_dir), missing_ok=True)
    case = with_capture_times(case, found, copy=False)  # the lines as the letters print them («снято …»)
    mailings_plan, sources, warnings = plan(case, document=document, on=on, history=history)
    pages, estimated = letter_pages or count_letter_pages(files, soffice=soffice)
    claim_pages: tuple[int | None, bool] = (pages, estimated) if document == "claim" else (None, False)
    if document != "claim":
        claim_files = letter_files(case, "claim", folder)
        claim_pages = count_letter_pages(claim_files, soffice=soffice) if claim_files else (None, False)
    ev_sheets = evidence_sheets(found)
    penalty_files = letter_files(case, "penalty", folder) if "penalty" in sources.values() else []
    penalty_pages = count_letter_pages(penalty_files, soffice=soffice) if penalty_files else (None, False)

    declared = case.submission.declared_value
    if declared is not None and declared <= 0:
        raise ComplaintError("Объявленная ценность письма (submission.declared_value) должна быть больше нуля.",
                             hint="Уберите поле — тогда каждый предмет описи будет оценён в 1 руб.")
    per_item = Decimal(str(data["item_value"]))
    c = case.claimant
    sender = postal(c.full_name or "", c.address, "claimant.address", warnings, "отправителя")
    mailings: list[Mailing] = []
    unknown: list[str] = []
    for role, to, attachments, name in mailings_plan:
        items = [Item(1, name, pages, estimated, value=declared if declared is not None else per_item)]
        for line in attachments:
            source = sources.get(line, "")
            sheets, est = None, False
            if source == "claim":
                sheets, est = claim_pages
            elif source.startswith("evidence:"):
                sheets = ev_sheets.get(int(source.split(":")[1]))
            elif source == "receipt":
                sheets = ev_sheets.get(None)
            elif source == "penalty":
                sheets, est = penalty_pages
            if sheets is None and line not in unknown:
                unknown.append(line)
            items.append(Item(len(items) + 1, line, sheets, est, value=None if declared is not None else per_item))
        mailings.append(Mailing(role, to, items))
    if estimated:
        why = ("пакетная обработка не переводит письма в PDF" if letter_pages is not None
               else "LibreOffice не найден, а PDF рядом с документом нет")
        warnings.append(f"Число листов документа ({pages}) оценено по длине текста: {why}. Пересчитайте листы "
                        "распечатки и, если нужно, исправьте опись до печати (исправления в распечатанной описи не "
                        "допускаются).")
    if unknown:
        warnings.append("Число листов не известно программе — в описи пропуск «на ____ л.», впишите его до печати: "
                        + "; ".join(f"«{u}»" for u in unknown) + ".")
    if declared is not None:
        warnings.append(f"Объявленная ценность письма — {value_text(declared)} руб. (submission.declared_value): она "
                        "указана у самого документа, у приложений — прочерк.")
    from complaint_cli.claim import claimant_context

    kit = PostKit(case=case, document=document, sender=sender, mailings=mailings, steps=[], warnings=warnings,
                  signature=claimant_context(case)["signature"])
    kit.steps = steps(kit)
    return kit


# --------------------------------------------------------------------------- steps and template contexts


def value_text(amount: Decimal) -> str:
    """«3», «12,50»: a value in the form's «руб.» column."""
    from complaint_cli.money import format_short

    text = format_short(amount)
    return text[:-3] if text.endswith(",00") else text


def _letters_phrase(n: int, document: str) -> str:
    from complaint_cli.money import plural

    what = {"claim": "претензию", "inaction": "повторную претензию", "rospotrebnadzor": "жалобу",
            "court": "исковое заявление"}[document]
    if n == 1:
        return what
    return f"{what} ({n} {plural(n, 'экземпляр', 'экземпляра', 'экземпляров')}: по одному в каждое письмо)"


def steps(kit: PostKit, case_ref: str = "ДЕЛО") -> list[str]:
    """The steps at the post office (``data/post.yaml``), for this kit's document and letters."""
    data = _data()
    totals = sorted({m.value_total for m in kit.mailings})
    total = f"{value_text(totals[0])} руб." if len(totals) == 1 else (
        "по итогу описи этого письма (" + " или ".join(f"{value_text(t)} руб." for t in totals) + ")")
    values = {"case": case_ref, "total": total, "letters": _letters_phrase(len(kit.mailings), kit.document)}
    out = []
    if kit.document == "court":
        out += [" ".join(s["text"].split()) for s in data["court_steps"]]
    for step in data["steps"]:
        when = step.get("when")
        if (when == "claim" and kit.document != "claim") or (when == "other" and kit.document == "claim"):
            continue
        out.append(" ".join(step["text"].split()).format_map(values))
    return out


def inventory_context(kit: PostKit) -> dict[str, Any]:
    """The context of ``post_inventory.docx``: every letter's form, twice."""
    forms = []
    for i, m in enumerate(kit.mailings):
        items = [{"number": str(x.number), "name": x.text, "quantity": str(x.quantity),
                  "value": value_text(x.value) if x.value is not None else DASH} for x in m.items]
        lines = sum(max(1, math.ceil(len(x["name"]) / NAME_CHARS_PER_LINE)) for x in items)
        split = lines > HALF_PAGE_LINES
        for copy in (1, 2):
            forms.append({
                "page_break": (i > 0 and copy == 1) or (split and copy == 2),
                "cut_line": copy == 2 and not split,
                "kind": "ценное письмо",
                "to_address": m.to.address,
                "to_name": m.to.name,
                "rows": items,
                "quantity_total": str(m.quantity_total),
                "value_total": value_text(m.value_total),
                "sender_signature": kit.signature,
            })
    return {"forms": forms, "note": "Форма ф. 107 АО «Почта России». Заполняется в двух экземплярах; исправления не "
                                    "допускаются."}


def label_context(kit: PostKit) -> dict[str, Any]:
    """The context of ``post_label.docx``: a label per letter (two to a page) and the steps."""
    labels = []
    for i, m in enumerate(kit.mailings):
        labels.append({
            "page_break": i > 0 and i % 2 == 0,
            "gap": i % 2 == 1,
            "sender": {"name": kit.sender.name, "address": kit.sender.street or ADDRESS_BLANK,
                       "postcode": kit.sender.postcode or POSTCODE_BLANK},
            "to": {"name": m.to.name, "address": m.to.street or ADDRESS_BLANK,
                   "postcode": m.to.postcode or POSTCODE_BLANK},
            "mark": f"Ценное письмо с объявленной ценностью {value_text(m.value_total)} руб., с описью вложения и "
                    "уведомлением о вручении",
        })
    return {"labels": labels, "steps": kit.steps, "steps_title": "Как отправить письмо на почте",
            "note": "Порядок приёма ценного письма с описью вложения — по описанию АО «Почта России» (форма ф. 107); "
                    "тарифы назовут на почте. Не является юридической консультацией."}


# --------------------------------------------------------------------------- batch and the command


def post_kit_files(case: Case, case_dir: Path, document: str, on: dt.date, *, soffice: bool = False,
                   letter: bytes | None = None, templates_dir: Path | None = None
                   ) -> tuple[list[tuple[str, bytes]], list[str]]:
    """The kit's two documents for a batch row, ``([(file name, bytes)], warnings)``; evidence files are resolved
    in ``case_dir``.

    ``letter``: the letter's .docx made in this very row (not on disk yet): its sheets are estimated from its text.
    Otherwise the letter is looked for in ``case_dir``; LibreOffice is not started for each row unless asked
    (``soffice``): a letter with its PDF has its pages counted from it, otherwise they are estimated (and the
    warnings say so).
    """
    pages = (estimate_pages(letter), True) if letter is not None else None
    kit = post_kit(case, document=document, on=on, case_dir=case_dir, soffice=soffice, letter_pages=pages)
    return kit.files(templates_dir), list(kit.warnings)


@dataclass
class PostKitResult:
    """What :func:`write_post_kit` wrote."""

    kit: PostKit
    paths: list[Path]

    def as_dict(self) -> dict[str, Any]:
        return {**self.kit.as_dict(), "files": [{"kind": kind, "path": str(p)} for kind, p in zip(KIT_KINDS, self.paths)]}


def registry_history(case_path: Path, document: str) -> History:
    """The refusal, the first claim's printed date and the document's date from the registry (empty without one)."""
    from complaint_cli.escalation import claim_document_date, refusal_date
    from complaint_cli.reminders import case_history

    try:
        events, _ = case_history(case_path)
    except ComplaintError:
        return History()
    dated = [e.on_date for e in events if e.kind == "escalated" and e.reference == document and e.on_date]
    return History(refusal_date(events), claim_document_date(events), dated[-1] if dated else None)


def write_post_kit(case_path: Path, *, document: str = "claim", out_dir: Path | None = None, on: dt.date,
                   force: bool = False, soffice: bool = True) -> PostKitResult:
    """``complaint post``: validate the case file, find the letter, write the inventory and the label next to it (or
    into ``out_dir``), register both for ``forget``. An existing file is replaced only with ``force``; nothing is
    written when either exists."""
    from complaint_cli.casefile import read_case_data
    from complaint_cli.documents import write_document
    from complaint_cli.errors import OutputExists
    from complaint_cli.fsutil import inside
    from complaint_cli.paths import case_output_dir
    from complaint_cli.tracking import record_files
    from complaint_cli.validation import validate_data

    case_path = Path(case_path)
    if document not in POST_DOCUMENTS:
        raise UsageError(f"--document: неизвестный документ «{document}»; допустимо: {', '.join(POST_DOCUMENTS)}.")
    report = validate_data(read_case_data(case_path), today=on)
    case = report.raise_for_errors()
    folder = Path(out_dir).resolve() if out_dir is not None else case_output_dir(case_path)
    documents_dir = folder
    if not letter_files(case, document, folder):
        from complaint_cli.emaildraft import document_files  # the registry knows where the letter was written

        found = document_files(case, case_path, document, folder)
        if found:
            documents_dir = found[0].parent
            if out_dir is None:
                folder = documents_dir
    kit = post_kit(case, document=document, on=on, case_dir=case_path.resolve().parent, documents_dir=documents_dir,
                   history=registry_history(case_path, document), soffice=soffice)
    kit.steps = steps(kit, str(case_path))
    kit.warnings[:0] = [w for w in report.warnings if w not in kit.warnings]
    rendered = kit.files()
    for name, _ in rendered:
        target = inside(folder, name)
        if target.exists() and not force:
            raise OutputExists(f"Файл уже существует: {target}. Чтобы перезаписать, добавьте --force.")
    paths = [write_document(folder, name, data, force=True) for name, data in rendered]
    record_files(case_path, case, "post", paths)
    return PostKitResult(kit, paths)
