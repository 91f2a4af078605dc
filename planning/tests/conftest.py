import datetime as dt

import pytest

from planning.services import activity_save, budget_line_save, org_plan_ensure


@pytest.fixture
def plan(cast):
    """The officer's organisation's plan for this year, with one activity and one budget line."""
    from django.utils import timezone

    year = timezone.localdate().year
    plan = org_plan_ensure(actor=cast.officer, organisation=cast.organisation, year=year)
    activity = activity_save(
        actor=cast.officer,
        plan=plan,
        title="Hướng dẫn bán nông sản qua mạng",
        owner="Ban Thường vụ Hội",
        starts_on=dt.date(year, 1, 10),
        ends_on=dt.date(year, 3, 31),
    )
    budget_line_save(
        actor=cast.officer,
        plan=plan,
        source="commune",
        description="Tài liệu cho 6 buổi",
        planned="3.600.000",
        activity=activity,
    )
    return plan
