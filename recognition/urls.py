from django.urls import path

from recognition.views import nominations as views

urlpatterns = [
    path("can-bo/khen-thuong/", views.nomination_list, name="nomination_list"),
    path("can-bo/khen-thuong/de-nghi/", views.nomination_create, name="nomination_create"),
    path("can-bo/khen-thuong/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path(
        "can-bo/khen-thuong/<int:pk>/bo-sung/",
        views.nomination_resubmit_view,
        name="nomination_resubmit",
    ),
    path("can-bo/khen-thuong/<int:pk>/xem-xet/", views.nomination_review, name="nomination_review"),
    path(
        "can-bo/khen-thuong/<int:pk>/quyet-dinh/",
        views.nomination_decide_view,
        name="nomination_decide",
    ),
    path("can-bo/khen-thuong/<int:pk>/giay-khen.pdf", views.nomination_pdf, name="nomination_pdf"),
]
