"""A report form for the cast's commune, reported by its two organisations, and helpers."""

import uuid
from datetime import datetime, time

import pytest
from django.utils import timezone

from reports.months import current_month, previous_month
from reports.services import report_form_create_default, report_open


@pytest.fixture
def month():
    return previous_month(current_month())


@pytest.fixture
def form(cast):
    form = report_form_create_default(commune=cast.commune, signer_name="Nguyễn Kim Nam")
    assert set(form.organisations.all()) == {cast.organisation, cast.other_organisation}
    return form


@pytest.fixture
def report(form, cast, month):
    return report_open(form=form, organisation=cast.organisation, month=month)


def at(day, hour=9):
    """An aware datetime on a local day."""
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def manual_values(form, **by_code) -> dict[int, str]:
    return {form.indicators.get(code=code).pk: str(value) for code, value in by_code.items()}


FULL = {
    "residents_guided": 30,
    "vneid_level2_guided": 12,
    "public_service_dossiers": 7,
    "payment_accounts_new": 9,
    "online_dossier_share": "62,5",
}


def page_url(form, organisation, month) -> str:
    return f"/can-bo/bao-cao/{form.pk}/{organisation.pk}/{month:%Y-%m}/"


def post_data(form, report, *, action="save", key=None, **by_code) -> dict:
    data = {f"i{pk}": value for pk, value in manual_values(form, **by_code).items()}
    data |= {
        "version": str(report.version),
        "action": action,
        "submit_key": str(key or uuid.uuid4()),
        "results": "Đã tổ chức hướng dẫn tại các xóm.",
        "difficulties": "",
        "proposals": "",
    }
    return data
