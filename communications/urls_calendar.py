"""The event calendar of the commune and each hamlet, its iCalendar export, staff events."""

from django.urls import path

from communications.views import calendar

urlpatterns = [
    path("lich/su-kien/", calendar.calendar_commune, name="calendar_commune"),
    path("lich/su-kien.ics", calendar.calendar_ics, name="calendar_ics"),
    path("lich/su-kien/xom/<int:hamlet_id>/", calendar.calendar_hamlet, name="calendar_hamlet"),
    path(
        "lich/su-kien/xom/<int:hamlet_id>.ics",
        calendar.calendar_hamlet_ics,
        name="calendar_hamlet_ics",
    ),
    path("can-bo/su-kien/", calendar.event_list, name="event_list"),
    path("can-bo/su-kien/<int:event_id>/xoa/", calendar.event_delete, name="event_delete"),
]
