"""Exemplary stories (gương điển hình): public pages and the coordinator's pages."""

from django.urls import path

from communications.views import stories

urlpatterns = [
    path("guong-dien-hinh/", stories.story_list, name="story_list"),
    path("guong-dien-hinh/<slug:slug>/", stories.story_detail, name="story_detail"),
    path("guong-dien-hinh/<slug:slug>/anh.webp", stories.story_photo, name="story_photo"),
    path("can-bo/guong-dien-hinh/", stories.story_staff_list, name="story_staff_list"),
    path("can-bo/guong-dien-hinh/moi/", stories.story_new, name="story_new"),
    path("can-bo/guong-dien-hinh/<int:story_id>/", stories.story_edit, name="story_edit"),
]
