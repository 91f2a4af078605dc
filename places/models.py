from django.db import models


class TimestampedModel(models.Model):
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        abstract = True


class Commune(TimestampedModel):
    """A commune or ward (post-2025 unit) taken from the vietnam-provinces package."""

    code = models.PositiveIntegerField("mã đơn vị", unique=True)
    name = models.CharField("tên", max_length=100)
    division_type = models.CharField("loại", max_length=20)
    province_code = models.PositiveIntegerField("mã tỉnh", db_index=True)
    province_name = models.CharField("tỉnh / thành phố", max_length=100)

    class Meta:
        verbose_name = "xã / phường"
        verbose_name_plural = "xã / phường"
        ordering = ["province_name", "name"]

    def __str__(self) -> str:
        return f"{self.name}, {self.province_name}"

    @property
    def short_name(self) -> str:
        """'Bạch Ngọc' from 'Xã Bạch Ngọc'."""
        for prefix in ("Xã ", "Phường ", "Đặc khu "):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name


class Hamlet(TimestampedModel):
    class Kind(models.TextChoices):
        XOM = "xom", "Xóm"
        THON = "thon", "Thôn"
        TO_DAN_PHO = "to_dan_pho", "Tổ dân phố"
        BAN = "ban", "Bản"

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="hamlets")
    name = models.CharField("tên", max_length=100)
    kind = models.CharField("loại", max_length=20, choices=Kind.choices, default=Kind.XOM)

    class Meta:
        verbose_name = "xóm / thôn"
        verbose_name_plural = "xóm / thôn"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "name"], name="hamlet_unique_name_per_commune"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(TimestampedModel):
    class Kind(models.TextChoices):
        DEPARTMENT = "department", "Phòng, ban chuyên môn"
        MASS = "mass", "Mặt trận và đoàn thể"
        SCHOOL = "school", "Trường học"
        HEALTH = "health", "Trạm y tế"
        POLICE = "police", "Công an xã"
        OTHER = "other", "Khác"

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="organisations")
    name = models.CharField("tên", max_length=150)
    kind = models.CharField("loại", max_length=20, choices=Kind.choices, default=Kind.OTHER)

    class Meta:
        verbose_name = "cơ quan, tổ chức"
        verbose_name_plural = "cơ quan, tổ chức"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "name"], name="organisation_unique_name_per_commune"
            )
        ]

    def __str__(self) -> str:
        return self.name
