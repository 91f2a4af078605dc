from django.urls import path

from planning import views

urlpatterns = [
    path("can-bo/ke-hoach/", views.commune_plan, name="commune_plan"),
    path("can-bo/ke-hoach/sua/", views.commune_plan_edit, name="commune_plan_edit"),
    path("can-bo/ke-hoach/muc/moi/", views.plan_item_edit, name="plan_item_create"),
    path("can-bo/ke-hoach/muc/<int:item_id>/sua/", views.plan_item_edit, name="plan_item_edit"),
    path("can-bo/ke-hoach/muc/<int:item_id>/xoa/", views.plan_item_remove, name="plan_item_delete"),
    path("can-bo/ke-hoach/to-chuc/<int:organisation_id>/", views.org_plan, name="org_plan"),
    path(
        "can-bo/ke-hoach/to-chuc/<int:organisation_id>/hoat-dong/moi/",
        views.activity_edit,
        name="activity_create",
    ),
    path(
        "can-bo/ke-hoach/to-chuc/<int:organisation_id>/hoat-dong/<int:activity_id>/sua/",
        views.activity_edit,
        name="activity_edit",
    ),
    path(
        "can-bo/ke-hoach/to-chuc/<int:organisation_id>/hoat-dong/<int:activity_id>/xoa/",
        views.activity_remove,
        name="activity_delete",
    ),
    path(
        "can-bo/ke-hoach/to-chuc/<int:organisation_id>/hoat-dong/<int:activity_id>/chi-tieu/",
        views.target_edit,
        name="target_create",
    ),
    path(
        "can-bo/ke-hoach/to-chuc/<int:organisation_id>/chi-tieu/<int:target_id>/sua/",
        views.target_edit,
        name="target_edit",
    ),
    path(
        "can-bo/ke-hoach/to-chuc/<int:organisation_id>/chi-tieu/<int:target_id>/xoa/",
        views.target_remove,
        name="target_delete",
    ),
    path(
        "can-bo/ke-hoach/to-chuc/<int:organisation_id>/kinh-phi/moi/",
        views.budget_line_edit,
        name="budget_line_create",
    ),
    path(
        "can-bo/ke-hoach/to-chuc/<int:organisation_id>/kinh-phi/<int:line_id>/sua/",
        views.budget_line_edit,
        name="budget_line_edit",
    ),
    path(
        "can-bo/ke-hoach/to-chuc/<int:organisation_id>/kinh-phi/chi/",
        views.expense_create,
        name="expense_create",
    ),
    path(
        "can-bo/ke-hoach/to-chuc/<int:organisation_id>/lap/",
        views.org_plan_start_view,
        name="org_plan_start",
    ),
    path(
        "can-bo/ke-hoach/to-chuc/<int:organisation_id>/kinh-phi/<int:line_id>/xoa/",
        views.budget_line_remove,
        name="budget_line_delete",
    ),
    path(
        "can-bo/ke-hoach/to-chuc/<int:organisation_id>/kinh-phi/chi/<int:expense_id>/xoa/",
        views.expense_remove,
        name="expense_delete",
    ),
    path("can-bo/dieu-hanh/", views.dashboard, name="dashboard"),
    path("can-bo/dieu-hanh/kinh-phi/", views.budget_page, name="budget"),
    path("can-bo/dieu-hanh/kinh-phi.xlsx", views.budget_excel, name="budget_excel"),
    path("tinh/tong-hop/", views.province_dashboard, name="province_dashboard"),
    path("tinh/tong-hop.xlsx", views.province_excel, name="province_excel"),
]
