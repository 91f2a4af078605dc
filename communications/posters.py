"""Slogans, posters and where they were put up: services and selectors.

Admin and coordinator manage slogans and posters; officers and volunteers record placements
(a volunteer only in their own hamlet); the leader reads. Every write is audited.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from accounts.access import hamlets_for_user
from accounts.models import AuditEntry, Role, User
from accounts.services import audit_record
from communications.models import Poster, PosterPlacement, Slogan
from communications.poster_pdf import poster_pdf
from places.models import Commune, Hamlet

POSTER_EDITORS = {Role.ADMIN, Role.COORDINATOR}
PLACEMENT_RECORDERS = {Role.ADMIN, Role.COORDINATOR, Role.OFFICER, Role.VOLUNTEER}
POSTER_VIEWERS = POSTER_EDITORS | PLACEMENT_RECORDERS | {Role.LEADER}

SLOGAN_MAX = Slogan._meta.get_field("text").max_length
QR_CAPTIONS = {"learn": "Quét mã để học", "view": "Quét mã để xem"}

# Short, memorable messages in the spirit of the plan (Đề án 146, Bình dân học vụ số).
DEFAULT_SLOGANS = [
    "Chuyển đổi số không khó, ai cũng học được!",
    "Đi từng ngõ, gõ từng nhà, hướng dẫn từng người dân",
    "Không chia sẻ mã xác thực (OTP) cho bất kỳ ai",
    "Bình dân học vụ số: học để làm được, làm để có lợi",
    "Làm thủ tục trên điện thoại, không phải đi lại",
    "Công an, tòa án không bao giờ gọi điện đòi chuyển tiền",
    "Nghi ngờ lừa đảo? Gọi lại số chính thức, hỏi Tổ công nghệ số",
    "Người trẻ hướng dẫn người già, cả nhà cùng lên mạng",
    "Bán nông sản trên mạng, thêm khách, thêm thu nhập",
    "Kích hoạt định danh điện tử mức 2, làm thủ tục dễ dàng",
    "Chỉ cài ứng dụng từ CH Play hoặc App Store",
    "Mỗi xóm một Tổ công nghệ số, mỗi nhà một người biết dùng",
]


def _clean_text(text: str, *, label: str, max_length: int, required: bool = True) -> str:
    text = " ".join((text or "").split())
    if required and not text:
        raise ValidationError(f"Hãy nhập {label}.")
    if len(text) > max_length:
        raise ValidationError(
            f"{label[0].upper()}{label[1:]} dài quá: tối đa {max_length} ký tự "
            f"(hiện có {len(text)})."
        )
    return text


def check_qr_url(url: str) -> str:
    """The address the QR code leads to: a full http(s) link, or a Vietnamese error."""
    url = (url or "").strip()
    if not url:
        raise ValidationError("Hãy nhập đường link cho mã QR.")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(
            "Đường link cho mã QR phải bắt đầu bằng http:// hoặc https://, "
            "ví dụ https://hocvuso.example/bai-hoc/."
        ) from None
    if len(url) > Poster._meta.get_field("qr_url").max_length:
        raise ValidationError("Đường link cho mã QR dài quá.")
    return url


# --- selectors ----------------------------------------------------------------------------


def slogans_for_user(user: User) -> QuerySet[Slogan]:
    if user.role not in POSTER_VIEWERS or not user.commune_id:
        return Slogan.objects.none()
    return Slogan.objects.filter(commune_id=user.commune_id).order_by("-active", "text")


def get_slogan_for_user(user: User, slogan_id: int) -> Slogan:
    return get_object_or_404(slogans_for_user(user), pk=slogan_id)


def posters_for_user(user: User) -> QuerySet[Poster]:
    if user.role not in POSTER_VIEWERS or not user.commune_id:
        return Poster.objects.none()
    return (
        Poster.objects.filter(commune_id=user.commune_id)
        .select_related("slogan")
        .annotate(placement_count=Count("placements"))
        .order_by("-created_at")
    )


def get_poster_for_user(user: User, poster_id: int) -> Poster:
    return get_object_or_404(posters_for_user(user), pk=poster_id)


def placements_for_poster(poster: Poster) -> QuerySet[PosterPlacement]:
    return poster.placements.select_related("hamlet").order_by("-put_up_on", "-pk")


# --- slogans ------------------------------------------------------------------------------


def slogan_create(*, actor: User | None, commune: Commune, text: str) -> Slogan:
    text = _clean_text(text, label="khẩu hiệu", max_length=SLOGAN_MAX)
    if Slogan.objects.filter(commune=commune, text__iexact=text).exists():
        raise ValidationError("Khẩu hiệu này đã có trong thư viện.")
    slogan = Slogan.objects.create(commune=commune, text=text)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, target=slogan, after={"text": text})
    return slogan


def slogan_update(*, actor: User, slogan: Slogan, text: str, active: bool) -> Slogan:
    text = _clean_text(text, label="khẩu hiệu", max_length=SLOGAN_MAX)
    clash = Slogan.objects.filter(commune_id=slogan.commune_id, text__iexact=text).exclude(
        pk=slogan.pk
    )
    if clash.exists():
        raise ValidationError("Khẩu hiệu này đã có trong thư viện.")
    before = {"text": slogan.text, "active": slogan.active}
    after = {"text": text, "active": bool(active)}
    if before != after:
        slogan.text, slogan.active = text, bool(active)
        slogan.save(update_fields=["text", "active"])
        audit_record(
            actor=actor, action=AuditEntry.Action.UPDATE, target=slogan, before=before, after=after
        )
    return slogan


def slogan_deactivate(*, actor: User, slogan: Slogan) -> Slogan:
    """Stop offering a slogan for new posters; posters already made keep it."""
    return slogan_update(actor=actor, slogan=slogan, text=slogan.text, active=False)


def slogans_ensure_defaults(commune: Commune) -> int:
    """Load the default slogan library into a commune; return how many were added."""
    existing = {
        t.casefold() for t in Slogan.objects.filter(commune=commune).values_list("text", flat=True)
    }
    new = [
        Slogan(commune=commune, text=text)
        for text in DEFAULT_SLOGANS
        if text.casefold() not in existing
    ]
    Slogan.objects.bulk_create(new)
    return len(new)


# --- posters ------------------------------------------------------------------------------


@transaction.atomic
def poster_create(
    *,
    actor: User | None,
    commune: Commune,
    slogan: Slogan,
    format: str,
    qr_url: str,
    subtitle: str = "",
) -> Poster:
    if slogan.commune_id != commune.pk:
        raise ValueError("slogan belongs to another commune")
    if not slogan.active:
        raise ValidationError("Khẩu hiệu này đã ngừng dùng; hãy chọn khẩu hiệu khác.")
    if format not in Poster.Format.values:
        raise ValidationError("Khổ in không đúng: hãy chọn A4, A3 hoặc băng rôn.")
    subtitle = _clean_text(
        subtitle,
        label="dòng phụ",
        max_length=Poster._meta.get_field("subtitle").max_length,
        required=False,
    )
    qr_url = check_qr_url(qr_url)
    poster = Poster.objects.create(
        commune=commune,
        slogan=slogan,
        format=format,
        subtitle=subtitle,
        qr_url=qr_url,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        target=poster,
        after={"slogan": slogan.text, "format": format, "subtitle": subtitle, "qr_url": qr_url},
    )
    return poster


def poster_render(poster: Poster, *, caption: str = QR_CAPTIONS["learn"]) -> bytes:
    """The printable PDF of a saved poster."""
    return poster_pdf(
        slogan=poster.slogan.text,
        fmt=poster.format,
        subtitle=poster.subtitle,
        commune_name=poster.commune.name,
        qr_url=poster.qr_url,
        qr_caption=caption,
    )


def poster_caption(url: str) -> str:
    """'Quét mã để học' for a lesson link, 'Quét mã để xem' for anything else."""
    return QR_CAPTIONS["learn"] if "/bai-hoc" in url else QR_CAPTIONS["view"]


def placement_record(
    *,
    actor: User,
    poster: Poster,
    place: str,
    hamlet: Hamlet | None = None,
    note: str = "",
    put_up_on: dt.date | None = None,
) -> PosterPlacement:
    if place not in PosterPlacement.Place.values:
        raise ValidationError("Hãy chọn nơi treo trong danh sách.")
    if hamlet is not None and hamlet.commune_id != poster.commune_id:
        raise ValueError("hamlet belongs to another commune")
    if actor.role == Role.VOLUNTEER:
        if hamlet is None or not hamlets_for_user(actor).filter(pk=hamlet.pk).exists():
            raise ValidationError("Tình nguyện viên chỉ ghi nơi treo trong xóm của mình.")
    note = _clean_text(
        note,
        label="ghi chú",
        max_length=PosterPlacement._meta.get_field("note").max_length,
        required=False,
    )
    fields = {"place": place, "hamlet": hamlet, "note": note}
    if put_up_on is not None:
        fields["put_up_on"] = put_up_on
    placement = PosterPlacement.objects.create(
        commune_id=poster.commune_id, poster=poster, recorded_by=actor, **fields
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        target=placement,
        after={
            "place": place,
            "hamlet": hamlet.name if hamlet else "",
            "note": note,
            "put_up_on": placement.put_up_on.isoformat(),
        },
    )
    return placement
