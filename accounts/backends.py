from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.hashers import check_password, make_password
from django.db import connection

from accounts.models import Resident, User
from lib import plainsql
from places.models import Commune

_DUMMY_HASH = make_password("0000")


def login_key(request, credentials: dict) -> str:
    """The account a login attempt targets, so lockouts count per account."""
    if credentials.get("phone"):
        return f"phone:{credentials['phone']}"
    return credentials.get("username") or ""


class PhonePinBackend(BaseBackend):
    """Residents log in with their phone number and a short PIN."""

    def authenticate(self, request, phone: str | None = None, pin: str | None = None, **kwargs):
        if not phone or not pin:
            return None
        resident = (
            Resident.objects.active()
            .select_related("user")
            .filter(phone=phone, user__is_active=True)
            .first()
        )
        if resident is None or not resident.pin_hash:
            check_password(pin, _DUMMY_HASH)  # same work either way: no timing oracle
            return None
        if check_password(pin, resident.pin_hash):
            return resident.user
        return None

    def get_user(self, user_id):
        # Every page of a signed-in user needs the user, the commune named in its header and,
        # for a resident, the resident record: one joined query instead of three, in plain SQL
        # because building it with the ORM cost ten times more than running it (lib.plainsql).
        with connection.cursor() as cursor:
            cursor.execute(_USER_SQL, [user_id, True])
            row = cursor.fetchone()
        if row is None:
            return None
        user_row, commune_row, resident_row = plainsql.split(row, User, Commune, Resident)
        user = plainsql.instance(User, user_row)
        commune = plainsql.instance(Commune, commune_row) if commune_row[0] is not None else None
        _USER_COMMUNE.set_cached_value(user, commune)
        resident = None
        if resident_row[0] is not None:
            resident = plainsql.instance(Resident, resident_row)
            _RESIDENT_USER.set_cached_value(resident, user)
            if commune is not None and resident.commune_id == commune.pk:
                _RESIDENT_COMMUNE.set_cached_value(resident, commune)
        # What select_related("resident") leaves: user.resident without another query.
        _RESIDENT_USER.remote_field.set_cached_value(user, resident)
        return user


_USER_COMMUNE = User._meta.get_field("commune")
_RESIDENT_USER = Resident._meta.get_field("user")
_RESIDENT_COMMUNE = Resident._meta.get_field("commune")
_USER_SQL = (
    f"SELECT {plainsql.select_list(User)}, {plainsql.select_list(Commune)}, "
    f"{plainsql.select_list(Resident)} FROM {plainsql.table(User)} "
    f"LEFT OUTER JOIN {plainsql.table(Commune)} "
    f"ON ({plainsql.column(Commune, 'id')} = {plainsql.column(User, 'commune')}) "
    f"LEFT OUTER JOIN {plainsql.table(Resident)} "
    f"ON ({plainsql.column(Resident, 'user')} = {plainsql.column(User, 'id')}) "
    f"WHERE {plainsql.column(User, 'id')} = %s AND {plainsql.column(User, 'is_active')} = %s"
)
