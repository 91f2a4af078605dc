"""Who may see which teams and sessions. Residents are scoped by accounts.access."""

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Role, User
from outreach.models import Session, Team, TeamMember

COMMUNE_WIDE = {Role.ADMIN, Role.COORDINATOR, Role.LEADER}
PLANS_SESSIONS = {Role.ADMIN, Role.COORDINATOR, Role.OFFICER, Role.VOLUNTEER}


def teams_for_user(user: User) -> QuerySet[Team]:
    if not user.commune_id:
        return Team.objects.none()
    teams = Team.objects.filter(commune_id=user.commune_id).select_related("hamlet")
    if user.role in COMMUNE_WIDE or user.role == Role.OFFICER:
        return teams
    if user.role == Role.VOLUNTEER:
        return teams.filter(hamlet_id=user.hamlet_id)
    return Team.objects.none()


def sessions_for_user(user: User) -> QuerySet[Session]:
    if not user.commune_id:
        return Session.objects.none()
    sessions = Session.objects.filter(commune_id=user.commune_id).select_related(
        "hamlet", "organiser"
    )
    if user.role in COMMUNE_WIDE:
        return sessions
    if user.role == Role.VOLUNTEER:
        return sessions.filter(hamlet_id=user.hamlet_id)
    if user.role == Role.OFFICER and user.organisation_id:
        return sessions.filter(organiser_id=user.organisation_id)
    return Session.objects.none()


def is_team_leader(user: User) -> bool:
    """Tổ trưởng or tổ phó of an active membership in their hamlet's team."""
    today = timezone.localdate()
    return (
        user.is_authenticated
        and user.role == Role.VOLUNTEER
        and TeamMember.objects.filter(
            user=user,
            position__in=[TeamMember.Position.LEADER, TeamMember.Position.DEPUTY],
            team__hamlet_id=user.hamlet_id,
        )
        .exclude(left_on__lte=today)
        .exists()
    )
