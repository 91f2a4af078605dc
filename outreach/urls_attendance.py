from django.urls import path

from outreach.views import attendance

# Attendance taken in the room; every POST answers a replay of its client_key with the first result.
BASE = "can-bo/buoi-huong-dan/<int:session_id>/diem-danh/"

urlpatterns = [
    path(BASE, attendance.attendance_page, name="attendance_page"),
    path(f"{BASE}tim/", attendance.attendance_search, name="attendance_search"),
    path(f"{BASE}co-mat/", attendance.attendance_mark_view, name="attendance_mark"),
    path(f"{BASE}the/", attendance.attendance_card, name="attendance_card"),
    path(f"{BASE}nguoi-moi/", attendance.attendance_walk_in, name="attendance_walk_in"),
    path(f"{BASE}ky-nang/", attendance.attendance_skills, name="attendance_skills"),
]
