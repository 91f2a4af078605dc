"""The coordinator's lesson editor, under the staff area."""

from django.urls import path

from learning.views import editor

app_name = "lesson_editor"

urlpatterns = [
    path("can-bo/bai-hoc/", editor.lesson_list, name="list"),
    path("can-bo/bai-hoc/moi/", editor.lesson_new, name="new"),
    path("can-bo/bai-hoc/xem-truoc/", editor.lesson_preview, name="preview"),
    path("can-bo/bai-hoc/hinh/", editor.image_list, name="images"),
    path("can-bo/bai-hoc/<int:lesson_id>/", editor.lesson_edit, name="edit"),
    path("can-bo/bai-hoc/<int:lesson_id>/dang/", editor.lesson_publish_view, name="publish"),
    path("can-bo/bai-hoc/<int:lesson_id>/go/", editor.lesson_unpublish_view, name="unpublish"),
]
