"""News, the Atom feed and the video library; the coordinator's news and video pages."""

from django.urls import path

from communications.views import news

urlpatterns = [
    path("tin-tuc/", news.news_list, name="news_list"),
    path("tin-tuc/atom.xml", news.feed, name="feed"),
    path("tin-tuc/<slug:slug>/", news.news_detail, name="news_detail"),
    path("tin-tuc/<slug:slug>/anh-bia.webp", news.news_cover, name="news_cover"),
    path("video/", news.video_list, name="video_list"),
    path("can-bo/tin-tuc/", news.news_staff_list, name="news_staff_list"),
    path("can-bo/tin-tuc/moi/", news.news_new, name="news_new"),
    path("can-bo/tin-tuc/xem-truoc/", news.news_preview, name="news_preview"),
    path("can-bo/tin-tuc/<int:article_id>/", news.news_edit, name="news_edit"),
    path("can-bo/video/", news.video_staff, name="video_staff"),
    path("can-bo/video/<int:video_id>/xoa/", news.video_remove, name="video_remove"),
]
