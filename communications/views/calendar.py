"""The event calendar: public pages and .ics for the commune and each hamlet; staff events."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import role_required
from communications import calendar
from lib.http import posted
from places.models import Hamlet
from places.selectors import public_commune

ICS_CACHE = "public, max-age=900"
DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%Y-%m-%dT%H:%M"]
DATETIME_ERROR = {"invalid": "Ghi ngày giờ theo mẫu 05/12/2026 19:30."}


class EventForm(forms.Form):
    title = forms.CharField(label="Tên sự kiện", max_length=200)
    hamlet = forms.ModelChoiceField(
        label="Xóm",
        queryset=Hamlet.objects.none(),
        required=False,
        empty_label="Cả xã (sự kiện chung)",
    )
    place = forms.CharField(label="Địa điểm", max_length=200, required=False)
    starts_at = forms.DateTimeField(
        label="Bắt đầu (ngày/tháng/năm giờ:phút)",
        input_formats=DATETIME_FORMATS,
        error_messages=DATETIME_ERROR,
        help_text="Ví dụ: 05/12/2026 19:30.",
    )
    ends_at = forms.DateTimeField(
        label="Kết thúc (nếu biết)",
        input_formats=DATETIME_FORMATS,
        error_messages=DATETIME_ERROR,
        required=False,
    )
    description = forms.CharField(
        label="Mô tả (câu đầu được đọc trong thông báo)",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, hamlets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = hamlets if hamlets is not None else Hamlet.objects.none()

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", "Giờ kết thúc phải sau giờ bắt đầu.")
        return data


def _no_commune(request):
    return render(request, "places/no_commune.html", status=503)


def _hamlet_or_404(commune, hamlet_id: int) -> Hamlet:
    hamlet = Hamlet.objects.filter(commune=commune, pk=hamlet_id).first()
    if hamlet is None:
        raise Http404("Không có xóm này.")
    return hamlet


def _page(request, commune, hamlet):
    return render(
        request,
        "communications/calendar/page.html",
        {
            "commune": commune,
            "hamlet": hamlet,
            "hamlets": list(Hamlet.objects.filter(commune=commune)),
            "items": calendar.calendar_items(commune, hamlet=hamlet),
        },
    )


def _ics(commune, hamlet, filename: str):
    name = f"Lịch sự kiện · {hamlet.name if hamlet else commune.name}"
    body = calendar.ics_calendar(calendar.ics_items(commune, hamlet=hamlet), name=name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = ICS_CACHE
    return response


@require_GET
def calendar_commune(request):
    commune = public_commune()
    if commune is None:
        return _no_commune(request)
    return _page(request, commune, None)


@require_GET
def calendar_hamlet(request, hamlet_id: int):
    commune = public_commune()
    if commune is None:
        return _no_commune(request)
    return _page(request, commune, _hamlet_or_404(commune, hamlet_id))


@require_GET
def calendar_ics(request):
    commune = public_commune()
    if commune is None:
        return _no_commune(request)
    return _ics(commune, None, "lich-su-kien.ics")


@require_GET
def calendar_hamlet_ics(request, hamlet_id: int):
    commune = public_commune()
    if commune is None:
        return _no_commune(request)
    return _ics(commune, _hamlet_or_404(commune, hamlet_id), f"lich-xom-{hamlet_id}.ics")


@require_http_methods(["GET", "POST"])
@role_required(*calendar.EDITORS)
def event_list(request):
    hamlets = Hamlet.objects.filter(commune_id=request.user.commune_id)
    form = EventForm(posted(request), hamlets=hamlets)
    if request.method == "POST" and form.is_valid():
        try:
            event = calendar.event_create(
                actor=request.user, commune=request.user.commune, data=form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã thêm sự kiện “{event.title}” vào lịch.")
            return redirect("communications:event_list")
    events = calendar.events_for_editor(request.user).order_by("-starts_at", "-id")[:200]
    return render(
        request, "communications/calendar/staff_events.html", {"form": form, "events": events}
    )


@require_POST
@role_required(*calendar.EDITORS)
def event_delete(request, event_id: int):
    event = calendar.get_event_for_editor(request.user, event_id)
    calendar.event_delete(actor=request.user, event=event)
    messages.success(request, f"Đã xóa sự kiện “{event.title}”.")
    return redirect("communications:event_list")
