"""Staff and learning: assisted completions, statistics (page, numbers, Excel), who may see them."""

import io
import uuid

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import AuditEntry, Consent, Purpose
from accounts.selectors import granted_purposes
from accounts.services import resident_register
from learning.models import Attempt, Certificate, Lesson
from learning.selectors import learning_stats
from learning.services import assisted_completion_record, attempt_submit, lessons_load
from learning.tests.test_content_loader import write_lesson

ASSISTED_URL = "/can-bo/hoc/ho-tro/"
TOPIC = "An toàn trên mạng, phòng lừa đảo"
NO_CONSENT = "Người dân chưa đồng ý lưu quá trình học tập"


@pytest.fixture
def lessons(cast, tmp_path) -> dict[str, Lesson]:
    safety = {"topic": "an-toan", "goal": "khong-bi-lua", "domain": "an-toan"}
    write_lesson(tmp_path, "tin-nhan-lua-dao", title="Nhận biết tin nhắn lừa đảo", **safety)
    write_lesson(tmp_path, "mat-khau-manh", title="Đặt mật khẩu mạnh", order=20, **safety)
    write_lesson(tmp_path, "cai-zalo", title="Cài ứng dụng Zalo")
    lessons_load(commune=cast.commune, directory=tmp_path)
    return {lesson.slug: lesson for lesson in Lesson.objects.filter(commune=cast.commune)}


@pytest.fixture
def unconsented(cast):
    """A resident of the volunteer's hamlet who has not agreed to keep learning records."""
    return resident_register(
        actor=cast.volunteer,
        hamlet=cast.hamlet,
        full_name="Phạm Văn Tư",
        birth_year=1950,
        sex="nam",
    )


@pytest.fixture
def young_man(cast):
    """A resident of the other hamlet, 35 this year, who agreed to keep learning records."""
    return resident_register(
        actor=cast.coordinator,
        hamlet=cast.other_hamlet,
        full_name="Hoàng Văn Nam",
        birth_year=timezone.localdate().year - 35,
        sex="nam",
        consents=["learning"],
    )


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pass_alone(lesson: Lesson, resident=None, device: str = "") -> Attempt:
    answers = {q.pk: q.answer for q in lesson.questions.all()}
    return attempt_submit(
        lesson=lesson, answers=answers, client_key=uuid.uuid4(), resident=resident, device=device
    )


def one_self_one_assisted(cast, lessons, young_man) -> None:
    """cast.resident passes a lesson alone; young_man passes it with a coordinator beside him."""
    pass_alone(lessons["tin-nhan-lua-dao"], cast.resident)
    assisted_completion_record(
        volunteer=cast.coordinator,
        resident=young_man,
        lesson=lessons["tin-nhan-lua-dao"],
        consent_given_now=False,
    )


def row(rows: list[dict], label: str) -> tuple:
    found = next(r for r in rows if r["label"] == label)
    keys = ("learners", "completions", "assisted", "assisted_share", "certificates")
    return tuple(found[k] for k in keys)


# Assisted completions -----------------------------------------------------------------------


def test_assisted_completion_needs_the_consent_box_when_the_resident_has_not_consented(
    cast, lessons, unconsented
):
    consents_before = Consent.objects.count()

    response = logged_in(cast.volunteer).post(
        ASSISTED_URL,
        {
            "resident": unconsented.pk,
            "lesson": lessons["tin-nhan-lua-dao"].pk,
            "confirmed": "on",
        },
    )

    assert response.status_code == 200
    assert NO_CONSENT in response.content.decode()
    assert Attempt.objects.count() == 0
    assert Consent.objects.count() == consents_before


def test_assisted_completion_with_consent_records_the_attempt_and_an_assisted_consent(
    cast, lessons, unconsented
):
    lesson = lessons["tin-nhan-lua-dao"]

    response = logged_in(cast.volunteer).post(
        ASSISTED_URL,
        {"resident": unconsented.pk, "lesson": lesson.pk, "consent": "on", "confirmed": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"/can-bo/nguoi-dan/{unconsented.pk}/"
    attempt = Attempt.objects.get()
    assert attempt.resident == unconsented
    assert attempt.lesson == lesson
    assert attempt.assisted_by == cast.volunteer
    assert (attempt.passed, attempt.correct, attempt.total) == (True, 2, 2)
    consent = Consent.objects.filter(resident=unconsented, purpose=Purpose.LEARNING).get()
    assert consent.granted
    assert consent.method == Consent.Method.ASSISTED
    assert consent.recorded_by == cast.volunteer
    assert AuditEntry.objects.filter(
        actor=cast.volunteer, after={"học có hỗ trợ": lesson.title}
    ).exists()


def test_a_resident_who_already_consented_needs_no_consent_box(cast, lessons):
    consents_before = Consent.objects.count()

    response = logged_in(cast.volunteer).post(
        ASSISTED_URL,
        {"resident": cast.resident.pk, "lesson": lessons["cai-zalo"].pk, "confirmed": "on"},
    )

    assert response.status_code == 302
    assert Attempt.objects.get().assisted_by == cast.volunteer
    assert Consent.objects.count() == consents_before


def test_the_volunteer_must_confirm_having_gone_through_the_whole_lesson(cast, lessons):
    response = logged_in(cast.volunteer).post(
        ASSISTED_URL, {"resident": cast.resident.pk, "lesson": lessons["cai-zalo"].pk}
    )

    assert response.status_code == 200
    assert "Hãy xác nhận đã cùng người dân làm hết bài." in response.content.decode()
    assert Attempt.objects.count() == 0


@pytest.mark.parametrize("whom", ["neighbour", "resident2"])
def test_a_volunteer_cannot_pick_a_resident_outside_their_hamlet(cast, lessons, whom):
    resident = getattr(cast, whom)

    response = logged_in(cast.volunteer).post(
        ASSISTED_URL,
        {"resident": resident.pk, "lesson": lessons["cai-zalo"].pk, "confirmed": "on"},
    )

    assert response.status_code == 200
    assert "resident" in response.context["form"].errors
    assert Attempt.objects.count() == 0


def test_a_lesson_of_another_commune_cannot_be_picked(cast, lessons, tmp_path):
    write_lesson(tmp_path / "xa2", "bai-xa-hai")
    lessons_load(commune=cast.commune2, directory=tmp_path / "xa2")
    other = Lesson.objects.get(commune=cast.commune2)

    response = logged_in(cast.volunteer).post(
        ASSISTED_URL, {"resident": cast.resident.pk, "lesson": other.pk, "confirmed": "on"}
    )

    assert "lesson" in response.context["form"].errors
    assert Attempt.objects.count() == 0


def test_the_form_offers_only_the_volunteers_own_residents(cast, lessons):
    content = logged_in(cast.volunteer).get(ASSISTED_URL).content.decode()

    assert "Nguyễn Thị Lành" in content
    assert "Trần Văn Bình" not in content
    assert "Lê Thị Hoa" not in content


def test_the_form_can_start_with_a_resident_chosen(cast, lessons):
    volunteer = logged_in(cast.volunteer)

    content = volunteer.get(ASSISTED_URL, {"nguoi-dan": cast.resident.pk}).content.decode()

    assert f'<option value="{cast.resident.pk}" selected>' in content
    assert volunteer.get(ASSISTED_URL, {"nguoi-dan": cast.neighbour.pk}).status_code == 404
    assert volunteer.get(ASSISTED_URL, {"nguoi-dan": "²"}).status_code == 200


def test_assisted_completions_of_a_whole_topic_give_an_assisted_certificate(cast, lessons):
    for slug in ("tin-nhan-lua-dao", "mat-khau-manh"):
        assisted_completion_record(
            volunteer=cast.volunteer,
            resident=cast.resident,
            lesson=lessons[slug],
            consent_given_now=False,
        )

    certificate = Certificate.objects.get()
    assert (certificate.topic, certificate.assisted) == ("an-toan", True)


# Statistics ---------------------------------------------------------------------------------


def test_one_self_and_one_assisted_completion_are_counted_apart(cast, lessons, young_man):
    one_self_one_assisted(cast, lessons, young_man)

    stats = learning_stats(cast.commune)

    assert stats["learners"] == 2
    assert stats["completions"] == 2
    assert stats["assisted"] == 1
    assert stats["assisted_share"] == 50
    assert row(stats["by_topic"], TOPIC) == (2, 2, 1, 50, 0)
    assert [r["label"] for r in stats["by_hamlet"]] == ["Xóm Ngọc Lâm", "Xóm Yên Mỹ"]
    assert row(stats["by_hamlet"], "Xóm Ngọc Lâm") == (1, 1, 0, 0, 0)
    assert row(stats["by_hamlet"], "Xóm Yên Mỹ") == (1, 1, 1, 100, 0)
    assert [r["label"] for r in stats["by_age"]] == ["30–44", "Từ 70 trở lên"]
    assert row(stats["by_age"], "30–44") == (1, 1, 1, 100, 0)
    assert row(stats["by_age"], "Từ 70 trở lên") == (1, 1, 0, 0, 0)
    assert row(stats["by_sex"], "Nam") == (1, 1, 1, 100, 0)
    assert row(stats["by_sex"], "Nữ") == (1, 1, 0, 0, 0)


def test_a_lesson_passed_again_alone_after_help_no_longer_counts_as_assisted(
    cast, lessons, young_man
):
    one_self_one_assisted(cast, lessons, young_man)
    pass_alone(lessons["tin-nhan-lua-dao"], young_man)

    stats = learning_stats(cast.commune)

    assert (stats["completions"], stats["assisted"]) == (2, 0)


def test_repeats_failures_and_anonymous_phones_do_not_inflate_the_resident_counts(cast, lessons):
    lesson = lessons["tin-nhan-lua-dao"]
    pass_alone(lesson, cast.resident)
    pass_alone(lesson, cast.resident)
    attempt_submit(lesson=lesson, answers={}, client_key=uuid.uuid4(), resident=cast.neighbour)
    pass_alone(lesson, device=str(uuid.uuid4()))

    stats = learning_stats(cast.commune)

    assert (stats["learners"], stats["completions"]) == (1, 1)
    assert stats["anonymous_completions"] == 1


def test_certificates_are_counted_by_topic_hamlet_age_and_sex(cast, lessons):
    pass_alone(lessons["tin-nhan-lua-dao"], cast.resident)
    pass_alone(lessons["mat-khau-manh"], cast.resident)

    stats = learning_stats(cast.commune)

    assert stats["certificates"] == 1
    assert row(stats["by_topic"], TOPIC)[4] == 1
    assert row(stats["by_hamlet"], "Xóm Ngọc Lâm")[4] == 1
    assert row(stats["by_age"], "Từ 70 trở lên")[4] == 1
    assert row(stats["by_sex"], "Nữ")[4] == 1


def test_statistics_of_one_commune_ignore_the_other(cast, lessons, young_man):
    one_self_one_assisted(cast, lessons, young_man)

    stats = learning_stats(cast.commune2)

    assert (stats["learners"], stats["completions"], stats["certificates"]) == (0, 0, 0)


def test_the_stats_page_shows_learners_and_the_assisted_share(cast, lessons, young_man):
    one_self_one_assisted(cast, lessons, young_man)

    response = logged_in(cast.coordinator).get("/can-bo/hoc/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "<strong>2</strong> người học" in content
    assert "<strong>2</strong> lượt hoàn thành bài" in content
    assert "<strong>50%</strong> có hỗ trợ (1 lượt)" in content
    assert "Xóm Yên Mỹ" in content
    assert 'href="/can-bo/hoc/ket-qua.xlsx"' in content


def test_the_excel_export_has_every_sheet_with_the_right_numbers(cast, lessons, young_man):
    one_self_one_assisted(cast, lessons, young_man)

    response = logged_in(cast.coordinator).get("/can-bo/hoc/ket-qua.xlsx")

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Tổng hợp",
        "Theo chủ đề",
        "Theo xóm",
        "Theo độ tuổi",
        "Theo giới tính",
    ]

    def table(name):
        return [list(r) for r in book[name].iter_rows(values_only=True)]

    summary = table("Tổng hợp")
    assert "Xã Bạch Ngọc" in summary[0][0]
    figures = dict(summary[1:])
    assert figures["Người học (đã hoàn thành ít nhất một bài)"] == 2
    assert figures["Lượt hoàn thành bài"] == 2
    assert figures["Trong đó có hỗ trợ"] == 1
    assert figures["Tỷ lệ có hỗ trợ (%)"] == 50
    assert figures["Chứng nhận đã cấp"] == 0
    assert table("Theo chủ đề")[1:] == [[TOPIC, 2, 2, 1, 50, 0]]
    assert table("Theo xóm")[0][:3] == ["Xóm", "Người học", "Lượt hoàn thành bài"]
    assert table("Theo xóm")[1:] == [
        ["Xóm Ngọc Lâm", 1, 1, 0, 0, 0],
        ["Xóm Yên Mỹ", 1, 1, 1, 100, 0],
    ]
    assert table("Theo độ tuổi")[1:] == [
        ["30–44", 1, 1, 1, 100, 0],
        ["Từ 70 trở lên", 1, 1, 0, 0, 0],
    ]
    assert table("Theo giới tính")[1:] == [["Nam", 1, 1, 1, 100, 0], ["Nữ", 1, 1, 0, 0, 0]]


def test_a_leader_sees_the_statistics_but_cannot_change_anything(cast, lessons, young_man):
    one_self_one_assisted(cast, lessons, young_man)
    leader = logged_in(cast.leader)

    assert leader.get("/can-bo/hoc/").status_code == 200
    assert leader.get("/can-bo/hoc/ket-qua.xlsx").status_code == 200
    assert leader.get(ASSISTED_URL).status_code == 403
    response = leader.post(
        ASSISTED_URL,
        {"resident": cast.resident.pk, "lesson": lessons["cai-zalo"].pk, "confirmed": "on"},
    )
    assert response.status_code == 403
    assert Attempt.objects.count() == 2


@pytest.mark.parametrize("who", ["volunteer", "officer", "resident", "province"])
@pytest.mark.parametrize("url", ["/can-bo/hoc/", "/can-bo/hoc/ket-qua.xlsx"])
def test_only_commune_leaders_admins_and_coordinators_see_the_statistics(cast, who, url):
    assert logged_in(cast.users()[who]).get(url).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in_for_the_statistics(client, cast):
    response = client.get("/can-bo/hoc/")

    assert response.status_code == 302
    assert "next=/can-bo/hoc/" in response["Location"]


def test_granting_consent_in_an_assisted_completion_is_kept_for_later_lessons(
    cast, lessons, unconsented
):
    assisted_completion_record(
        volunteer=cast.volunteer,
        resident=unconsented,
        lesson=lessons["cai-zalo"],
        consent_given_now=True,
    )

    assert Purpose.LEARNING in granted_purposes(unconsented)
    assert pass_alone(lessons["tin-nhan-lua-dao"], unconsented).resident == unconsented
