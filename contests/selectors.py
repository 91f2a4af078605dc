"""Reads for contests; each one is scoped to who is asking."""

from django.db.models import Avg, Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import Consent, Purpose, Resident, Role, User
from contests.models import Attempt, Contest, Question, Round

ANONYMOUS_NAME = "Người dự thi ẩn danh"


def contests_for_user(user: User) -> QuerySet[Contest]:
    if user.role in {Role.ADMIN, Role.COORDINATOR} and user.commune_id:
        return Contest.objects.filter(commune_id=user.commune_id)
    return Contest.objects.none()


def get_contest_for_user(user: User, contest_id: int) -> Contest:
    return get_object_or_404(contests_for_user(user), pk=contest_id)


def contest_questions(contest: Contest) -> QuerySet[Question]:
    return Question.objects.filter(contest=contest, commune_id=contest.commune_id)


def open_rounds_for_resident(resident: Resident) -> list[Round]:
    now = timezone.now()
    return list(
        Round.objects.filter(
            commune_id=resident.commune_id,
            contest__audience=Contest.Audience.RESIDENTS,
            opens_at__lte=now,
            closes_at__gt=now,
        )
        .select_related("contest")
        .order_by("closes_at", "id")
    )


def get_round_for_resident(resident: Resident, round_id: int) -> Round:
    rounds = Round.objects.filter(
        commune_id=resident.commune_id, contest__audience=Contest.Audience.RESIDENTS
    )
    return get_object_or_404(rounds.select_related("contest"), pk=round_id)


def get_attempt_for_resident(resident: Resident, attempt_id: int) -> Attempt:
    attempts = Attempt.objects.filter(resident=resident).select_related("round__contest")
    return get_object_or_404(attempts, pk=attempt_id)


def get_round_for_viewer(user: User, round_id: int) -> Round:
    """Leaderboards: anyone signed in to the commune that runs the round."""
    commune_id = user.commune_id
    if user.role == Role.RESIDENT and hasattr(user, "resident"):
        commune_id = user.resident.commune_id
    rounds = Round.objects.filter(commune_id=commune_id) if commune_id else Round.objects.none()
    return get_object_or_404(rounds.select_related("contest"), pk=round_id)


def attempt_questions(attempt: Attempt) -> list[dict]:
    """The drawn questions in the participant's order, options shuffled, WITHOUT answer keys."""
    by_id = {q.pk: q for q in Question.objects.filter(pk__in=attempt.question_ids)}
    rows = []
    for number, (qid, order) in enumerate(
        zip(attempt.question_ids, attempt.option_orders, strict=True), start=1
    ):
        question = by_id[qid]
        rows.append(
            {
                "number": number,
                "id": qid,
                "text": question.text,
                "options": [question.options[i] for i in order],
                "chosen": order.index(attempt.answers[str(qid)])
                if str(qid) in attempt.answers
                else None,
            }
        )
    return rows


def _public_name_ids(resident_ids: set[int]) -> set[int]:
    """Residents whose latest PUBLIC_NAME decision is a yes, in one query."""
    latest: dict[int, bool] = {}
    consents = Consent.objects.filter(
        resident_id__in=resident_ids, purpose=Purpose.PUBLIC_NAME
    ).order_by("resident_id", "-recorded_at", "-id")
    for resident_id, granted in consents.values_list("resident_id", "granted"):
        latest.setdefault(resident_id, granted)
    return {rid for rid, granted in latest.items() if granted}


def round_ranking(round_: Round) -> list[dict]:
    """Score desc, then prediction closeness (once the round is closed), then time asc."""
    attempts = list(
        Attempt.objects.filter(round=round_, is_practice=False, submitted_at__isnull=False)
        .select_related("resident__hamlet")
        .order_by("id")
    )
    closed = timezone.now() >= round_.closes_at
    all_correct = sum(1 for a in attempts if a.all_correct)

    def key(a: Attempt):
        if not closed:
            return (-a.score, a.duration_seconds, a.pk)
        gap = abs(a.prediction - all_correct) if a.prediction is not None else float("inf")
        return (-a.score, gap, a.duration_seconds, a.pk)

    attempts.sort(key=key)
    named = _public_name_ids({a.resident_id for a in attempts})
    return [
        {
            "rank": rank,
            "name": a.resident.full_name if a.resident_id in named else ANONYMOUS_NAME,
            "hamlet": a.resident.hamlet.name,
            "score": a.score,
            "prediction": a.prediction,
            "duration_seconds": a.duration_seconds,
            "attempt_id": a.pk,
        }
        for rank, a in enumerate(attempts, start=1)
    ]


def round_all_correct_count(round_: Round) -> int:
    return Attempt.objects.filter(
        round=round_, is_practice=False, submitted_at__isnull=False, all_correct=True
    ).count()


def round_hamlets(round_: Round) -> list[dict]:
    return list(
        Attempt.objects.filter(round=round_, is_practice=False, submitted_at__isnull=False)
        .values("resident__hamlet__name")
        .annotate(
            participants=Count("resident", distinct=True),
            average=Avg("score"),
            all_correct=Count("id", filter=Q(all_correct=True)),
        )
        .order_by("-participants", "-average", "resident__hamlet__name")
    )
