"""Every letter of a case is drawn from one legal analysis, so one case's letters never disagree (issue 14).

End to end through the CLI: the claim, the repeat claim, the Rospotrebnadzor complaint and the court claim of the
same case name the same parties, the same facts and the same penalties; the court claim is refused rather than
sue an aggregator as the seller.
"""

from __future__ import annotations

import datetime as dt
import copy
import json

import pytest
from typer.testing import CliRunner

from complaint_cli.cli import app
from complaint_cli.money import normalize_spaces
from complaint_cli.render import document_text
from tests.conftest import load_example, write_yaml

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def texts(result) -> dict[str, str]:
    doc = json.loads(result.stdout)
    return {d["kind"]: normalize_spaces(document_text(open(d["path"], "rb").read())) for d in doc["documents"]
            if d["path"].endswith(".docx")}


def test_two_problems_in_one_order_go_to_the_seller_and_the_aggregator_jointly_and_both_are_sued(tmp_path):
    case = write_yaml(tmp_path / "case.yaml", load_example("kuper_two_problems.yaml"))
    claim = run("render", case, "--out", tmp_path / "out", "--json")
    assert claim.exit_code == 0, claim.output
    later = run("escalate", case, "--on", "10.12.2026", "--out", tmp_path / "out", "--json")
    assert later.exit_code == 0, later.output
    letters = {**texts(claim), **texts(later)}
    head = letters["claim"].split("ПРЕТЕНЗИЯ")[0]
    # Two addressees, not «Копия:»: the seller answers for the melted ice cream, Kuper for the late delivery.
    assert "ООО «Продукты у дома»" in head and "ООО «Инстамарт Сервис» (сервис «Купер»)" in head
    assert "Копия:" not in head
    for kind in ("claim", "inaction", "court"):
        assert "с опозданием на 2 ч 30 мин после окончания согласованного интервала" in letters[kind], kind
        assert "«Мороженое пломбир в вафельном стаканчике, 80 г» — 6 шт. на сумму 539,40 руб." in letters[kind]
    # The hourly ст. 28 п. 5 penalty for 2 full hours on the fee is the same sum in every letter.
    for kind in ("claim", "inaction", "court"):
        assert "3 % × 199,00 руб. × 2 часа = 11,94 руб." in letters[kind], kind
    court = letters["court"]
    assert "Ответчик 1: ООО «Инстамарт Сервис»" in court and "Ответчик 2: ООО «Продукты у дома»" in court
    assert "Взыскать с ООО «Продукты у дома» в пользу Петрова Никиты Сергеевича уплаченную за товар ненадлежащего " \
           "качества сумму в размере 539 руб. 40 коп." in court
    assert ("Взыскать с ООО «Инстамарт Сервис» (сервис «Купер») в пользу Петрова Никиты Сергеевича денежные средства в "
            "счёт уменьшения цены услуги по доставке") in court
    # Each defendant pays the fine on what is awarded against it; moral damages are shared (ЗоЗПП ст. 13 п. 6, 15).
    assert "Взыскать с каждого из ответчиков в пользу Петрова Никиты Сергеевича штраф в размере 50 % от суммы, " \
           "присуждённой с этого ответчика" in court
    claim = letters["claim"]
    assert "Требование пункта 1 предъявляется ООО «Продукты у дома» как продавцу; требования пунктов 2 и 3 " \
           "предъявляются ООО «Инстамарт Сервис» (сервис «Купер») как владельцу агрегатора и исполнителю услуги по " \
           "доставке." in claim
    inaction = letters["inaction"]
    # The repeat claim splits the penalties by who owes them, and says again who each demand goes to.
    assert "Выплатить неустойку (п. 1 ст. 23 Закона РФ «О защите прав потребителей»; расчёт приведён выше)" in inaction
    assert "Выплатить неустойку (п. 5 ст. 28, п. 3 ст. 31 Закона РФ «О защите прав потребителей»; расчёт приведён " \
           "выше)" in inaction
    assert "предъявляются ООО «Продукты у дома» как продавцу" in inaction
    assert "Иск предъявлен по месту жительства истца" in court and "п. 2 ст. 17" in court


def test_a_quality_claim_through_an_aggregator_without_the_seller_is_never_a_suit_against_the_aggregator(tmp_path):
    data = load_example("kuper_expired_goods.yaml")
    del data["seller"]
    data["submission"]["received_on"] = "2026-11-13"
    case = write_yaml(tmp_path / "case.yaml", data)
    check = run("validate", case, "--json")
    assert any(w.startswith("seller:") for w in json.loads(check.stdout)["warnings"])
    claim = run("render", case, "--out", tmp_path / "out", "--json")
    assert claim.exit_code == 0  # the first claim may still go to the aggregator
    court = run("escalate", case, "--on", "30.11.2026", "--only", "court", "--out", tmp_path / "out")
    assert court.exit_code == 1
    assert "seller" in court.stderr and "п. 2.2 ст. 12" in court.stderr
    assert not list((tmp_path / "out").glob("Исковое*"))
    others = run("escalate", case, "--on", "30.11.2026", "--only", "inaction,rospotrebnadzor", "--out",
                 tmp_path / "out", "--json")
    assert others.exit_code == 0, others.output


def test_the_date_on_the_first_claim_is_the_date_every_later_letter_refers_to(tmp_path, monkeypatch):
    data = copy.deepcopy(load_example("kuper_not_delivered.yaml"))
    case = write_yaml(tmp_path / "case.yaml", data)
    monkeypatch.setenv("COMPLAINT_CLI_TODAY", "2026-11-02")
    assert run("render", case, "--out", tmp_path / "out").exit_code == 0  # printed and dated 02.11.2026
    monkeypatch.setenv("COMPLAINT_CLI_TODAY", "2026-11-25")
    assert run("sent", case, "--on", "03.11.2026", "--channel", "post", "--reference", "12345678901234").exit_code == 0
    assert run("received", case, "--on", "05.11.2026").exit_code == 0
    later = run("escalate", case, "--out", tmp_path / "out", "--json")
    assert later.exit_code == 0, later.output
    letters = texts(later)
    assert "(на бездействие по претензии от 02.11.2026)" in letters["inaction"]
    for kind in ("inaction", "rospotrebnadzor", "court"):
        assert "03.11.2026 мною в адрес ООО «Инстамарт Сервис» (сервис «Купер») направлена претензия от 02.11.2026" \
               in letters[kind], kind
        assert "Копия претензии от 02.11.2026" in letters[kind], kind


def test_calc_case_shows_the_analysis_every_letter_is_drawn_from(tmp_path):
    case = write_yaml(tmp_path / "case.yaml", load_example("kuper_late_delivery.yaml"))
    human = run("calc", "case", case, "--on", "30.11.2026")
    assert human.exit_code == 0, human.output
    out = normalize_spaces(human.stdout)
    assert "Неустойка по п. 5 ст. 28: с 18:00 02.11.2026 по 22:40 02.11.2026 (4 полных часа)" in out
    assert "Не взыскивается: Неустойка по п. 3 ст. 23.1" in out
    doc = json.loads(run("calc", "case", case, "--on", "30.11.2026", "--json").stdout)
    assert [(p["norm"], p["unit"], p["count"], p["amount"]) for p in doc["penalties"]] == [("28", "hour", 4, "35.88")]
    assert doc["roles"]["aggregator"] is True and doc["defendants"][0]["ogrn"] == "1187746494980"
    assert doc["demands"][0]["subject"] == "delivery_fee" and doc["demands"][0]["article"].startswith("п. 1 ст. 31")


def test_two_defendants_are_told_apart_by_what_each_answers_for(missing_case, tmp_path):
    """A missing-items case through the aggregator with the seller known: the seller answers for the ст. 23.1
    penalty, the aggregator for the prepayment it took — never «по требованиям о качестве товара» (no quality issue)."""
    from complaint_cli.court import two_defendants_note
    from complaint_cli.law.analysis import analyze
    from complaint_cli.validation import validate_data

    missing_case["seller"] = {"name": "ООО «Ашан»", "address": "141014, Московская обл., г. Мытищи, Осташковское ш., д. 1"}
    missing_case["submission"] = {"channel": "post", "sent_on": "2026-11-16", "received_on": "2026-11-19"}
    case = validate_data(missing_case, today=dt.date(2026, 12, 1)).raise_for_errors()
    a = analyze(case, dt.date(2026, 12, 1))
    if len(a.defendants) < 2:
        pytest.skip("this example has one defendant")
    note = two_defendants_note(a)
    assert "качеств" not in note
    assert "п. 3 ст. 23.1" in note and "п. 2.4 ст. 12" in note


def test_a_repeated_demand_names_what_is_to_be_returned(late_case, missing_case):
    """The repeat claim drops «отказываюсь от исполнения договора…» (declared in the first claim): the pronoun that
    pointed at the service or the goods must not be left pointing at nothing (lawyer review, M4)."""
    from complaint_cli.law.analysis import analyze
    from complaint_cli.validation import validate_data

    texts = []
    for data in (late_case, missing_case):
        data["submission"] = {"channel": "app", "sent_on": "2026-11-06", "received_on": "2026-11-06"}
        case = validate_data(data, today=dt.date(2026, 12, 1)).raise_for_errors()
        texts += [d.repeat_text for d in analyze(case, dt.date(2026, 12, 1)).demands]
    assert not [t for t in texts if " за неё " in t or " за них " in t]
    assert any(t.startswith("Вернуть плату, уплаченную за услугу по доставке заказа") for t in texts)
    assert any("за непереданные товары («Сыр" in t for t in texts)


def test_no_letter_threatens_a_penalty_the_addressee_does_not_owe(tmp_path):
    """kuper_missing_items names no seller: the ст. 23.1 penalty is the seller's, so neither the claim's «I will
    claim …» sentence nor the repeat claim's names it (law.md §0b.9); with a running penalty the repeat claim does."""
    from complaint_cli.documents import render_claim
    from complaint_cli.escalation import EscalationOptions, escalate
    from complaint_cli.validation import validate_data
    from tests.conftest import TODAY

    def letters(name: str) -> dict[str, str]:
        data = load_example(name)
        data["submission"] = {"channel": "post", "sent_on": "2026-11-10", "received_on": "2026-11-11"}
        case = validate_data(data, today=TODAY).raise_for_errors()
        out = {"claim": document_text(render_claim(case, out_dir=tmp_path / name, on=TODAY, force=True)
                                      .path.read_bytes())}
        done = escalate(case, out_dir=tmp_path / name, on=TODAY,
                        options=EscalationOptions(only=("inaction",), force=True))
        out.update({d.kind: document_text(d.path.read_bytes()) for d in done.documents if d.path.suffix == ".docx"})
        return {k: normalize_spaces(v) for k, v in out.items()}

    missing = letters("kuper_missing_items.yaml")
    assert "0,5 % суммы предварительной оплаты" not in missing["claim"]
    assert "неустойку по день фактического исполнения" not in missing["inaction"]
    late = letters("kuper_late_delivery.yaml")
    assert "неустойку по день фактического исполнения обязательства, компенсацию морального вреда" in late["inaction"]
