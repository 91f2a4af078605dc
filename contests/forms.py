from django import forms

from contests.models import Contest, Question, Round

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ContestForm(forms.ModelForm):
    class Meta:
        model = Contest
        fields = ["title", "rules", "audience"]


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

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.contest = contest
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
        if number and self.contest.rounds.filter(number=number).exists():
            self.add_error("number", "Cuộc thi đã có đợt này.")
        return data


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Câu hỏi", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    option_1 = forms.CharField(label="Phương án 1", max_length=300)
    option_2 = forms.CharField(label="Phương án 2", max_length=300)
    option_3 = forms.CharField(label="Phương án 3", max_length=300)
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
        if data.get("answer") == 4 and not data.get("option_4"):
            self.add_error("answer", "Phương án 4 đang để trống.")
        return data


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
