"""Sessions in the hamlets: who plans and records them, photos, and the public schedule."""

import datetime as dt
import io
import os
import uuid
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import AuditEntry
from learning.models import Lesson
from outreach.models import Attendance, Session, SessionPhoto
from outreach.services import attendance_record
from outreach.teams import session_create, vn_when

LIST = "/can-bo/buoi-huong-dan/"
NEW = "/can-bo/buoi-huong-dan/moi/"
SCHEDULE = "/lich/"
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def detail(session) -> str:
    return f"/can-bo/buoi-huong-dan/{session.pk}/"


def lesson(commune, slug: str, title: str, status: str = "published") -> Lesson:
    return Lesson.objects.create(
        commune=commune,
        slug=slug,
        title=title,
        topic="dien-thoai",
        goal="lien-lac",
        domain="giao-tiep",
        level="co-ban",
        minutes=5,
        summary="Tóm tắt.",
        why="Lợi ích.",
        practice="Thử ngay.",
        body="## Bước 1\nLàm theo.\n",
        status=status,
    )


@pytest.fixture
def lessons(cast):
    return [
        lesson(cast.commune, "cai-zalo", "Cài Zalo"),
        lesson(cast.commune, "quet-qr", "Quét mã QR để trả tiền"),
        lesson(cast.commune, "vneid-nhap", "VNeID (bản nháp)", status="draft"),
    ]


def in_days(days: int, hour: int = 19, minute: int = 30) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=HANOI)


def make(cast, *, hamlet=None, organiser=None, starts_at=None, actor=None, **extra) -> Session:
    fields = {
        "kind": "cultural_house",
        "place": "Nhà văn hóa xóm",
        "trainers": "Nguyễn Văn Trainer",
        "audience": ["elderly"],
        "planned_participants": 30,
        "extra_participants": 0,
        "minutes": "",
        "questions_raised": "",
        "is_public": True,
    }
    fields.update(extra)
    return session_create(
        actor=actor or cast.coordinator,
        commune=(hamlet or cast.hamlet).commune,
        hamlet=hamlet or cast.hamlet,
        organiser=organiser,
        starts_at=starts_at or in_days(7),
        **fields,
    )


def form(cast, **overrides) -> dict:
    data = {
        "kind": "cultural_house",
        "hamlet": cast.hamlet.pk,
        "place": "Nhà văn hóa xóm Ngọc Lâm",
        "starts_at": in_days(9).strftime("%d/%m/%Y %H:%M"),
        "organiser": cast.organisation.pk,
        "trainers": "Tổ công nghệ số xóm",
        "audience": ["middle", "elderly"],
        "planned_participants": "40",
        "extra_participants": "0",
        "minutes": "",
        "questions_raised": "",
        "is_public": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def photo_upload(name: str = "buoi-hoc.jpg") -> SimpleUploadedFile:
    """A 3000×2000 photo-like JPEG with sensor noise: far above 40 KB before conversion."""
    width, height = 3000, 2000
    gradient = Image.linear_gradient("L").resize((width, height))
    noise = Image.frombytes("L", (width, height), os.urandom(width * height))
    picture = Image.merge("RGB", (gradient, Image.blend(gradient, noise, 0.3), noise))
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=90)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


# Vietnamese dates -------------------------------------------------------------------------


def test_a_session_time_reads_the_vietnamese_way_with_the_weekday():
    saturday = dt.datetime(2026, 12, 5, 12, 30, tzinfo=dt.UTC)  # 19:30 in Việt Nam
    assert vn_when(saturday) == "Thứ Bảy, 05/12/2026 lúc 19:30"
    assert vn_when(dt.datetime(2026, 12, 6, 8, 0, tzinfo=HANOI)).startswith("Chủ Nhật, 06/12")


# Writes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "coordinator"])
def test_admin_and_coordinator_plan_a_session_typed_the_vietnamese_way(client, cast, lessons, role):
    client.force_login(getattr(cast, role))
    response = client.post(
        NEW,
        form(cast, starts_at="05/12/2026 19:30", topics=[lessons[0].pk, lessons[2].pk]),
    )
    session = Session.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(session)
    assert timezone.localtime(session.starts_at).strftime("%d/%m/%Y %H:%M") == "05/12/2026 19:30"
    assert session.commune == cast.commune and session.created_by == getattr(cast, role)
    assert session.audience == ["middle", "elderly"]
    assert set(session.topics.all()) == {lessons[0], lessons[2]}
    entry = AuditEntry.objects.get(target_type="buổi hướng dẫn")
    assert entry.action == "create"
    assert entry.after["starts_at"] == "05/12/2026 19:30"
    assert entry.after["topics"] == sorted([lessons[0].pk, lessons[2].pk])


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("starts_at", "12/31/2026 19:30", "Hãy nhập ngày giờ theo mẫu 05/12/2026 19:30"),
        ("starts_at", "05/12/2026", "Hãy nhập ngày giờ theo mẫu 05/12/2026 19:30"),
        ("starts_at", "31/02/2026 19:30", "Hãy nhập ngày giờ theo mẫu 05/12/2026 19:30"),
        ("starts_at", "05/12/1990 19:30", "Năm của buổi phải từ"),
        ("planned_participants", "-3", "Số người dự kiến: hãy nhập một số từ 0 đến 10.000."),
        ("place", "   ", "Hãy nhập địa điểm."),
        ("kind", "party", "Hãy chọn một lựa chọn hợp lệ"),
        ("audience", ["teenager"], "Đối tượng không hợp lệ."),
    ],
)
def test_bad_input_gets_a_vietnamese_error_and_saves_nothing(client, cast, field, typed, message):
    client.force_login(cast.coordinator)
    response = client.post(NEW, form(cast, **{field: typed}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Session.objects.exists() and not AuditEntry.objects.exists()


def test_a_lesson_number_too_big_for_the_database_is_refused_in_vietnamese(client, cast):
    client.force_login(cast.coordinator)
    response = client.post(NEW, form(cast, topics=["99999999999999999999"]))
    assert response.status_code == 200
    assert "“99999999999999999999” không phải là một lựa chọn" in response.content.decode()
    assert not Session.objects.exists()


def test_a_lesson_or_hamlet_of_another_commune_is_refused(client, cast, lessons):
    foreign = lesson(cast.commune2, "cai-zalo", "Cài Zalo (xã khác)")
    client.force_login(cast.coordinator)
    page = client.post(NEW, form(cast, topics=[foreign.pk])).content.decode()
    assert "Có bài học không thuộc xã của bạn." in page
    page = client.post(NEW, form(cast, hamlet=cast.hamlet2.pk)).content.decode()
    assert "Bạn không phụ trách xóm này." in page
    page = client.post(NEW, form(cast, organiser=cast.organisation2.pk)).content.decode()
    assert "Đơn vị này không thuộc phạm vi của bạn." in page
    assert not Session.objects.exists()


def test_an_officer_plans_and_edits_only_their_organisations_sessions(client, cast):
    client.force_login(cast.officer)
    refused = client.post(NEW, form(cast, organiser=cast.other_organisation.pk))
    assert "Đơn vị này không thuộc phạm vi của bạn." in refused.content.decode()
    refused = client.post(NEW, form(cast, organiser=""))
    assert "Hãy chọn đơn vị tổ chức." in refused.content.decode()
    assert client.post(NEW, form(cast)).status_code == 302
    own = Session.objects.get()
    assert own.organiser == cast.organisation
    assert client.post(detail(own) + "sua/", form(cast, place="Hội trường")).status_code == 302
    own.refresh_from_db()
    assert own.place == "Hội trường"

    other = make(cast, organiser=cast.other_organisation)
    assert client.get(detail(other)).status_code == 404
    assert client.post(detail(other) + "sua/", form(cast)).status_code == 404
    assert other.place == Session.objects.get(pk=other.pk).place


def test_a_volunteer_plans_and_edits_only_their_hamlets_sessions(client, cast):
    client.force_login(cast.volunteer)
    refused = client.post(NEW, form(cast, hamlet=cast.other_hamlet.pk, organiser=""))
    assert "Bạn không phụ trách xóm này." in refused.content.decode()
    assert client.post(NEW, form(cast, organiser="")).status_code == 302
    own = Session.objects.get()
    assert own.hamlet == cast.hamlet and own.organiser is None

    neighbours = make(cast, hamlet=cast.other_hamlet)
    assert client.get(detail(neighbours)).status_code == 404
    assert client.post(detail(neighbours) + "sua/", form(cast)).status_code == 404
    assert neighbours.pk not in [s.pk for s in client.get(LIST).context["page"]]


def test_a_leader_reads_every_session_but_plans_none(client, cast):
    session = make(cast, organiser=cast.other_organisation)
    client.force_login(cast.leader)
    assert client.get(detail(session)).status_code == 200
    assert "Sửa thông tin buổi" not in client.get(detail(session)).content.decode()
    assert client.get(NEW).status_code == 403
    assert client.post(detail(session) + "sua/", form(cast)).status_code == 403


@pytest.mark.parametrize("role", ["admin2", "coordinator2", "volunteer2"])
def test_the_second_commune_gets_404_for_the_first_communes_session(client, cast, role):
    session = make(cast)
    photo = SessionPhoto.objects.create(commune=session.commune, session=session, data=b"RIFF")
    client.force_login(cast.users()[role])
    assert client.get(detail(session)).status_code == 404
    assert client.post(detail(session) + "sua/", form(cast)).status_code == 404
    assert client.get(f"{detail(session)}anh/{photo.pk}.webp").status_code == 404
    assert client.post(f"{detail(session)}anh/{photo.pk}/xoa/").status_code == 404
    assert client.post(detail(session) + "anh/", {"image": photo_upload()}).status_code == 404
    assert SessionPhoto.objects.filter(session=session).count() == 1
    assert client.get(LIST).context["page"].paginator.count == 0


@pytest.mark.parametrize("role", ["resident", "province"])
def test_residents_and_province_officers_are_refused_session_pages(client, cast, role):
    session = make(cast)
    client.force_login(cast.users()[role])
    assert client.get(LIST).status_code == 403
    assert client.get(detail(session)).status_code == 403
    assert client.get(NEW).status_code == 403


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, cast):
    response = client.get(detail(make(cast)))
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_editing_a_session_keeps_one_audit_entry_with_only_what_changed(client, cast, lessons):
    client.force_login(cast.coordinator)
    client.post(NEW, form(cast, topics=[lessons[0].pk]))
    session = Session.objects.get()
    response = client.post(
        detail(session) + "sua/",
        form(cast, topics=[lessons[1].pk], extra_participants="6", minutes="Cài Zalo cho 12 bác."),
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(target_type="buổi hướng dẫn", action="update")
    assert set(entry.after) == {"topics", "extra_participants", "minutes"}
    assert entry.before["topics"] == [lessons[0].pk]
    same_again = form(
        cast, topics=[lessons[1].pk], extra_participants="6", minutes="Cài Zalo cho 12 bác."
    )
    assert client.post(detail(session) + "sua/", same_again).status_code == 302
    assert AuditEntry.objects.filter(action="update").count() == 1  # nothing changed


def test_the_edit_form_shows_the_saved_time_the_vietnamese_way(client, cast):
    session = make(cast, starts_at=dt.datetime(2026, 12, 5, 19, 30, tzinfo=HANOI))
    client.force_login(cast.coordinator)
    assert 'value="05/12/2026 19:30"' in client.get(detail(session) + "sua/").content.decode()


def test_the_session_page_shows_attendance_and_walk_ins_and_links_to_attendance(client, cast):
    session = make(cast, starts_at=in_days(-1), extra_participants=5)
    for resident in [cast.resident, cast.neighbour]:
        attendance_record(
            session=session,
            resident=resident,
            method=Attendance.Method.LIST,
            actor=cast.volunteer,
            client_key=uuid.uuid4(),
        )
    client.force_login(cast.coordinator)
    page = client.get(detail(session)).content.decode()
    assert "<strong>7 người</strong>: 2 điểm danh theo tên, 5 không ghi tên" in page
    assert f'href="/can-bo/buoi-huong-dan/{session.pk}/diem-danh/"' in page


# Photos -----------------------------------------------------------------------------------


def test_a_photo_becomes_a_webp_of_at_most_40_kb_and_is_audited(client, cast):
    session = make(cast)
    client.force_login(cast.volunteer)
    upload = photo_upload()
    assert upload.size > 200 * 1024
    response = client.post(detail(session) + "anh/", {"image": upload, "caption": "Cả lớp"})
    assert response.status_code == 302
    photo = SessionPhoto.objects.get()
    data = bytes(photo.data)
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    assert len(data) <= 40 * 1024
    assert Image.open(io.BytesIO(data)).width <= 800
    assert AuditEntry.objects.filter(action="create", after__has_key="dung lượng").exists()
    served = client.get(f"{detail(session)}anh/{photo.pk}.webp")
    assert served.status_code == 200 and served["Content-Type"] == "image/webp"
    assert f"anh/{photo.pk}.webp" in client.get(detail(session)).content.decode()


def test_a_file_that_is_not_a_picture_is_refused_in_vietnamese(client, cast):
    session = make(cast)
    client.force_login(cast.coordinator)
    fake = SimpleUploadedFile("anh.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = client.post(detail(session) + "anh/", {"image": fake})
    assert response.status_code == 400
    assert "Tệp này không phải là ảnh." in response.content.decode()
    assert not SessionPhoto.objects.exists()


def test_a_photo_can_be_deleted_by_whoever_may_edit_the_session(client, cast):
    session = make(cast)
    client.force_login(cast.volunteer)
    client.post(detail(session) + "anh/", {"image": photo_upload()})
    photo = SessionPhoto.objects.get()
    client.force_login(cast.leader)
    assert client.post(f"{detail(session)}anh/{photo.pk}/xoa/").status_code == 403
    client.force_login(cast.volunteer)
    assert client.post(f"{detail(session)}anh/{photo.pk}/xoa/").status_code == 302
    assert not SessionPhoto.objects.exists()
    assert AuditEntry.objects.filter(action="delete").exists()


# The public schedule ----------------------------------------------------------------------


@pytest.fixture
def schedule(cast, lessons, settings):
    settings.DEFAULT_COMMUNE_CODE = 0  # the first commune set up: the cast's commune
    upcoming = make(
        cast, starts_at=in_days(3), place="Nhà văn hóa Ngọc Lâm", organiser=cast.organisation
    )
    upcoming.topics.set(lessons)
    neighbours = make(cast, hamlet=cast.other_hamlet, starts_at=in_days(5), place="Sân kho")
    past = make(cast, starts_at=in_days(-2), place="Buổi đã qua")
    private = make(cast, starts_at=in_days(4), place="Họp chi bộ kín", is_public=False)
    other_commune = make(
        cast, hamlet=cast.hamlet2, starts_at=in_days(2), place="Nhà văn hóa Hà Trung"
    )
    attendance_record(
        session=past,
        resident=cast.resident,
        method=Attendance.Method.LIST,
        actor=cast.volunteer,
        client_key=uuid.uuid4(),
    )
    return {
        "upcoming": upcoming,
        "neighbours": neighbours,
        "past": past,
        "private": private,
        "other_commune": other_commune,
    }


def test_the_schedule_lists_upcoming_public_sessions_only_without_logging_in(client, schedule):
    response = client.get(SCHEDULE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nhà văn hóa Ngọc Lâm" in page and "Sân kho" in page
    assert "Buổi đã qua" not in page
    assert "Họp chi bộ kín" not in page
    assert "Nhà văn hóa Hà Trung" not in page
    assert vn_when(schedule["upcoming"].starts_at) in page
    assert page.index("Nhà văn hóa Ngọc Lâm") < page.index("Sân kho")  # soonest first
    assert "Đã tổ chức 1 buổi" in page


def test_the_schedule_links_published_topics_and_shows_no_personal_data(client, cast, schedule):
    page = client.get(SCHEDULE).content.decode()
    assert '<a href="/hoc/cai-zalo/">Cài Zalo</a>' in page
    assert "VNeID (bản nháp)" in page and "/hoc/vneid-nhap/" not in page
    assert "Hội Nông dân xã" in page
    assert "Nguyễn Văn Trainer" not in page  # trainers are not shown to the public
    assert cast.resident.full_name not in page  # nor who attended


def test_the_schedule_filters_by_hamlet_and_each_hamlet_has_its_own_page(client, cast, schedule):
    filtered = client.get(SCHEDULE, {"xom": cast.other_hamlet.pk}).content.decode()
    assert "Sân kho" in filtered and "Nhà văn hóa Ngọc Lâm" not in filtered
    own_page = client.get(f"/lich/xom/{cast.hamlet.pk}/").content.decode()
    assert "Nhà văn hóa Ngọc Lâm" in own_page and "Sân kho" not in own_page
    assert "Đã tổ chức 1 buổi ở Xóm Ngọc Lâm" in own_page


@pytest.mark.parametrize("xom", ["abc", "-1", "99999999999999", "' OR 1=1"])
def test_a_garbled_hamlet_filter_shows_every_hamlet_rather_than_failing(client, schedule, xom):
    response = client.get(SCHEDULE, {"xom": xom})
    assert response.status_code == 200
    assert "Sân kho" in response.content.decode()


def test_a_hamlet_page_of_another_commune_or_no_hamlet_answers_404(client, cast, schedule):
    assert client.get(f"/lich/xom/{cast.hamlet2.pk}/").status_code == 404
    assert client.get("/lich/xom/999999/").status_code == 404


# Query counts -----------------------------------------------------------------------------


def test_the_session_list_makes_a_bounded_number_of_queries(
    client, cast, lessons, django_assert_max_num_queries
):
    for day in range(25):
        session = make(cast, starts_at=in_days(day - 10), organiser=cast.organisation)
        session.topics.set(lessons)
    client.force_login(cast.coordinator)
    with django_assert_max_num_queries(8):
        response = client.get(LIST)
    assert response.context["page"].paginator.count == 25


def test_the_public_schedule_makes_a_bounded_number_of_queries(
    client, cast, lessons, settings, django_assert_max_num_queries
):
    settings.DEFAULT_COMMUNE_CODE = 0
    for day in range(1, 26):
        session = make(cast, starts_at=in_days(day), organiser=cast.organisation)
        session.topics.set(lessons)
    with django_assert_max_num_queries(6):
        response = client.get(SCHEDULE)
    assert len(response.context["items"]) == 25


def test_the_session_page_makes_a_bounded_number_of_queries(
    client, cast, lessons, django_assert_max_num_queries
):
    session = make(cast, organiser=cast.organisation)
    session.topics.set(lessons)
    for _ in range(3):
        SessionPhoto.objects.create(commune=session.commune, session=session, data=b"RIFF")
    client.force_login(cast.coordinator)
    with django_assert_max_num_queries(8):
        assert client.get(detail(session)).status_code == 200
