from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Resident
from learning.models import Lesson
from outreach.skills import SKILLS
from places.models import Commune, Hamlet, Organisation, TimestampedModel

SKILL_CHOICES = list(SKILLS.items())


class Team(TimestampedModel):
    """A Tổ công nghệ số cộng đồng, set up by a decision of the commune chairman."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="teams")
    hamlet = models.ForeignKey(Hamlet, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField("tên tổ", max_length=150)
    decision_number = models.CharField("số quyết định", max_length=50, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)

    class Meta:
        verbose_name = "tổ công nghệ số cộng đồng"
        verbose_name_plural = "tổ công nghệ số cộng đồng"
        ordering = ["hamlet__name", "name"]

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    class Position(models.TextChoices):
        LEADER = "leader", "Tổ trưởng"
        DEPUTY = "deputy", "Tổ phó"
        MEMBER = "member", "Thành viên"

    class Body(models.TextChoices):
        YOUTH = "youth", "Đoàn Thanh niên"
        WOMEN = "women", "Hội Phụ nữ"
        FARMERS = "farmers", "Hội Nông dân"
        VETERANS = "veterans", "Hội Cựu chiến binh"
        POLICE = "police", "Công an"
        HAMLET_HEAD = "hamlet_head", "Trưởng xóm"
        PARTY_CELL = "party_cell", "Chi bộ"
        TEACHER = "teacher", "Giáo viên"
        VOLUNTEER = "volunteer", "Tình nguyện viên"
        OTHER = "other", "Khác"

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    full_name = models.CharField("họ và tên", max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="team_memberships",
        help_text="Tài khoản tình nguyện viên, nếu có.",
    )
    position = models.CharField("vai trò", max_length=10, choices=Position.choices)
    body = models.CharField("đến từ", max_length=20, choices=Body.choices)
    is_influencer = models.BooleanField("người có uy tín", default=False)
    joined_on = models.DateField("ngày vào tổ", default=timezone.localdate)
    left_on = models.DateField("ngày rời tổ", null=True, blank=True)

    class Meta:
        verbose_name = "thành viên tổ"
        verbose_name_plural = "thành viên tổ"
        ordering = ["position", "full_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def active(self) -> bool:
        return self.left_on is None or self.left_on > timezone.localdate()


class Session(TimestampedModel):
    class Kind(models.TextChoices):
        CULTURAL_HOUSE = "cultural_house", "Buổi hướng dẫn tại nhà văn hóa xóm"
        MEETING = "meeting", "Lồng ghép trong họp dân, sinh hoạt chi bộ, hội nghị xóm"
        DOOR_TO_DOOR = "door_to_door", "Đến từng nhà"
        SCHOOL_HEALTH = "school_health", "Tại trường học hoặc trạm y tế"
        SKILLS_DAY = "skills_day", "Ngày hội kỹ năng số"

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="sessions")
    hamlet = models.ForeignKey(Hamlet, on_delete=models.PROTECT, related_name="sessions")
    kind = models.CharField("hình thức", max_length=20, choices=Kind.choices)
    place = models.CharField("địa điểm", max_length=200)
    starts_at = models.DateTimeField("bắt đầu lúc")
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name="đơn vị tổ chức",
    )
    trainers = models.CharField("người hướng dẫn", max_length=300, blank=True)
    topics = models.ManyToManyField(Lesson, blank=True, related_name="sessions")
    audience = models.JSONField("đối tượng", default=list)  # ["young", "middle", "elderly"]
    planned_participants = models.PositiveIntegerField("số người dự kiến", default=0)
    extra_participants = models.PositiveIntegerField(
        "người dự không ghi tên", default=0, help_text="Người dự nhưng không điểm danh theo tên."
    )
    minutes = models.TextField("biên bản ngắn", blank=True)
    questions_raised = models.TextField("câu hỏi của bà con", blank=True)
    is_public = models.BooleanField("công khai lịch", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "buổi hướng dẫn"
        verbose_name_plural = "buổi hướng dẫn"
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["commune", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.hamlet} · {self.starts_at:%d/%m/%Y}"


class SessionPhoto(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="photos")
    data = models.BinaryField()
    caption = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.caption or f"Ảnh {self.pk}"


class Attendance(models.Model):
    class Method(models.TextChoices):
        CARD = "card", "Quét thẻ QR"
        SEARCH = "search", "Tìm theo tên hoặc số điện thoại"
        LIST = "list", "Đánh dấu trong danh sách xóm"
        WALK_IN = "walk_in", "Người mới, đăng ký tại chỗ"

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="attendances")
    method = models.CharField(max_length=10, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    client_key = models.UUIDField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "resident"], name="attend_once_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.resident} @ {self.session}"


class SkillTick(models.Model):
    """One observation of one skill. Append-only; the latest per resident and skill counts."""

    class Source(models.TextChoices):
        SELF = "self", "Người dân tự khai"
        VERIFIED = "verified", "Tình nguyện viên xác nhận"

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="skill_ticks")
    skill = models.CharField("kỹ năng", max_length=20, choices=SKILL_CHOICES)
    has_skill = models.BooleanField(default=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    session = models.ForeignKey(
        Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="skill_ticks"
    )
    client_key = models.UUIDField(unique=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["commune", "skill"]),
            models.Index(fields=["resident", "skill", "-recorded_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.resident}: {self.get_skill_display()}"


class Mentorship(TimestampedModel):
    """Kèm cặp 1-1: a volunteer and an elderly or vulnerable resident."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentorships"
    )
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="mentorships")
    goals = models.JSONField("mục tiêu", default=list)  # skill keys
    started_on = models.DateField("bắt đầu", default=timezone.localdate)
    ended_on = models.DateField("kết thúc", null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "resident"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_mentorship_per_pair",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} kèm {self.resident}"


class Visit(models.Model):
    """A visit to a resident: in a mentorship, or to reach someone not yet reached."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="visits")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="visits"
    )
    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.SET_NULL, null=True, blank=True, related_name="visits"
    )
    visited_on = models.DateField("ngày thăm", default=timezone.localdate)
    done = models.TextField("đã làm được gì")
    next_step = models.CharField("việc lần sau", max_length=300, blank=True)
    client_key = models.UUIDField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.resident} {self.visited_on:%d/%m/%Y}"


class Assignment(models.Model):
    """A team leader asks a volunteer to visit a resident not yet reached."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="assignments")
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resident"],
                condition=models.Q(done_at__isnull=True),
                name="one_open_assignment_per_resident",
            )
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} → {self.resident}"


class CoverageTarget(models.Model):
    """The commune's target share (%) of working-age residents with a skill, by a year."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    skill = models.CharField(max_length=20, choices=SKILL_CHOICES)
    year = models.PositiveSmallIntegerField()
    percent = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "skill", "year"], name="one_target"),
            models.CheckConstraint(condition=models.Q(percent__lte=100), name="target_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_skill_display()} {self.percent}% ({self.year})"
