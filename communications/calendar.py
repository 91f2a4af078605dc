"""One calendar for the commune and each hamlet: events, public sessions and contest rounds.

Contest rounds (contests.models.Round, read only here) are commune-wide: every hamlet calendar
shows them; practice rounds (thi thử) never appear.

Also the iCalendar export (RFC 5545, written by hand: no dependency) and, for each item, a
short announcement text ready for the loudspeaker and Zalo groups, with the date written the
way it is said ("19 giờ 30 tối thứ Bảy, ngày 05 tháng 12").
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry, Role, User
from accounts.services import audit_record
from communications.models import Event
from contests.models import Contest, Round
from learning.models import Lesson
from lib.vntext import fold
from outreach.models import Session
from outreach.teams import public_sessions
from places.models import Commune, Hamlet

EDITORS = (Role.ADMIN, Role.COORDINATOR)
LIMIT = 100
ICS_PAST_DAYS = 30  # calendar apps keep showing what just happened
DEFAULT_LENGTH = dt.timedelta(hours=2)  # sessions record no end time
WEEKDAYS = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]
TEAM = "Tổ công nghệ số cộng đồng"
ID_TOPICS = ("vneid", "dich vu cong", "khai sinh", "cu tru", "bao hiem")


@dataclass(frozen=True)
class CalendarItem:
    uid: str
    kind: str  # "event", "session" or "round"
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    place: str
    hamlet_id: int | None
    hamlet: str  # "" for the whole commune
    description: str
    announcement: str
    link: str = ""  # where to take part (contest rounds)

    @staticmethod
    def _written(value: dt.datetime) -> str:
        local = timezone.localtime(value)
        day = WEEKDAYS[local.weekday()]
        return f"{day[0].upper()}{day[1:]}, {local:%d/%m/%Y} lúc {local:%H:%M}"

    @property
    def when(self) -> str:
        return self._written(self.starts_at)

    @property
    def until(self) -> str:
        """The closing time of a contest round, written the same way."""
        return self._written(self.ends_at)


# Spoken dates ------------------------------------------------------------------------------


def part_of_day(hour: int) -> str:
    if hour < 11:
        return "sáng"
    if hour < 13:
        return "trưa"
    if hour < 18:
        return "chiều"
    if hour < 22:
        return "tối"
    return "đêm"


def spoken_when(value: dt.datetime, *, today: dt.date | None = None) -> str:
    """'19 giờ 30 tối thứ Bảy, ngày 05 tháng 12' (the year only when it is not this year)."""
    local = timezone.localtime(value)
    today = today or timezone.localdate()
    clock = f"{local.hour} giờ" + (f" {local.minute:02d}" if local.minute else "")
    text = (
        f"{clock} {part_of_day(local.hour)} {WEEKDAYS[local.weekday()]}, "
        f"ngày {local.day:02d} tháng {local.month}"
    )
    return text + (f" năm {local.year}" if local.year != today.year else "")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _place_with_hamlet(place: str, hamlet: Hamlet | None) -> str:
    """'Nhà văn hóa xóm' + 'Xóm Ngọc Lâm' → 'Nhà văn hóa xóm Ngọc Lâm'."""
    if hamlet is None:
        return place
    words = hamlet.name.split(" ", 1)
    if fold(words[-1]) in fold(place):
        return place
    if len(words) == 2 and fold(place).endswith(fold(words[0])):
        return f"{place} {words[1]}"
    return f"{place}, {hamlet.name}" if place else hamlet.name


def _sentence(text: str) -> str:
    text = " ".join(text.split()).rstrip()
    return text if not text or text[-1] in ".!?" else text + "."


def session_announcement(session: Session, topics: list[str]) -> str:
    who = session.organiser.name if session.organiser else TEAM
    what = "; ".join(_lower_first(t) for t in topics) or "sử dụng điện thoại thông minh"
    bring = "điện thoại"
    if any(key in fold(" ".join(topics)) for key in ID_TOPICS):
        bring = "điện thoại và căn cước"
    place = _place_with_hamlet(session.place, session.hamlet)
    return (
        f"Thông báo: {spoken_when(session.starts_at)}, tại {place}, {who} hướng dẫn bà con "
        f"{what}. Mời bà con mang theo {bring}."
    )


def event_announcement(event: Event) -> str:
    where = _place_with_hamlet(event.place, event.hamlet)
    text = f"Thông báo: {spoken_when(event.starts_at)}"
    text += f", tại {where} diễn ra " if where else " diễn ra "
    text += _sentence(event.title)
    first_line = event.description.strip().splitlines()[0] if event.description.strip() else ""
    if first_line and len(first_line) <= 200:
        text += f" {_sentence(first_line)}"
    return text + " Mời bà con đến dự."


def round_announcement(round_: Round, *, now: dt.datetime | None = None) -> str:
    """What the loudspeaker reads for a contest round: when it opens, until when, how to join."""
    now = now or timezone.now()
    contest = round_.contest
    title = " ".join(contest.title.split())
    if fold(title).startswith("cuoc thi "):  # "Cuộc thi tìm hiểu…" names itself
        name = f"{title}, đợt {round_.number}"
    else:
        name = f"Cuộc thi “{title}”, đợt {round_.number}"
    closes = spoken_when(round_.closes_at)
    if round_.opens_at <= now:
        text = f"Thông báo: {name} đang mở, hạn cuối là {closes}."
    else:
        text = f"Thông báo: {name} mở từ {spoken_when(round_.opens_at)} đến {closes}."
    officials = contest.audience == Contest.Audience.OFFICIALS
    who = "cán bộ, công chức" if officials else "bà con"
    text += (
        f" Mỗi người thi một lượt trên điện thoại, tại trang Bình dân học vụ số của xã, "
        f"mục Cuộc thi; thời gian làm bài {round_.minutes} phút."
    )
    if officials:
        return text + " Mời cán bộ, công chức tham gia đầy đủ."
    return (
        text + " Ai chưa có điện thoại thông minh, mời đến tổ công nghệ số cộng đồng ở xóm "
        f"để được giúp thi trên giấy. Mời {who} tham gia."
    )


# Reads -------------------------------------------------------------------------------------


def _events(commune: Commune, hamlet: Hamlet | None, since: dt.datetime) -> QuerySet[Event]:
    qs = Event.objects.filter(commune=commune).filter(
        Q(starts_at__gte=since) | Q(ends_at__gte=since)
    )
    if hamlet is not None:
        qs = qs.filter(Q(hamlet=hamlet) | Q(hamlet__isnull=True))
    return qs.select_related("hamlet").order_by("starts_at", "id")[:LIMIT]


def _sessions(commune: Commune, hamlet: Hamlet | None, since: dt.datetime) -> QuerySet[Session]:
    lessons = Lesson.objects.only("id", "title")
    return (
        public_sessions(commune, hamlet=hamlet)
        .filter(starts_at__gte=since)
        .select_related("hamlet", "organiser")
        .prefetch_related(Prefetch("topics", queryset=lessons))
        .order_by("starts_at", "id")[:LIMIT]
    )


def _rounds(commune: Commune, since: dt.datetime) -> QuerySet[Round]:
    """Official rounds of the commune's contests that have not closed before `since`."""
    return (
        Round.objects.filter(commune=commune, contest__commune=commune, is_practice=False)
        .filter(closes_at__gte=since)
        .select_related("contest")
        .order_by("opens_at", "id")[:LIMIT]
    )


def _uid(kind: str, pk: int, commune: Commune) -> str:
    return f"{kind}-{pk}-{commune.code}@hocvuso"


def calendar_items(
    commune: Commune, *, hamlet: Hamlet | None = None, since: dt.datetime | None = None
) -> list[CalendarItem]:
    """Events (of the hamlet and of the whole commune), public sessions and official contest
    rounds (commune-wide), soonest first."""
    since = since or timezone.now()
    items = []
    for e in _events(commune, hamlet, since):
        items.append(
            CalendarItem(
                uid=_uid("event", e.pk, commune),
                kind="event",
                title=e.title,
                starts_at=e.starts_at,
                ends_at=e.ends_at or e.starts_at + DEFAULT_LENGTH,
                place=_place_with_hamlet(e.place, e.hamlet),
                hamlet_id=e.hamlet_id,
                hamlet=e.hamlet.name if e.hamlet else "",
                description=e.description,
                announcement=event_announcement(e),
            )
        )
    for s in _sessions(commune, hamlet, since):
        topics = sorted((t.title for t in s.topics.all()), key=fold)
        items.append(
            CalendarItem(
                uid=_uid("session", s.pk, commune),
                kind="session",
                title=s.get_kind_display(),
                starts_at=s.starts_at,
                ends_at=s.starts_at + DEFAULT_LENGTH,
                place=_place_with_hamlet(s.place, s.hamlet),
                hamlet_id=s.hamlet_id,
                hamlet=s.hamlet.name,
                description="Nội dung: " + "; ".join(topics) if topics else "",
                announcement=session_announcement(s, topics),
            )
        )
    items += round_items(commune, since=since)
    items.sort(key=lambda i: (i.starts_at, i.kind, i.uid))
    return items[:LIMIT]


def round_items(
    commune: Commune, *, since: dt.datetime | None = None, limit: int = LIMIT
) -> list[CalendarItem]:
    """Official contest rounds of the commune that are open or coming, as calendar items."""
    items = []
    for r in _rounds(commune, since or timezone.now())[:limit]:
        residents = r.contest.audience == Contest.Audience.RESIDENTS
        items.append(
            CalendarItem(
                uid=_uid("round", r.pk, commune),
                kind="round",
                title=f"{r.contest.title} – đợt {r.number}",
                starts_at=r.opens_at,
                ends_at=r.closes_at,
                place="Thi trực tuyến",
                hamlet_id=None,
                hamlet="",
                description=(
                    f"Mỗi người một lượt, làm bài {r.minutes} phút, "
                    f"{r.questions_per_attempt} câu hỏi."
                    + ("" if residents else " Dành cho cán bộ, công chức.")
                ),
                announcement=round_announcement(r),
                link=reverse("contests:rounds") if residents else "",
            )
        )
    return items


def events_for_editor(user: User) -> QuerySet[Event]:
    if user.role not in EDITORS or not user.commune_id:
        return Event.objects.none()
    return Event.objects.filter(commune_id=user.commune_id).select_related("hamlet")


def get_event_for_editor(user: User, event_id: int) -> Event:
    return get_object_or_404(events_for_editor(user), pk=event_id)


# iCalendar (RFC 5545) ---------------------------------------------------------------------


def ics_escape(text: str) -> str:
    """TEXT values: backslash, semicolon and comma escaped; newlines become \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def ics_fold(line: str, limit: int = 75) -> str:
    """Split a content line into lines of at most 75 octets, never inside a UTF-8 character."""
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            pieces.append(current)
            current, size = " ", 1  # the continuation space counts toward the limit
        current += char
        size += width
    pieces.append(current)
    return "\r\n".join(pieces)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def ics_calendar(items: list[CalendarItem], *, name: str, now: dt.datetime | None = None) -> str:
    stamp = _utc(now or timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Hoc vu so//Lich su kien//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ics_escape(name)}",
    ]
    for item in items:
        description = "\n\n".join(p for p in (item.description, item.announcement) if p)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{item.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(item.starts_at)}",
            f"DTEND:{_utc(item.ends_at)}",
            f"SUMMARY:{ics_escape(item.title)}",
        ]
        if item.place:
            lines.append(f"LOCATION:{ics_escape(item.place)}")
        lines += [f"DESCRIPTION:{ics_escape(description)}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)


def ics_items(commune: Commune, *, hamlet: Hamlet | None = None) -> list[CalendarItem]:
    since = timezone.now() - dt.timedelta(days=ICS_PAST_DAYS)
    return calendar_items(commune, hamlet=hamlet, since=since)


# Writes -----------------------------------------------------------------------------------


def _snapshot(event: Event) -> dict:
    def local(value):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}" if value else None

    return {
        "title": event.title,
        "hamlet_id": event.hamlet_id,
        "place": event.place,
        "starts_at": local(event.starts_at),
        "ends_at": local(event.ends_at),
    }


def event_create(*, actor: User, commune: Commune, data: dict) -> Event:
    with transaction.atomic():
        event = Event(commune=commune, **data)
        event.full_clean()
        event.save()
        audit_record(
            actor=actor, action=AuditEntry.Action.CREATE, target=event, after=_snapshot(event)
        )
    return event


def event_delete(*, actor: User, event: Event) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor, action=AuditEntry.Action.DELETE, target=event, before=_snapshot(event)
        )
        event.delete()
