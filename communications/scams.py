"""Scam reports from residents and the warnings (cảnh báo lừa đảo) the coordinator publishes.

A report is never published as is: only the coordinator's own words in a ScamAlert are public,
and no public page or selector used by public pages touches the reporter (resident, user).
"""

import uuid
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import AuditEntry, Resident, Role, User
from accounts.services import audit_record
from communications.models import ScamAlert, ScamReport
from learning.images import webp_from_upload
from places.models import Commune

CONTENT_MAX_CHARS = 5000
REVIEWERS = (Role.ADMIN, Role.COORDINATOR)
REPORTERS_FOR_OTHERS = (Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER)

EMPTY_CONTENT = "Bác hãy kể lại tin nhắn hoặc cuộc gọi đó (không được để trống)."
LONG_CONTENT = "Nội dung dài quá. Bác hãy viết ngắn lại, tối đa 5.000 chữ cái."
FUTURE_DATE = "Ngày nhận không thể ở sau hôm nay."


# -- Services ----------------------------------------------------------------------------------


def scam_photo_from_upload(uploaded_file) -> bytes:
    """A screenshot as a WebP of at most 40 KB; Vietnamese ValidationError otherwise."""
    cap = settings.LESSON_UPLOAD_MAX_BYTES
    limit = f"{cap // 2**20} MB" if cap >= 2**20 else f"{cap // 1024} KB"
    too_big = ValidationError(
        f"Ảnh quá lớn. Mỗi ảnh tối đa {limit}; bác hãy chụp lại màn hình rồi gửi.",
        code="upload_too_big",
    )
    if uploaded_file.size is None or uploaded_file.size > cap:
        raise too_big
    data = uploaded_file.read(cap + 1)
    if len(data) > cap:  # the declared size was wrong
        raise too_big
    return webp_from_upload(data, max_bytes=settings.LESSON_IMAGE_MAX_BYTES)


def _clean_content(content: str) -> str:
    content = (content or "").replace("\x00", "").strip()
    if not content:
        raise ValidationError(EMPTY_CONTENT, code="required")
    if len(content) > CONTENT_MAX_CHARS:
        raise ValidationError(LONG_CONTENT, code="max_length")
    return content


def scam_report_create(
    *,
    commune: Commune,
    channel: str,
    content: str,
    client_key: uuid.UUID,
    received_on: date | None = None,
    photo: bytes | None = None,
    resident: Resident | None = None,
    actor: User | None = None,
) -> tuple[ScamReport, bool]:
    """Store a report. (report, created); a replayed client key stores nothing new.

    resident is the person who received the message (None: anonymous); actor is whoever filed
    it (the resident's own user, a volunteer filing for them, or None for a visitor).
    """
    if prior := ScamReport.objects.filter(client_key=client_key).first():
        return prior, False
    if channel not in ScamReport.Channel.values:
        raise ValidationError("Hãy chọn bác nhận tin qua đâu.", code="channel")
    content = _clean_content(content)
    received_on = received_on or timezone.localdate()
    if received_on > timezone.localdate():
        raise ValidationError(FUTURE_DATE, code="future")
    if resident is not None and resident.commune_id != commune.pk:
        raise ValueError("resident and report belong to different communes")
    try:
        with transaction.atomic():
            report = ScamReport.objects.create(
                commune=commune,
                channel=channel,
                content=content,
                photo=photo or None,
                received_on=received_on,
                resident=resident,
                reported_by=actor,
                client_key=client_key,
            )
            audit_record(
                actor=actor,
                action=AuditEntry.Action.CREATE,
                target=report,
                after={"nhận qua": report.get_channel_display(), "báo giúp": bool(resident)},
            )
    except IntegrityError:  # the same key raced in from a second tap
        if prior := ScamReport.objects.filter(client_key=client_key).first():
            return prior, False
        raise
    return report, True


def scam_report_dismiss(*, actor: User, report: ScamReport) -> ScamReport:
    """Mark a report as not a scam."""
    before = report.status
    if before == ScamReport.Status.DISMISSED:
        return report
    with transaction.atomic():
        report.status = ScamReport.Status.DISMISSED
        report.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            target=report,
            before={"trạng thái": ScamReport.Status(before).label},
            after={"trạng thái": report.get_status_display()},
        )
    return report


def scam_alert_publish(
    *, actor: User, commune: Commune, title: str, body: str, reports=()
) -> ScamAlert:
    """Publish a warning now, linked to reports of the same commune; they become WARNED."""
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise ValidationError("Cảnh báo cần có tiêu đề và nội dung.", code="required")
    reports = list(reports)
    if any(r.commune_id != commune.pk for r in reports):
        raise ValueError("reports of another commune")
    with transaction.atomic():
        alert = ScamAlert.objects.create(
            commune=commune,
            title=title[:200],
            body=body,
            published_at=timezone.now(),
            created_by=actor,
        )
        if reports:
            alert.reports.set(reports)
            ScamReport.objects.filter(pk__in=[r.pk for r in reports]).update(
                status=ScamReport.Status.WARNED
            )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=alert,
            after={"tiêu đề": alert.title, "số phản ánh": len(reports)},
        )
    return alert


# -- Selectors ---------------------------------------------------------------------------------


def reports_for_user(user: User) -> QuerySet[ScamReport]:
    """Reports the user may review: their commune's, for an admin or coordinator. New first."""
    if user.role not in REVIEWERS or not user.commune_id:
        return ScamReport.objects.none()
    return (
        ScamReport.objects.filter(commune_id=user.commune_id)
        .select_related("resident__hamlet", "reported_by")
        .annotate(
            is_new=Case(
                When(status=ScamReport.Status.NEW, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("is_new", "-created_at", "-id")
    )


def get_report_for_user(user: User, report_id: int) -> ScamReport:
    return get_object_or_404(reports_for_user(user), pk=report_id)


def published_alerts(commune: Commune | None) -> QuerySet[ScamAlert]:
    """A commune's published warnings, newest first. Public: carries no reporter data."""
    if commune is None:
        return ScamAlert.objects.none()
    return (
        ScamAlert.objects.filter(
            commune=commune, published_at__isnull=False, published_at__lte=timezone.now()
        )
        .only("id", "commune_id", "title", "body", "published_at", "created_at")
        .order_by("-published_at", "-id")
    )


def get_published_alert(commune: Commune | None, alert_id: int) -> ScamAlert:
    return get_object_or_404(published_alerts(commune), pk=alert_id)


def alerts_for_bulletin(commune: Commune, since: datetime | date) -> list[ScamAlert]:
    """Published warnings since a moment (or a date, from its start), oldest first to read."""
    if not isinstance(since, datetime):
        since = timezone.make_aware(datetime.combine(since, time.min))
    return list(published_alerts(commune).filter(published_at__gte=since).order_by("published_at"))


def report_counts_by_channel(commune: Commune, month_start: date, month_end: date) -> dict:
    """{channel: count} of reports filed from month_start to month_end (both included).

    Every channel is present (0 when none). Reports the coordinator dismissed as not a scam
    are left out. Days are the commune's local days.
    """
    start = timezone.make_aware(datetime.combine(month_start, time.min))
    end = timezone.make_aware(datetime.combine(month_end + timedelta(days=1), time.min))
    rows = (
        ScamReport.objects.filter(commune=commune, created_at__gte=start, created_at__lt=end)
        .exclude(status=ScamReport.Status.DISMISSED)
        .values("channel")
        .annotate(n=Count("id"))
    )
    counts = dict.fromkeys(ScamReport.Channel.values, 0)
    for row in rows:
        counts[row["channel"]] = row["n"]
    return counts
