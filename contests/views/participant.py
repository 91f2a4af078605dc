"""What a resident sees: open rounds, one question per screen, the submit, results, rankings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import Consent, Purpose, Resident, Role
from contests.forms import AnswerForm, SubmitForm
from contests.models import Attempt
from contests.selectors import (
    attempt_questions,
    get_attempt_for_resident,
    get_round_for_resident,
    get_round_for_viewer,
    open_rounds_for_resident,
    round_all_correct_count,
    round_hamlets,
    round_ranking,
)
from contests.services import ContestRefused, attempt_answer, attempt_start, attempt_submit


def _agreed_to_contests(resident: Resident) -> bool:
    """The resident's latest contest decision, read alone (one narrow query).

    Every page of a round passes here, so it is the hot path of a contest rush.
    """
    latest = (
        Consent.objects.filter(resident=resident, purpose=Purpose.CONTEST)
        .order_by("-recorded_at", "-id")
        .values_list("granted", flat=True)[:1]
    )
    return next(iter(latest), False)


def contestant(view):
    """Only a signed-in resident who agreed to take part in contests gets through."""

    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        resident = getattr(user, "resident", None) if user.role == Role.RESIDENT else None
        if resident is None or not _agreed_to_contests(resident):
            return render(
                request,
                "contests/need_consent.html",
                {"is_resident": resident is not None},
                status=403,
            )
        request.resident = resident
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _refused(request, message: str, attempt=None, status: int = 400):
    return render(
        request, "contests/refused.html", {"message": message, "attempt": attempt}, status=status
    )


def _remaining(attempt) -> int:
    return max(0, int((attempt.deadline - timezone.now()).total_seconds()))


@contestant
def round_list(request):
    rounds = open_rounds_for_resident(request.resident)
    return render(request, "contests/round_list.html", {"rounds": rounds})


@require_POST
@contestant
def attempt_start_view(request, round_id: int):
    round_ = get_round_for_resident(request.resident, round_id)
    try:
        attempt = attempt_start(resident=request.resident, round_=round_)
    except ContestRefused as refusal:
        return _refused(request, str(refusal))
    if attempt.is_submitted:
        messages.info(
            request, "Bạn đã làm đợt thi này rồi. Mỗi người chỉ được thi một lần mỗi đợt."
        )
        return redirect("contests:result", attempt.pk)
    return redirect("contests:question", attempt.pk, _first_unanswered(attempt))


def _first_unanswered(attempt) -> int:
    for number, qid in enumerate(attempt.question_ids, start=1):
        if str(qid) not in attempt.answers:
            return number
    return len(attempt.question_ids)


@never_cache
@contestant
def question(request, attempt_id: int, number: int):
    attempt = get_attempt_for_resident(request.resident, attempt_id)
    if attempt.is_submitted:
        return redirect("contests:result", attempt.pk)
    if not 1 <= number <= len(attempt.question_ids):
        raise Http404("Không có câu này")
    if request.method == "POST":
        form = AnswerForm(request.POST)
        if not form.is_valid():
            return _refused(request, "Câu trả lời không hợp lệ. Hãy chọn một phương án.", attempt)
        try:
            attempt_answer(
                attempt=attempt,
                number=number,
                question_id=form.cleaned_data["question"],
                choice=form.cleaned_data["choice"],
            )
        except ContestRefused as refusal:
            return _refused(request, str(refusal), attempt)
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
            "remaining": _remaining(attempt),
        },
    )


@never_cache
@contestant
def submit(request, attempt_id: int):
    if request.method == "POST":
        form = SubmitForm(request.POST)
        if form.is_valid():
            # The rush path: no read before the locked one, which is scoped to the resident.
            try:
                attempt = attempt_submit(
                    attempt=Attempt(pk=attempt_id, resident=request.resident),
                    submit_key=form.cleaned_data["submit_key"],
                    prediction=form.cleaned_data["prediction"],
                )
            except Attempt.DoesNotExist:
                raise Http404("Không có bài thi này") from None
            except ContestRefused as refusal:
                attempt = get_attempt_for_resident(request.resident, attempt_id)
                return _refused(request, str(refusal), attempt)
            return redirect("contests:result", attempt.pk)
    attempt = get_attempt_for_resident(request.resident, attempt_id)
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
            "remaining": _remaining(attempt),
        },
    )


@contestant
def result(request, attempt_id: int):
    attempt = get_attempt_for_resident(request.resident, attempt_id)
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
            "hamlets": round_hamlets(round_),
            "all_correct": round_all_correct_count(round_) if closed else None,
        },
    )
