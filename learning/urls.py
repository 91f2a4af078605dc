from django.urls import path

from learning.views import certificates, learner, staff

app_name = "learning"

urlpatterns = [
    path("hoc/", learner.lesson_list, name="lessons"),
    path("hoc/anh/<int:commune_id>/<str:name>", learner.lesson_image, name="image"),
    path("hoc/<slug:slug>/", learner.lesson_detail, name="lesson"),
    path("hoc/<slug:slug>/tra-loi/", learner.lesson_answer, name="answer"),
    path("hoc/<slug:slug>/doc-<int:version>.mp3", learner.lesson_audio, name="audio"),
    path("toi/chung-nhan/", certificates.my_certificates, name="my_certificates"),
    path(
        "toi/chung-nhan/<str:code>.pdf", certificates.my_certificate_pdf, name="my_certificate_pdf"
    ),
    path("chung-nhan/<str:code>/", certificates.verify, name="verify"),
    path("can-bo/hoc/", staff.stats, name="stats"),
    path("can-bo/hoc/ket-qua.xlsx", staff.stats_excel, name="stats_excel"),
    path("can-bo/hoc/ho-tro/", staff.assisted, name="assisted"),
    path("can-bo/chung-nhan/", staff.certificates, name="staff_certificates"),
    path(
        "can-bo/chung-nhan/<int:certificate_id>/thu-hoi/",
        staff.certificate_revoke_view,
        name="certificate_revoke",
    ),
    path("can-bo/khoa-hoc-quoc-gia/", staff.external_courses, name="staff_external_courses"),
    path(
        "can-bo/khoa-hoc-quoc-gia/<int:course_id>/xac-nhan/",
        staff.external_course_confirm_view,
        name="external_course_confirm",
    ),
]
