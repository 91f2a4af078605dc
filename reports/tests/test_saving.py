"""Saving a report: validation refuses bad input whole, versions catch concurrent edits,
a retried submit changes nothing."""

import uuid
from decimal import Decimal

import pytest

from reports.models import Indicator, MonthlyReport, ReportEvent, ReportValue
from reports.months import current_month, next_month
from reports.services import (
    ReportConflict,
    ReportError,
    parse_value,
    report_open,
    report_save,
    report_submit,
)
from reports.tests.conftest import FULL, manual_values, page_url, post_data

NUMBER = Indicator(kind=Indicator.Kind.NUMBER)
PERCENT = Indicator(kind=Indicator.Kind.PERCENTAGE)


@pytest.mark.parametrize(
    "indicator, raw, expected",
    [
        (NUMBER, "25", Decimal(25)),
        (NUMBER, " 1.250 ", Decimal(1250)),
        (NUMBER, "", None),
        (PERCENT, "82,5", Decimal("82.5")),
        (PERCENT, "100%", Decimal(100)),
        (PERCENT, "0", Decimal(0)),
    ],
)
def test_numbers_and_percentages_are_read_the_vietnamese_way(indicator, raw, expected):
    assert parse_value(indicator, raw)[0] == expected


@pytest.mark.parametrize(
    "indicator, raw, message",
    [
        (NUMBER, "hai mươi", "số nguyên"),
        (NUMBER, "-3", "số nguyên"),
        (NUMBER, "2,5", "số nguyên"),
        (PERCENT, "100,5", "vượt quá 100"),
        (PERCENT, "150", "vượt quá 100"),
        (PERCENT, "nhiều", "phần trăm"),
    ],
)
def test_bad_figures_are_refused_with_a_vietnamese_message(indicator, raw, message):
    with pytest.raises(ValueError, match=message):
        parse_value(indicator, raw)


def _save(report, cast, form, **by_code):
    return report_save(
        actor=cast.officer,
        report=report,
        version=report.version,
        raw_values=manual_values(form, **by_code),
        narrative={"results": "Kết quả", "difficulties": "", "proposals": ""},
    )


def test_a_save_with_one_bad_field_saves_nothing(cast, form, report):
    with pytest.raises(ReportError) as refused:
        _save(report, cast, form, residents_guided=40, online_dossier_share=120)
    share = form.indicators.get(code="online_dossier_share")
    assert "100" in refused.value.errors[share.pk]
    assert not ReportValue.objects.filter(report=report, number__isnull=False).exists()
    report.refresh_from_db()
    assert report.version == 1 and report.results == ""


def test_a_validation_rule_is_checked_against_the_typed_figures(cast, form, report):
    with pytest.raises(ReportError) as refused:
        _save(report, cast, form, residents_guided=10, vneid_level2_guided=11)
    vneid = form.indicators.get(code="vneid_level2_guided")
    assert "≤" in refused.value.errors[vneid.pk]
    saved = _save(report, cast, form, residents_guided=10, vneid_level2_guided=10)
    assert saved.version == 2


def test_a_report_for_a_future_month_is_refused(cast, form):
    with pytest.raises(ReportError, match="chưa đến"):
        report_open(form=form, organisation=cast.organisation, month=next_month(current_month()))


def test_the_second_of_two_concurrent_saves_gets_a_conflict_and_overwrites_nothing(
    cast, form, report
):
    opened_by_a = MonthlyReport.objects.get(pk=report.pk)
    opened_by_b = MonthlyReport.objects.get(pk=report.pk)
    _save(opened_by_a, cast, form, residents_guided=30)
    with pytest.raises(ReportConflict, match="CHƯA được lưu"):
        _save(opened_by_b, cast, form, residents_guided=99)
    value = ReportValue.objects.get(report=report, indicator__code="residents_guided")
    assert value.number == 30


def test_conflict_through_the_page_shows_a_clear_message(client, cast, form, report, month):
    client.force_login(cast.officer)
    url = page_url(form, cast.organisation, month)
    stale = post_data(form, report, residents_guided=5)
    assert client.post(url, post_data(form, report, residents_guided=6)).status_code == 302
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "sau khi bạn mở trang" in response.content.decode()
    value = ReportValue.objects.get(report=report, indicator__code="residents_guided")
    assert value.number == 6


def test_text_in_a_number_field_is_refused_on_the_page(client, cast, form, report, month):
    client.force_login(cast.officer)
    response = client.post(
        page_url(form, cast.organisation, month),
        post_data(form, report, residents_guided="ba mươi"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Phải là một số nguyên không âm" in page and 'value="ba mươi"' in page


def test_a_retried_submit_returns_the_first_result(cast, form, report):
    key = uuid.uuid4()
    args = {
        "actor": cast.officer,
        "raw_values": manual_values(form, **FULL),
        "narrative": {"results": "Kết quả", "difficulties": "", "proposals": ""},
        "submit_key": key,
    }
    first = report_submit(report=report, version=report.version, **args)
    again = report_submit(report=report, version=report.version, **args)  # stale version too
    assert first.status == again.status == MonthlyReport.Status.SUBMITTED
    assert again.submitted_at == first.submitted_at and again.version == first.version
    assert ReportEvent.objects.filter(report=report, kind="submitted").count() == 1


def test_a_retried_submit_through_the_page_is_idempotent(client, cast, form, report, month):
    client.force_login(cast.officer)
    data = post_data(form, report, action="submit", **FULL)
    url = page_url(form, cast.organisation, month)
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted"
    assert ReportEvent.objects.filter(report=report).count() == 1


def test_submitting_needs_every_typed_figure(cast, form, report):
    with pytest.raises(ReportError) as refused:
        report_submit(
            actor=cast.officer,
            report=report,
            version=report.version,
            submit_key=uuid.uuid4(),
            raw_values=manual_values(form, residents_guided=3),
            narrative={},
        )
    dossiers = form.indicators.get(code="public_service_dossiers")
    assert "trước khi gửi" in refused.value.errors[dossiers.pk]
    report.refresh_from_db()
    assert report.status == "draft" and report.submit_key is None


def test_autosave_answers_with_the_new_version(client, cast, form, report, month):
    client.force_login(cast.officer)
    response = client.post(
        page_url(form, cast.organisation, month),
        post_data(form, report, action="autosave", residents_guided=4),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Đã lưu nháp lúc" in page and 'name="version" id="version" value="2"' in page
    bad = client.post(
        page_url(form, cast.organisation, month),
        post_data(
            form, MonthlyReport.objects.get(pk=report.pk), action="autosave", residents_guided="x"
        ),
        HTTP_HX_REQUEST="true",
    )
    assert "Chưa lưu" in bad.content.decode()
    assert MonthlyReport.objects.get(pk=report.pk).version == 2
