"""Review: return with comments, accept and lock, audited unlock; locked means locked."""

import uuid

import pytest

from accounts.models import AuditEntry
from reports.models import MonthlyReport, ReportEvent, ReportValue
from reports.services import (
    ReportError,
    report_accept,
    report_return,
    report_submit,
    report_unlock,
)
from reports.tests.conftest import FULL, manual_values, page_url, post_data


@pytest.fixture
def submitted(cast, form, report):
    return report_submit(
        actor=cast.officer,
        report=report,
        version=report.version,
        submit_key=uuid.uuid4(),
        raw_values=manual_values(form, **FULL),
        narrative={"results": "Kết quả", "difficulties": "", "proposals": ""},
    )


def test_returning_needs_a_comment_and_reopens_the_report(cast, submitted):
    with pytest.raises(ReportError, match="cần sửa"):
        report_return(actor=cast.coordinator, report=submitted, comment=" ")
    returned = report_return(actor=cast.coordinator, report=submitted, comment="Bổ sung số liệu")
    assert returned.status == "returned" and returned.editable
    assert returned.review_comment == "Bổ sung số liệu"


def test_an_officer_cannot_review(cast, submitted):
    with pytest.raises(ReportError):
        report_accept(actor=cast.officer, report=submitted)


def test_accepting_locks_and_unlocking_is_audited_with_the_reason(cast, submitted):
    accepted = report_accept(actor=cast.coordinator, report=submitted)
    assert accepted.locked and not accepted.editable
    with pytest.raises(ReportError, match="lý do"):
        report_unlock(actor=cast.coordinator, report=accepted, reason="")
    unlocked = report_unlock(
        actor=cast.coordinator, report=accepted, reason="Sai số hồ sơ dịch vụ công"
    )
    assert not unlocked.locked and unlocked.status == "returned"
    event = ReportEvent.objects.get(report=accepted, kind="unlocked")
    assert event.comment == "Sai số hồ sơ dịch vụ công" and event.actor == cast.coordinator
    audit = AuditEntry.objects.filter(target_id=str(accepted.pk), after__locked=False).get()
    assert audit.after["reason"] == "Sai số hồ sơ dịch vụ công"
    assert audit.actor == cast.coordinator


def test_a_forged_post_to_a_locked_report_changes_nothing(client, cast, form, submitted, month):
    report_accept(actor=cast.coordinator, report=submitted)
    locked = MonthlyReport.objects.get(pk=submitted.pk)
    for who in (cast.officer, cast.coordinator):
        client.force_login(who)
        for action in ("save", "submit"):
            data = post_data(form, locked, action=action, **(FULL | {"residents_guided": 999}))
            response = client.post(page_url(form, cast.organisation, month), data)
            assert response.status_code == 400
            assert "đã được chấp nhận và khóa" in response.content.decode()
    value = ReportValue.objects.get(report=locked, indicator__code="residents_guided")
    assert value.number == 30
    assert MonthlyReport.objects.get(pk=locked.pk).version == locked.version


def test_review_and_unlock_through_the_pages(client, cast, form, submitted, month):
    base = page_url(form, cast.organisation, month)
    client.force_login(cast.officer)
    assert client.post(base + "xet-duyet/", {"decision": "accept"}).status_code == 403
    client.force_login(cast.coordinator)
    assert client.post(base + "xet-duyet/", {"decision": "accept"}).status_code == 302
    assert MonthlyReport.objects.get(pk=submitted.pk).locked
    page = client.get(base).content.decode()
    assert "Mở khóa" in page and 'name="action" value="submit"' not in page
    response = client.post(base + "mo-khoa/", {"reason": "Đơn vị xin sửa"})
    assert response.status_code == 302
    assert not MonthlyReport.objects.get(pk=submitted.pk).locked
