from django.db import transaction

from places.divisions import find_commune
from places.models import Commune, Hamlet, Organisation


@transaction.atomic
def commune_setup(*, province: str, commune: str) -> tuple[Commune, bool]:
    """Create (or find) the commune named in the official list. Raises DivisionNotFound."""
    ref = find_commune(province=province, commune=commune)
    return Commune.objects.get_or_create(
        code=ref.code,
        defaults={
            "name": ref.name,
            "division_type": ref.division_type,
            "province_code": ref.province_code,
            "province_name": ref.province_name,
        },
    )


def hamlet_ensure(*, commune: Commune, name: str, kind: str = Hamlet.Kind.XOM) -> Hamlet:
    hamlet, _ = Hamlet.objects.get_or_create(commune=commune, name=name, defaults={"kind": kind})
    return hamlet


def organisation_ensure(*, commune: Commune, name: str, kind: str) -> Organisation:
    org, _ = Organisation.objects.get_or_create(commune=commune, name=name, defaults={"kind": kind})
    return org
