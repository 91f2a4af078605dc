from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Resident
from learning.content import DOMAINS, GOALS, LEVELS, TOPICS
from places.models import Commune, TimestampedModel


class LessonQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Lesson.Status.PUBLISHED)


class Lesson(TimestampedModel):
    """A micro-lesson on one real task. Shipped lessons come from content/lessons/."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Bản nháp"
        PUBLISHED = "published", "Đã đăng"

    class AudioStatus(models.TextChoices):
        NONE = "none", "Chưa có"
        PENDING = "pending", "Đang tạo"
        READY = "ready", "Đã có"
        FAILED = "failed", "Không tạo được"

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="lessons")
    slug = models.SlugField("mã bài", max_length=80)
    title = models.CharField("tên bài", max_length=150)
    topic = models.CharField("chủ đề", max_length=30, choices=list(TOPICS.items()))
    goal = models.CharField("mục đích", max_length=30, choices=list(GOALS.items()))
    domain = models.CharField("miền năng lực số", max_length=30, choices=list(DOMAINS.items()))
    level = models.CharField("mức độ", max_length=10, choices=list(LEVELS.items()))
    minutes = models.PositiveSmallIntegerField("số phút")
    order = models.PositiveSmallIntegerField("thứ tự", default=100)
    summary = models.CharField("tóm tắt", max_length=300)
    why = models.TextField("lợi ích")
    practice = models.TextField("thử ngay")
    safety = models.TextField("lời khuyên an toàn", blank=True)
    body = models.TextField("các bước (Markdown)")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    edited_by_staff = models.BooleanField(
        default=False, help_text="Đã sửa trong khu cán bộ: nạp lại nội dung gốc không ghi đè."
    )
    search_text = models.TextField(editable=False, default="")
    audio = models.BinaryField(null=True, blank=True, editable=False)
    audio_status = models.CharField(
        max_length=10, choices=AudioStatus.choices, default=AudioStatus.NONE
    )
    audio_note = models.CharField(max_length=300, blank=True)
    audio_version = models.PositiveIntegerField(default=0)

    objects = LessonQuerySet.as_manager()

    class Meta:
        verbose_name = "bài học"
        verbose_name_plural = "bài học"
        ordering = ["topic", "order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "slug"], name="lesson_unique_slug")
        ]

    def __str__(self) -> str:
        return self.title


class LessonImage(models.Model):
    """An illustration, stored in the database so one file backs up everything."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100)
    content_type = models.CharField(max_length=30)
    data = models.BinaryField()
    digest = models.CharField(max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="lesson_image_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.TextField("câu hỏi")
    options = models.JSONField("các lựa chọn")
    answer = models.PositiveSmallIntegerField("đáp án đúng")
    explanation = models.TextField("giải thích")

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.text[:60]


class Attempt(models.Model):
    """One submission of a lesson's check questions, by a resident or an anonymous device.

    Idempotent: the client's key is unique, so a replayed submission changes nothing.
    """

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="attempts")
    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, null=True, blank=True, related_name="attempts"
    )
    device = models.CharField(max_length=36, blank=True, db_index=True)
    answers = models.JSONField()
    correct = models.PositiveSmallIntegerField()
    total = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    client_key = models.UUIDField(unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["commune", "lesson", "passed"])]

    def __str__(self) -> str:
        return f"{self.lesson} {self.correct}/{self.total}"

    @property
    def assisted(self) -> bool:
        return self.assisted_by_id is not None


class Certificate(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="certificates")
    topic = models.CharField(max_length=30, choices=list(TOPICS.items()))
    code = models.CharField(max_length=16, unique=True)
    issued_at = models.DateTimeField(default=timezone.now)
    assisted = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["resident", "topic"], name="certificate_once_per_topic")
        ]

    def __str__(self) -> str:
        return f"{self.get_topic_display()} · {self.code}"


class ExternalCourse(models.Model):
    """A course a resident completed on the national platform binhdanhocvuso.gov.vn."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="external_courses"
    )
    title = models.CharField("tên khóa học", max_length=200)
    completed_on = models.DateField("ngày hoàn thành")
    declared_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.title
