from django.urls import path

from contests.views import paper, participant, staff

STAFF = "can-bo/cuoc-thi/"

urlpatterns = [
    path("cuoc-thi/", participant.round_list, name="rounds"),
    path("cuoc-thi/dot/<int:round_id>/bat-dau/", participant.attempt_start_view, name="start"),
    path("cuoc-thi/dot/<int:round_id>/dang-ky/", participant.register, name="register"),
    path("cuoc-thi/dot/<int:round_id>/xep-hang/", participant.leaderboard, name="leaderboard"),
    path(
        "cuoc-thi/lam-bai/<int:attempt_id>/cau/<int:number>/",
        participant.question,
        name="question",
    ),
    path("cuoc-thi/lam-bai/<int:attempt_id>/nop-bai/", participant.submit, name="submit"),
    path("cuoc-thi/lam-bai/<int:attempt_id>/ket-qua/", participant.result, name="result"),
    path(STAFF, staff.contest_list, name="staff_contests"),
    path(STAFF + "tao/", staff.contest_new, name="staff_contest_new"),
    path(STAFF + "mau-cau-hoi.xlsx", staff.question_template, name="staff_question_template"),
    path(STAFF + "<int:contest_id>/", staff.contest_detail, name="staff_contest"),
    path(STAFF + "<int:contest_id>/sua/", staff.contest_edit, name="staff_contest_edit"),
    path(STAFF + "<int:contest_id>/dot/them/", staff.round_new, name="staff_round_new"),
    path(STAFF + "<int:contest_id>/cau-hoi/them/", staff.question_new, name="staff_question_new"),
    path(
        STAFF + "<int:contest_id>/nhap-cau-hoi/",
        staff.question_import,
        name="staff_question_import",
    ),
    path(
        STAFF + "<int:contest_id>/nhap-cau-hoi/xac-nhan/",
        staff.question_import_confirm,
        name="staff_question_import_confirm",
    ),
    path(STAFF + "dot/<int:round_id>/sua/", staff.round_edit, name="staff_round_edit"),
    path(STAFF + "dot/<int:round_id>/xoa/", staff.round_remove, name="staff_round_delete"),
    path(STAFF + "dot/<int:round_id>/ket-qua/", staff.round_results, name="staff_round_results"),
    path(
        STAFF + "dot/<int:round_id>/ket-qua.xlsx",
        staff.round_results_excel,
        name="staff_round_results_excel",
    ),
    path(STAFF + "dot/<int:round_id>/phieu-giay/", paper.sheets, name="staff_paper_sheets"),
    path(STAFF + "nhap-phieu-giay/", paper.key, name="staff_paper_key"),
    path(STAFF + "cau-hoi/<int:question_id>/sua/", staff.question_edit, name="staff_question_edit"),
    path(
        STAFF + "cau-hoi/<int:question_id>/xoa/",
        staff.question_remove,
        name="staff_question_delete",
    ),
]
