"""Buổi tuyên truyền, hướng dẫn: staff pages to plan and record sessions, and the public
schedule residents see without logging in (no trainers, no attendee names).

Create and edit: admin and coordinator (the commune), officers (their organisation's
sessions), volunteers (their hamlet's). Leaders read. Every session comes through
outreach.teams.get_session_for_user, so a forged id answers 404.
"""

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import hamlets_for_user, organisations_for_user, role_required
from accounts.models import Role, User
from lib.forms import ModelMultipleChoiceField
from lib.http import posted
from outreach.models import Session
from outreach.teams import (
    AUDIENCES,
    MAX_PHOTOS,
    SESSION_EDITORS,
    SESSION_VIEWERS,
    audience_labels,
    get_photo_for_user,
    get_session_for_user,
    lessons_for_sessions,
    public_held_count,
    public_schedule,
    session_create,
    session_list_for_user,
    session_photo_add,
    session_photo_delete,
    session_photos,
    session_topics,
    session_update,
)
from places.models import Hamlet, Organisation
from places.selectors import public_commune

DATETIME_INPUTS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %Hh%M", "%d/%m/%Y %Hh", "%d-%m-%Y %H:%M"]
PAGE_SIZE = 30
TEXT_MAX = 5000


def _count(label: str) -> forms.IntegerField:
    message = f"{label}: hãy nhập một số từ 0 đến 10.000."
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10_000,
        initial=0,
        error_messages=dict.fromkeys(["invalid", "min_value", "max_value", "required"], message),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )


def _text(label: str, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        **kwargs,
    )


class SessionForm(forms.Form):
    kind = forms.ChoiceField(
        label="Hình thức",
        choices=Session.Kind.choices,
        initial=Session.Kind.CULTURAL_HOUSE,
        widget=forms.RadioSelect,
        error_messages={"required": "Hãy chọn hình thức của buổi."},
    )
    hamlet = forms.ModelChoiceField(
        label="Xóm",
        queryset=None,
        empty_label="— Chọn xóm —",
        error_messages={
            "required": "Hãy chọn xóm.",
            "invalid_choice": "Bạn không phụ trách xóm này.",
        },
    )
    place = forms.CharField(
        label="Địa điểm",
        max_length=Session._meta.get_field("place").max_length,
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: Nhà văn hóa xóm"}),
        error_messages={"required": "Hãy nhập địa điểm."},
    )
    starts_at = forms.DateTimeField(
        label="Ngày giờ bắt đầu",
        input_formats=DATETIME_INPUTS,
        widget=forms.DateTimeInput(
            format="%d/%m/%Y %H:%M", attrs={"placeholder": "ngày/tháng/năm giờ:phút"}
        ),
        help_text="Ví dụ: 05/12/2026 19:30",
        error_messages={
            "required": "Hãy nhập ngày giờ bắt đầu.",
            "invalid": "Hãy nhập ngày giờ theo mẫu 05/12/2026 19:30 (ngày/tháng/năm giờ:phút).",
        },
    )
    organiser = forms.ModelChoiceField(
        label="Đơn vị tổ chức",
        queryset=None,
        required=False,
        empty_label="— Tổ công nghệ số cộng đồng của xóm —",
        error_messages={
            "required": "Hãy chọn đơn vị tổ chức.",
            "invalid_choice": "Đơn vị này không thuộc phạm vi của bạn.",
        },
    )
    trainers = forms.CharField(
        label="Người hướng dẫn",
        max_length=Session._meta.get_field("trainers").max_length,
        required=False,
        help_text="Tên hoặc chức danh, cách nhau bằng dấu phẩy.",
    )
    topics = ModelMultipleChoiceField(
        label="Nội dung (bài học)",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Có bài học không thuộc xã của bạn."},
    )
    audience = forms.MultipleChoiceField(
        label="Đối tượng",
        choices=list(AUDIENCES.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Đối tượng không hợp lệ."},
    )
    planned_participants = _count("Số người dự kiến")
    extra_participants = _count("Người dự không điểm danh theo tên")
    minutes = _text("Biên bản ngắn", help_text="Đã làm gì, kết quả ra sao.")
    questions_raised = _text("Câu hỏi của bà con")
    is_public = forms.BooleanField(
        label="Công khai lịch cho người dân xem", required=False, initial=True
    )

    # What is known when planning comes first; what happens at the session comes last.
    field_order = [
        "kind",
        "hamlet",
        "place",
        "starts_at",
        "organiser",
        "trainers",
        "audience",
        "planned_participants",
        "is_public",
        "topics",
        "extra_participants",
        "minutes",
        "questions_raised",
    ]

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = hamlets_for_user(user)
        if user.role == Role.VOLUNTEER:
            self.fields["hamlet"].initial = user.hamlet_id
        organiser = self.fields["organiser"]
        if user.role == Role.OFFICER:
            # An officer plans their own organisation's sessions, and only those.
            organiser.queryset = organisations_for_user(user)
            organiser.required = True
            organiser.empty_label = None
            organiser.initial = user.organisation_id
        else:
            organiser.queryset = Organisation.objects.filter(commune_id=user.commune_id)
        topics = self.fields["topics"]
        topics.queryset = lessons_for_sessions(user.commune_id)
        topics.label_from_instance = lambda lesson: lesson.title

    def clean_place(self):
        return " ".join(self.cleaned_data["place"].split())

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        year = timezone.localtime(value).year
        this_year = timezone.localdate().year
        if not this_year - 5 <= year <= this_year + 2:
            raise ValidationError(
                f"Năm của buổi phải từ {this_year - 5} đến {this_year + 2}. Hãy kiểm tra lại."
            )
        return value

    @staticmethod
    def initial_from(session: Session) -> dict:
        return {
            "kind": session.kind,
            "hamlet": session.hamlet_id,
            "place": session.place,
            "starts_at": session.starts_at,
            "organiser": session.organiser_id,
            "trainers": session.trainers,
            "topics": [t.pk for t in session.topics.all()],
            "audience": session.audience,
            "planned_participants": session.planned_participants,
            "extra_participants": session.extra_participants,
            "minutes": session.minutes,
            "questions_raised": session.questions_raised,
            "is_public": session.is_public,
        }


class PhotoForm(forms.Form):
    image = forms.FileField(
        label="Thêm ảnh (JPG, PNG hoặc WebP)",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text="Ảnh được thu nhỏ và nén dưới 40 KB; thông tin vị trí trong ảnh bị xóa.",
        error_messages={"required": "Hãy chọn một tấm ảnh.", "empty": "Tệp ảnh trống."},
    )
    caption = forms.CharField(label="Chú thích (nếu có)", max_length=200, required=False)


def _can_edit(user: User) -> bool:
    return user.role in SESSION_EDITORS


def _id_param(value: str) -> int | None:
    return int(value) if re.fullmatch(r"[0-9]{1,9}", value or "") else None


# Staff pages ------------------------------------------------------------------------------


@role_required(*SESSION_VIEWERS)
def session_list(request):
    user = request.user
    sessions = session_list_for_user(user)
    hamlet_id = _id_param(request.GET.get("xom", ""))
    if hamlet_id:
        sessions = sessions.filter(hamlet_id=hamlet_id)
    when = request.GET.get("khi", "")
    now = timezone.now()
    if when == "sap-toi":
        sessions = sessions.filter(starts_at__gte=now).order_by("starts_at", "id")
    elif when == "da-qua":
        sessions = sessions.filter(starts_at__lt=now)
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "outreach/sessions/list.html",
        {
            "page": page,
            "hamlets": hamlets_for_user(user),
            "hamlet_id": hamlet_id,
            "when": when,
            "now": now,
            "can_edit": _can_edit(user),
        },
    )


def _detail(request, session: Session, photo_form: PhotoForm | None = None, status: int = 200):
    user = request.user
    photos = list(session_photos(session))
    can_edit = _can_edit(user)
    if photo_form is None and can_edit and len(photos) < MAX_PHOTOS:
        photo_form = PhotoForm()
    return render(
        request,
        "outreach/sessions/detail.html",
        {
            "session": session,
            "topics": session_topics(session),
            "audience": audience_labels(session.audience),
            "photos": photos,
            "photo_form": photo_form,
            "can_edit": can_edit,
            "attendance_url": f"/can-bo/buoi-huong-dan/{session.pk}/diem-danh/",
        },
        status=status,
    )


@role_required(*SESSION_VIEWERS)
def session_detail(request, session_id: int):
    return _detail(request, get_session_for_user(request.user, session_id))


@require_http_methods(["GET", "POST"])
@role_required(*SESSION_EDITORS)
def session_create_view(request):
    user = request.user
    form = SessionForm(posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        session = session_create(
            actor=user, commune=user.commune, topics=data.pop("topics"), **data
        )
        messages.success(request, "Đã lưu buổi hướng dẫn.")
        return redirect("outreach:session_detail", session_id=session.pk)
    return render(request, "outreach/sessions/form.html", {"form": form, "session": None})


@require_http_methods(["GET", "POST"])
@role_required(*SESSION_EDITORS)
def session_edit(request, session_id: int):
    user = request.user
    session = get_session_for_user(user, session_id)
    form = SessionForm(posted(request), initial=SessionForm.initial_from(session), user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        session_update(actor=user, session=session, topics=data.pop("topics"), **data)
        messages.success(request, "Đã lưu thay đổi.")
        return redirect("outreach:session_detail", session_id=session.pk)
    return render(request, "outreach/sessions/form.html", {"form": form, "session": session})


@require_POST
@role_required(*SESSION_EDITORS)
def session_photo_add_view(request, session_id: int):
    user = request.user
    session = get_session_for_user(user, session_id)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            session_photo_add(
                actor=user,
                session=session,
                uploaded_file=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            form.add_error("image", exc)
        else:
            messages.success(request, "Đã thêm ảnh.")
            return redirect("outreach:session_detail", session_id=session.pk)
    return _detail(request, session, photo_form=form, status=400)


@require_GET
@cache_control(max_age=3600, private=True)
@role_required(*SESSION_VIEWERS)
def session_photo(request, session_id: int, photo_id: int):
    photo = get_photo_for_user(request.user, session_id, photo_id)
    response = HttpResponse(bytes(photo.data), content_type="image/webp")
    response["Content-Security-Policy"] = "default-src 'none'"
    return response


@require_POST
@role_required(*SESSION_EDITORS)
def session_photo_delete_view(request, session_id: int, photo_id: int):
    photo = get_photo_for_user(request.user, session_id, photo_id)
    session_photo_delete(actor=request.user, photo=photo)
    messages.success(request, "Đã xóa ảnh.")
    return redirect("outreach:session_detail", session_id=session_id)


# The public schedule ----------------------------------------------------------------------


def _schedule(request, *, hamlet: Hamlet | None, commune, hamlets):
    return render(
        request,
        "outreach/sessions/schedule.html",
        {
            "items": public_schedule(commune, hamlet=hamlet),
            "held": public_held_count(commune, hamlet=hamlet),
            "hamlet": hamlet,
            "hamlets": hamlets,
        },
    )


@require_GET
def schedule_list(request):
    commune = public_commune()
    if commune is None:
        return render(request, "places/no_commune.html", status=503)
    hamlets = list(Hamlet.objects.filter(commune=commune))
    hamlet_id = _id_param(request.GET.get("xom", ""))
    hamlet = next((h for h in hamlets if h.pk == hamlet_id), None)
    return _schedule(request, hamlet=hamlet, commune=commune, hamlets=hamlets)


@require_GET
def schedule_hamlet(request, hamlet_id: int):
    commune = public_commune()
    if commune is None:
        return render(request, "places/no_commune.html", status=503)
    hamlets = list(Hamlet.objects.filter(commune=commune))
    hamlet = next((h for h in hamlets if h.pk == hamlet_id), None)
    if hamlet is None:
        raise Http404("Không có xóm này.")
    return _schedule(request, hamlet=hamlet, commune=commune, hamlets=hamlets)
