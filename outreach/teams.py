"""Community digital-technology teams and their sessions: scoped reads, then the writes.

Every write by an official is in the audit log and runs in one transaction, so a refused
write leaves nothing behind. Views fetch teams and sessions only through the get_*_for_user
reads below: another commune's (or another hamlet's) id answers 404.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import AuditEntry, Resident, Role, User
from accounts.services import audit_record, changes
from learning.images import webp_from_upload
from learning.models import Lesson
from lib.vntext import name_sort_key
from outreach.access import sessions_for_user, teams_for_user
from outreach.models import Session, SessionPhoto, Team, TeamMember
from places.models import Commune, Hamlet, Organisation

TEAM_EDITORS = (Role.ADMIN, Role.COORDINATOR)
TEAM_VIEWERS = (Role.ADMIN, Role.LEADER, Role.COORDINATOR, Role.OFFICER, Role.VOLUNTEER)
SESSION_EDITORS = (Role.ADMIN, Role.COORDINATOR, Role.OFFICER, Role.VOLUNTEER)
SESSION_VIEWERS = TEAM_VIEWERS

AUDIENCES = {"young": "Người trẻ", "middle": "Trung niên", "elderly": "Người cao tuổi"}
POSITION_RANK = {
    TeamMember.Position.LEADER: 0,
    TeamMember.Position.DEPUTY: 1,
    TeamMember.Position.MEMBER: 2,
}
MAX_PHOTOS = 12
WEEKDAYS = ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật"]
SCHEDULE_LIMIT = 100

TEAM_FIELDS = ["hamlet_id", "name", "decision_number", "decision_date"]
MEMBER_FIELDS = [
    "full_name",
    "user_id",
    "position",
    "body",
    "is_influencer",
    "joined_on",
    "left_on",
]
SESSION_FIELDS = [
    "hamlet_id",
    "kind",
    "place",
    "starts_at",
    "organiser_id",
    "trainers",
    "audience",
    "planned_participants",
    "extra_participants",
    "minutes",
    "questions_raised",
    "is_public",
]


def vn_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def vn_when(value: dt.datetime) -> str:
    """'Thứ Bảy, 05/12/2026 lúc 19:30', in the commune's time zone."""
    local = timezone.localtime(value)
    return f"{WEEKDAYS[local.weekday()]}, {local:%d/%m/%Y} lúc {local:%H:%M}"


def _json(value):
    """Audit rows are JSON: dates as dd/mm/yyyy, times as local dd/mm/yyyy HH:MM."""
    if isinstance(value, dt.datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if isinstance(value, dt.date):
        return vn_date(value)
    return value


def _snapshot(obj, fields: Iterable[str]) -> dict:
    return {f: _json(getattr(obj, f)) for f in fields}


def _active_q(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": today})


# Reads: teams -----------------------------------------------------------------------------


def team_list_for_user(user: User) -> QuerySet[Team]:
    return (
        teams_for_user(user)
        .annotate(active_members=Count("members", filter=_active_q("members__")))
        .order_by("hamlet__name", "name", "id")
    )


def get_team_for_user(user: User, team_id: int) -> Team:
    return get_object_or_404(teams_for_user(user), pk=team_id)


def get_team_member(team: Team, member_id: int) -> TeamMember:
    """A member of this team only; the team itself comes through get_team_for_user."""
    return get_object_or_404(team.members.select_related("user"), pk=member_id)


def team_members(team: Team) -> list[TeamMember]:
    """Active members first, the leader before deputies before members, then by name."""
    members = list(team.members.select_related("user"))
    return sorted(
        members,
        key=lambda m: (not m.active, POSITION_RANK.get(m.position, 9), name_sort_key(m.full_name)),
    )


def volunteers_for_team(*, commune_id: int, hamlet_id: int) -> QuerySet[User]:
    """Volunteer accounts a member may be linked to: same commune and hamlet as the team."""
    return User.objects.filter(
        role=Role.VOLUNTEER, commune_id=commune_id, hamlet_id=hamlet_id, is_active=True
    ).order_by("full_name", "username")


@dataclass(frozen=True)
class MemberRatio:
    """Active team members per 100 active residents, for a hamlet or the whole commune."""

    label: str
    hamlet_id: int | None
    members: int
    residents: int

    @property
    def per_100(self) -> float | None:
        if not self.residents:
            return None
        return round(self.members * 100 / self.residents, 1)


def members_per_100(
    commune: Commune, *, hamlet_ids: Iterable[int] | None = None
) -> tuple[list[MemberRatio], MemberRatio]:
    """(one row per hamlet, limited to hamlet_ids if given; the commune total). Three queries."""
    members = dict(
        TeamMember.objects.filter(commune=commune, team__commune=commune)
        .filter(_active_q())
        .values_list("team__hamlet_id")
        .annotate(n=Count("id"))
    )
    residents = dict(
        Resident.objects.active()
        .filter(commune=commune)
        .values_list("hamlet_id")
        .annotate(n=Count("id"))
    )
    hamlets = Hamlet.objects.filter(commune=commune).values_list("id", "name")
    wanted = None if hamlet_ids is None else set(hamlet_ids)
    rows = [
        MemberRatio(name, pk, members.get(pk, 0), residents.get(pk, 0))
        for pk, name in hamlets
        if wanted is None or pk in wanted
    ]
    total = MemberRatio("Toàn xã", None, sum(members.values()), sum(residents.values()))
    return rows, total


# Reads: sessions --------------------------------------------------------------------------


def session_list_for_user(user: User) -> QuerySet[Session]:
    return (
        sessions_for_user(user)
        .annotate(attended=Count("attendances"))
        .order_by("-starts_at", "-id")
    )


def get_session_for_user(user: User, session_id: int) -> Session:
    return get_object_or_404(session_list_for_user(user), pk=session_id)


def session_topics(session: Session) -> QuerySet[Lesson]:
    return session.topics.defer("audio", "body", "search_text").order_by("title")


def session_photos(session: Session) -> QuerySet[SessionPhoto]:
    return session.photos.defer("data").order_by("created_at", "id")


def get_photo_for_user(user: User, session_id: int, photo_id: int) -> SessionPhoto:
    session = get_object_or_404(sessions_for_user(user), pk=session_id)
    return get_object_or_404(SessionPhoto, session=session, pk=photo_id)


def lessons_for_sessions(commune_id: int) -> QuerySet[Lesson]:
    return (
        Lesson.objects.filter(commune_id=commune_id)
        .only("id", "title", "topic", "order")
        .order_by("topic", "order", "title")
    )


def audience_labels(keys: Iterable[str]) -> list[str]:
    return [AUDIENCES[k] for k in AUDIENCES if k in set(keys)]


@dataclass(frozen=True)
class ScheduleItem:
    """What the public schedule may show of a session: no trainers, no attendees."""

    pk: int
    when: str
    kind: str
    hamlet_id: int
    hamlet: str
    place: str
    organiser: str
    topics: list[tuple[str, str | None]]  # (title, slug when the lesson is published)
    audience: list[str]


def public_sessions(commune: Commune, *, hamlet: Hamlet | None = None) -> QuerySet[Session]:
    sessions = Session.objects.filter(commune=commune, is_public=True)
    return sessions.filter(hamlet=hamlet) if hamlet else sessions


def public_schedule(commune: Commune, *, hamlet: Hamlet | None = None) -> list[ScheduleItem]:
    """Public sessions that have not started yet, soonest first."""
    sessions = (
        public_sessions(commune, hamlet=hamlet)
        .filter(starts_at__gte=timezone.now())
        .select_related("hamlet", "organiser")
        .prefetch_related(
            Prefetch("topics", queryset=Lesson.objects.only("id", "title", "slug", "status"))
        )
        .order_by("starts_at", "id")[:SCHEDULE_LIMIT]
    )
    published = Lesson.Status.PUBLISHED
    return [
        ScheduleItem(
            pk=s.pk,
            when=vn_when(s.starts_at),
            kind=s.get_kind_display(),
            hamlet_id=s.hamlet_id,
            hamlet=s.hamlet.name,
            place=s.place,
            organiser=s.organiser.name if s.organiser else "",
            topics=[
                (t.title, t.slug if t.status == published else None)
                for t in sorted(s.topics.all(), key=lambda t: t.title)
            ],
            audience=audience_labels(s.audience),
        )
        for s in sessions
    ]


def public_held_count(commune: Commune, *, hamlet: Hamlet | None = None) -> int:
    return public_sessions(commune, hamlet=hamlet).filter(starts_at__lt=timezone.now()).count()


# Writes: teams ----------------------------------------------------------------------------


def _check_decision(number: str, date: dt.date | None) -> None:
    if bool(number) != bool(date):
        raise ValidationError(
            "Hãy nhập cả số và ngày của quyết định thành lập tổ (hoặc để trống cả hai).",
            code="decision",
        )
    if date and date > timezone.localdate():
        raise ValidationError("Ngày quyết định không thể ở tương lai.", code="decision_date")


@transaction.atomic
def team_create(
    *,
    actor: User,
    commune: Commune,
    hamlet: Hamlet,
    name: str = "",
    decision_number: str = "",
    decision_date: dt.date | None = None,
) -> Team:
    if hamlet.commune_id != commune.pk:
        raise ValueError("hamlet belongs to another commune")
    decision_number = decision_number.strip()
    _check_decision(decision_number, decision_date)
    team = Team.objects.create(
        commune=commune,
        hamlet=hamlet,
        name=" ".join(name.split()) or f"Tổ công nghệ số cộng đồng {hamlet.name}",
        decision_number=decision_number,
        decision_date=decision_date,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        target=team,
        after=_snapshot(team, TEAM_FIELDS),
    )
    return team


@transaction.atomic
def team_update(
    *,
    actor: User,
    team: Team,
    hamlet: Hamlet,
    name: str,
    decision_number: str,
    decision_date: dt.date | None,
) -> Team:
    if hamlet.commune_id != team.commune_id:
        raise ValueError("hamlet belongs to another commune")
    decision_number = decision_number.strip()
    _check_decision(decision_number, decision_date)
    if hamlet.pk != team.hamlet_id and team.members.filter(user__isnull=False).exists():
        raise ValidationError(
            "Tổ đã có thành viên gắn với tài khoản tình nguyện viên của xóm này, "
            "nên không đổi sang xóm khác được.",
            code="hamlet_locked",
        )
    before = _snapshot(team, TEAM_FIELDS)
    team.hamlet = hamlet
    team.name = " ".join(name.split()) or f"Tổ công nghệ số cộng đồng {hamlet.name}"
    team.decision_number = decision_number
    team.decision_date = decision_date
    team.save(update_fields=["hamlet", "name", "decision_number", "decision_date", "updated_at"])
    old, new = changes(before, _snapshot(team, TEAM_FIELDS))
    if new:
        audit_record(
            actor=actor, action=AuditEntry.Action.UPDATE, target=team, before=old, after=new
        )
    return team


def _check_member(
    *,
    team: Team,
    user: User | None,
    joined_on: dt.date,
    left_on: dt.date | None,
    member: TeamMember | None = None,
) -> None:
    if user is not None:
        if (
            user.role != Role.VOLUNTEER
            or user.commune_id != team.commune_id
            or user.hamlet_id != team.hamlet_id
        ):
            raise ValidationError(
                "Chỉ gắn được tài khoản tình nguyện viên của cùng xã và cùng xóm với tổ.",
                code="user_scope",
            )
        others = team.members.filter(user=user).filter(_active_q())
        if member is not None:
            others = others.exclude(pk=member.pk)
        if others.exists():
            raise ValidationError(
                "Tài khoản này đã là thành viên đang hoạt động của tổ.", code="user_taken"
            )
    if joined_on > timezone.localdate():
        raise ValidationError("Ngày vào tổ không thể ở tương lai.", code="joined_future")
    if left_on is not None and left_on < joined_on:
        raise ValidationError("Ngày rời tổ phải từ ngày vào tổ trở đi.", code="left_before")


@transaction.atomic
def member_add(
    *,
    actor: User,
    team: Team,
    full_name: str,
    position: str,
    body: str,
    joined_on: dt.date,
    is_influencer: bool = False,
    user: User | None = None,
) -> TeamMember:
    if position not in TeamMember.Position.values or body not in TeamMember.Body.values:
        raise ValueError("unknown position or body")
    _check_member(team=team, user=user, joined_on=joined_on, left_on=None)
    member = TeamMember.objects.create(
        commune_id=team.commune_id,
        team=team,
        full_name=" ".join(full_name.split()),
        user=user,
        position=position,
        body=body,
        is_influencer=is_influencer,
        joined_on=joined_on,
    )
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        target=member,
        after={"tổ": team.name, **_snapshot(member, MEMBER_FIELDS)},
    )
    return member


@transaction.atomic
def member_update(
    *,
    actor: User,
    member: TeamMember,
    full_name: str,
    position: str,
    body: str,
    joined_on: dt.date,
    left_on: dt.date | None,
    is_influencer: bool,
    user: User | None,
) -> TeamMember:
    if position not in TeamMember.Position.values or body not in TeamMember.Body.values:
        raise ValueError("unknown position or body")
    _check_member(team=member.team, user=user, joined_on=joined_on, left_on=left_on, member=member)
    before = _snapshot(member, MEMBER_FIELDS)
    member.full_name = " ".join(full_name.split())
    member.user = user
    member.position = position
    member.body = body
    member.is_influencer = is_influencer
    member.joined_on = joined_on
    member.left_on = left_on
    member.save(update_fields=[f.removesuffix("_id") for f in MEMBER_FIELDS])
    old, new = changes(before, _snapshot(member, MEMBER_FIELDS))
    if new:
        audit_record(
            actor=actor, action=AuditEntry.Action.UPDATE, target=member, before=old, after=new
        )
    return member


@transaction.atomic
def member_leave(*, actor: User, member: TeamMember, left_on: dt.date) -> TeamMember:
    if member.left_on is not None and member.left_on <= timezone.localdate():
        raise ValidationError(
            f"{member.full_name} đã rời tổ ngày {vn_date(member.left_on)}.", code="already_left"
        )
    if left_on < member.joined_on:
        raise ValidationError(
            f"Ngày rời tổ phải từ ngày vào tổ ({vn_date(member.joined_on)}) trở đi.",
            code="left_before",
        )
    before = {"left_on": _json(member.left_on)}
    member.left_on = left_on
    member.save(update_fields=["left_on"])
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=member,
        before=before,
        after={"left_on": _json(left_on)},
    )
    return member


# Writes: sessions -------------------------------------------------------------------------


def _check_session(*, commune_id: int, fields: dict, topics: Iterable[Lesson]) -> None:
    """A safety net under the forms: nothing from another commune, only known values."""
    hamlet: Hamlet = fields["hamlet"]
    organiser: Organisation | None = fields.get("organiser")
    if hamlet.commune_id != commune_id:
        raise ValueError("hamlet belongs to another commune")
    if organiser is not None and organiser.commune_id != commune_id:
        raise ValueError("organiser belongs to another commune")
    if any(lesson.commune_id != commune_id for lesson in topics):
        raise ValueError("lesson belongs to another commune")
    if fields["kind"] not in Session.Kind.values:
        raise ValueError("unknown session kind")
    if not set(fields.get("audience", [])) <= set(AUDIENCES):
        raise ValueError("unknown audience")


def _session_fields(fields: dict) -> dict:
    allowed = {f.removesuffix("_id") for f in SESSION_FIELDS}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not session fields: {sorted(unknown)}")
    clean = dict(fields)
    clean["place"] = " ".join(clean.get("place", "").split())
    clean["audience"] = [k for k in AUDIENCES if k in set(clean.get("audience", []))]
    return clean


def _session_snapshot(session: Session) -> dict:
    snap = _snapshot(session, SESSION_FIELDS)
    snap["topics"] = sorted(session.topics.values_list("id", flat=True))
    return snap


@transaction.atomic
def session_create(
    *, actor: User, commune: Commune, topics: Iterable[Lesson] = (), **fields
) -> Session:
    topics = list(topics)
    fields = _session_fields(fields)
    _check_session(commune_id=commune.pk, fields=fields, topics=topics)
    session = Session.objects.create(commune=commune, created_by=actor, **fields)
    session.topics.set(topics)
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        target=session,
        after=_session_snapshot(session),
    )
    return session


@transaction.atomic
def session_update(
    *, actor: User, session: Session, topics: Iterable[Lesson] = (), **fields
) -> Session:
    topics = list(topics)
    fields = _session_fields(fields)
    _check_session(commune_id=session.commune_id, fields=fields, topics=topics)
    before = _session_snapshot(session)
    for name, value in fields.items():
        setattr(session, name, value)
    session.save(update_fields=[*fields, "updated_at"])
    session.topics.set(topics)
    old, new = changes(before, _session_snapshot(session))
    if new:
        audit_record(
            actor=actor, action=AuditEntry.Action.UPDATE, target=session, before=old, after=new
        )
    return session


def session_photo_add(
    *, actor: User, session: Session, uploaded_file, caption: str = ""
) -> SessionPhoto:
    """Store a photo of the session as a WebP of at most 40 KB (EXIF and GPS dropped)."""
    if session.photos.count() >= MAX_PHOTOS:
        raise ValidationError(
            f"Mỗi buổi lưu tối đa {MAX_PHOTOS} ảnh. Hãy xóa bớt ảnh cũ trước.", code="too_many"
        )
    cap = settings.LESSON_UPLOAD_MAX_BYTES
    limit = f"{cap // 2**20} MB" if cap >= 2**20 else f"{cap // 1024} KB"
    too_big = ValidationError(
        f"Tệp quá lớn. Mỗi ảnh tải lên tối đa {limit}; hãy chọn ảnh nhỏ hơn hoặc chụp lại.",
        code="upload_too_big",
    )
    if uploaded_file.size is None or uploaded_file.size > cap:
        raise too_big
    data = uploaded_file.read(cap + 1)
    if len(data) > cap:
        raise too_big
    webp = webp_from_upload(data, max_bytes=settings.LESSON_IMAGE_MAX_BYTES)
    with transaction.atomic():
        photo = SessionPhoto.objects.create(
            commune_id=session.commune_id,
            session=session,
            data=webp,
            caption=" ".join(caption.split())[:200],
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=session,
            after={"ảnh buổi hướng dẫn": photo.pk, "dung lượng": len(webp)},
        )
    return photo


@transaction.atomic
def session_photo_delete(*, actor: User, photo: SessionPhoto) -> None:
    session = photo.session
    audit_record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        target=session,
        before={"ảnh buổi hướng dẫn": photo.pk, "chú thích": photo.caption},
    )
    photo.delete()
