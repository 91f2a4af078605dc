"""News, announcements, exemplary stories and short videos for the commune page.

Reads first (what the public sees, what an editor may open), then the writes. Every write by
an official is audited and runs in one transaction; a cover image is converted before anything
is saved, so a refused image leaves nothing behind.
"""

import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from accounts.models import AuditEntry, Role, User
from accounts.services import audit_record
from communications.models import AUDIENCES, Article, Video
from learning.content import TOPICS
from learning.images import webp_from_upload
from lib.video import video_host
from lib.vntext import fold
from places.models import Commune

EDITORS = (Role.ADMIN, Role.COORDINATOR)
COVER_MAX_BYTES = 40 * 1024
PUBLIC_LIMIT = 30
SCAN_LIMIT = 200  # audience lives in a JSON list: filtered in Python over the newest rows
FEED_LIMIT = 20
ARTICLE_FIELDS = ["kind", "title", "summary", "body", "audience", "topic", "status", "publish_at"]
LIST_DEFER = ("body", "cover")

VIDEO_HOSTS = {
    "youtube.com": Video.Provider.YOUTUBE,
    "youtu.be": Video.Provider.YOUTUBE,
    "facebook.com": Video.Provider.FACEBOOK,
    "fb.watch": Video.Provider.FACEBOOK,
    "zalo.me": Video.Provider.ZALO,
}
BAD_VIDEO_LINK = "Chỉ nhận đường link video YouTube, Facebook hoặc Zalo (bắt đầu bằng https://)."
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


# Reads ------------------------------------------------------------------------------------


def _with_has_cover(qs: QuerySet[Article]) -> QuerySet[Article]:
    return qs.annotate(
        has_cover=Case(
            When(cover__isnull=True, then=Value(False)),
            default=Value(True),
            output_field=BooleanField(),
        )
    )


def public_articles(
    commune: Commune, *, kind: str = "", audience: str = "", topic: str = ""
) -> list[Article]:
    """Published articles, newest first; unknown filter values are ignored."""
    qs = Article.objects.published().filter(commune=commune).defer(*LIST_DEFER)
    if kind in Article.Kind.values:
        qs = qs.filter(kind=kind)
    if topic in TOPICS:
        qs = qs.filter(topic=topic)
    articles = list(_with_has_cover(qs).order_by("-publish_at", "-id")[:SCAN_LIMIT])
    if audience in AUDIENCES:
        articles = [a for a in articles if audience in (a.audience or [])]
    return articles[:PUBLIC_LIMIT]


def latest_articles(commune: Commune, *, kinds: list[str], limit: int) -> list[Article]:
    qs = Article.objects.published().filter(commune=commune, kind__in=kinds).defer(*LIST_DEFER)
    return list(_with_has_cover(qs).order_by("-publish_at", "-id")[:limit])


def get_public_article(commune: Commune, slug: str) -> Article:
    qs = _with_has_cover(Article.objects.published().filter(commune=commune).defer("cover"))
    return get_object_or_404(qs, slug=slug)


def public_cover(commune: Commune, slug: str) -> bytes:
    article = get_object_or_404(
        Article.objects.published().filter(commune=commune, cover__isnull=False).only("cover"),
        slug=slug,
    )
    return bytes(article.cover)


def articles_for_editor(user: User) -> QuerySet[Article]:
    if user.role not in EDITORS or not user.commune_id:
        return Article.objects.none()
    return Article.objects.filter(commune_id=user.commune_id)


def get_article_for_editor(user: User, article_id: int) -> Article:
    return get_object_or_404(
        _with_has_cover(articles_for_editor(user)).defer("cover"), pk=article_id
    )


def article_state(article: Article, *, now=None) -> str:
    if article.status == Article.Status.DRAFT:
        return "Bản nháp"
    if article.publish_at > (now or timezone.now()):
        return f"Hẹn đăng lúc {timezone.localtime(article.publish_at):%H:%M %d/%m/%Y}"
    return "Đã đăng"


def audience_labels(keys) -> list[str]:
    return [label for key, label in AUDIENCES.items() if key in set(keys or [])]


def public_videos(commune: Commune, *, topic: str = "", audience: str = "") -> list[Video]:
    qs = Video.objects.filter(commune=commune)
    if topic in TOPICS:
        qs = qs.filter(topic=topic)
    videos = list(qs.order_by("-created_at", "-id")[:SCAN_LIMIT])
    if audience in AUDIENCES:
        videos = [v for v in videos if audience in (v.audience or [])]
    return videos[:PUBLIC_LIMIT]


def videos_for_editor(user: User) -> QuerySet[Video]:
    if user.role not in EDITORS or not user.commune_id:
        return Video.objects.none()
    return Video.objects.filter(commune_id=user.commune_id)


def get_video_for_editor(user: User, video_id: int) -> Video:
    return get_object_or_404(videos_for_editor(user), pk=video_id)


def video_provider(url: str) -> str:
    """The provider of a video link, or ValidationError (Vietnamese) for any other site."""
    host = video_host(url)
    if host not in VIDEO_HOSTS:
        raise ValidationError(BAD_VIDEO_LINK, code="bad_link")
    return VIDEO_HOSTS[host]


def youtube_embed(url: str) -> str:
    """The privacy-enhanced embed address of a YouTube link, or "" when none can be made."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    video_id = ""
    if host == "youtu.be":
        video_id = parts.path.strip("/").split("/")[0]
    elif host == "youtube.com":
        if parts.path == "/watch":
            query = dict(p.split("=", 1) for p in parts.query.split("&") if "=" in p)
            video_id = query.get("v", "")
        elif parts.path.startswith(("/shorts/", "/embed/", "/live/")):
            video_id = parts.path.split("/")[2]
    if not _YOUTUBE_ID.match(video_id):
        return ""
    return f"https://www.youtube-nocookie.com/embed/{video_id}?autoplay=1"


def atom_feed(
    *,
    commune: Commune,
    articles: list[Article],
    site_url: str,
    feed_url: str,
    stories: list | None = None,
    limit: int = FEED_LIMIT,
) -> str:
    """Atom 1.0 of the newest published articles and stories; every address is absolute."""
    feed = Atom1Feed(
        title=f"Tin tức · {commune.name}",
        link=site_url,
        description=f"Tin tức, thông báo và gương điển hình chuyển đổi số của {commune.name}",
        language="vi",
        feed_url=feed_url,
        feed_guid=feed_url,
    )
    base = site_url.rstrip("/")
    entries = [
        (a.publish_at, f"{base}/tin-tuc/{a.slug}/", a, a.get_kind_display()) for a in articles
    ]
    entries += [
        (s.published_at, f"{base}/guong-dien-hinh/{s.slug}/", s, "Gương điển hình")
        for s in stories or []
    ]
    entries.sort(key=lambda e: e[0], reverse=True)
    for published, link, item, category in entries[:limit]:
        feed.add_item(
            title=item.title,
            link=link,
            description=item.summary or item.title,
            unique_id=link,
            pubdate=published,
            updateddate=item.updated_at,
            categories=[category],
        )
    return feed.writeString("utf-8")


# Writes -----------------------------------------------------------------------------------


def slug_from_title(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(title)).strip("-")
    return slug[:100].rstrip("-") or "bai-viet"


def _unique_slug(commune: Commune, title: str, *, exclude_id: int | None) -> str:
    base = slug_from_title(title)
    taken = set(
        Article.objects.filter(commune=commune, slug__startswith=base)
        .exclude(pk=exclude_id)
        .values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _snapshot(article: Article) -> dict:
    data = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    data["publish_at"] = f"{timezone.localtime(article.publish_at):%d/%m/%Y %H:%M}"
    data["body"] = f"{len(article.body)} ký tự"
    return data


def article_save(
    *,
    actor: User,
    commune: Commune,
    article: Article | None,
    data: dict,
    cover: bytes | None = None,
    remove_cover: bool = False,
) -> Article:
    """Create or update an article. The slug follows the title until the first publication."""
    webp = webp_from_upload(cover, max_bytes=COVER_MAX_BYTES) if cover else None
    with transaction.atomic():
        before = _snapshot(article) if article else None
        if article is None:
            article = Article(commune=commune, author=actor)
        was_published = article.pk and article.status == Article.Status.PUBLISHED
        for name in ARTICLE_FIELDS:
            if name in data:
                setattr(article, name, data[name])
        if not article.publish_at:
            article.publish_at = timezone.now()
        if not was_published:  # a shared link never breaks once the article is out
            article.slug = _unique_slug(commune, article.title, exclude_id=article.pk)
        if webp is not None:
            article.cover = webp
        elif remove_cover:
            article.cover = None
        article.full_clean(exclude=["cover", "author"])
        article.save()
        after = _snapshot(article)
        if webp is not None or remove_cover:
            after["cover"] = "mới" if webp is not None else "đã gỡ"
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE if before is None else AuditEntry.Action.UPDATE,
            target=article,
            before=before,
            after=after,
        )
    return article


def video_add(*, actor: User, commune: Commune, data: dict) -> Video:
    provider = video_provider(data["url"])
    with transaction.atomic():
        video = Video.objects.create(
            commune=commune,
            title=data["title"],
            url=data["url"].strip(),
            provider=provider,
            topic=data.get("topic", ""),
            audience=list(data.get("audience", [])),
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CREATE,
            target=video,
            after={"title": video.title, "url": video.url},
        )
    return video


def video_remove(*, actor: User, video: Video) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            target=video,
            before={"title": video.title, "url": video.url},
        )
        video.delete()
