"""Tổ công nghệ số cộng đồng: the teams of the commune, their members, the members indicator.

Admin and coordinator write; leaders, officers and volunteers read their scope. Every team
page shows active members per 100 residents for its hamlet(s) and for the commune.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.access import hamlets_for_user, role_required
from accounts.models import Role, User
from lib.http import posted
from outreach.models import Team, TeamMember
from outreach.teams import (
    TEAM_EDITORS,
    TEAM_VIEWERS,
    get_team_for_user,
    get_team_member,
    member_add,
    member_leave,
    member_update,
    members_per_100,
    team_create,
    team_list_for_user,
    team_members,
    team_update,
    volunteers_for_team,
)

DATE_INPUTS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]
DATE_ERROR = "Hãy nhập ngày theo mẫu ngày/tháng/năm, ví dụ 25/03/2025."


def vn_date_field(label: str, *, required: bool = True, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "ngày/tháng/năm"}),
        error_messages={"invalid": DATE_ERROR, "required": f"Hãy nhập {label.lower()}."},
        **kwargs,
    )


class TeamForm(forms.Form):
    hamlet = forms.ModelChoiceField(
        label="Xóm",
        queryset=None,
        empty_label="— Chọn xóm —",
        error_messages={
            "required": "Hãy chọn xóm mà tổ phụ trách.",
            "invalid_choice": "Xóm này không thuộc xã của bạn.",
        },
    )
    name = forms.CharField(
        label="Tên tổ",
        max_length=Team._meta.get_field("name").max_length,
        required=False,
        help_text="Để trống thì đặt tên “Tổ công nghệ số cộng đồng” + tên xóm.",
    )
    decision_number = forms.CharField(
        label="Số quyết định thành lập của Chủ tịch UBND xã",
        max_length=Team._meta.get_field("decision_number").max_length,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: 125/QĐ-UBND"}),
    )
    decision_date = vn_date_field("Ngày quyết định", required=False)

    def __init__(self, *args, hamlets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = hamlets


class MemberForm(forms.Form):
    full_name = forms.CharField(label="Họ và tên", max_length=100)
    position = forms.ChoiceField(
        label="Vai trò trong tổ",
        choices=TeamMember.Position.choices,
        initial=TeamMember.Position.MEMBER,
        widget=forms.RadioSelect,
        error_messages={"required": "Hãy chọn vai trò trong tổ."},
    )
    body = forms.ChoiceField(
        label="Đến từ",
        choices=[("", "— Chọn —"), *TeamMember.Body.choices],
        error_messages={"required": "Hãy chọn thành viên đến từ đâu."},
    )
    is_influencer = forms.BooleanField(label="Người có uy tín trong cộng đồng", required=False)
    user = forms.ModelChoiceField(
        label="Tài khoản tình nguyện viên (nếu có)",
        queryset=None,
        required=False,
        empty_label="— Không gắn tài khoản —",
        error_messages={"invalid_choice": "Tài khoản này không thuộc xóm của tổ."},
    )
    joined_on = vn_date_field("Ngày vào tổ", initial=timezone.localdate)

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = volunteers
        self.fields["user"].label_from_instance = lambda u: u.full_name or u.username

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name.split()) < 2:
            raise ValidationError("Hãy nhập đủ họ và tên, ví dụ: Nguyễn Văn An.")
        return name


class MemberEditForm(MemberForm):
    left_on = vn_date_field(
        "Ngày rời tổ", required=False, help_text="Để trống nếu vẫn đang trong tổ."
    )


class LeaveForm(forms.Form):
    left_on = vn_date_field("Ngày rời tổ", initial=timezone.localdate)


def _indicator(user: User, *, hamlet_id: int | None = None) -> dict:
    if hamlet_id is not None:
        hamlet_ids = [hamlet_id]
    elif user.role == Role.VOLUNTEER:
        hamlet_ids = list(hamlets_for_user(user).values_list("id", flat=True))
    else:
        hamlet_ids = None  # commune-wide readers see every hamlet
    rows, total = members_per_100(user.commune, hamlet_ids=hamlet_ids)
    return {"ratio_rows": rows, "ratio_total": total}


def _can_edit(user: User) -> bool:
    return user.role in TEAM_EDITORS


@role_required(*TEAM_VIEWERS)
def team_list(request):
    user = request.user
    teams = team_list_for_user(user)
    return render(
        request,
        "outreach/teams/list.html",
        {"teams": teams, "can_edit": _can_edit(user), **_indicator(user)},
    )


@role_required(*TEAM_VIEWERS)
def team_detail(request, team_id: int):
    user = request.user
    team = get_team_for_user(user, team_id)
    return render(
        request,
        "outreach/teams/detail.html",
        {
            "team": team,
            "members": team_members(team),
            "can_edit": _can_edit(user),
            **_indicator(user, hamlet_id=team.hamlet_id),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*TEAM_EDITORS)
def team_create_view(request):
    user = request.user
    form = TeamForm(posted(request), hamlets=hamlets_for_user(user))
    if request.method == "POST" and form.is_valid():
        try:
            team = team_create(actor=user, commune=user.commune, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã lập “{team.name}”. Hãy thêm thành viên.")
            return redirect("outreach:team_detail", team_id=team.pk)
    return render(
        request, "outreach/teams/team_form.html", {"form": form, "team": None, **_indicator(user)}
    )


@require_http_methods(["GET", "POST"])
@role_required(*TEAM_EDITORS)
def team_edit(request, team_id: int):
    user = request.user
    team = get_team_for_user(user, team_id)
    initial = {
        "hamlet": team.hamlet,
        "name": team.name,
        "decision_number": team.decision_number,
        "decision_date": team.decision_date,
    }
    form = TeamForm(posted(request), initial=initial, hamlets=hamlets_for_user(user))
    if request.method == "POST" and form.is_valid():
        try:
            team_update(actor=user, team=team, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã lưu thông tin tổ.")
            return redirect("outreach:team_detail", team_id=team.pk)
    return render(
        request,
        "outreach/teams/team_form.html",
        {"form": form, "team": team, **_indicator(user, hamlet_id=team.hamlet_id)},
    )


@require_http_methods(["GET", "POST"])
@role_required(*TEAM_EDITORS)
def team_member_add(request, team_id: int):
    user = request.user
    team = get_team_for_user(user, team_id)
    volunteers = volunteers_for_team(commune_id=team.commune_id, hamlet_id=team.hamlet_id)
    form = MemberForm(posted(request), volunteers=volunteers)
    if request.method == "POST" and form.is_valid():
        try:
            member = member_add(actor=user, team=team, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã thêm {member.full_name} vào tổ.")
            return redirect("outreach:team_detail", team_id=team.pk)
    return render(
        request,
        "outreach/teams/member_form.html",
        {"form": form, "team": team, "member": None, **_indicator(user, hamlet_id=team.hamlet_id)},
    )


@require_http_methods(["GET", "POST"])
@role_required(*TEAM_EDITORS)
def team_member_edit(request, team_id: int, member_id: int):
    user = request.user
    team = get_team_for_user(user, team_id)
    member = get_team_member(team, member_id)
    volunteers = volunteers_for_team(commune_id=team.commune_id, hamlet_id=team.hamlet_id)
    initial = {
        "full_name": member.full_name,
        "position": member.position,
        "body": member.body,
        "is_influencer": member.is_influencer,
        "user": member.user,
        "joined_on": member.joined_on,
        "left_on": member.left_on,
    }
    form = MemberEditForm(posted(request), initial=initial, volunteers=volunteers)
    if request.method == "POST" and form.is_valid():
        try:
            member_update(actor=user, member=member, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã lưu thông tin của {member.full_name}.")
            return redirect("outreach:team_detail", team_id=team.pk)
    return render(
        request,
        "outreach/teams/member_form.html",
        {
            "form": form,
            "team": team,
            "member": member,
            **_indicator(user, hamlet_id=team.hamlet_id),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*TEAM_EDITORS)
def team_member_leave(request, team_id: int, member_id: int):
    user = request.user
    team = get_team_for_user(user, team_id)
    member = get_team_member(team, member_id)
    form = LeaveForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            member_leave(actor=user, member=member, left_on=form.cleaned_data["left_on"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã ghi nhận {member.full_name} rời tổ.")
            return redirect("outreach:team_detail", team_id=team.pk)
    return render(
        request,
        "outreach/teams/member_leave.html",
        {
            "form": form,
            "team": team,
            "member": member,
            **_indicator(user, hamlet_id=team.hamlet_id),
        },
    )
