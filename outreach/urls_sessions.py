from django.urls import path

from outreach.views import sessions

SESSIONS = "can-bo/buoi-huong-dan/"
ONE = SESSIONS + "<int:session_id>/"

urlpatterns = [
    path(SESSIONS, sessions.session_list, name="session_list"),
    path(SESSIONS + "moi/", sessions.session_create_view, name="session_create"),
    path(ONE, sessions.session_detail, name="session_detail"),
    path(ONE + "sua/", sessions.session_edit, name="session_edit"),
    path(ONE + "anh/", sessions.session_photo_add_view, name="session_photo_add"),
    path(ONE + "anh/<int:photo_id>.webp", sessions.session_photo, name="session_photo"),
    path(
        ONE + "anh/<int:photo_id>/xoa/",
        sessions.session_photo_delete_view,
        name="session_photo_delete",
    ),
    path("lich/", sessions.schedule_list, name="schedule_list"),
    path("lich/xom/<int:hamlet_id>/", sessions.schedule_hamlet, name="schedule_hamlet"),
]
