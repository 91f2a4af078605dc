"""Staff area: organisers set up contests, rubrics and panels, moderate and publish results;
volunteers type in entries for residents; judges score on one screen."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.access import role_required
from accounts.models import STAFF_ROLES, Purpose
from accounts.selectors import granted_purposes
from essays import selectors
from essays.forms import (
    AssistedEntryForm,
    ContestForm,
    CriterionFormSet,
    JudgeForm,
    ModerateForm,
    PublishForm,
    ScoreForm,
)
from essays.models import EssayContest, Judge
from essays.services import (
    ASSISTANTS,
    ORGANISERS,
    CriterionRow,
    EssayRefused,
    contest_announce,
    contest_create,
    contest_update,
    entry_moderate,
    entry_submit,
    is_open_for_entries,
    judge_add,
    judge_remove,
    results_publish,
    rubric_set,
    scores_save,
)
from essays.views.public import refused
from lib.http import posted

STAFF = tuple(STAFF_ROLES)
NOT_A_JUDGE = "Bạn không có tên trong ban giám khảo của cuộc thi này."


@role_required(*STAFF)
def contest_list(request):
    user = request.user
    return render(
        request,
        "essays/staff/contest_list.html",
        {
            "organised": selectors.contests_for_organiser(user),
            "panels": selectors.panels_for_user(user),
            "assisting": selectors.contests_for_staff(user).filter(
                status=EssayContest.Status.ANNOUNCED, audience=EssayContest.Audience.RESIDENTS
            )
            if user.role in ASSISTANTS
            else [],
        },
    )


@role_required(*ORGANISERS)
def contest_new(request):
    form = ContestForm(posted(request))
    if form.is_valid():
        try:
            contest = contest_create(actor=request.user, **form.cleaned_data)
        except EssayRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Đã tạo cuộc thi. Hãy đặt tiêu chí chấm và ban giám khảo.")
            return redirect("essays:essay_staff_rubric", contest.pk)
    return render(request, "essays/staff/form.html", {"form": form, "title": "Tạo cuộc thi viết"})


@role_required(*ORGANISERS)
def contest_edit(request, contest_id: int):
    contest = selectors.get_contest_for_organiser(request.user, contest_id)
    form = ContestForm(posted(request), instance=contest)
    if form.is_valid():
        try:
            contest_update(actor=request.user, contest=contest, **form.cleaned_data)
        except EssayRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, "Đã lưu cuộc thi.")
            return redirect("essays:essay_staff_contest", contest.pk)
    title = f"Sửa cuộc thi — {contest.title}"
    return render(request, "essays/staff/form.html", {"form": form, "title": title})


@role_required(*ORGANISERS)
def contest_detail(request, contest_id: int):
    contest = selectors.get_contest_for_organiser(request.user, contest_id)
    ranking = selectors.jury_ranking(contest)
    return render(
        request,
        "essays/staff/contest_detail.html",
        {
            "contest": contest,
            "criteria": contest.criteria.all(),
            "judges": contest.judges.select_related("user"),
            "queue_count": selectors.moderation_queue(contest).count(),
            "ranking": ranking,
            "names": selectors.author_names([r["entry"] for r in ranking]),
            "popular": selectors.popular_ranking(contest) if contest.voting_enabled else [],
            "publish_form": PublishForm(),
            "open": is_open_for_entries(contest),
        },
    )


@require_POST
@role_required(*ORGANISERS)
def contest_announce_view(request, contest_id: int):
    contest = selectors.get_contest_for_organiser(request.user, contest_id)
    try:
        contest_announce(actor=request.user, contest=contest)
    except EssayRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Đã phát động cuộc thi: người dân đã thấy cuộc thi.")
    return redirect("essays:essay_staff_contest", contest.pk)


@role_required(*ORGANISERS)
def rubric(request, contest_id: int):
    contest = selectors.get_contest_for_organiser(request.user, contest_id)
    fields = ("name", "description", "weight", "max_points")
    initial = [{f: getattr(c, f) for f in fields} for c in contest.criteria.all()]
    initial += [{"max_points": 10}] * (5 - len(initial)) if len(initial) < 5 else []
    formset = CriterionFormSet(posted(request), initial=initial, prefix="tc")
    error = ""
    if request.method == "POST" and formset.is_valid():
        rows = [
            CriterionRow(
                name=f["name"],
                description=f["description"],
                weight=f.get("weight") or 0,
                max_points=f.get("max_points") or 0,
            )
            for f in formset.cleaned_data
            if f.get("name")
        ]
        try:
            rubric_set(actor=request.user, contest=contest, rows=rows)
        except EssayRefused as refusal:
            error = str(refusal)
        else:
            messages.success(request, "Đã lưu tiêu chí chấm.")
            return redirect("essays:essay_staff_contest", contest.pk)
    elif request.method == "POST":
        error = "Có ô chưa đúng, hãy xem các dòng báo đỏ."
    return render(
        request,
        "essays/staff/rubric.html",
        {"contest": contest, "formset": formset, "error": error},
        status=400 if error else 200,
    )


@role_required(*ORGANISERS)
def judges(request, contest_id: int):
    contest = selectors.get_contest_for_organiser(request.user, contest_id)
    form = JudgeForm(posted(request), contest=contest)
    if form.is_valid():
        try:
            judge_add(actor=request.user, contest=contest, user=form.cleaned_data["user"])
        except EssayRefused as refusal:
            form.add_error("user", str(refusal))
        else:
            messages.success(request, "Đã thêm giám khảo.")
            return redirect("essays:essay_staff_judges", contest.pk)
    return render(
        request,
        "essays/staff/judges.html",
        {"contest": contest, "form": form, "judges": contest.judges.select_related("user")},
    )


@require_POST
@role_required(*ORGANISERS)
def judge_remove_view(request, contest_id: int, judge_id: int):
    contest = selectors.get_contest_for_organiser(request.user, contest_id)
    judge = get_object_or_404(Judge.objects.select_related("contest"), contest=contest, pk=judge_id)
    try:
        judge_remove(actor=request.user, judge=judge)
    except EssayRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, "Đã bỏ giám khảo khỏi ban giám khảo.")
    return redirect("essays:essay_staff_judges", contest.pk)


@role_required(*ORGANISERS)
def queue(request, contest_id: int):
    contest = selectors.get_contest_for_organiser(request.user, contest_id)
    entries = list(selectors.moderation_queue(contest))
    return render(
        request,
        "essays/staff/queue.html",
        {"contest": contest, "entries": entries, "form": ModerateForm()},
    )


@require_POST
@role_required(*ORGANISERS)
def moderate(request, entry_id: int):
    entry = selectors.get_entry_for_organiser(request.user, entry_id)
    form = ModerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Hãy chọn duyệt hoặc không duyệt.")
        return redirect("essays:essay_staff_queue", entry.contest_id)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        entry_moderate(
            actor=request.user, entry=entry, approve=approve, note=form.cleaned_data["note"]
        )
    except EssayRefused as refusal:
        messages.error(request, f"“{entry.title}”: {refusal}")
    else:
        verb = "Đã duyệt" if approve else "Đã không duyệt"
        messages.success(request, f"{verb} bài “{entry.title}”.")
    return redirect("essays:essay_staff_queue", entry.contest_id)


@role_required(*ASSISTANTS)
def assist(request, contest_id: int):
    """A volunteer types in an entry for a resident in their scope (recorded as assisted)."""
    contest = get_object_or_404(selectors.contests_for_staff(request.user), pk=contest_id)
    if contest.audience != EssayContest.Audience.RESIDENTS:
        return refused(request, "Cuộc thi này dành cho cán bộ, không nhập giúp được.", status=400)
    if not is_open_for_entries(contest):
        return refused(request, "Cuộc thi chưa mở hoặc đã hết hạn nhận bài.", contest=contest)
    form = AssistedEntryForm(
        posted(request), request.FILES or None, contest=contest, user=request.user
    )
    if form.is_valid():
        data = form.cleaned_data
        resident = data["resident"]
        if Purpose.CONTEST not in granted_purposes(resident):
            form.add_error(
                "resident",
                f"{resident.full_name} chưa đồng ý tham gia cuộc thi. Hãy ghi nhận sự đồng ý "
                "ở trang người dân trước.",
            )
        else:
            try:
                entry, _ = entry_submit(
                    contest=contest,
                    entered_by=request.user,
                    resident=resident,
                    title=data["title"],
                    text=data["text"],
                    video_url=data["video_url"],
                    photos=data["photos"],
                    client_key=data["client_key"],
                )
            except EssayRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(
                    request,
                    f"Đã nhập bài “{entry.title}” giúp {resident.full_name}. Bài chờ duyệt.",
                )
                return redirect("essays:essay_staff_assist", contest.pk)
    return render(request, "essays/staff/assist.html", {"contest": contest, "form": form})


@role_required(*STAFF)
def judging(request, contest_id: int):
    try:
        contest = selectors.get_contest_for_judge(request.user, contest_id)
    except PermissionDenied as denied:
        return refused(request, str(denied), status=403)
    ranking = selectors.jury_ranking(contest)
    mine = set(
        contest.entries.filter(scores__judge=request.user).values_list("id", flat=True).distinct()
    )
    return render(
        request,
        "essays/staff/judging.html",
        {"contest": contest, "ranking": ranking, "mine": mine},
    )


@role_required(*STAFF)
def score(request, entry_id: int):
    try:
        entry = selectors.get_entry_for_judge(request.user, entry_id)
    except PermissionDenied as denied:
        return refused(request, str(denied) or NOT_A_JUDGE, status=403)
    contest = entry.contest
    criteria = list(contest.criteria.all())
    form = ScoreForm(
        posted(request),
        criteria=criteria,
        initial_points=selectors.judge_scores(request.user, entry),
    )
    if request.method == "POST" and form.is_valid():
        try:
            scores_save(judge=request.user, entry=entry, points=form.points())
        except EssayRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, f"Đã lưu điểm bài “{entry.title}”.")
            return redirect("essays:essay_staff_score", entry.pk)
    row = next((r for r in selectors.jury_ranking(contest) if r["entry"].pk == entry.pk), None)
    return render(
        request,
        "essays/staff/score.html",
        {
            "contest": contest,
            "entry": entry,
            "form": form,
            "row": row,
            "photos": entry.photos.values_list("id", flat=True),
            "locked": contest.results_published,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@role_required(*ORGANISERS)
def publish(request, contest_id: int):
    contest = selectors.get_contest_for_organiser(request.user, contest_id)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Số giải mỗi loại phải là số từ 0 đến 50.")
        return redirect("essays:essay_staff_contest", contest.pk)
    try:
        results_publish(actor=request.user, contest=contest, prizes=form.prizes())
    except EssayRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("essays:essay_staff_contest", contest.pk)
    messages.success(request, "Đã công bố kết quả.")
    return redirect("essays:essay_results", contest.pk)
