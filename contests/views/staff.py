"""Staff area: organisers set up contests, rounds and the question bank, and read results."""

import secrets

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.access import role_required
from contests.excel import results_workbook
from contests.forms import ContestForm, ImportForm, QuestionForm, RoundForm
from contests.importer import (
    XLSX_CONTENT_TYPE,
    FileRefused,
    check_file,
    question_key,
    template_workbook,
)
from contests.selectors import (
    ORGANISERS,
    contest_questions,
    contests_for_user,
    daily_participation,
    get_contest_for_user,
    get_question_for_user,
    get_round_for_user,
    round_prize_list,
    round_units,
)
from contests.services import (
    ContestRefused,
    ImportBlocked,
    contest_create,
    contest_update,
    draw_problem,
    question_create,
    question_delete,
    question_update,
    questions_import,
    round_create,
    round_delete,
    round_update,
)
from lib.http import posted

IMPORT_KEY = "contest_question_import"


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
def contest_edit(request, contest_id: int):
    contest = get_contest_for_user(request.user, contest_id)
    form = ContestForm(posted(request), instance=contest)
    if form.is_valid():
        contest.refresh_from_db()  # the form wrote into the instance; the service diffs it
        contest_update(actor=request.user, contest=contest, **form.cleaned_data)
        messages.success(request, "Đã lưu cuộc thi.")
        return redirect("contests:staff_contest", contest.pk)
    title = f"Sửa cuộc thi — {contest.title}"
    return render(
        request, "contests/staff/form.html", {"form": form, "title": title, "contest": contest}
    )


@role_required(*ORGANISERS)
def contest_detail(request, contest_id: int):
    contest = get_contest_for_user(request.user, contest_id)
    questions = list(contest_questions(contest))
    topics: dict[str, int] = {}
    for q in questions:
        topics[q.topic or "(chưa có chủ đề)"] = topics.get(q.topic or "(chưa có chủ đề)", 0) + 1
    rounds = [(r, draw_problem(r)) for r in contest.rounds.all()]
    return render(
        request,
        "contests/staff/contest_detail.html",
        {
            "contest": contest,
            "rounds": rounds,
            "questions": questions,
            "topics": sorted(topics.items()),
            "registration": [
                label
                for value, label in ContestForm.base_fields["registration_fields"].choices
                if value in contest.registration_fields
            ],
        },
    )


@role_required(*ORGANISERS)
def round_new(request, contest_id: int):
    contest = get_contest_for_user(request.user, contest_id)
    form = RoundForm(posted(request), contest=contest)
    if form.is_valid():
        try:
            round_create(actor=request.user, contest=contest, **form.round_fields())
        except ContestRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Đã thêm đợt thi.")
            return redirect("contests:staff_contest", contest.pk)
    title = f"Thêm đợt thi — {contest.title}"
    return render(
        request, "contests/staff/form.html", {"form": form, "title": title, "contest": contest}
    )


@role_required(*ORGANISERS)
def round_edit(request, round_id: int):
    round_ = get_round_for_user(request.user, round_id)
    contest = round_.contest
    form = RoundForm(posted(request), instance=round_, contest=contest)
    if form.is_valid():
        round_.refresh_from_db()
        try:
            round_update(actor=request.user, round_=round_, **form.round_fields())
        except ContestRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Đã lưu đợt thi.")
            return redirect("contests:staff_contest", contest.pk)
    title = f"Sửa đợt {round_.number} — {contest.title}"
    return render(
        request, "contests/staff/form.html", {"form": form, "title": title, "contest": contest}
    )


@require_POST
@role_required(*ORGANISERS)
def round_remove(request, round_id: int):
    round_ = get_round_for_user(request.user, round_id)
    try:
        round_delete(actor=request.user, round_=round_)
    except ContestRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Đã xóa đợt {round_.number}.")
    return redirect("contests:staff_contest", round_.contest_id)


def _question_fields(data: dict) -> dict:
    return {
        "text": data["text"],
        "options": data["options"],
        "answer": data["answer_index"],
        "topic": data["topic"],
        "difficulty": data["difficulty"],
    }


@role_required(*ORGANISERS)
def question_new(request, contest_id: int):
    contest = get_contest_for_user(request.user, contest_id)
    form = QuestionForm(posted(request))
    if form.is_valid():
        question_create(actor=request.user, contest=contest, **_question_fields(form.cleaned_data))
        messages.success(request, "Đã lưu câu hỏi.")
        return redirect("contests:staff_question_new", contest.pk)
    title = f"Thêm câu hỏi — {contest.title}"
    return render(
        request, "contests/staff/form.html", {"form": form, "title": title, "contest": contest}
    )


@role_required(*ORGANISERS)
def question_edit(request, question_id: int):
    question = get_question_for_user(request.user, question_id)
    contest = question.contest
    form = QuestionForm(posted(request), initial=QuestionForm.initial_for(question))
    if form.is_valid():
        try:
            question_update(
                actor=request.user, question=question, **_question_fields(form.cleaned_data)
            )
        except ContestRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Đã lưu câu hỏi.")
            return redirect("contests:staff_contest", contest.pk)
    return render(
        request,
        "contests/staff/form.html",
        {"form": form, "title": "Sửa câu hỏi", "contest": contest},
    )


@require_POST
@role_required(*ORGANISERS)
def question_remove(request, question_id: int):
    question = get_question_for_user(request.user, question_id)
    try:
        question_delete(actor=request.user, question=question)
    except ContestRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Đã xóa câu hỏi.")
    return redirect("contests:staff_contest", question.contest_id)


# Import from Excel -----------------------------------------------------------------------


@require_GET
@role_required(*ORGANISERS)
def question_template(request):
    response = HttpResponse(template_workbook(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-cau-hoi-thi.xlsx"'
    return response


@role_required(*ORGANISERS)
def question_import(request, contest_id: int):
    """Upload and check: every row is checked; nothing is written until the confirm."""
    contest = get_contest_for_user(request.user, contest_id)
    context = {"contest": contest, "form": ImportForm()}
    if request.method != "POST":
        return render(request, "contests/staff/import.html", context)
    form = ImportForm(request.POST, request.FILES)
    context["form"] = form
    request.session.pop(IMPORT_KEY, None)
    if not form.is_valid():
        return render(request, "contests/staff/import.html", context)
    upload = form.cleaned_data["file"]
    existing = {question_key(t) for t in contest.questions.values_list("text", flat=True)}
    try:
        if upload.size > 2 * 1024 * 1024:
            raise FileRefused("Tệp lớn hơn 2 MB. Hãy xóa ảnh, trang tính thừa hoặc chia nhỏ tệp.")
        result = check_file(upload.name, upload.read(), existing=existing)
    except FileRefused as refused:
        form.add_error("file", refused.message)
        return render(request, "contests/staff/import.html", context)
    token = ""
    if result.importable:
        token = secrets.token_urlsafe(18)
        request.session[IMPORT_KEY] = {
            "token": token,
            "contest": contest.pk,
            "user": request.user.pk,
            "rows": result.rows,
            "at": timezone.now().isoformat(),
        }
    context |= {"result": result, "token": token, "filename": upload.name[:120]}
    return render(request, "contests/staff/import_preview.html", context)


@require_POST
@role_required(*ORGANISERS)
def question_import_confirm(request, contest_id: int):
    contest = get_contest_for_user(request.user, contest_id)
    token = request.POST.get("token", "")
    done = request.session.get(IMPORT_KEY + "_done", [])
    if token and token in done:  # a second click: imported once already
        messages.info(request, "Danh sách câu hỏi này đã được nhập.")
        return redirect("contests:staff_contest", contest.pk)
    pending = request.session.get(IMPORT_KEY) or {}
    if (
        not token
        or not secrets.compare_digest(str(pending.get("token", "")), token)
        or pending.get("contest") != contest.pk
        or pending.get("user") != request.user.pk
    ):
        messages.error(request, "Không tìm thấy danh sách đã kiểm tra. Hãy tải tệp lên lại.")
        return redirect("contests:staff_question_import", contest.pk)
    request.session.pop(IMPORT_KEY, None)
    try:
        count = questions_import(actor=request.user, contest=contest, rows=pending["rows"])
    except ImportBlocked as blocked:
        rows = ", ".join(str(r) for r in blocked.rows[:20])
        messages.error(
            request,
            f"Chưa nhập câu nào: từ lúc kiểm tra, câu hỏi ở dòng {rows} đã có trong ngân hàng. "
            "Hãy bỏ các dòng đó rồi tải lên lại.",
        )
        return redirect("contests:staff_question_import", contest.pk)
    request.session[IMPORT_KEY + "_done"] = [*done[-4:], token]
    messages.success(request, f"Đã nhập {count} câu hỏi vào ngân hàng.")
    return redirect("contests:staff_contest", contest.pk)


# Results ---------------------------------------------------------------------------------


def _results(round_) -> dict:
    return {
        "winners": round_prize_list(round_),
        "hamlets": round_units(round_, "hamlet"),
        "organisations": round_units(round_, "organisation"),
        "daily_hamlets": daily_participation(round_, "hamlet"),
        "daily_organisations": daily_participation(round_, "organisation"),
    }


@role_required(*ORGANISERS)
def round_results(request, round_id: int):
    round_ = get_round_for_user(request.user, round_id)
    closed = timezone.now() >= round_.closes_at
    return render(
        request,
        "contests/staff/results.html",
        {"round": round_, "closed": closed, **_results(round_)},
    )


@require_GET
@role_required(*ORGANISERS)
def round_results_excel(request, round_id: int):
    round_ = get_round_for_user(request.user, round_id)
    results = _results(round_)
    data = results_workbook(
        title=f"Danh sách giải — {round_}",
        winners=results["winners"],
        hamlets=results["hamlets"]["results"],
        organisations=results["organisations"]["results"],
    )
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    filename = f"giai-cuoc-thi-{round_.contest_id}-dot-{round_.number}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
