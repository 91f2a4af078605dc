"""Exemplary stories: the public list, a story and its photo; the coordinator's pages.

Public reads go through communications.stories, which checks the person's consent at every
read; staff reads are scoped to the editor's commune (another commune's story answers 404).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import role_required
from communications import stories
from communications.models import CATEGORY_CHOICES, Story
from learning.selectors import render_markdown
from lib.http import posted
from places.selectors import public_commune

PHOTO_CACHE = "public, max-age=86400"
BODY_MAX_CHARS = 20_000


class StoryForm(forms.Form):
    title = forms.CharField(label="Tiêu đề", max_length=200)
    summary = forms.CharField(
        label="Tóm tắt một câu (hiện trong danh sách và khi chia sẻ)",
        max_length=300,
        required=False,
    )
    category = forms.ChoiceField(label="Lĩnh vực", choices=[("", "— Chọn —"), *CATEGORY_CHOICES])
    resident = forms.ModelChoiceField(
        label="Người dân được nói tới",
        queryset=None,
        required=False,
        empty_label="— Không có trong danh sách (ghi tên bên dưới) —",
        help_text="Đăng được khi người dân đã đồng ý hiện tên công khai (ở hồ sơ người dân).",
    )
    person_name = forms.CharField(
        label="Hoặc tên người (tập thể) được nói tới",
        max_length=200,
        required=False,
        help_text="Ví dụ: Tổ công nghệ số xóm Ngọc Lâm, hoặc một người chưa có trong danh sách.",
    )
    consent_form = forms.ChoiceField(
        label="Người (tập thể) ghi tên ở trên đã đồng ý cho đăng",
        choices=[("", "Chưa ghi nhận"), *Story.ConsentForm.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text="Ghi lại tên bạn và thời điểm ghi nhận. Không cần khi chọn người dân ở trên.",
    )
    body = forms.CharField(
        label="Câu chuyện (Markdown)",
        max_length=BODY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Dòng “## ” là tiêu đề nhỏ; **chữ đậm**; dòng “- ” là gạch đầu dòng.",
    )
    photo = forms.FileField(
        label="Ảnh (JPG, PNG hoặc WebP; máy tự thu nhỏ)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    remove_photo = forms.BooleanField(label="Gỡ ảnh hiện có", required=False)
    status = forms.ChoiceField(
        label="Trạng thái", choices=Story.Status.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resident"].queryset = stories.story_residents(commune)

    @staticmethod
    def initial_from(story: Story | None) -> dict:
        if story is None:
            return {"status": Story.Status.DRAFT}
        data = {name: getattr(story, name) for name in stories.STORY_FIELDS}
        data["consent_form"] = story.consent_form
        return data


def _no_commune(request):
    return render(request, "places/no_commune.html", status=503)


# Public ----------------------------------------------------------------------------------


@require_GET
def story_list(request):
    commune = public_commune()
    if commune is None:
        return _no_commune(request)
    return render(
        request,
        "communications/stories/list.html",
        {"commune": commune, "stories": stories.public_stories(commune)},
    )


@require_GET
def story_detail(request, slug: str):
    commune = public_commune()
    if commune is None:
        return _no_commune(request)
    story = stories.get_public_story(commune, slug)
    return render(
        request,
        "communications/stories/detail.html",
        {
            "commune": commune,
            "story": story,
            "html": render_markdown(story.body),
            "share_url": request.build_absolute_uri(
                reverse("communications:story_detail", args=[story.slug])
            ),
        },
    )


@require_GET
def story_photo(request, slug: str):
    commune = public_commune()
    if commune is None:
        return _no_commune(request)
    response = HttpResponse(stories.public_photo(commune, slug), content_type="image/webp")
    response["Cache-Control"] = PHOTO_CACHE  # short: a withdrawn consent must take it down
    return response


# Staff -----------------------------------------------------------------------------------


@role_required(*stories.EDITORS)
def story_staff_list(request):
    rows = [
        (s, stories.story_state(s))
        for s in stories.stories_for_editor(request.user).defer(*stories.LIST_DEFER)
    ]
    return render(request, "communications/stories/staff_list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
@role_required(*stories.EDITORS)
def story_new(request):
    return _edit(request, story=None)


@require_http_methods(["GET", "POST"])
@role_required(*stories.EDITORS)
def story_edit(request, story_id: int):
    return _edit(request, story=stories.get_story_for_editor(request.user, story_id))


def _edit(request, *, story: Story | None):
    user = request.user
    form = StoryForm(
        posted(request),
        request.FILES or None,
        initial=StoryForm.initial_from(story),
        commune=user.commune,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("photo")
        try:
            saved = stories.story_save(
                actor=user,
                commune=user.commune,
                story=story,
                data={k: v for k, v in data.items() if k in stories.STORY_FIELDS},
                consent_form=data["consent_form"],
                photo=upload.read() if upload else None,
                remove_photo=data["remove_photo"],
            )
        except ValidationError as exc:
            field = "photo" if exc.code in {"not_an_image", "too_many_pixels", "too_big"} else None
            form.add_error(field, exc)
            if story is not None:
                story.refresh_from_db()
        else:
            messages.success(request, f"Đã lưu “{saved.title}” · {stories.story_state(saved)}.")
            return redirect("communications:story_edit", story_id=saved.pk)
    return render(
        request,
        "communications/stories/edit.html",
        {
            "story": story,
            "state": stories.story_state(story) if story else "",
            "form": form,
        },
    )
