"""The report form's indicators and rules: edit, reorder, retire, remove — through services with
audit; and reminders the coordinator sends from the progress page."""

import uuid
from datetime import timedelta

import pytest
from django.core import mail

from accounts.models import AuditEntry
from reports.models import Indicator, MonthlyReport, Reminder, ValidationRule
from reports.selectors import consolidation
from reports.services import (
    ReportError,
    indicator_remove,
    indicator_set_active,
    indicator_update,
    reminders_send,
    report_accept,
    report_open,
    report_submit,
)
from reports.tests.conftest import FULL, manual_values, page_url


def _submit(cast, form, organisation, month, **extra):
    report = report_open(form=form, organisation=organisation, month=month)
    return report_submit(
        actor=cast.coordinator,
        report=report,
        version=report.version,
        submit_key=uuid.uuid4(),
        raw_values=manual_values(form, **(FULL | extra)),
        narrative={},
    )


def edit_url(indicator):
    return f"/can-bo/bao-cao/mau/chi-tieu/{indicator.pk}/"


def test_the_coordinator_renames_regroups_and_reorders_an_indicator(client, cast, form):
    dossiers = form.indicators.get(code="public_service_dossiers")
    client.force_login(cast.coordinator)
    assert "Hồ sơ dịch vụ công" in client.get(edit_url(dossiers)).content.decode()
    response = client.post(
        edit_url(dossiers),
        {
            "name": "Hồ sơ DVC trực tuyến",
            "unit": "bộ",
            "section": "Chuyển đổi số",
            "order": "1",
            "kind": "number",
        },
    )
    assert response.status_code == 302
    dossiers.refresh_from_db()
    assert (dossiers.name, dossiers.unit, dossiers.section, dossiers.order) == (
        "Hồ sơ DVC trực tuyến",
        "bộ",
        "Chuyển đổi số",
        1,
    )
    assert form.indicators.first() == dossiers  # order 1 now comes first
    entry = AuditEntry.objects.filter(action="update", target_id=str(dossiers.pk)).get()
    assert entry.after["name"] == "Hồ sơ DVC trực tuyến" and entry.actor == cast.coordinator


def test_the_kind_changes_only_while_no_sent_report_holds_the_indicator(cast, form, month):
    share = form.indicators.get(code="online_dossier_share")
    indicator_update(actor=cast.coordinator, indicator=share, kind="number")
    share.refresh_from_db()
    assert share.kind == "number"
    indicator_update(actor=cast.coordinator, indicator=share, kind="percentage")
    _submit(cast, form, cast.organisation, month)
    with pytest.raises(ReportError, match="Không đổi kiểu được"):
        indicator_update(actor=cast.coordinator, indicator=share, kind="number")
    share.refresh_from_db()
    assert share.kind == "percentage"
    # The name may still change.
    indicator_update(actor=cast.coordinator, indicator=share, name="Tỷ lệ hồ sơ trực tuyến")
    share.refresh_from_db()
    assert share.name == "Tỷ lệ hồ sơ trực tuyến"


def test_an_automatic_indicator_stays_a_number(cast, form):
    sessions = form.indicators.get(code="sessions")
    with pytest.raises(ReportError, match="luôn là kiểu Số"):
        indicator_update(actor=cast.coordinator, indicator=sessions, kind="text")


def test_the_edit_page_refuses_a_kind_change_once_sent_and_says_why(client, cast, form, month):
    share = form.indicators.get(code="online_dossier_share")
    _submit(cast, form, cast.organisation, month)
    client.force_login(cast.coordinator)
    page = client.get(edit_url(share)).content.decode()
    assert "không đổi kiểu được" in page and "Không xóa được" in page
    # A forged request with a new kind: the disabled field keeps the old kind.
    response = client.post(
        edit_url(share),
        {"name": share.name, "unit": "%", "section": share.section, "order": "5", "kind": "text"},
    )
    assert response.status_code == 302
    share.refresh_from_db()
    assert share.kind == "percentage" and share.order == 5


@pytest.mark.parametrize(
    "data, message",
    [
        ({"name": "", "unit": "", "section": "x", "order": "1", "kind": "number"}, "bắt buộc"),
        ({"name": "A", "unit": "", "section": "x", "order": "-3", "kind": "number"}, "lớn hơn"),
        ({"name": "A", "unit": "", "section": "x", "order": "mười", "kind": "number"}, "số"),
        ({"name": "A" * 500, "unit": "", "section": "x", "order": "1", "kind": "number"}, "200"),
        ({"name": "A", "unit": "", "section": "x", "order": "1", "kind": "blob"}, "hợp lệ"),
    ],
)
def test_bad_indicator_edits_are_refused_in_vietnamese(client, cast, form, data, message):
    guided = form.indicators.get(code="residents_guided")
    client.force_login(cast.coordinator)
    response = client.post(edit_url(guided), data)
    assert response.status_code == 400
    assert message in response.content.decode().lower()
    guided.refresh_from_db()
    assert guided.name == "Người dân được hướng dẫn trực tiếp trong tháng"


def test_an_unused_indicator_is_removed_with_its_rules_and_audited(client, cast, form):
    guided = form.indicators.get(code="vneid_level2_guided")
    assert ValidationRule.objects.filter(left=guided).exists()
    client.force_login(cast.coordinator)
    response = client.post(edit_url(guided) + "xoa/")
    assert response.status_code == 302
    assert not Indicator.objects.filter(pk=guided.pk).exists()
    assert not ValidationRule.objects.filter(form=form).exists()
    entry = AuditEntry.objects.get(action="delete", target_id=str(guided.pk))
    assert entry.before["code"] == "vneid_level2_guided" and entry.before["rules"]


def test_a_used_indicator_cannot_be_removed_but_can_be_retired(client, cast, form, month):
    dossiers = form.indicators.get(code="public_service_dossiers")
    sent = _submit(cast, form, cast.organisation, month)
    report_accept(actor=cast.coordinator, report=sent)
    with pytest.raises(ReportError, match="Ngừng dùng"):
        indicator_remove(actor=cast.coordinator, indicator=dossiers)
    client.force_login(cast.coordinator)
    response = client.post(edit_url(dossiers) + "xoa/", follow=True)
    assert "Không xóa được" in response.content.decode()
    assert Indicator.objects.filter(pk=dossiers.pk).exists()

    response = client.post(edit_url(dossiers) + "dang-dung/", {"active": "0"})
    assert response.status_code == 302
    dossiers.refresh_from_db()
    assert dossiers.active is False
    assert AuditEntry.objects.filter(target_id=str(dossiers.pk), after={"active": False}).exists()

    # The accepted report and the month's consolidation keep the figure.
    client.force_login(cast.officer)
    old = client.get(page_url(form, cast.organisation, month)).content.decode()
    assert dossiers.name in old
    assert dossiers in [line.indicator for line in consolidation(cast.commune, form, month).lines]
    # A new report (the other organisation's) no longer asks for it, and sends without it.
    other = _submit(cast, form, cast.other_organisation, month)
    assert other.status == MonthlyReport.Status.SUBMITTED
    assert not other.values.filter(indicator=dossiers).exclude(number=None).exists()
    assert dossiers not in other.indicators() or other.values.filter(indicator=dossiers).exists()

    # Bringing it back is one click; twice changes nothing.
    indicator_set_active(actor=cast.coordinator, indicator=dossiers, active=True)
    indicator_set_active(actor=cast.coordinator, indicator=dossiers, active=True)
    assert (
        AuditEntry.objects.filter(target_id=str(dossiers.pk), after={"active": True}).count() == 1
    )


def test_a_retired_indicator_leaves_the_officers_draft(client, cast, form, month):
    guided = form.indicators.get(code="residents_guided")
    sessions = form.indicators.get(code="sessions")
    opened = report_open(form=form, organisation=cast.organisation, month=month)
    assert opened.values.filter(indicator=sessions).exists()  # its figure, made at opening
    indicator_set_active(actor=cast.coordinator, indicator=guided, active=False)
    indicator_set_active(actor=cast.coordinator, indicator=sessions, active=False)
    client.force_login(cast.officer)
    page = client.get(page_url(form, cast.organisation, month)).content.decode()
    assert f'name="i{guided.pk}"' not in page
    # The rule on it no longer applies, so a draft with only the rest is sent.
    report = report_open(form=form, organisation=cast.organisation, month=month)
    values = manual_values(form, **{k: v for k, v in FULL.items() if k != "residents_guided"})
    report_submit(
        actor=cast.officer,
        report=report,
        version=report.version,
        submit_key=uuid.uuid4(),
        raw_values=values | {guided.pk: "1"},  # a forged value for the retired one is ignored
        narrative={},
    )
    assert not report.values.filter(indicator=guided).exclude(number=None).exists()
    report.refresh_from_db()
    assert report.status == MonthlyReport.Status.SUBMITTED
    shown = set(report.indicators())
    assert guided not in shown and sessions not in shown
    assert form.indicators.get(code="visits") in shown


def test_the_active_switch_refuses_garbage(client, cast, form):
    guided = form.indicators.get(code="residents_guided")
    client.force_login(cast.coordinator)
    response = client.post(edit_url(guided) + "dang-dung/", {"active": "maybe"})
    assert response.status_code == 400 and "không hợp lệ" in response.content.decode()


def test_rules_are_listed_and_removed_with_audit(client, cast, form):
    rule = form.rules.get()
    client.force_login(cast.coordinator)
    page = client.get("/can-bo/bao-cao/mau/").content.decode()
    assert str(rule) in page and f"/can-bo/bao-cao/mau/quy-tac/{rule.pk}/xoa/" in page
    assert client.post(f"/can-bo/bao-cao/mau/quy-tac/{rule.pk}/xoa/").status_code == 302
    assert not form.rules.exists()
    assert AuditEntry.objects.filter(action="delete", target_id=str(rule.pk)).exists()
    # A repeated click answers calmly.
    again = client.post(f"/can-bo/bao-cao/mau/quy-tac/{rule.pk}/xoa/", follow=True)
    assert again.status_code == 200 and "đã được xóa trước đó" in again.content.decode()


def test_a_rule_cannot_be_added_twice_or_on_a_retired_indicator(client, cast, form):
    rule = form.rules.get()
    client.force_login(cast.coordinator)
    data = {"left": rule.left_id, "operator": "lte", "right": rule.right_id}
    response = client.post(f"/can-bo/bao-cao/mau/{form.pk}/quy-tac/", data, follow=True)
    assert "Quy tắc này đã có." in response.content.decode()
    assert form.rules.count() == 1


@pytest.mark.parametrize("who", ["officer", "leader"])
def test_officers_and_leaders_cannot_change_the_form_or_remind(client, cast, form, who):
    client.force_login(getattr(cast, who))
    guided = form.indicators.get(code="residents_guided")
    assert client.get(edit_url(guided)).status_code == 403
    assert client.post(edit_url(guided) + "xoa/").status_code == 403
    assert client.post("/can-bo/bao-cao/tien-do/nhac-nho/").status_code == 403
    assert client.post(f"/can-bo/bao-cao/mau/quy-tac/{form.rules.get().pk}/xoa/").status_code == 403


def test_remind_needs_login_and_a_reviewer(client, cast, form):
    assert client.post("/can-bo/bao-cao/tien-do/nhac-nho/").status_code == 302
    client.force_login(cast.volunteer)
    assert client.post("/can-bo/bao-cao/tien-do/nhac-nho/").status_code == 403


# Reminders ---------------------------------------------------------------------------------


def test_the_coordinator_reminds_organisations_that_have_not_sent_once_a_day(
    client, cast, form, month
):
    _submit(cast, form, cast.other_organisation, month)
    client.force_login(cast.coordinator)
    page = client.get("/can-bo/bao-cao/tien-do/").content.decode()
    assert "Gửi nhắc nhở" in page and f"Chưa gửi báo cáo tháng {month:%m/%Y}" in page
    response = client.post("/can-bo/bao-cao/tien-do/nhac-nho/", follow=True)
    text = response.content.decode()
    assert "Đã gửi nhắc nhở đến 1 đơn vị: Hội Nông dân xã." in text
    assert "hôm nay đã nhắc" in text
    reminder = Reminder.objects.get()
    assert reminder.organisation == cast.organisation and reminder.month == month
    assert AuditEntry.objects.filter(action="create", target_id=str(reminder.pk)).exists()
    again = client.post("/can-bo/bao-cao/tien-do/nhac-nho/", follow=True).content.decode()
    assert "Không có nhắc nhở mới" in again
    assert Reminder.objects.count() == 1
    # The officer sees it on their page.
    client.force_login(cast.officer)
    assert reminder.message in client.get("/can-bo/bao-cao/").content.decode()
    assert mail.outbox == []  # officers have no e-mail addresses on the platform


def test_a_returned_report_still_counts_as_not_sent(cast, form, month):
    from reports.services import report_return

    sent = _submit(cast, form, cast.organisation, month)
    report_return(actor=cast.coordinator, report=sent, comment="Thiếu số liệu xóm Yên Mỹ.")
    made = reminders_send(commune=cast.commune, force=True)
    assert {r.organisation for r in made} == {cast.organisation, cast.other_organisation}


def test_the_officer_sees_how_many_days_are_left(client, cast, form, month, settings):
    from reports.services import due_note

    due = form.due_date(month)
    assert due_note(due, due - timedelta(days=3)) == "còn 3 ngày"
    assert due_note(due, due) == "hạn là hôm nay"
    assert due_note(due, due + timedelta(days=2)) == "quá hạn 2 ngày"
    client.force_login(cast.officer)
    expected = due_note(due)
    home = client.get("/can-bo/bao-cao/").content.decode()
    assert f"({expected})" in home
    page = client.get(page_url(form, cast.organisation, month)).content.decode()
    assert f"({expected})" in page
    _submit(cast, form, cast.organisation, month)
    assert (
        f"({expected})" not in client.get(page_url(form, cast.organisation, month)).content.decode()
    )
