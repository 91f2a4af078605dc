"""Pa-nô, áp phích, băng rôn: the slogan library, printable posters, where they were put up.

Admin and coordinator manage slogans and posters; officers and volunteers record placements
(volunteers in their hamlet); the leader reads everything of the commune.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import hamlets_for_user, role_required
from communications.models import Poster, PosterPlacement
from communications.posters import (
    PLACEMENT_RECORDERS,
    POSTER_EDITORS,
    POSTER_VIEWERS,
    SLOGAN_MAX,
    get_poster_for_user,
    get_slogan_for_user,
    placement_record,
    placements_for_poster,
    poster_caption,
    poster_create,
    poster_render,
    posters_for_user,
    slogan_create,
    slogan_deactivate,
    slogan_update,
    slogans_ensure_defaults,
    slogans_for_user,
)
from lib.http import posted

DATE_INPUTS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"]


class SloganForm(forms.Form):
    text = forms.CharField(
        label="Khẩu hiệu",
        max_length=SLOGAN_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Ngắn, dễ nhớ, dễ đọc to; tối đa 200 ký tự.",
        error_messages={
            "required": "Hãy nhập khẩu hiệu.",
            "max_length": "Khẩu hiệu dài quá: tối đa %(limit_value)d ký tự.",
        },
    )


class SloganEditForm(SloganForm):
    active = forms.BooleanField(label="Đang dùng", required=False)


class PosterForm(forms.Form):
    slogan = forms.ModelChoiceField(
        label="Khẩu hiệu",
        queryset=None,
        empty_label="— Chọn khẩu hiệu —",
        error_messages={
            "required": "Hãy chọn khẩu hiệu.",
            "invalid_choice": "Khẩu hiệu này không có trong thư viện của xã.",
        },
    )
    format = forms.ChoiceField(
        label="Khổ in",
        choices=Poster.Format.choices,
        initial=Poster.Format.A4,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Hãy chọn khổ in.",
            "invalid_choice": "Khổ in không đúng: hãy chọn A4, A3 hoặc băng rôn.",
        },
    )
    subtitle = forms.CharField(
        label="Dòng phụ (nếu có)",
        max_length=Poster._meta.get_field("subtitle").max_length,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: Tối thứ Bảy, 19 giờ, nhà văn hóa"}),
        error_messages={"max_length": "Dòng phụ dài quá: tối đa %(limit_value)d ký tự."},
    )
    qr_url = forms.CharField(
        label="Mã QR dẫn tới",
        max_length=Poster._meta.get_field("qr_url").max_length,
        help_text="Đường link một bài học, một cuộc thi hoặc trang của xã (bắt đầu bằng https://).",
        error_messages={"required": "Hãy nhập đường link cho mã QR."},
    )

    def __init__(self, *args, slogans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slogan"].queryset = slogans


class PlacementForm(forms.Form):
    place = forms.ChoiceField(
        label="Nơi treo",
        choices=[("", "— Chọn nơi treo —"), *PosterPlacement.Place.choices],
        error_messages={
            "required": "Hãy chọn nơi treo.",
            "invalid_choice": "Hãy chọn nơi treo trong danh sách.",
        },
    )
    hamlet = forms.ModelChoiceField(
        label="Xóm",
        queryset=None,
        required=False,
        empty_label="— Chung của xã —",
        error_messages={"invalid_choice": "Xóm này không thuộc phạm vi của bạn."},
    )
    note = forms.CharField(
        label="Ghi chú",
        max_length=PosterPlacement._meta.get_field("note").max_length,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: cổng trường, bảng tin"}),
    )
    put_up_on = forms.DateField(
        label="Ngày treo",
        initial=timezone.localdate,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "ngày/tháng/năm"}),
        error_messages={
            "required": "Hãy nhập ngày treo.",
            "invalid": "Hãy nhập ngày theo mẫu ngày/tháng/năm, ví dụ 25/03/2025.",
        },
    )

    def __init__(self, *args, hamlets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = hamlets


def _public_url(request) -> str:
    return request.build_absolute_uri(reverse("places:home"))


@role_required(*POSTER_VIEWERS)
def poster_list(request):
    user = request.user
    return render(
        request,
        "communications/posters/list.html",
        {"posters": posters_for_user(user), "can_edit": user.role in POSTER_EDITORS},
    )


@require_http_methods(["GET", "POST"])
@role_required(*POSTER_EDITORS)
def poster_create_view(request):
    user = request.user
    slogans = slogans_for_user(user).filter(active=True)
    initial = {"qr_url": _public_url(request)}
    if request.GET.get("khau-hieu", "").isdigit():
        initial["slogan"] = request.GET["khau-hieu"]
    form = PosterForm(posted(request), initial=initial, slogans=slogans)
    if request.method == "POST" and form.is_valid():
        try:
            poster = poster_create(actor=user, commune=user.commune, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã tạo áp phích. Bấm “Tải PDF” để in.")
            return redirect("communications:poster_detail", poster_id=poster.pk)
    return render(request, "communications/posters/poster_form.html", {"form": form})


@role_required(*POSTER_VIEWERS)
def poster_detail(request, poster_id: int):
    user = request.user
    poster = get_poster_for_user(user, poster_id)
    return render(
        request,
        "communications/posters/detail.html",
        {
            "poster": poster,
            "placements": placements_for_poster(poster),
            "can_record": user.role in PLACEMENT_RECORDERS,
        },
    )


@role_required(*POSTER_VIEWERS)
def poster_download(request, poster_id: int):
    poster = get_poster_for_user(request.user, poster_id)
    response = HttpResponse(
        poster_render(poster, caption=poster_caption(poster.qr_url)),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="ap-phich-{poster.pk}-{poster.format}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@role_required(*PLACEMENT_RECORDERS)
def poster_placement_create(request, poster_id: int):
    user = request.user
    poster = get_poster_for_user(user, poster_id)
    hamlets = hamlets_for_user(user)
    initial = {"hamlet": hamlets.first()} if hamlets.count() == 1 else {}
    form = PlacementForm(posted(request), initial=initial, hamlets=hamlets)
    if request.method == "POST" and form.is_valid():
        try:
            placement_record(actor=user, poster=poster, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã ghi nơi treo.")
            return redirect("communications:poster_detail", poster_id=poster.pk)
    return render(
        request, "communications/posters/placement_form.html", {"form": form, "poster": poster}
    )


@role_required(*POSTER_VIEWERS)
def slogan_list(request):
    user = request.user
    return render(
        request,
        "communications/posters/slogans.html",
        {"slogans": slogans_for_user(user), "can_edit": user.role in POSTER_EDITORS},
    )


@require_http_methods(["GET", "POST"])
@role_required(*POSTER_EDITORS)
def slogan_create_view(request):
    user = request.user
    form = SloganForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            slogan_create(actor=user, commune=user.commune, text=form.cleaned_data["text"])
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            messages.success(request, "Đã thêm khẩu hiệu.")
            return redirect("communications:slogan_list")
    return render(
        request, "communications/posters/slogan_form.html", {"form": form, "slogan": None}
    )


@require_http_methods(["GET", "POST"])
@role_required(*POSTER_EDITORS)
def slogan_edit(request, slogan_id: int):
    user = request.user
    slogan = get_slogan_for_user(user, slogan_id)
    form = SloganEditForm(posted(request), initial={"text": slogan.text, "active": slogan.active})
    if request.method == "POST" and form.is_valid():
        try:
            slogan_update(actor=user, slogan=slogan, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            messages.success(request, "Đã lưu khẩu hiệu.")
            return redirect("communications:slogan_list")
    return render(
        request, "communications/posters/slogan_form.html", {"form": form, "slogan": slogan}
    )


@require_POST
@role_required(*POSTER_EDITORS)
def slogan_deactivate_view(request, slogan_id: int):
    slogan = get_slogan_for_user(request.user, slogan_id)
    slogan_deactivate(actor=request.user, slogan=slogan)
    messages.success(request, "Đã ngừng dùng khẩu hiệu; áp phích đã in vẫn giữ nguyên.")
    return redirect("communications:slogan_list")


@require_POST
@role_required(*POSTER_EDITORS)
def slogan_defaults(request):
    added = slogans_ensure_defaults(request.user.commune)
    if added:
        messages.success(request, f"Đã thêm {added} khẩu hiệu mẫu.")
    else:
        messages.success(request, "Thư viện đã có đủ khẩu hiệu mẫu.")
    return redirect("communications:slogan_list")
