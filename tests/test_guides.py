"""Channel guides: the seed's steps for each channel, the proof to keep, how to record it with `complaint sent`;
the Rospotrebnadzor routes and what to do when the office is silent past 30 days."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from complaint_cli.cli import app
from complaint_cli.errors import ComplaintError
from complaint_cli.guides import CHANNELS, _data, channel_guide, rospotrebnadzor_guide
from complaint_cli.tracking import record_document
from complaint_cli.validation import build_case
from tests.conftest import EXAMPLES, write_yaml

runner = CliRunner()


def case_of(data: dict):
    case, problems, _ = build_case(data)
    assert problems == []
    return case


def text(guide) -> str:
    return "\n".join(guide.lines())


def test_the_guides_data_names_its_sources():
    data = _data()
    assert data["source"] and data["updated"] and data["notes"]
    assert set(data["channels"]) == set(CHANNELS)


@pytest.mark.parametrize("channel", CHANNELS)
def test_every_channel_has_steps_proof_and_the_command_that_records_the_sending(late_case, channel):
    guide = channel_guide(case_of(late_case), case_ref="дело.yaml", channel=channel)
    assert [s.title for s in guide.sections] == [
        "Что сделать", "Что сохранить как доказательство", "Как записать отправку в программе",
    ]
    assert all(s.steps for s in guide.sections)
    record = guide.sections[2].steps[0]
    assert record.startswith(f"Отметьте отправку: complaint sent дело.yaml --on ДД.ММ.ГГГГ --channel {channel} --reference")
    assert "{" not in text(guide), "every placeholder is filled"


def test_the_app_guide_follows_the_seed_order(late_case):
    steps = " ".join(channel_guide(case_of(late_case), case_ref="c", channel="app").sections[0].steps)
    positions = [steps.index(word) for word in ("«Помощь»", "«Поддержка»", "«Оставить жалобу»", "форму",
                                                   "Прикрепите", "фото", "скриншоты", "чеки", "«Отправить»")]
    assert positions == sorted(positions)
    assert "«Купер»" in steps and "№ R-84512376 от 02.11.2026" in steps


def test_the_hotline_guide_says_what_to_say_and_to_ask_for_the_ticket_number(late_case):
    late_case["company"]["phone"] = "+7 800 222-11-00"
    guide = text(channel_guide(case_of(late_case), case_ref="c", channel="phone"))
    assert "+7 800 222-11-00" in guide
    assert "по заказу № R-84512376 от 02.11.2026" in guide
    assert "вернуть предоплату за непереданный товар — 4\u00a0571,00 руб., вернуть плату за доставку — 299,00 руб." \
        in guide
    assert "номер тикета" in guide


def test_the_office_guide_asks_for_two_copies_and_a_received_stamp(late_case):
    guide = text(channel_guide(case_of(late_case), case_ref="c", channel="office"))
    assert "в двух экземплярах" in guide
    assert "«получено», дата, должность, фамилия и подпись" in guide


def test_the_post_guide_asks_for_an_inventory_an_acknowledgement_and_keeps_the_tracking_number(late_case):
    guide = text(channel_guide(case_of(late_case), case_ref="c", channel="post"))
    assert "с описью вложения и уведомлением о вручении" in guide
    assert "ШПИ, 14 цифр" in guide
    assert "complaint received c --on ДД.ММ.ГГГГ" in guide


def test_the_email_guide_points_at_the_draft_and_says_mailto_cannot_carry_attachments(late_case):
    late_case["company"]["email"] = "pretenzii@kuper.example"
    guide = text(channel_guide(case_of(late_case), case_ref="c", channel="email"))
    assert "complaint email c" in guide
    assert "pretenzii@kuper.example" in guide
    assert "вложения передать нельзя" in guide


def test_the_case_channel_is_the_default_and_a_missing_one_is_a_clear_error(late_case):
    assert channel_guide(case_of(late_case), case_ref="c").channel == "app"
    del late_case["submission"]
    with pytest.raises(ComplaintError) as info:
        channel_guide(case_of(late_case), case_ref="c")
    assert "submission.channel" in info.value.message and "--channel" in info.value.message


def test_the_rospotrebnadzor_guide_gives_three_routes_and_what_to_do_on_silence(late_case):
    guide = rospotrebnadzor_guide(case_of(late_case), case_ref="c")
    titles = [s.title for s in guide.sections]
    assert titles == ["Через Госуслуги", "Через сайт Управления", "По почте", "После отправки",
                      "Если Роспотребнадзор молчит дольше 30 дней"]
    body = text(guide)
    assert "Управление Роспотребнадзора по г. Москве" in body
    assert "77.rospotrebnadzor.ru" in body
    assert "gosuslugi.ru" in body
    assert "деньги не взыскивает" in body
    silence = " ".join(guide.sections[-1].steps)
    assert "руководителю Управления" in silence
    assert "центральный аппарат Роспотребнадзора: Вадковский пер., д. 18, стр. 5 и 7, г. Москва" in silence
    assert "прокуратуру" in silence


def test_an_unknown_region_gives_generic_wording_instead_of_a_wrong_office(late_case):
    late_case["claimant"]["region"] = None
    late_case["claimant"]["address"] = "где-то"
    body = text(rospotrebnadzor_guide(case_of(late_case), case_ref="c"))
    assert "Управление Роспотребнадзора вашего региона" in body
    assert "NN.rospotrebnadzor.ru" in body


def test_guide_command_prints_the_channel_guide_and_json(tmp_path):
    case = str(EXAMPLES / "kuper_late_delivery.yaml")
    result = runner.invoke(app, ["guide", case, "--channel", "post"])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""  # the guide is the product: stdout (> инструкция.txt, | less)
    assert "Как отправить претензию: заказным письмом по почте" in result.stdout
    doc = json.loads(runner.invoke(app, ["guide", case, "--json"]).stdout)
    assert [(g["kind"], g["channel"]) for g in doc["guides"]] == [("claim", "app")]


def test_guide_command_adds_the_rospotrebnadzor_guide_once_the_complaint_exists(tmp_path, late_case):
    path = write_yaml(tmp_path / "case.yaml", late_case)
    record_document(path, case_of(late_case), "rospotrebnadzor", tmp_path / "Жалоба.docx", on=dt.date(2026, 11, 20))
    doc = json.loads(runner.invoke(app, ["guide", str(path), "--json"]).stdout)
    assert [g["kind"] for g in doc["guides"]] == ["claim", "rospotrebnadzor"]
    only = json.loads(runner.invoke(app, ["guide", str(path), "--document", "rospotrebnadzor", "--json"]).stdout)
    assert [g["kind"] for g in only["guides"]] == ["rospotrebnadzor"]


def test_render_prints_the_channel_guide_after_the_documents(tmp_path):
    result = runner.invoke(app, ["render", str(EXAMPLES / "kuper_late_delivery.yaml"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.index("Готово:") < out.index("Как отправить претензию: через приложение (чат поддержки)")
    assert "complaint sent" in out


def test_guide_for_a_case_without_a_channel_asks_to_choose_one(tmp_path, late_case):
    del late_case["submission"]
    path = write_yaml(tmp_path / "case.yaml", late_case)
    result = runner.invoke(app, ["guide", str(path)])
    assert result.exit_code == 1
    assert "Не выбран способ отправки претензии: укажите submission.channel" in result.stderr
    assert f"complaint guide {path} --channel post" in result.stderr
    chosen = runner.invoke(app, ["guide", str(path), "--channel", "office"])
    assert chosen.exit_code == 0
    assert "лично в офисе" in chosen.stdout


# --------------------------------------------------------------------------- the form's text and the files


ON = dt.date(2026, 11, 25)


def expired_received(expired_case: dict) -> dict:
    expired_case["submission"]["received_on"] = "2026-11-13"
    return expired_case


def test_the_rospotrebnadzor_guide_has_a_paste_ready_text_made_of_the_complaints_own_sentences(tmp_path, expired_case):
    from complaint_cli.escalation import EscalationOptions, escalate
    from complaint_cli.money import normalize_spaces
    from complaint_cli.render import document_text

    data = expired_received(expired_case)
    guide = rospotrebnadzor_guide(case_of(data), case_ref="c", on=ON)
    form = guide.form_text
    assert form and "\u00a0" not in form and "\u202f" not in form
    lines = form.splitlines()
    assert lines[0] == ("От Черных Ольги Викторовны; адрес: 191025, г. Санкт-Петербург, Невский пр., д. 100, кв. 5; "
                        "тел.: +7 921 123-45-67; e-mail: chernykh.ov@example.ru.")
    for expected in ("заказ № SM-2026-000777", "йогурт со сроком годности до 07.11.2026", "направлена претензия",
                     "В претензии были заявлены следующие требования:", "Претензия получена адресатом 13.11.2026.",
                     "ПРОШУ:", "предостережение о недопустимости нарушения обязательных требований (ч. 1 ст. 49",
                     "для дачи заключения", "Роспотребнадзор не взыскивает"):
        assert expected in form, expected
    assert "выдать предписание" not in form and "____" not in form
    # Not a second wording: every line but the sender's is a paragraph (or list item) of the rendered .docx.
    case = build_case(data)[0]
    result = escalate(case, out_dir=tmp_path, on=ON, options=EscalationOptions(only=("rospotrebnadzor",), force=True))
    docx = normalize_spaces(document_text(result.documents[0].path.read_bytes()))
    paragraphs = set(docx.splitlines())
    for line in lines[1:]:
        assert normalize_spaces(line) in paragraphs, line
    assert "не подтверждено" in guide.form_note and str(len(form)) in guide.form_note
    assert "пропуски" not in guide.form_note


def test_the_form_text_says_when_it_has_blanks_and_when_it_cannot_be_made(expired_case):
    guide = rospotrebnadzor_guide(case_of(expired_case), case_ref="c", on=ON)  # receipt date unknown: a blank
    assert "Претензия получена адресатом ____." in guide.form_text
    assert "пропуски «____»" in guide.form_note
    expired_case["claimant"]["region"] = None
    expired_case["claimant"]["address"] = "где-то"
    guide = rospotrebnadzor_guide(case_of(expired_case), case_ref="c", on=ON)
    assert guide.form_text is None
    assert guide.form_note.startswith("Текст для формы не составлен: Не указан регион заявителя (claimant.region)")
    assert [a.description.split(" (")[0] for a in guide.attachments][:3] == [
        "Жалоба в Роспотребнадзор", "Копия претензии от 11.11.2026", "Кассовый чек и опись вложения почтового отправления"]


def test_guide_command_lists_the_files_to_attach_and_keeps_one_json_document(tmp_path, expired_case):
    from complaint_cli.service import render_claim_for_file

    data = expired_received(expired_case)
    (tmp_path / "фото.jpg").write_bytes(b"\xff\xd8\xffphoto")
    data["evidence"][0]["file"] = "фото.jpg"
    path = write_yaml(tmp_path / "case.yaml", data)
    render_claim_for_file(path, on=ON, fmt="docx")
    escalated = runner.invoke(app, ["escalate", str(path), "--on", "25.11.2026", "--only", "rospotrebnadzor",
                                    "--force"])
    assert escalated.exit_code == 0, escalated.output
    result = runner.invoke(app, ["guide", str(path), "--document", "rospotrebnadzor", "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    (g,) = doc["guides"]
    assert list(g)[:5] == ["kind", "channel", "title", "intro", "sections"]  # the contract's keys, unchanged
    assert {"form_text", "form_note", "attachments"} <= set(g)
    assert "ПРОШУ:" in g["form_text"]
    files = g["attachments"]
    assert files[0]["path"] == str(tmp_path / "Жалоба_Роспотребнадзор_заказ_SM-2026-000777.docx")
    assert files[1] == {"description": "Копия претензии от 11.11.2026",
                        "path": str(tmp_path / "Претензия_заказ_SM-2026-000777.docx")}
    assert files[2]["description"].startswith("Кассовый чек и опись вложения") and files[2]["path"] is None
    photo = [f for f in files if f["path"] == str((tmp_path / "фото.jpg").resolve())]
    assert photo and photo[0]["description"].startswith("Фотографии упаковки")
    people = runner.invoke(app, ["guide", str(path), "--document", "rospotrebnadzor"])
    assert people.stderr == ""
    assert "Текст для формы" in people.stdout and "Что приложить к обращению" in people.stdout
    assert "По электронной почте её не подают" in people.stdout
    claim_only = json.loads(runner.invoke(app, ["guide", str(path), "--document", "claim", "--json"]).stdout)
    assert "form_text" not in claim_only["guides"][0]  # claim guides keep their shape
