from django.urls import path

from learning.views import offline

app_name = "offline"

urlpatterns = [path("sw.js", offline.service_worker, name="service_worker")]
