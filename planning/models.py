"""The commune plan, each organisation's detailed plan with its budget, dashboard snapshots.

Money is whole đồng (VND has no minor unit) in BigIntegerFields, never floats.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from places.models import Commune, Organisation, TimestampedModel


class CommunePlan(TimestampedModel):
    """The commune's plan (kế hoạch của UBND xã) for the two movements: one per commune."""

    commune = models.OneToOneField(Commune, on_delete=models.CASCADE, related_name="plan")
    number = models.CharField("số kế hoạch", max_length=40, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    title = models.CharField("tên kế hoạch", max_length=300)
    preamble = models.TextField("căn cứ, mở đầu", blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=100, blank=True)
    signer_name = models.CharField("người ký", max_length=100, blank=True)

    class Meta:
        verbose_name = "kế hoạch của xã"
        verbose_name_plural = "kế hoạch của xã"

    def __str__(self) -> str:
        return self.title


class PlanItem(models.Model):
    """One numbered item of a section of the commune plan, with its bullet points."""

    class Section(models.TextChoices):
        PURPOSE = "purpose", "Mục đích"
        REQUIREMENT = "requirement", "Yêu cầu"
        CONTENT = "content", "Nội dung tuyên truyền"
        FORM = "form", "Hình thức tuyên truyền"
        ASSIGNMENT = "assignment", "Tổ chức thực hiện"
        FUNDING = "funding", "Kinh phí thực hiện"

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(CommunePlan, on_delete=models.CASCADE, related_name="items")
    section = models.CharField("phần", max_length=20, choices=Section.choices)
    position = models.PositiveSmallIntegerField("thứ tự", default=1)
    heading = models.CharField("tiêu đề", max_length=300, blank=True)
    body = models.TextField("các ý", help_text="Mỗi dòng một ý.")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_items",
        verbose_name="cơ quan được giao",
    )

    class Meta:
        verbose_name = "mục của kế hoạch"
        verbose_name_plural = "mục của kế hoạch"
        ordering = ["section", "position", "id"]

    def __str__(self) -> str:
        return self.heading or self.get_section_display()

    @property
    def points(self) -> list[str]:
        return [
            line.strip().lstrip("-–• ").strip() for line in self.body.splitlines() if line.strip()
        ]


class OrgPlan(TimestampedModel):
    """An organisation's detailed plan (kế hoạch chi tiết) for one year."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="detailed_plans"
    )
    year = models.PositiveSmallIntegerField("năm")
    summary = models.TextField("mục tiêu chung", blank=True)

    class Meta:
        verbose_name = "kế hoạch chi tiết"
        verbose_name_plural = "kế hoạch chi tiết"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year"], name="one_plan_per_org_year")
        ]
        indexes = [models.Index(fields=["commune", "year"])]

    def __str__(self) -> str:
        return f"Kế hoạch chi tiết {self.year} · {self.organisation}"


class Activity(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(OrgPlan, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField("hoạt động", max_length=300)
    owner = models.CharField("người, bộ phận phụ trách", max_length=150)
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày")
    plan_item = models.ForeignKey(
        PlanItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name="thực hiện mục nào của kế hoạch xã",
    )
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = "hoạt động"
        verbose_name_plural = "hoạt động"
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="activity_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Target(models.Model):
    """An indicator of an activity with its target value ("Số người được hướng dẫn": 200)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="targets")
    indicator = models.CharField("chỉ tiêu", max_length=200)
    value = models.PositiveIntegerField("giá trị mục tiêu")
    unit = models.CharField("đơn vị tính", max_length=30, blank=True)
    # A key of reports.sources.SOURCES that can be counted for one organisation ("sessions",
    # "participants", "skill_…"): the plan page then shows progress from platform records.
    # Blank: the platform cannot know it, the organisation reports it itself.
    source = models.CharField("đo bằng số liệu của nền tảng", max_length=40, blank=True)
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} {self.unit}".strip()


class Source(models.TextChoices):
    COMMUNE_BUDGET = "commune", "Ngân sách xã"
    PROGRAMME = "programme", "Kinh phí chương trình"
    SOCIAL = "social", "Xã hội hóa"


class BudgetLine(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(OrgPlan, on_delete=models.CASCADE, related_name="budget_lines")
    activity = models.ForeignKey(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name="cho hoạt động",
    )
    source = models.CharField("nguồn", max_length=20, choices=Source.choices)
    description = models.CharField("nội dung chi", max_length=300)
    planned = models.BigIntegerField("dự toán (đồng)")
    client_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = "dòng kinh phí"
        verbose_name_plural = "dòng kinh phí"
        ordering = ["source", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(planned__gte=0), name="budget_planned_not_negative")
        ]
        indexes = [models.Index(fields=["commune", "source"])]

    def __str__(self) -> str:
        return self.description


class Expense(models.Model):
    """Money spent against a budget line, recorded through `expense_record` (audited)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="expenses")
    amount = models.BigIntegerField("số tiền (đồng)")
    spent_on = models.DateField("ngày chi")
    note = models.CharField("ghi chú", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    client_key = models.UUIDField(null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "khoản đã chi"
        verbose_name_plural = "khoản đã chi"
        ordering = ["-spent_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="expense_positive")]
        indexes = [models.Index(fields=["commune", "spent_on"])]

    def __str__(self) -> str:
        return f"{self.line} · {self.amount} đ"


class DashboardSnapshot(models.Model):
    """A commune's dashboard figures for a year, stored so the province page reads 130 rows
    instead of recounting millions (the DHIS2 "analytics table" approach). Refreshed whenever a
    commune's leader dashboard is computed and by `manage.py dashboard_refresh` (cron)."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    figures = models.JSONField()
    computed_at = models.DateTimeField()
    recount_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "year"], name="one_snapshot_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.commune} {self.year}"
