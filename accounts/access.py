"""Who may see what. Every scoped read in the project goes through these helpers."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import AuditEntry, Resident, Role, User
from places.models import Commune, Hamlet, Organisation

COMMUNE_WIDE = {Role.ADMIN, Role.COORDINATOR, Role.LEADER}
MANAGES_RESIDENTS = {Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER}
SEES_DASHBOARD = {Role.ADMIN, Role.COORDINATOR, Role.LEADER}


def role_required(*roles: str):
    """Anonymous users go to the login page; a logged-in user with another role gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if user.role not in roles or (user.role != Role.PROVINCE and not user.commune_id):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def residents_for_user(user: User) -> QuerySet[Resident]:
    qs = Resident.objects.active().select_related("hamlet")
    if user.role in {Role.ADMIN, Role.COORDINATOR}:
        return qs.filter(commune_id=user.commune_id)
    if user.role == Role.VOLUNTEER and user.hamlet_id:
        return qs.filter(commune_id=user.commune_id, hamlet_id=user.hamlet_id)
    return qs.none()


def get_resident_for_user(user: User, resident_id: int) -> Resident:
    return get_object_or_404(residents_for_user(user), pk=resident_id)


def hamlets_for_user(user: User) -> QuerySet[Hamlet]:
    if user.role == Role.VOLUNTEER:
        return Hamlet.objects.filter(pk=user.hamlet_id, commune_id=user.commune_id)
    if user.commune_id and user.role != Role.PROVINCE:
        return Hamlet.objects.filter(commune_id=user.commune_id)
    return Hamlet.objects.none()


def organisations_for_user(user: User) -> QuerySet[Organisation]:
    if user.role in COMMUNE_WIDE:
        return Organisation.objects.filter(commune_id=user.commune_id)
    if user.role == Role.OFFICER and user.organisation_id:
        return Organisation.objects.filter(pk=user.organisation_id, commune_id=user.commune_id)
    return Organisation.objects.none()


def get_organisation_for_user(user: User, organisation_id: int) -> Organisation:
    return get_object_or_404(organisations_for_user(user), pk=organisation_id)


def communes_for_user(user: User) -> QuerySet[Commune]:
    if user.role == Role.PROVINCE and user.province_code:
        return Commune.objects.filter(province_code=user.province_code)
    if user.commune_id and user.role in SEES_DASHBOARD:
        return Commune.objects.filter(pk=user.commune_id)
    return Commune.objects.none()


def get_commune_for_user(user: User, commune_id: int) -> Commune:
    return get_object_or_404(communes_for_user(user), pk=commune_id)


def audit_entries_for_user(user: User) -> QuerySet[AuditEntry]:
    if user.role != Role.ADMIN or not user.commune_id:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(commune_id=user.commune_id).select_related("actor")


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied
