"""A demo quiz contest whose questions come from the lessons' check questions. Idempotent."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Role, User
from contests.models import Contest
from contests.services import contest_create, question_create, round_create
from learning.models import Question as LessonQuestion

TITLE = "Cuộc thi tìm hiểu kỹ năng số xã Bạch Ngọc năm 2026"
RULES = (
    "Mỗi người dự thi một lần trong mỗi đợt. Mỗi lượt có 10 câu hỏi trắc nghiệm, làm trong "
    "15 phút, và một câu dự đoán số người trả lời đúng tất cả các câu. Xếp giải theo số câu "
    "đúng, rồi dự đoán gần đúng nhất, rồi thời gian làm bài ngắn nhất. Không dùng số căn cước."
)


def demo_contest_load(commune) -> bool:
    if Contest.objects.filter(commune=commune, title=TITLE).exists():
        return False
    coordinator = User.objects.filter(commune=commune, role=Role.COORDINATOR).first()
    contest = contest_create(
        actor=coordinator, title=TITLE, rules=RULES, audience=Contest.Audience.RESIDENTS
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
    today = timezone.localtime().replace(hour=7, minute=0, second=0, microsecond=0)
    round_create(
        actor=coordinator,
        contest=contest,
        number=1,
        opens_at=today - timedelta(days=2),
        closes_at=today + timedelta(days=12),
        minutes=15,
        questions_per_attempt=10,
    )
    return True
