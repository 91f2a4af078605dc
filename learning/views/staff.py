"""Staff pages for learning: statistics and Excel, assisted completions, certificates,
courses declared from the national platform."""

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import (
    MANAGES_RESIDENTS,
    SEES_DASHBOARD,
    get_resident_for_user,
    residents_for_user,
    role_required,
)
from accounts.models import Purpose, Role
from accounts.selectors import granted_purposes
from learning.excel import stats_workbook
from learning.selectors import (
    certificates_for_user,
    external_courses_for_user,
    learning_stats,
    published_lessons,
)
from learning.services import (
    assisted_completion_record,
    certificate_revoke,
    external_course_confirm,
)
from lib.http import posted
from lib.vntext import vietnamese_sorted


@role_required(*SEES_DASHBOARD)
def stats(request):
    return render(
        request, "learning/staff/stats.html", {"stats": learning_stats(request.user.commune)}
    )


@role_required(*SEES_DASHBOARD)
def stats_excel(request):
    commune = request.user.commune
    data = stats_workbook(learning_stats(commune), commune_name=commune.name)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="ket-qua-hoc-ky-nang-so.xlsx"'
    return response


class AssistedForm(forms.Form):
    resident = forms.ModelChoiceField(label="Người dân", queryset=None, empty_label="— Chọn —")
    lesson = forms.ModelChoiceField(label="Bài đã cùng học", queryset=None, empty_label="— Chọn —")
    consent = forms.BooleanField(
        label="Người dân đồng ý lưu quá trình học tập (tôi đã đọc to và giải thích)",
        required=False,
    )
    confirmed = forms.BooleanField(
        label="Tôi đã cùng người dân làm hết các bước và trả lời đúng câu hỏi kiểm tra",
        error_messages={"required": "Hãy xác nhận đã cùng người dân làm hết bài."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents_for_user(user)
        self.fields["lesson"].queryset = published_lessons(user.commune).order_by("topic", "order")

    def clean(self):
        data = super().clean()
        resident = data.get("resident")
        if (
            resident
            and not data.get("consent")
            and Purpose.LEARNING not in granted_purposes(resident)
        ):
            self.add_error(
                "consent",
                "Người dân chưa đồng ý lưu quá trình học tập. Hãy hỏi và đánh dấu nếu họ đồng ý; "
                "nếu không, không ghi nhận được.",
            )
        return data


@require_http_methods(["GET", "POST"])
@role_required(*MANAGES_RESIDENTS)
def assisted(request):
    initial = {}
    if request.GET.get("nguoi-dan", "").isascii() and request.GET.get("nguoi-dan", "").isdigit():
        initial["resident"] = get_resident_for_user(request.user, int(request.GET["nguoi-dan"]))
    form = AssistedForm(posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assisted_completion_record(
            volunteer=request.user,
            resident=data["resident"],
            lesson=data["lesson"],
            consent_given_now=data["consent"],
        )
        messages.success(
            request, f"Đã ghi nhận: {data['resident']} học xong “{data['lesson']}” (có hỗ trợ)."
        )
        return redirect("accounts:resident_detail", resident_id=data["resident"].pk)
    return render(request, "learning/staff/assisted.html", {"form": form})


@role_required(*MANAGES_RESIDENTS)
def certificates(request):
    items = vietnamese_sorted(
        certificates_for_user(request.user), key=lambda c: c.resident.full_name
    )
    return render(request, "learning/staff/certificates.html", {"certificates": items})


@require_POST
@role_required(Role.ADMIN, Role.COORDINATOR)
def certificate_revoke_view(request, certificate_id: int):
    certificate = get_object_or_404(certificates_for_user(request.user), pk=certificate_id)
    reason = request.POST.get("reason", "").strip()[:200]
    if not reason:
        messages.error(request, "Hãy ghi lý do thu hồi.")
    elif certificate.revoked_at is None:
        certificate_revoke(certificate=certificate, actor=request.user, reason=reason)
        messages.success(request, f"Đã thu hồi chứng nhận {certificate.code}.")
    return redirect("learning:staff_certificates")


@role_required(*MANAGES_RESIDENTS)
def external_courses(request):
    courses = external_courses_for_user(request.user).order_by("confirmed_at", "-declared_at")
    return render(request, "learning/staff/external_courses.html", {"courses": courses})


@require_POST
@role_required(*MANAGES_RESIDENTS)
def external_course_confirm_view(request, course_id: int):
    course = get_object_or_404(external_courses_for_user(request.user), pk=course_id)
    if course.confirmed_at is None:
        external_course_confirm(course=course, actor=request.user)
        messages.success(request, f"Đã xác nhận khóa học của {course.resident}.")
    return redirect("learning:staff_external_courses")
