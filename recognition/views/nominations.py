"""Staff pages for nominations: list, propose, detail with history, review, decide, giấy khen."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import organisations_for_user, role_required
from accounts.models import Role
from lib.http import posted
from recognition.certificate_pdf import giay_khen_pdf, short_reason
from recognition.models import ACHIEVEMENTS, Category, Nomination
from recognition.selectors import (
    DECIDERS,
    PROPOSERS,
    REVIEWERS,
    VIEWERS,
    evidence_key,
    evidence_options,
    get_nomination_for_user,
    nominations_for_user,
    nominee_residents_for_user,
    proposer_teams_for_user,
)
from recognition.services import (
    nomination_decide,
    nomination_forward,
    nomination_propose,
    nomination_reject,
    nomination_resubmit,
    nomination_return,
)

DATE_INPUTS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


def _evidence_choices(resident) -> list[tuple[str, str]]:
    if resident is None:
        return []
    return [(evidence_key(item), item["label"]) for item in evidence_options(resident)]


class ProposeForm(forms.Form):
    category = forms.ChoiceField(label="Loại khen thưởng", choices=Category.choices)
    resident = forms.ModelChoiceField(
        label="Người được đề nghị",
        queryset=None,
        required=False,
        empty_label="— Tập thể (ghi tên bên dưới) —",
        error_messages={"invalid_choice": "Người này không thuộc phạm vi của bạn."},
    )
    collective_name = forms.CharField(label="Hoặc tên tập thể", max_length=200, required=False)
    organisation = forms.ModelChoiceField(label="Đơn vị đề nghị", queryset=None, required=False)
    team = forms.ModelChoiceField(label="Tổ đề nghị", queryset=None, required=False)
    reasons = forms.CharField(label="Thành tích, lý do đề nghị", widget=forms.Textarea)
    evidence = forms.MultipleChoiceField(
        label="Minh chứng trên nền tảng",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Minh chứng không thuộc hồ sơ của người được đề nghị."},
    )

    def __init__(self, *args, user, resident=None, **kwargs):
        super().__init__(*args, **kwargs)
        residents = nominee_residents_for_user(user)
        self.fields["resident"].queryset = residents
        self.fields["resident"].label_from_instance = lambda r: f"{r.full_name} ({r.hamlet.name})"
        if user.role in {Role.ADMIN, Role.COORDINATOR}:
            self.fields["organisation"].queryset = organisations_for_user(user)
        else:
            del self.fields["organisation"]
        teams = proposer_teams_for_user(user)
        if teams.exists():
            self.fields["team"].queryset = teams
        else:
            del self.fields["team"]
        if self.is_bound:
            raw = self.data.get("resident")
            resident = residents.filter(pk=raw).first() if str(raw or "").isdigit() else None
        self.fields["evidence"].choices = _evidence_choices(resident)


class ResubmitForm(forms.Form):
    reasons = forms.CharField(label="Thành tích, lý do đề nghị", widget=forms.Textarea)
    evidence = forms.MultipleChoiceField(
        label="Minh chứng trên nền tảng",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Minh chứng không thuộc hồ sơ của người được đề nghị."},
    )

    def __init__(self, *args, nomination: Nomination, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence"].choices = _evidence_choices(nomination.resident)


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        label="Ý kiến",
        choices=[
            ("forward", "Trình lãnh đạo quyết định"),
            ("return", "Trả lại để bổ sung"),
            ("reject", "Không đề nghị khen thưởng"),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label="Nhận xét", widget=forms.Textarea, required=False)


class DecideForm(forms.Form):
    action = forms.ChoiceField(
        label="Quyết định",
        choices=[("decide", "Khen thưởng"), ("reject", "Không khen thưởng")],
        widget=forms.RadioSelect,
        initial="decide",
    )
    decision_number = forms.CharField(
        label="Số quyết định",
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: 45/QĐ-UBND"}),
    )
    decision_date = forms.DateField(
        label="Ngày quyết định",
        required=False,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "ngày/tháng/năm"}),
        error_messages={"invalid": "Hãy nhập ngày theo mẫu ngày/tháng/năm, ví dụ 05/01/2026."},
    )
    comment = forms.CharField(label="Lý do (khi không khen)", widget=forms.Textarea, required=False)

    def clean(self):
        data = super().clean()
        if data.get("action") == "decide":
            if not data.get("decision_number"):
                self.add_error("decision_number", "Hãy nhập số quyết định.")
            if not data.get("decision_date") and "decision_date" not in self.errors:
                self.add_error("decision_date", "Hãy nhập ngày quyết định.")
        return data


def _apply(form: forms.Form, call) -> object | None:
    """Run a service; its ValidationError becomes a form error."""
    try:
        return call()
    except ValidationError as error:
        field = {"decision_number": "decision_number", "decision_date": "decision_date"}.get(
            getattr(error, "code", None) or ""
        )
        form.add_error(field if field in form.fields else None, error.messages)
        return None


@role_required(*VIEWERS)
@require_GET
def nomination_list(request):
    status = request.GET.get("trang-thai", "")
    nominations = nominations_for_user(request.user)
    if status in Nomination.Status.values:
        nominations = nominations.with_status(status)
    else:
        status = ""
    return render(
        request,
        "recognition/nomination_list.html",
        {
            "nominations": nominations,
            "status": status,
            "statuses": Nomination.Status.choices,
            "can_propose": request.user.role in PROPOSERS,
        },
    )


@role_required(*PROPOSERS)
@require_http_methods(["GET", "POST"])
def nomination_create(request):
    user = request.user
    resident = None
    raw = request.GET.get("nguoi", "")
    if raw.isdigit():
        resident = nominee_residents_for_user(user).filter(pk=raw).first()
    form = ProposeForm(
        posted(request), user=user, resident=resident, initial={"resident": resident}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        nomination = _apply(
            form,
            lambda: nomination_propose(
                actor=user,
                category=data["category"],
                reasons=data["reasons"],
                resident=data["resident"],
                collective_name=data["collective_name"],
                organisation=data.get("organisation"),
                team=data.get("team"),
                evidence_keys=data["evidence"],
            ),
        )
        if nomination:
            messages.success(request, "Đã gửi đề nghị khen thưởng.")
            return redirect("recognition:nomination_detail", nomination.pk)
    return render(request, "recognition/nomination_form.html", {"form": form, "resident": resident})


@role_required(*VIEWERS)
@require_GET
def nomination_detail(request, pk: int):
    user = request.user
    nomination = get_nomination_for_user(user, pk)
    status = nomination.status
    S = Nomination.Status
    return render(
        request,
        "recognition/nomination_detail.html",
        {
            "nomination": nomination,
            "events": nomination.events.select_related("actor"),
            "can_review": user.role in REVIEWERS and status == S.PROPOSED,
            "can_decide": user.role in DECIDERS and status == S.FORWARDED,
            "can_resubmit": status == S.RETURNED
            and (nomination.proposed_by_id == user.pk or user.role in REVIEWERS),
            "has_pdf": status == S.DECIDED,
        },
    )


@role_required(*PROPOSERS)
@require_http_methods(["GET", "POST"])
def nomination_resubmit_view(request, pk: int):
    nomination = get_nomination_for_user(request.user, pk)
    initial = {
        "reasons": nomination.reasons,
        "evidence": [evidence_key(e) for e in nomination.evidence],
    }
    form = ResubmitForm(posted(request), nomination=nomination, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _apply(
            form,
            lambda: nomination_resubmit(
                actor=request.user,
                nomination=nomination,
                reasons=form.cleaned_data["reasons"],
                evidence_keys=form.cleaned_data["evidence"],
            ),
        )
        if done:
            messages.success(request, "Đã gửi lại đề nghị.")
            return redirect("recognition:nomination_detail", nomination.pk)
    return render(
        request,
        "recognition/nomination_step.html",
        {"form": form, "nomination": nomination, "heading": "Bổ sung và gửi lại đề nghị"},
    )


@role_required(*REVIEWERS)
@require_http_methods(["GET", "POST"])
def nomination_review(request, pk: int):
    nomination = get_nomination_for_user(request.user, pk)
    form = ReviewForm(posted(request))
    if request.method == "POST" and form.is_valid():
        action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
        service = {
            "forward": nomination_forward,
            "return": nomination_return,
            "reject": nomination_reject,
        }[action]
        done = _apply(
            form, lambda: service(actor=request.user, nomination=nomination, comment=comment)
        )
        if done:
            messages.success(request, f"Đã ghi: {done.get_status_display().lower()}.")
            return redirect("recognition:nomination_detail", nomination.pk)
    return render(
        request,
        "recognition/nomination_step.html",
        {"form": form, "nomination": nomination, "heading": "Xem xét đề nghị"},
    )


@role_required(*DECIDERS)
@require_http_methods(["GET", "POST"])
def nomination_decide_view(request, pk: int):
    nomination = get_nomination_for_user(request.user, pk)
    form = DecideForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["action"] == "decide":

            def call():
                return nomination_decide(
                    actor=request.user,
                    nomination=nomination,
                    decision_number=data["decision_number"],
                    decision_date=data["decision_date"],
                )
        else:

            def call():
                return nomination_reject(
                    actor=request.user, nomination=nomination, comment=data["comment"]
                )

        done = _apply(form, call)
        if done:
            messages.success(request, f"Đã ghi: {done.get_status_display().lower()}.")
            return redirect("recognition:nomination_detail", nomination.pk)
    return render(
        request,
        "recognition/nomination_step.html",
        {"form": form, "nomination": nomination, "heading": "Quyết định khen thưởng"},
    )


@role_required(*VIEWERS)
@require_GET
def nomination_pdf(request, pk: int):
    nomination = get_nomination_for_user(request.user, pk)
    if nomination.status != Nomination.Status.DECIDED:
        return render(
            request,
            "recognition/no_pdf.html",
            {"nomination": nomination},
            status=404,
        )
    signer = nomination.decided_by
    pdf = giay_khen_pdf(
        nominee_name=nomination.nominee_name,
        achievement=ACHIEVEMENTS[nomination.category],
        reason=short_reason(nomination.reasons),
        decision_number=nomination.decision_number,
        decision_date=nomination.decision_date,
        commune_name=nomination.commune.name,
        signer_name=(signer.full_name or signer.username) if signer else "",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="giay-khen-{nomination.pk}.pdf"'
    return response
