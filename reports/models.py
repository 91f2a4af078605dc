"""Monthly reports the DHIS2 way: a form (indicator set) × organisation × month."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from places.models import Commune, Organisation, TimestampedModel

DEFAULT_RECIPIENTS = "\n".join(
    [
        "TT Đảng ủy xã;",
        "CT, các PCT UBND xã;",
        "MTTQ và các đoàn thể;",
        "Phòng VHXH;",
        "Lưu: VT, VHXH.",
    ]
)


class ReportForm(TimestampedModel):
    """What organisations report every month, and how the consolidated report is signed."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="report_forms")
    name = models.CharField("tên mẫu báo cáo", max_length=200)
    subject = models.CharField(
        "nội dung báo cáo",
        max_length=200,
        default="Kết quả thực hiện phong trào “Bình dân học vụ số”",
        help_text="Dòng trích yếu dưới chữ BÁO CÁO; tháng và năm được thêm vào cuối.",
    )
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="report_forms", verbose_name="đơn vị phải báo cáo"
    )
    due_day = models.PositiveSmallIntegerField(
        "hạn nộp (ngày của tháng sau)", default=10, help_text="Từ 1 đến 28."
    )
    number_code = models.CharField("ký hiệu văn bản", max_length=30, default="BC-UBND")
    parent_body = models.CharField(
        "cơ quan chủ quản (dòng trên, có thể để trống)", max_length=100, blank=True
    )
    authority_line = models.CharField(
        "dòng thẩm quyền", max_length=100, default="TM. ỦY BAN NHÂN DÂN"
    )
    deputy_line = models.CharField(
        "dòng ký thay (nếu có)", max_length=100, blank=True, default="KT. CHỦ TỊCH"
    )
    signer_title = models.CharField("chức vụ người ký", max_length=100, default="PHÓ CHỦ TỊCH")
    signer_name = models.CharField("họ tên người ký", max_length=100, blank=True)
    recipients = models.TextField(
        "nơi nhận (mỗi dòng một nơi)", default=DEFAULT_RECIPIENTS, blank=True
    )
    active = models.BooleanField("đang dùng", default=True)

    class Meta:
        verbose_name = "mẫu báo cáo tháng"
        verbose_name_plural = "mẫu báo cáo tháng"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_day__gte=1, due_day__lte=28), name="report_form_due_day"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def due_date(self, month: date) -> date:
        """The day the report for `month` is due: `due_day` of the following month."""
        year, number = (month.year + 1, 1) if month.month == 12 else (month.year, month.month + 1)
        return date(year, number, self.due_day)

    def recipient_lines(self) -> list[str]:
        return [
            line.strip().lstrip("-").strip()
            for line in self.recipients.splitlines()
            if line.strip()
        ]


class Indicator(models.Model):
    class Kind(models.TextChoices):
        NUMBER = "number", "Số"
        PERCENTAGE = "percentage", "Tỷ lệ (%)"
        TEXT = "text", "Chữ"

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField("mã", max_length=40)
    name = models.CharField("tên chỉ tiêu", max_length=200)
    kind = models.CharField("kiểu", max_length=12, choices=Kind.choices, default=Kind.NUMBER)
    unit = models.CharField("đơn vị tính", max_length=30, blank=True)
    source = models.CharField(
        "nguồn số liệu",
        max_length=40,
        blank=True,
        help_text="Để trống: đơn vị tự nhập. Có nguồn: hệ thống tự tính.",
    )
    section = models.CharField("nhóm", max_length=100, default="Kết quả thực hiện")
    order = models.PositiveSmallIntegerField("thứ tự", default=100)
    active = models.BooleanField(
        "đang dùng",
        default=True,
        help_text="Chỉ tiêu ngừng dùng không có trong báo cáo mới; báo cáo cũ giữ nguyên.",
    )

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["form", "code"], name="indicator_code_per_form")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_auto(self) -> bool:
        return bool(self.source)


class ValidationRule(models.Model):
    class Operator(models.TextChoices):
        LTE = "lte", "≤"
        LT = "lt", "<"
        GTE = "gte", "≥"
        EQ = "eq", "="

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="rules")
    left = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", verbose_name="chỉ tiêu"
    )
    operator = models.CharField("phép so sánh", max_length=3, choices=Operator.choices)
    right = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="+", verbose_name="so với chỉ tiêu"
    )

    class Meta:
        verbose_name = "quy tắc kiểm tra"
        verbose_name_plural = "quy tắc kiểm tra"

    def __str__(self) -> str:
        return f"{self.left.name} {self.get_operator_display()} {self.right.name}"

    def holds(self, left, right) -> bool:
        return {
            "lte": left <= right,
            "lt": left < right,
            "gte": left >= right,
            "eq": left == right,
        }[self.operator]


class MonthlyReport(TimestampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Đang soạn"
        SUBMITTED = "submitted", "Đã gửi"
        RETURNED = "returned", "Trả lại để sửa"
        ACCEPTED = "accepted", "Đã chấp nhận"

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    form = models.ForeignKey(ReportForm, on_delete=models.PROTECT, related_name="reports")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="monthly_reports"
    )
    month = models.DateField("tháng")  # always the first day of the month
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    results = models.TextField("kết quả nổi bật", blank=True)
    difficulties = models.TextField("khó khăn, vướng mắc", blank=True)
    proposals = models.TextField("phương hướng, đề xuất", blank=True)
    version = models.PositiveIntegerField(default=1)
    submit_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_comment = models.TextField("ý kiến của người xét duyệt", blank=True)
    locked = models.BooleanField("đã khóa", default=False)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "báo cáo tháng"
        verbose_name_plural = "báo cáo tháng"
        ordering = ["-month", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "organisation", "month"], name="one_report_per_org_month"
            )
        ]
        indexes = [models.Index(fields=["commune", "month", "status"])]

    def __str__(self) -> str:
        return f"{self.organisation} — tháng {self.month:%m/%Y}"

    @property
    def editable(self) -> bool:
        return not self.locked and self.status in {self.Status.DRAFT, self.Status.RETURNED}

    def indicators(self) -> models.QuerySet:
        """The indicators this report shows: the active ones while it can be edited; once sent,
        also the retired ones it holds a value for, so old reports stay as they were sent."""
        indicators = self.form.indicators.all()
        if self.editable:
            return indicators.filter(active=True)
        return indicators.filter(models.Q(active=True) | models.Q(values__report=self)).distinct()


class ReportValue(models.Model):
    """One indicator of one report: the figure the platform computed and/or what was typed."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    auto_value = models.BigIntegerField(null=True, blank=True)
    number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_value_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"

    @property
    def value(self):
        if self.indicator.kind == Indicator.Kind.TEXT:
            return self.text
        if self.indicator.is_auto:
            return self.auto_value
        return self.number


class ReportEvent(models.Model):
    """The history of a report: submitted, returned, accepted, unlocked (with the reason)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Gửi báo cáo"
        RETURNED = "returned", "Trả lại"
        ACCEPTED = "accepted", "Chấp nhận, khóa"
        UNLOCKED = "unlocked", "Mở khóa"

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    report = models.ForeignKey(MonthlyReport, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    comment = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d/%m/%Y %H:%M}"


class Reminder(models.Model):
    """An in-app notice that an organisation has not yet submitted a month's report."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    form = models.ForeignKey(ReportForm, on_delete=models.CASCADE, related_name="reminders")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="report_reminders"
    )
    month = models.DateField()
    due_on = models.DateField()
    sent_on = models.DateField(default=timezone.localdate)
    message = models.CharField(max_length=300)

    class Meta:
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "organisation", "month", "sent_on"], name="one_reminder_a_day"
            )
        ]

    def __str__(self) -> str:
        return self.message
