from django.urls import path

from essays.views import public, staff

urlpatterns = [
    path("cuoc-thi-viet/", public.contest_list, name="essay_list"),
    path("cuoc-thi-viet/<int:contest_id>/", public.contest_detail, name="essay_contest"),
    path("cuoc-thi-viet/<int:contest_id>/gui-bai/", public.submit, name="essay_submit"),
    path("cuoc-thi-viet/<int:contest_id>/ket-qua/", public.results, name="essay_results"),
    path(
        "cuoc-thi-viet/<int:contest_id>/bai/<int:entry_id>/",
        public.entry_detail,
        name="essay_entry",
    ),
    path(
        "cuoc-thi-viet/<int:contest_id>/bai/<int:entry_id>/binh-chon/",
        public.vote,
        name="essay_vote",
    ),
    path("cuoc-thi-viet/anh/<int:photo_id>/", public.photo, name="essay_photo"),
    path("can-bo/cuoc-thi-viet/", staff.contest_list, name="essay_staff_list"),
    path("can-bo/cuoc-thi-viet/tao/", staff.contest_new, name="essay_staff_new"),
    path(
        "can-bo/cuoc-thi-viet/<int:contest_id>/", staff.contest_detail, name="essay_staff_contest"
    ),
    path("can-bo/cuoc-thi-viet/<int:contest_id>/sua/", staff.contest_edit, name="essay_staff_edit"),
    path(
        "can-bo/cuoc-thi-viet/<int:contest_id>/phat-dong/",
        staff.contest_announce_view,
        name="essay_staff_announce",
    ),
    path(
        "can-bo/cuoc-thi-viet/<int:contest_id>/tieu-chi/", staff.rubric, name="essay_staff_rubric"
    ),
    path(
        "can-bo/cuoc-thi-viet/<int:contest_id>/giam-khao/", staff.judges, name="essay_staff_judges"
    ),
    path(
        "can-bo/cuoc-thi-viet/<int:contest_id>/giam-khao/<int:judge_id>/xoa/",
        staff.judge_remove_view,
        name="essay_staff_judge_remove",
    ),
    path("can-bo/cuoc-thi-viet/<int:contest_id>/duyet/", staff.queue, name="essay_staff_queue"),
    path(
        "can-bo/cuoc-thi-viet/bai/<int:entry_id>/duyet/",
        staff.moderate,
        name="essay_staff_moderate",
    ),
    path(
        "can-bo/cuoc-thi-viet/<int:contest_id>/nhap-bai/", staff.assist, name="essay_staff_assist"
    ),
    path("can-bo/cuoc-thi-viet/<int:contest_id>/cham/", staff.judging, name="essay_staff_judging"),
    path("can-bo/cuoc-thi-viet/bai/<int:entry_id>/cham/", staff.score, name="essay_staff_score"),
    path(
        "can-bo/cuoc-thi-viet/<int:contest_id>/cong-bo/", staff.publish, name="essay_staff_publish"
    ),
]
