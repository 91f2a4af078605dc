"""Reads for essay contests; each one is scoped to who is asking."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import STAFF_ROLES, Consent, Purpose, Role, User
from essays.models import Entry, EntryPhoto, EssayContest, Judge, Score
from essays.services import ORGANISERS
from places.models import Commune
from places.selectors import public_commune

ANONYMOUS_AUTHOR = "Tác giả giấu tên"


def viewer_commune(user) -> Commune | None:
    """The commune whose contests a visitor sees: their own when signed in, else the public one."""
    if user.is_authenticated:
        if user.role == Role.RESIDENT and getattr(user, "resident", None) is not None:
            return user.resident.commune
        if user.commune_id:
            return user.commune
    return public_commune()


# -- Public --------------------------------------------------------------------------------------


def public_contests(commune: Commune | None) -> QuerySet[EssayContest]:
    if commune is None:
        return EssayContest.objects.none()
    return EssayContest.objects.filter(commune=commune).exclude(status=EssayContest.Status.DRAFT)


def get_public_contest(commune: Commune | None, contest_id: int) -> EssayContest:
    return get_object_or_404(public_contests(commune), pk=contest_id)


def public_entries(contest: EssayContest) -> QuerySet[Entry]:
    return (
        Entry.objects.filter(contest=contest, status=Entry.Status.APPROVED)
        .select_related("resident", "staff_author")
        .annotate(photo_count=Count("photos", distinct=True))
        .order_by("created_at", "id")
    )


def get_entry_for_viewer(user, contest: EssayContest, entry_id: int) -> Entry:
    """Approved entries are public; the author (or whoever typed it in) sees their own always."""
    entry = get_object_or_404(
        Entry.objects.filter(contest=contest).select_related("resident", "staff_author"),
        pk=entry_id,
    )
    if entry.status == Entry.Status.APPROVED:
        return entry
    if user.is_authenticated and user.pk in {entry.author_user_id, entry.entered_by_id}:
        return entry
    if user.is_authenticated and user.role in ORGANISERS and user.commune_id == entry.commune_id:
        return entry
    raise PermissionDenied


def own_entry(user, contest: EssayContest) -> Entry | None:
    if not user.is_authenticated:
        return None
    if user.role == Role.RESIDENT:
        resident = getattr(user, "resident", None)
        return Entry.objects.filter(contest=contest, resident=resident).first()
    return Entry.objects.filter(contest=contest, staff_author=user).first()


def get_photo_for_viewer(user, photo_id: int) -> EntryPhoto:
    photo = get_object_or_404(
        EntryPhoto.objects.select_related("entry__contest", "entry__resident"), pk=photo_id
    )
    entry = photo.entry
    if entry.status == Entry.Status.APPROVED and entry.contest.status != "draft":
        return photo
    if not user.is_authenticated:
        raise PermissionDenied
    if user.pk in {entry.author_user_id, entry.entered_by_id}:
        return photo
    if user.commune_id == entry.commune_id and (
        user.role in ORGANISERS or Judge.objects.filter(contest=entry.contest, user=user).exists()
    ):
        return photo
    raise PermissionDenied


def _public_name_ids(resident_ids: set[int]) -> set[int]:
    """Residents whose latest PUBLIC_NAME decision is a yes, in one query."""
    latest: dict[int, bool] = {}
    consents = Consent.objects.filter(
        resident_id__in=resident_ids, purpose=Purpose.PUBLIC_NAME
    ).order_by("resident_id", "-recorded_at", "-id")
    for resident_id, granted in consents.values_list("resident_id", "granted"):
        latest.setdefault(resident_id, granted)
    return {rid for rid, granted in latest.items() if granted}


def author_names(entries) -> dict[int, str]:
    """entry id -> the name to show in public: residents only with PUBLIC_NAME consent."""
    entries = list(entries)
    named = _public_name_ids({e.resident_id for e in entries if e.resident_id})
    names = {}
    for e in entries:
        if e.staff_author_id:
            names[e.pk] = str(e.staff_author)
        elif e.resident_id in named:
            names[e.pk] = f"{e.resident.full_name} ({e.resident.hamlet.name})"
        else:
            names[e.pk] = ANONYMOUS_AUTHOR
    return names


def vote_counts(contest: EssayContest) -> dict[int, int]:
    rows = (
        Entry.objects.filter(contest=contest, status=Entry.Status.APPROVED)
        .annotate(n=Count("votes"))
        .values_list("id", "n")
    )
    return dict(rows)


def popular_ranking(contest: EssayContest, limit: int = 10) -> list[dict]:
    """The public vote ('giải bình chọn'), separate from the jury: most votes, then earliest."""
    entries = (
        public_entries(contest)
        .annotate(n=Count("votes", distinct=True))
        .filter(n__gt=0)
        .order_by("-n", "created_at", "id")
        .select_related("resident__hamlet")[:limit]
    )
    entries = list(entries)
    names = author_names(entries)
    return [{"entry": e, "votes": e.n, "name": names[e.pk]} for e in entries]


# -- Staff ---------------------------------------------------------------------------------------


def contests_for_organiser(user: User) -> QuerySet[EssayContest]:
    if user.role in ORGANISERS and user.commune_id:
        return EssayContest.objects.filter(commune_id=user.commune_id)
    return EssayContest.objects.none()


def get_contest_for_organiser(user: User, contest_id: int) -> EssayContest:
    return get_object_or_404(contests_for_organiser(user), pk=contest_id)


def contests_for_staff(user: User) -> QuerySet[EssayContest]:
    """Any staff member of the commune (404 for another commune's contest)."""
    if user.role in STAFF_ROLES and user.commune_id:
        return EssayContest.objects.filter(commune_id=user.commune_id)
    return EssayContest.objects.none()


def panels_for_user(user: User) -> QuerySet[EssayContest]:
    return contests_for_staff(user).filter(judges__user=user).distinct()


def get_contest_for_judge(user: User, contest_id: int) -> EssayContest:
    """404 outside the user's commune; 403 when they are not on this contest's panel."""
    contest = get_object_or_404(contests_for_staff(user), pk=contest_id)
    if not Judge.objects.filter(contest=contest, user=user).exists():
        raise PermissionDenied("Bạn không có tên trong ban giám khảo của cuộc thi này.")
    return contest


def get_entry_for_judge(user: User, entry_id: int) -> Entry:
    entry = get_object_or_404(
        Entry.objects.filter(commune_id=user.commune_id or -1).select_related("contest"),
        pk=entry_id,
    )
    if (
        user.role not in STAFF_ROLES
        or not Judge.objects.filter(contest=entry.contest, user=user).exists()
    ):
        raise PermissionDenied("Bạn không có tên trong ban giám khảo của cuộc thi này.")
    if entry.status != Entry.Status.APPROVED:
        raise PermissionDenied("Bài này chưa được duyệt nên chưa chấm.")
    return entry


def get_entry_for_organiser(user: User, entry_id: int) -> Entry:
    qs = Entry.objects.filter(contest__in=contests_for_organiser(user)).select_related("contest")
    return get_object_or_404(qs, pk=entry_id)


def moderation_queue(contest: EssayContest) -> QuerySet[Entry]:
    return (
        Entry.objects.filter(contest=contest, status=Entry.Status.SUBMITTED)
        .select_related("resident__hamlet", "staff_author", "entered_by")
        .prefetch_related("photos")
        .order_by("created_at", "id")
    )


def judge_scores(user: User, entry: Entry) -> dict[int, Decimal]:
    return dict(Score.objects.filter(entry=entry, judge=user).values_list("criterion_id", "points"))


def jury_ranking(contest: EssayContest) -> list[dict]:
    """Approved entries with their combined score, best first.

    A judge's total for an entry is the weighted sum of points scaled to 100
    (Σ points/max × weight); the combined score is the mean of the totals of the panel judges
    who scored every criterion. Equal scores: the earlier entry ranks first.
    """
    criteria = list(contest.criteria.all())
    panel = set(Judge.objects.filter(contest=contest).values_list("user_id", flat=True))
    entries = list(
        public_entries(contest).select_related("resident__hamlet", "staff_author", "entered_by")
    )
    by_judge: dict[tuple[int, int], dict[int, Decimal]] = defaultdict(dict)
    for entry_id, judge_id, criterion_id, points in Score.objects.filter(
        entry__contest=contest, judge_id__in=panel
    ).values_list("entry_id", "judge_id", "criterion_id", "points"):
        by_judge[(entry_id, judge_id)][criterion_id] = points
    rows = []
    for entry in entries:
        totals = []
        for judge_id in panel:
            points = by_judge.get((entry.pk, judge_id), {})
            if criteria and all(c.pk in points for c in criteria):
                totals.append(sum(points[c.pk] / c.max_points * c.weight for c in criteria))
        score = (sum(totals) / len(totals)).quantize(Decimal("0.01")) if totals else None
        rows.append(
            {
                "entry": entry,
                "score": score,
                "judges_done": len(totals),
                "judges": len(panel),
                "complete": bool(panel) and len(totals) == len(panel),
            }
        )
    rows.sort(
        key=lambda r: (r["score"] is None, -(r["score"] or 0), r["entry"].created_at, r["entry"].pk)
    )
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return rows


def published_results(contest: EssayContest) -> list[Entry]:
    return list(
        Entry.objects.filter(contest=contest, status=Entry.Status.APPROVED, rank__isnull=False)
        .select_related("resident__hamlet", "staff_author")
        .order_by("rank")
    )
