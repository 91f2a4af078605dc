"""Reads for contests; each one is scoped to who is asking."""

from django.db.models import Avg, Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import STAFF_ROLES, Consent, Purpose, Resident, Role, User
from contests.models import Attempt, Contest, PaperSheet, Question, Round

ANONYMOUS_NAME = "Người dự thi ẩn danh"
ORGANISERS = (Role.ADMIN, Role.COORDINATOR)
# Volunteers print sheets and key answers for the residents they look after.
PAPER_HELPERS = (Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER)


def contests_for_user(user: User) -> QuerySet[Contest]:
    if user.role in {Role.ADMIN, Role.COORDINATOR} and user.commune_id:
        return Contest.objects.filter(commune_id=user.commune_id)
    return Contest.objects.none()


def get_contest_for_user(user: User, contest_id: int) -> Contest:
    return get_object_or_404(contests_for_user(user), pk=contest_id)


def contest_questions(contest: Contest) -> QuerySet[Question]:
    return Question.objects.filter(contest=contest, commune_id=contest.commune_id)


def participant_audience(user: User) -> str | None:
    """Which contests a signed-in user takes part in: residents', officials', or none."""
    if user.role == Role.RESIDENT:
        return Contest.Audience.RESIDENTS
    if user.role in STAFF_ROLES and user.commune_id:
        return Contest.Audience.OFFICIALS
    return None


def _rounds_for(commune_id: int, audience: str) -> QuerySet[Round]:
    return Round.objects.filter(commune_id=commune_id, contest__audience=audience)


def open_rounds_for(participant, audience: str) -> list[Round]:
    now = timezone.now()
    return list(
        _rounds_for(participant.commune_id, audience)
        .filter(opens_at__lte=now, closes_at__gt=now)
        .select_related("contest")
        .order_by("closes_at", "id")
    )


def open_rounds_for_resident(resident: Resident) -> list[Round]:
    return open_rounds_for(resident, Contest.Audience.RESIDENTS)


def get_round_for_participant(participant, audience: str, round_id: int) -> Round:
    rounds = _rounds_for(participant.commune_id, audience).select_related("contest")
    return get_object_or_404(rounds, pk=round_id)


def get_round_for_resident(resident: Resident, round_id: int) -> Round:
    return get_round_for_participant(resident, Contest.Audience.RESIDENTS, round_id)


def get_attempt_for_participant(*, attempt_id: int, resident=None, official=None) -> Attempt:
    if resident is not None:
        attempts = Attempt.objects.filter(resident=resident)
    else:
        attempts = Attempt.objects.filter(official=official)
    return get_object_or_404(attempts.select_related("round__contest"), pk=attempt_id)


def get_attempt_for_resident(resident: Resident, attempt_id: int) -> Attempt:
    return get_attempt_for_participant(resident=resident, attempt_id=attempt_id)


def get_round_for_user(user: User, round_id: int) -> Round:
    """Staff pages about a round: organisers of its commune."""
    if user.role not in ORGANISERS or not user.commune_id:
        return get_object_or_404(Round.objects.none(), pk=round_id)
    rounds = Round.objects.filter(commune_id=user.commune_id).select_related("contest")
    return get_object_or_404(rounds, pk=round_id)


def get_question_for_user(user: User, question_id: int) -> Question:
    contests = contests_for_user(user)
    return get_object_or_404(
        Question.objects.filter(contest__in=contests).select_related("contest"), pk=question_id
    )


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


def _ranked_attempts(round_: Round) -> list[Attempt]:
    """Score desc, then prediction closeness (once the round is closed), then time asc."""
    attempts = list(
        Attempt.objects.filter(round=round_, is_practice=False, submitted_at__isnull=False)
        .select_related("resident", "official", "hamlet", "organisation")
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
    return attempts


def _unit(a: Attempt) -> str:
    if a.hamlet_id:
        return a.hamlet.name
    return a.organisation.name if a.organisation_id else ""


def round_ranking(round_: Round) -> list[dict]:
    """The public ranking: a resident's name only with their PUBLIC_NAME consent."""
    attempts = _ranked_attempts(round_)
    named = _public_name_ids({a.resident_id for a in attempts if a.resident_id})
    return [
        {
            "rank": rank,
            "name": a.resident.full_name
            if a.resident_id and a.resident_id in named
            else ANONYMOUS_NAME,
            "hamlet": _unit(a),
            "score": a.score,
            "prediction": a.prediction,
            "duration_seconds": a.duration_seconds,
            "attempt_id": a.pk,
        }
        for rank, a in enumerate(attempts, start=1)
    ]


def round_prize_list(round_: Round) -> list[dict]:
    """Winners in prize order for the organisers (full names: this list is not public)."""
    attempts = iter(_ranked_attempts(round_))
    winners = []
    rank = 0
    for prize in round_.prizes or []:
        for _ in range(int(prize["count"])):
            attempt = next(attempts, None)
            if attempt is None:
                return winners
            rank += 1
            person = attempt.participant
            winners.append(
                {
                    "prize": prize["name"],
                    "rank": rank,
                    "name": person.full_name,
                    "birth_year": getattr(person, "birth_year", None),
                    "unit": _unit(attempt),
                    "organisation": attempt.organisation.name if attempt.organisation_id else "",
                    "score": attempt.score,
                    "prediction": attempt.prediction,
                    "duration_seconds": attempt.duration_seconds,
                    "assisted": attempt.assisted_by_id is not None,
                }
            )
    return winners


def round_all_correct_count(round_: Round) -> int:
    return Attempt.objects.filter(
        round=round_, is_practice=False, submitted_at__isnull=False, all_correct=True
    ).count()


def _by_unit(round_: Round, field: str) -> list[dict]:
    rows = (
        Attempt.objects.filter(
            round=round_,
            is_practice=False,
            submitted_at__isnull=False,
            **{f"{field}__isnull": False},
        )
        .values(f"{field}__name")
        .annotate(
            participants=Count("id"),
            average=Avg("score"),
            all_correct=Count("id", filter=Q(all_correct=True)),
        )
    )
    result = [
        {
            "name": r[f"{field}__name"],
            "participants": r["participants"],
            "average": r["average"],
            "all_correct": r["all_correct"],
        }
        for r in rows
    ]
    return result


def round_units(round_: Round, field: str) -> dict[str, list[dict]]:
    """Hamlets or organisations ranked by participation and, separately, by results."""
    rows = _by_unit(round_, field)
    by_participation = sorted(rows, key=lambda r: (-r["participants"], -r["average"], r["name"]))
    by_results = sorted(rows, key=lambda r: (-r["average"], -r["all_correct"], r["name"]))
    return {"participation": by_participation, "results": by_results}


def round_hamlets(round_: Round) -> list[dict]:
    return round_units(round_, "hamlet")["participation"]


def daily_participation(round_: Round, field: str) -> dict:
    """Submitted attempts per local day and unit: {"days": [...], "rows": [(unit, counts, sum)]}."""
    rows = (
        Attempt.objects.filter(
            round=round_,
            is_practice=False,
            submitted_at__isnull=False,
            **{f"{field}__isnull": False},
        )
        .annotate(day=TruncDate("submitted_at", tzinfo=timezone.get_current_timezone()))
        .values("day", f"{field}__name")
        .annotate(n=Count("id"))
    )
    days = sorted({r["day"] for r in rows})
    table: dict[str, dict] = {}
    for r in rows:
        table.setdefault(r[f"{field}__name"], {})[r["day"]] = r["n"]
    return {
        "days": days,
        "rows": [
            (name, [counts.get(d, 0) for d in days], sum(counts.values()))
            for name, counts in sorted(table.items(), key=lambda kv: -sum(kv[1].values()))
        ],
        "totals": [sum(c.get(d, 0) for c in table.values()) for d in days],
    }


def paper_sheets_for_round(round_: Round) -> QuerySet[PaperSheet]:
    return round_.paper_sheets.select_related("resident__hamlet", "attempt")
