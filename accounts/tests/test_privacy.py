"""A resident's own privacy page: consents, data export and erasure."""

import csv
import io
import json
import re

import pytest

from accounts.models import AuditEntry, Consent, Resident, User
from accounts.services import resident_issue_card
from conftest import PIN

PRIVACY_URL = "/toi/quyen-rieng-tu/"
CONSENT_URL = "/toi/quyen-rieng-tu/dong-y/"
ERASE_URL = "/toi/xoa-du-lieu/"
LABELS = {
    "learning": "Lưu quá trình học tập để cấp chứng nhận",
    "contest": "Tham gia các cuộc thi trực tuyến",
    "public_name": "Hiện tên trên bảng xếp hạng và danh sách khen thưởng",
}


def shown_status(content: str) -> dict[str, str]:
    """What the privacy page says for each purpose: 'Đang đồng ý' or 'Chưa đồng ý'."""
    status = {}
    for item in re.findall(r"<li>(.*?)</li>", content, flags=re.S):
        for purpose, label in LABELS.items():
            if label in item:
                found = re.search(r"Đang đồng ý|Chưa đồng ý", item)
                status[purpose] = found.group(0) if found else "?"
    return status


@pytest.fixture
def as_resident(client, cast):
    client.force_login(cast.resident.user)
    return client


def test_the_privacy_page_shows_each_consent_in_force(as_resident, cast):
    response = as_resident.get(PRIVACY_URL)

    assert response.status_code == 200
    assert shown_status(response.content.decode()) == {
        "learning": "Đang đồng ý",
        "contest": "Chưa đồng ý",
        "public_name": "Chưa đồng ý",
    }


def test_the_privacy_page_shows_the_residents_own_data(as_resident, cast):
    content = as_resident.get(PRIVACY_URL).content.decode()

    assert "Nguyễn Thị Lành" in content
    assert "0912000001" in content
    assert "Xóm Ngọc Lâm" in content
    assert "Trần Văn Bình" not in content


def test_the_privacy_page_needs_a_resident_login(client, cast):
    assert client.get(PRIVACY_URL).status_code == 302
    client.force_login(cast.volunteer)
    assert client.get(PRIVACY_URL).status_code == 403


def test_a_resident_grants_a_consent(as_resident, cast):
    response = as_resident.post(CONSENT_URL, {"purpose": "contest", "granted": "1"})

    assert response.status_code == 302
    assert response.url == PRIVACY_URL
    latest = cast.resident.consents.filter(purpose="contest").first()
    assert latest.granted is True
    assert latest.method == Consent.Method.SELF
    assert latest.recorded_by is None
    page = as_resident.get(PRIVACY_URL).content.decode()
    assert shown_status(page)["contest"] == "Đang đồng ý"
    assert "Đã lưu lựa chọn của bạn." in page


def test_a_resident_withdraws_a_consent_with_a_new_row_and_the_latest_wins(as_resident, cast):
    before = cast.resident.consents.count()

    as_resident.post(CONSENT_URL, {"purpose": "learning", "granted": "0"})

    rows = list(cast.resident.consents.filter(purpose="learning"))
    assert cast.resident.consents.count() == before + 1
    assert [c.granted for c in rows] == [False, True]  # newest first; history kept
    page = as_resident.get(PRIVACY_URL).content.decode()
    assert shown_status(page)["learning"] == "Chưa đồng ý"


def test_granting_again_after_withdrawing_is_in_force(as_resident, cast):
    for granted in ("0", "1", "0", "1"):
        as_resident.post(CONSENT_URL, {"purpose": "public_name", "granted": granted})

    assert cast.resident.consents.filter(purpose="public_name").count() == 4
    page = as_resident.get(PRIVACY_URL).content.decode()
    assert shown_status(page)["public_name"] == "Đang đồng ý"


@pytest.mark.parametrize(
    "data",
    [
        {"purpose": "ban_du_lieu", "granted": "1"},
        {"purpose": "", "granted": "1"},
        {"purpose": "contest", "granted": "maybe"},
        {"purpose": "contest"},
    ],
)
def test_an_invalid_consent_choice_saves_nothing_and_says_so(as_resident, cast, data):
    before = Consent.objects.count()

    response = as_resident.post(CONSENT_URL, data, follow=True)

    assert Consent.objects.count() == before
    assert "Lựa chọn không hợp lệ, chưa lưu gì." in response.content.decode()


def test_changing_consent_needs_a_post(as_resident):
    assert as_resident.get(CONSENT_URL).status_code == 405


def test_a_resident_consent_change_is_not_in_the_staff_audit_log(as_resident):
    before = AuditEntry.objects.count()

    as_resident.post(CONSENT_URL, {"purpose": "contest", "granted": "1"})

    assert AuditEntry.objects.count() == before


# Export -----------------------------------------------------------------------


def test_the_json_export_holds_the_residents_data_and_consents(as_resident, cast):
    as_resident.post(CONSENT_URL, {"purpose": "contest", "granted": "1"})

    response = as_resident.get("/toi/du-lieu.json")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content.decode("utf-8"))
    assert data["họ và tên"] == "Nguyễn Thị Lành"
    assert data["năm sinh"] == 1955
    assert data["số điện thoại"] == "0912000001"
    assert data["xóm"] == "Xóm Ngọc Lâm"
    assert data["xã"] == "Xã Bạch Ngọc"
    purposes = {(c["mục đích"], c["đồng ý"]) for c in data["đồng ý"]}
    assert purposes == {(LABELS["learning"], True), (LABELS["contest"], True)}


def test_the_json_export_contains_no_other_residents_name(as_resident, cast):
    text = as_resident.get("/toi/du-lieu.json").content.decode("utf-8")

    for other in (cast.neighbour, cast.resident2):
        assert other.full_name not in text
        assert other.phone not in text


def test_the_json_export_keeps_vietnamese_letters_readable(as_resident):
    raw = as_resident.get("/toi/du-lieu.json").content.decode("utf-8")

    assert "Nguyễn Thị Lành" in raw  # not \\u escapes


def test_the_csv_export_starts_with_a_bom_and_has_vietnamese_text(as_resident, cast):
    response = as_resident.get("/toi/du-lieu.csv")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["mục", "giá trị"]
    values = dict(rows[1:])
    assert values["họ và tên"] == "Nguyễn Thị Lành"
    assert values["giới tính"] == "Nữ"
    assert values["người khuyết tật"] == "không"
    assert values[f"đồng ý: {LABELS['learning']}"].startswith("đồng ý (")
    assert "Trần Văn Bình" not in text


def test_the_export_needs_a_resident_login(client, cast):
    assert client.get("/toi/du-lieu.json").status_code == 302
    client.force_login(cast.coordinator)
    assert client.get("/toi/du-lieu.csv").status_code == 403


def test_an_unknown_export_format_is_not_found(as_resident):
    assert as_resident.get("/toi/du-lieu.xml").status_code == 404


# Erasure ----------------------------------------------------------------------


def test_the_erase_page_asks_before_erasing(as_resident, cast):
    response = as_resident.get(ERASE_URL)

    assert response.status_code == 200
    assert "không làm lại được" in response.content.decode()
    cast.resident.refresh_from_db()
    assert cast.resident.full_name == "Nguyễn Thị Lành"


def test_erasing_removes_personal_data_and_keeps_an_anonymous_row(as_resident, cast):
    resident_issue_card(actor=None, resident=cast.resident)
    user_id = cast.resident.user_id
    in_hamlet = Resident.objects.filter(hamlet=cast.hamlet).count()

    response = as_resident.post(ERASE_URL)

    assert response.status_code == 302
    assert response.url == "/"
    resident = Resident.objects.get(pk=cast.resident.pk)
    assert resident.full_name == ""
    assert resident.name_folded == ""
    assert resident.phone is None
    assert resident.pin_hash == ""
    assert resident.card_token_hash is None
    assert resident.user_id is None
    assert resident.anonymised_at is not None
    assert resident.hamlet == cast.hamlet
    assert resident.commune == cast.commune
    assert resident.sex == "nu"
    assert resident.birth_year == 1950
    assert resident.consents.count() == 0
    assert not User.objects.filter(pk=user_id).exists()
    assert Resident.objects.filter(hamlet=cast.hamlet).count() == in_hamlet


def test_erasing_logs_the_resident_out_and_says_goodbye(as_resident, cast):
    response = as_resident.post(ERASE_URL, follow=True)

    assert "_auth_user_id" not in as_resident.session
    assert "Đã xóa dữ liệu cá nhân của bạn." in response.content.decode()
    assert as_resident.get("/toi/").status_code == 302


def test_an_erased_resident_no_longer_appears_to_staff(client, as_resident, cast):
    as_resident.post(ERASE_URL)

    client.force_login(cast.coordinator)
    listing = client.get("/can-bo/nguoi-dan/").content.decode()
    assert "Nguyễn Thị Lành" not in listing
    assert client.get(f"/can-bo/nguoi-dan/{cast.resident.pk}/").status_code == 404


def test_erasing_frees_the_phone_number_for_a_new_registration(as_resident, cast):
    as_resident.post(ERASE_URL)

    response = as_resident.post(
        "/dang-ky/",
        {
            "full_name": "Hồ Thị Nga",
            "birth_year": "1970",
            "sex": "nu",
            "hamlet": cast.hamlet.pk,
            "phone": "0912000001",
            "pin": "3579",
            "client_key": "0b8f2f56-39a1-4f0e-9a0e-8c1b1a2f3d4e",
        },
    )

    assert response.status_code == 302


def test_erasing_strips_the_personal_content_from_audit_entries(client, cast):
    client.force_login(cast.coordinator)
    client.post(
        f"/can-bo/nguoi-dan/{cast.resident.pk}/sua/",
        {
            "full_name": "Nguyễn Thị Lành",
            "birth_year": "1955",
            "sex": "nu",
            "hamlet": cast.hamlet.pk,
            "phone": "0912 999 888",
        },
    )
    client.post(
        f"/can-bo/nguoi-dan/{cast.resident.pk}/dong-y/", {"purpose": "contest", "granted": "1"}
    )
    about = AuditEntry.objects.filter(target_type="người dân", target_id=str(cast.resident.pk))
    assert about.count() >= 2
    assert about.filter(after__phone="0912999888").exists()
    other = AuditEntry.objects.exclude(pk__in=about.values("pk")).count()

    resident_client = client.__class__()
    resident_client.force_login(cast.resident.user)
    resident_client.post(ERASE_URL)

    for entry in AuditEntry.objects.filter(
        target_id=str(cast.resident.pk), target_type="người dân"
    ):
        assert entry.target_repr == "(đã xóa dữ liệu)"
        assert entry.before is None
        assert entry.after is None
    assert AuditEntry.objects.exclude(target_id=str(cast.resident.pk)).count() == other
    client.force_login(cast.admin)
    log = client.get("/can-bo/nhat-ky/").content.decode()
    assert "Nguyễn Thị Lành" not in log
    assert "0912999888" not in log
    assert "(đã xóa dữ liệu)" in log


def test_erasing_needs_the_resident_to_be_logged_in(client, cast):
    response = client.post(ERASE_URL)

    assert response.status_code == 302
    cast.resident.refresh_from_db()
    assert cast.resident.full_name == "Nguyễn Thị Lành"


def test_an_erased_residents_old_phone_and_pin_no_longer_log_in(client, as_resident, cast):
    as_resident.post(ERASE_URL)

    response = client.post("/dang-nhap/dien-thoai/", {"phone": "0912000001", "pin": PIN})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_export_lists_what_the_resident_did_in_every_part(as_resident, cast):
    import uuid

    from django.utils import timezone

    from learning.models import Attempt as LessonAttempt
    from learning.services import lessons_load
    from outreach.models import Attendance, Session, SkillTick

    lessons_load(commune=cast.commune)
    lesson = cast.commune.lessons.first()
    LessonAttempt.objects.create(
        commune=cast.commune,
        lesson=lesson,
        resident=cast.resident,
        answers={},
        correct=3,
        total=3,
        passed=True,
        client_key=uuid.uuid4(),
    )
    session = Session.objects.create(
        commune=cast.commune,
        hamlet=cast.hamlet,
        kind=Session.Kind.CULTURAL_HOUSE,
        place="Nhà văn hóa xóm Ngọc Lâm",
        starts_at=timezone.now(),
        organiser=cast.organisation,
    )
    Attendance.objects.create(
        commune=cast.commune, session=session, resident=cast.resident, client_key=uuid.uuid4()
    )
    SkillTick.objects.create(
        commune=cast.commune, resident=cast.resident, skill="vneid_level2", client_key=uuid.uuid4()
    )

    data = json.loads(as_resident.get("/toi/du-lieu.json").content.decode("utf-8"))

    kinds = {row["loại"]: row["nội dung"] for row in data["hoạt động"]}
    assert kinds["bài học"] == f"{lesson.title}: 3/3 câu, đạt"
    assert kinds["buổi hướng dẫn"].startswith("Nhà văn hóa xóm Ngọc Lâm")
    assert kinds["kỹ năng"] == "Có VNeID, tài khoản định danh mức độ 2: đã biết"
    rows = list(csv.reader(io.StringIO(as_resident.get("/toi/du-lieu.csv").content.decode())))
    assert any(row[0].startswith("bài học (") and lesson.title in row[1] for row in rows)
