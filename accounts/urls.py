from django.urls import path, re_path

from accounts.views import auth, me, staff

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", auth.staff_login, name="login"),
    path("dang-nhap/dien-thoai/", auth.phone_login, name="phone_login"),
    path("the/<str:token>/", auth.card_login, name="card_login"),
    path("dang-xuat/", auth.logout_view, name="logout"),
    path("dang-ky/", me.register, name="register"),
    path("trang-cua-toi/", staff.home, name="home"),
    # The resident's own area.
    path("toi/", me.me_home, name="me"),
    path("toi/quyen-rieng-tu/", me.privacy, name="privacy"),
    path("toi/quyen-rieng-tu/dong-y/", me.consent_change, name="consent_change"),
    re_path(r"^toi/du-lieu\.(?P<fmt>json|csv)$", me.data_export, name="data_export"),
    path("toi/doi-ma-pin/", me.pin_change, name="pin_change"),
    path("toi/xoa-du-lieu/", me.erase, name="erase"),
    # The staff area.
    path("can-bo/", staff.staff_home, name="staff_home"),
    path("can-bo/tong-quan/", staff.dashboard, name="dashboard"),
    path("can-bo/nguoi-dan/", staff.resident_list, name="resident_list"),
    path("can-bo/nguoi-dan/dang-ky/", staff.resident_register_view, name="resident_register"),
    path("can-bo/nguoi-dan/<int:resident_id>/", staff.resident_detail, name="resident_detail"),
    path("can-bo/nguoi-dan/<int:resident_id>/sua/", staff.resident_edit, name="resident_edit"),
    path(
        "can-bo/nguoi-dan/<int:resident_id>/dong-y/",
        staff.resident_consent,
        name="resident_consent",
    ),
    path("can-bo/nguoi-dan/<int:resident_id>/ma-pin/", staff.resident_pin, name="resident_pin"),
    path("can-bo/nguoi-dan/<int:resident_id>/the/", staff.resident_card, name="resident_card"),
    path(
        "can-bo/to-chuc/<int:organisation_id>/",
        staff.organisation_detail,
        name="organisation_detail",
    ),
    path("can-bo/nhat-ky/", staff.audit_log, name="audit_log"),
    path("tinh/", staff.province, name="province"),
]
