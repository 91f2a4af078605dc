from django import forms

from lib.forms import ModelMultipleChoiceField
from reports.models import Indicator, ReportForm, ValidationRule
from reports.sources import source_choices

DUE_DAY_ERROR = "Hạn nộp phải là một ngày từ 1 đến 28."


class ReportFormSettings(forms.ModelForm):
    organisations = ModelMultipleChoiceField(
        label="Đơn vị phải báo cáo",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ReportForm
        fields = [
            "name",
            "subject",
            "due_day",
            "number_code",
            "parent_body",
            "authority_line",
            "deputy_line",
            "signer_title",
            "signer_name",
            "recipients",
            "active",
        ]
        widgets = {"recipients": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = organisations
        if self.instance.pk:
            self.initial["organisations"] = list(
                self.instance.organisations.values_list("pk", flat=True)
            )

    due_day = forms.IntegerField(
        label="Hạn nộp (ngày của tháng sau)",
        min_value=1,
        max_value=28,
        help_text="Từ 1 đến 28.",
        error_messages={
            "invalid": DUE_DAY_ERROR,
            "min_value": DUE_DAY_ERROR,
            "max_value": DUE_DAY_ERROR,
            "required": DUE_DAY_ERROR,
        },
    )


class IndicatorAddForm(forms.ModelForm):
    source = forms.ChoiceField(label="Nguồn số liệu", choices=(), required=False)

    class Meta:
        model = Indicator
        fields = ["code", "name", "kind", "unit", "source", "section", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = source_choices()
        self.fields["code"].help_text = "Chữ không dấu, số, gạch ngang, ví dụ ho-so-dvc."


class IndicatorEditForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "section", "order", "kind"]

    def __init__(self, *args, kind_locked: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].help_text = "Số nhỏ đứng trước, ví dụ 10, 20, 30."
        if kind_locked:
            self.fields["kind"].disabled = True
            self.fields["kind"].help_text = kind_locked


class RuleAddForm(forms.ModelForm):
    class Meta:
        model = ValidationRule
        fields = ["left", "operator", "right"]

    def __init__(self, *args, form: ReportForm, **kwargs):
        super().__init__(*args, **kwargs)
        numeric = form.indicators.filter(active=True).exclude(kind=Indicator.Kind.TEXT)
        self.fields["left"].queryset = numeric
        self.fields["right"].queryset = numeric


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Chấp nhận"), ("return", "Trả lại")])
    comment = forms.CharField(label="Ý kiến", required=False, max_length=2000)


class UnlockForm(forms.Form):
    reason = forms.CharField(label="Lý do mở khóa", max_length=500)
