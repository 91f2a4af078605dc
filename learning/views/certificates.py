"""Certificates: the resident's own list and PDF, the public QR verification page,
and courses finished on the national platform."""

import re

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.access import role_required
from accounts.models import Purpose, Role
from accounts.selectors import granted_purposes
from learning.certificate_pdf import certificate_pdf
from learning.content import TOPICS
from learning.models import Attempt, Certificate
from learning.selectors import certificates_of
from learning.services import external_course_declare
from lib.http import posted


class ExternalCourseForm(forms.Form):
    title = forms.CharField(label="Tên khóa học trên nền tảng Bình dân học vụ số", max_length=200)
    completed_on = forms.DateField(
        label="Ngày hoàn thành (ngày/tháng/năm)",
        widget=forms.DateInput(attrs={"placeholder": "ví dụ 20/10/2026", "inputmode": "numeric"}),
    )

    def clean_completed_on(self):
        day = self.cleaned_data["completed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("Ngày hoàn thành không thể ở tương lai.")
        return day


@require_http_methods(["GET", "POST"])
@role_required(Role.RESIDENT)
def my_certificates(request):
    resident = request.user.resident
    form = ExternalCourseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        external_course_declare(resident=resident, **form.cleaned_data)
        messages.success(request, "Đã ghi nhận. Tổ công nghệ số cộng đồng sẽ xác nhận giúp bác.")
        return redirect("learning:my_certificates")
    return render(
        request,
        "learning/my_certificates.html",
        {
            "certificates": certificates_of(resident),
            "courses": resident.external_courses.order_by("-completed_on"),
            "form": form,
            "has_consent": Purpose.LEARNING in granted_purposes(resident),
        },
    )


def _pdf_response(request, certificate: Certificate) -> HttpResponse:
    resident = certificate.resident
    titles = list(
        Attempt.objects.filter(resident=resident, passed=True, lesson__topic=certificate.topic)
        .order_by("lesson__order")
        .values_list("lesson__title", flat=True)
        .distinct()
    )
    pdf = certificate_pdf(
        full_name=resident.full_name,
        topic_title=TOPICS[certificate.topic],
        commune_name=resident.commune.name,
        province_name=resident.commune.province_name,
        issued_on=timezone.localtime(certificate.issued_at).date(),
        verify_url=request.build_absolute_uri(reverse("learning:verify", args=[certificate.code])),
        code=certificate.code,
        lesson_titles=titles,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="chung-nhan-{certificate.code}.pdf"'
    return response


@role_required(Role.RESIDENT)
def my_certificate_pdf(request, code: str):
    certificate = get_object_or_404(
        Certificate, code=code, resident=request.user.resident, revoked_at__isnull=True
    )
    return _pdf_response(request, certificate)


def verify(request, code: str):
    """Public: anyone scanning the QR sees whether the certificate is genuine.

    The holder's name shows only if they agreed to show it publicly.
    """
    code = code.strip().upper()
    certificate = (
        Certificate.objects.select_related("resident", "resident__commune")
        .filter(code=code)
        .first()
        if re.fullmatch(r"[A-Z0-9]{1,16}", code)
        else None
    )
    if certificate is None or certificate.resident.anonymised_at is not None:
        return render(request, "learning/verify.html", {"certificate": None}, status=404)
    show_name = Purpose.PUBLIC_NAME in granted_purposes(certificate.resident)
    return render(
        request,
        "learning/verify.html",
        {"certificate": certificate, "show_name": show_name},
    )
