"""Every write in the contests app: staff set up contests, participants take them."""

import logging
import secrets
import uuid
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.models import AuditEntry, Purpose, Resident, User
from accounts.selectors import granted_purposes
from accounts.services import audit_record, changes, consent_set, snapshot
from contests.importer import question_key
from contests.models import Attempt, Contest, PaperSheet, Question, Registration, Round
from lib import plainsql
from lib.vntext import fold

log = logging.getLogger("contests")
_random = secrets.SystemRandom()

# A paper sheet can be keyed in this long after its round closes (sheets come back by hand).
PAPER_GRACE = timedelta(hours=48)
SHEET_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY3479"  # no 0/O, 1/I, 2/Z, 5/S, 6/B, 8
ROUND_FIELDS = [
    "number",
    "opens_at",
    "closes_at",
    "minutes",
    "questions_per_attempt",
    "attempts_allowed",
    "is_practice",
    "topic_shares",
    "prizes",
]
QUESTION_FIELDS = ["text", "options", "answer", "topic", "difficulty"]


class ContestRefused(Exception):
    """A request that the rules do not allow; the message is for the person who made it."""


# Setting up ------------------------------------------------------------------------------


def contest_create(
    *, actor: User, title: str, rules: str, audience: str, registration_fields=()
) -> Contest:
    contest = Contest.objects.create(
        commune_id=actor.commune_id,
        title=title,
        rules=rules,
        audience=audience,
        registration_fields=list(registration_fields),
    )
    audit_record(actor=actor, action=AuditEntry.Action.CREATE, target=contest)
    return contest


def contest_update(*, actor: User, contest: Contest, **fields) -> Contest:
    names = ["title", "rules", "audience", "registration_fields"]
    before = snapshot(contest, names)
    for name, value in fields.items():
        if name not in names:
            raise ValueError(f"{name} is not an editable contest field")
        setattr(contest, name, list(value) if name == "registration_fields" else value)
    contest.save(update_fields=[*fields, "updated_at"])
    old, new = changes(before, snapshot(contest, names))
    if new:
        audit_record(
            actor=actor, action=AuditEntry.Action.UPDATE, target=contest, before=old, after=new
        )
    return contest


def draw_problem(round_: Round) -> str | None:
    """Why this round's bank cannot fill a draw, or None when it can."""
    total = Question.objects.filter(contest_id=round_.contest_id).count()
    if total < round_.questions_per_attempt:
        return (
            f"Ngân hàng câu hỏi mới có {total} câu, chưa đủ {round_.questions_per_attempt} câu "
            "cho mỗi lượt thi. Hãy thêm câu hỏi hoặc giảm số câu mỗi lượt."
        )
    return None


def _refuse_open_round_without_questions(round_: Round) -> None:
    now = timezone.now()
    if round_.opens_at <= now < round_.closes_at and (problem := draw_problem(round_)):
        raise ContestRefused("Chưa mở được đợt thi này. " + problem)


def round_create(*, actor: User, contest: Contest, **fields) -> Round:
    with transaction.atomic():
        round_ = Round(commune_id=contest.commune_id, contest=contest, **fields)
        _refuse_open_round_without_questions(round_)
        round_.save()
        audit_record(actor=actor, action=AuditEntry.Action.CREATE, target=round_)
    return round_


def round_update(*, actor: User, round_: Round, **fields) -> Round:
    before = snapshot(round_, ROUND_FIELDS)
    for name, value in fields.items():
        if name not in ROUND_FIELDS:
            raise ValueError(f"{name} is not an editable round field")
        setattr(round_, name, value)
    with transaction.atomic():
        _refuse_open_round_without_questions(round_)
        round_.save(update_fields=[*fields, "updated_at"])
        old, new = changes(before, snapshot(round_, ROUND_FIELDS))
        if new:
            audit_record(
                actor=actor,
                action=AuditEntry.Action.UPDATE,
                target=round_,
                before=_jsonable(old),
                after=_jsonable(new),
            )
    return round_


def _jsonable(values: dict) -> dict:
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}


def round_delete(*, actor: User, round_: Round) -> None:
    with transaction.atomic():
        if round_.attempts.exists() or round_.paper_sheets.exists():
            raise ContestRefused(
                "Không xóa được đợt thi đã có người dự thi (kể cả phiếu thi giấy đã in). "
                "Nếu cần dừng, hãy sửa giờ đóng của đợt."
            )
        audit_record(actor=actor, action=AuditEntry.Action.DELETE, target=round_)
        round_.delete()


def _check_question(text: str, options: list[str], answer: int) -> None:
    if not text.strip():
        raise ValueError("a question needs a text")
    if not 2 <= len(options) <= 4 or not all(o.strip() for o in options):
        raise ValueError("a question needs 2–4 options")
    if not 0 <= answer < len(options):
        raise ValueError("the answer must be one of the options")


def _duplicate(contest: Contest, text: str, exclude: int | None = None) -> bool:
    key = question_key(text)
    others = Question.objects.filter(contest=contest).exclude(pk=exclude)
    return any(question_key(t) == key for t in others.values_list("text", flat=True))


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
    _check_question(text, options, answer)
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


def question_in_use(question: Question) -> bool:
    """Drawn in an attempt or printed on a paper sheet of any round of its contest."""
    for model in (Attempt, PaperSheet):
        drawn = model.objects.filter(round__contest_id=question.contest_id).values_list(
            "question_ids", flat=True
        )
        if any(question.pk in ids for ids in drawn.iterator()):
            return True
    return False


def question_update(*, actor: User, question: Question, **fields) -> Question:
    before = snapshot(question, QUESTION_FIELDS)
    for name, value in fields.items():
        if name not in QUESTION_FIELDS:
            raise ValueError(f"{name} is not an editable question field")
        setattr(question, name, value)
    _check_question(question.text, question.options, question.answer)
    key_changed = (question.answer, len(question.options)) != (
        before["answer"],
        len(before["options"]),
    )
    with transaction.atomic():
        if key_changed and question_in_use(question):
            raise ContestRefused(
                "Câu hỏi đã có người làm: không đổi được đáp án hay số phương án (bài đã chấm sẽ "
                "sai lệch). Chỉ sửa được lời câu hỏi, lời các phương án, chủ đề, độ khó."
            )
        question.save(update_fields=[*fields, "updated_at"])
        old, new = changes(before, snapshot(question, QUESTION_FIELDS))
        if new:
            audit_record(
                actor=actor, action=AuditEntry.Action.UPDATE, target=question, before=old, after=new
            )
    return question


def question_delete(*, actor: User, question: Question) -> None:
    with transaction.atomic():
        if question_in_use(question):
            raise ContestRefused(
                "Không xóa được câu hỏi đã có người làm hoặc đã in trên phiếu thi giấy: "
                "xóa đi thì không chấm lại được các bài đó."
            )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            target=question,
            before=snapshot(question, QUESTION_FIELDS),
        )
        question.delete()


class ImportBlocked(Exception):
    def __init__(self, duplicates: list[int]):
        super().__init__(f"{len(duplicates)} duplicates")
        self.rows = duplicates


def questions_import(*, actor: User, contest: Contest, rows: list[dict]) -> int:
    """All rows or none; a row whose question entered the bank since the preview blocks all."""
    with transaction.atomic():
        existing = {question_key(t) for t in contest.questions.values_list("text", flat=True)}
        clashes = [r["row"] for r in rows if question_key(r["text"]) in existing]
        if clashes:
            raise ImportBlocked(clashes)
        Question.objects.bulk_create(
            Question(
                commune_id=contest.commune_id,
                contest=contest,
                text=r["text"],
                options=r["options"],
                answer=r["answer"],
                topic=r["topic"],
                difficulty=r["difficulty"],
            )
            for r in rows
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            target=contest,
            after={"questions_imported": len(rows)},
        )
    return len(rows)


# Registering -----------------------------------------------------------------------------


def registration_for(contest: Contest, *, resident=None, official=None) -> Registration | None:
    return Registration.objects.filter(
        contest=contest, resident=resident, official=official
    ).first()


def registration_record(
    *,
    contest: Contest,
    resident: Resident | None = None,
    official: User | None = None,
    full_name: str = "",
    birth_year: int | None = None,
    phone: str = "",
    hamlet=None,
    organisation=None,
    consent: bool = False,
) -> Registration:
    """Keep a participant's entry to a contest (once). Residents need the CONTEST consent."""
    if (resident is None) == (official is None):
        raise ValueError("a registration is for one resident or one official")
    if resident is not None and Purpose.CONTEST not in granted_purposes(resident):
        if not consent:
            raise ContestRefused("Bạn cần đồng ý cho xã lưu thông tin dự thi của bạn.")
        consent_set(
            resident=resident, purpose=Purpose.CONTEST, granted=True, actor=None, method="self"
        )
    try:
        with transaction.atomic():
            return Registration.objects.create(
                commune_id=contest.commune_id,
                contest=contest,
                resident=resident,
                official=official,
                full_name=full_name,
                birth_year=birth_year,
                phone=phone or "",
                hamlet=hamlet,
                organisation=organisation,
            )
    except IntegrityError:  # a double tap: the first one is kept
        return Registration.objects.get(contest=contest, resident=resident, official=official)


# Taking part -----------------------------------------------------------------------------


def draw(round_: Round) -> tuple[list[int], list[list[int]]]:
    """Question ids by the round's topic shares (short topics filled from any topic), shuffled,
    and a shuffled option order per question."""
    pool = list(
        Question.objects.filter(contest_id=round_.contest_id).values_list("id", "options", "topic")
    )
    wanted = round_.questions_per_attempt
    if len(pool) < wanted:
        raise ContestRefused("Đợt thi chưa đủ câu hỏi. Vui lòng quay lại sau.")
    by_topic: dict[str, list[tuple]] = {}
    for row in pool:
        by_topic.setdefault(fold(row[2]), []).append(row)
    drawn: list[tuple] = []
    for topic, share in (round_.topic_shares or {}).items():
        bucket = by_topic.get(fold(topic), [])
        drawn += _random.sample(bucket, min(int(share), len(bucket), wanted - len(drawn)))
    taken = {row[0] for row in drawn}
    rest = [row for row in pool if row[0] not in taken]
    drawn += _random.sample(rest, wanted - len(drawn))
    _random.shuffle(drawn)
    orders = []
    for _, options, _ in drawn:
        order = list(range(len(options)))
        _random.shuffle(order)
        orders.append(order)
    return [row[0] for row in drawn], orders


def attempt_start(
    *, round_: Round, resident: Resident | None = None, official: User | None = None
) -> Attempt:
    """Draw this participant's questions, or hand back the attempt they already have."""
    now = timezone.now()
    who = {"resident": resident} if resident is not None else {"official": official}
    participant = resident or official
    if participant is None or round_.commune_id != participant.commune_id:
        raise ContestRefused("Đợt thi này không thuộc xã của bạn.")
    existing = Attempt.objects.filter(round=round_, **who).order_by("-started_at").first()
    if existing is not None and (not round_.is_practice or not existing.is_submitted):
        return existing
    if not round_.opens_at <= now < round_.closes_at:
        raise ContestRefused("Đợt thi này chưa mở hoặc đã kết thúc.")
    if round_.is_practice:
        used = Attempt.objects.filter(round=round_, **who).count()
        if used >= round_.attempts_allowed:
            raise ContestRefused("Bạn đã dùng hết số lượt thi thử của đợt này.")
    question_ids, orders = draw(round_)
    registration = registration_for(round_.contest, **who)
    organisation_id = registration.organisation_id if registration else None
    if official is not None:
        organisation_id = organisation_id or official.organisation_id
    deadline = min(now + timedelta(minutes=round_.minutes), round_.closes_at)
    try:
        with transaction.atomic():
            return Attempt.objects.create(
                commune_id=round_.commune_id,
                round=round_,
                **who,
                hamlet_id=resident.hamlet_id
                if resident is not None
                else (registration.hamlet_id if registration else official.hamlet_id),
                organisation_id=organisation_id,
                is_practice=round_.is_practice,
                started_at=now,
                deadline=deadline,
                question_ids=question_ids,
                option_orders=orders,
            )
    except IntegrityError:  # a double tap raced us: the first attempt wins
        return Attempt.objects.get(round=round_, is_practice=False, **who)


def attempt_answer(*, attempt: Attempt, number: int, question_id: int, choice: int) -> Attempt:
    """Keep one answer at once. `choice` is the position shown on screen, from 0.

    An answer after the deadline is refused, and the attempt is graded with what it had.
    """
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
        refusal = _answer_refusal(attempt, number, question_id, choice)
        if refusal is None:
            attempt.answers[str(question_id)] = attempt.option_orders[number - 1][choice]
            attempt.save(update_fields=["answers"])
        elif refusal == _LATE:
            _grade(attempt)  # kept: the refusal is raised after the commit
    if refusal is not None:
        raise ContestRefused(refusal)
    return attempt


_LATE = (
    "Đã hết giờ làm bài, câu trả lời này không được tính. "
    "Bài đã được chấm với các câu bạn trả lời trước khi hết giờ."
)


def _answer_refusal(attempt: Attempt, number: int, question_id: int, choice: int) -> str | None:
    if attempt.is_submitted:
        log.warning("contest attempt %s: answer after submission", attempt.pk)
        return "Bài thi đã nộp, không sửa được nữa."
    if timezone.now() >= attempt.deadline:
        log.warning("contest attempt %s: answer after the deadline", attempt.pk)
        return _LATE
    if not 1 <= number <= len(attempt.question_ids):
        return "Câu hỏi không có trong bài thi của bạn."
    if attempt.question_ids[number - 1] != question_id:
        log.warning("contest attempt %s: tampered question id %s", attempt.pk, question_id)
        return "Câu hỏi không có trong bài thi của bạn."
    if not 0 <= choice < len(attempt.option_orders[number - 1]):
        log.warning("contest attempt %s: tampered option %s", attempt.pk, choice)
        return "Phương án trả lời không hợp lệ."
    return None


# What grading reads; the rest of the row (option orders, unit, …) stays in the database.
_GRADING_FIELDS = (
    "id",
    "resident",
    "official",
    "submit_key",
    "submitted_at",
    "started_at",
    "deadline",
    "question_ids",
    "answers",
    "prediction",
)


def _locked_read_sql(owner: str, other: str) -> str:
    """The attempt's grading fields, locked, only if it belongs to `owner` (plain SQL: this is
    the submit rush's hot path, see lib.plainsql)."""
    sql = (
        f"SELECT {plainsql.select_list(Attempt, _GRADING_FIELDS)} FROM {plainsql.table(Attempt)} "
        f"WHERE {plainsql.column(Attempt, 'id')} = %s AND {plainsql.column(Attempt, owner)} = %s "
        f"AND {plainsql.column(Attempt, other)} IS NULL"
    )
    # SQLite has no row locks: its atomic blocks begin IMMEDIATE, which locks the database.
    return sql + (" FOR UPDATE" if connection.features.has_select_for_update else "")


_LOCKED_READ_SQL = {
    "resident": _locked_read_sql("resident", "official"),
    "official": _locked_read_sql("official", "resident"),
}


def attempt_submit(*, attempt: Attempt, submit_key: uuid.UUID, prediction: int | None) -> Attempt:
    """Grade on the server. Idempotent: a retried submit returns the graded attempt unchanged.

    The locked read is scoped to the attempt's participant, so a caller may pass an unsaved
    Attempt(pk=..., resident=...) or Attempt(pk=..., official=...) and get
    Attempt.DoesNotExist for someone else's attempt.
    """
    owner = "resident" if attempt.resident_id is not None else "official"
    owner_id = attempt.resident_id if owner == "resident" else attempt.official_id
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(_LOCKED_READ_SQL[owner], [attempt.pk, owner_id])
            row = cursor.fetchone()
        if row is None:
            raise Attempt.DoesNotExist
        attempt = plainsql.instance(Attempt, row, _GRADING_FIELDS)
        if attempt.submit_key != submit_key:
            log.warning("contest attempt %s: wrong submit key", attempt.pk)
            raise ContestRefused("Mã nộp bài không đúng. Hãy tải lại trang rồi nộp lại.")
        if attempt.is_submitted:
            return attempt
        if timezone.now() < attempt.deadline:
            attempt.prediction = prediction
        _grade(attempt)
    return attempt


def _answer_keys(question_ids: list[int]) -> dict[int, int]:
    """Question id -> correct option index, in one plain query (the submit rush's hot path)."""
    if not question_ids:
        return {}
    key = plainsql.column(Question, "id")
    sql = (
        f"SELECT {key}, {plainsql.column(Question, 'answer')} FROM {plainsql.table(Question)} "
        f"WHERE {key} IN ({', '.join(['%s'] * len(question_ids))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [int(qid) for qid in question_ids])
        return dict(cursor.fetchall())


_GRADE_SQL = "UPDATE {table} SET {cols} WHERE {id} = %s".format(
    table=plainsql.table(Attempt),
    cols=", ".join(
        f"{plainsql.quote(Attempt._meta.get_field(name).column)} = %s"
        for name in ("score", "all_correct", "submitted_at", "duration_seconds", "prediction")
    ),
    id=plainsql.quote(Attempt._meta.pk.column),
)


def _grade(attempt: Attempt, *, now=None) -> None:
    """Mark with what was saved; the caller holds the row lock."""
    if attempt.is_submitted:
        return
    now = now or timezone.now()
    keys = _answer_keys(attempt.question_ids)
    score = sum(1 for qid in attempt.question_ids if attempt.answers.get(str(qid)) == keys[qid])
    attempt.score = score
    attempt.all_correct = score == len(attempt.question_ids)
    attempt.submitted_at = now
    attempt.duration_seconds = int(
        (min(now, attempt.deadline) - attempt.started_at).total_seconds()
    )
    # One plain UPDATE of the locked row (Attempt has no save signals to run).
    with connection.cursor() as cursor:
        cursor.execute(
            _GRADE_SQL,
            [
                attempt.score,
                attempt.all_correct,
                connection.ops.adapt_datetimefield_value(attempt.submitted_at),
                attempt.duration_seconds,
                attempt.prediction,
                attempt.pk,
            ],
        )


# Paper entry -----------------------------------------------------------------------------


def _sheet_code() -> str:
    raw = "".join(_random.choice(SHEET_ALPHABET) for _ in range(8))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_sheet_code(text: str) -> str:
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else raw[:12]


def paper_sheet_issue(*, actor: User, round_: Round, resident: Resident) -> PaperSheet:
    """The sheet for this resident and round, drawn once; printing again gives the same one."""
    if round_.commune_id != resident.commune_id:
        raise ContestRefused("Người này không thuộc xã tổ chức đợt thi.")
    if round_.is_practice:
        raise ContestRefused("Đợt thi thử không có phiếu thi giấy.")
    if sheet := PaperSheet.objects.filter(round=round_, resident=resident).first():
        return sheet
    if timezone.now() >= round_.closes_at:
        raise ContestRefused("Đợt thi đã kết thúc, không in phiếu mới được nữa.")
    if Attempt.objects.filter(round=round_, resident=resident, is_practice=False).exists():
        raise ContestRefused(f"{resident.full_name} đã dự thi đợt này trên điện thoại.")
    question_ids, orders = draw(round_)
    for _ in range(5):
        try:
            with transaction.atomic():
                sheet = PaperSheet.objects.create(
                    commune_id=round_.commune_id,
                    round=round_,
                    resident=resident,
                    code=_sheet_code(),
                    question_ids=question_ids,
                    option_orders=orders,
                    printed_by=actor,
                )
        except IntegrityError:
            if sheet := PaperSheet.objects.filter(round=round_, resident=resident).first():
                return sheet  # printed twice at once
            continue  # a code collision: draw another code
        audit_record(actor=actor, action=AuditEntry.Action.CREATE, target=sheet)
        return sheet
    raise RuntimeError("could not find a free sheet code")


def parse_letters(text: str, sheet: PaperSheet) -> list[int | None]:
    """'B A - C …' to option positions on the sheet, None for a question left blank."""
    marks = [ch for ch in (text or "").upper() if not ch.isspace() and ch not in ",;."]
    if len(marks) != len(sheet.question_ids):
        raise ContestRefused(
            f"Phiếu có {len(sheet.question_ids)} câu nhưng bạn nhập {len(marks)} chữ. "
            "Mỗi câu một chữ (A, B, C, D), câu bỏ trống ghi dấu gạch ngang (-)."
        )
    positions: list[int | None] = []
    for number, (mark, order) in enumerate(zip(marks, sheet.option_orders, strict=True), 1):
        if mark in "-_?":
            positions.append(None)
            continue
        index = "ABCD".find(mark)
        if index < 0 or index >= len(order):
            letters = ", ".join("ABCD"[: len(order)])
            raise ContestRefused(f"Câu {number}: “{mark}” không phải phương án ({letters}).")
        positions.append(index)
    return positions


def paper_sheet_key(
    *,
    actor: User,
    sheet: PaperSheet,
    letters: str,
    prediction: int | None,
    consent_on_sheet: bool,
) -> tuple[Attempt, bool]:
    """Turn a circled sheet into a graded attempt counted as assisted. Idempotent: a sheet keyed
    again returns its attempt unchanged. Returns (attempt, created)."""
    round_ = sheet.round
    resident = sheet.resident
    positions = parse_letters(letters, sheet)
    with transaction.atomic():
        sheet = PaperSheet.objects.select_for_update().get(pk=sheet.pk)
        if sheet.attempt_id:
            return sheet.attempt, False
        now = timezone.now()
        if now >= round_.closes_at + PAPER_GRACE:
            log.warning("contest sheet %s: keyed after the grace period", sheet.code)
            raise ContestRefused(
                "Đã quá hạn nhập phiếu thi giấy của đợt này (đợt đóng lúc "
                f"{timezone.localtime(round_.closes_at):%H:%M %d/%m/%Y}, được nhập thêm "
                f"{int(PAPER_GRACE.total_seconds() // 3600)} giờ)."
            )
        if Attempt.objects.filter(round=round_, resident=resident, is_practice=False).exists():
            log.warning("contest sheet %s: resident already took part", sheet.code)
            raise ContestRefused(
                f"{resident.full_name} đã dự thi đợt này trên điện thoại; mỗi người chỉ một lượt. "
                "Phiếu giấy không được tính."
            )
        if Purpose.CONTEST not in granted_purposes(resident):
            if not consent_on_sheet:
                raise ContestRefused(
                    "Người dự thi chưa đồng ý tham gia cuộc thi. Chỉ nhập khi ô đồng ý trên "
                    "phiếu đã được đánh dấu."
                )
            consent_set(
                resident=resident,
                purpose=Purpose.CONTEST,
                granted=True,
                actor=actor,
                method="assisted",
            )
        answers = {
            str(qid): order[pos]
            for qid, order, pos in zip(
                sheet.question_ids, sheet.option_orders, positions, strict=True
            )
            if pos is not None
        }
        registration = registration_for(round_.contest, resident=resident)
        attempt = Attempt.objects.create(
            commune_id=round_.commune_id,
            round=round_,
            resident=resident,
            hamlet_id=resident.hamlet_id,
            organisation_id=registration.organisation_id if registration else None,
            is_practice=False,
            started_at=now - timedelta(minutes=round_.minutes),
            deadline=now,
            question_ids=sheet.question_ids,
            option_orders=sheet.option_orders,
            answers=answers,
            prediction=prediction,
            assisted_by=actor,
        )
        _grade(attempt, now=now)  # paper has no clock: counted as the full time allowed
        sheet.attempt = attempt
        sheet.save(update_fields=["attempt"])
        audit_record(actor=actor, action=AuditEntry.Action.CREATE, target=attempt)
    return attempt, True
