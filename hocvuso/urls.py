from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Học vụ số — Quản trị"
admin.site.site_title = "Học vụ số"
admin.site.index_title = "Quản trị dữ liệu"

urlpatterns = [
    path("", include("places.urls")),
    path("", include("accounts.urls")),
    path("", include("learning.urls")),
    path("", include("outreach.urls")),
    path("", include("communications.urls")),
    path("", include(("contests.urls", "contests"))),
    path("", include(("recognition.urls", "recognition"))),
    path("", include(("essays.urls", "essays"))),
    path("", include(("planning.urls", "planning"))),
    path("", include(("reports.urls", "reports"))),
    path("", include("learning.urls_offline")),
    path("", include("learning.urls_editor")),
    path("quan-tri/", admin.site.urls),
]
