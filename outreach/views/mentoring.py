"""The skill checklist (staff and resident), visit logs and 1-1 mentoring."""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import get_resident_for_user, residents_for_user, role_required
from accounts.models import Role
from lib.http import posted
from lib.vntext import fold
from outreach.mentoring import (
    checklist_of,
    checklist_tick,
    get_mentorship_for_user,
    hamlet_volunteers,
    mentee_progress,
    mentorship_end,
    mentorship_start,
    mentorships_for_user,
    overdue_mentees,
    visit_log,
)
from outreach.models import Assignment, Mentorship, SkillTick
from outreach.skills import SKILLS

FIELD_STAFF = (Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER)


# -- Skill checklist ---------------------------------------------------------------------------


class TickForm(forms.Form):
    skill = forms.ChoiceField(choices=list(SKILLS.items()))
    has_skill = forms.TypedChoiceField(
        choices=[("1", "có"), ("0", "chưa")], coerce=lambda v: v == "1"
    )
    client_key = forms.UUIDField()


def _checklist_rows(resident):
    """Checklist rows, each with fresh idempotency keys for its buttons."""
    rows = checklist_of(resident)
    for row in rows:
        row.yes_key, row.no_key = uuid.uuid4(), uuid.uuid4()
    return rows


def _tick(request, resident, source: str) -> None:
    form = TickForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Không ghi được, hãy tải lại trang và thử lại.")
        return
    data = form.cleaned_data
    checklist_tick(
        resident=resident,
        skill=data["skill"],
        has_skill=data["has_skill"],
        source=source,
        actor=request.user,
        client_key=data["client_key"],
    )
    state = "làm được" if data["has_skill"] else "chưa làm được"
    messages.success(request, f"Đã ghi: {SKILLS[data['skill']]} — {state}.")


@require_http_methods(["GET", "POST"])
@role_required(*FIELD_STAFF)
def checklist_resident(request, resident_id: int):
    resident = get_resident_for_user(request.user, resident_id)
    if request.method == "POST":
        _tick(request, resident, SkillTick.Source.VERIFIED)
        return redirect("outreach:checklist_resident", resident_id=resident.pk)
    return render(
        request,
        "outreach/mentoring/checklist.html",
        {"resident": resident, "rows": _checklist_rows(resident), "self_view": False},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.RESIDENT)
def checklist_me(request):
    resident = request.user.resident
    if request.method == "POST":
        _tick(request, resident, SkillTick.Source.SELF)
        return redirect("outreach:checklist_me")
    return render(
        request,
        "outreach/mentoring/checklist.html",
        {"resident": resident, "rows": _checklist_rows(resident), "self_view": True},
    )


# -- Visits ------------------------------------------------------------------------------------


class VisitForm(forms.Form):
    visited_on = forms.DateField(
        label="Ngày đến thăm",
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    done = forms.CharField(
        label="Đã làm được gì",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ví dụ: cài Zalo, hướng dẫn gọi video cho con.",
    )
    next_step = forms.CharField(label="Việc lần sau (nếu có)", max_length=300, required=False)
    client_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise ValidationError("Ngày đến thăm không thể ở tương lai.")
        return day


@require_http_methods(["GET", "POST"])
@role_required(*FIELD_STAFF)
def mentoring_visit(request, resident_id: int):
    user = request.user
    resident = get_resident_for_user(user, resident_id)
    form = VisitForm(posted(request))
    if request.method == "POST" and form.is_valid():
        visit, _ = visit_log(volunteer=user, resident=resident, **form.cleaned_data)
        messages.success(
            request, f"Đã ghi lần đến thăm {resident.full_name} ngày {visit.visited_on:%d/%m/%Y}."
        )
        if visit.mentorship_id:
            return redirect("outreach:mentoring_detail", mentorship_id=visit.mentorship_id)
        if user.role == Role.VOLUNTEER:
            return redirect("outreach:notreached_mine")
        return redirect("outreach:checklist_resident", resident_id=resident.pk)
    assignment = (
        Assignment.objects.filter(resident=resident, volunteer=user, done_at__isnull=True)
        .select_related("assigned_by")
        .first()
    )
    return render(
        request,
        "outreach/mentoring/visit_form.html",
        {
            "form": form,
            "resident": resident,
            "assignment": assignment,
            "recent": resident.visits.select_related("volunteer")[:3],
        },
    )


# -- 1-1 mentoring -----------------------------------------------------------------------------


@role_required(*FIELD_STAFF)
def mentoring_list(request):
    user = request.user
    mentorships = mentorships_for_user(user)
    query = request.GET.get("q", "")[:100].replace("\x00", "").strip()
    found = []
    if query:
        found = (
            residents_for_user(user)
            .filter(name_folded__contains=fold(query))
            .order_by("birth_year", "id")[:20]
        )
    return render(
        request,
        "outreach/mentoring/list.html",
        {
            "overdue": overdue_mentees(user) if user.role == Role.VOLUNTEER else [],
            "open": mentorships.filter(ended_on__isnull=True).order_by("seen_on", "id"),
            "ended": mentorships.filter(ended_on__isnull=False).order_by("-ended_on", "-id")[:20],
            "query": query,
            "found": found,
        },
    )


class MentorshipForm(forms.Form):
    volunteer = forms.ModelChoiceField(label="Tình nguyện viên kèm cặp", queryset=None)
    goals = forms.MultipleChoiceField(
        label="Mục tiêu (chọn những kỹ năng sẽ cùng học)",
        choices=list(SKILLS.items()),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, volunteers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if volunteers is None:
            del self.fields["volunteer"]
        else:
            self.fields["volunteer"].queryset = volunteers


@require_http_methods(["GET", "POST"])
@role_required(*FIELD_STAFF)
def mentoring_start(request, resident_id: int):
    user = request.user
    resident = get_resident_for_user(user, resident_id)
    volunteers = None
    if user.role != Role.VOLUNTEER:
        volunteers = hamlet_volunteers(commune_id=user.commune_id, hamlet_ids=[resident.hamlet_id])
    form = MentorshipForm(posted(request), volunteers=volunteers)
    if request.method == "POST" and form.is_valid():
        volunteer = form.cleaned_data.get("volunteer") or user
        try:
            mentorship, created = mentorship_start(
                actor=user, volunteer=volunteer, resident=resident, goals=form.cleaned_data["goals"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            if created:
                messages.success(request, f"Đã bắt đầu kèm cặp {resident.full_name}.")
            else:
                messages.success(request, f"{volunteer} đang kèm cặp {resident.full_name} rồi.")
            return redirect("outreach:mentoring_detail", mentorship_id=mentorship.pk)
    return render(request, "outreach/mentoring/start.html", {"form": form, "resident": resident})


@role_required(*FIELD_STAFF)
def mentoring_detail(request, mentorship_id: int):
    mentorship = get_mentorship_for_user(request.user, mentorship_id)
    return render(
        request,
        "outreach/mentoring/detail.html",
        {
            "m": mentorship,
            "progress": mentee_progress(mentorship),
            "visits": mentorship.visits.select_related("volunteer"),
            "can_visit": mentorship.ended_on is None and mentorship.volunteer_id == request.user.pk,
        },
    )


@require_POST
@role_required(*FIELD_STAFF)
def mentoring_end(request, mentorship_id: int):
    mentorship: Mentorship = get_mentorship_for_user(request.user, mentorship_id)
    mentorship_end(actor=request.user, mentorship=mentorship)
    messages.success(request, f"Đã kết thúc kèm cặp {mentorship.resident.full_name}.")
    return redirect("outreach:mentoring_list")
