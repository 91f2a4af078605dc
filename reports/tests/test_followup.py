"""Reminders before the due day, completeness and timeliness, the commands."""

import uuid
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from reports.models import MonthlyReport, Reminder
from reports.selectors import completeness
from reports.services import reminders_send, report_open, report_submit
from reports.tests.conftest import FULL, at, manual_values


def _submit(cast, form, organisation, month):
    report = report_open(form=form, organisation=organisation, month=month)
    return report_submit(
        actor=cast.coordinator,
        report=report,
        version=report.version,
        submit_key=uuid.uuid4(),
        raw_values=manual_values(form, **FULL),
        narrative={},
    )


def test_reminders_go_to_organisations_that_have_not_sent_once_a_day(cast, form, month):
    _submit(cast, form, cast.other_organisation, month)
    due = form.due_date(month)
    assert reminders_send(commune=cast.commune, today=due - timedelta(days=6)) == []
    made = reminders_send(commune=cast.commune, today=due - timedelta(days=2))
    assert [r.organisation for r in made] == [cast.organisation]
    assert "còn 2 ngày" in made[0].message
    assert reminders_send(commune=cast.commune, today=due - timedelta(days=2)) == []
    late = reminders_send(commune=cast.commune, today=due + timedelta(days=1))
    assert "quá hạn" in late[0].message
    assert Reminder.objects.count() == 2


def test_officers_with_a_work_email_get_the_reminder_by_mail_once(cast, form, month, mailoutbox):
    cast.officer.email = "hoinongdan@bachngoc.gov.vn"
    cast.officer.save(update_fields=["email"])
    due = form.due_date(month)
    reminders_send(commune=cast.commune, today=due - timedelta(days=2))
    # Only the organisation with an officer who gave an address gets mail.
    assert [m.to for m in mailoutbox] == [["hoinongdan@bachngoc.gov.vn"]]
    mail = mailoutbox[0]
    assert mail.subject == f"Nhắc nộp báo cáo tháng {month:%m/%Y}"
    assert "còn 2 ngày" in mail.body and form.name in mail.body
    reminders_send(commune=cast.commune, today=due - timedelta(days=2))
    assert len(mailoutbox) == 1  # the second run the same day sends nothing


def test_a_failing_mail_server_keeps_the_in_app_reminder(cast, form, month, settings, caplog):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    cast.officer.email = "hoinongdan@bachngoc.gov.vn"
    cast.officer.save(update_fields=["email"])
    made = reminders_send(commune=cast.commune, today=form.due_date(month))
    assert {r.organisation for r in made} == {cast.organisation, cast.other_organisation}
    assert Reminder.objects.count() == 2
    assert "email not sent" in caplog.text


def test_the_officer_sees_their_reminders(client, cast, form, month):
    reminders_send(commune=cast.commune, today=form.due_date(month))
    client.force_login(cast.officer)
    page = client.get("/can-bo/bao-cao/").content.decode()
    assert f"Nhắc nộp báo cáo tháng {month:%m/%Y}" in page and "hôm nay" in page


def test_the_reminder_command_lists_who_was_reminded(cast, form, month):
    out = StringIO()
    call_command("report_reminders", f"--date={form.due_date(month)}", stdout=out)
    assert "Hội Nông dân xã" in out.getvalue() and "Đã nhắc 2 đơn vị." in out.getvalue()
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("report_reminders", "--date=10/11/2026")


def test_completeness_says_status_and_whether_it_was_on_time(cast, form, month):
    report = _submit(cast, form, cast.organisation, month)
    due = form.due_date(month)

    def sent_on(day):
        MonthlyReport.objects.filter(pk=report.pk).update(submitted_at=at(day, 16))
        rows = completeness(cast.commune, [month])
        return {row["organisation"]: row["months"][0] for row in rows}

    by_org = sent_on(due)
    assert by_org[cast.organisation]["status"] == "submitted"
    assert by_org[cast.organisation]["on_time"] is True
    assert by_org[cast.other_organisation]["status"] == "missing"
    assert by_org[cast.other_organisation]["on_time"] is False
    assert sent_on(due + timedelta(days=1))[cast.organisation]["on_time"] is False


def test_the_completeness_page_shows_every_organisation(client, cast, form, month):
    client.force_login(cast.leader)
    page = client.get("/can-bo/bao-cao/tien-do/").content.decode()
    assert "Hội Nông dân xã" in page and "Hội Liên hiệp Phụ nữ xã" in page


def test_report_docx_command_writes_the_report_even_without_accepted_reports(
    cast, form, month, tmp_path
):
    out = StringIO()
    path = tmp_path / "bao-cao.docx"
    call_command(
        "report_docx",
        "--commune",
        "Xã Bạch Ngọc",
        "--month",
        f"{month:%Y-%m}",
        str(path),
        stdout=out,
    )
    assert "CHƯA đầy đủ" in out.getvalue()
    texts = [p.text for p in Document(str(path)).paragraphs]
    assert "BÁO CÁO" in texts
    assert any("Báo cáo chưa đầy đủ: mới có 0/2" in t for t in texts)


@pytest.mark.parametrize(
    "commune, month, message",
    [
        ("Xã Không Có", "2026-10", "Không tìm thấy xã"),
        ("Xã Bạch Ngọc", "10/2026", "không hợp lệ"),
        ("Xã Bạch Ngọc", "2099-01", "chưa đến"),
    ],
)
def test_report_docx_command_refuses_bad_input(cast, tmp_path, commune, month, message):
    with pytest.raises(CommandError, match=message):
        call_command("report_docx", "--commune", commune, "--month", month, str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


def test_the_coordinator_creates_and_edits_the_form(client, cast):
    client.force_login(cast.coordinator)
    assert "Tạo mẫu báo cáo" in client.get("/can-bo/bao-cao/mau/").content.decode()
    assert client.post("/can-bo/bao-cao/mau/").status_code == 302
    form = cast.commune.report_forms.get()
    data = {
        "name": form.name,
        "subject": form.subject,
        "due_day": "31",
        "number_code": "BC-UBND",
        "authority_line": "TM. ỦY BAN NHÂN DÂN",
        "signer_title": "CHỦ TỊCH",
        "organisations": [cast.organisation.pk],
    }
    assert client.post("/can-bo/bao-cao/mau/", data).status_code == 400
    data["due_day"] = "12"
    assert client.post("/can-bo/bao-cao/mau/", data).status_code == 302
    form.refresh_from_db()
    assert (
        form.due_day == 12
        and form.deputy_line == ""
        and form.due_date(date(2026, 12, 1)) == date(2027, 1, 12)
    )
    assert list(form.organisations.all()) == [cast.organisation]
    response = client.post(
        f"/can-bo/bao-cao/mau/{form.pk}/chi-tieu/",
        {
            "code": "ho-kinh-doanh",
            "name": "Hộ bán hàng qua mạng",
            "kind": "number",
            "unit": "hộ",
            "source": "",
            "section": "Kinh tế số",
            "order": "300",
        },
    )
    assert response.status_code == 302
    assert form.indicators.filter(code="ho-kinh-doanh", source="").exists()
