"""The rendered claim, read back with python-docx: the letter a lawyer would expect (law.md §1.2–1.3)."""

from __future__ import annotations

import zipfile

import pytest

from complaint_cli.documents import render_claim
from complaint_cli.money import normalize_spaces
from complaint_cli.render import document_text
from complaint_cli.validation import validate_data
from tests.conftest import TODAY


def claim_text(data, tmp_path) -> str:
    case = validate_data(data, today=TODAY).raise_for_errors()
    doc = render_claim(case, out_dir=tmp_path, on=TODAY, force=True)
    return normalize_spaces(document_text(doc.path.read_bytes()))


def test_addressee_block_uses_the_dative_and_the_claimant_the_genitive(late_case, tmp_path):
    text = claim_text(late_case, tmp_path)
    lines = text.splitlines()
    assert lines[0] == "Генеральному директору"
    assert lines[1] == "ООО «Инстамарт Сервис» (сервис «Купер»)"
    assert "ОГРН 1187746494980" in lines
    assert "от Кузнецовой Ольги Андреевны" in lines
    assert "тел.: +7 916 123-45-67, e-mail: o.kuznetsova@example.ru" in lines


def test_title_subtitle_and_facts(late_case, tmp_path):
    text = claim_text(late_case, tmp_path)
    assert "\nПРЕТЕНЗИЯ\n(о нарушении срока передачи предварительно оплаченного товара)\n" in text
    assert ("02.11.2026 в 10:15 через сервис «Купер» мною оформлен и оплачен заказ № R-84512376 на сумму "
            "4 870 руб. 00 коп. (четыре тысячи восемьсот семьдесят рублей 00 копеек)") in text


def test_description_is_verbatim_with_its_line_breaks(late_case, tmp_path):
    text = claim_text(late_case, tmp_path)
    assert late_case["problem"]["description"] in text


def test_demands_are_numbered_with_amounts_in_figures_and_words(late_case, tmp_path):
    text = claim_text(late_case, tmp_path)
    assert "ТРЕБУЮ:\n1. В связи с нарушением срока передачи товара отказываюсь от исполнения договора купли-продажи " \
           "и требую вернуть предварительно уплаченную за товар сумму в размере 4 571 руб. 00 коп. (четыре тысячи " \
           "пятьсот семьдесят один рубль 00 копеек) (п. 2 ст. 23.1 и п. 2.4 ст. 12" in text
    # The delivery fee is refunded as the price of a service (ст. 28 п. 1), not as a price reduction of the goods.
    assert "2. В связи с нарушением срока оказания услуги по доставке отказываюсь от исполнения договора об оказании " \
           "этой услуги и требую вернуть уплаченную за неё плату в размере 299 руб. 00 коп. (двести девяносто девять " \
           "рублей 00 копеек) (п. 1 ст. 28" in text
    assert "уменьшить цену заказа" not in text


def test_the_users_own_words_stand_as_a_sentence_of_their_own(late_case, tmp_path):
    late_case["demands"][1]["text"] = "прошу также сообщить номер обращения"
    text = claim_text(late_case, tmp_path)
    assert "(п. 1 ст. 28 Закона РФ «О защите прав потребителей»). Прошу также сообщить номер обращения." in text


def test_a_late_but_delivered_order_says_when_it_arrived_and_charges_no_article_23_1(tmp_path):
    from tests.conftest import load_example

    text = claim_text(load_example("kuper_late_delivery.yaml"), tmp_path)
    assert ("Доставка заказа была согласована на 02.11.2026 в интервале 17:00–18:00, однако заказ передан мне только "
            "02.11.2026 в 22:40 — с опозданием на 4 ч 40 мин после окончания согласованного интервала.") in text
    assert "передан не был" not in text
    assert "0,5 %" not in text.split("ТРЕБУЮ:")[1].split("В случае")[0]
    assert "за период с 18:00 02.11.2026 по 22:40 02.11.2026 (4 полных часа): 3 % × 299,00 руб. × 4 часа = 35,88 руб." in text


def test_law_articles_and_deadline_fit_the_problem(late_case, expired_case, tmp_path):
    text = claim_text(late_case, tmp_path)
    assert "ст. 23.1 Закона РФ «О защите прав потребителей»" in text
    assert "в течение 10 дней со дня получения настоящей претензии" in text
    assert "штраф в размере 50 %" in text
    text = claim_text(expired_case, tmp_path)
    assert "п. 5 ст. 5 Закона РФ «О защите прав потребителей»" in text
    assert "ст. 18" in text and "ст. 22" in text


def test_quality_claim_goes_to_the_seller_with_a_copy_to_the_service(expired_case, tmp_path):
    lines = claim_text(expired_case, tmp_path).splitlines()
    assert lines[0] == "ООО «Ромашка-Ритейл»"
    assert "Копия: ООО «Инстамарт Сервис» (сервис «Купер»), 115035, г. Москва, ул. Садовническая, д. 9А, эт. 5, " \
           "пом. I, ком. 1" in lines
    assert "от Черных Ольги Викторовны" in lines


def test_delivery_claim_goes_to_the_service_even_when_a_seller_is_named(late_case, expired_case, tmp_path):
    late_case["seller"] = expired_case["seller"]
    lines = claim_text(late_case, tmp_path).splitlines()
    assert lines[1] == "ООО «Инстамарт Сервис» (сервис «Купер»)"


def test_attachments_are_numbered_from_the_evidence(missing_case, tmp_path):
    text = claim_text(missing_case, tmp_path)
    assert "Приложения:\n1. Электронный кассовый чек по заказу № 12345/2026\n" \
           "2. Фотографии содержимого пакетов (файл paket.png)\n" in text


def test_date_and_signature_with_initials(missing_case, tmp_path):
    text = claim_text(missing_case, tmp_path)
    assert text.splitlines()[-1] == "06.11.2026\t_______________ / И. И. Иванов"


def test_order_number_with_slashes_is_verbatim_in_the_letter_and_safe_in_the_file_name(missing_case, tmp_path):
    case = validate_data(missing_case, today=TODAY).raise_for_errors()
    doc = render_claim(case, out_dir=tmp_path, on=TODAY)
    assert doc.path.parent == tmp_path.resolve()
    assert doc.path.name == "Претензия_заказ_12345_2026.docx"
    assert "заказ №\u00a012345/2026" in document_text(doc.path.read_bytes())  # a no-break space after «№»


def test_nothing_is_left_of_the_template_syntax(late_case, missing_case, expired_case, tmp_path):
    for data in (late_case, missing_case, expired_case):
        body = claim_text(data, tmp_path).rsplit("\n", 1)[0]  # all but the signature line
        for token in ("{{", "}}", "{%", "%}", "None", "____", "Undefined"):
            assert token not in body


def test_user_data_is_never_template_code(late_case, tmp_path):
    late_case["problem"]["description"] = "Курьер написал {{ 7*7 }} и {% if 1 %}X{% endif %} <b>&amp;</b> 😀 𝔘"
    text = claim_text(late_case, tmp_path)
    assert "Курьер написал {{ 7*7 }} и {% if 1 %}X{% endif %} <b>&amp;</b> 😀 𝔘" in text


def test_the_document_is_slim(late_case, tmp_path):
    case = validate_data(late_case, today=TODAY).raise_for_errors()
    doc = render_claim(case, out_dir=tmp_path, on=TODAY)
    assert doc.path.stat().st_size < 20_000
    with zipfile.ZipFile(doc.path) as zf:
        assert zf.getinfo("word/styles.xml").file_size < 10_000


def test_existing_document_is_not_overwritten_without_force(late_case, tmp_path):
    from complaint_cli.errors import OutputExists

    case = validate_data(late_case, today=TODAY).raise_for_errors()
    render_claim(case, out_dir=tmp_path, on=TODAY)
    with pytest.raises(OutputExists, match="--force"):
        render_claim(case, out_dir=tmp_path, on=TODAY)
    render_claim(case, out_dir=tmp_path, on=TODAY, force=True)


def test_templates_in_the_repository_match_their_builder():
    """templates/*.docx are generated by scripts/build_templates.py; a hand edit there must be ported back."""
    import importlib.util
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "scripts"))
    spec = importlib.util.spec_from_file_location("build_templates", root / "scripts" / "build_templates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    built = module.build_all()
    on_disk = {str(p.relative_to(root / "templates")): p.read_bytes()
               for p in (root / "templates").rglob("*") if p.suffix in (".docx", ".xml")}
    assert sorted(on_disk) == sorted(built)
    for name, data in built.items():
        assert on_disk[name] == data, name


def test_bundled_templates_compile_from_their_precomputed_sources_without_docxtpl():
    """The precomputed Jinja sources are found by content; a changed document part falls back to docxtpl."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from complaint_cli.render import BUNDLED, load_template\n"
        "for name in BUNDLED: load_template(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('docxtpl', 'docx')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"

    from complaint_cli.render import patched_source, template_source

    xml = '<w:document><w:body><w:p><w:r><w:t>{{ a }}</w:t></w:r></w:p></w:body></w:document>'
    assert template_source(xml) == patched_source(xml)
