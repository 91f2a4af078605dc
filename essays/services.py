"""Every write in the essays app: organisers set up contests, authors submit, judges score,
visitors vote. Each write validates first and runs in one transaction, so a refusal leaves
nothing half-saved. Refusals are `EssayRefused` (or Django's ValidationError from forms) with a
Vietnamese message for the person on the other side.
"""

import hashlib
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import STAFF_ROLES, AuditEntry, Purpose, Resident, Role, User
from accounts.selectors import granted_purposes
from accounts.services import audit_record, changes, snapshot
from essays.models import Criterion, Entry, EntryPhoto, EssayContest, Judge, Score, Vote
from learning.images import webp_from_upload
from lib.video import video_host

ORGANISERS = (Role.ADMIN, Role.COORDINATOR)
ASSISTANTS = (Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER)
MAX_PHOTOS = 3
MAX_CRITERIA = 8
TITLE_MAX = 200
TEXT_MAX_CHARS = 50_000
# Anonymous votes from one network address per contest per day. Village phones share carrier
# addresses (CGNAT), so the cap is generous; the signed cookie is what stops a second vote.
VOTE_IP_DAILY_LIMIT = 30
CONTEST_FIELDS = [
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

VIDEO_HOSTS = {
    "youtube.com": "YouTube",
    "youtu.be": "YouTube",
    "facebook.com": "Facebook",
    "fb.watch": "Facebook",
    "zalo.me": "Zalo",
    "tiktok.com": "TikTok",
    "vt.tiktok.com": "TikTok",
}
BAD_VIDEO_LINK = (
    "Đường link video chưa đúng. Chỉ nhận link YouTube, Facebook, Zalo hoặc TikTok, "
    "bắt đầu bằng https://"
)
_WORD = re.compile(r"\w+", re.UNICODE)


class EssayRefused(Exception):
    """A request the rules do not allow; str() is the Vietnamese message to show."""


# -- Small helpers ----------------------------------------------------------------------------


def word_count(text: str) -> int:
    return len(_WORD.findall(text or ""))


def video_provider(url: str) -> str:
    """'YouTube', 'Facebook', 'Zalo' or 'TikTok'; EssayRefused for anything else."""
    host = video_host(url)
    if host not in VIDEO_HOSTS:
        raise EssayRefused(BAD_VIDEO_LINK)
    return VIDEO_HOSTS[host]


def photo_from_upload(uploaded_file) -> bytes:
    """A photo as a WebP of at most 40 KB (the shared lesson-image converter)."""
    cap = settings.LESSON_UPLOAD_MAX_BYTES
    limit = f"{cap // 2**20} MB" if cap >= 2**20 else f"{cap // 1024} KB"
    too_big = EssayRefused(
        f"Ảnh “{uploaded_file.name}” quá lớn. Mỗi ảnh tối đa {limit}; hãy chọn ảnh nhỏ hơn."
    )
    if uploaded_file.size is None or uploaded_file.size > cap:
        raise too_big
    data = uploaded_file.read(cap + 1)
    if len(data) > cap:
        raise too_big
    try:
        return webp_from_upload(data, max_bytes=settings.LESSON_IMAGE_MAX_BYTES)
    except Exception as error:  # ValidationError with a Vietnamese message
        message = " ".join(getattr(error, "messages", [str(error)]))
        raise EssayRefused(f"Ảnh “{uploaded_file.name}”: {message}") from None


def is_open_for_entries(contest: EssayContest, now=None) -> bool:
    now = now or timezone.now()
    return (
        contest.status == EssayContest.Status.ANNOUNCED
        and contest.opens_at <= now < contest.closes_at
    )


def is_voting_open(contest: EssayContest, now=None) -> bool:
    now = now or timezone.now()
    return (
        contest.voting_enabled
        and contest.status != EssayContest.Status.DRAFT
        and contest.voting_opens_at is not None
        and contest.voting_closes_at is not None
        and contest.voting_opens_at <= now < contest.voting_closes_at
    )


def has_contest_consent(resident: Resident) -> bool:
    return Purpose.CONTEST in granted_purposes(resident)


# -- Organiser: contest, rubric, panel ---------------------------------------------------------


def _check_contest_fields(fields: dict) -> None:
    if fields["closes_at"] <= fields["opens_at"]:
        raise EssayRefused("Hạn nộp bài phải sau ngày bắt đầu nhận bài.")
    if fields.get("voting_enabled"):
        start, end = fields.get("voting_opens_at"), fields.get("voting_closes_at")
        if not start or not end:
            raise EssayRefused("Có bình chọn thì cần ghi thời gian bắt đầu và kết thúc bình chọn.")
        if end <= start:
            raise EssayRefused("Thời gian kết thúc bình chọn phải sau lúc bắt đầu.")


def contest_create(*, actor: User, **fields) -> EssayContest:
    _check_contest_fields(fields)
    contest = EssayContest.objects.create(commune_id=actor.commune_id, **fields)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, target=contest)
    return contest


def contest_update(*, actor: User, contest: EssayContest, **fields) -> EssayContest:
    _check_contest_fields(fields)
    if contest.results_published:
        raise EssayRefused("Cuộc thi đã công bố kết quả, không sửa được nữa.")
    before = snapshot(contest, CONTEST_FIELDS)
    for name, value in fields.items():
        setattr(contest, name, value)
    contest.save(update_fields=[*fields, "updated_at"])
    old, new = changes(before, snapshot(contest, CONTEST_FIELDS))
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=contest,
        before={k: str(v) for k, v in old.items()},
        after={k: str(v) for k, v in new.items()},
    )
    return contest


def contest_announce(*, actor: User, contest: EssayContest) -> EssayContest:
    """Make the contest public (entries are then taken between its open and close times)."""
    if contest.status != EssayContest.Status.DRAFT:
        return contest
    weights = [c.weight for c in contest.criteria.all()]
    if not weights or sum(weights) != 100:
        raise EssayRefused("Cần đặt tiêu chí chấm (tổng trọng số 100%) trước khi phát động.")
    contest.status = EssayContest.Status.ANNOUNCED
    contest.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor, action=AuditEntry.Action.UPDATE, target=contest, after={"status": "announced"}
    )
    return contest


@dataclass
class CriterionRow:
    name: str
    description: str
    weight: int
    max_points: int


@transaction.atomic
def rubric_set(*, actor: User, contest: EssayContest, rows: list[CriterionRow]) -> list[Criterion]:
    """Replace the rubric as a whole. Locked once a judge has scored anything."""
    rows = [r for r in rows if r.name.strip()]
    if not rows:
        raise EssayRefused("Cần ít nhất một tiêu chí chấm.")
    if len(rows) > MAX_CRITERIA:
        raise EssayRefused(f"Tối đa {MAX_CRITERIA} tiêu chí.")
    for row in rows:
        if not 1 <= row.weight <= 100:
            raise EssayRefused(f"Trọng số của “{row.name}” phải từ 1 đến 100.")
        if not 1 <= row.max_points <= 100:
            raise EssayRefused(f"Điểm tối đa của “{row.name}” phải từ 1 đến 100.")
    total = sum(r.weight for r in rows)
    if total != 100:
        raise EssayRefused(f"Tổng trọng số phải bằng 100%, hiện là {total}%.")
    if Score.objects.filter(criterion__contest=contest).exists():
        raise EssayRefused("Giám khảo đã bắt đầu chấm nên không đổi tiêu chí được nữa.")
    contest.criteria.all().delete()
    criteria = [
        Criterion.objects.create(
            commune_id=contest.commune_id,
            contest=contest,
            name=row.name.strip(),
            description=row.description.strip(),
            weight=row.weight,
            max_points=row.max_points,
            position=position,
        )
        for position, row in enumerate(rows, start=1)
    ]
    audit_record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        target=contest,
        after={"tiêu chí": [str(c) for c in criteria]},
    )
    return criteria


def judge_add(*, actor: User, contest: EssayContest, user: User) -> Judge:
    if user.role not in STAFF_ROLES or user.commune_id != contest.commune_id:
        raise EssayRefused("Chỉ cán bộ, tình nguyện viên của xã mới vào ban giám khảo được.")
    judge, created = Judge.objects.get_or_create(
        contest=contest, user=user, defaults={"commune_id": contest.commune_id}
    )
    if created:
        audit_record(actor=actor, action=AuditEntry.Action.CREATE, target=judge)
    return judge


def judge_remove(*, actor: User, judge: Judge) -> None:
    if judge.contest.results_published:
        raise EssayRefused("Cuộc thi đã công bố kết quả, không đổi ban giám khảo được.")
    audit_record(actor=actor, action=AuditEntry.Action.DELETE, target=judge)
    judge.delete()


# -- Authors -----------------------------------------------------------------------------------


def entry_submit(
    *,
    contest: EssayContest,
    entered_by: User,
    title: str,
    text: str,
    client_key: uuid.UUID,
    resident: Resident | None = None,
    video_url: str = "",
    photos: list[bytes] = (),
) -> tuple[Entry, bool]:
    """Store an entry with its (already converted) photos. (entry, created).

    The author is `resident`, or `entered_by` themselves when the contest is for officials.
    A replay of the same client_key returns the first entry and stores nothing new.
    """
    if prior := Entry.objects.filter(client_key=client_key).first():
        if prior.contest_id != contest.pk:
            raise EssayRefused("Trang này đã cũ. Hãy tải lại trang rồi gửi lại.")
        return prior, False
    staff_author = None
    if contest.audience == EssayContest.Audience.RESIDENTS:
        if resident is None:
            raise EssayRefused("Cuộc thi này dành cho người dân.")
        if resident.commune_id != contest.commune_id:
            raise EssayRefused("Người dự thi không thuộc xã tổ chức cuộc thi.")
        if not has_contest_consent(resident):
            raise EssayRefused(
                "Người dự thi chưa đồng ý “Tham gia các cuộc thi trực tuyến”. "
                "Hãy ghi nhận sự đồng ý trước khi gửi bài."
            )
        taken = Entry.objects.filter(contest=contest, resident=resident)
    else:
        if resident is not None or entered_by.role not in STAFF_ROLES:
            raise EssayRefused("Cuộc thi này dành cho cán bộ, công chức.")
        if entered_by.commune_id != contest.commune_id:
            raise EssayRefused("Bạn không thuộc xã tổ chức cuộc thi.")
        staff_author = entered_by
        taken = Entry.objects.filter(contest=contest, staff_author=entered_by)
    if not is_open_for_entries(contest):
        raise EssayRefused("Cuộc thi chưa mở hoặc đã hết hạn nhận bài.")
    title = " ".join((title or "").replace("\x00", "").split())
    text = (text or "").replace("\x00", "").strip()
    if not title:
        raise EssayRefused("Bài dự thi cần có tiêu đề.")
    if len(title) > TITLE_MAX:
        raise EssayRefused(f"Tiêu đề dài quá, tối đa {TITLE_MAX} ký tự.")
    words = word_count(text)
    if not words:
        raise EssayRefused("Bài viết đang để trống. Hãy viết nội dung bài dự thi.")
    if words > contest.max_words or len(text) > TEXT_MAX_CHARS:
        raise EssayRefused(
            f"Bài viết dài {words} chữ, quá giới hạn {contest.max_words} chữ của cuộc thi. "
            "Hãy viết ngắn lại."
        )
    video_url = (video_url or "").strip()
    provider = video_provider(video_url) if video_url else ""
    if len(photos) > MAX_PHOTOS:
        raise EssayRefused(f"Mỗi bài gửi tối đa {MAX_PHOTOS} ảnh.")
    if taken.exists():
        raise EssayRefused("Mỗi người chỉ gửi một bài cho cuộc thi này, và bài đã được gửi rồi.")
    try:
        with transaction.atomic():
            entry = Entry.objects.create(
                commune_id=contest.commune_id,
                contest=contest,
                resident=resident,
                staff_author=staff_author,
                entered_by=entered_by,
                title=title,
                text=text,
                word_count=words,
                video_url=video_url,
                video_provider=provider,
                client_key=client_key,
            )
            for position, image in enumerate(photos, start=1):
                EntryPhoto.objects.create(
                    commune_id=contest.commune_id, entry=entry, position=position, image=image
                )
            audit_record(
                actor=entered_by,
                action=AuditEntry.Action.CREATE,
                target=entry,
                after={"nhập giúp": entry.is_assisted, "số ảnh": len(photos)},
            )
    except IntegrityError:  # a second tap raced the first
        if prior := Entry.objects.filter(client_key=client_key).first():
            return prior, False
        raise EssayRefused(
            "Mỗi người chỉ gửi một bài cho cuộc thi này, và bài đã được gửi rồi."
        ) from None
    return entry, True


# -- Coordinator: moderation -------------------------------------------------------------------


def entry_moderate(*, actor: User, entry: Entry, approve: bool, note: str = "") -> Entry:
    note = " ".join((note or "").split())[:500]
    if not approve and not note:
        raise EssayRefused("Không duyệt bài thì cần ghi lý do để báo cho tác giả.")
    with transaction.atomic():
        entry = Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)
        if entry.contest.results_published:
            raise EssayRefused("Cuộc thi đã công bố kết quả, không đổi trạng thái bài được nữa.")
        if not approve and entry.scores.exists():
            raise EssayRefused("Bài đã được giám khảo chấm, không chuyển sang “không duyệt” được.")
        before = {"status": entry.status, "note": entry.moderation_note}
        entry.status = Entry.Status.APPROVED if approve else Entry.Status.REJECTED
        entry.moderation_note = note
        entry.moderated_by = actor
        entry.moderated_at = timezone.now()
        entry.save(
            update_fields=[
                "status",
                "moderation_note",
                "moderated_by",
                "moderated_at",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            target=entry,
            before=before,
            after={"status": entry.status, "note": note},
        )
    return entry


# -- Judges -------------------------------------------------------------------------------------


def scores_save(*, judge: User, entry: Entry, points: dict[int, Decimal]) -> list[Score]:
    """Save one judge's points for every criterion of one entry, all or nothing."""
    contest = entry.contest
    if not Judge.objects.filter(contest=contest, user=judge).exists():
        raise EssayRefused("Bạn không có tên trong ban giám khảo của cuộc thi này.")
    if entry.status != Entry.Status.APPROVED:
        raise EssayRefused("Chỉ chấm bài đã được duyệt.")
    if contest.results_published:
        raise EssayRefused("Cuộc thi đã công bố kết quả, không sửa điểm được nữa.")
    criteria = list(contest.criteria.all())
    if set(points) != {c.pk for c in criteria}:
        raise EssayRefused("Hãy cho điểm đủ tất cả các tiêu chí.")
    for criterion in criteria:
        value = points[criterion.pk]
        if value is None:
            raise EssayRefused(f"Hãy cho điểm tiêu chí “{criterion.name}”.")
        if not Decimal(0) <= value <= criterion.max_points:
            raise EssayRefused(
                f"Điểm “{criterion.name}” phải từ 0 đến {criterion.max_points}, không được {value}."
            )
        if value != value.quantize(Decimal("0.1")):
            raise EssayRefused(f"Điểm “{criterion.name}” chỉ lấy một chữ số sau dấu phẩy.")
    saved = []
    with transaction.atomic():
        for criterion in criteria:
            score, _ = Score.objects.update_or_create(
                entry=entry,
                criterion=criterion,
                judge=judge,
                defaults={"points": points[criterion.pk], "commune_id": entry.commune_id},
            )
            saved.append(score)
        audit_record(
            actor=judge,
            action=AuditEntry.Action.UPDATE,
            target=entry,
            after={"chấm điểm": {c.name: str(points[c.pk]) for c in criteria}},
        )
    return saved


# -- Results ------------------------------------------------------------------------------------

PRIZE_ORDER = [
    Entry.Prize.FIRST,
    Entry.Prize.SECOND,
    Entry.Prize.THIRD,
    Entry.Prize.HONOURABLE,
]


def results_publish(*, actor: User, contest: EssayContest, prizes: dict[str, int]) -> list[Entry]:
    """Freeze the ranking and hand out prizes in rank order (e.g. 1 Nhất, 1 Nhì, 2 Ba, 3 KK)."""
    from essays.selectors import jury_ranking

    with transaction.atomic():
        contest = EssayContest.objects.select_for_update().get(pk=contest.pk)
        if contest.results_published:
            return list(contest.entries.filter(prize__gt="").order_by("rank"))
        if contest.status != EssayContest.Status.ANNOUNCED:
            raise EssayRefused("Cuộc thi chưa phát động.")
        if timezone.now() < contest.closes_at:
            raise EssayRefused("Chưa hết hạn nộp bài, chưa công bố kết quả được.")
        if Entry.objects.filter(contest=contest, status=Entry.Status.SUBMITTED).exists():
            raise EssayRefused("Còn bài chờ duyệt. Hãy duyệt hết trước khi công bố kết quả.")
        ranking = jury_ranking(contest)
        if not ranking:
            raise EssayRefused("Chưa có bài nào được duyệt và chấm.")
        missing = [row["entry"].title for row in ranking if not row["complete"]]
        if missing:
            raise EssayRefused(
                "Còn bài chưa được chấm đủ bởi mọi giám khảo: " + "; ".join(missing[:5]) + "."
            )
        awards: list[str] = []
        for prize in PRIZE_ORDER:
            count = prizes.get(prize, 0)
            if count < 0 or count > 50:
                raise EssayRefused("Số giải mỗi loại từ 0 đến 50.")
            awards += [prize] * count
        if not awards:
            raise EssayRefused("Hãy ghi số giải cần trao.")
        winners = []
        for row in ranking:
            entry = row["entry"]
            entry.final_score = row["score"]
            entry.rank = row["rank"]
            entry.prize = awards[row["rank"] - 1] if row["rank"] <= len(awards) else ""
            entry.save(update_fields=["final_score", "rank", "prize", "updated_at"])
            if entry.prize:
                winners.append(entry)
        contest.status = EssayContest.Status.RESULTS
        contest.results_published_at = timezone.now()
        contest.save(update_fields=["status", "results_published_at", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            target=contest,
            after={"công bố kết quả": {e.title: e.get_prize_display() for e in winners}},
        )
    return winners


# -- Public votes -------------------------------------------------------------------------------


def ip_hash(ip: str, day) -> str:
    """A daily-salted hash: counts votes per address per day without keeping the address."""
    raw = f"{settings.SECRET_KEY}|{day.isoformat()}|{ip}".encode()
    return hashlib.sha256(raw).hexdigest()


def voter_for(*, user: User | None, cookie_token: str) -> str:
    if user is not None and user.is_authenticated:
        resident = getattr(user, "resident", None) if user.role == Role.RESIDENT else None
        return f"r{resident.pk}" if resident is not None else f"u{user.pk}"
    return f"c{cookie_token}" if cookie_token else ""


def vote_cast(*, entry: Entry, voter: str, ip: str = "") -> tuple[Vote, bool]:
    """One vote per voter per contest. (vote, created); voting again for the same entry is a
    harmless retry, voting for a second entry is refused."""
    contest = entry.contest
    if not voter:
        raise EssayRefused(
            "Chưa bình chọn được: trình duyệt đang chặn cookie. Hãy mở lại trang bài thi "
            "rồi bấm bình chọn, hoặc đăng nhập."
        )
    if not is_voting_open(contest):
        raise EssayRefused("Cuộc thi hiện không mở bình chọn.")
    if entry.status != Entry.Status.APPROVED:
        raise EssayRefused("Chỉ bình chọn cho bài đã được duyệt.")
    if prior := Vote.objects.filter(contest=contest, voter=voter).select_related("entry").first():
        if prior.entry_id == entry.pk:
            return prior, False
        raise EssayRefused(
            f"Bạn đã bình chọn cho bài “{prior.entry.title}” rồi. "
            "Mỗi người chỉ bình chọn một lần trong cuộc thi."
        )
    today = timezone.localdate()
    hashed = ip_hash(ip, today) if ip else ""
    if (
        voter.startswith("c")
        and hashed
        and Vote.objects.filter(contest=contest, ip_hash=hashed, day=today).count()
        >= VOTE_IP_DAILY_LIMIT
    ):
        raise EssayRefused(
            "Hôm nay có quá nhiều lượt bình chọn từ cùng một mạng. Hãy đăng nhập để bình chọn, "
            "hoặc thử lại vào ngày mai."
        )
    try:
        with transaction.atomic():
            vote = Vote.objects.create(
                commune_id=contest.commune_id,
                contest=contest,
                entry=entry,
                voter=voter,
                ip_hash=hashed,
                day=today,
            )
    except IntegrityError:  # a double tap raced us
        prior = Vote.objects.get(contest=contest, voter=voter)
        if prior.entry_id == entry.pk:
            return prior, False
        raise EssayRefused("Mỗi người chỉ bình chọn một lần trong cuộc thi.") from None
    return vote, True
