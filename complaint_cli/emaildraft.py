"""An e-mail draft (.eml) with the claim and the evidence attached, and a ``mailto:`` link.

The .eml is built with the standard :mod:`email` package (``policy.default``): UTF-8 headers encoded per RFC 2047,
Cyrillic attachment names per RFC 2231 (``filename*=utf-8''…``), MIME types from :mod:`mimetypes`. Any mail client
opens it; ``X-Unsent: 1`` makes Outlook open it as a draft ready to send. A ``mailto:`` link cannot carry
attachments (RFC 6068 has no such field), so the link only pre-fills the address, subject and body.

Only the first claim (``claim``, to ``company.email``) is drafted as an e-mail. The Rospotrebnadzor complaint is not:
since 30.03.2025 (Федеральный закон № 59-ФЗ as amended by Федеральный закон от 28.12.2024 № 547-ФЗ; law.md §0b.1) an
appeal in electronic form is considered only when filed through Госуслуги, the body's official site or another system
that identifies the citizen — an e-mail to a state body is not a valid appeal. ``document="rospotrebnadzor"`` raises
:class:`NotByEmail` (exit 1) pointing at ``complaint guide CASE --document rospotrebnadzor`` and writes nothing.
Usable from Python::

    draft = write_email_draft(Path("case.yaml"), on=date.today())
    print(draft.path, draft.mailto)
"""

from __future__ import annotations

import datetime as dt
import mimetypes
from dataclasses import dataclass, field
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from urllib.parse import quote

from complaint_cli.law.deadlines import fmt_date
from complaint_cli.errors import ComplaintError, UsageError
from complaint_cli.fsutil import atomic_write_bytes, inside, safe_name
from complaint_cli.model import Case

DOCUMENTS = ("claim",)
# Documents the tool knows but never drafts as an e-mail (law.md §0b.1): a clear refusal (exit 1), not a usage error.
NOT_BY_EMAIL = ("rospotrebnadzor",)
# Many mail servers refuse messages over 20–25 MB; base64 makes attachments a third larger.
SIZE_WARNING_BYTES = 15 * 1024 * 1024


class NotByEmail(ComplaintError):
    """The document cannot be filed by e-mail: the Rospotrebnadzor complaint goes through Госуслуги, the site or post."""


@dataclass(frozen=True)
class Attachment:
    name: str
    path: Path
    data: bytes | None = field(default=None, repr=False, compare=False)  # evidence: the bytes that were checked

    @property
    def mime_type(self) -> str:
        guessed, _ = mimetypes.guess_type(self.name)
        return guessed or "application/octet-stream"


@dataclass
class EmailDraft:
    """What :func:`write_email_draft` wrote, for people and for ``--json``."""

    path: Path
    document: str
    to: str | None
    subject: str
    body: str
    attachments: list[Attachment]
    mailto: str
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "path": str(self.path),
            "document": self.document,
            "to": self.to,
            "subject": self.subject,
            "attachments": [{"name": a.name, "path": str(a.path), "type": a.mime_type} for a in self.attachments],
            "mailto": self.mailto,
            "warnings": list(self.warnings),
        }


# --------------------------------------------------------------------------- text


def _order(case: Case) -> str:
    text = f"№ {case.order.number}" if case.order.number else "без номера"
    return text + (f" от {fmt_date(case.order.date)}" if case.order.date else "")


def subject(case: Case, document: str = "claim") -> str:
    """«Претензия по заказу № R-1»."""
    number = f" № {case.order.number}" if case.order.number else ""
    return f"Претензия по заказу{number}"


def body(case: Case, attachments: list[Attachment], document: str = "claim") -> str:
    """A short polite letter: what is attached, what is asked, and who writes."""
    c = case.claimant
    reply = "на этот адрес электронной почты"
    if c.address:
        reply += f", а также по почтовому адресу: {c.address}"
    lines = [
        "Здравствуйте!",
        "",
        f"Направляю претензию по заказу {_order(case)}. Претензия и приложения к ней — во вложении к этому письму.",
        "",
        "Прошу рассмотреть претензию в срок, установленный Законом РФ «О защите прав потребителей», и направить "
        f"ответ {reply}. Прошу подтвердить получение претензии ответным письмом.",
    ]
    if attachments:
        lines += ["", "Вложения:"] + [f"{i}. {a.name}" for i, a in enumerate(attachments, 1)]
    lines += ["", "С уважением,", c.full_name or ""]
    if c.phone:
        from complaint_cli.claim import format_phone

        lines.append(f"тел.: {format_phone(c.phone)}")
    return "\n".join(lines).rstrip() + "\n"


def mailto_link(to: str | None, subject_text: str, body_text: str) -> str:
    """``mailto:`` per RFC 6068: UTF-8 percent-encoded, line breaks as %0D%0A; attachments are impossible here."""
    query = "subject=" + quote(subject_text, safe="") + "&body=" + quote(body_text.replace("\n", "\r\n"), safe="")
    return f"mailto:{quote(to or '', safe='@')}?{query}"


# --------------------------------------------------------------------------- message


def _mailbox(display: str | None, addr: str) -> tuple[Address, bool]:
    """A header address; an IDN domain (почта.рф) is written in punycode. True when the local part needs SMTPUTF8."""
    local, _, domain = addr.rpartition("@")
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        pass
    return Address(display_name=display or "", username=local, domain=domain), not local.isascii()


def build_message(
    *,
    to: str | None,
    sender: str | None,
    subject_text: str,
    body_text: str,
    attachments: list[Attachment],
    now: dt.datetime,
) -> EmailMessage:
    """The draft as an :class:`EmailMessage`: text body plus every attachment, byte for byte."""
    mailboxes = []
    if to:
        mailboxes.append(("To", _mailbox(None, to)))
    if sender:
        # The address alone: CPython's parser splits a Cyrillic display name folded into two encoded words
        # («Андреев на»), and the mail client puts the sending account's name there anyway.
        mailboxes.append(("From", _mailbox(None, sender)))
    smtputf8 = any(needs for _, (_, needs) in mailboxes)
    msg = EmailMessage(policy=policy.default.clone(utf8=True) if smtputf8 else policy.default)
    for header, (address, _) in mailboxes:
        msg[header] = address
    msg["Subject"] = subject_text
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = make_msgid(domain="complaint-cli.local")
    msg["X-Unsent"] = "1"
    msg.set_content(body_text)
    for item in attachments:
        maintype, _, subtype = item.mime_type.partition("/")
        data = item.data if item.data is not None else item.path.read_bytes()
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=item.name)
    return msg


# --------------------------------------------------------------------------- finding the files


def document_files(case: Case, case_path: Path, kind: str, folder: Path) -> list[Path]:
    """The .docx and .pdf of a document: in ``folder`` first, else where the registry last saw one."""
    from complaint_cli.documents import document_name

    found = [folder / document_name(kind, case, ext) for ext in ("docx", "pdf")]
    found = [p for p in found if p.is_file()]
    if found:
        return found
    from complaint_cli.reminders import case_history

    _, documents = case_history(case_path)
    for record in reversed([d for d in documents if d.kind == kind]):
        siblings = [record.path.with_suffix(ext) for ext in (".docx", ".pdf")]
        siblings = [p for p in siblings if p.is_file()]
        if siblings:
            return siblings
    return []


def _missing_document(kind: str, case_path: Path, folder: Path) -> ComplaintError:
    return ComplaintError(
        f"Претензия по этому делу ещё не составлена (в папке {folder} её нет).",
        hint=f"Составьте её: complaint render {case_path}" + (f" --out {folder}" if folder != case_path.parent else "")
        + " (с PDF: --format both).",
    )


def not_by_email(case_path: Path, document: str) -> NotByEmail:
    """The refusal for a document that is never sent by e-mail, naming the regional office's site when it is known."""
    from complaint_cli.casefile import read_case_data
    from complaint_cli.escalation import case_region
    from complaint_cli.validation import validate_data

    try:  # the refusal never depends on the case being readable or complete: only the site's name does
        case = validate_data(read_case_data(case_path), today=dt.date.today()).case
        site = f" ({case_region(case).site})"
    except ComplaintError:
        site = ""
    return NotByEmail(
        "Жалобу в Роспотребнадзор нельзя отправить по электронной почте: с 30.03.2025 обращение, направленное в "
        "государственный орган по e-mail, не рассматривается (Федеральный закон от 02.05.2006 № 59-ФЗ в редакции "
        "Федерального закона от 28.12.2024 № 547-ФЗ). Подайте жалобу через Госуслуги, через сайт Управления "
        f"Роспотребнадзора{site} или заказным письмом с уведомлением о вручении. Как подать, текст для формы и список "
        f"файлов: complaint guide {case_path} --document {document}"
    )


def write_email_draft(
    case_path: Path,
    *,
    document: str = "claim",
    out_dir: Path | None = None,
    to: str | None = None,
    on: dt.date,
    now: dt.datetime | None = None,
    force: bool = False,
) -> EmailDraft:
    """Write ``Письмо_<документ>_заказ_<номер>.eml`` next to the document and return what it holds (an existing
    draft is replaced only with ``force``).

    ``out_dir`` is where the documents are looked for first and where the .eml is written (created if missing);
    without it the documents are looked for in the case file's folder, else where the registry saw them last, and
    the .eml goes next to the document it carries.
    The claim goes to ``to`` or ``company.email`` (an error naming the field when neither is known). The
    Rospotrebnadzor complaint is refused with :class:`NotByEmail` before any document is looked for and nothing is
    written (59-ФЗ as amended by 547-ФЗ: an e-mail to a state body is not a valid appeal).
    """
    from complaint_cli.casefile import read_case_data
    from complaint_cli.documents import KIND_FILE_PREFIX
    from complaint_cli.evidence import evidence_files, read_evidence
    from pydantic_core import PydanticCustomError

    from complaint_cli.fields import parse_email
    from complaint_cli.validation import validate_data

    case_path = Path(case_path)
    if document in NOT_BY_EMAIL:
        raise not_by_email(case_path, document)
    if document not in DOCUMENTS:
        raise UsageError(f"--document: неизвестный документ «{document}»; допустимо: {', '.join(DOCUMENTS)}.")
    case = validate_data(read_case_data(case_path), today=on).raise_for_errors()
    case_dir = case_path.resolve().parent
    from complaint_cli.paths import case_output_dir

    folder = Path(out_dir).resolve() if out_dir is not None else case_output_dir(case_path)
    warnings: list[str] = []
    if to is not None:
        try:
            to = parse_email(to)
        except PydanticCustomError as exc:  # the same rule as the case file's e-mail fields
            raise UsageError(f"--to: {exc.message()}") from None
    if document == "claim" and not (to or case.company.email):
        raise ComplaintError(
            "Не указан адрес электронной почты компании для претензий: заполните поле company.email в файле дела "
            f"{case_path} (или передайте адрес: --to адрес@пример.ru).",
            hint="Адрес для претензий обычно указан в правилах сервиса, в разделе «Контакты» или в кассовом чеке.",
        )
    recipient = to or case.company.email
    files = document_files(case, case_path, document, folder)
    if not files:
        raise _missing_document(document, case_path, folder)
    has_pdf = any(p.suffix == ".pdf" for p in files)
    attachments = [Attachment(p.name, p) for p in files]
    attachments += [Attachment(e.name, e.source, read_evidence(e)) for e in evidence_files(case, case_dir)]
    if sum(a.path.stat().st_size for a in attachments) > SIZE_WARNING_BYTES:
        warnings.append(
            "Вложения весят больше 15 МБ: многие почтовые серверы не принимают письма больше 20–25 МБ. "
            "Уменьшите фотографии или отправьте часть файлов отдельным письмом."
        )
    if not has_pdf:
        warnings.append(
            "PDF не приложен: его нет рядом с .docx. Чтобы приложить PDF, составьте документ с --format both."
        )
    subject_text = subject(case, document)
    body_text = body(case, attachments, document)
    message = build_message(
        to=recipient,
        sender=case.claimant.email,
        subject_text=subject_text,
        body_text=body_text,
        attachments=attachments,
        now=now or dt.datetime.now().astimezone(),
    )
    number = safe_name(case.order.number or "", max_len=60, fallback="без_номера")
    # --out is where the user wants the letter (the documents may have been found elsewhere, through the registry)
    target = inside(folder if out_dir is not None else files[0].parent,
                    f"Письмо_{KIND_FILE_PREFIX[document]}_заказ_{number}.eml")
    if target.exists() and not force:  # the rule for every file the tool writes
        from complaint_cli.errors import OutputExists

        raise OutputExists(f"Файл уже существует: {target}. Чтобы перезаписать, добавьте --force.")
    atomic_write_bytes(target, message.as_bytes())
    from complaint_cli.tracking import record_files

    record_files(case_path, case, "email", [target])  # forget removes it: it carries the claim and the evidence
    link = mailto_link(recipient, subject_text, body_text)
    return EmailDraft(target, document, recipient, subject_text, body_text, attachments, link, warnings)
