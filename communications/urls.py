from django.urls import include, path

app_name = "communications"

# Each part of communications keeps its own URL module.
urlpatterns = [
    path("", include("communications.urls_news")),
    path("", include("communications.urls_stories")),
    path("", include("communications.urls_calendar")),
    path("", include("communications.urls_radio")),
    path("", include("communications.urls_posters")),
    path("", include("communications.urls_scams")),
]
