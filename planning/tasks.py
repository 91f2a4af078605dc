from django_tasks import task

from places.models import Commune
from planning.dashboard import commune_figures, snapshot_store


@task()
def dashboard_recount(commune_id: int, year: int) -> str:
    """Count a commune's dashboard figures again in the background (the leader page asked)."""
    commune = Commune.objects.filter(pk=commune_id).first()
    if commune is None:
        return "gone"
    snapshot_store(commune, commune_figures(commune, year))
    return "done"
