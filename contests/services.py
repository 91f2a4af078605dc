"""Every write in the contests app: staff set up contests, residents take them."""

import logging
import secrets
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import AuditEntry, Resident, User
from accounts.services import audit_record
from contests.models import Attempt, Contest, Question, Round

log = logging.getLogger(__name__)
_random = secrets.SystemRandom()


class ContestRefused(Exception):
    """A participant's request that the rules do not allow; the message is for them."""


def contest_create(*, actor: User, title: str, rules: str, audience: str) -> Contest:
    contest = Contest.objects.create(
        commune_id=actor.commune_id, title=title, rules=rules, audience=audience
    )
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, target=contest)
    return contest


def round_create(*, actor: User, contest: Contest, **fields) -> Round:
    round_ = Round.objects.create(commune_id=contest.commune_id, contest=contest, **fields)
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, target=round_)
    return round_


def question_create(
    *,
    actor: User,
    contest: Contest,
    text: str,
    options: list[str],
    answer: int,
    topic: str = "",
    difficulty: str = Question.Difficulty.MEDIUM,
) -> Question:
    if not 3 <= len(options) <= 4 or not 0 <= answer < len(options):
        raise ValueError("a question needs 3–4 options and an answer among them")
    question = Question.objects.create(
        commune_id=contest.commune_id,
        contest=contest,
        text=text,
        options=options,
        answer=answer,
        topic=topic,
        difficulty=difficulty,
    )
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, target=question)
    return question


def attempt_start(*, resident: Resident, round_: Round) -> Attempt:
    """Draw this participant's questions, or hand back the attempt they already have."""
    now = timezone.now()
    if round_.commune_id != resident.commune_id:
        raise ContestRefused("Đợt thi này không thuộc xã của bạn.")
    existing = (
        Attempt.objects.filter(round=round_, resident=resident).order_by("-started_at").first()
    )
    if existing is not None and (not round_.is_practice or not existing.is_submitted):
        return existing
    if not round_.opens_at <= now < round_.closes_at:
        raise ContestRefused("Đợt thi này chưa mở hoặc đã kết thúc.")
    if round_.is_practice:
        used = Attempt.objects.filter(round=round_, resident=resident).count()
        if used >= round_.attempts_allowed:
            raise ContestRefused("Bạn đã dùng hết số lượt thi thử của đợt này.")
    pool = list(Question.objects.filter(contest_id=round_.contest_id).values_list("id", "options"))
    if len(pool) < round_.questions_per_attempt:
        raise ContestRefused("Đợt thi chưa đủ câu hỏi. Vui lòng quay lại sau.")
    drawn = _random.sample(pool, round_.questions_per_attempt)
    orders = []
    for _, options in drawn:
        order = list(range(len(options)))
        _random.shuffle(order)
        orders.append(order)
    deadline = min(now + timezone.timedelta(minutes=round_.minutes), round_.closes_at)
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                commune_id=round_.commune_id,
                round=round_,
                resident=resident,
                is_practice=round_.is_practice,
                started_at=now,
                deadline=deadline,
                question_ids=[qid for qid, _ in drawn],
                option_orders=orders,
            )
    except IntegrityError:  # a double tap raced us: the first attempt wins
        return Attempt.objects.get(round=round_, resident=resident, is_practice=False)


def attempt_answer(*, attempt: Attempt, number: int, question_id: int, choice: int) -> Attempt:
    """Keep one answer at once. `choice` is the position shown on screen, from 0."""
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        late = not attempt.is_submitted and timezone.now() >= attempt.deadline
        if late:
            _grade(attempt)
    if late:
        raise ContestRefused(
            "Đã hết giờ làm bài, câu trả lời này không được tính. "
            "Bài đã được chấm với các câu bạn trả lời trước khi hết giờ."
        )
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.is_submitted:
            raise ContestRefused("Bài thi đã nộp, không sửa được nữa.")
        if not 1 <= number <= len(attempt.question_ids):
            raise ContestRefused("Câu hỏi không có trong bài thi của bạn.")
        if attempt.question_ids[number - 1] != question_id:
            log.warning("contest attempt %s: tampered question id %s", attempt.pk, question_id)
            raise ContestRefused("Câu hỏi không có trong bài thi của bạn.")
        order = attempt.option_orders[number - 1]
        if not 0 <= choice < len(order):
            log.warning("contest attempt %s: tampered option %s", attempt.pk, choice)
            raise ContestRefused("Phương án trả lời không hợp lệ.")
        attempt.answers[str(question_id)] = order[choice]
        attempt.save(update_fields=["answers"])
    return attempt


def attempt_submit(*, attempt: Attempt, submit_key: uuid.UUID, prediction: int | None) -> Attempt:
    """Grade on the server. Idempotent: a retried submit returns the graded attempt unchanged.

    The locked read is scoped to the attempt's resident, so a caller may pass an unsaved
    Attempt(pk=..., resident=...) and get Attempt.DoesNotExist for someone else's attempt.
    """
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(
            pk=attempt.pk, resident_id=attempt.resident_id
        )
        if attempt.submit_key != submit_key:
            log.warning("contest attempt %s: wrong submit key", attempt.pk)
            raise ContestRefused("Mã nộp bài không đúng. Hãy tải lại trang rồi nộp lại.")
        if attempt.is_submitted:
            return attempt
        if timezone.now() < attempt.deadline:
            attempt.prediction = prediction
        _grade(attempt)
    return attempt


def _grade(attempt: Attempt) -> None:
    """Mark with what was saved; the caller holds the row lock."""
    if attempt.is_submitted:
        return
    now = timezone.now()
    keys = dict(Question.objects.filter(pk__in=attempt.question_ids).values_list("id", "answer"))
    score = sum(1 for qid in attempt.question_ids if attempt.answers.get(str(qid)) == keys[qid])
    attempt.score = score
    attempt.all_correct = score == len(attempt.question_ids)
    attempt.submitted_at = now
    attempt.duration_seconds = int(
        (min(now, attempt.deadline) - attempt.started_at).total_seconds()
    )
    attempt.save(
        update_fields=["score", "all_correct", "submitted_at", "duration_seconds", "prediction"]
    )
