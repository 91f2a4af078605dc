"""Plan against reality: a target's progress counted from what the platform records.

Only figures the platform can tie to one organisation are offered (sessions it organised, the
people at them, skills ticked at them); they reuse the counting of the monthly reports
(`reports.sources`, read only). Every other target is reported by the organisation itself.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from places.models import Organisation
from planning.models import Activity, Target
from reports.sources import SOURCES


def measurable_sources() -> list[tuple[str, str]]:
    """(key, label) of the platform figures that can be counted for one organisation."""
    return [(s.key, s.label) for s in SOURCES.values() if s.by_organisation]


def source_label(key: str) -> str:
    source = SOURCES.get(key)
    return source.label if source else ""


@dataclass(frozen=True)
class Progress:
    target: Target
    counted: int | None  # None: self-reported, or the activity has not started
    percent: float | None
    until: dt.date | None  # the last day counted
    records_url: str = ""

    @property
    def measured(self) -> bool:
        return bool(self.target.source) and self.target.source in SOURCES

    @property
    def started(self) -> bool:
        return self.until is not None

    @property
    def met(self) -> bool:
        return self.counted is not None and self.counted >= self.target.value


def target_progress(
    target: Target, activity: Activity, organisation: Organisation, today: dt.date | None = None
) -> Progress:
    """Counted over the activity's dates up to today, for this organisation only."""
    today = today or timezone.localdate()
    source = SOURCES.get(target.source) if target.source else None
    if source is None or not source.by_organisation:
        return Progress(target, None, None, None)
    if activity.starts_on > today:
        return Progress(target, None, None, None, source.records_url)
    until = min(activity.ends_on, today)
    counted = source.count(organisation.commune, organisation, activity.starts_on, until) or 0
    percent = round(100 * counted / target.value, 1) if target.value else None
    return Progress(target, counted, percent, until, source.records_url)


def plan_progress(activities: list[Activity], organisation: Organisation) -> None:
    """Set `progress_rows` on each activity (targets prefetched): one Progress per target."""
    today = timezone.localdate()
    for activity in activities:
        activity.progress_rows = [
            target_progress(target, activity, organisation, today)
            for target in activity.targets.all()
        ]
