"""Escalation letters read back with python-docx: when they may be drafted, the sums, and what each one says
(law.md §1.4 repeat claim, §3 неустойка, §4 court claim, §5 Rospotrebnadzor complaint)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from complaint_cli.errors import ComplaintError, OutputExists, UsageError
from complaint_cli.escalation import (
    EscalationOptions,
    TooEarly,
    escalate,
    escalation_deadline,
    office_genitive,
    parse_kinds,
    refusal_date,
)
from complaint_cli.court import escalation_sums
from complaint_cli.money import normalize_spaces
from complaint_cli.render import document_text
from complaint_cli.validation import validate_data
from tests.conftest import TODAY

LEFTOVERS = ("{{", "}}", "{%", "%}", "None", "Undefined")


def received(data: dict, sent: str, got: str | None, channel: str = "app", reference: str | None = None) -> dict:
    data["submission"] = {"channel": channel, "sent_on": sent}
    if got:
        data["submission"]["received_on"] = got
    if reference:
        data["submission"]["reference"] = reference
    return data


def make_case(data: dict):
    return validate_data(data, today=TODAY).raise_for_errors()


def run(data: dict, tmp_path, *, on=TODAY, **options):
    result = escalate(make_case(data), out_dir=tmp_path, on=on, options=EscalationOptions(**options))
    texts = {}
    for doc in result.documents:
        raw = doc.path.read_bytes()
        texts[doc.kind] = normalize_spaces(raw.decode("utf-8") if doc.kind == "review" else document_text(raw))
    return result, texts


SELLER = {"name": "ООО «Ромашка-Ритейл»", "address": "190000, г. Санкт-Петербург, ул. Примерная, д. 1"}


def with_seller(data: dict) -> dict:
    """The seller on the receipt: the ст. 23.1 penalty is claimed from it (never from the aggregator, law.md §0b.9)."""
    data["seller"] = dict(SELLER)
    return data


@pytest.fixture
def late(late_case):
    """The Kuper late-delivery example, claim sent and received on 03.11.2026 via the app (ticket 5512)."""
    return received(late_case, "2026-11-03", "2026-11-03", reference="5512")


@pytest.fixture
def expired(expired_case):
    """Expired yogurt: a registered letter to the seller, delivered on 13.11.2026."""
    return received(expired_case, "2026-11-11", "2026-11-13", channel="post", reference="19102584123456")


# --------------------------------------------------------------------------- when escalation is allowed


def test_before_the_deadline_it_refuses_and_names_the_deadline(late, tmp_path):
    received(late, "2026-11-20", "2026-11-20")
    with pytest.raises(TooEarly) as err:
        run(late, tmp_path)
    assert "последний день — 30.11.2026" in err.value.message
    assert "с 01.12.2026" in err.value.message
    assert err.value.message[0].isupper()
    assert "--force" in err.value.hint and "--outcome refused" in err.value.hint
    assert list(tmp_path.iterdir()) == []


def test_the_last_day_itself_is_still_too_early(late, tmp_path):
    with pytest.raises(TooEarly, match="13.11.2026"):
        run(late, tmp_path, on=dt.date(2026, 11, 13))
    result, _ = run(late, tmp_path, on=dt.date(2026, 11, 14))
    assert [d.kind for d in result.documents] == ["inaction", "rospotrebnadzor", "court", "penalty", "review"]


def test_an_estimated_receipt_date_never_counts(late, tmp_path):
    received(late, "2026-11-03", None, channel="app")  # receipt = sending day is only an estimate
    with pytest.raises(TooEarly, match="приблизительно"):
        run(late, tmp_path)


def test_a_letter_without_a_delivery_date_cannot_be_escalated(expired, tmp_path):
    received(expired, "2026-11-11", None, channel="post")
    with pytest.raises(TooEarly, match="не определён"):
        run(expired, tmp_path)


def test_force_drafts_early_and_says_so(late, tmp_path):
    received(late, "2026-11-20", "2026-11-20")
    result, texts = run(late, tmp_path, force=True)
    assert [d.kind for d in result.documents] == ["inaction", "rospotrebnadzor", "court", "penalty", "review"]
    assert any("до истечения срока" in w and "--force" in w for w in result.warnings)
    assert "истекает 30.11.2026" in texts["inaction"]


def test_a_refusal_allows_escalation_before_the_deadline(late, tmp_path):
    received(late, "2026-11-20", "2026-11-20")
    result, texts = run(late, tmp_path, refused_on=dt.date(2026, 11, 23))
    assert [d.kind for d in result.documents] == ["inaction", "rospotrebnadzor", "court", "penalty", "review"]
    assert "23.11.2026 получен отказ в удовлетворении требований" in texts["inaction"]
    assert "Копия ответа от 23.11.2026 об отказе в удовлетворении требований" in texts["court"]


def test_refusal_date_is_the_latest_reply_when_it_is_a_refusal():
    from types import SimpleNamespace as E

    refused = E(kind="reply", outcome="refused", on_date=dt.date(2026, 11, 20))
    satisfied = E(kind="reply", outcome="satisfied", on_date=dt.date(2026, 11, 22))
    sent = E(kind="sent", outcome=None, on_date=dt.date(2026, 11, 3))
    assert refusal_date([sent, refused]) == dt.date(2026, 11, 20)
    assert refusal_date([sent, refused, satisfied]) is None
    assert refusal_date([sent]) is None


def test_emergency_allows_the_repeat_claim_and_rospotrebnadzor_after_a_day(expired, tmp_path):
    expired["problem"]["emergency"] = True
    received(expired, "2026-11-20", "2026-11-20", channel="email")
    with pytest.raises(TooEarly):  # 21.11 is the 24-hour point itself
        run(expired, tmp_path, on=dt.date(2026, 11, 21))
    result, texts = run(expired, tmp_path, on=dt.date(2026, 11, 22))
    assert [d.kind for d in result.documents] == ["inaction", "rospotrebnadzor"]
    assert any("Иск и отзыв будут доступны" in w and "01.12.2026" in w for w in result.warnings)
    assert "угрозу жизни и здоровью" in texts["inaction"]
    assert "Прошу рассмотреть жалобу безотлагательно" in texts["rospotrebnadzor"]
    # The statutory penalty has not started: the letter says from when, and demands no sum yet.
    assert "начисляется с 01.12.2026" in texts["inaction"]
    assert "Выплатить неустойку" not in texts["inaction"]
    with pytest.raises(TooEarly, match="исковое заявление — с 01.12.2026"):
        run(expired, tmp_path, on=dt.date(2026, 11, 22), only=("court",), force=False)


def test_only_is_parsed_and_checked():
    assert parse_kinds("court, inaction") == ("inaction", "court")
    assert parse_kinds(None) is None
    with pytest.raises(UsageError, match="pretenziya"):
        parse_kinds("court,pretenziya")


def test_the_documents_date_cannot_precede_the_claim(late, tmp_path):
    with pytest.raises(ComplaintError, match="раньше отправки претензии"):
        run(late, tmp_path, on=dt.date(2026, 11, 1), force=True)


def test_existing_documents_are_not_overwritten_without_force(late, tmp_path):
    run(late, tmp_path, only=("inaction",))
    with pytest.raises(OutputExists, match="--force"):
        run(late, tmp_path, only=("inaction",))
    run(late, tmp_path, only=("inaction",), force=True)


# --------------------------------------------------------------------------- sums


def test_law_md_example_p1_article_23_before_the_500_fz_cap(expired):
    """law.md §3.2 P1: price 1 250,50; received 03.03.2025; calc 02.04.2025 → 20 days, 250,10, no cap."""
    expired["order"]["date"] = "2025-03-01"
    expired["problem"]["discovered_on"] = "2025-03-01"
    received(expired, "2025-03-03", "2025-03-03", channel="office")
    case = make_case(expired)
    sums = escalation_sums(case, escalation_deadline(case), dt.date(2025, 4, 2))
    (line,) = sums.penalties
    assert (line.norm, line.count, line.amount, line.cap) == ("23", 20, Decimal("250.10"), None)
    assert any("без ограничения" in n and "500-ФЗ" in n for n in sums.console())


def test_law_md_example_p2_article_23_1_from_the_delivery_date(late):
    """law.md §3.2 P2: prepayment 4 870,00 due 10.06.2025, calc 30.06.2025 → 20 days, 487,00."""
    with_seller(late)
    late["order"].update({"date": "2025-06-09", "delivery_due": "2025-06-10"})
    del late["order"]["delivery_fee"], late["order"]["delivery_window"]  # law.md P2: the prepayment is 4 870,00
    late["problem"]["discovered_on"] = "2025-06-10"
    late["demands"] = [{"kind": "refund", "amount": "4 870,00"}]
    received(late, "2025-06-11", "2025-06-11")
    case = make_case(late)
    sums = escalation_sums(case, escalation_deadline(case), dt.date(2025, 6, 30))
    (line,) = sums.penalties
    assert (line.norm, line.count, line.amount, line.cap) == ("23.1", 20, Decimal("487.00"), Decimal("4870.00"))


def test_article_23_is_capped_by_the_price_after_1_february_2026(expired, tmp_path):
    _, texts = run(expired, tmp_path, on=dt.date(2027, 6, 1), only=("court",))
    assert "1 % × 1 250,50 руб. × 190 дней = 2 375,95 руб., но не более 1 250,50 руб. (цена товара)" in texts["court"]
    assert "итого 1 250 руб. 50 коп. (одна тысяча двести пятьдесят рублей 50 копеек)" in texts["court"]


def test_overcharge_names_article_395_interest_without_a_sum(missing_case, tmp_path):
    missing_case["problem"] = {"kind": "overcharge", "description": "Сумму заказа списали дважды: 05.11 и 06.11.2026."}
    for item in missing_case["order"]["items"]:  # nothing is missing in this order
        item.pop("issue", None), item.pop("affected_quantity", None)
    result, texts = run(missing_case, tmp_path, only=("inaction", "court"))
    assert result.sums.penalties == [] and result.sums.penalty_total == 0
    assert "проценты на сумму 938,90 руб. по ст. 395 ГК РФ с 14.11.2026 по день их фактического возврата" in texts["inaction"]
    assert "Уплатить проценты за пользование чужими денежными средствами (ст. 395 ГК РФ)" in texts["inaction"]
    assert "проценты за пользование чужими денежными средствами (ст. 395 ГК РФ), начисленные на сумму 938,90 руб., " \
           "с 14.11.2026 по день фактического исполнения обязательства" in texts["court"]
    assert any("программа их не рассчитывает" in w for w in result.warnings)


def test_missing_items_without_a_promised_date_count_from_the_day_the_order_arrived(missing_case, tmp_path):
    """Issue 14: the missing items were due no later than the day the order arrived (05.11.2026)."""
    with_seller(missing_case)
    result, texts = run(missing_case, tmp_path, only=("inaction",))
    (line,) = result.sums.penalties
    assert (line.norm, line.start, line.base) == ("23.1", dt.date(2026, 11, 6), Decimal("938.90"))
    assert any("не позднее дня доставки заказа (05.11.2026)" in w for w in result.warnings)
    assert "0,5 % × 938,90 руб. × 20 дней = 93,89 руб." in texts["inaction"]


def test_missing_items_with_no_date_at_all_compute_no_penalty_and_say_which_field(missing_case, tmp_path):
    del missing_case["order"]["delivered_on"], missing_case["order"]["delivered_at"]
    del missing_case["problem"]["discovered_on"]
    result, texts = run(missing_case, tmp_path, only=("inaction",))
    assert result.sums.penalties == []
    assert any("order.delivered_on" in w and "order.delivery_due" in w for w in result.warnings)
    assert "Неустойка по" not in texts["inaction"]


# --------------------------------------------------------------------------- the repeat claim


def test_repeat_claim_refers_to_the_first_claim_and_recalculates_the_penalty(late, tmp_path):
    result, texts = run(late, tmp_path, only=("inaction",))
    text = texts["inaction"]
    lines = text.splitlines()
    assert lines[:2] == ["Генеральному директору", "ООО «Инстамарт Сервис» (сервис «Купер»)"]
    assert "от Кузнецовой Ольги Андреевны" in lines
    assert "\nПОВТОРНАЯ ПРЕТЕНЗИЯ\n(на бездействие по претензии от 03.11.2026)\n" in text
    assert ("03.11.2026 мною в адрес ООО «Инстамарт Сервис» (сервис «Купер») направлена претензия по заказу "
            "№ R-84512376 от 02.11.2026 через чат поддержки в приложении (обращение № 5512).") in text
    assert "Претензия получена адресатом 03.11.2026." in lines
    assert ("Срок удовлетворения требований — 10 дней со дня получения претензии (ст. 23.1 Закона РФ «О защите прав "
            "потребителей») — истёк 13.11.2026.") in lines
    assert "До настоящего времени ответ на претензию не получен, требования не удовлетворены." in lines
    # The order never arrived and the seller on the receipt is not in the case: the ст. 23.1 penalty is the seller's,
    # never the aggregator's (law.md §0b.9), so it is not claimed and the console says what is lost. The service
    # owes its own: ст. 28 п. 5 by the hour (30 full hours, 269,10) and ст. 31 п. 3 for the fee, capped together at
    # the fee (299,00 − 269,10 = 29,90).
    assert "3 % × 299,00 руб. × 30 часов = 269,10 руб." in text
    assert "3 % × 299,00 руб. × 12 дней = 107,64 руб., но не более 29,90 руб." in text
    assert "0,5 % × 4 571,00" not in text and "Выплатить неустойку (п. 3 ст. 23.1" not in text
    assert any("п. 3 ст. 23.1 (на 25.11.2026 — 525,67" in w and "п. 2.4 ст. 12" in w for w in result.warnings)
    assert "Итого неустойка на 25.11.2026 составляет 299 руб. 00 коп. (двести девяносто девять рублей 00 копеек)." in text
    assert "продолжает начисляться по день фактического исполнения обязательства" in text
    # The refusal of the contract was declared in the first claim: the repeat claim does not declare it again.
    assert "ПОВТОРНО ТРЕБУЮ:\n1. Вернуть предварительно уплаченную за товар сумму в размере 4 571 руб. 00 коп." in text
    assert "об отказе от исполнения договора заявлено в претензии." in text
    assert "в течение 7 дней со дня получения настоящей претензии" in text
    assert "с жалобой в Управление Роспотребнадзора по г. Москве и с исковым заявлением в суд" in text
    assert "вынуждена" in text
    assert "Приложения:\n1. Копия претензии от 03.11.2026\n2. Скриншоты обращения в чат поддержки с текстом " \
           "претензии (№ 5512)\n" in text
    assert lines[-1] == "25.11.2026\t_______________ / О. А. Кузнецова"
    assert result.as_dict()["penalty"] == "299.00"
    assert result.as_dict()["deadline"] == "2026-11-13"


def test_the_new_term_is_configurable(late, tmp_path):
    _, texts = run(late, tmp_path, only=("inaction",), reply_days=5)
    assert "Указанные требования прошу удовлетворить в течение 5 дней со дня получения настоящей претензии." in texts["inaction"]


def test_repeat_claim_goes_to_the_seller_with_a_copy_for_quality_problems(expired, tmp_path):
    _, texts = run(expired, tmp_path, only=("inaction",))
    lines = texts["inaction"].splitlines()
    assert lines[0] == "ООО «Ромашка-Ритейл»"
    assert lines[2].startswith("Копия: ООО «Инстамарт Сервис» (сервис «Купер»)")
    assert "от Черных Ольги Викторовны" in lines
    assert "заказным письмом (почтовый идентификатор № 19102584123456)" in texts["inaction"]
    assert "Претензия получена адресатом 13.11.2026." in lines
    # The demand is worded for what it is: a refund of the goods' price on refusing the contract (ст. 18 п. 1).
    assert ("В связи с отказом от исполнения договора купли-продажи в отношении товара ненадлежащего качества "
            "(«Йогурт греческий 2 %, 4 шт.») вернуть уплаченную за него сумму в размере 1 250 руб. 50 коп.") \
        in texts["inaction"]


# --------------------------------------------------------------------------- Rospotrebnadzor


def test_rospotrebnadzor_complaint_has_the_59_fz_content(late, tmp_path):
    result, texts = run(late, tmp_path, only=("rospotrebnadzor",))
    text = texts["rospotrebnadzor"]
    lines = text.splitlines()
    assert lines[:2] == [
        "Руководителю",
        "Управления Федеральной службы по надзору в сфере защиты прав потребителей и благополучия человека по "
        "городу Москве",
    ]
    assert "от Кузнецовой Ольги Андреевны" in lines
    assert "адрес: 125047, г. Москва, ул. Тверская-Ямская 1-я, д. 12, кв. 34" in lines
    assert "\nЖАЛОБА\n(о нарушении прав потребителя)\n" in text
    assert "ООО «Инстамарт Сервис» (сервис «Купер») — владелец агрегатора и исполнитель услуги доставки" in text
    assert "ОГРН 1187746494980" in text
    assert "истёк 13.11.2026" in text
    assert "– п. 1–3 ст. 23.1 Закона РФ «О защите прав потребителей» (последствия нарушения продавцом срока" in text
    assert "Федеральным законом от 02.05.2006 № 59-ФЗ" in text
    assert "ПРОШУ:\n1. Рассмотреть настоящую жалобу" in text
    assert "(30 дней со дня регистрации обращения)" in text
    assert "Роспотребнадзор не взыскивает денежные средства в пользу потребителя" in text
    assert "Приложения:\n1. Копия претензии от 03.11.2026\n" in text
    assert "Скриншот заказа № R-84512376 с выбранным интервалом доставки" in text
    assert lines[-1] == "25.11.2026\t_______________ / О. А. Кузнецова"
    assert any("77.rospotrebnadzor.ru" in w and "не подтверждены" in w for w in result.warnings)
    assert any("Госуслугах" in s and "30 дней" in s for s in result.next_steps)


def test_rospotrebnadzor_complaint_names_seller_and_service_and_the_koap_article(expired, tmp_path):
    _, texts = run(expired, tmp_path, only=("rospotrebnadzor",))
    text = texts["rospotrebnadzor"]
    assert "по городу Санкт-Петербургу" in text.splitlines()[1]
    assert "– ООО «Ромашка-Ритейл» — продавец по кассовому чеку; адрес: 190000" in text
    # Only the seller answers for the expired goods (ЗоЗПП ст. 12 п. 2.2): the warning is asked for it alone.
    assert "объявить ООО «Ромашка-Ритейл» предостережение" in text
    assert "ст. 14.4 КоАП РФ" in text


def requests_of(text: str) -> str:
    """The «ПРОШУ:» part of a complaint, up to the note that the office does not recover money."""
    return text.split("ПРОШУ:\n", 1)[1].split("Мне известно", 1)[0]


def test_rospotrebnadzor_asks_only_for_what_248_fz_allows(expired, tmp_path):
    result, texts = run(expired, tmp_path, only=("rospotrebnadzor",))
    text = texts["rospotrebnadzor"]
    asked = requests_of(text)
    assert "предостережени" in asked and "ч. 1 ст. 49 Федерального закона № 248-ФЗ" in asked
    assert ("Поскольку продажа товара с истёкшим сроком годности создаёт угрозу причинения вреда жизни и здоровью "
            "потребителей, при наличии оснований, предусмотренных ст. 57 Федерального закона № 248-ФЗ и "
            "постановлением Правительства РФ от 10.03.2022 № 336, провести в отношении ООО «Ромашка-Ритейл» "
            "внеплановое контрольное (надзорное) мероприятие, а по его результатам принять меры, предусмотренные "
            "ст. 90 Федерального закона № 248-ФЗ.") in asked  # the seller sold the goods, not the aggregator
    assert ("В случае предъявления мною иска о защите прав потребителя по изложенным обстоятельствам вступить в дело "
            "для дачи заключения (ст. 40 Закона РФ «О защите прав потребителей», ч. 1 ст. 47 ГПК РФ).") in asked
    assert [line.split(". ", 1)[0] for line in asked.strip().splitlines()] == ["1", "2", "3", "4"]
    assert "Федеральным законом от 31.07.2020 № 248-ФЗ «О государственном контроле (надзоре)" in text
    for banned in ("выдать предписание", "привлечь", "Провести проверку", "14.8"):
        assert banned not in text, banned
    assert "ст. 14.4 КоАП РФ" in text  # confirmed (law.md §5): kept
    assert "В претензии были заявлены следующие требования:\n1. " in text
    assert any("По электронной почте её не подают" in s and "547-ФЗ" in s for s in result.next_steps)


def test_a_control_measure_is_asked_for_only_where_there_is_a_threat_to_life_or_health(late, tmp_path):
    _, texts = run(late, tmp_path, only=("rospotrebnadzor",))
    asked = requests_of(texts["rospotrebnadzor"])
    assert "контрольное (надзорное) мероприятие" not in asked
    assert "предостережени" in asked and "для дачи заключения" in asked
    late["problem"]["emergency"] = True
    _, texts = run(late, tmp_path / "emergency", only=("rospotrebnadzor",), force=True)
    assert "Поскольку нарушение создаёт угрозу причинения вреда жизни и здоровью граждан" in texts["rospotrebnadzor"]
    late["problem"]["emergency"] = False
    late["problem"]["also"] = ["expired_goods"]  # a further problem of the same order is enough
    _, texts = run(late, tmp_path / "also", only=("rospotrebnadzor",))
    assert "Поскольку продажа товара с истёкшим сроком годности" in texts["rospotrebnadzor"]
    del late["problem"]["also"]
    late["order"]["items"] = [{"name": "Кефир", "quantity": 1, "price": "120,00", "issue": "expired_goods"}]
    _, texts = run(late, tmp_path / "item", only=("rospotrebnadzor",))  # so is one expired item
    assert "Поскольку продажа товара с истёкшим сроком годности" in texts["rospotrebnadzor"]


def test_the_kuper_expired_example_renders_the_new_requests_from_the_cli(tmp_path):
    from typer.testing import CliRunner

    from complaint_cli.cli import app
    from tests.conftest import EXAMPLES

    out = tmp_path / "x"
    result = CliRunner().invoke(app, ["escalate", str(EXAMPLES / "kuper_expired_goods.yaml"), "--on", "01.12.2026",
                                      "--only", "rospotrebnadzor", "--force", "--out", str(out)])
    assert result.exit_code == 0, result.output
    (docx,) = out.glob("Жалоба_Роспотребнадзор_*.docx")
    text = normalize_spaces(document_text(docx.read_bytes()))
    assert "предостережени" in text and "ст. 49" in text and "для дачи заключения" in text
    assert "выдать предписание" not in text
    assert not any(marker in text for marker in LEFTOVERS)


@pytest.mark.parametrize(
    ("alias", "office_tail"),
    [
        ("Москва", "по городу Москве"),
        ("г. Москва", "по городу Москве"),
        ("мск", "по городу Москве"),
        ("Санкт-Петербург", "по городу Санкт-Петербургу"),
        ("Московская обл.", "по Московской области"),
        ("Татарстан", "по Республике Татарстан (Татарстан)"),
        ("ХМАО", "по Ханты-Мансийскому автономному округу – Югре"),
        ("Севастополь", "по Республике Крым и городу Севастополю"),
        ("77", "по городу Москве"),
    ],
)
def test_region_aliases_choose_the_territorial_office(late, tmp_path, alias, office_tail):
    late["claimant"]["region"] = alias
    _, texts = run(late, tmp_path, only=("rospotrebnadzor",))
    office = texts["rospotrebnadzor"].splitlines()[1]
    assert office.endswith(office_tail)
    assert office.startswith(("Управления Федеральной службы", "Межрегионального управления Федеральной службы"))


def test_unknown_region_is_a_clear_error_with_the_closest_matches(late, tmp_path):
    case = make_case(late)
    case.claimant.region = "Масква"
    with pytest.raises(ComplaintError, match="не найден.*Москва"):
        escalate(case, out_dir=tmp_path, on=TODAY, options=EscalationOptions(only=("inaction", "rospotrebnadzor")))
    assert list(tmp_path.iterdir()) == []


def test_office_genitive_is_built_from_the_office_name():
    assert office_genitive("Управление Роспотребнадзора по г. Москве") == "Управления Роспотребнадзора по г. Москве"
    assert office_genitive("Межрегиональное управление Роспотребнадзора по Республике Крым и городу Севастополю") \
        == "Межрегионального управления Роспотребнадзора по Республике Крым и городу Севастополю"


# --------------------------------------------------------------------------- the court claim


def test_court_claim_for_a_magistrate_with_blanks_for_missing_data(late, tmp_path):
    result, texts = run(late, tmp_path, only=("court",))
    text = texts["court"]
    lines = text.splitlines()
    assert lines[0] == "Мировому судье судебного участка № ____"
    assert "Истец: Кузнецова Ольга Андреевна" in lines
    assert "дата и место рождения: ____, ____" in lines
    assert "идентификатор (СНИЛС, ИНН или паспорт): ____" in lines
    assert "Ответчик: ООО «Инстамарт Сервис» (сервис «Купер»)" in lines
    # 4 571,00 (goods) + 299,00 (fee) + 269,10 (ст. 28 п. 5) + 29,90 (ст. 31 п. 3) = 5 169,00; no ст. 23.1 without
    # the seller (law.md §0b.9)
    assert "Цена иска: 5 169 руб. 00 коп. (пять тысяч сто шестьдесят девять рублей 00 копеек)" in lines
    assert "Госпошлина: не уплачивается (п. 3 ст. 17 Закона РФ «О защите прав потребителей», подп. 4 п. 2, п. 3 " \
           "ст. 333.36 НК РФ)" in lines
    assert "\nИСКОВОЕ ЗАЯВЛЕНИЕ\n" in text
    assert "не превышает 100 000 руб., поэтому дело подсудно мировому судье (п. 5 ч. 1 ст. 23 ГПК РФ)" in text
    assert "ПРОШУ:\n1. Взыскать с ООО «Инстамарт Сервис» (сервис «Купер») в пользу Кузнецовой Ольги Андреевны " \
           "предварительно уплаченную за товар сумму в размере 4 571 руб. 00 коп." in text
    assert "2. Взыскать с ООО «Инстамарт Сервис» (сервис «Купер») в пользу Кузнецовой Ольги Андреевны плату за " \
           "доставку заказа в размере 299 руб. 00 коп." in text
    assert "неустойку по п. 3 ст. 23.1" not in text and "не раскрыт" not in text
    assert "компенсацию морального вреда в размере ____ руб." in text
    assert "штраф в размере 50 % от суммы, присуждённой судом в пользу потребителя (п. 6 ст. 13" in text
    assert "(почтовая квитанция и опись вложения)" in text
    assert "Расчёт взыскиваемых денежных сумм, подписанный истцом" in text
    assert "\nРАСЧЁТ\nвзыскиваемых денежных сумм к исковому заявлению Кузнецовой Ольги Андреевны к ООО" in text
    assert "Цена иска (ст. 91 ГПК РФ): 4 571,00 руб. + 299,00 руб. + 269,10 руб. + 29,90 руб. = 5 169,00 руб." in text
    assert "Иск предъявлен по месту жительства истца" in text and "п. 2 ст. 17" in text
    blanks = {w.split("(")[-1].split(")")[0] for w in result.warnings if w.startswith("Иск: не указано")}
    assert blanks == {"claimant.birth_date", "claimant.birth_place", "claimant.identifier", "--moral-damages",
                      "--court-name"}


def test_court_claim_with_complete_data_has_no_blanks(late, tmp_path):
    late["claimant"].update({"birth_date": "1985-03-12", "birth_place": "г. Москва",
                             "identifier": "СНИЛС 112-233-445 95"})
    result, texts = run(late, tmp_path, only=("court",), moral_damages=Decimal("5000"),
                        court_name="Мировому судье судебного участка № 372 Тверского района г. Москвы",
                        costs=(("почтовые расходы", Decimal("285.04")),))
    text = texts["court"]
    assert not re.search(r"(?<!_)____(?!_)", text)  # a blank, not the signature line
    assert not [w for w in result.warnings if w.startswith("Иск: не указано")]
    assert text.splitlines()[0] == "Мировому судье судебного участка № 372 Тверского района г. Москвы"
    assert "дата и место рождения: 12.03.1985, г. Москва" in text
    assert "\nСНИЛС 112-233-445 95\n" in text
    assert "компенсацию морального вреда в размере 5 000 руб. 00 коп. (пять тысяч рублей 00 копеек)." in text
    assert "судебные расходы: почтовые расходы — 285 руб. 04 коп. (двести восемьдесят пять рублей 04 копейки)." in text
    # Costs and moral damages stay out of the claim value; the fine estimate includes moral damages.
    assert "Цена иска: 5 169 руб. 00 коп." in text
    assert "50 % × (5 169,00 руб. + 5 000,00 руб.) = 5 084,50 руб." in text


def test_moral_damages_demand_of_the_case_is_used_when_no_option_is_given(late, tmp_path):
    late["demands"].append({"kind": "moral_damages", "amount": "3 000"})
    _, texts = run(late, tmp_path, only=("court",))
    assert "компенсацию морального вреда в размере 3 000 руб. 00 коп. (три тысячи рублей 00 копеек)." in texts["court"]


def test_court_defendant_is_the_seller_for_quality_and_the_service_for_delivery(late, expired, tmp_path):
    _, texts = run(expired, tmp_path / "a", only=("court",))
    assert "Ответчик: ООО «Ромашка-Ритейл»" in texts["court"]
    assert "Взыскать с ООО «Ромашка-Ритейл» в пользу Черных Ольги Викторовны" in texts["court"]
    late["seller"] = expired["seller"]
    _, texts = run(late, tmp_path / "b", only=("court",))
    # Never delivered: the aggregator refunds the prepayment paid to it (ст. 12 п. 2.4), the seller on the receipt
    # owes the ст. 23.1 penalty — both are sued, the service first (the main problem is the delivery).
    assert "Ответчик 1: ООО «Инстамарт Сервис» (сервис «Купер»)" in texts["court"]
    assert "Ответчик 2: ООО «Ромашка-Ритейл»" in texts["court"]
    assert "Взыскать с ООО «Ромашка-Ритейл» в пользу Кузнецовой Ольги Андреевны неустойку по п. 3 ст. 23.1" \
        in texts["court"]


def test_court_defendant_with_a_spelled_out_legal_form_declines(expired, tmp_path):
    expired["seller"]["name"] = "Общество с ограниченной ответственностью «Ромашка-Ритейл»"
    _, texts = run(expired, tmp_path, only=("court",))
    assert "Взыскать с Общества с ограниченной ответственностью «Ромашка-Ритейл» в пользу Черных" in texts["court"]
    assert "к Обществу с ограниченной ответственностью «Ромашка-Ритейл» о защите прав потребителя" in texts["court"]


def test_representative_block_and_signature(expired, tmp_path):
    expired["representative"] = {"full_name": "Петров Пётр Петрович",
                                 "address": "191186, г. Санкт-Петербург, Невский пр., д. 1, оф. 5",
                                 "power_of_attorney": "доверенность от 01.11.2026 № 78 АБ 1234567"}
    _, texts = run(expired, tmp_path, only=("court",))
    lines = texts["court"].splitlines()
    assert "Представитель истца: Петров Пётр Петрович" in lines
    assert "доверенность от 01.11.2026 № 78 АБ 1234567" in lines
    assert "Копия доверенности представителя от 01.11.2026 № 78 АБ 1234567" in texts["court"]
    assert lines[-1] == "25.11.2026\tПредставитель истца по доверенности _______________ / П. П. Петров"


def test_above_a_million_the_district_court_and_the_duty_due(missing_case, tmp_path):
    with_seller(missing_case)
    missing_case["order"].update({"amount": "1 500 000,00", "items": []})
    missing_case["demands"] = [{"kind": "refund", "amount": "1 500 000,00"}]
    _, texts = run(missing_case, tmp_path, only=("court",))
    text = texts["court"]
    assert text.splitlines()[0] == "В ____ районный (городской) суд"
    assert "поэтому дело подсудно районному суду (ст. 24 ГПК РФ)" in text
    # 1 500 000 + ст. 23.1 for the missing goods from 06.11 (20 days × 7 500) = 1 650 000 → 31 500 − 25 000
    assert "Госпошлина: 6 500 руб. 00 коп. (шесть тысяч пятьсот рублей 00 копеек)" in text
    assert "Документ об уплате государственной пошлины" in text


# --------------------------------------------------------------------------- the review and the templates


def test_public_review_is_calm_and_names_only_the_first_name(late, tmp_path):
    _, texts = run(late, tmp_path, only=("review",))
    review = texts["review"]
    assert review.startswith("Отзыв: сервис «Купер»\n")
    assert review.rstrip().endswith("Ольга")
    assert "я оформила заказ в сервисе «Купер» на сумму 4 870,00 руб." in review
    assert "Установленный законом срок для удовлетворения требований истёк 13.11.2026; ответа я не получила" in review
    assert "нарушен" not in review and "закон" not in review.replace("Установленный законом", "")
    for private in ("Кузнецова", "Андреевна", "Тверская", "916", "example.ru", "R-84512376", "5512", "!"):
        assert private not in review


def test_nothing_is_left_of_the_template_in_any_letter(late, expired, missing_case, tmp_path):
    cases = (late, expired, missing_case)
    for i, data in enumerate(cases):
        result, texts = run(data, tmp_path / str(i))
        # the penalty appendix comes with the letters when a penalty is counted (not for missing_case: law.md §0b.9)
        assert set(texts) == {"inaction", "rospotrebnadzor", "court", "review"} | (
            {"penalty"} if data is not missing_case else set())
        for kind, text in texts.items():
            for token in LEFTOVERS:
                assert token not in text, (kind, token)


def test_user_text_is_never_template_code(late, tmp_path):
    late["problem"]["description"] = "Курьер написал {{ 7*7 }} и {% if 1 %}X{% endif %} <b>&amp;</b>"
    _, texts = run(late, tmp_path, only=("court", "inaction"))
    for text in (texts["court"], texts["inaction"]):
        assert "Курьер написал {{ 7*7 }} и {% if 1 %}X{% endif %} <b>&amp;</b>" in text


def test_every_template_variable_is_documented():
    from complaint_cli.court import COURT_VARIABLES
    from complaint_cli.escalation import INACTION_VARIABLES, ROSPOTREBNADZOR_VARIABLES
    from complaint_cli.render import load_template

    loops = {"demand", "paragraph", "item", "subject", "ground", "line", "loop"}
    for name, documented in (("inaction.docx", INACTION_VARIABLES), ("rospotrebnadzor.docx", ROSPOTREBNADZOR_VARIABLES),
                             ("court.docx", COURT_VARIABLES)):
        source = re.sub(r"<[^>]+>", "", load_template(name).source)
        used = set(re.findall(r"\b([a-z_]+)(?:\.[a-z_]+)?\b(?=[^{}]*[%}]})", source))
        roots = {key.split(".")[0] for key in documented}
        keywords = {"if", "else", "endif", "for", "endfor", "in", "length", "not", "and", "or", "last", "first",
                    "index", "p"}
        assert used - loops - keywords <= roots, (name, used - loops - keywords - roots)


class ScriptedAsker:
    """Answers the questions in order; records what ``validate`` says about a wrong answer first."""

    def __init__(self, answers: dict[str, tuple[str, str | None]]):
        self.answers = answers
        self.asked: list[str] = []
        self.rejections: list[str] = []

    def text(self, message, *, default="", instruction=None, validate=None):
        self.asked.append(message)
        key = next(k for k in self.answers if k in message)
        good, bad = self.answers[key]
        if bad is not None and validate is not None:
            self.rejections.append(validate(bad))
        assert validate is None or validate(good) is None
        return good


def test_on_a_terminal_missing_court_data_is_asked_validated_and_saved(late, tmp_path):
    from complaint_cli.casefile import read_case_data
    from complaint_cli.escalation import escalate_file
    from tests.conftest import write_yaml

    path = write_yaml(tmp_path / "case.yaml", late)
    asker = ScriptedAsker({
        "дата рождения": ("12.03.1985", "31.02.1985"),
        "место рождения": ("г. Москва", None),
        "идентификатор": ("СНИЛС 112-233-445 95", None),
        "морального вреда": ("5 000", "-5"),
        "суд": ("", None),  # Enter: keep the blank
    })
    result = escalate_file(path, out_dir=tmp_path / "out", on=TODAY, today=TODAY,
                           options=EscalationOptions(only=("court",)), asker=asker)
    assert len(asker.asked) == 5
    assert all(r for r in asker.rejections)  # 31.02 and a negative sum were refused with a message
    saved = read_case_data(path)["claimant"]
    assert (saved["birth_date"], saved["birth_place"], saved["identifier"]) == \
        ("1985-03-12", "г. Москва", "СНИЛС 112-233-445 95")
    text = normalize_spaces(document_text(result.documents[0].path.read_bytes()))
    assert "дата и место рождения: 12.03.1985, г. Москва" in text
    assert "компенсацию морального вреда в размере 5 000 руб. 00 коп." in text
    assert text.splitlines()[0] == "Мировому судье судебного участка № ____"
    assert [w for w in result.warnings if w.startswith("Иск: не указано")] == [
        "Иск: не указано — наименование суда (номер судебного участка) (--court-name); в тексте оставлен пропуск «____»."
    ]


def test_nothing_is_asked_when_the_escalation_is_refused(late, tmp_path):
    from complaint_cli.escalation import escalate_file
    from tests.conftest import write_yaml

    received(late, "2026-11-20", "2026-11-20")
    path = write_yaml(tmp_path / "case.yaml", late)
    asker = ScriptedAsker({})
    with pytest.raises(TooEarly):
        escalate_file(path, on=TODAY, today=TODAY, asker=asker)
    assert asker.asked == []
