from places.selectors import public_commune


def current_commune(request) -> dict:
    """The commune named in the page header: the user's own, else the public one."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.commune_id:
        return {"commune": user.commune}
    return {"commune": public_commune()}
