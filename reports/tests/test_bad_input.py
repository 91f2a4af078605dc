"""Garbage posted to every reports POST address: each answers with a clear Vietnamese message
(or 404 for another commune's ids), never a 500, and nothing is half-written."""

import uuid

import pytest

from reports.models import Indicator, MonthlyReport, ReportForm, ValidationRule
from reports.months import current_month, next_month
from reports.services import report_accept, report_form_create_default, report_submit
from reports.tests.conftest import FULL, manual_values, page_url, post_data

HUGE = "Đ" * 200_000


@pytest.fixture
def coordinator(client, cast):
    client.force_login(cast.coordinator)
    return client


def _text(response) -> str:
    return response.content.decode()


def _sent(cast, form, report):
    return report_submit(
        actor=cast.officer,
        report=report,
        version=report.version,
        submit_key=uuid.uuid4(),
        raw_values=manual_values(form, **FULL),
        narrative={},
    )


@pytest.mark.parametrize(
    "figure, message",
    [
        ("hai mươi", "Phải là một số nguyên không âm"),
        ("-5", "Phải là một số nguyên không âm"),
        ("1e9", "Phải là một số nguyên không âm"),
        ("9" * 40, "Phải là một số nguyên không âm"),
        (HUGE, "Phải là một số nguyên không âm"),
    ],
)
def test_bad_figures_are_refused_whole(client, cast, form, report, month, figure, message):
    client.force_login(cast.officer)
    data = post_data(form, report, **(FULL | {"residents_guided": figure}))
    response = client.post(page_url(form, cast.organisation, month), data)
    assert response.status_code == 400 and message in _text(response)
    assert "Chưa lưu: có 1 ô cần sửa" in _text(response)
    report.refresh_from_db()
    assert report.version == 1
    assert not report.values.exclude(number=None).exists()


def test_a_percentage_over_100_or_negative_is_refused(client, cast, form, report, month):
    client.force_login(cast.officer)
    for share in ("101", "-3", "50%%", "abc"):
        data = post_data(form, report, **(FULL | {"online_dossier_share": share}))
        response = client.post(page_url(form, cast.organisation, month), data)
        assert response.status_code == 400, share
        assert "phần trăm" in _text(response), share


def test_huge_narrative_and_text_are_refused(client, cast, form, report, month):
    client.force_login(cast.officer)
    data = post_data(form, report, exemplary="x" * 3000) | {"results": "y" * 9000}
    response = client.post(page_url(form, cast.organisation, month), data)
    assert response.status_code == 400
    assert "Quá dài (tối đa 2000 ký tự)" in _text(response)
    assert "Quá dài (tối đa 5000 ký tự)" in _text(response)
    report.refresh_from_db()
    assert report.results == "" and report.version == 1


def test_missing_fields_are_refused_clearly(client, cast, form, report, month):
    client.force_login(cast.officer)
    url = page_url(form, cast.organisation, month)
    response = client.post(url, {})  # no version: the save cannot know what the page showed
    assert response.status_code == 409 and "CHƯA được lưu" in _text(response)
    response = client.post(url, {"action": "submit", "version": "1"})  # no submit key
    assert response.status_code == 400 and "Thiếu mã gửi" in _text(response)
    response = client.post(
        url, {"action": "submit", "version": "1", "submit_key": str(uuid.uuid4())}
    )  # nothing typed: every figure is asked for
    assert response.status_code == 400 and "Cần nhập số liệu này trước khi gửi" in _text(response)
    response = client.post(url, {"version": "x" * 50, "action": "nonsense"})
    assert response.status_code == 409
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.DRAFT and report.version == 1


def test_a_future_month_is_refused_for_every_write(client, cast, form):
    future = next_month(current_month())
    client.force_login(cast.coordinator)
    url = page_url(form, cast.organisation, future)
    response = client.post(url, {"version": "1"})
    assert response.status_code == 400 and "chưa đến" in _text(response)
    assert client.post(url + "xet-duyet/", {"decision": "accept"}).status_code == 404
    assert client.post(url + "mo-khoa/", {"reason": "Sửa số liệu"}).status_code == 404
    assert not MonthlyReport.objects.filter(month=future).exists()


def test_another_communes_ids_answer_404_and_write_nothing(client, cast, form, report, month):
    theirs = report_form_create_default(commune=cast.commune2)
    their_indicator = theirs.indicators.get(code="residents_guided")
    client.force_login(cast.coordinator)
    # Their form or organisation in my address.
    assert client.post(page_url(theirs, cast.organisation2, month), {}).status_code == 404
    assert client.post(page_url(form, cast.organisation2, month), {}).status_code == 404
    assert client.post(f"/can-bo/bao-cao/mau/{theirs.pk}/chi-tieu/", {}).status_code == 404
    assert client.post(f"/can-bo/bao-cao/mau/chi-tieu/{their_indicator.pk}/xoa/").status_code == 404
    their_rule = theirs.rules.get()
    assert client.post(f"/can-bo/bao-cao/mau/quy-tac/{their_rule.pk}/xoa/").status_code == 404
    assert ValidationRule.objects.filter(pk=their_rule.pk).exists()
    # Their indicator's id posted as a figure of my report is ignored.
    data = post_data(form, report) | {f"i{their_indicator.pk}": "99"}
    assert client.post(page_url(form, cast.organisation, month), data).status_code == 302
    assert not their_indicator.values.exists()
    # Their indicators in my rule: refused with a message.
    mine = form.indicators.get(code="residents_guided")
    response = client.post(
        f"/can-bo/bao-cao/mau/{form.pk}/quy-tac/",
        {"left": their_indicator.pk, "operator": "lte", "right": mine.pk},
        follow=True,
    )
    assert "Chưa thêm được quy tắc" in _text(response)
    assert form.rules.count() == 1
    # Their organisation among mine in the form's settings.
    response = client.post(
        "/can-bo/bao-cao/mau/",
        {
            "name": "Mẫu",
            "subject": "x",
            "due_day": "10",
            "number_code": "BC-UBND",
            "authority_line": "TM",
            "signer_title": "PCT",
            "organisations": [cast.organisation2.pk],
        },
    )
    assert response.status_code == 400 and "hợp lệ" in _text(response)
    assert not form.organisations.filter(pk=cast.organisation2.pk).exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"due_day": "31"}, "Hạn nộp phải là một ngày từ 1 đến 28."),
        ({"due_day": "mười"}, "Hạn nộp phải là một ngày từ 1 đến 28."),
        ({"due_day": ""}, "Hạn nộp phải là một ngày từ 1 đến 28."),
        ({"due_day": "-1"}, "Hạn nộp phải là một ngày từ 1 đến 28."),
        ({"name": HUGE}, "200"),
        ({"name": ""}, "bắt buộc"),
    ],
)
def test_bad_form_settings_are_refused(coordinator, cast, form, data, message):
    base = {
        "name": form.name,
        "subject": form.subject,
        "due_day": "10",
        "number_code": "BC-UBND",
        "authority_line": form.authority_line,
        "signer_title": form.signer_title,
        "organisations": [cast.organisation.pk],
    }
    response = coordinator.post("/can-bo/bao-cao/mau/", base | data)
    assert response.status_code == 400 and message in _text(response)
    assert ReportForm.objects.get(pk=form.pk).due_day == 10


@pytest.mark.parametrize(
    "data, message",
    [
        ({"code": "Hồ sơ mới", "name": "A"}, "Mã"),
        ({"code": "sessions", "name": "A"}, "Mã chỉ tiêu này đã có"),
        ({"code": "moi", "name": "A", "kind": "blob"}, "Kiểu"),
        ({"code": "moi", "name": "A", "source": "nuclear"}, "Nguồn số liệu"),
        ({"code": "moi", "name": "A", "source": "sessions", "kind": "text"}, "phải là kiểu Số"),
        ({"code": "moi", "name": HUGE}, "Tên chỉ tiêu"),
        ({"code": "moi", "name": "A", "order": "-4"}, "Thứ tự"),
        ({"code": "moi", "name": "A", "order": "abc"}, "Thứ tự"),
        ({}, "Chưa thêm được chỉ tiêu"),
    ],
)
def test_bad_indicators_are_refused(coordinator, form, data, message):
    count = form.indicators.count()
    base = {"kind": "number", "section": "Khác", "order": "5", "unit": "", "source": ""}
    response = coordinator.post(
        f"/can-bo/bao-cao/mau/{form.pk}/chi-tieu/", base | data, follow=True
    )
    assert response.status_code == 200 and message in _text(response)
    assert form.indicators.count() == count


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"left": "abc", "operator": "lte", "right": "1"},
        {"left": "999999", "operator": "lte", "right": "999998"},
        {"operator": "<script>"},
    ],
)
def test_bad_rules_are_refused(coordinator, form, data):
    response = coordinator.post(f"/can-bo/bao-cao/mau/{form.pk}/quy-tac/", data, follow=True)
    assert response.status_code == 200 and "Chưa thêm được quy tắc" in _text(response)
    assert form.rules.count() == 1


def test_a_rule_on_the_same_indicator_or_a_text_is_refused(coordinator, form):
    guided = form.indicators.get(code="residents_guided")
    text = form.indicators.get(code="exemplary")
    url = f"/can-bo/bao-cao/mau/{form.pk}/quy-tac/"
    same = coordinator.post(
        url, {"left": guided.pk, "operator": "lt", "right": guided.pk}, follow=True
    )
    assert "hai chỉ tiêu số khác nhau" in _text(same)
    on_text = coordinator.post(
        url, {"left": text.pk, "operator": "lt", "right": guided.pk}, follow=True
    )
    assert "Chưa thêm được quy tắc" in _text(on_text)
    assert form.rules.count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "Hãy chọn Chấp nhận hoặc Trả lại."),
        ({"decision": "burn"}, "Hãy chọn Chấp nhận hoặc Trả lại."),
        ({"decision": "return", "comment": ""}, "Hãy ghi rõ cần sửa gì"),
        ({"decision": "return", "comment": "   "}, "Hãy ghi rõ cần sửa gì"),
        ({"decision": "return", "comment": HUGE}, "Ý kiến quá dài (tối đa 2000 ký tự)"),
    ],
)
def test_bad_reviews_are_refused(coordinator, cast, form, report, month, data, message):
    sent = _sent(cast, form, report)
    response = coordinator.post(page_url(form, cast.organisation, month) + "xet-duyet/", data)
    assert response.status_code == 400 and message in _text(response)
    sent.refresh_from_db()
    assert sent.status == MonthlyReport.Status.SUBMITTED and sent.review_comment == ""


def test_a_draft_cannot_be_accepted_or_returned(coordinator, cast, form, report, month):
    url = page_url(form, cast.organisation, month) + "xet-duyet/"
    response = coordinator.post(url, {"decision": "accept"})
    assert response.status_code == 400 and "Chỉ chấp nhận được báo cáo đã gửi." in _text(response)
    response = coordinator.post(url, {"decision": "return", "comment": "Sửa lại"})
    assert response.status_code == 400 and "Chỉ trả lại được báo cáo đã gửi" in _text(response)
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.DRAFT


def test_review_of_a_report_never_opened_is_404(coordinator, cast, form, month):
    url = page_url(form, cast.other_organisation, month) + "xet-duyet/"
    assert coordinator.post(url, {"decision": "accept"}).status_code == 404


@pytest.mark.parametrize(
    "reason, message",
    [
        ("", "Hãy ghi lý do mở khóa"),
        ("ab", "Hãy ghi lý do mở khóa"),
        ("Sửa số liệu", "đang không khóa"),
    ],
)
def test_bad_unlocks_are_refused(coordinator, cast, form, report, month, reason, message):
    if message != "đang không khóa":
        report_accept(actor=cast.coordinator, report=_sent(cast, form, report))
    response = coordinator.post(
        page_url(form, cast.organisation, month) + "mo-khoa/", {"reason": reason}
    )
    assert response.status_code == 400 and message in _text(response)


def test_bad_indicator_switch_and_edit_ids(coordinator, form):
    assert coordinator.post("/can-bo/bao-cao/mau/chi-tieu/999999/xoa/").status_code == 404
    assert coordinator.get("/can-bo/bao-cao/mau/chi-tieu/999999/").status_code == 404
    guided = form.indicators.get(code="residents_guided")
    response = coordinator.post(f"/can-bo/bao-cao/mau/chi-tieu/{guided.pk}/dang-dung/", {})
    assert response.status_code == 400 and "không hợp lệ" in _text(response)
    assert Indicator.objects.get(pk=guided.pk).active


def test_garbage_in_an_autosave_answers_in_the_status_line(client, cast, form, report, month):
    client.force_login(cast.officer)
    data = post_data(form, report, action="autosave", residents_guided="-7")
    response = client.post(page_url(form, cast.organisation, month), data, HTTP_HX_REQUEST="true")
    text = _text(response)
    assert response.status_code == 200 and 'id="save-status"' in text
    assert "Chưa lưu: có 1 ô cần sửa" in text
    report.refresh_from_db()
    assert report.version == 1
