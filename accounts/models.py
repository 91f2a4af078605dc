from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from places.models import Commune, Hamlet, Organisation, TimestampedModel


class Role(models.TextChoices):
    ADMIN = "admin", "Quản trị viên xã"
    LEADER = "leader", "Lãnh đạo UBND xã"
    COORDINATOR = "coordinator", "Cán bộ điều phối (Phòng VHXH)"
    OFFICER = "officer", "Cán bộ cơ quan, đoàn thể"
    VOLUNTEER = "volunteer", "Thành viên Tổ công nghệ số cộng đồng"
    RESIDENT = "resident", "Người dân"
    PROVINCE = "province", "Cán bộ Sở (cấp tỉnh)"


STAFF_ROLES = {Role.ADMIN, Role.LEADER, Role.COORDINATOR, Role.OFFICER, Role.VOLUNTEER}


class User(AbstractUser):
    """Anyone who logs in. Officials use username + password; residents phone + PIN or a card."""

    full_name = models.CharField("họ và tên", max_length=100, blank=True)
    role = models.CharField("vai trò", max_length=20, choices=Role.choices, default=Role.RESIDENT)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="officers"
    )
    hamlet = models.ForeignKey(
        Hamlet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteers",
        help_text="Xóm mà tổ công nghệ số cộng đồng của tình nguyện viên phụ trách.",
    )
    province_code = models.PositiveIntegerField("mã tỉnh", null=True, blank=True)
    email = models.EmailField(
        "thư điện tử công vụ",
        blank=True,
        help_text="Để nhận thư nhắc việc (ví dụ nhắc nộp báo cáo tháng). Không bắt buộc.",
    )

    objects = UserManager()

    class Meta:
        verbose_name = "tài khoản"
        verbose_name_plural = "tài khoản"

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def is_resident(self) -> bool:
        return self.role == Role.RESIDENT


class ResidentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(anonymised_at__isnull=True)


class Resident(TimestampedModel):
    """The minimum a commune needs to reach and teach a resident. Never a citizen-ID number."""

    class Sex(models.TextChoices):
        MALE = "nam", "Nam"
        FEMALE = "nu", "Nữ"

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="residents")
    hamlet = models.ForeignKey(Hamlet, on_delete=models.PROTECT, related_name="residents")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="resident",
    )
    full_name = models.CharField("họ và tên", max_length=100)
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)
    birth_year = models.PositiveSmallIntegerField("năm sinh")
    sex = models.CharField("giới tính", max_length=5, choices=Sex.choices)
    phone = models.CharField("số điện thoại", max_length=10, null=True, blank=True, unique=True)
    pin_hash = models.CharField(max_length=128, blank=True, editable=False)
    card_token_hash = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    has_disability = models.BooleanField("người khuyết tật", default=False)
    is_poor_household = models.BooleanField("hộ nghèo, cận nghèo", default=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registered_residents",
    )
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = ResidentQuerySet.as_manager()

    class Meta:
        verbose_name = "người dân"
        verbose_name_plural = "người dân"
        indexes = [models.Index(fields=["commune", "hamlet"])]

    def __str__(self) -> str:
        return self.full_name or "(đã xóa dữ liệu)"

    @property
    def age(self) -> int:
        return timezone.localdate().year - self.birth_year

    @property
    def is_elderly(self) -> bool:
        return self.age >= settings.ELDERLY_AGE

    @property
    def given_name(self) -> str:
        return self.full_name.split()[-1] if self.full_name else ""


class Purpose(models.TextChoices):
    LEARNING = "learning", "Lưu quá trình học tập để cấp chứng nhận"
    CONTEST = "contest", "Tham gia các cuộc thi trực tuyến"
    PUBLIC_NAME = "public_name", "Hiện tên trên bảng xếp hạng và danh sách khen thưởng"


class Consent(models.Model):
    """One decision about one purpose. Append-only: the latest row per purpose is in force."""

    class Method(models.TextChoices):
        SELF = "self", "Tự đồng ý"
        ASSISTED = "assisted", "Tình nguyện viên ghi nhận"

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField("mục đích", max_length=20, choices=Purpose.choices)
    granted = models.BooleanField("đồng ý")
    method = models.CharField("cách ghi nhận", max_length=10, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField("lúc", default=timezone.now)

    class Meta:
        verbose_name = "sự đồng ý"
        verbose_name_plural = "sự đồng ý"
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["resident", "purpose", "-recorded_at"])]

    def __str__(self) -> str:
        answer = "đồng ý" if self.granted else "không đồng ý"
        return f"{self.get_purpose_display()}: {answer}"


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", "Tạo mới"
        UPDATE = "update", "Sửa"
        DELETE = "delete", "Xóa"

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField("thao tác", max_length=10, choices=Action.choices)
    target_type = models.CharField("loại dữ liệu", max_length=50)
    target_id = models.CharField(max_length=40)
    target_repr = models.CharField("đối tượng", max_length=200)
    before = models.JSONField("trước", null=True, blank=True)
    after = models.JSONField("sau", null=True, blank=True)
    at = models.DateTimeField("lúc", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "nhật ký thao tác"
        verbose_name_plural = "nhật ký thao tác"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["commune", "-at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.target_type}: {self.target_repr}"
