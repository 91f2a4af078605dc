from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.hashers import check_password, make_password

from accounts.models import Resident, User

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
        # Every request of a signed-in resident reads the user, and most pages then need the
        # resident record: one joined query instead of two.
        return (
            User.objects.select_related("resident")
            .filter(pk=user_id, is_active=True)
            .order_by()
            .first()
        )
