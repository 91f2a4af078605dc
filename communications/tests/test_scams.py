"""Scam reports, review and public warnings."""

import io
import os
import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import AuditEntry
from communications.models import ScamAlert, ScamReport
from communications.scams import (
    alerts_for_bulletin,
    report_counts_by_channel,
    scam_alert_publish,
    scam_report_create,
)

REPORT = reverse("communications:scam_report")
ASSIST = reverse("communications:scam_report_assist")
REVIEW = reverse("communications:scam_review")
ALERTS = reverse("communications:scam_alerts")
NEW_ALERT = reverse("communications:scam_alert_create")


def _login(client, user):
    client.force_login(user)
    return client


def _resident_client(client, resident):
    client.force_login(resident.user)
    return client


def _png(size=(300, 200), noise=False) -> bytes:
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _data(**extra):
    data = {
        "channel": "sms",
        "content": "Ngân hàng báo tài khoản bị khóa, bấm vào link vcb-xacminh.top để mở.",
        "received_on": timezone.localdate().isoformat(),
        "client_key": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


# -- Reporting ---------------------------------------------------------------------------------


def test_anonymous_visitor_reports_without_person_link(client, cast):
    page = client.get(REPORT)
    assert page.status_code == 200
    assert "Tên bác sẽ không bị công khai" in page.content.decode()
    assert "data-outbox" in page.content.decode()
    response = client.post(REPORT, _data(channel="call"))
    assert response.status_code == 302
    assert response["Location"] == reverse("communications:scam_thanks")
    report = ScamReport.objects.get()
    assert report.commune == cast.commune  # the public commune
    assert report.resident is None and report.reported_by is None
    assert report.channel == "call" and report.status == ScamReport.Status.NEW
    thanks = client.get(response["Location"]).content.decode()
    assert "OTP" in thanks and "Công an xã" in thanks and "số chính thức" in thanks


def test_resident_report_is_linked_to_them_and_accepts_a_screenshot(client, cast):
    _resident_client(client, cast.resident2)
    photo = SimpleUploadedFile("anh.png", _png((1600, 1200), noise=True), "image/png")
    response = client.post(REPORT, _data(channel="zalo", photo=photo))
    assert response.status_code == 302
    report = ScamReport.objects.get()
    assert report.commune == cast.commune2  # the resident's own commune
    assert report.resident == cast.resident2
    assert bytes(report.photo)[:4] == b"RIFF" and bytes(report.photo)[8:12] == b"WEBP"
    assert len(report.photo) <= 40 * 1024
    assert not AuditEntry.objects.exists()  # residents acting for themselves are not logged


def test_replayed_client_key_creates_one_report(client, cast):
    _resident_client(client, cast.resident)
    data = _data()
    first = client.post(REPORT, data)
    again = client.post(REPORT, data)
    assert first.status_code == again.status_code == 302
    assert ScamReport.objects.count() == 1


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"content": "   "}, "không được để trống"),
        ({"content": "x" * 5001}, "tối đa 5.000"),
        ({"channel": "telegram"}, "Hãy chọn một trong các cách"),
        ({"received_on": "2099-01-01"}, "sau hôm nay"),
        ({"received_on": "ngày mai"}, "Ngày chưa đúng"),
        ({"client_key": "không-phải-uuid"}, "Trang này đã cũ"),
        ({"client_key": ""}, "Trang này đã cũ"),
    ],
)
def test_bad_input_is_refused_in_vietnamese_and_nothing_saved(client, cast, bad, message):
    response = client.post(REPORT, _data(**bad))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ScamReport.objects.exists()


def test_a_non_image_photo_is_refused(client, cast):
    fake = SimpleUploadedFile("anh.png", b"%PDF-1.4 not a picture", "image/png")
    response = client.post(REPORT, _data(photo=fake))
    assert response.status_code == 200
    assert "không phải là ảnh" in response.content.decode()
    assert not ScamReport.objects.exists()


def test_an_oversized_photo_is_refused(client, cast, settings):
    settings.LESSON_UPLOAD_MAX_BYTES = 4096
    big = SimpleUploadedFile("anh.png", _png((200, 200), noise=True), "image/png")
    response = client.post(REPORT, _data(photo=big))
    assert response.status_code == 200
    assert "Ảnh quá lớn" in response.content.decode()
    assert not ScamReport.objects.exists()


# -- Volunteer files for a resident ------------------------------------------------------------


def test_volunteer_files_for_a_resident_of_their_hamlet(client, cast):
    _login(client, cast.volunteer)
    page = client.get(ASSIST, {"nguoi_dan": cast.resident.pk})
    assert page.status_code == 200
    assert cast.neighbour.full_name not in page.content.decode()  # other hamlet: not offered
    response = client.post(ASSIST, _data(resident=cast.resident.pk))
    assert response.status_code == 302
    report = ScamReport.objects.get()
    assert report.resident == cast.resident and report.reported_by == cast.volunteer
    assert AuditEntry.objects.filter(actor=cast.volunteer, target_type="scam report").exists()


def test_volunteer_cannot_file_for_a_resident_of_another_hamlet(client, cast):
    _login(client, cast.volunteer)
    assert client.get(ASSIST, {"nguoi_dan": cast.neighbour.pk}).status_code == 404
    assert client.get(ASSIST, {"nguoi_dan": "abc"}).status_code == 404
    response = client.post(ASSIST, _data(resident=cast.neighbour.pk))
    assert response.status_code == 200
    assert "không thuộc xóm" in response.content.decode()
    response = client.post(ASSIST, _data(resident=cast.resident2.pk))  # another commune
    assert response.status_code == 200
    assert not ScamReport.objects.exists()


def test_resident_cannot_use_the_assisted_form(client, cast):
    _resident_client(client, cast.resident)
    assert client.get(ASSIST).status_code == 403


# -- Review and alerts -------------------------------------------------------------------------


def _report(cast, resident=None, commune=None, channel="sms", content="Trúng thưởng xe máy"):
    report, _ = scam_report_create(
        commune=commune or cast.commune,
        channel=channel,
        content=content,
        client_key=uuid.uuid4(),
        resident=resident,
        actor=resident.user if resident else None,
    )
    return report


def test_coordinator_publishes_alert_public_page_shows_no_reporter_data(client, cast):
    mine = _report(cast, cast.resident, content="Gọi xưng công an, bảo chuyển tiền 0987654321")
    other = _report(cast, cast.neighbour, channel="call")
    untouched = _report(cast)
    _login(client, cast.coordinator)
    review = client.get(REVIEW)
    assert review.status_code == 200
    assert "Gọi xưng công an" in review.content.decode()
    form = client.get(NEW_ALERT, {"reports": [mine.pk, other.pk, "x", "99999"]})
    assert form.status_code == 200
    response = client.post(
        NEW_ALERT,
        {
            "title": "Cảnh giác cuộc gọi giả danh công an",
            "body": "Công an không bao giờ yêu cầu chuyển tiền qua điện thoại.",
            "reports": [mine.pk, other.pk],
        },
    )
    alert = ScamAlert.objects.get()
    assert response.status_code == 302
    assert alert.published_at is not None and set(alert.reports.all()) == {mine, other}
    statuses = dict(ScamReport.objects.values_list("pk", "status"))
    assert statuses[mine.pk] == statuses[other.pk] == ScamReport.Status.WARNED
    assert statuses[untouched.pk] == ScamReport.Status.NEW

    client.logout()
    listing = client.get(ALERTS).content.decode()
    detail = client.get(reverse("communications:scam_alert", args=[alert.pk])).content.decode()
    for page in (listing, detail):
        assert "Cảnh giác cuộc gọi giả danh công an" in page
        for resident in (cast.resident, cast.neighbour):
            assert resident.full_name not in page
            assert resident.phone not in page
        assert "0987654321" not in page  # the report's own text is not published
    assert client.get(reverse("communications:scam_photo", args=[mine.pk])).status_code == 302


def test_alert_needs_a_title_and_body(client, cast):
    _login(client, cast.coordinator)
    response = client.post(NEW_ALERT, {"title": "", "body": ""})
    assert response.status_code == 200
    assert "Hãy viết tiêu đề" in response.content.decode()
    assert not ScamAlert.objects.exists()


def test_alert_cannot_link_another_communes_report(client, cast):
    theirs = _report(cast, cast.resident2, commune=cast.commune2)
    _login(client, cast.coordinator)
    response = client.post(NEW_ALERT, {"title": "T", "body": "B", "reports": [theirs.pk]})
    assert response.status_code == 200
    assert not ScamAlert.objects.exists()
    theirs.refresh_from_db()
    assert theirs.status == ScamReport.Status.NEW


def test_dismiss_and_photo(client, cast):
    report, _ = scam_report_create(
        commune=cast.commune,
        channel="facebook",
        content="Việc nhẹ lương cao",
        client_key=uuid.uuid4(),
        photo=b"RIFF....WEBP",
    )
    _login(client, cast.admin)
    photo = client.get(reverse("communications:scam_photo", args=[report.pk]))
    assert photo.status_code == 200 and photo["Content-Type"] == "image/webp"
    response = client.post(reverse("communications:scam_dismiss", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ScamReport.Status.DISMISSED
    assert client.get(reverse("communications:scam_dismiss", args=[report.pk])).status_code == 405


def test_permissions(client, cast):
    report = _report(cast, cast.resident)
    _resident_client(client, cast.resident)
    assert client.get(REVIEW).status_code == 403
    assert client.get(NEW_ALERT).status_code == 403
    client.logout()
    assert client.get(REVIEW).status_code == 302  # to the login page
    for user, code in [(cast.volunteer, 403), (cast.leader, 403), (cast.officer, 403)]:
        _login(client, user)
        assert client.get(REVIEW).status_code == code
    _login(client, cast.coordinator2)
    assert client.get(REVIEW).status_code == 200
    assert "Trúng thưởng" not in client.get(REVIEW).content.decode()
    for name in ("scam_dismiss", "scam_photo"):
        url = reverse(f"communications:{name}", args=[report.pk])
        assert client.post(url).status_code in (404, 405)
        assert client.get(url).status_code in (404, 405)
    assert client.post(reverse("communications:scam_dismiss", args=[report.pk])).status_code == 404
    report.refresh_from_db()
    assert report.status == ScamReport.Status.NEW


def test_garbage_ids_give_404(client, cast):
    assert client.get("/canh-bao/999999/").status_code == 404
    assert client.get("/canh-bao/abc/").status_code == 404
    assert client.get("/canh-bao/99999999999999999999999/").status_code == 404
    _login(client, cast.coordinator)
    assert client.post("/can-bo/lua-dao/99999999999999999999/bo-qua/").status_code == 404


def test_public_pages_show_only_published_alerts_of_the_commune(client, cast):
    ScamAlert.objects.create(commune=cast.commune, title="Bản nháp chưa đăng", body="x")
    theirs = scam_alert_publish(
        actor=cast.coordinator2, commune=cast.commune2, title="Cảnh báo xã bên", body="y"
    )
    listing = client.get(ALERTS).content.decode()
    assert "Bản nháp" not in listing and "Cảnh báo xã bên" not in listing
    assert client.get(reverse("communications:scam_alert", args=[theirs.pk])).status_code == 404


# -- Selectors ---------------------------------------------------------------------------------


def test_report_counts_by_channel(cast):
    for channel in ("sms", "sms", "zalo", "call"):
        _report(cast, channel=channel)
    dismissed = _report(cast, channel="facebook")
    dismissed.status = ScamReport.Status.DISMISSED
    dismissed.save()
    _report(cast, commune=cast.commune2, channel="sms")
    old = _report(cast, channel="other")
    old.created_at = timezone.now() - timedelta(days=62)
    old.save()
    today = timezone.localdate()
    counts = report_counts_by_channel(cast.commune, today.replace(day=1), today)
    assert counts == {"sms": 2, "zalo": 1, "facebook": 0, "call": 1, "other": 0}


def test_alerts_for_bulletin(cast):
    older = scam_alert_publish(actor=cast.coordinator, commune=cast.commune, title="Cũ", body="a")
    older.published_at = timezone.now() - timedelta(days=10)
    older.save()
    recent = scam_alert_publish(actor=cast.coordinator, commune=cast.commune, title="Mới", body="b")
    scam_alert_publish(actor=cast.coordinator2, commune=cast.commune2, title="Xã bên", body="c")
    ScamAlert.objects.create(commune=cast.commune, title="Nháp", body="d")
    since = timezone.now() - timedelta(days=7)
    assert alerts_for_bulletin(cast.commune, since) == [recent]
    assert alerts_for_bulletin(cast.commune, since.date() - timedelta(days=7)) == [older, recent]
