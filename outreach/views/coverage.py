"""Coverage per hamlet against the commune's targets, and the not-yet-reached lists."""

import re
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import get_resident_for_user, require, role_required
from accounts.models import Role
from lib.http import posted
from outreach.coverage import (
    COVERAGE_VIEWERS,
    coverage_for_user,
    coverage_hamlets,
    effective_targets,
    not_reached_for_user,
    vietnamese_order,
)
from outreach.mentoring import (
    assignment_create,
    can_assign,
    coverage_target_set,
    hamlet_volunteers,
    open_assignments,
    overdue_mentees,
)
from outreach.skills import SKILLS, WORKING_AGE

PAGE_SIZE = 30
LISTS_RESIDENTS = (Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER)


def _hamlet_param(request) -> int | None:
    value = request.GET.get("xom", "")
    return int(value) if re.fullmatch(r"[0-9]{1,9}", value) else None


@role_required(*COVERAGE_VIEWERS)
def coverage_page(request):
    coverage = coverage_for_user(request.user)
    chosen = next((r for r in coverage.rows if r.hamlet_id == _hamlet_param(request)), None)
    return render(
        request,
        "outreach/coverage/coverage.html",
        {
            "coverage": coverage,
            "detail": chosen or coverage.total,
            "chosen": chosen,
            "can_edit_targets": request.user.role in {Role.ADMIN, Role.COORDINATOR},
            "lists_residents": request.user.role in LISTS_RESIDENTS,
            "working_age": WORKING_AGE,
        },
    )


class TargetForm(forms.Form):
    skill = forms.ChoiceField(label="Kỹ năng", choices=list(SKILLS.items()))
    year = forms.IntegerField(label="Đến năm", min_value=2024, max_value=2100)
    percent = forms.IntegerField(
        label="Tỷ lệ người trong độ tuổi lao động (%)", min_value=0, max_value=100
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.ADMIN, Role.COORDINATOR)
def coverage_targets(request):
    commune = request.user.commune
    form = TargetForm(posted(request), initial={"skill": "public_service", "year": 2025})
    if request.method == "POST" and form.is_valid():
        target = coverage_target_set(actor=request.user, commune=commune, **form.cleaned_data)
        skill = target.get_skill_display()
        messages.success(
            request, f"Đã lưu mục tiêu {target.percent} % đến năm {target.year}: {skill}."
        )
        return redirect("outreach:coverage_targets")
    return render(
        request,
        "outreach/coverage/targets.html",
        {"form": form, "targets": effective_targets(commune)},
    )


@role_required(*LISTS_RESIDENTS)
def notreached_list(request):
    user = request.user
    hamlets = vietnamese_order(coverage_hamlets(user))
    hamlet_id = _hamlet_param(request)
    if hamlet_id not in {h.pk for h in hamlets}:
        hamlet_id = None
    page = Paginator(not_reached_for_user(user, hamlet_id=hamlet_id), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    rows = list(page)
    assigns = user.role in {Role.ADMIN, Role.COORDINATOR} or (
        rows and can_assign(user, rows[0])  # a volunteer only ever sees their own hamlet
    )
    volunteers: dict[int, list] = {}
    if assigns and rows:
        for v in hamlet_volunteers(
            commune_id=user.commune_id, hamlet_ids={r.hamlet_id for r in rows}
        ):
            volunteers.setdefault(v.hamlet_id, []).append(v)
    for r in rows:
        r.tags = [
            label
            for label, applies in [
                ("cao tuổi", r.is_elderly),
                ("khuyết tật", r.has_disability),
                ("hộ nghèo, cận nghèo", r.is_poor_household),
            ]
            if applies
        ]
        r.volunteers = volunteers.get(r.hamlet_id, [])
    return render(
        request,
        "outreach/coverage/not_reached.html",
        {
            "page": page,
            "rows": rows,
            "hamlets": hamlets,
            "hamlet_id": hamlet_id,
            "assigns": assigns,
        },
    )


class AssignForm(forms.Form):
    volunteer = forms.ModelChoiceField(label="Giao cho", queryset=None)

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers


@require_POST
@role_required(*LISTS_RESIDENTS)
def notreached_assign(request, resident_id: int):
    user = request.user
    resident = get_resident_for_user(user, resident_id)
    require(can_assign(user, resident))
    form = AssignForm(
        request.POST,
        volunteers=hamlet_volunteers(commune_id=user.commune_id, hamlet_ids=[resident.hamlet_id]),
    )
    if not form.is_valid():
        messages.error(request, "Hãy chọn một tình nguyện viên của xóm.")
    else:
        volunteer = form.cleaned_data["volunteer"]
        try:
            assignment_create(actor=user, resident=resident, volunteer=volunteer)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Đã giao {volunteer} đến thăm {resident.full_name}.")
    back = {"xom": resident.hamlet_id} if user.role != Role.VOLUNTEER else {}
    if re.fullmatch(r"[0-9]{1,6}", page := request.POST.get("trang", "")):
        back["trang"] = page
    url = reverse("outreach:notreached_list")
    return redirect(f"{url}?{urlencode(back)}" if back else url)


@role_required(Role.VOLUNTEER)
def notreached_mine(request):
    return render(
        request,
        "outreach/coverage/my_work.html",
        {
            "assignments": open_assignments(request.user),
            "overdue": overdue_mentees(request.user),
        },
    )
