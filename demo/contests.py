"""A demo quiz contest whose questions come from the lessons' check questions, drawn by topic
shares, with registration fields, a prize structure and some graded attempts; and a contest for
officials. Idempotent: running it again adds nothing and fixes up older demo data."""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Consent, Purpose, Resident, Role, User
from contests.models import Attempt, Contest, Round
from contests.models import Question as ContestQuestion
from contests.services import (
    attempt_answer,
    attempt_start,
    attempt_submit,
    contest_create,
    question_create,
    round_create,
)
from demo.outreach import month_start
from learning.models import Question as LessonQuestion

TITLE = "Cuộc thi tìm hiểu kỹ năng số xã Bạch Ngọc năm 2026"
RULES = (
    "Mỗi người dự thi một lần trong mỗi đợt. Mỗi lượt có 10 câu hỏi trắc nghiệm, làm trong "
    "15 phút, và một câu dự đoán số người trả lời đúng tất cả các câu. Xếp giải theo số câu "
    "đúng, rồi dự đoán gần đúng nhất, rồi thời gian làm bài ngắn nhất. Không dùng số căn cước."
)
# Each draw: 4 on online safety, 3 on online public services, 3 on mobile money.
SHARES = {
    "An toàn trên mạng, phòng lừa đảo": 4,
    "Làm thủ tục hành chính qua mạng": 3,
    "Ngân hàng số, trả tiền qua điện thoại": 3,
}
PRIZES = [
    {"name": "Giải Nhất", "count": 1},
    {"name": "Giải Nhì", "count": 2},
    {"name": "Giải Ba", "count": 3},
    {"name": "Giải Khuyến khích", "count": 5},
]
# Everything a resident's record holds already: residents go straight in.
RESIDENT_FIELDS = ["full_name", "birth_year", "phone"]
OFFICIALS_TITLE = "Hội thi cán bộ, công chức xã Bạch Ngọc với chuyển đổi số"
OFFICIAL_FIELDS = ["full_name", "birth_year", "unit"]
DEMO_PARTICIPANTS = 24
PAST_TITLE = "Cuộc thi nhận diện lừa đảo qua mạng"


def demo_contest_load(commune) -> bool:
    """True if the residents' contest was created by this call."""
    coordinator = User.objects.filter(commune=commune, role=Role.COORDINATOR).first()
    contest = Contest.objects.filter(commune=commune, title=TITLE).first()
    created = contest is None
    if created:
        contest = contest_create(
            actor=coordinator,
            title=TITLE,
            rules=RULES,
            audience=Contest.Audience.RESIDENTS,
            registration_fields=RESIDENT_FIELDS,
        )
        for q in LessonQuestion.objects.filter(commune=commune).select_related("lesson"):
            question_create(
                actor=coordinator,
                contest=contest,
                text=q.text,
                options=q.options,
                answer=q.answer,
                topic=q.lesson.get_topic_display(),
            )
    if not contest.registration_fields:  # demo data from before registration fields
        contest.registration_fields = RESIDENT_FIELDS
        contest.save(update_fields=["registration_fields"])
    today = timezone.localtime().replace(hour=7, minute=0, second=0, microsecond=0)
    round_ = contest.rounds.filter(number=1).first() or round_create(
        actor=coordinator,
        contest=contest,
        number=1,
        opens_at=today - timedelta(days=2),
        closes_at=today + timedelta(days=12),
        minutes=15,
        questions_per_attempt=10,
        topic_shares=SHARES,
        prizes=PRIZES,
    )
    if not round_.topic_shares or not round_.prizes:
        round_.topic_shares, round_.prizes = SHARES, PRIZES
        round_.save(update_fields=["topic_shares", "prizes"])
    _demo_attempts(commune, round_)
    _officials_contest(commune, coordinator, today)
    _past_contest(commune, coordinator)
    return created


def _demo_attempts(commune, round_, *, skip: int = 0, seed: int = 2026) -> None:
    """Some residents who agreed to contests have taken the round (not the demo login)."""
    if round_.attempts.exists() or timezone.now() >= round_.closes_at:
        return
    agreed = Consent.objects.filter(commune=commune, purpose=Purpose.CONTEST, granted=True).values(
        "resident_id"
    )
    people = (
        Resident.objects.active()
        .filter(commune=commune, pk__in=agreed, user__isnull=False)
        .exclude(phone="0912000001")
        .order_by("pk")[skip : skip + DEMO_PARTICIPANTS]
    )
    chance = random.Random(seed)
    keys = dict(ContestQuestion.objects.filter(contest=round_.contest).values_list("id", "answer"))
    for resident in people:
        attempt = attempt_start(round_=round_, resident=resident)
        skill = chance.choice([0.5, 0.7, 0.8, 0.9, 1.0])
        for number, qid in enumerate(attempt.question_ids, start=1):
            order = attempt.option_orders[number - 1]
            choice = chance.randrange(len(order))
            if chance.random() < skill:
                choice = order.index(keys[qid])
            attempt_answer(attempt=attempt, number=number, question_id=qid, choice=choice)
        attempt_submit(
            attempt=attempt, submit_key=attempt.submit_key, prediction=chance.randint(2, 12)
        )
        started = timezone.now() - timedelta(days=chance.randint(0, 2), hours=chance.randint(0, 5))
        Attempt.objects.filter(pk=attempt.pk).update(
            started_at=started,
            submitted_at=started + timedelta(seconds=chance.randint(120, 800)),
            duration_seconds=chance.randint(120, 800),
        )


def _officials_contest(commune, coordinator, today) -> None:
    if Contest.objects.filter(commune=commune, title=OFFICIALS_TITLE).exists():
        return
    contest = contest_create(
        actor=coordinator,
        title=OFFICIALS_TITLE,
        rules="Dành cho cán bộ, công chức, thành viên Tổ công nghệ số. Mỗi người một lượt.",
        audience=Contest.Audience.OFFICIALS,
        registration_fields=OFFICIAL_FIELDS,
    )
    questions = LessonQuestion.objects.filter(
        commune=commune, lesson__topic__in=["dich-vu-cong", "chuyen-doi-so"]
    ).select_related("lesson")
    for q in questions:
        question_create(
            actor=coordinator,
            contest=contest,
            text=q.text,
            options=q.options,
            answer=q.answer,
            topic=q.lesson.get_topic_display(),
        )
    round_create(
        actor=coordinator,
        contest=contest,
        number=1,
        opens_at=today - timedelta(days=1),
        closes_at=today + timedelta(days=6),
        minutes=10,
        questions_per_attempt=min(8, questions.count()),
        prizes=[{"name": "Giải Nhất", "count": 1}, {"name": "Giải Nhì", "count": 1}],
    )


def _past_contest(commune, coordinator) -> None:
    """A short contest on spotting scams, held in the middle of last month: results are out."""
    if Contest.objects.filter(commune=commune, title=PAST_TITLE).exists():
        return
    contest = contest_create(
        actor=coordinator,
        title=PAST_TITLE,
        rules="Mỗi người dự thi một lần. Mỗi lượt 8 câu hỏi trắc nghiệm về các kiểu lừa đảo "
        "thường gặp, làm trong 10 phút.",
        audience=Contest.Audience.RESIDENTS,
        registration_fields=RESIDENT_FIELDS,
    )
    questions = LessonQuestion.objects.filter(
        commune=commune, lesson__topic="an-toan"
    ).select_related("lesson")
    for q in questions:
        question_create(
            actor=coordinator,
            contest=contest,
            text=q.text,
            options=q.options,
            answer=q.answer,
            topic=q.lesson.get_topic_display(),
        )
    # Open now so the demo residents can take it, then moved back to last month.
    now = timezone.now()
    round_ = round_create(
        actor=coordinator,
        contest=contest,
        number=1,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=1),
        minutes=10,
        questions_per_attempt=min(8, questions.count()),
        prizes=[{"name": "Giải Nhất", "count": 1}, {"name": "Giải Nhì", "count": 2}],
    )
    _demo_attempts(commune, round_, skip=DEMO_PARTICIPANTS, seed=2025)
    first = month_start(timezone.localdate(), 1)
    opens = timezone.make_aware(datetime.combine(first + timedelta(days=9), time(7)))
    closes = opens + timedelta(days=7, hours=14)
    Round.objects.filter(pk=round_.pk).update(opens_at=opens, closes_at=closes)
    chance = random.Random(PAST_TITLE)
    for attempt in round_.attempts.all():
        started = opens + timedelta(days=chance.randint(0, 6), hours=chance.randint(1, 12))
        duration = attempt.duration_seconds or 300
        Attempt.objects.filter(pk=attempt.pk).update(
            started_at=started,
            deadline=started + timedelta(minutes=round_.minutes),
            submitted_at=started + timedelta(seconds=duration),
        )
