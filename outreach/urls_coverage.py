from django.urls import path

from outreach.views import coverage, mentoring

urlpatterns = [
    path("can-bo/bao-phu/", coverage.coverage_page, name="coverage_page"),
    path("can-bo/bao-phu/muc-tieu/", coverage.coverage_targets, name="coverage_targets"),
    path("can-bo/chua-tiep-can/", coverage.notreached_list, name="notreached_list"),
    path(
        "can-bo/chua-tiep-can/<int:resident_id>/giao/",
        coverage.notreached_assign,
        name="notreached_assign",
    ),
    path("can-bo/viec-cua-toi/", coverage.notreached_mine, name="notreached_mine"),
    path(
        "can-bo/nguoi-dan/<int:resident_id>/ky-nang/",
        mentoring.checklist_resident,
        name="checklist_resident",
    ),
    path("toi/ky-nang/", mentoring.checklist_me, name="checklist_me"),
    path("can-bo/tham-nha/<int:resident_id>/", mentoring.mentoring_visit, name="mentoring_visit"),
    path("can-bo/kem-cap/", mentoring.mentoring_list, name="mentoring_list"),
    path(
        "can-bo/kem-cap/bat-dau/<int:resident_id>/",
        mentoring.mentoring_start,
        name="mentoring_start",
    ),
    path(
        "can-bo/kem-cap/<int:mentorship_id>/", mentoring.mentoring_detail, name="mentoring_detail"
    ),
    path(
        "can-bo/kem-cap/<int:mentorship_id>/ket-thuc/",
        mentoring.mentoring_end,
        name="mentoring_end",
    ),
]
