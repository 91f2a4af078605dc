from django.urls import include, path

app_name = "outreach"

# Each part of outreach keeps its own URL module.
urlpatterns = [
    path("", include("outreach.urls_teams")),
    path("", include("outreach.urls_sessions")),
    path("", include("outreach.urls_attendance")),
    path("", include("outreach.urls_coverage")),
    path("", include("outreach.urls_import")),
]
