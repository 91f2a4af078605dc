"""Staff area: coordinators and admins set up contests, rounds and questions."""

from django.contrib import messages
from django.shortcuts import redirect, render

from accounts.access import role_required
from accounts.models import Role
from contests.forms import ContestForm, QuestionForm, RoundForm
from contests.selectors import contest_questions, contests_for_user, get_contest_for_user
from contests.services import contest_create, question_create, round_create
from lib.http import posted

ORGANISERS = (Role.ADMIN, Role.COORDINATOR)


@role_required(*ORGANISERS)
def contest_list(request):
    contests = contests_for_user(request.user)
    return render(request, "contests/staff/contest_list.html", {"contests": contests})


@role_required(*ORGANISERS)
def contest_new(request):
    form = ContestForm(posted(request))
    if form.is_valid():
        contest = contest_create(actor=request.user, **form.cleaned_data)
        messages.success(request, "Đã tạo cuộc thi. Hãy thêm đợt thi và câu hỏi.")
        return redirect("contests:staff_contest", contest.pk)
    return render(request, "contests/staff/form.html", {"form": form, "title": "Tạo cuộc thi"})


@role_required(*ORGANISERS)
def contest_detail(request, contest_id: int):
    contest = get_contest_for_user(request.user, contest_id)
    return render(
        request,
        "contests/staff/contest_detail.html",
        {
            "contest": contest,
            "rounds": contest.rounds.all(),
            "questions": contest_questions(contest),
        },
    )


@role_required(*ORGANISERS)
def round_new(request, contest_id: int):
    contest = get_contest_for_user(request.user, contest_id)
    form = RoundForm(posted(request), contest=contest)
    if form.is_valid():
        round_create(actor=request.user, contest=contest, **form.cleaned_data)
        messages.success(request, "Đã thêm đợt thi.")
        return redirect("contests:staff_contest", contest.pk)
    title = f"Thêm đợt thi — {contest.title}"
    return render(request, "contests/staff/form.html", {"form": form, "title": title})


@role_required(*ORGANISERS)
def question_new(request, contest_id: int):
    contest = get_contest_for_user(request.user, contest_id)
    form = QuestionForm(posted(request))
    if form.is_valid():
        data = form.cleaned_data
        question_create(
            actor=request.user,
            contest=contest,
            text=data["text"],
            options=data["options"],
            answer=data["answer"] - 1,
            topic=data["topic"],
            difficulty=data["difficulty"],
        )
        messages.success(request, "Đã lưu câu hỏi.")
        return redirect("contests:staff_question_new", contest.pk)
    title = f"Thêm câu hỏi — {contest.title}"
    return render(request, "contests/staff/form.html", {"form": form, "title": title})
