"""Online quiz contests: contests, rounds (đợt), a question bank and attempts."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Resident
from places.models import Commune, Hamlet, Organisation, TimestampedModel


class RegistrationField(models.TextChoices):
    """What an organiser may ask of participants. Never a citizen-ID number."""

    FULL_NAME = "full_name", "Họ và tên"
    BIRTH_YEAR = "birth_year", "Năm sinh"
    PHONE = "phone", "Số điện thoại"
    UNIT = "unit", "Xóm hoặc cơ quan, đoàn thể"


class Contest(TimestampedModel):
    class Audience(models.TextChoices):
        RESIDENTS = "residents", "Người dân"
        OFFICIALS = "officials", "Cán bộ, công chức"

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="contests")
    title = models.CharField("tên cuộc thi", max_length=200)
    rules = models.TextField("thể lệ", blank=True)
    audience = models.CharField(
        "đối tượng", max_length=20, choices=Audience.choices, default=Audience.RESIDENTS
    )
    registration_fields = models.JSONField(
        "thông tin người dự thi cần khai", default=list, blank=True
    )

    class Meta:
        verbose_name = "cuộc thi"
        verbose_name_plural = "cuộc thi"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Round(TimestampedModel):
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField("đợt số")
    opens_at = models.DateTimeField("mở lúc")
    closes_at = models.DateTimeField("đóng lúc")
    minutes = models.PositiveSmallIntegerField("thời gian làm bài (phút)", default=15)
    questions_per_attempt = models.PositiveSmallIntegerField("số câu mỗi lượt", default=10)
    attempts_allowed = models.PositiveSmallIntegerField(
        "số lượt được làm",
        default=1,
        help_text="Đợt chính thức luôn chỉ một lượt; số này áp dụng cho đợt thi thử.",
    )
    is_practice = models.BooleanField("thi thử (không tính giải)", default=False)
    # {"An toàn trên mạng": 4, ...}: questions drawn per topic; the rest from any topic.
    topic_shares = models.JSONField("số câu theo chủ đề", default=dict, blank=True)
    # [{"name": "Giải Nhất", "count": 1}, ...] in prize order.
    prizes = models.JSONField("cơ cấu giải", default=list, blank=True)

    class Meta:
        verbose_name = "đợt thi"
        verbose_name_plural = "đợt thi"
        ordering = ["contest", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "number"], name="contest_round_number"),
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="round_closes_after_opens"
            ),
        ]

    def __str__(self) -> str:
        practice = " (thi thử)" if self.is_practice else ""
        return f"{self.contest.title} — đợt {self.number}{practice}"


class Question(TimestampedModel):
    class Difficulty(models.TextChoices):
        EASY = "easy", "Dễ"
        MEDIUM = "medium", "Trung bình"
        HARD = "hard", "Khó"

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField("câu hỏi")
    options = models.JSONField("các phương án")
    answer = models.PositiveSmallIntegerField("phương án đúng (vị trí, từ 0)")
    topic = models.CharField("chủ đề", max_length=100, blank=True)
    difficulty = models.CharField(
        "độ khó", max_length=10, choices=Difficulty.choices, default=Difficulty.MEDIUM
    )

    class Meta:
        verbose_name = "câu hỏi thi"
        verbose_name_plural = "câu hỏi thi"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.text[:80]


class Registration(models.Model):
    """A participant's entry to one contest: the fields the organiser asked for, once."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="registrations")
    resident = models.ForeignKey(
        Resident,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="contest_registrations",
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    full_name = models.CharField("họ và tên", max_length=100, blank=True)
    birth_year = models.PositiveSmallIntegerField("năm sinh", null=True, blank=True)
    phone = models.CharField("số điện thoại", max_length=10, blank=True)
    hamlet = models.ForeignKey(
        Hamlet, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("đăng ký lúc", auto_now_add=True)

    class Meta:
        verbose_name = "đăng ký dự thi"
        verbose_name_plural = "đăng ký dự thi"
        constraints = [
            models.UniqueConstraint(
                fields=["contest", "resident"], name="one_registration_per_resident"
            ),
            models.UniqueConstraint(
                fields=["contest", "official"], name="one_registration_per_official"
            ),
            models.CheckConstraint(
                condition=Q(resident__isnull=True) ^ Q(official__isnull=True),
                name="registration_has_one_participant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.contest}"


class Attempt(models.Model):
    """One participant's go at one round. Official rounds: at most one per participant.

    A participant is a resident, or — in a contest for officials — a staff user.
    """

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="attempts")
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="contest_attempts"
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The units the attempt counts for on the collective leaderboards, fixed at the start.
    hamlet = models.ForeignKey(
        Hamlet, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_practice = models.BooleanField(default=False, editable=False)  # copied from the round
    started_at = models.DateTimeField("bắt đầu lúc")
    deadline = models.DateTimeField("hạn nộp")
    question_ids = models.JSONField(default=list)
    option_orders = models.JSONField(default=list)  # per drawn question: original indices shown
    answers = models.JSONField(default=dict)  # str(question id) -> original option index
    prediction = models.PositiveIntegerField("dự đoán", null=True, blank=True)
    submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True)
    score = models.PositiveSmallIntegerField("điểm", null=True, blank=True)
    all_correct = models.BooleanField(default=False)
    duration_seconds = models.PositiveIntegerField("thời gian (giây)", null=True, blank=True)
    submit_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "lượt thi"
        verbose_name_plural = "lượt thi"
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "resident"],
                condition=Q(is_practice=False),
                name="one_official_attempt_per_round",
            ),
            models.UniqueConstraint(
                fields=["round", "official"],
                condition=Q(is_practice=False),
                name="one_official_attempt_per_round_official",
            ),
            models.CheckConstraint(
                condition=Q(resident__isnull=True) ^ Q(official__isnull=True),
                name="attempt_has_one_participant",
            ),
        ]
        indexes = [models.Index(fields=["round", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.participant} — {self.round}"

    @property
    def participant(self):
        return self.resident if self.resident_id else self.official

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class PaperSheet(models.Model):
    """A printed question sheet for someone without a phone; a volunteer keys the answers in."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="paper_sheets")
    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="+")
    code = models.CharField("mã phiếu", max_length=12, unique=True)
    question_ids = models.JSONField(default=list)
    option_orders = models.JSONField(default=list)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    printed_at = models.DateTimeField("in lúc", auto_now_add=True)
    attempt = models.OneToOneField(
        Attempt, on_delete=models.SET_NULL, null=True, blank=True, related_name="paper_sheet"
    )

    class Meta:
        verbose_name = "phiếu thi giấy"
        verbose_name_plural = "phiếu thi giấy"
        constraints = [
            models.UniqueConstraint(fields=["round", "resident"], name="one_sheet_per_round"),
        ]

    def __str__(self) -> str:
        return f"Phiếu {self.code}"
