"""Attendance taken on a phone in the room: who may take it, who can be found, and the writes
behind each tap. Every write is idempotent on the client-made key (see DESIGN.md, "Offline
and retries"); the shared writes live in outreach.services."""

import re
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.access import residents_for_user
from accounts.models import Resident, Role, User
from accounts.services import card_token_hash, resident_register
from lib.vntext import fold, vietnamese_sorted
from outreach.access import sessions_for_user
from outreach.models import Attendance, Session, SkillTick
from outreach.services import attendance_record, skill_tick_record
from outreach.skills import SKILLS

# Leaders read dashboards; taking attendance is for the people in the room and the organisers.
TAKES_ATTENDANCE = (Role.ADMIN, Role.COORDINATOR, Role.OFFICER, Role.VOLUNTEER)
MAX_ID = 2**63 - 1  # larger ids cannot be in the database (and SQLite refuses them)
SEARCH_LIMIT = 20

# A card holds an absolute URL ".../the/<token>/"; a token is URL-safe base64.
_CARD_URL = re.compile(r"/the/([A-Za-z0-9_-]{8,100})/?(?:[?#].*)?$")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,100}")
_HASH = re.compile(r"[0-9a-f]{64}")
_ID = re.compile(r"[0-9]{1,18}")


class AttendanceError(Exception):
    """A refusal the volunteer should read (Vietnamese)."""


# --- parsing what the phone sends -------------------------------------------------------------


def parse_key(raw: str | None) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw or "").strip()[:64])
    except ValueError:
        raise AttendanceError(
            "Thiếu mã lượt ghi hoặc mã không đúng. Hãy tải lại trang rồi bấm lại."
        ) from None


def parse_id(raw: str | None) -> int | None:
    raw = str(raw or "").strip()
    if not _ID.fullmatch(raw) or int(raw) > MAX_ID:
        return None
    return int(raw)


def card_hash_from(text: str | None = "", token_hash: str | None = "") -> str | None:
    """The stored hash for what was scanned or typed: a card URL, a bare token, or (from a
    phone that hashed it before keeping it in its outbox) the hash itself."""
    token_hash = str(token_hash or "").strip().lower()
    if _HASH.fullmatch(token_hash):
        return token_hash
    text = str(text or "").strip()[:500]
    if match := _CARD_URL.search(text):
        return card_token_hash(match.group(1))
    if _TOKEN.fullmatch(text):
        return card_token_hash(text)
    return None


# --- reads ------------------------------------------------------------------------------------


def session_for_attendance(user: User, session_id: int) -> Session:
    if session_id > MAX_ID:
        raise Http404
    session = sessions_for_user(user).filter(pk=session_id).select_related("commune").first()
    if session is None:
        raise Http404
    return session


def hamlet_residents(session: Session) -> QuerySet[Resident]:
    return Resident.objects.active().filter(
        commune_id=session.commune_id, hamlet_id=session.hamlet_id
    )


def findable_residents(user: User, session: Session) -> QuerySet[Resident]:
    """Who can be marked present: the viewer's own scope, and everyone of the session's hamlet
    (an officer running a session sees its hamlet list although they manage no residents)."""
    return (
        Resident.objects.active()
        .filter(commune_id=session.commune_id)
        .filter(Q(hamlet_id=session.hamlet_id) | Q(pk__in=residents_for_user(user).values("pk")))
        .select_related("hamlet")
    )


def resident_search(user: User, session: Session, query: str) -> list[Resident]:
    """By name without diacritics, or by (part of) a phone number."""
    query = query.replace("\x00", "").strip()[:100]
    digits = re.sub(r"[\s.\-()+]", "", query)
    residents = findable_residents(user, session)
    if digits.isascii() and digits.isdigit():
        if len(digits) < 3:
            return []
        if digits.startswith("84") and len(digits) == 11:
            digits = "0" + digits[2:]
        residents = residents.filter(phone__contains=digits)
    else:
        folded = fold(query)
        if len(folded) < 2:
            return []
        residents = residents.filter(name_folded__contains=folded)
    return vietnamese_sorted(residents[: SEARCH_LIMIT * 5], key=lambda r: r.full_name)[
        :SEARCH_LIMIT
    ]


def session_attendances(session: Session) -> list[Attendance]:
    """Newest first, so the person just marked is at the top for their skill ticks."""
    return list(
        session.attendances.select_related("resident", "resident__hamlet").order_by(
            "-created_at", "-id"
        )
    )


def roll_call(session: Session) -> tuple[list[Resident], list[Attendance]]:
    """(the hamlet's residents not yet marked, sorted the Vietnamese way; who is marked)."""
    attendances = session_attendances(session)
    present = {a.resident_id for a in attendances}
    waiting = [r for r in hamlet_residents(session) if r.pk not in present]
    return vietnamese_sorted(waiting, key=lambda r: r.full_name), attendances


def session_skills(session: Session) -> dict[int, set[str]]:
    """Skills already ticked in this session, per resident."""
    ticked: dict[int, set[str]] = {}
    for resident_id, skill in SkillTick.objects.filter(session=session, has_skill=True).values_list(
        "resident_id", "skill"
    ):
        ticked.setdefault(resident_id, set()).add(skill)
    return ticked


# --- writes -----------------------------------------------------------------------------------


def attendance_mark(
    *, user: User, session: Session, resident_id: int | None, method: str, client_key: uuid.UUID
) -> tuple[Attendance, bool]:
    """A tap on a name in the hamlet list or in the search results."""
    if method not in (Attendance.Method.LIST, Attendance.Method.SEARCH):
        method = Attendance.Method.LIST
    if done := Attendance.objects.filter(client_key=client_key, session=session).first():
        return done, False  # a replay: answer as the first time, whatever changed since
    resident = (
        findable_residents(user, session).filter(pk=resident_id).first() if resident_id else None
    )
    if resident is None:
        raise AttendanceError("Không tìm thấy người dân này trong danh sách bạn được xem.")
    return _record(session=session, resident=resident, method=method, user=user, key=client_key)


def attendance_by_card(
    *, user: User, session: Session, card_hash: str | None, client_key: uuid.UUID
) -> tuple[Attendance, bool]:
    """A scanned (or typed) card. Any active resident of the session's commune may attend."""
    if done := Attendance.objects.filter(client_key=client_key, session=session).first():
        return done, False
    resident = None
    if card_hash:
        resident = (
            Resident.objects.active()
            .filter(card_token_hash=card_hash, commune_id=session.commune_id)
            .select_related("hamlet")
            .first()
        )
    if resident is None:
        raise AttendanceError(
            "Không nhận ra thẻ này: thẻ không đúng, đã được thay bằng thẻ mới, "
            "hoặc là thẻ của xã khác. Hãy tìm người dân theo tên."
        )
    return _record(
        session=session, resident=resident, method=Attendance.Method.CARD, user=user, key=client_key
    )


def _record(*, session, resident, method, user, key) -> tuple[Attendance, bool]:
    if Attendance.objects.filter(client_key=key).exclude(session=session).exists():
        raise AttendanceError("Mã lượt ghi này đã dùng ở buổi khác. Hãy tải lại trang.")
    return attendance_record(
        session=session, resident=resident, method=method, actor=user, client_key=key
    )


@transaction.atomic
def walk_in_register(
    *,
    user: User,
    session: Session,
    client_key: uuid.UUID,
    full_name: str,
    birth_year: int,
    sex: str,
    phone: str | None,
    consents: Iterable[str],
    allow_same_name: bool = False,
) -> tuple[Resident, Attendance]:
    """Register a newcomer on their behalf (consent recorded as assisted) and mark them present,
    all or nothing. The same key serves the resident and the attendance, so a replay returns
    both first results. Raises ValidationError with the registration's Vietnamese message."""
    if done := Attendance.objects.filter(client_key=client_key).first():
        if done.session_id != session.pk:
            raise ValidationError("Mã lượt ghi này đã dùng ở buổi khác. Hãy tải lại trang.")
        return done.resident, done
    resident = resident_register(
        actor=user,
        hamlet=session.hamlet,
        full_name=full_name,
        birth_year=birth_year,
        sex=sex,
        phone=phone,
        consents=consents,
        client_key=client_key,
        allow_same_name=allow_same_name,
    )
    if resident.commune_id != session.commune_id or resident.anonymised_at:
        raise ValidationError("Mã lượt ghi này đã dùng cho việc khác. Hãy tải lại trang.")
    attendance, _ = attendance_record(
        session=session,
        resident=resident,
        method=Attendance.Method.WALK_IN,
        actor=user,
        client_key=client_key,
    )
    return resident, attendance


def attendance_skills_record(
    *,
    user: User,
    session: Session,
    resident_id: int | None,
    skills: Iterable[str],
    client_key: uuid.UUID,
) -> tuple[Resident, list[str]]:
    """Skills an attendee practised in this session, verified by the volunteer. One key for
    the whole tap; each skill's own key is derived from it, so a replay adds nothing, and a
    skill already ticked in this session is not ticked twice. Returns the skills newly ticked."""
    wanted = [s for s in dict.fromkeys(skills) if s in SKILLS]
    if not wanted:
        raise AttendanceError("Chưa chọn kỹ năng nào.")
    attendance = (
        session.attendances.filter(resident_id=resident_id).select_related("resident").first()
        if resident_id
        else None
    )
    if attendance is None or attendance.resident.anonymised_at:
        raise AttendanceError("Người này chưa được điểm danh ở buổi này.")
    resident = attendance.resident
    done = session_skills(session).get(resident.pk, set())
    added = []
    with transaction.atomic():
        for skill in wanted:
            key = uuid.uuid5(client_key, skill)
            if skill in done and not SkillTick.objects.filter(client_key=key).exists():
                continue
            tick = skill_tick_record(
                resident=resident,
                skill=skill,
                source=SkillTick.Source.VERIFIED,
                actor=user,
                client_key=key,
                session=session,
            )
            if tick.resident_id != resident.pk:  # a key made for someone else: refuse
                raise AttendanceError("Mã lượt ghi này đã dùng cho người khác. Hãy tải lại trang.")
            added.append(skill)
    return resident, added
