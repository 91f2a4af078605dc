"""Thi đua, khen thưởng: nominations for a certificate of merit (giấy khen) and their history."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from accounts.models import Resident
from outreach.models import Team
from places.models import Commune, Organisation, TimestampedModel


class Category(models.TextChoices):
    """The plan's categories (section II.4, IV.1 and IV.2 of the commune plan)."""

    ELDERLY_SMARTPHONE = "elderly_smartphone", "Người cao tuổi biết dùng điện thoại thông minh"
    ONLINE_SELLER = "online_seller", "Bà con bán hàng trực tuyến hiệu quả"
    YOUTH_HELPER = "youth_helper", "Thanh niên hỗ trợ cộng đồng tiếp cận công nghệ số"
    EXEMPLARY_TEAM = "exemplary_team", "Tập thể, tổ công nghệ số cộng đồng tiêu biểu"
    BRIGHT_SPOT = "bright_spot", "Điểm sáng, cách làm hay trong phong trào"


# The achievement phrase printed on the giấy khen: "Đã có thành tích … trong phong trào …".
ACHIEVEMENTS = {
    Category.ELDERLY_SMARTPHONE: "tích cực học và sử dụng thành thạo điện thoại thông minh",
    Category.ONLINE_SELLER: "ứng dụng công nghệ số, bán hàng trực tuyến hiệu quả",
    Category.YOUTH_HELPER: "tích cực hỗ trợ cộng đồng tiếp cận công nghệ số",
    Category.EXEMPLARY_TEAM: "tiêu biểu trong hướng dẫn kỹ năng số cho người dân",
    Category.BRIGHT_SPOT: "xây dựng cách làm hay, điểm sáng",
}


class NominationQuerySet(models.QuerySet):
    def with_status(self, status: str):
        return self.filter(status=status)


class Nomination(TimestampedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Đã đề nghị"
        RETURNED = "returned", "Trả lại để bổ sung"
        FORWARDED = "forwarded", "Đã trình lãnh đạo"
        DECIDED = "decided", "Đã quyết định khen thưởng"
        REJECTED = "rejected", "Không khen thưởng"

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    category = models.CharField("danh hiệu, loại khen", max_length=30, choices=Category.choices)
    resident = models.ForeignKey(
        Resident,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name="người được đề nghị",
    )
    collective_name = models.CharField("tên tập thể", max_length=200, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="nominations_proposed"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reasons = models.TextField("thành tích, lý do đề nghị")
    evidence = models.JSONField("minh chứng", default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    review_comment = models.TextField("ý kiến của cán bộ điều phối", blank=True)
    decision_number = models.CharField("số quyết định", max_length=30, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="nominations_decided",
    )

    objects = NominationQuerySet.as_manager()

    class Meta:
        verbose_name = "đề nghị khen thưởng"
        verbose_name_plural = "đề nghị khen thưởng"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(resident__isnull=False) & Q(collective_name=""))
                | (Q(resident__isnull=True) & ~Q(collective_name="")),
                name="nomination_one_nominee",
            ),
            models.CheckConstraint(
                condition=~Q(status="decided")
                | (~Q(decision_number="") & Q(decision_date__isnull=False)),
                name="nomination_decided_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.nominee_name} – {self.get_category_display()}"

    @property
    def nominee_name(self) -> str:
        return self.resident.full_name if self.resident_id else self.collective_name

    @property
    def proposer_unit(self) -> str:
        if self.organisation_id:
            return self.organisation.name
        if self.team_id:
            return self.team.name
        return ""


class NominationEvent(models.Model):
    """One step of the workflow: who moved the nomination to which status, with what comment."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Nomination.Status.choices)
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.nomination_id} → {self.status}"
