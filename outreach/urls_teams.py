from django.urls import path

from outreach.views import teams

TEAMS = "can-bo/to-cong-nghe-so/"
MEMBER = TEAMS + "<int:team_id>/thanh-vien/<int:member_id>/"

urlpatterns = [
    path(TEAMS, teams.team_list, name="team_list"),
    path(TEAMS + "moi/", teams.team_create_view, name="team_create"),
    path(TEAMS + "<int:team_id>/", teams.team_detail, name="team_detail"),
    path(TEAMS + "<int:team_id>/sua/", teams.team_edit, name="team_edit"),
    path(TEAMS + "<int:team_id>/thanh-vien/moi/", teams.team_member_add, name="team_member_add"),
    path(MEMBER + "sua/", teams.team_member_edit, name="team_member_edit"),
    path(MEMBER + "roi-to/", teams.team_member_leave, name="team_member_leave"),
]
