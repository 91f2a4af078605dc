"""Who may read and write plans. Every plan read by id goes through these helpers."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import organisations_for_user
from accounts.models import Role, User
from places.models import Organisation

PLAN_READERS = (Role.ADMIN, Role.LEADER, Role.COORDINATOR, Role.OFFICER)
COMMUNE_PLAN_EDITORS = (Role.ADMIN, Role.COORDINATOR)
DASHBOARD_VIEWERS = (Role.ADMIN, Role.LEADER, Role.COORDINATOR)


def can_edit_commune_plan(user: User) -> bool:
    return user.role in COMMUNE_PLAN_EDITORS and bool(user.commune_id)


def can_edit_org_plan(user: User, organisation: Organisation) -> bool:
    """An officer edits their own organisation's plan; the coordinator and admin help anyone."""
    if organisation.commune_id != user.commune_id:
        return False
    if user.role in COMMUNE_PLAN_EDITORS:
        return True
    return user.role == Role.OFFICER and user.organisation_id == organisation.pk


def plan_organisations_for_user(user: User) -> QuerySet[Organisation]:
    """Leaders, coordinators and admins see every organisation; an officer only their own."""
    if user.role not in PLAN_READERS:
        return Organisation.objects.none()
    return organisations_for_user(user)


def get_plan_organisation_for_user(user: User, organisation_id: int) -> Organisation:
    return get_object_or_404(plan_organisations_for_user(user), pk=organisation_id)
