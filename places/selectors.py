from django.conf import settings

from places.models import Commune


def public_commune() -> Commune | None:
    """The commune the public pages speak for: DEFAULT_COMMUNE_CODE, else the first one set up."""
    qs = Commune.objects.order_by("id")
    if settings.DEFAULT_COMMUNE_CODE:
        return qs.filter(code=settings.DEFAULT_COMMUNE_CODE).first()
    return qs.first()
