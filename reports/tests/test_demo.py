"""The demo's monthly reports: last month accepted for every organisation, loaded once."""

from reports.models import MonthlyReport
from reports.selectors import completeness, consolidation


def test_demo_reports_load_once_and_make_last_month_complete(cast, month):
    from demo.reports import demo_reports_load

    assert demo_reports_load(cast.commune) == 2
    assert demo_reports_load(cast.commune) == 0
    reports = MonthlyReport.objects.filter(commune=cast.commune, month=month)
    assert {r.status for r in reports} == {"accepted"} and reports.count() == 2
    form = reports.first().form
    assert consolidation(cast.commune, form, month).complete
    cells = [row["months"][0] for row in completeness(cast.commune, [month])]
    assert all(cell["on_time"] for cell in cells)
