"""Forms of the lesson editor: the lesson itself, its 2–3 check questions, an image upload."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME

from learning.content import DOMAINS, GOALS, LEVELS, TOPICS
from learning.models import Lesson, Question

BODY_HELP = (
    "Mỗi bước bắt đầu bằng một dòng “## Tên bước” (thêm {phone-only} ở cuối nếu chỉ làm được "
    "trên điện thoại thông minh), rồi đúng một dòng hình ![mô tả hình](ten-hinh.webp), rồi lời "
    "hướng dẫn. Tên nút bấm viết đậm: **Cài đặt**. Mỗi bài có từ 2 đến 8 bước."
)
OPTION_COUNT = 4


def _choices(table: dict) -> list[tuple[str, str]]:
    return [("", "— Chọn —"), *table.items()]


def _text(label: str, max_length: int, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, max_length=max_length, **kwargs)


def _area(label: str, rows: int = 3, **kwargs) -> forms.CharField:
    return forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": rows}), **kwargs)


class LessonForm(forms.Form):
    title = _text("Tên bài (một việc cụ thể)", Lesson._meta.get_field("title").max_length)
    topic = forms.ChoiceField(label="Chủ đề", choices=_choices(TOPICS))
    goal = forms.ChoiceField(label="Người học muốn làm gì?", choices=_choices(GOALS))
    domain = forms.ChoiceField(label="Miền năng lực số", choices=_choices(DOMAINS))
    level = forms.ChoiceField(label="Mức độ", choices=list(LEVELS.items()), initial="co-ban")
    minutes = forms.IntegerField(
        label="Số phút học (3 đến 8)",
        min_value=3,
        max_value=8,
        error_messages=dict.fromkeys(
            ["invalid", "min_value", "max_value"], "Bài học ngắn: từ 3 đến 8 phút."
        ),
    )
    summary = _text(
        "Tóm tắt một câu (hiện trong danh sách bài)", Lesson._meta.get_field("summary").max_length
    )
    why = _area("Học bài này để làm gì? (tiết kiệm được gì)")
    practice = _area("Thử ngay (một việc nhỏ để làm thử)")
    safety = _area(
        "Lời khuyên an toàn",
        required=False,
        help_text="Bắt buộc với bài về dịch vụ công, ngân hàng số, bán hàng và an toàn.",
    )
    body = _area("Các bước của bài", rows=18, help_text=BODY_HELP)

    def __init__(self, *args, preview_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        attrs = self.fields["body"].widget.attrs
        attrs["spellcheck"] = "false"
        if preview_url:  # live preview with htmx; the "Xem trước" button works without it
            attrs["hx-post"] = preview_url
            attrs["hx-trigger"] = "keyup changed delay:500ms"
            attrs["hx-target"] = "#xem-truoc"

    @classmethod
    def initial_from(cls, lesson: Lesson) -> dict:
        return {name: getattr(lesson, name) for name in cls.base_fields}


class QuestionForm(forms.Form):
    text = _area("Câu hỏi", rows=2)
    option_1 = _text("Lựa chọn 1", 300)
    option_2 = _text("Lựa chọn 2", 300)
    option_3 = _text("Lựa chọn 3", 300)
    option_4 = _text("Lựa chọn 4 (nếu có)", 300, required=False)
    answer = forms.TypedChoiceField(
        label="Lựa chọn đúng",
        choices=[(str(i), f"Lựa chọn {i + 1}") for i in range(OPTION_COUNT)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    explanation = _area(
        "Giải thích",
        help_text="Vì sao đáp án đó đúng; các lựa chọn sai là lỗi người ta hay mắc thật.",
    )

    def clean(self):
        data = super().clean()
        options = [data.get(f"option_{i}", "").strip() for i in range(1, OPTION_COUNT + 1)]
        if not options[3]:
            options = options[:3]
        answer = data.get("answer")
        if answer is not None and answer >= len(options):
            self.add_error("answer", "Lựa chọn 4 đang để trống, không thể là đáp án đúng.")
        data["options"] = options
        return data

    @staticmethod
    def initial_from(question: Question) -> dict:
        initial = {"text": question.text, "answer": question.answer}
        initial["explanation"] = question.explanation
        for i, option in enumerate(question.options[:OPTION_COUNT], 1):
            initial[f"option_{i}"] = option
        return initial

    def as_question(self) -> dict:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "options": data["options"],
            "answer": data["answer"],
            "explanation": data["explanation"],
        }


class BaseQuestionFormSet(forms.BaseFormSet):
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_few_forms": "Mỗi bài cần ít nhất 2 câu hỏi kiểm tra.",
        "too_many_forms": "Mỗi bài có nhiều nhất 3 câu hỏi kiểm tra.",
    }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if DELETION_FIELD_NAME in form.fields:
            form.fields[DELETION_FIELD_NAME].label = "Bỏ câu hỏi này"

    def questions(self) -> list[dict]:
        """The filled-in questions, in order; an untouched spare form is not a question."""
        return [
            form.as_question()
            for form in self.forms
            if form.cleaned_data and form not in self.deleted_forms
        ]


QuestionFormSet = forms.formset_factory(
    QuestionForm,
    formset=BaseQuestionFormSet,
    extra=1,
    min_num=2,
    max_num=3,
    absolute_max=3,
    validate_min=True,
    validate_max=True,
    can_delete=True,
)
QUESTIONS_PREFIX = "cau"


def question_formset(data=None, lesson: Lesson | None = None) -> BaseQuestionFormSet:
    initial = [QuestionForm.initial_from(q) for q in lesson.questions.all()] if lesson else None
    return QuestionFormSet(data, initial=initial, prefix=QUESTIONS_PREFIX)


class ImageUploadForm(forms.Form):
    image = forms.FileField(
        label="Chọn ảnh (JPG, PNG hoặc WebP)",
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=(
            "Ảnh được thu nhỏ còn rộng tối đa 800 điểm ảnh và nén dưới "
            f"{settings.LESSON_IMAGE_MAX_BYTES // 1024} KB cho người học dùng 3G."
        ),
    )

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if upload is None:
            raise ValidationError("Hãy chọn một tấm ảnh.")
        return upload
