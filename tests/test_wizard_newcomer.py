"""Issue 16 item 7, the wizard's part: a date is offered for editing as the prompt asks for it (ДД.ММ.ГГГГ); the
postcode and the legal form the questions ask for are insisted on (a case file keeps them as warnings)."""

from __future__ import annotations

import datetime as dt

import pytest

from complaint_cli.validation import POSTCODE_MISSING, validate_data
from complaint_cli.wizard import QUESTIONS, Wizard, check_answer
from tests.conftest import TODAY


class OneAnswer:
    """An asker that records the default it was offered and answers with it (Enter)."""

    def __init__(self):
        self.defaults: list[str] = []

    def text(self, message, *, default="", instruction=None, validate=None):
        self.defaults.append(default)
        return default


def _question(path: str):
    return next(q for q in QUESTIONS if q.path == path)


def test_editing_a_date_from_a_case_file_offers_it_as_dd_mm_yyyy(late_case):
    late_case["order"]["date"] = "2026-03-14"  # as a case file holds it
    asker = OneAnswer()
    wizard = Wizard(asker=asker, today=TODAY, console=None, data=late_case)
    wizard.ask(_question("order.date"))
    assert asker.defaults == ["14.03.2026"]
    assert validate_data(wizard.data, today=TODAY).case.order.date == dt.date(2026, 3, 14)


def test_a_text_answer_that_looks_like_a_date_is_not_rewritten(late_case):
    late_case["order"]["number"] = "2026-03-14"
    asker = OneAnswer()
    Wizard(asker=asker, today=TODAY, console=None, data=late_case).ask(_question("order.number"))
    assert asker.defaults == ["2026-03-14"]


def test_by_post_the_wizard_wants_the_postcode_a_case_file_only_warns(late_case):
    late_case["submission"] = {"channel": "post"}
    q = _question("claimant.address")
    assert check_answer(late_case, q, "г. Москва, ул. Тверская, д. 1, кв. 2", today=TODAY) == (
        POSTCODE_MISSING[:1].upper() + POSTCODE_MISSING[1:])
    assert check_answer(late_case, q, "125047, г. Москва, ул. Тверская, д. 1, кв. 2", today=TODAY) is None
    late_case["claimant"]["address"] = "г. Москва, ул. Тверская, д. 1, кв. 2"
    report = validate_data(late_case, today=TODAY)
    assert not report.errors and f"claimant.address: {POSTCODE_MISSING}" in report.warnings
    late_case["submission"] = {"channel": "app"}  # not by post: the postcode is not needed
    assert check_answer(late_case, q, "г. Москва, ул. Тверская, д. 1, кв. 2", today=TODAY) is None


@pytest.mark.parametrize(("name", "ok"), [
    ("Ромашка", False), ("«Ромашка»", False), ("ООО «Ромашка»", True), ("АО «Тандер»", True),
    ("ИП Иванов Иван Иванович", True), ("Общество с ограниченной ответственностью «Ромашка»", True),
    ("Публичное акционерное общество «Магнит»", True), ("Оооо", False),
])
def test_the_organisations_name_must_start_with_its_legal_form_in_the_wizard(late_case, name, ok):
    problem = check_answer(late_case, _question("company.name"), name, today=TODAY)
    assert (problem is None) == ok, problem
    if not ok:
        assert "ООО, АО" in problem


def test_by_e_mail_the_wizard_wants_the_companys_address_and_the_guide_says_where_to_find_it(late_case, tmp_path):
    from typer.testing import CliRunner

    from complaint_cli.cli import app
    from complaint_cli.validation import COMPANY_EMAIL_MISSING
    from tests.conftest import write_yaml

    late_case["submission"] = {"channel": "email"}
    late_case["company"].pop("email", None)
    q = _question("company.email")
    problem = check_answer(late_case, q, "", today=TODAY)
    assert problem is not None and "оферте" in problem
    assert check_answer(late_case, q, "claims@kuper.ru", today=TODAY) is None
    assert f"company.email: {COMPANY_EMAIL_MISSING}" in validate_data(late_case, today=TODAY).warnings
    path = write_yaml(tmp_path / "дело.yaml", late_case)
    guide = CliRunner().invoke(app, ["guide", str(path)])
    assert guide.exit_code == 0, guide.output
    assert "«Контакты» или «Реквизиты»" in guide.stdout and "--to АДРЕС" in guide.stdout


def test_editing_a_sum_offers_it_as_the_example_writes_it(late_case):
    late_case["order"]["delivery_fee"] = "2.00"
    asker = OneAnswer()
    wizard = Wizard(asker=asker, today=TODAY, console=None, data=late_case)
    wizard.ask(_question("order.delivery_fee"))
    assert asker.defaults == ["2,00"]
    assert validate_data(wizard.data, today=TODAY).case.order.delivery_fee == 2
