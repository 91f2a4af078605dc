import uuid
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from accounts.access import residents_for_user
from accounts.models import STAFF_ROLES, User
from essays.models import Entry, EssayContest
from essays.services import MAX_PHOTOS, EssayRefused, photo_from_upload, video_provider

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
STALE_PAGE = "Trang này đã cũ. Hãy tải lại trang rồi gửi lại."


class ContestForm(forms.ModelForm):
    class Meta:
        model = EssayContest
        fields = [
            "title",
            "kind",
            "audience",
            "rules",
            "opens_at",
            "closes_at",
            "max_words",
            "voting_enabled",
            "voting_opens_at",
            "voting_closes_at",
        ]
        widgets = {
            "opens_at": DATETIME,
            "closes_at": DATETIME,
            "voting_opens_at": DATETIME,
            "voting_closes_at": DATETIME,
            "rules": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["max_words"].min_value = 50
        self.fields["max_words"].max_value = 10_000
        self.fields["max_words"].widget.attrs.update(min=50, max=10_000)

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "Hạn nộp bài phải sau ngày bắt đầu nhận bài.")
        if data.get("voting_enabled"):
            start, end = data.get("voting_opens_at"), data.get("voting_closes_at")
            if not start:
                self.add_error("voting_opens_at", "Có bình chọn thì cần ghi lúc bắt đầu.")
            if not end:
                self.add_error("voting_closes_at", "Có bình chọn thì cần ghi lúc kết thúc.")
            if start and end and end <= start:
                self.add_error("voting_closes_at", "Kết thúc bình chọn phải sau lúc bắt đầu.")
        return data


class CriterionForm(forms.Form):
    name = forms.CharField(label="Tiêu chí", max_length=120, required=False)
    description = forms.CharField(label="Mô tả", max_length=500, required=False)
    weight = forms.IntegerField(label="Trọng số (%)", min_value=1, max_value=100, required=False)
    max_points = forms.IntegerField(
        label="Điểm tối đa", min_value=1, max_value=100, required=False, initial=10
    )

    def clean(self):
        data = super().clean()
        if data.get("name") and not data.get("weight"):
            self.add_error("weight", "Hãy ghi trọng số.")
        if data.get("name") and not data.get("max_points"):
            self.add_error("max_points", "Hãy ghi điểm tối đa.")
        return data


CriterionFormSet = forms.formset_factory(CriterionForm, extra=0, max_num=8, absolute_max=8)


class JudgeForm(forms.Form):
    user = forms.ModelChoiceField(
        label="Thêm giám khảo",
        queryset=User.objects.none(),
        empty_label="— Chọn cán bộ —",
        error_messages={"invalid_choice": "Người này không phải cán bộ của xã."},
    )

    def __init__(self, *args, contest: EssayContest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = (
            User.objects.filter(commune_id=contest.commune_id, role__in=STAFF_ROLES, is_active=True)
            .exclude(essay_panels__contest=contest)
            .order_by("full_name", "username")
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        accept = {"accept": "image/jpeg,image/png,image/webp"}
        kwargs.setdefault("widget", MultipleFileInput(attrs=accept))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class EntryForm(forms.Form):
    title = forms.CharField(
        label="Tiêu đề bài",
        max_length=200,
        error_messages={"required": "Bài dự thi cần có tiêu đề."},
    )
    text = forms.CharField(
        label="Bài viết",
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=50_000,
        error_messages={"required": "Bài viết đang để trống. Hãy viết nội dung bài dự thi."},
    )
    video_url = forms.CharField(
        label="Đường link video (nếu có)",
        required=False,
        max_length=500,
        help_text="Không bắt buộc. Link YouTube, Facebook, Zalo hoặc TikTok.",
        widget=forms.TextInput(attrs={"inputmode": "url", "placeholder": "https://"}),
    )
    photos = MultipleFileField(
        label=f"Ảnh (tối đa {MAX_PHOTOS} ảnh)",
        required=False,
        help_text="Không bắt buộc. Ảnh JPG, PNG hoặc WebP; ảnh được thu nhỏ cho nhẹ.",
    )
    client_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, contest: EssayContest, **kwargs):
        super().__init__(*args, **kwargs)
        self.contest = contest
        self.fields["client_key"].initial = uuid.uuid4()
        self.fields["text"].help_text = f"Tối đa {contest.max_words} chữ."

    def clean(self):
        data = super().clean()
        if "client_key" in self.errors:
            self.add_error(None, STALE_PAGE)
        return data

    def clean_text(self):
        from essays.services import word_count

        text = self.cleaned_data["text"].replace("\x00", "").strip()
        words = word_count(text)
        if not words:
            raise ValidationError("Bài viết đang để trống. Hãy viết nội dung bài dự thi.")
        if words > self.contest.max_words:
            raise ValidationError(
                f"Bài viết dài {words} chữ, quá giới hạn {self.contest.max_words} chữ. "
                "Hãy viết ngắn lại."
            )
        return text

    def clean_video_url(self):
        url = self.cleaned_data["video_url"].strip()
        if url:
            try:
                video_provider(url)
            except EssayRefused as refusal:
                raise ValidationError(str(refusal)) from None
        return url

    def clean_photos(self):
        uploads = self.cleaned_data.get("photos") or []
        if len(uploads) > MAX_PHOTOS:
            raise ValidationError(
                f"Chỉ gửi được tối đa {MAX_PHOTOS} ảnh, bạn đã chọn {len(uploads)} ảnh."
            )
        converted = []
        for upload in uploads:
            try:
                converted.append(photo_from_upload(upload))
            except EssayRefused as refusal:
                raise ValidationError(str(refusal)) from None
        return converted


class AssistedEntryForm(EntryForm):
    resident = forms.ModelChoiceField(
        label="Người dân dự thi",
        queryset=None,
        empty_label="— Chọn người dân —",
        error_messages={
            "required": "Hãy chọn người dân.",
            "invalid_choice": "Người này không thuộc phạm vi bạn phụ trách.",
        },
    )
    field_order = ["resident"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = residents_for_user(user).order_by("name_folded")


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", "Duyệt"), ("reject", "Không duyệt")],
        error_messages={"required": "Hãy chọn duyệt hoặc không duyệt."},
    )
    note = forms.CharField(label="Lý do / ghi chú", max_length=500, required=False)


class ScoreForm(forms.Form):
    """One number field per criterion; built from the contest's rubric."""

    def __init__(self, *args, criteria, initial_points: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for c in self.criteria:
            self.fields[f"c{c.pk}"] = forms.DecimalField(
                label=f"{c.name} (0–{c.max_points} điểm, trọng số {c.weight}%)",
                help_text=c.description,
                min_value=Decimal(0),
                max_value=Decimal(c.max_points),
                max_digits=5,
                decimal_places=1,
                initial=initial_points.get(c.pk),
                error_messages={
                    "required": f"Hãy cho điểm “{c.name}”.",
                    "max_value": f"Điểm “{c.name}” tối đa là {c.max_points}.",
                    "min_value": f"Điểm “{c.name}” không được âm.",
                    "invalid": f"Điểm “{c.name}” phải là một số, ví dụ 7 hoặc 7.5.",
                    "max_decimal_places": f"Điểm “{c.name}” chỉ lấy một chữ số sau dấu phẩy.",
                },
                widget=forms.NumberInput(
                    attrs={"step": "0.5", "min": 0, "max": c.max_points, "inputmode": "decimal"}
                ),
            )

    def points(self) -> dict[int, Decimal]:
        return {c.pk: self.cleaned_data[f"c{c.pk}"] for c in self.criteria}


class PublishForm(forms.Form):
    nhat = forms.IntegerField(label="Giải Nhất", min_value=0, max_value=50, initial=1)
    nhi = forms.IntegerField(label="Giải Nhì", min_value=0, max_value=50, initial=1)
    ba = forms.IntegerField(label="Giải Ba", min_value=0, max_value=50, initial=1)
    kk = forms.IntegerField(label="Giải Khuyến khích", min_value=0, max_value=50, initial=2)

    def prizes(self) -> dict[str, int]:
        return {p: self.cleaned_data[p] for p in Entry.Prize.values}
