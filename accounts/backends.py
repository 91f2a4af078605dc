from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.hashers import check_password, make_password
from django.db import connection

from accounts.models import Resident, User
from lib import plainsql

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
        # Every request of a signed-in user reads the user, and most pages of a resident then
        # need the resident record: one joined query instead of two, in plain SQL because
        # building it with the ORM cost ten times more than running it (lib.plainsql).
        with connection.cursor() as cursor:
            cursor.execute(_USER_SQL, [user_id, True])
            row = cursor.fetchone()
        if row is None:
            return None
        user = plainsql.instance(User, row[:_USER_COLUMNS])
        resident = None
        if row[_USER_COLUMNS] is not None:
            resident = plainsql.instance(Resident, row[_USER_COLUMNS:])
            _RESIDENT_USER.set_cached_value(resident, user)
        # What select_related("resident") leaves: user.resident without another query.
        _RESIDENT_USER.remote_field.set_cached_value(user, resident)
        return user


_RESIDENT_USER = Resident._meta.get_field("user")
_USER_COLUMNS = len(plainsql.fields(User))
_USER_SQL = (
    f"SELECT {plainsql.select_list(User)}, {plainsql.select_list(Resident)} "
    f"FROM {plainsql.table(User)} LEFT OUTER JOIN {plainsql.table(Resident)} "
    f"ON ({plainsql.column(Resident, 'user')} = {plainsql.column(User, 'id')}) "
    f"WHERE {plainsql.column(User, 'id')} = %s AND {plainsql.column(User, 'is_active')} = %s"
)
