from django.urls import path

from learning.views import certificates, learner

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
]
