"""Online quiz contests: contests, rounds (đợt), a question bank and attempts."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Resident
from places.models import Commune, TimestampedModel


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


class Attempt(models.Model):
    """One participant's go at one round. Official rounds: at most one per resident."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="attempts")
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, related_name="contest_attempts"
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
        ]
        indexes = [models.Index(fields=["round", "submitted_at"])]

    def __str__(self) -> str:
        return f"{self.resident} — {self.round}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None
