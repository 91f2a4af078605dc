"""Public news, the Atom feed and the video library; the coordinator's news and video pages.

Every staff read goes through communications.news's scoped reads: another commune's article
answers 404. Without JavaScript every page works; htmx only adds the live preview, and a
video placeholder becomes a plain link.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import role_required
from communications import news, stories
from communications.models import AUDIENCES, Article, Video
from learning.content import TOPICS
from learning.selectors import render_markdown
from lib.http import posted
from places.selectors import public_commune

PREVIEW_MAX_CHARS = 100_000
COVER_CACHE = "public, max-age=31536000, immutable"
FEED_CACHE = "public, max-age=600"
NEWS_STORIES = 3


def _choices(table: dict, empty: str = "— Chọn —") -> list[tuple[str, str]]:
    return [("", empty), *table.items()]


class ArticleForm(forms.Form):
    kind = forms.ChoiceField(label="Loại bài", choices=Article.Kind.choices)
    title = forms.CharField(label="Tiêu đề", max_length=200)
    summary = forms.CharField(
        label="Tóm tắt một câu (hiện trong danh sách và khi chia sẻ)",
        max_length=300,
        required=False,
    )
    body = forms.CharField(
        label="Nội dung (Markdown)",
        max_length=PREVIEW_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        help_text=(
            "Dòng “## ” là tiêu đề nhỏ; **chữ đậm**; dòng bắt đầu bằng “- ” là gạch đầu dòng."
        ),
    )
    audience = forms.MultipleChoiceField(
        label="Dành cho",
        choices=list(AUDIENCES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    topic = forms.ChoiceField(label="Chủ đề", choices=_choices(TOPICS), required=False)
    status = forms.ChoiceField(
        label="Trạng thái", choices=Article.Status.choices, widget=forms.RadioSelect
    )
    publish_at = forms.DateTimeField(
        label="Đăng lúc (ngày/tháng/năm giờ:phút)",
        input_formats=["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%dT%H:%M"],
        help_text="Để giờ sau này thì bài tự hiện đúng giờ đó. Ví dụ: 05/12/2026 07:00.",
        error_messages={"invalid": "Ghi ngày giờ theo mẫu 05/12/2026 07:00."},
    )
    cover = forms.FileField(
        label="Ảnh bìa (JPG, PNG hoặc WebP; máy tự thu nhỏ)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_cover = forms.BooleanField(label="Gỡ ảnh bìa hiện có", required=False)

    def __init__(self, *args, preview_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["publish_at"].widget.format = "%d/%m/%Y %H:%M"
        if preview_url:  # live preview with htmx; the "Xem trước" button works without it
            attrs = self.fields["body"].widget.attrs
            attrs["hx-post"] = preview_url
            attrs["hx-trigger"] = "keyup changed delay:500ms"
            attrs["hx-target"] = "#xem-truoc"

    @classmethod
    def initial_from(cls, article: Article | None) -> dict:
        if article is None:
            return {
                "kind": Article.Kind.NEWS,
                "status": Article.Status.DRAFT,
                "publish_at": timezone.localtime(),
            }
        data = {name: getattr(article, name) for name in news.ARTICLE_FIELDS}
        data["publish_at"] = timezone.localtime(article.publish_at)
        return data


class VideoForm(forms.Form):
    title = forms.CharField(label="Tên clip", max_length=200)
    url = forms.URLField(
        label="Đường link (YouTube, Facebook hoặc Zalo)",
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": news.BAD_VIDEO_LINK},
    )
    topic = forms.ChoiceField(label="Chủ đề", choices=_choices(TOPICS), required=False)
    audience = forms.MultipleChoiceField(
        label="Dành cho",
        choices=list(AUDIENCES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean_url(self):
        url = self.cleaned_data["url"]
        news.video_provider(url)
        return url


def _no_commune(request):
    return render(request, "places/no_commune.html", status=503)


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path)


# Public ----------------------------------------------------------------------------------


@require_GET
def news_list(request):
    commune = public_commune()
    if commune is None:
        return _no_commune(request)
    kind = request.GET.get("loai", "")
    audience = request.GET.get("doi-tuong", "")
    topic = request.GET.get("chu-de", "")
    articles = news.public_articles(commune, kind=kind, audience=audience, topic=topic)
    return render(
        request,
        "communications/news/list.html",
        {
            "commune": commune,
            "articles": articles,
            "kinds": Article.Kind.choices,
            "audiences": AUDIENCES.items(),
            "topics": TOPICS.items(),
            "kind": kind,
            "audience": audience,
            "topic": topic,
            "filtered": bool(kind or audience or topic),
            "stories": [] if kind else stories.public_stories(commune, limit=NEWS_STORIES),
        },
    )


@require_GET
def news_detail(request, slug: str):
    commune = public_commune()
    if commune is None:
        return _no_commune(request)
    article = news.get_public_article(commune, slug)
    url = _absolute(request, reverse("communications:news_detail", args=[article.slug]))
    return render(
        request,
        "communications/news/detail.html",
        {
            "commune": commune,
            "article": article,
            "html": render_markdown(article.body),
            "audience": news.audience_labels(article.audience),
            "share_url": url,
        },
    )


@require_GET
def news_cover(request, slug: str):
    commune = public_commune()
    if commune is None:
        return _no_commune(request)
    response = HttpResponse(news.public_cover(commune, slug), content_type="image/webp")
    response["Cache-Control"] = COVER_CACHE
    return response


@require_GET
def feed(request):
    commune = public_commune()
    if commune is None:
        return _no_commune(request)
    articles = news.latest_articles(commune, kinds=Article.Kind.values, limit=news.FEED_LIMIT)
    body = news.atom_feed(
        commune=commune,
        articles=articles,
        site_url=_absolute(request, "/"),
        feed_url=_absolute(request, reverse("communications:feed")),
        stories=stories.public_stories(commune, limit=news.FEED_LIMIT),
    )
    response = HttpResponse(body, content_type="application/atom+xml; charset=utf-8")
    response["Cache-Control"] = FEED_CACHE
    return response


@require_GET
def video_list(request):
    commune = public_commune()
    if commune is None:
        return _no_commune(request)
    topic = request.GET.get("chu-de", "")
    audience = request.GET.get("doi-tuong", "")
    videos = [
        (v, news.youtube_embed(v.url) if v.provider == Video.Provider.YOUTUBE else "")
        for v in news.public_videos(commune, topic=topic, audience=audience)
    ]
    return render(
        request,
        "communications/news/videos.html",
        {
            "commune": commune,
            "videos": videos,
            "topics": TOPICS.items(),
            "audiences": AUDIENCES.items(),
            "topic": topic,
            "audience": audience,
        },
    )


# Staff -----------------------------------------------------------------------------------


@role_required(*news.EDITORS)
def news_staff_list(request):
    now = timezone.now()
    articles = news.articles_for_editor(request.user).defer(*news.LIST_DEFER)
    rows = [(a, news.article_state(a, now=now)) for a in articles.order_by("-publish_at", "-id")]
    return render(request, "communications/news/staff_list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@role_required(*news.EDITORS)
def news_new(request):
    return _edit(request, article=None)


@require_http_methods(["GET", "POST"])
@role_required(*news.EDITORS)
def news_edit(request, article_id: int):
    return _edit(request, article=news.get_article_for_editor(request.user, article_id))


def _edit(request, *, article: Article | None):
    data = posted(request)
    form = ArticleForm(
        data,
        request.FILES or None,
        initial=ArticleForm.initial_from(article),
        preview_url=reverse("communications:news_preview"),
    )
    preview = None
    if data is not None and data.get("action") == "preview":
        preview = render_markdown(data.get("body", "")[:PREVIEW_MAX_CHARS])
    elif data is not None and form.is_valid():
        upload = form.cleaned_data.get("cover")
        try:
            saved = news.article_save(
                actor=request.user,
                commune=request.user.commune,
                article=article,
                data={k: v for k, v in form.cleaned_data.items() if k in news.ARTICLE_FIELDS},
                cover=upload.read() if upload else None,
                remove_cover=form.cleaned_data["remove_cover"],
            )
        except ValidationError as exc:
            field = "cover" if exc.code in {"not_an_image", "too_many_pixels", "too_big"} else None
            form.add_error(field, exc)
        else:
            state = news.article_state(saved)
            messages.success(request, f"Đã lưu bài “{saved.title}” · {state}.")
            return redirect("communications:news_edit", article_id=saved.pk)
    return render(
        request,
        "communications/news/edit.html",
        {
            "article": article,
            "state": news.article_state(article) if article else "",
            "form": form,
            "preview": preview,
            "previewed": preview is not None,
        },
    )


@require_POST
@role_required(*news.EDITORS)
def news_preview(request):
    """The body as residents will see it: a fragment for htmx, a page without JavaScript."""
    preview = render_markdown(request.POST.get("body", "")[:PREVIEW_MAX_CHARS])
    template = (
        "communications/news/_preview.html" if request.htmx else "communications/news/preview.html"
    )
    return render(request, template, {"preview": preview, "previewed": True})


@require_http_methods(["GET", "POST"])
@role_required(*news.EDITORS)
def video_staff(request):
    form = VideoForm(posted(request))
    if request.method == "POST" and form.is_valid():
        video = news.video_add(
            actor=request.user, commune=request.user.commune, data=form.cleaned_data
        )
        messages.success(request, f"Đã thêm clip “{video.title}”.")
        return redirect("communications:video_staff")
    videos = news.videos_for_editor(request.user).order_by("-created_at", "-id")
    return render(
        request, "communications/news/staff_videos.html", {"form": form, "videos": videos}
    )


@require_POST
@role_required(*news.EDITORS)
def video_remove(request, video_id: int):
    video = news.get_video_for_editor(request.user, video_id)
    news.video_remove(actor=request.user, video=video)
    messages.success(request, f"Đã gỡ clip “{video.title}”.")
    return redirect("communications:video_staff")
