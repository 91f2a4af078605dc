from django.urls import path

from reports import views

BASE = "can-bo/bao-cao/"
ONE = BASE + "<int:form_id>/<int:organisation_id>/<str:month>/"
SUM = BASE + "tong-hop/<int:form_id>/<str:month>/"

urlpatterns = [
    path(BASE, views.report_home, name="report_home"),
    path(BASE + "tien-do/", views.completeness_page, name="completeness"),
    path(BASE + "mau/", views.form_settings, name="form_settings"),
    path(BASE + "mau/<int:form_id>/chi-tieu/", views.indicator_add, name="indicator_add"),
    path(BASE + "mau/<int:form_id>/quy-tac/", views.rule_add, name="rule_add"),
    path(BASE + "mau/chi-tieu/<int:indicator_id>/", views.indicator_edit, name="indicator_edit"),
    path(
        BASE + "mau/chi-tieu/<int:indicator_id>/xoa/",
        views.indicator_remove,
        name="indicator_remove",
    ),
    path(
        BASE + "mau/chi-tieu/<int:indicator_id>/dang-dung/",
        views.indicator_active,
        name="indicator_active",
    ),
    path(BASE + "mau/quy-tac/<int:rule_id>/xoa/", views.rule_remove, name="rule_remove"),
    path(BASE + "tien-do/nhac-nho/", views.remind_now, name="remind_now"),
    path(ONE, views.report_page, name="report_page"),
    path(ONE + "xet-duyet/", views.report_review, name="report_review"),
    path(ONE + "mo-khoa/", views.report_unlock, name="report_unlock"),
    path(SUM, views.consolidation_page, name="consolidation"),
    path(SUM + "bao-cao.docx", views.consolidation_docx, name="consolidation_docx"),
    path(SUM + "chi-tieu.xlsx", views.consolidation_xlsx, name="consolidation_xlsx"),
]
