"""What a participant sees: open rounds, registration, one question per screen, the submit,
results, rankings. Residents take residents' contests; staff take officials' contests."""

import logging
import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import Consent, Purpose, Resident
from contests.forms import AnswerForm, RegistrationForm, SubmitForm
from contests.models import Attempt, Contest, RegistrationField
from contests.selectors import (
    ORGANISERS,
    attempt_questions,
    get_attempt_for_participant,
    get_round_for_participant,
    get_round_for_viewer,
    open_rounds_for,
    participant_audience,
    round_all_correct_count,
    round_ranking,
    round_units,
)
from contests.services import (
    ContestRefused,
    attempt_answer,
    attempt_start,
    attempt_submit,
    registration_for,
    registration_record,
)
from lib import plainsql
from places.models import Hamlet, Organisation

log = logging.getLogger("contests")

# An honest answer or submit is a few hundred bytes; anything this big is refused unread.
MAX_BODY = 8 * 1024
ANSWER_KEYS = {"csrfmiddlewaretoken", "question", "choice"}
SUBMIT_KEYS = {"csrfmiddlewaretoken", "submit_key", "prediction"}


# The consent check, spelled once from the model (plain SQL: see lib.plainsql).
_CONSENT_SQL = (
    f"SELECT {plainsql.column(Consent, 'granted')} FROM {plainsql.table(Consent)} "
    f"WHERE {plainsql.column(Consent, 'resident')} = %s "
    f"AND {plainsql.column(Consent, 'purpose')} = %s "
    f"ORDER BY {plainsql.column(Consent, 'recorded_at')} DESC, "
    f"{plainsql.column(Consent, 'id')} DESC LIMIT 1"
)


def _agreed_to_contests(resident: Resident) -> bool:
    """The resident's latest contest decision, read alone (one narrow query).

    Every page of a round passes here, so it is the hot path of a contest rush: the query is
    plain SQL (the same as the ORM's) to skip building it again on every request.
    """
    with connection.cursor() as cursor:
        cursor.execute(_CONSENT_SQL, [resident.pk, Purpose.CONTEST.value])
        row = cursor.fetchone()
    return bool(row and row[0])


def contestant(view):
    """A signed-in resident who agreed to contests, or a staff user (officials' contests)."""

    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        audience = participant_audience(user)
        resident = (
            getattr(user, "resident", None) if audience == Contest.Audience.RESIDENTS else None
        )
        if audience == Contest.Audience.OFFICIALS:
            request.who = {"official": user}
        elif resident is not None and _agreed_to_contests(resident):
            request.who = {"resident": resident}
        else:
            return render(
                request,
                "contests/need_consent.html",
                {"is_resident": resident is not None},
                status=403,
            )
        request.participant = user if audience == Contest.Audience.OFFICIALS else resident
        request.audience = audience
        if request.method == "POST" and _body_size(request) > MAX_BODY:
            log.warning(
                "contest: %s bytes posted to %s by user %s",
                _body_size(request),
                request.path,
                user.pk,
            )
            return _refused(
                request, "Dữ liệu gửi lên quá lớn nên không được nhận. Hãy tải lại trang.", 413
            )
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _body_size(request) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return MAX_BODY + 1


def _refused(request, message: str, status: int = 400, attempt=None):
    return render(
        request, "contests/refused.html", {"message": message, "attempt": attempt}, status=status
    )


def _unexpected_fields(request, allowed: set[str], attempt_id: int) -> bool:
    extra = sorted(set(request.POST) - allowed)
    if extra:
        log.warning("contest attempt %s: unexpected fields %s", attempt_id, extra[:5])
    return bool(extra)


FORGED = (
    "Dữ liệu gửi lên có trường lạ nên không được nhận: điểm chỉ do máy chủ chấm. "
    "Hãy tải lại trang rồi làm tiếp."
)


def _remaining(attempt) -> int:
    return max(0, int((attempt.deadline - timezone.now()).total_seconds()))


def _timer(attempt) -> dict:
    remaining = _remaining(attempt)
    return {"remaining": remaining, "remaining_minutes": math.ceil(remaining / 60)}


ORGANISERS_REFUSED = (
    "Cán bộ điều phối và quản trị viên xem được ngân hàng câu hỏi và đáp án nên không dự thi."
)


def _organiser(request) -> bool:
    """Organisers can read the bank with its answers: they never take part."""
    return request.user.role in ORGANISERS


@contestant
def round_list(request):
    rounds = open_rounds_for(request.participant, request.audience)
    return render(
        request,
        "contests/round_list.html",
        {"rounds": rounds, "organiser": _organiser(request), "refusal": ORGANISERS_REFUSED},
    )


def _missing_fields(contest: Contest, participant) -> list[str]:
    """The chosen registration fields the participant's record cannot fill."""
    asked = []
    for name in contest.registration_fields:
        if name == RegistrationField.UNIT:
            asked.append(name)  # a choice: their hamlet, or an organisation they belong to
        elif not getattr(participant, name, None):
            asked.append(name)
    return asked


def _registration_values(participant, data: dict) -> dict:
    values = {
        "full_name": data.get("full_name") or participant.full_name,
        "birth_year": data.get("birth_year") or getattr(participant, "birth_year", None),
        "phone": data.get("phone") or getattr(participant, "phone", "") or "",
        "hamlet": getattr(participant, "hamlet", None),
        "organisation": getattr(participant, "organisation", None),
    }
    unit = data.get("unit", "")
    if unit.startswith("h"):
        values["hamlet"] = Hamlet.objects.get(pk=int(unit[1:]))
        values["organisation"] = None
    elif unit.startswith("o"):
        values["organisation"] = Organisation.objects.get(pk=int(unit[1:]))
    return values


@require_POST
@contestant
def attempt_start_view(request, round_id: int):
    round_ = get_round_for_participant(request.participant, request.audience, round_id)
    if _organiser(request):
        return _refused(request, ORGANISERS_REFUSED, 403)
    contest = round_.contest
    if contest.registration_fields and registration_for(contest, **request.who) is None:
        if _missing_fields(contest, request.participant):
            return redirect("contests:register", round_.pk)
        registration_record(
            contest=contest, **request.who, **_registration_values(request.participant, {})
        )
    return _start(request, round_)


def _start(request, round_):
    try:
        attempt = attempt_start(round_=round_, **request.who)
    except ContestRefused as refusal:
        return _refused(request, str(refusal))
    if attempt.is_submitted:
        messages.info(
            request, "Bạn đã làm đợt thi này rồi. Mỗi người chỉ được thi một lần mỗi đợt."
        )
        return redirect("contests:result", attempt.pk)
    return redirect("contests:question", attempt.pk, _first_unanswered(attempt))


@never_cache
@contestant
def register(request, round_id: int):
    """The first entry to a contest: the organiser's fields, prefilled, then straight in."""
    round_ = get_round_for_participant(request.participant, request.audience, round_id)
    if _organiser(request):
        return _refused(request, ORGANISERS_REFUSED, 403)
    contest = round_.contest
    if registration_for(contest, **request.who) is not None:
        return redirect("contests:rounds")
    participant = request.participant
    fields = _missing_fields(contest, participant)
    initial = {
        "full_name": participant.full_name,
        "birth_year": getattr(participant, "birth_year", None),
        "phone": getattr(participant, "phone", None),
    }
    if getattr(participant, "organisation_id", None):
        initial["unit"] = f"o{participant.organisation_id}"
    elif getattr(participant, "hamlet_id", None):
        initial["unit"] = f"h{participant.hamlet_id}"
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        fields=fields,
        commune_id=round_.commune_id,
    )
    if form.is_valid():
        values = _registration_values(participant, form.cleaned_data)
        try:
            registration_record(contest=contest, **request.who, **values)
        except ContestRefused as refusal:
            return _refused(request, str(refusal))
        return _start(request, round_)
    return render(
        request, "contests/register.html", {"form": form, "round": round_, "contest": contest}
    )


def _first_unanswered(attempt) -> int:
    for number, qid in enumerate(attempt.question_ids, start=1):
        if str(qid) not in attempt.answers:
            return number
    return len(attempt.question_ids)


@never_cache
@contestant
def question(request, attempt_id: int, number: int):
    attempt = get_attempt_for_participant(attempt_id=attempt_id, **request.who)
    if attempt.is_submitted:
        if request.method == "POST":
            log.warning("contest attempt %s: answer after submission", attempt.pk)
            return _refused(request, "Bài thi đã nộp, không sửa được nữa.", attempt=attempt)
        return redirect("contests:result", attempt.pk)
    if not 1 <= number <= len(attempt.question_ids):
        raise Http404("Không có câu này")
    if request.method == "POST":
        if _unexpected_fields(request, ANSWER_KEYS, attempt.pk):
            return _refused(request, FORGED, attempt=attempt)
        form = AnswerForm(request.POST)
        if not form.is_valid():
            log.warning("contest attempt %s: invalid answer form", attempt.pk)
            return _refused(
                request, "Câu trả lời không hợp lệ. Hãy chọn một phương án.", attempt=attempt
            )
        try:
            attempt_answer(
                attempt=attempt,
                number=number,
                question_id=form.cleaned_data["question"],
                choice=form.cleaned_data["choice"],
            )
        except ContestRefused as refusal:
            return _refused(request, str(refusal), attempt=attempt)
        if number < len(attempt.question_ids):
            return redirect("contests:question", attempt.pk, number + 1)
        return redirect("contests:submit", attempt.pk)
    if _remaining(attempt) == 0:
        return redirect("contests:submit", attempt.pk)
    questions = attempt_questions(attempt)
    return render(
        request,
        "contests/question.html",
        {
            "attempt": attempt,
            "q": questions[number - 1],
            "questions": questions,
            "total": len(questions),
            **_timer(attempt),
        },
    )


@never_cache
@contestant
def submit(request, attempt_id: int):
    if request.method == "POST":
        if _unexpected_fields(request, SUBMIT_KEYS, attempt_id):
            attempt = get_attempt_for_participant(attempt_id=attempt_id, **request.who)
            return _refused(request, FORGED, attempt=attempt)
        form = SubmitForm(request.POST)
        if form.is_valid():
            # The rush path: no read before the locked one, which is scoped to the participant.
            try:
                attempt = attempt_submit(
                    attempt=Attempt(pk=attempt_id, **request.who),
                    submit_key=form.cleaned_data["submit_key"],
                    prediction=form.cleaned_data["prediction"],
                )
            except Attempt.DoesNotExist:
                raise Http404("Không có bài thi này") from None
            except ContestRefused as refusal:
                attempt = get_attempt_for_participant(attempt_id=attempt_id, **request.who)
                return _refused(request, str(refusal), attempt=attempt)
            return redirect("contests:result", attempt.pk)
    attempt = get_attempt_for_participant(attempt_id=attempt_id, **request.who)
    if request.method != "POST":
        if attempt.is_submitted:
            return redirect("contests:result", attempt.pk)
        form = SubmitForm(initial={"submit_key": attempt.submit_key})
    questions = attempt_questions(attempt)
    return render(
        request,
        "contests/submit.html",
        {
            "attempt": attempt,
            "form": form,
            "questions": questions,
            "unanswered": sum(1 for q in questions if q["chosen"] is None),
            **_timer(attempt),
        },
    )


@contestant
def result(request, attempt_id: int):
    attempt = get_attempt_for_participant(attempt_id=attempt_id, **request.who)
    if not attempt.is_submitted:
        return redirect("contests:submit", attempt.pk)
    return render(
        request,
        "contests/result.html",
        {"attempt": attempt, "total": len(attempt.question_ids)},
    )


@login_required
def leaderboard(request, round_id: int):
    round_ = get_round_for_viewer(request.user, round_id)
    closed = timezone.now() >= round_.closes_at
    return render(
        request,
        "contests/leaderboard.html",
        {
            "round": round_,
            "closed": closed,
            "ranking": round_ranking(round_),
            "hamlets": round_units(round_, "hamlet"),
            "organisations": round_units(round_, "organisation"),
            "all_correct": round_all_correct_count(round_) if closed else None,
        },
    )
