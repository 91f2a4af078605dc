"""Monthly-report completeness on the leader dashboard, the province page and its Excel."""

from io import BytesIO

from django.utils import timezone
from openpyxl import load_workbook

from reports.models import MonthlyReport
from reports.months import recent_months
from reports.services import report_form_create_default


def sent(form, organisation, month, *, on_time=True, status=MonthlyReport.Status.SUBMITTED):
    due = form.due_date(month)
    day = due if on_time else due + timezone.timedelta(days=3)
    moment = timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 9))
    return MonthlyReport.objects.create(
        commune=form.commune,
        form=form,
        organisation=organisation,
        month=month,
        status=status,
        submitted_at=moment,
    )


def test_the_leader_sees_each_organisations_report_for_the_last_three_months(client, cast):
    form = report_form_create_default(commune=cast.commune)
    first, _, last = recent_months(3)
    sent(form, cast.organisation, last)
    sent(form, cast.organisation, first, on_time=False)
    client.force_login(cast.leader)

    response = client.get("/can-bo/dieu-hanh/")

    rows = {r["organisation"].name: r["months"] for r in response.context["report_rows"]}
    assert [c["status"] for c in rows[cast.organisation.name]] == [
        "submitted",
        "missing",
        "submitted",
    ]
    assert [c["on_time"] for c in rows[cast.organisation.name]] == [False, False, True]
    page = response.content.decode()
    assert "Đã gửi, đúng hạn" in page and "Đã gửi, muộn" in page
    assert all(c["status"] == "missing" for c in rows[cast.other_organisation.name])


def test_the_province_page_and_excel_count_each_communes_reports_for_last_month(client, cast):
    form = report_form_create_default(commune=cast.commune)
    month = recent_months(1)[0]
    sent(form, cast.organisation, month, status=MonthlyReport.Status.ACCEPTED)
    sent(form, cast.other_organisation, month, on_time=False)
    due = form.organisations.count()
    client.force_login(cast.province)

    page = client.get("/tinh/tong-hop/").content.decode()

    assert f"2/{due} đơn vị đã nộp</span>, 1 đúng hạn" in page
    assert "Chưa có mẫu báo cáo" in page  # Bạch Hà has no report form
    book = load_workbook(BytesIO(client.get("/tinh/tong-hop.xlsx").content))
    rows = {r[0]: r[1:] for r in book["Báo cáo tháng"].iter_rows(min_row=3, values_only=True)}
    assert rows["Xã Bạch Ngọc"] == (due, 2, 1, 1)
    assert rows["Xã Bạch Hà"] == (0, 0, 0, 0)
