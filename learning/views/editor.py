"""The coordinator's lesson editor: list, write and preview lessons, publish, upload images.

Every lesson is fetched through learning.editor's scoped reads: another commune's lesson id
answers 404. Without JavaScript every page still works; htmx only adds the live preview.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import role_required
from learning.editor import (
    EDITORS,
    body_preview,
    get_lesson_for_editor,
    images_for_editor,
    lesson_image_upload,
    lesson_publish,
    lesson_save,
    lesson_unpublish,
    lessons_for_editor,
)
from learning.forms_editor import ImageUploadForm, LessonForm, question_formset
from learning.models import Lesson
from lib.http import posted

PREVIEW_MAX_CHARS = 100_000


@role_required(*EDITORS)
def lesson_list(request):
    lessons = lessons_for_editor(request.user).defer("audio", "body", "search_text")
    lessons = lessons.order_by("status", "topic", "order", "title")  # "draft" sorts first
    return render(request, "learning/editor/list.html", {"lessons": lessons})


@require_http_methods(["GET", "POST"])
@role_required(*EDITORS)
def lesson_new(request):
    return _edit(request, lesson=None)


@require_http_methods(["GET", "POST"])
@role_required(*EDITORS)
def lesson_edit(request, lesson_id: int):
    return _edit(request, lesson=get_lesson_for_editor(request.user, lesson_id))


def _edit(request, *, lesson: Lesson | None):
    data = posted(request)
    form = LessonForm(
        data,
        initial=LessonForm.initial_from(lesson) if lesson else None,
        preview_url=reverse("lesson_editor:preview"),
    )
    formset = question_formset(data, lesson)
    steps, body_error = None, ""
    if data is not None and data.get("action") == "preview":
        steps, body_error = body_preview(
            commune_id=request.user.commune_id, body=data.get("body", "")[:PREVIEW_MAX_CHARS]
        )
    # "&", not "and": both are validated, so every error shows at once.
    elif data is not None and form.is_valid() & formset.is_valid():
        try:
            saved = lesson_save(
                actor=request.user,
                commune=request.user.commune,
                lesson=lesson,
                data=form.cleaned_data,
                questions=formset.questions(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Đã lưu bài “{saved.title}”.")
            return redirect("lesson_editor:edit", lesson_id=saved.pk)
    return render(
        request,
        "learning/editor/edit.html",
        {
            "lesson": lesson,
            "form": form,
            "formset": formset,
            "steps": steps,
            "body_error": body_error,
            "previewed": steps is not None,
            "images": images_for_editor(request.user),
        },
    )


@require_POST
@role_required(*EDITORS)
def lesson_preview(request):
    """The steps as learners will see them: a fragment for htmx, a page without JavaScript."""
    steps, body_error = body_preview(
        commune_id=request.user.commune_id,
        body=request.POST.get("body", "")[:PREVIEW_MAX_CHARS],
    )
    template = "learning/editor/_preview.html" if request.htmx else "learning/editor/preview.html"
    return render(request, template, {"steps": steps, "body_error": body_error, "previewed": True})


@require_POST
@role_required(*EDITORS)
def lesson_publish_view(request, lesson_id: int):
    lesson = get_lesson_for_editor(request.user, lesson_id)
    try:
        lesson_publish(actor=request.user, lesson=lesson)
    except ValidationError as exc:
        messages.error(request, f"Chưa đăng được “{lesson.title}”: {' '.join(exc.messages)}")
    else:
        messages.success(request, f"Đã đăng bài “{lesson.title}”. Người dân đã xem được.")
    return redirect("lesson_editor:list")


@require_POST
@role_required(*EDITORS)
def lesson_unpublish_view(request, lesson_id: int):
    lesson = get_lesson_for_editor(request.user, lesson_id)
    lesson_unpublish(actor=request.user, lesson=lesson)
    messages.success(request, f"Đã gỡ bài “{lesson.title}” xuống bản nháp.")
    return redirect("lesson_editor:list")


@require_http_methods(["GET", "POST"])
@role_required(*EDITORS)
def image_list(request):
    form = ImageUploadForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            image = lesson_image_upload(
                actor=request.user,
                commune=request.user.commune,
                uploaded_file=form.cleaned_data["image"],
            )
        except ValidationError as exc:
            form.add_error("image", exc)
        else:
            messages.success(
                request, f"Đã tải ảnh lên. Chép dòng này vào bài: ![mô tả]({image.name})"
            )
            return redirect("lesson_editor:images")
    return render(
        request,
        "learning/editor/images.html",
        {"form": form, "images": images_for_editor(request.user)},
    )
