from accounts.models import Role
from places.divisions import province_name
from places.selectors import public_commune


def current_commune(request) -> dict:
    """The place named in the page header: the user's commune or province, else the public one."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if user.role == Role.PROVINCE and user.province_code:
            return {"commune": None, "province_name": province_name(user.province_code)}
        if user.commune_id:
            return {"commune": user.commune}
    return {"commune": public_commune()}
