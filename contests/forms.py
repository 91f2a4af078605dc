import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.phone import PHONE_HELP, normalize_phone
from contests.models import Contest, Question, RegistrationField, Round
from places.models import Hamlet, Organisation

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DEFAULT_PRIZES = "Giải Nhất: 1\nGiải Nhì: 2\nGiải Ba: 3\nGiải Khuyến khích: 5"


class ContestForm(forms.ModelForm):
    registration_fields = forms.MultipleChoiceField(
        label="Người dự thi cần khai",
        choices=RegistrationField.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Không bao giờ hỏi số căn cước. Thông tin đã có trong hồ sơ được điền sẵn.",
    )

    class Meta:
        model = Contest
        fields = ["title", "rules", "audience", "registration_fields"]


_PAIR = re.compile(r"\s*([^:\n;]+?)\s*[:=]\s*(\d{1,3})\s*(?:[,;\n]+|$)")


def parse_pairs(text: str, *, what: str) -> list[tuple[str, int]]:
    """'Name: 3' per line, or 'A: 4, B: 3' on one line, into [(name, 3)]. A name may hold a
    comma ("An toàn trên mạng, phòng lừa đảo: 4"): each number ends an entry."""
    text = (text or "").strip()
    pairs: list[tuple[str, int]] = []
    at = 0
    while at < len(text):
        match = _PAIR.match(text, at)
        if not match or not 1 <= int(match[2]) <= 100:
            bad = text[at:].strip().splitlines()[0][:40]
            raise ValidationError(
                f"Không hiểu “{bad}”: ghi mỗi {what} một dòng theo mẫu “Tên: số” (số từ 1 đến 100)."
            )
        name = " ".join(match[1].split())[:100]
        if name.casefold() in {p[0].casefold() for p in pairs}:
            raise ValidationError(f"“{name}” được ghi hai lần.")
        pairs.append((name, int(match[2])))
        at = match.end()
    return pairs


class RoundForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = [
            "number",
            "opens_at",
            "closes_at",
            "minutes",
            "questions_per_attempt",
            "attempts_allowed",
            "is_practice",
        ]
        widgets = {"opens_at": DATETIME, "closes_at": DATETIME}

    shares = forms.CharField(
        label="Số câu theo chủ đề (không bắt buộc)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mỗi dòng “Chủ đề: số câu”, ví dụ “An toàn trên mạng: 4”. Câu còn lại lấy "
        "ngẫu nhiên từ mọi chủ đề; chủ đề thiếu câu thì lấy bù từ chủ đề khác.",
    )
    prize_list = forms.CharField(
        label="Cơ cấu giải",
        required=False,
        max_length=2000,
        initial=DEFAULT_PRIZES,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Mỗi dòng “Tên giải: số giải”, theo thứ tự từ giải cao nhất.",
    )

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.contest = contest
        topics = sorted(set(contest.questions.exclude(topic="").values_list("topic", flat=True)))
        if topics:
            self.fields["shares"].help_text += " Chủ đề trong ngân hàng: " + "; ".join(topics) + "."
        if self.instance.pk:
            self.initial["shares"] = "\n".join(
                f"{k}: {v}" for k, v in self.instance.topic_shares.items()
            )
            self.initial["prize_list"] = "\n".join(
                f"{p['name']}: {p['count']}" for p in self.instance.prizes
            )
        for name in ("minutes", "questions_per_attempt", "attempts_allowed", "number"):
            self.fields[name].min_value = 1
            self.fields[name].widget.attrs["min"] = 1
        self.fields["minutes"].max_value = 180
        self.fields["questions_per_attempt"].max_value = 100

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "Giờ đóng phải sau giờ mở.")
        number = data.get("number")
        if (
            number
            and self.contest.rounds.filter(number=number).exclude(pk=self.instance.pk).exists()
        ):
            self.add_error("number", "Cuộc thi đã có đợt này.")
        try:
            data["topic_shares"] = dict(parse_pairs(data.get("shares", ""), what="chủ đề"))
        except ValidationError as error:
            self.add_error("shares", error)
        else:
            per = data.get("questions_per_attempt")
            if per and sum(data["topic_shares"].values()) > per:
                self.add_error("shares", f"Tổng số câu theo chủ đề vượt quá {per} câu mỗi lượt.")
        try:
            pairs = parse_pairs(data.get("prize_list", ""), what="giải")
            data["prizes"] = [{"name": name, "count": count} for name, count in pairs]
        except ValidationError as error:
            self.add_error("prize_list", error)
        return data

    def round_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in [*self.Meta.fields, "topic_shares", "prizes"]}


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Câu hỏi", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    option_1 = forms.CharField(label="Phương án 1", max_length=300)
    option_2 = forms.CharField(label="Phương án 2", max_length=300)
    option_3 = forms.CharField(label="Phương án 3 (không bắt buộc)", max_length=300, required=False)
    option_4 = forms.CharField(label="Phương án 4 (không bắt buộc)", max_length=300, required=False)
    answer = forms.TypedChoiceField(
        label="Phương án đúng",
        choices=[(i, f"Phương án {i}") for i in range(1, 5)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    topic = forms.CharField(label="Chủ đề", max_length=100, required=False)
    difficulty = forms.ChoiceField(
        label="Độ khó", choices=Question.Difficulty.choices, initial=Question.Difficulty.MEDIUM
    )

    def clean(self):
        data = super().clean()
        options = [data.get(f"option_{i}", "") for i in range(1, 5)]
        data["options"] = [o for o in options if o]
        answer = data.get("answer")
        if answer and not data.get(f"option_{answer}"):
            self.add_error("answer", f"Phương án {answer} đang để trống.")
        elif answer:
            data["answer_index"] = data["options"].index(data[f"option_{answer}"])
        if len(data["options"]) != len(set(data["options"])):
            self.add_error("option_2", "Hai phương án trùng nhau.")
        return data

    @classmethod
    def initial_for(cls, question: Question) -> dict:
        initial = {"text": question.text, "topic": question.topic}
        initial |= {f"option_{i}": o for i, o in enumerate(question.options, start=1)}
        return initial | {"answer": question.answer + 1, "difficulty": question.difficulty}


class AnswerForm(forms.Form):
    question = forms.IntegerField()
    choice = forms.IntegerField(min_value=0, max_value=9)


class SubmitForm(forms.Form):
    submit_key = forms.UUIDField(widget=forms.HiddenInput)
    prediction = forms.IntegerField(
        label="Bao nhiêu người sẽ trả lời đúng tất cả các câu?",
        min_value=0,
        max_value=10_000_000,
        required=False,
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Chọn tệp câu hỏi đã điền (.xlsx)",
        widget=forms.FileInput(attrs={"accept": ".xlsx"}),
        help_text="Tệp Excel .xlsx, tối đa 2 MB và 1.000 câu hỏi.",
    )


class RegistrationForm(forms.Form):
    """Only the fields the organiser chose; prefilled from the resident's record."""

    full_name = forms.CharField(label="Họ và tên", max_length=100)
    birth_year = forms.IntegerField(label="Năm sinh")
    phone = forms.CharField(label="Số điện thoại", max_length=20, help_text=PHONE_HELP)
    unit = forms.ChoiceField(label="Xóm hoặc cơ quan, đoàn thể của bạn")

    def __init__(self, *args, fields, commune_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        for name in [f.value for f in RegistrationField]:
            if name not in fields:
                del self.fields[name]
        year = timezone.localdate().year
        if "birth_year" in self.fields:
            self.fields["birth_year"].min_value = year - 120
            self.fields["birth_year"].max_value = year - 5
            self.fields["birth_year"].validators = []
        if "unit" in self.fields:
            hamlets = Hamlet.objects.filter(commune_id=commune_id)
            organisations = Organisation.objects.filter(commune_id=commune_id)
            self.fields["unit"].choices = [
                ("Xóm, thôn", [(f"h{h.pk}", h.name) for h in hamlets]),
                ("Cơ quan, đoàn thể", [(f"o{o.pk}", o.name) for o in organisations]),
            ]

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        this = timezone.localdate().year
        if not this - 120 <= year <= this - 5:
            raise ValidationError(f"Năm sinh phải từ {this - 120} đến {this - 5}.")
        return year

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name.split()) < 2:
            raise ValidationError("Hãy ghi đủ họ và tên, ví dụ Nguyễn Thị Lan.")
        return name


class SheetPrintForm(forms.Form):
    residents = forms.TypedMultipleChoiceField(
        label="Người dự thi", coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, residents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["residents"].choices = [
            (r.pk, f"{r.full_name} ({r.birth_year}, {r.hamlet.name})") for r in residents
        ]
        self.fields["residents"].error_messages["invalid_choice"] = (
            "Người được chọn không thuộc phạm vi của bạn."
        )


class SheetKeyForm(forms.Form):
    code = forms.CharField(
        label="Mã phiếu (góc trên bên phải)",
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "class": "big"}
        ),
    )
    letters = forms.CharField(
        label="Các chữ đã khoanh, theo thứ tự câu",
        max_length=200,
        help_text="Ví dụ: B A D C A … Câu bỏ trống ghi dấu gạch ngang (-).",
        widget=forms.TextInput(
            attrs={"autocapitalize": "characters", "autocomplete": "off", "class": "big"}
        ),
    )
    prediction = forms.IntegerField(
        label="Dự đoán số người đúng tất cả (nếu có ghi)",
        min_value=0,
        max_value=10_000_000,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "big"}),
    )
    consent_on_sheet = forms.BooleanField(
        label="Ô “Tôi đồng ý tham gia cuộc thi” trên phiếu đã được đánh dấu", required=False
    )
