"""Certificates: the resident's list and PDF, public verification, revoking, national courses."""

import datetime
import io
import unicodedata
import uuid

import pypdf
import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEntry, Consent, Purpose
from accounts.services import consent_set, resident_erase
from learning.models import Certificate, ExternalCourse, Lesson
from learning.services import attempt_submit, lessons_load
from learning.tests.test_content_loader import write_lesson

TOPIC = "An toàn trên mạng, phòng lừa đảo"
HIDDEN_NAME = "(người học chọn không công khai tên)"


@pytest.fixture
def certificate(cast, tmp_path) -> Certificate:
    """cast.resident passed both lessons of the an-toan topic and holds its certificate."""
    safety = {"topic": "an-toan", "goal": "khong-bi-lua", "domain": "an-toan"}
    write_lesson(tmp_path, "tin-nhan-lua-dao", title="Nhận biết tin nhắn lừa đảo", **safety)
    write_lesson(tmp_path, "mat-khau-manh", title="Đặt mật khẩu mạnh", order=20, **safety)
    lessons_load(commune=cast.commune, directory=tmp_path)
    for lesson in Lesson.objects.filter(commune=cast.commune):
        answers = {q.pk: q.answer for q in lesson.questions.all()}
        attempt_submit(
            lesson=lesson, answers=answers, client_key=uuid.uuid4(), resident=cast.resident
        )
    return Certificate.objects.get(resident=cast.resident, topic="an-toan")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def revoke(client: Client, certificate: Certificate, reason: str = "Học hộ người khác"):
    return client.post(f"/can-bo/chung-nhan/{certificate.pk}/thu-hoi/", {"reason": reason})


# The resident's own certificates ------------------------------------------------------------


def test_a_resident_sees_their_certificate_with_a_pdf_link(cast, certificate):
    content = logged_in(cast.resident.user).get("/toi/chung-nhan/").content.decode()

    assert TOPIC in content
    assert f"Mã {certificate.code}" in content
    assert f'href="/toi/chung-nhan/{certificate.code}.pdf"' in content


def test_a_resident_without_certificates_is_told_how_to_earn_one(cast, certificate):
    content = logged_in(cast.neighbour.user).get("/toi/chung-nhan/").content.decode()

    assert "Bác chưa có chứng nhận nào" in content
    assert certificate.code not in content


def test_the_pdf_carries_the_residents_name_and_the_topic(cast, certificate):
    response = logged_in(cast.resident.user).get(f"/toi/chung-nhan/{certificate.code}.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Nguyễn Thị Lành" in text
    assert TOPIC in text
    assert certificate.code in text


def test_the_pdf_lists_each_lesson_of_the_topic_once_even_when_passed_twice(cast, certificate):
    again = Lesson.objects.get(slug="tin-nhan-lua-dao")
    answers = {q.pk: q.answer for q in again.questions.all()}
    attempt_submit(lesson=again, answers=answers, client_key=uuid.uuid4(), resident=cast.resident)

    response = logged_in(cast.resident.user).get(f"/toi/chung-nhan/{certificate.code}.pdf")

    text = pdf_text(response.content)
    assert text.count("Nhận biết tin nhắn lừa đảo") == 1
    assert text.count("Đặt mật khẩu mạnh") == 1


def test_another_resident_cannot_download_the_pdf(cast, certificate):
    response = logged_in(cast.neighbour.user).get(f"/toi/chung-nhan/{certificate.code}.pdf")

    assert response.status_code == 404


def test_a_revoked_certificate_has_no_pdf(cast, certificate):
    revoke(logged_in(cast.coordinator), certificate)

    response = logged_in(cast.resident.user).get(f"/toi/chung-nhan/{certificate.code}.pdf")

    assert response.status_code == 404


def test_the_pdf_needs_a_login_and_is_not_for_staff(client, cast, certificate):
    url = f"/toi/chung-nhan/{certificate.code}.pdf"

    assert client.get(url).status_code == 302
    assert logged_in(cast.coordinator).get(url).status_code == 403


# Public verification ------------------------------------------------------------------------


def test_anyone_can_verify_a_certificate_without_seeing_a_name_not_made_public(
    client, cast, certificate
):
    response = client.get(f"/chung-nhan/{certificate.code}/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Chứng nhận hợp lệ" in content
    assert certificate.code in content
    assert TOPIC in content
    assert "Xã Bạch Ngọc, Nghệ An" in content
    assert HIDDEN_NAME in content
    assert "Nguyễn Thị Lành" not in content


def test_verification_shows_the_name_when_the_resident_made_it_public(client, cast, certificate):
    consent_set(
        resident=cast.resident,
        purpose=Purpose.PUBLIC_NAME,
        granted=True,
        actor=None,
        method=Consent.Method.SELF,
    )

    content = client.get(f"/chung-nhan/{certificate.code}/").content.decode()

    assert "Nguyễn Thị Lành" in content
    assert HIDDEN_NAME not in content


def test_verification_accepts_the_code_typed_in_lower_case(client, certificate):
    content = client.get(f"/chung-nhan/{certificate.code.lower()}/").content.decode()

    assert "Chứng nhận hợp lệ" in content


def test_verification_says_a_revoked_certificate_was_revoked(client, cast, certificate):
    revoke(logged_in(cast.coordinator), certificate)

    content = client.get(f"/chung-nhan/{certificate.code}/").content.decode()

    assert "đã bị thu hồi" in content
    assert "Chứng nhận hợp lệ" not in content


@pytest.mark.parametrize(
    "code", ["KHONGCO123", "x" * 5000, "ab-cd"], ids=["unknown", "long", "dash"]
)
def test_an_unknown_code_gets_a_404_page_that_says_so(client, certificate, code):
    response = client.get(f"/chung-nhan/{code}/")

    assert response.status_code == 404
    assert "Không có chứng nhận nào mang mã này" in response.content.decode()


def test_a_code_with_a_nul_character_is_refused_with_a_vietnamese_message(client, certificate):
    response = client.get("/chung-nhan/%00/")

    assert response.status_code == 400
    assert "ký tự không hợp lệ" in response.content.decode()


def test_the_certificate_of_an_erased_resident_no_longer_verifies(client, cast, certificate):
    resident_erase(actor=None, resident=cast.resident)

    assert client.get(f"/chung-nhan/{certificate.code}/").status_code == 404


# Revoking -----------------------------------------------------------------------------------


def test_a_coordinator_revokes_a_certificate_with_a_reason_and_it_is_audited(cast, certificate):
    coordinator = logged_in(cast.coordinator)

    response = revoke(coordinator, certificate, "Học hộ người khác")

    assert response.status_code == 302
    assert response["Location"] == "/can-bo/chung-nhan/"
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None
    assert certificate.revoked_by == cast.coordinator
    assert certificate.revoke_reason == "Học hộ người khác"
    entry = AuditEntry.objects.filter(actor=cast.coordinator).latest("id")
    assert entry.target_id == str(cast.resident.pk)
    assert entry.after == {"thu hồi chứng nhận": certificate.code, "lý do": "Học hộ người khác"}
    assert "Đã thu hồi" in coordinator.get("/can-bo/chung-nhan/").content.decode()
    mine = logged_in(cast.resident.user).get("/toi/chung-nhan/").content.decode()
    assert "Đã bị thu hồi: Học hộ người khác" in mine
    assert f"{certificate.code}.pdf" not in mine


def test_revoking_without_a_reason_changes_nothing(cast, certificate):
    revoke(logged_in(cast.coordinator), certificate, "   ")

    certificate.refresh_from_db()
    assert certificate.revoked_at is None
    assert not AuditEntry.objects.filter(actor=cast.coordinator).exists()


def test_revoking_twice_keeps_the_first_revocation(cast, certificate):
    coordinator = logged_in(cast.coordinator)
    revoke(coordinator, certificate, "Lý do thứ nhất")

    revoke(coordinator, certificate, "Lý do thứ hai")

    certificate.refresh_from_db()
    assert certificate.revoke_reason == "Lý do thứ nhất"


@pytest.mark.parametrize("who", ["volunteer", "leader", "officer", "resident"])
def test_only_coordinators_and_admins_may_revoke(cast, certificate, who):
    response = revoke(logged_in(cast.users()[who]), certificate)

    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_a_coordinator_of_another_commune_gets_a_404(cast, certificate):
    response = revoke(logged_in(cast.coordinator2), certificate)

    assert response.status_code == 404
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_the_staff_list_shows_certificates_of_the_users_own_area_only(cast, certificate):
    assert certificate.code in logged_in(cast.volunteer).get("/can-bo/chung-nhan/").content.decode()
    assert certificate.code not in (
        logged_in(cast.volunteer2).get("/can-bo/chung-nhan/").content.decode()
    )


# Courses from the national platform ---------------------------------------------------------


def declare(client: Client, title: str, day: datetime.date):
    return client.post(
        "/toi/chung-nhan/", {"title": title, "completed_on": day.strftime("%d/%m/%Y")}
    )


def test_a_resident_declares_a_national_course_finished_earlier(cast):
    resident = logged_in(cast.resident.user)

    response = declare(resident, "Kỹ năng số cơ bản", datetime.date(2025, 1, 5))

    assert response.status_code == 302
    course = ExternalCourse.objects.get()
    assert (course.resident, course.title) == (cast.resident, "Kỹ năng số cơ bản")
    assert course.completed_on == datetime.date(2025, 1, 5)
    assert course.confirmed_at is None
    content = resident.get("/toi/chung-nhan/").content.decode()
    assert "Kỹ năng số cơ bản — 05/01/2025" in content
    assert "chờ xác nhận" in content


def test_a_course_finished_in_the_future_is_refused_in_vietnamese(cast):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = declare(logged_in(cast.resident.user), "Kỹ năng số cơ bản", tomorrow)

    assert response.status_code == 200
    assert "Ngày hoàn thành không thể ở tương lai." in response.content.decode()
    assert ExternalCourse.objects.count() == 0


@pytest.mark.parametrize("day", ["31/02/2025", "99/99/9999", "hôm qua", "", "1" * 5000])
def test_a_course_date_that_is_not_a_date_is_refused_without_an_error(cast, day):
    response = logged_in(cast.resident.user).post(
        "/toi/chung-nhan/", {"title": "Kỹ năng số cơ bản", "completed_on": day}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["completed_on"]
    assert ExternalCourse.objects.count() == 0


def test_declaring_the_same_course_twice_keeps_one_record(cast):
    resident = logged_in(cast.resident.user)
    declare(resident, "Kỹ năng số cơ bản", datetime.date(2025, 1, 5))

    declare(resident, "  Kỹ năng số cơ bản ", datetime.date(2025, 1, 5))

    assert ExternalCourse.objects.count() == 1


def test_a_volunteer_of_the_hamlet_confirms_a_declared_course(cast):
    declare(logged_in(cast.resident.user), "Kỹ năng số cơ bản", datetime.date(2025, 1, 5))
    course = ExternalCourse.objects.get()
    volunteer = logged_in(cast.volunteer)
    assert "Kỹ năng số cơ bản" in volunteer.get("/can-bo/khoa-hoc-quoc-gia/").content.decode()

    response = volunteer.post(f"/can-bo/khoa-hoc-quoc-gia/{course.pk}/xac-nhan/")

    assert response.status_code == 302
    course.refresh_from_db()
    assert course.confirmed_by == cast.volunteer
    assert course.confirmed_at is not None
    entry = AuditEntry.objects.filter(actor=cast.volunteer).latest("id")
    assert entry.after == {"xác nhận khóa học quốc gia": "Kỹ năng số cơ bản"}
    mine = logged_in(cast.resident.user).get("/toi/chung-nhan/").content.decode()
    assert "đã xác nhận" in mine


def test_a_volunteer_of_another_commune_cannot_confirm_the_course(cast):
    declare(logged_in(cast.resident.user), "Kỹ năng số cơ bản", datetime.date(2025, 1, 5))
    course = ExternalCourse.objects.get()
    volunteer2 = logged_in(cast.volunteer2)

    response = volunteer2.post(f"/can-bo/khoa-hoc-quoc-gia/{course.pk}/xac-nhan/")

    assert response.status_code == 404
    course.refresh_from_db()
    assert course.confirmed_at is None
    assert "Kỹ năng số cơ bản" not in volunteer2.get("/can-bo/khoa-hoc-quoc-gia/").content.decode()
