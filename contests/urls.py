from django.urls import path

from contests.views import participant, staff

urlpatterns = [
    path("cuoc-thi/", participant.round_list, name="rounds"),
    path("cuoc-thi/dot/<int:round_id>/bat-dau/", participant.attempt_start_view, name="start"),
    path("cuoc-thi/dot/<int:round_id>/xep-hang/", participant.leaderboard, name="leaderboard"),
    path(
        "cuoc-thi/lam-bai/<int:attempt_id>/cau/<int:number>/",
        participant.question,
        name="question",
    ),
    path("cuoc-thi/lam-bai/<int:attempt_id>/nop-bai/", participant.submit, name="submit"),
    path("cuoc-thi/lam-bai/<int:attempt_id>/ket-qua/", participant.result, name="result"),
    path("can-bo/cuoc-thi/", staff.contest_list, name="staff_contests"),
    path("can-bo/cuoc-thi/tao/", staff.contest_new, name="staff_contest_new"),
    path("can-bo/cuoc-thi/<int:contest_id>/", staff.contest_detail, name="staff_contest"),
    path("can-bo/cuoc-thi/<int:contest_id>/dot/them/", staff.round_new, name="staff_round_new"),
    path(
        "can-bo/cuoc-thi/<int:contest_id>/cau-hoi/them/",
        staff.question_new,
        name="staff_question_new",
    ),
]
