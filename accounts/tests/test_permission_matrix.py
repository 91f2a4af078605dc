"""Every URL, every role, and a second commune: who gets what. Any leak fails here."""

import pytest

STAFF_A = ["admin", "leader", "coordinator", "officer", "volunteer"]
STAFF_B = ["admin2", "coordinator2", "volunteer2"]
EVERYONE = [*STAFF_A, *STAFF_B, "resident", "resident2", "province", "province_other"]


def expect(default: int, **overrides: int) -> dict[str, int]:
    table = dict.fromkeys(EVERYONE, default)
    table.update(overrides)
    return table


def matrix(cast) -> list[tuple[str, str, dict[str, int], int]]:
    """(method, url, status by role, status for an anonymous visitor)."""
    from learning.services import lessons_load

    lessons_load(commune=cast.commune)
    lesson = cast.commune.lessons.first()
    image = lesson.body.split("](", 1)[1].split(")", 1)[0]
    from django.utils import timezone

    from outreach.models import Session, Team

    team = Team.objects.create(commune=cast.commune, hamlet=cast.hamlet, name="Tổ CNSCĐ Ngọc Lâm")
    session = Session.objects.create(
        commune=cast.commune,
        hamlet=cast.hamlet,
        kind=Session.Kind.CULTURAL_HOUSE,
        place="Nhà văn hóa xóm",
        starts_at=timezone.now() + timezone.timedelta(days=3),
        organiser=cast.organisation,
    )
    viewers = dict.fromkeys([*STAFF_A, *STAFF_B], 200)
    own_objects = dict.fromkeys(STAFF_A, 200) | dict.fromkeys(STAFF_B, 404)
    session_makers = dict.fromkeys(["admin", "coordinator", "officer", "volunteer", *STAFF_B], 200)
    editors = dict.fromkeys(["admin", "coordinator", "admin2", "coordinator2"], 200)
    dashboards = dict.fromkeys(["admin", "leader", "coordinator", *STAFF_B[:2]], 200)
    resident = cast.resident.pk  # lives in the volunteer's hamlet
    neighbour = cast.neighbour.pk  # same commune, other hamlet
    org = cast.organisation.pk
    other_org = cast.other_organisation.pk
    resident_pages = dict.fromkeys(["admin", "coordinator", "volunteer"], 200) | dict.fromkeys(
        STAFF_B, 404
    )
    managers = dict.fromkeys(["admin", "coordinator", "volunteer", *STAFF_B], 200)
    plan_readers = dict.fromkeys(["admin", "leader", "coordinator", "officer", *STAFF_B[:2]], 200)
    own_plan_readers = dict.fromkeys(["admin", "leader", "coordinator", "officer"], 200) | {
        "admin2": 404,
        "coordinator2": 404,
    }
    own_plan_writers = own_plan_readers | {"leader": 403}
    return [
        ("get", "/", expect(200), 200),
        ("get", "/dang-nhap/", expect(200), 200),
        ("get", "/dang-nhap/dien-thoai/", expect(200), 200),
        ("get", "/dang-ky/", expect(200), 200),
        ("get", "/toi/", expect(403, resident=200, resident2=200), 302),
        ("get", "/toi/quyen-rieng-tu/", expect(403, resident=200, resident2=200), 302),
        ("get", "/toi/du-lieu.json", expect(403, resident=200, resident2=200), 302),
        ("get", "/toi/du-lieu.csv", expect(403, resident=200, resident2=200), 302),
        ("get", "/toi/doi-ma-pin/", expect(403, resident=200, resident2=200), 302),
        ("get", "/toi/xoa-du-lieu/", expect(403, resident=200, resident2=200), 302),
        ("get", "/can-bo/", expect(403, **dict.fromkeys([*STAFF_A, *STAFF_B], 200)), 302),
        (
            "get",
            "/can-bo/tong-quan/",
            expect(403, **dict.fromkeys(["admin", "leader", "coordinator", *STAFF_B[:2]], 200)),
            302,
        ),
        ("get", "/can-bo/nguoi-dan/", expect(403, **managers), 302),
        ("get", "/can-bo/nguoi-dan/dang-ky/", expect(403, **managers), 302),
        ("get", f"/can-bo/nguoi-dan/{resident}/", expect(403, **resident_pages), 302),
        ("get", f"/can-bo/nguoi-dan/{resident}/sua/", expect(403, **resident_pages), 302),
        ("get", f"/can-bo/nguoi-dan/{resident}/ma-pin/", expect(403, **resident_pages), 302),
        ("post", f"/can-bo/nguoi-dan/{resident}/the/", expect(403, **resident_pages), 302),
        (
            "get",
            f"/can-bo/nguoi-dan/{neighbour}/",
            expect(403, **(resident_pages | {"volunteer": 404})),
            302,
        ),
        (
            "post",
            f"/can-bo/nguoi-dan/{neighbour}/dong-y/",
            expect(403, **(resident_pages | {"admin": 302, "coordinator": 302, "volunteer": 404})),
            302,
        ),
        (
            "get",
            f"/can-bo/to-chuc/{org}/",
            expect(
                403,
                **dict.fromkeys(["admin", "leader", "coordinator", "officer"], 200),
                admin2=404,
                coordinator2=404,
            ),
            302,
        ),
        (
            "get",
            f"/can-bo/to-chuc/{other_org}/",
            expect(
                403,
                **dict.fromkeys(["admin", "leader", "coordinator"], 200),
                officer=404,
                admin2=404,
                coordinator2=404,
            ),
            302,
        ),
        ("get", "/can-bo/nhat-ky/", expect(403, admin=200, admin2=200), 302),
        ("get", "/tinh/", expect(403, province=200, province_other=200), 302),
        ("get", "/hoc/", expect(200), 200),
        (
            "get",
            f"/hoc/{lesson.slug}/",
            expect(200, **dict.fromkeys([*STAFF_B, "resident2"], 404)),
            200,
        ),
        ("get", f"/hoc/anh/{cast.commune.pk}/{image}", expect(200), 200),
        ("get", "/toi/chung-nhan/", expect(403, resident=200, resident2=200), 302),
        ("get", "/can-bo/hoc/", expect(403, **dashboards), 302),
        ("get", "/can-bo/hoc/ket-qua.xlsx", expect(403, **dashboards), 302),
        ("get", "/can-bo/hoc/ho-tro/", expect(403, **managers), 302),
        ("get", "/can-bo/chung-nhan/", expect(403, **managers), 302),
        ("get", "/can-bo/khoa-hoc-quoc-gia/", expect(403, **managers), 302),
        ("get", "/can-bo/bai-hoc/", expect(403, **editors), 302),
        ("get", "/can-bo/bai-hoc/moi/", expect(403, **editors), 302),
        ("get", "/can-bo/bai-hoc/hinh/", expect(403, **editors), 302),
        (
            "get",
            f"/can-bo/bai-hoc/{lesson.pk}/",
            expect(403, **(editors | dict.fromkeys(["admin2", "coordinator2"], 404))),
            302,
        ),
        ("get", "/sw.js", expect(200), 200),
        ("get", "/can-bo/to-cong-nghe-so/", expect(403, **viewers), 302),
        ("get", "/can-bo/to-cong-nghe-so/moi/", expect(403, **editors), 302),
        ("get", f"/can-bo/to-cong-nghe-so/{team.pk}/", expect(403, **own_objects), 302),
        ("get", "/can-bo/buoi-huong-dan/", expect(403, **viewers), 302),
        ("get", "/can-bo/buoi-huong-dan/moi/", expect(403, **session_makers), 302),
        ("get", f"/can-bo/buoi-huong-dan/{session.pk}/", expect(403, **own_objects), 302),
        ("get", "/lich/", expect(200), 200),
        ("get", f"/lich/xom/{cast.hamlet.pk}/", expect(200), 200),
        ("get", "/can-bo/nhap-danh-sach/", expect(403, **managers), 302),
        ("get", "/can-bo/nhap-danh-sach/mau.xlsx", expect(403, **managers), 302),
        (
            "get",
            "/can-bo/bao-phu/",
            expect(403, **(dashboards | {"volunteer": 200, "volunteer2": 200})),
            302,
        ),
        ("get", "/can-bo/bao-phu/muc-tieu/", expect(403, **editors), 302),
        # communications: public pages, then staff pages
        ("get", "/tin-tuc/", expect(200), 200),
        ("get", "/tin-tuc/atom.xml", expect(200), 200),
        ("get", "/video/", expect(200), 200),
        ("get", "/lich/su-kien/", expect(200), 200),
        ("get", "/lich/su-kien.ics", expect(200), 200),
        ("get", f"/lich/su-kien/xom/{cast.hamlet.pk}/", expect(200), 200),
        ("get", "/bao-lua-dao/", expect(200), 200),
        ("get", "/bao-lua-dao/cam-on/", expect(200), 200),
        ("get", "/canh-bao/", expect(200), 200),
        ("get", "/guong-dien-hinh/", expect(200), 200),
        ("get", "/can-bo/tin-tuc/", expect(403, **editors), 302),
        ("get", "/can-bo/tin-tuc/moi/", expect(403, **editors), 302),
        ("get", "/can-bo/video/", expect(403, **editors), 302),
        ("get", "/can-bo/su-kien/", expect(403, **editors), 302),
        ("get", "/can-bo/guong-dien-hinh/", expect(403, **editors), 302),
        ("get", "/can-bo/guong-dien-hinh/moi/", expect(403, **editors), 302),
        ("get", "/can-bo/truyen-thanh/", expect(403, **dashboards), 302),
        ("get", "/can-bo/truyen-thanh/moi/", expect(403, **editors), 302),
        ("get", "/can-bo/truyen-thanh/nhat-ky/", expect(403, **dashboards), 302),
        ("get", "/can-bo/ap-phich/", expect(403, **viewers), 302),
        ("get", "/can-bo/ap-phich/moi/", expect(403, **editors), 302),
        ("get", "/can-bo/ap-phich/khau-hieu/", expect(403, **viewers), 302),
        ("get", "/can-bo/lua-dao/", expect(403, **editors), 302),
        ("get", "/can-bo/lua-dao/bao-giup/", expect(403, **managers), 302),
        ("get", "/can-bo/lua-dao/canh-bao-moi/", expect(403, **editors), 302),
        # contests and recognition
        # The cast's residents have not agreed to contests: they get the consent page (403).
        # Staff see the contests for officials.
        ("get", "/cuoc-thi/", expect(403, **dict.fromkeys([*STAFF_A, *STAFF_B], 200)), 302),
        ("get", "/can-bo/cuoc-thi/mau-cau-hoi.xlsx", expect(403, **editors), 302),
        ("get", "/can-bo/cuoc-thi/nhap-phieu-giay/", expect(403, **managers), 302),
        ("get", "/can-bo/cuoc-thi/", expect(403, **editors), 302),
        ("get", "/can-bo/cuoc-thi/tao/", expect(403, **editors), 302),
        (
            "get",
            "/can-bo/khen-thuong/",
            expect(403, **dict.fromkeys([*STAFF_A, *STAFF_B], 200)),
            302,
        ),
        (
            "get",
            "/can-bo/khen-thuong/de-nghi/",
            expect(403, **(managers | {"officer": 200})),
            302,
        ),
        (
            "get",
            f"/can-bo/buoi-huong-dan/{session.pk}/diem-danh/",
            expect(403, **(own_objects | {"leader": 403})),
            302,
        ),
        ("get", "/can-bo/chua-tiep-can/", expect(403, **managers), 302),
        ("get", "/can-bo/viec-cua-toi/", expect(403, volunteer=200, volunteer2=200), 302),
        ("get", "/can-bo/kem-cap/", expect(403, **managers), 302),
        ("get", "/toi/ky-nang/", expect(403, resident=200, resident2=200), 302),
        ("get", f"/can-bo/nguoi-dan/{resident}/ky-nang/", expect(403, **resident_pages), 302),
        ("get", f"/can-bo/tham-nha/{resident}/", expect(403, **resident_pages), 302),
        (
            "get",
            f"/can-bo/tham-nha/{neighbour}/",
            expect(403, **(resident_pages | {"volunteer": 404})),
            302,
        ),
        # reports: officers fill, the coordinator reviews and consolidates, the leader reads
        ("get", "/can-bo/bao-cao/", expect(403, **dashboards, officer=200), 302),
        ("get", "/can-bo/bao-cao/tien-do/", expect(403, **dashboards), 302),
        ("get", "/can-bo/bao-cao/mau/", expect(403, **editors), 302),
        # essays: public list, staff list (judges, organisers, volunteers), new contest
        ("get", "/cuoc-thi-viet/", expect(200), 200),
        ("get", "/can-bo/cuoc-thi-viet/", expect(403, **viewers), 302),
        ("get", "/can-bo/cuoc-thi-viet/tao/", expect(403, **editors), 302),
        # planning: plans, budgets, dashboards
        ("get", "/can-bo/ke-hoach/", expect(403, **plan_readers), 302),
        ("get", "/can-bo/ke-hoach/sua/", expect(403, **editors), 302),
        ("get", "/can-bo/ke-hoach/muc/moi/", expect(403, **editors), 302),
        ("get", f"/can-bo/ke-hoach/to-chuc/{org}/", expect(403, **own_plan_readers), 302),
        (
            "get",
            f"/can-bo/ke-hoach/to-chuc/{other_org}/",
            expect(403, **(own_plan_readers | {"officer": 404})),
            302,
        ),
        (
            "get",
            f"/can-bo/ke-hoach/to-chuc/{org}/hoat-dong/moi/",
            expect(403, **own_plan_writers),
            302,
        ),
        (
            "get",
            f"/can-bo/ke-hoach/to-chuc/{other_org}/hoat-dong/moi/",
            expect(403, **(own_plan_writers | {"officer": 404})),
            302,
        ),
        (
            "get",
            f"/can-bo/ke-hoach/to-chuc/{org}/kinh-phi/moi/",
            expect(403, **own_plan_writers),
            302,
        ),
        (
            "get",
            f"/can-bo/ke-hoach/to-chuc/{org}/kinh-phi/chi/",
            expect(403, **own_plan_writers),
            302,
        ),
        ("get", "/can-bo/dieu-hanh/", expect(403, **dashboards), 302),
        ("get", "/can-bo/dieu-hanh/kinh-phi/", expect(403, **dashboards), 302),
        ("get", "/can-bo/dieu-hanh/kinh-phi.xlsx", expect(403, **dashboards), 302),
        ("get", "/tinh/tong-hop/", expect(403, province=200, province_other=200), 302),
        ("get", "/tinh/tong-hop.xlsx", expect(403, province=200, province_other=200), 302),
        ("get", "/quan-tri/", expect(302, admin=200, admin2=200), 302),
        ("get", f"/quan-tri/places/hamlet/{cast.hamlet.pk}/change/", expect(302, admin=200), 302),
        ("get", f"/quan-tri/accounts/user/{cast.officer.pk}/change/", expect(302, admin=200), 302),
    ]


def test_every_url_answers_every_role_as_the_matrix_says(cast, client):
    failures = []
    for method, url, by_role, anonymous in matrix(cast):
        client.logout()
        status = getattr(client, method)(url, {"purpose": "learning", "granted": "1"}).status_code
        if status != anonymous:
            failures.append(f"anonymous {method.upper()} {url}: {status}, expected {anonymous}")
        for role, user in cast.users().items():
            client.force_login(user)
            data = {"purpose": "learning", "granted": "1"} if method == "post" else None
            status = getattr(client, method)(url, data).status_code
            if status != by_role[role]:
                failures.append(
                    f"{role} {method.upper()} {url}: {status}, expected {by_role[role]}"
                )
    assert not failures, "\n".join(failures)


# URL names the matrix above walks, and those whose access is tested in their own files.
IN_MATRIX = {
    "home",
    "login",
    "phone_login",
    "register",
    "me",
    "privacy",
    "data_export",
    "pin_change",
    "erase",
    "staff_home",
    "dashboard",
    "resident_list",
    "resident_register",
    "resident_detail",
    "resident_edit",
    "resident_pin",
    "resident_card",
    "resident_consent",
    "organisation_detail",
    "audit_log",
    "province",
}
IN_MATRIX |= {
    "lessons",
    "lesson",
    "image",
    "my_certificates",
    "stats",
    "stats_excel",
    "assisted",
    "staff_certificates",
    "staff_external_courses",
}
# Token-, session- or object-bound; each has its own access tests.
IN_MATRIX |= {"list", "new", "edit", "images", "service_worker"}  # lesson editor, offline
IN_MATRIX |= {"team_list", "team_create", "team_detail", "session_list", "session_create"}
IN_MATRIX |= {"session_detail", "schedule_list", "schedule_hamlet", "import_start"}
IN_MATRIX |= {"import_template", "coverage_page", "coverage_targets", "notreached_list"}
IN_MATRIX |= {"notreached_mine", "mentoring_list", "checklist_me", "checklist_resident"}
IN_MATRIX |= {"mentoring_visit", "attendance_page"}
IN_MATRIX |= {
    "news_list",
    "feed",
    "video_list",
    "calendar_commune",
    "calendar_ics",
    "calendar_hamlet",
    "scam_report",
    "scam_thanks",
    "scam_alerts",
    "news_staff_list",
    "news_new",
    "video_staff",
    "event_list",
    "radio_bulletin_list",
    "radio_bulletin_create",
    "radio_broadcast_log",
    "poster_list",
    "poster_create",
    "slogan_list",
    "scam_review",
    "scam_report_assist",
    "scam_alert_create",
    "story_list",
    "story_staff_list",
    "story_new",
}
IN_MATRIX |= {"rounds", "staff_contests", "staff_contest_new", "nomination_list"}
IN_MATRIX |= {"nomination_create"}
IN_MATRIX |= {"report_home", "completeness", "form_settings"}
IN_MATRIX |= {"essay_list", "essay_staff_list", "essay_staff_new"}
IN_MATRIX |= {"nomination_create", "staff_question_template", "staff_paper_key"}
IN_MATRIX |= {"commune_plan", "commune_plan_edit", "plan_item_create", "org_plan"}
IN_MATRIX |= {"activity_create", "budget_line_create", "expense_create", "dashboard"}
IN_MATRIX |= {"budget", "budget_excel"}
IN_MATRIX |= {"province_dashboard", "province_excel"}
ELSEWHERE = {
    # reports: one report, review, unlock, consolidation, form edits (reports/tests/test_access.py)
    "report_page",
    "report_review",
    "report_unlock",
    "consolidation",
    "consolidation_docx",
    "consolidation_xlsx",
    "indicator_add",
    "rule_add",
    "indicator_edit",
    "indicator_remove",
    "indicator_active",
    "rule_remove",
    "remind_now",
    # planning: object pages and POST actions, tested in planning/tests/test_access.py
    "plan_item_edit",
    "plan_item_delete",
    "activity_edit",
    "activity_delete",
    "target_create",
    "target_edit",
    "target_delete",
    "budget_line_edit",
    "budget_line_delete",
    "expense_delete",
    "org_plan_start",
    # contests and recognition: object pages and steps, tested in their apps
    "start",
    "question",
    "submit",
    "result",
    "leaderboard",
    "staff_contest",
    "staff_round_new",
    "staff_question_new",
    "register",
    "staff_contest_edit",
    "staff_question_import",
    "staff_question_import_confirm",
    "staff_question_edit",
    "staff_question_delete",
    "staff_round_edit",
    "staff_round_delete",
    "staff_round_results",
    "staff_round_results_excel",
    "staff_paper_sheets",
    "nomination_detail",
    "nomination_resubmit",
    "nomination_review",
    "nomination_decide",
    "nomination_pdf",
    # communications: object pages and POST actions, tested in communications/tests
    "news_detail",
    "news_cover",
    "news_preview",
    "news_edit",
    "video_remove",
    "event_delete",
    "calendar_hamlet_ics",
    "radio_theme_create",
    "radio_theme_edit",
    "story_detail",
    "story_photo",
    "story_edit",
    "radio_bulletin_detail",
    "radio_bulletin_edit",
    "radio_bulletin_audio_request",
    "radio_bulletin_audio",
    "radio_bulletin_upload",
    "radio_broadcast_record",
    "poster_detail",
    "poster_pdf",
    "poster_placement_create",
    "slogan_create",
    "slogan_defaults",
    "slogan_edit",
    "slogan_deactivate",
    "scam_alert",
    "scam_dismiss",
    "scam_photo",
    # outreach: edits, photos, import steps, attendance, assignments; tested in outreach/tests
    "notreached_assign",
    "attendance_search",
    "attendance_mark",
    "attendance_card",
    "attendance_walk_in",
    "attendance_skills",
    "mentoring_start",
    "mentoring_detail",
    "mentoring_end",
    "team_edit",
    "team_member_add",
    "team_member_edit",
    "team_member_leave",
    "session_edit",
    "session_photo_add",
    "session_photo",
    "session_photo_delete",
    "import_confirm",
    "import_done",
    "publish",
    "unpublish",
    "preview",
    "card_login",
    "logout",
    "consent_change",
    "answer",
    "audio",
    "my_certificate_pdf",
    "verify",
    "certificate_revoke",
    "external_course_confirm",
}


# essays: object pages and POST actions, tested in essays/tests/test_access.py and test_views.py
ELSEWHERE |= {
    "essay_contest",
    "essay_submit",
    "essay_results",
    "essay_entry",
    "essay_vote",
    "essay_photo",
    "essay_staff_contest",
    "essay_staff_edit",
    "essay_staff_announce",
    "essay_staff_rubric",
    "essay_staff_judges",
    "essay_staff_judge_remove",
    "essay_staff_queue",
    "essay_staff_moderate",
    "essay_staff_assist",
    "essay_staff_judging",
    "essay_staff_score",
    "essay_staff_publish",
}


def _our_url_names(patterns, namespace: str = "") -> set[str]:
    """Every named URL the project serves, walking includes; the Django admin is its own."""
    from django.urls import URLPattern, URLResolver

    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            names |= _our_url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_every_url_of_the_project_is_in_the_matrix_or_tested_on_its_own():
    from django.urls import get_resolver

    unclassified = _our_url_names(get_resolver().url_patterns) - IN_MATRIX - ELSEWHERE
    assert not unclassified, f"add these URLs to the permission matrix: {unclassified}"


@pytest.mark.parametrize(
    "who, url, secret",
    [
        ("admin2", "/can-bo/nguoi-dan/", "Nguyễn Thị Lành"),
        ("volunteer", "/can-bo/nguoi-dan/", "Trần Văn Bình"),
        ("volunteer2", "/can-bo/nguoi-dan/?q=lanh", "Nguyễn Thị Lành"),
        ("admin2", "/can-bo/nhat-ky/", "Nguyễn Thị Lành"),
        ("admin2", "/can-bo/tong-quan/", "Xóm Ngọc Lâm"),
        ("province_other", "/tinh/", "Bạch Ngọc"),
        ("resident2", "/toi/du-lieu.json", "Nguyễn Thị Lành"),
        ("admin2", "/quan-tri/places/hamlet/", "Xóm Ngọc Lâm"),
        ("admin2", "/quan-tri/accounts/user/", "hoinongdan"),
    ],
)
def test_pages_never_show_another_scopes_people(cast, client, who, url, secret):
    client.force_login(cast.users()[who])
    response = client.get(url)
    assert response.status_code == 200
    assert secret not in response.content.decode()


def test_a_province_officer_sees_every_commune_of_their_province(cast, client):
    client.force_login(cast.province)
    page = client.get("/tinh/").content.decode()
    assert "Xã Bạch Ngọc" in page and "Xã Bạch Hà" in page
    assert "Thành Sen" not in page
