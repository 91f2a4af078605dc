"""Essay and experience-sharing contests: entries, a judging rubric, scores, public votes."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Resident
from places.models import Commune, TimestampedModel


class EssayContest(TimestampedModel):
    class Kind(models.TextChoices):
        ESSAY = "essay", "Cuộc thi viết"
        SHARING = "sharing", "Cuộc thi chia sẻ kinh nghiệm"

    class Audience(models.TextChoices):
        RESIDENTS = "residents", "Người dân"
        OFFICIALS = "officials", "Cán bộ, công chức"

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang chuẩn bị"
        ANNOUNCED = "announced", "Đã phát động"
        RESULTS = "results", "Đã công bố kết quả"

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="essay_contests")
    title = models.CharField("tên cuộc thi", max_length=200)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices, default=Kind.SHARING)
    audience = models.CharField(
        "đối tượng", max_length=20, choices=Audience.choices, default=Audience.RESIDENTS
    )
    rules = models.TextField("thể lệ", blank=True)
    opens_at = models.DateTimeField("nhận bài từ")
    closes_at = models.DateTimeField("hạn nộp bài")
    max_words = models.PositiveIntegerField("số chữ tối đa", default=1500)
    voting_enabled = models.BooleanField("có bình chọn của khán giả", default=False)
    voting_opens_at = models.DateTimeField("bình chọn từ", null=True, blank=True)
    voting_closes_at = models.DateTimeField("bình chọn đến", null=True, blank=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    results_published_at = models.DateTimeField("công bố kết quả lúc", null=True, blank=True)

    class Meta:
        verbose_name = "cuộc thi viết"
        verbose_name_plural = "cuộc thi viết"
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="essay_closes_after_opens"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def results_published(self) -> bool:
        return self.status == self.Status.RESULTS


class Criterion(models.Model):
    """One line of the rubric; the weights of a contest's criteria add up to 100."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    contest = models.ForeignKey(EssayContest, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField("tiêu chí", max_length=120)
    description = models.CharField("mô tả", max_length=500, blank=True)
    weight = models.PositiveSmallIntegerField("trọng số (%)")
    max_points = models.PositiveSmallIntegerField("điểm tối đa", default=10)
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = "tiêu chí chấm"
        verbose_name_plural = "tiêu chí chấm"
        ordering = ["contest", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="criterion_weight_1_100"
            ),
            models.CheckConstraint(condition=Q(max_points__gte=1), name="criterion_max_points_1"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class Judge(models.Model):
    """A staff user on a contest's judging panel."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    contest = models.ForeignKey(EssayContest, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="essay_panels"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "thành viên ban giám khảo"
        verbose_name_plural = "ban giám khảo"
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="one_seat_per_judge"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.contest}"


class Entry(TimestampedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Chờ duyệt"
        APPROVED = "approved", "Đã duyệt"
        REJECTED = "rejected", "Không duyệt"

    class Prize(models.TextChoices):
        FIRST = "nhat", "Giải Nhất"
        SECOND = "nhi", "Giải Nhì"
        THIRD = "ba", "Giải Ba"
        HONOURABLE = "kk", "Giải Khuyến khích"

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    contest = models.ForeignKey(EssayContest, on_delete=models.PROTECT, related_name="entries")
    resident = models.ForeignKey(
        Resident, on_delete=models.PROTECT, null=True, blank=True, related_name="essay_entries"
    )
    staff_author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="essay_entries",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField("tiêu đề", max_length=200)
    text = models.TextField("bài viết")
    word_count = models.PositiveIntegerField("số chữ", default=0)
    video_url = models.URLField("đường link video", max_length=500, blank=True)
    video_provider = models.CharField(max_length=10, blank=True)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    moderation_note = models.CharField("lý do / ghi chú duyệt", max_length=500, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    client_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Frozen when the organiser publishes results.
    final_score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    prize = models.CharField("giải", max_length=4, choices=Prize.choices, blank=True)

    class Meta:
        verbose_name = "bài dự thi"
        verbose_name_plural = "bài dự thi"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resident__isnull=False, staff_author__isnull=True)
                | Q(resident__isnull=True, staff_author__isnull=False),
                name="entry_has_one_author",
            ),
            models.UniqueConstraint(
                fields=["contest", "resident"],
                condition=Q(resident__isnull=False),
                name="one_entry_per_resident",
            ),
            models.UniqueConstraint(
                fields=["contest", "staff_author"],
                condition=Q(staff_author__isnull=False),
                name="one_entry_per_official",
            ),
        ]
        indexes = [models.Index(fields=["contest", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def author_user_id(self) -> int | None:
        return self.staff_author_id or (self.resident.user_id if self.resident_id else None)

    @property
    def is_assisted(self) -> bool:
        return self.entered_by_id is not None and self.entered_by_id != self.author_user_id


class EntryPhoto(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveSmallIntegerField()
    image = models.BinaryField("ảnh (WebP)")

    class Meta:
        verbose_name = "ảnh bài dự thi"
        verbose_name_plural = "ảnh bài dự thi"
        ordering = ["entry", "position"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "position"], name="one_photo_per_slot"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=3), name="at_most_three_photos"
            ),
        ]

    def __str__(self) -> str:
        return f"Ảnh {self.position} — {self.entry}"


class Score(models.Model):
    """One judge's points for one entry on one criterion."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("điểm", max_digits=5, decimal_places=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "điểm chấm"
        verbose_name_plural = "điểm chấm"
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "criterion", "judge"], name="one_score_per_judge_criterion"
            ),
            models.CheckConstraint(condition=Q(points__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.points} — {self.criterion.name}"


class Vote(models.Model):
    """One public vote. One per voter per contest: `voter` is 'r<resident id>', 'u<user id>'
    or 'c<anonymous cookie token>'; the unique constraint makes a retry count once."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    contest = models.ForeignKey(EssayContest, on_delete=models.CASCADE, related_name="votes")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="votes")
    voter = models.CharField(max_length=80)
    ip_hash = models.CharField(max_length=64, blank=True)
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "phiếu bình chọn"
        verbose_name_plural = "phiếu bình chọn"
        constraints = [
            models.UniqueConstraint(fields=["contest", "voter"], name="one_vote_per_voter"),
        ]
        indexes = [models.Index(fields=["contest", "ip_hash", "day"])]

    def __str__(self) -> str:
        return f"Bình chọn bài {self.entry_id}"
