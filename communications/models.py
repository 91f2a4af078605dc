from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Resident
from learning.content import TOPICS
from places.models import Commune, Hamlet, TimestampedModel
from recognition.models import Category

CATEGORY_CHOICES = Category.choices

AUDIENCES = {"young": "Người trẻ", "middle": "Trung niên", "elderly": "Người cao tuổi"}
TOPIC_CHOICES = list(TOPICS.items())


class ArticleQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=timezone.now())


class Article(TimestampedModel):
    """News and announcements for the commune page (exemplary stories are Story)."""

    class Kind(models.TextChoices):
        NEWS = "news", "Tin tức"
        ANNOUNCEMENT = "announcement", "Thông báo"

    class Status(models.TextChoices):
        DRAFT = "draft", "Bản nháp"
        PUBLISHED = "published", "Đăng (ngay hoặc theo lịch)"

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="articles")
    kind = models.CharField("loại", max_length=15, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField("tiêu đề", max_length=200)
    slug = models.SlugField(max_length=120)
    summary = models.CharField("tóm tắt", max_length=300, blank=True)
    body = models.TextField("nội dung (Markdown)")
    audience = models.JSONField("đối tượng", default=list)  # keys of AUDIENCES
    topic = models.CharField("chủ đề", max_length=30, choices=TOPIC_CHOICES, blank=True)
    cover = models.BinaryField("ảnh bìa (WebP)", null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField("đăng lúc", default=timezone.now)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "bài viết"
        verbose_name_plural = "bài viết"
        ordering = ["-publish_at"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "slug"], name="article_unique_slug")
        ]

    def __str__(self) -> str:
        return self.title


class Story(TimestampedModel):
    """An exemplary story (gương điển hình) about one resident, or a person named in free text.

    It is shown to the public only while the person agrees: a linked resident's latest
    PUBLIC_NAME consent must be a yes; for a person named in free text, the coordinator records
    that the person agreed in writing or by word of mouth, and who recorded it.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Bản nháp"
        PUBLISHED = "published", "Đăng công khai"

    class ConsentForm(models.TextChoices):
        WRITTEN = "written", "Bằng văn bản"
        ORAL = "oral", "Bằng lời nói"

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="stories")
    title = models.CharField("tiêu đề", max_length=200)
    slug = models.SlugField(max_length=120)
    summary = models.CharField("tóm tắt", max_length=300, blank=True)
    body = models.TextField("nội dung (Markdown)")
    photo = models.BinaryField("ảnh (WebP)", null=True, blank=True)
    category = models.CharField("lĩnh vực", max_length=30, choices=CATEGORY_CHOICES)
    resident = models.ForeignKey(
        Resident,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stories",
        verbose_name="người dân",
    )
    person_name = models.CharField(
        "tên người (nếu không chọn người dân)", max_length=200, blank=True
    )
    consent_form = models.CharField(
        "người được nói tới đã đồng ý", max_length=10, choices=ConsentForm.choices, blank=True
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    status_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "gương điển hình"
        verbose_name_plural = "gương điển hình"
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "slug"], name="story_unique_slug"),
            models.CheckConstraint(
                condition=models.Q(resident__isnull=True) | models.Q(person_name=""),
                name="story_one_person",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def person(self) -> str:
        if self.resident_id:
            return self.resident.full_name
        return self.person_name


class Video(models.Model):
    """A short clip by link; the page loads nothing from outside until it is tapped."""

    class Provider(models.TextChoices):
        YOUTUBE = "youtube", "YouTube"
        FACEBOOK = "facebook", "Facebook"
        ZALO = "zalo", "Zalo"

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="videos")
    title = models.CharField("tên clip", max_length=200)
    url = models.URLField("đường link", max_length=500)
    provider = models.CharField(max_length=10, choices=Provider.choices)
    topic = models.CharField("chủ đề", max_length=30, choices=TOPIC_CHOICES, blank=True)
    audience = models.JSONField("đối tượng", default=list)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Event(TimestampedModel):
    """A calendar event that is not a hamlet session: a skills day, a meeting, a deadline."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="events")
    hamlet = models.ForeignKey(
        Hamlet,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        help_text="Để trống: sự kiện chung của xã.",
    )
    title = models.CharField("tên sự kiện", max_length=200)
    place = models.CharField("địa điểm", max_length=200, blank=True)
    starts_at = models.DateTimeField("bắt đầu")
    ends_at = models.DateTimeField("kết thúc", null=True, blank=True)
    description = models.TextField("mô tả", blank=True)

    class Meta:
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return self.title


class RadioTheme(models.Model):
    """A quarterly thematic programme (chuyên đề) for the loudspeakers."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    quarter = models.PositiveSmallIntegerField(
        "quý", choices=[(q, f"Quý {q}") for q in (1, 2, 3, 4)]
    )
    title = models.CharField("chuyên đề", max_length=200)
    description = models.TextField("nội dung chính", blank=True)

    class Meta:
        ordering = ["-year", "-quarter"]

    def __str__(self) -> str:
        return f"Quý {self.quarter}/{self.year}: {self.title}"


class Bulletin(TimestampedModel):
    """A loudspeaker bulletin: a script assembled from items and edited by hand, then audio."""

    class AudioStatus(models.TextChoices):
        NONE = "none", "Chưa có"
        PENDING = "pending", "Đang tạo"
        READY = "ready", "Đã có"
        FAILED = "failed", "Không tạo được"

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="bulletins")
    theme = models.ForeignKey(
        RadioTheme, on_delete=models.SET_NULL, null=True, blank=True, related_name="bulletins"
    )
    title = models.CharField("tên bản tin", max_length=200)
    script = models.TextField("lời đọc")
    audio = models.BinaryField(null=True, blank=True)
    audio_type = models.CharField(max_length=30, blank=True)  # audio/mpeg or audio/wav
    audio_status = models.CharField(
        max_length=10, choices=AudioStatus.choices, default=AudioStatus.NONE
    )
    audio_note = models.CharField(max_length=300, blank=True)
    audio_version = models.PositiveIntegerField(default=0)
    recorded_upload = models.BooleanField("bản ghi âm tải lên", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Broadcast(models.Model):
    """One airing of a bulletin on the loudspeaker clusters of some hamlets."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="broadcasts")
    aired_at = models.DateTimeField("phát lúc")
    hamlets = models.ManyToManyField(Hamlet, related_name="broadcasts")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-aired_at"]

    def __str__(self) -> str:
        return f"{self.bulletin} · {self.aired_at:%d/%m/%Y %H:%M}"


class Slogan(models.Model):
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="slogans")
    text = models.CharField("khẩu hiệu", max_length=200)
    active = models.BooleanField("đang dùng", default=True)

    def __str__(self) -> str:
        return self.text


class Poster(TimestampedModel):
    class Format(models.TextChoices):
        A4 = "a4", "Áp phích A4"
        A3 = "a3", "Áp phích A3"
        BANNER = "banner", "Băng rôn (dải dài)"

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="posters")
    slogan = models.ForeignKey(Slogan, on_delete=models.PROTECT, related_name="posters")
    format = models.CharField("khổ", max_length=10, choices=Format.choices)
    subtitle = models.CharField("dòng phụ", max_length=200, blank=True)
    qr_url = models.CharField("mã QR dẫn tới", max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.get_format_display()}: {self.slogan}"


class PosterPlacement(models.Model):
    class Place(models.TextChoices):
        CULTURAL_HOUSE = "cultural_house", "Nhà văn hóa xóm"
        SCHOOL = "school", "Trường học"
        HEALTH = "health", "Trạm y tế"
        OFFICE = "office", "Trụ sở UBND xã"
        ROAD = "road", "Trục đường chính"
        OTHER = "other", "Nơi khác"

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    poster = models.ForeignKey(Poster, on_delete=models.CASCADE, related_name="placements")
    place = models.CharField("nơi treo", max_length=20, choices=Place.choices)
    hamlet = models.ForeignKey(Hamlet, on_delete=models.SET_NULL, null=True, blank=True)
    note = models.CharField("ghi chú", max_length=200, blank=True)
    put_up_on = models.DateField("ngày treo", default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.poster} @ {self.get_place_display()}"


class ScamReport(models.Model):
    """A suspicious message, call or post a resident received. Never published as is."""

    class Channel(models.TextChoices):
        SMS = "sms", "Tin nhắn SMS"
        ZALO = "zalo", "Zalo"
        FACEBOOK = "facebook", "Facebook"
        CALL = "call", "Cuộc gọi điện thoại"
        OTHER = "other", "Khác"

    class Status(models.TextChoices):
        NEW = "new", "Mới"
        WARNED = "warned", "Đã cảnh báo"
        DISMISSED = "dismissed", "Không phải lừa đảo"

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="scam_reports")
    channel = models.CharField("nhận qua", max_length=10, choices=Channel.choices)
    content = models.TextField("nội dung")
    photo = models.BinaryField("ảnh chụp (WebP)", null=True, blank=True)
    received_on = models.DateField("ngày nhận", default=timezone.localdate)
    resident = models.ForeignKey(
        Resident, on_delete=models.SET_NULL, null=True, blank=True, related_name="scam_reports"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    client_key = models.UUIDField(unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.received_on:%d/%m/%Y}"


class ScamAlert(TimestampedModel):
    """A published warning (cảnh báo lừa đảo), written by the coordinator from reports."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="scam_alerts")
    title = models.CharField("tiêu đề", max_length=200)
    body = models.TextField("nội dung cảnh báo")
    reports = models.ManyToManyField(ScamReport, blank=True, related_name="alerts")
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title
