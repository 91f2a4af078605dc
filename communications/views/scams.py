"""Scam reports (residents, visitors, volunteers for a resident), review and public warnings."""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import get_resident_for_user, residents_for_user, role_required
from accounts.models import Role
from communications.models import ScamReport
from communications.scams import (
    CONTENT_MAX_CHARS,
    EMPTY_CONTENT,
    FUTURE_DATE,
    LONG_CONTENT,
    REPORTERS_FOR_OTHERS,
    REVIEWERS,
    get_published_alert,
    get_report_for_user,
    published_alerts,
    reports_for_user,
    scam_alert_publish,
    scam_photo_from_upload,
    scam_report_create,
    scam_report_dismiss,
)
from lib.forms import ModelMultipleChoiceField
from lib.http import posted
from places.selectors import public_commune

# Date and file inputs are not styled by site.css; big enough to tap with a thumb.
BIG = "font-size:1.15rem;min-height:48px;padding:.4rem;max-width:100%;box-sizing:border-box"

# -- Forms -------------------------------------------------------------------------------------


class ScamReportForm(forms.Form):
    channel = forms.ChoiceField(
        label="Bác nhận được qua đâu?",
        choices=ScamReport.Channel.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Hãy chọn bác nhận được qua đâu.",
            "invalid_choice": "Hãy chọn một trong các cách nhận ở trên.",
        },
    )
    content = forms.CharField(
        label="Tin nhắn hoặc người gọi nói gì?",
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                "maxlength": CONTENT_MAX_CHARS,
                "placeholder": "Ví dụ: Có người xưng là công an gọi, bảo tôi chuyển tiền…",
            }
        ),
        help_text="Ghi cả số điện thoại hoặc đường link lạ nếu có.",
        error_messages={"required": EMPTY_CONTENT},
    )
    received_on = forms.DateField(
        label="Bác nhận được ngày nào?",
        widget=forms.DateInput(attrs={"type": "date", "style": BIG}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": "Hãy chọn ngày bác nhận được.",
            "invalid": "Ngày chưa đúng. Hãy chọn lại ngày.",
        },
    )
    photo = forms.FileField(
        label="Ảnh chụp màn hình (nếu có)",
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp", "style": BIG}
        ),
        help_text="Không bắt buộc. Ảnh JPG, PNG hoặc WebP.",
    )
    client_key = forms.UUIDField(widget=forms.HiddenInput)

    STALE_PAGE = "Trang này đã cũ. Hãy tải lại trang rồi gửi lại."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["client_key"].initial = uuid.uuid4()

    def clean(self):
        cleaned = super().clean()
        if "client_key" in self.errors:
            self.add_error(None, self.STALE_PAGE)
        return cleaned

    def clean_content(self):
        content = self.cleaned_data["content"].replace("\x00", "").strip()
        if not content:
            raise ValidationError(EMPTY_CONTENT)
        if len(content) > CONTENT_MAX_CHARS:
            raise ValidationError(LONG_CONTENT)
        return content

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError(FUTURE_DATE)
        return day

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        return scam_photo_from_upload(upload)  # ValidationError becomes the field's error


class AssistedScamReportForm(ScamReportForm):
    resident = forms.ModelChoiceField(
        label="Người dân nhận được tin",
        queryset=None,
        empty_label="— Chọn người dân —",
        error_messages={
            "required": "Hãy chọn người dân.",
            "invalid_choice": "Người này không thuộc xóm bác phụ trách.",
        },
    )
    field_order = ["resident"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents_for_user(user).order_by("full_name", "id")
        self.fields["resident"].label_from_instance = lambda r: (
            f"{r.full_name} ({r.birth_year}, {r.hamlet.name})"
        )
        self.order_fields(["resident"])


class ScamAlertForm(forms.Form):
    title = forms.CharField(
        label="Tiêu đề cảnh báo",
        max_length=200,
        error_messages={
            "required": "Hãy viết tiêu đề.",
            "max_length": "Tiêu đề tối đa 200 chữ cái.",
        },
    )
    body = forms.CharField(
        label="Nội dung cảnh báo",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20_000,
        help_text=(
            "Viết lời dặn của xã bằng lời của bạn. Không chép tên, số điện thoại "
            "hay ảnh của người báo."
        ),
        error_messages={
            "required": "Hãy viết nội dung cảnh báo.",
            "max_length": "Nội dung tối đa 20.000 chữ cái.",
        },
    )
    reports = ModelMultipleChoiceField(
        label="Phản ánh liên quan",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "Có phản ánh không còn trong danh sách. Hãy chọn lại.",
            "invalid_pk_value": "Có phản ánh không còn trong danh sách. Hãy chọn lại.",
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].queryset = reports_for_user(user)
        self.fields["reports"].label_from_instance = lambda r: (
            f"{r.get_channel_display()} · {r.received_on:%d/%m/%Y} · {r.content[:80]}"
        )


# -- Reporting ---------------------------------------------------------------------------------


def _reporting_commune(request):
    user = request.user
    if user.is_authenticated and user.role != Role.PROVINCE and user.commune_id:
        return user.commune
    return public_commune()


@require_http_methods(["GET", "POST"])
def report(request):
    """Anyone may report: a resident (linked to them), staff, or an anonymous visitor (unlinked)."""
    commune = _reporting_commune(request)
    if commune is None:
        return render(request, "places/no_commune.html", status=503)
    user = request.user
    form = ScamReportForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        resident = getattr(user, "resident", None) if getattr(user, "is_resident", False) else None
        data = form.cleaned_data
        scam_report_create(
            commune=commune,
            channel=data["channel"],
            content=data["content"],
            received_on=data["received_on"],
            photo=data["photo"],
            client_key=data["client_key"],
            resident=resident,
            actor=user if user.is_authenticated else None,
        )
        return redirect("communications:scam_thanks")
    return render(request, "communications/scams/report_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@role_required(*REPORTERS_FOR_OTHERS)
def report_assist(request):
    """A volunteer (or coordinator) files a report for a resident in their scope."""
    user = request.user
    initial = {}
    if request.method == "GET" and (rid := request.GET.get("nguoi_dan", "")):
        if not rid.isdigit() or len(rid) > 12:
            raise Http404
        initial["resident"] = get_resident_for_user(user, int(rid))
    form = AssistedScamReportForm(
        posted(request), request.FILES or None, user=user, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        resident = data["resident"]
        scam_report_create(
            commune=resident.commune,
            channel=data["channel"],
            content=data["content"],
            received_on=data["received_on"],
            photo=data["photo"],
            client_key=data["client_key"],
            resident=resident,
            actor=user,
        )
        messages.success(request, f"Đã ghi phản ánh giúp {resident.full_name}. Cảm ơn bạn.")
        return redirect("communications:scam_thanks")
    return render(
        request, "communications/scams/report_form.html", {"form": form, "assisted": True}
    )


def thanks(request):
    return render(request, "communications/scams/thanks.html")


# -- Review (coordinator, admin) ---------------------------------------------------------------


@role_required(*REVIEWERS)
def review(request):
    user = request.user
    page = Paginator(reports_for_user(user), 30).get_page(request.GET.get("trang"))
    return render(
        request,
        "communications/scams/review.html",
        {
            "page": page,
            "alert_form": ScamAlertForm(user=user),
            "new_count": reports_for_user(user).filter(status=ScamReport.Status.NEW).count(),
            "alerts": published_alerts(user.commune)[:5],
        },
    )


@require_POST
@role_required(*REVIEWERS)
def dismiss(request, report_id: int):
    report = get_report_for_user(request.user, report_id)
    scam_report_dismiss(actor=request.user, report=report)
    messages.success(request, "Đã đánh dấu: không phải lừa đảo.")
    return redirect("communications:scam_review")


@role_required(*REVIEWERS)
def report_photo(request, report_id: int):
    report = get_report_for_user(request.user, report_id)
    if not report.photo:
        raise Http404
    response = HttpResponse(bytes(report.photo), content_type="image/webp")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
@role_required(*REVIEWERS)
def alert_create(request):
    user = request.user
    initial = {}
    if request.method == "GET":
        ids = [i for i in request.GET.getlist("reports") if i.isdigit() and len(i) < 12]
        initial["reports"] = list(reports_for_user(user).filter(pk__in=ids))
    form = ScamAlertForm(posted(request), user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            alert = scam_alert_publish(
                actor=user,
                commune=user.commune,
                title=data["title"],
                body=data["body"],
                reports=data["reports"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã đăng cảnh báo “{alert.title}” lên trang của xã.")
            return redirect("communications:scam_alert", alert_id=alert.pk)
    return render(request, "communications/scams/alert_form.html", {"form": form})


# -- Public warnings ---------------------------------------------------------------------------


def alert_list(request):
    commune = _reporting_commune(request)
    page = Paginator(published_alerts(commune), 20).get_page(request.GET.get("trang"))
    return render(request, "communications/scams/alert_list.html", {"page": page})


def alert_detail(request, alert_id: int):
    alert = get_published_alert(_reporting_commune(request), alert_id)
    return render(request, "communications/scams/alert_detail.html", {"alert": alert})
