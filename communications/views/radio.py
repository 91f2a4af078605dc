"""Loudspeaker radio pages for staff: bulletins, their audio, the broadcast log, themes.

Admin and coordinator write; the leader reads. Bulletins are fetched only through
get_bulletin_for_user, so another commune's id answers 404.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import hamlets_for_user, role_required
from communications import radio
from communications.models import Bulletin
from communications.speech_vi import for_speech
from lib.forms import ModelMultipleChoiceField
from lib.http import posted

SCRIPT_HELP = (
    "Viết để nghe: câu ngắn, không bảng biểu, không đọc đường link. Số, ngày, giờ và chữ viết "
    "tắt (UBND, 10/12, 19h30) được máy đọc đúng tiếng Việt."
)


class ItemsForm(forms.Form):
    title = forms.CharField(label="Tên bản tin", max_length=200)
    theme = forms.ModelChoiceField(label="Chuyên đề quý", queryset=None, required=False)
    announcements = ModelMultipleChoiceField(
        label="Thông báo", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    sessions = forms.BooleanField(label="Lịch hướng dẫn 7 ngày tới", required=False)
    lesson = forms.ModelChoiceField(
        label="Kỹ năng của tuần (bài học)", queryset=None, required=False
    )
    scam_alert = forms.ModelChoiceField(label="Cảnh báo lừa đảo", queryset=None, required=False)
    story = forms.ModelChoiceField(label="Gương điển hình", queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = radio.item_choices(user.commune)
        self.fields["theme"].queryset = radio.themes_for_user(user)
        self.fields["announcements"].queryset = choices["announcements"].model.objects.filter(
            pk__in=[a.pk for a in choices["announcements"]]
        )
        self.fields["lesson"].queryset = choices["lessons"]
        self.fields["scam_alert"].queryset = choices["scam_alerts"].model.objects.filter(
            pk__in=[a.pk for a in choices["scam_alerts"]]
        )
        self.fields["story"].queryset = choices["stories"].model.objects.filter(
            pk__in=[a.pk for a in choices["stories"]]
        )


class BulletinForm(forms.Form):
    title = forms.CharField(label="Tên bản tin", max_length=200)
    theme = forms.ModelChoiceField(label="Chuyên đề quý", queryset=None, required=False)
    script = forms.CharField(
        label="Lời đọc", widget=forms.Textarea(attrs={"rows": 18}), help_text=SCRIPT_HELP
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = radio.themes_for_user(user)


class UploadForm(forms.Form):
    recording = forms.FileField(
        label="Bản ghi âm (MP3, WAV, OGG hoặc M4A, tối đa 20 MB)",
        error_messages={"required": "Hãy chọn tệp ghi âm.", "empty": "Tệp ghi âm rỗng."},
    )


class BroadcastForm(forms.Form):
    aired_at = forms.DateTimeField(
        label="Phát lúc",
        input_formats=["%d/%m/%Y %H:%M", "%d/%m/%Y %Hh%M", "%Y-%m-%dT%H:%M"],
        widget=forms.DateTimeInput(
            format="%d/%m/%Y %H:%M", attrs={"placeholder": "ngày/tháng/năm giờ:phút"}
        ),
        error_messages={"invalid": "Hãy nhập theo mẫu 10/12/2025 06:30."},
    )
    hamlets = ModelMultipleChoiceField(
        label="Cụm loa của các xóm",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Hãy chọn ít nhất một xóm có cụm loa đã phát."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlets"].queryset = hamlets_for_user(user).order_by("name")


class ThemeForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=2020, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="Quý", coerce=int, choices=[(q, f"Quý {q}") for q in (1, 2, 3, 4)]
    )
    title = forms.CharField(label="Chuyên đề", max_length=200)
    description = forms.CharField(label="Nội dung chính", widget=forms.Textarea, required=False)


def _can_edit(user) -> bool:
    return user.role in radio.RADIO_EDITORS


@role_required(*radio.RADIO_VIEWERS)
def radio_bulletin_list(request):
    user = request.user
    return render(
        request,
        "communications/radio/list.html",
        {
            "bulletins": radio.bulletins_for_user(user)[:100],
            "themes": radio.themes_for_user(user)[:12],
            "can_edit": _can_edit(user),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*radio.RADIO_EDITORS)
def radio_bulletin_create(request):
    user = request.user
    form = ItemsForm(posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        items = radio.BulletinItems(
            announcements=list(data["announcements"]),
            sessions=data["sessions"],
            lesson=data["lesson"],
            scam_alert=data["scam_alert"],
            story=data["story"],
        )
        try:
            bulletin = radio.bulletin_save(
                actor=user,
                commune=user.commune,
                title=data["title"],
                theme=data["theme"],
                script=radio.bulletin_draft(user.commune, items),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã soạn bản nháp lời đọc. Hãy đọc lại và sửa cho hợp.")
            return redirect("communications:radio_bulletin_edit", bulletin_id=bulletin.pk)
    return render(request, "communications/radio/create.html", {"form": form})


@role_required(*radio.RADIO_VIEWERS)
def radio_bulletin_detail(request, bulletin_id: int):
    user = request.user
    bulletin = radio.get_bulletin_for_user(user, bulletin_id)
    return render(
        request,
        "communications/radio/detail.html",
        {
            "bulletin": bulletin,
            "spoken": for_speech(bulletin.script),
            "broadcasts": bulletin.broadcasts.prefetch_related("hamlets"),
            "now": timezone.now(),
            "can_edit": _can_edit(user),
            "upload_form": UploadForm(),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*radio.RADIO_EDITORS)
def radio_bulletin_edit(request, bulletin_id: int):
    user = request.user
    bulletin = radio.get_bulletin_for_user(user, bulletin_id)
    initial = {"title": bulletin.title, "theme": bulletin.theme, "script": bulletin.script}
    form = BulletinForm(posted(request), initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            radio.bulletin_edit(actor=user, bulletin=bulletin, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("script", exc)
        else:
            messages.success(request, "Đã lưu lời đọc. Bấm “Tạo bản đọc” để có âm thanh mới.")
            return redirect("communications:radio_bulletin_detail", bulletin_id=bulletin.pk)
    return render(request, "communications/radio/edit.html", {"form": form, "bulletin": bulletin})


@require_POST
@role_required(*radio.RADIO_EDITORS)
def radio_bulletin_audio_request(request, bulletin_id: int):
    bulletin = radio.get_bulletin_for_user(request.user, bulletin_id)
    try:
        radio.bulletin_audio_request(actor=request.user, bulletin=bulletin)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Đang tạo bản đọc. Tải lại trang sau ít phút.")
    return redirect("communications:radio_bulletin_detail", bulletin_id=bulletin.pk)


@role_required(*radio.RADIO_VIEWERS)
def radio_bulletin_audio(request, bulletin_id: int):
    bulletin = radio.get_bulletin_for_user(request.user, bulletin_id)
    if bulletin.audio_status != Bulletin.AudioStatus.READY or not bulletin.audio:
        return HttpResponse("Bản tin chưa có âm thanh.", status=404, content_type="text/plain")
    extension = {"audio/wav": "wav", "audio/ogg": "ogg", "audio/mp4": "m4a"}.get(
        bulletin.audio_type, "mp3"
    )
    response = HttpResponse(bytes(bulletin.audio), content_type=bulletin.audio_type)
    response["Content-Disposition"] = f'inline; filename="ban-tin-{bulletin.pk}.{extension}"'
    response["Cache-Control"] = "private, no-cache"
    return response


@require_http_methods(["GET", "POST"])
@role_required(*radio.RADIO_EDITORS)
def radio_bulletin_upload(request, bulletin_id: int):
    user = request.user
    bulletin = radio.get_bulletin_for_user(user, bulletin_id)
    form = UploadForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["recording"]
        if upload.size > radio.MAX_UPLOAD_BYTES:
            form.add_error("recording", "Tệp ghi âm quá giới hạn 20 MB.")
        else:
            try:
                radio.bulletin_upload_recording(actor=user, bulletin=bulletin, data=upload.read())
            except ValidationError as exc:
                form.add_error("recording", exc)
            else:
                messages.success(request, "Đã thay bằng bản ghi âm tải lên.")
                return redirect("communications:radio_bulletin_detail", bulletin_id=bulletin.pk)
    return render(
        request,
        "communications/radio/upload.html",
        {"form": form, "bulletin": bulletin},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@role_required(*radio.RADIO_EDITORS)
def radio_broadcast_record(request, bulletin_id: int):
    user = request.user
    bulletin = radio.get_bulletin_for_user(user, bulletin_id)
    initial = {"aired_at": timezone.localtime().replace(second=0, microsecond=0)}
    form = BroadcastForm(posted(request), initial=initial, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            radio.broadcast_record(actor=user, bulletin=bulletin, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã ghi nhật ký phát thanh.")
            return redirect("communications:radio_bulletin_detail", bulletin_id=bulletin.pk)
    return render(
        request, "communications/radio/broadcast.html", {"form": form, "bulletin": bulletin}
    )


@role_required(*radio.RADIO_VIEWERS)
def radio_broadcast_log(request):
    user = request.user
    year = timezone.localdate().year
    counts = radio.broadcast_counts_by_month(user.commune, year=year)
    return render(
        request,
        "communications/radio/log.html",
        {
            "broadcasts": radio.broadcasts_for_user(user)[:200],
            "now": timezone.now(),
            "year": year,
            "counts": sorted(counts.items()),
            "total": sum(counts.values()),
        },
    )


@require_http_methods(["GET", "POST"])
@role_required(*radio.RADIO_EDITORS)
def radio_theme_create(request):
    user = request.user
    today = timezone.localdate()
    initial = {"year": today.year, "quarter": (today.month - 1) // 3 + 1}
    form = ThemeForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        radio.radio_theme_save(actor=user, commune=user.commune, **form.cleaned_data)
        messages.success(request, "Đã thêm chuyên đề.")
        return redirect("communications:radio_bulletin_list")
    return render(request, "communications/radio/theme_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@role_required(*radio.RADIO_EDITORS)
def radio_theme_edit(request, theme_id: int):
    user = request.user
    theme = radio.get_theme_for_editor(user, theme_id)
    initial = {
        "year": theme.year,
        "quarter": theme.quarter,
        "title": theme.title,
        "description": theme.description,
    }
    form = ThemeForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        radio.radio_theme_update(actor=user, theme=theme, **form.cleaned_data)
        messages.success(request, f"Đã lưu chuyên đề “{theme.title}”.")
        return redirect("communications:radio_bulletin_list")
    return render(request, "communications/radio/theme_form.html", {"form": form, "theme": theme})
