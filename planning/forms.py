from django import forms

from planning.models import BudgetLine, CommunePlan, PlanItem, Source
from planning.progress import measurable_sources

DATE_INPUTS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
DATE_ERROR = "Hãy nhập ngày theo mẫu ngày/tháng/năm, ví dụ 25/03/2026."


def date_field(label: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUTS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "ngày/tháng/năm"}),
        error_messages={"invalid": DATE_ERROR, "required": f"Hãy nhập {label.lower()}."},
    )


def money_field(label: str) -> forms.CharField:
    """Typed as text so "1.250.000" works; the service parses and refuses bad amounts."""
    return forms.CharField(
        label=label,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "Ví dụ: 1.250.000"}),
        error_messages={"required": f"Hãy nhập {label.lower()}."},
    )


class ClientKeyField(forms.UUIDField):
    """The hidden key that makes a double submit count once. A mangled key is dropped (the
    submit is then simply not deduplicated) rather than failing on a field nobody can see."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            return None


SUMMARY_MAX = 4000
TOO_LONG = "{label} dài quá 4.000 ký tự."


class CommunePlanForm(forms.Form):
    title = forms.CharField(
        label="Tên kế hoạch", max_length=300, error_messages={"required": "Hãy nhập tên kế hoạch."}
    )
    number = forms.CharField(
        label="Số kế hoạch",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: 85/KH-UBND"}),
    )
    issued_on = date_field("Ngày ban hành", required=False)
    preamble = forms.CharField(
        label="Căn cứ, mở đầu",
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"max_length": TOO_LONG.format(label="Phần căn cứ")},
    )
    signer_title = forms.CharField(label="Chức vụ người ký", max_length=100, required=False)
    signer_name = forms.CharField(label="Người ký", max_length=100, required=False)

    @classmethod
    def for_plan(cls, data, plan: CommunePlan | None):
        initial = {}
        if plan is not None:
            initial = {f: getattr(plan, f) for f in cls.base_fields}
        return cls(data, initial=initial)


class PlanItemForm(forms.Form):
    section = forms.ChoiceField(
        label="Phần của kế hoạch",
        choices=PlanItem.Section.choices,
        error_messages={
            "required": "Hãy chọn phần của kế hoạch.",
            "invalid_choice": "Hãy chọn phần của kế hoạch trong danh sách.",
        },
    )
    position = forms.IntegerField(
        label="Thứ tự trong phần",
        min_value=1,
        max_value=99,
        initial=1,
        error_messages={
            "invalid": "Thứ tự phải là số, ví dụ 1.",
            "min_value": "Thứ tự phải từ 1 đến 99.",
            "max_value": "Thứ tự phải từ 1 đến 99.",
        },
    )
    heading = forms.CharField(label="Tiêu đề", max_length=300, required=False)
    body = forms.CharField(
        label="Các ý (mỗi dòng một ý)",
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Hãy nhập ít nhất một ý.",
            "max_length": TOO_LONG.format(label="Các ý"),
        },
    )
    organisation = forms.ModelChoiceField(
        label="Cơ quan được giao (phần Tổ chức thực hiện)",
        queryset=None,
        required=False,
        empty_label="— Không —",
        error_messages={"invalid_choice": "Cơ quan này không thuộc xã của bạn."},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label="Mục tiêu chung",
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": TOO_LONG.format(label="Mục tiêu chung")},
    )


class ActivityForm(forms.Form):
    title = forms.CharField(
        label="Hoạt động", max_length=300, error_messages={"required": "Hãy nhập tên hoạt động."}
    )
    owner = forms.CharField(
        label="Người, bộ phận phụ trách",
        max_length=150,
        error_messages={"required": "Hãy nhập người, bộ phận phụ trách."},
    )
    starts_on = date_field("Từ ngày")
    ends_on = date_field("Đến ngày")
    plan_item = forms.ModelChoiceField(
        label="Thực hiện mục nào của kế hoạch xã",
        queryset=None,
        required=False,
        empty_label="— Không chọn —",
        error_messages={"invalid_choice": "Mục này không thuộc kế hoạch của xã."},
    )
    client_key = ClientKeyField()

    def __init__(self, *args, plan_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_item"].queryset = plan_items
        self.fields["plan_item"].label_from_instance = lambda item: (
            f"{item.get_section_display()}: {item.heading or item.points[0][:60]}"
        )


class TargetForm(forms.Form):
    indicator = forms.CharField(
        label="Chỉ tiêu",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: Số người được hướng dẫn"}),
        error_messages={"required": "Hãy nhập tên chỉ tiêu."},
    )
    value = forms.CharField(
        label="Giá trị mục tiêu",
        max_length=15,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": "Hãy nhập giá trị mục tiêu."},
    )
    unit = forms.CharField(label="Đơn vị tính", max_length=30, required=False)
    source = forms.ChoiceField(
        label="Theo dõi kết quả bằng",
        required=False,
        help_text="Nền tảng tự đếm được các buổi hướng dẫn do đơn vị tổ chức, số người dự và kỹ "
        "năng được ghi nhận tại các buổi đó, trong thời gian của hoạt động. Các chỉ tiêu khác "
        "do đơn vị tự báo cáo.",
        error_messages={"invalid_choice": "Hãy chọn một cách theo dõi trong danh sách."},
    )
    client_key = ClientKeyField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [
            ("", "Đơn vị tự báo cáo"),
            *((key, f"Số liệu nền tảng: {label}") for key, label in measurable_sources()),
        ]


class BudgetLineForm(forms.Form):
    source = forms.ChoiceField(
        label="Nguồn kinh phí",
        choices=Source.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Hãy chọn nguồn kinh phí.",
            "invalid_choice": "Hãy chọn nguồn kinh phí trong danh sách.",
        },
    )
    description = forms.CharField(
        label="Nội dung chi",
        max_length=BudgetLine._meta.get_field("description").max_length,
        error_messages={"required": "Hãy nhập nội dung chi."},
    )
    planned = money_field("Dự toán (đồng)")
    activity = forms.ModelChoiceField(
        label="Cho hoạt động",
        queryset=None,
        required=False,
        empty_label="— Chung cho cả kế hoạch —",
        error_messages={"invalid_choice": "Hoạt động này không thuộc kế hoạch này."},
    )
    client_key = ClientKeyField()

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities


class ExpenseForm(forms.Form):
    line = forms.CharField(
        label="Dòng kinh phí",
        widget=forms.Select,
        error_messages={"required": "Hãy chọn dòng kinh phí."},
    )
    amount = money_field("Số tiền đã chi (đồng)")
    spent_on = date_field("Ngày chi")
    note = forms.CharField(label="Ghi chú (số chứng từ…)", max_length=300, required=False)
    client_key = ClientKeyField()

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].widget.choices = [("", "— Chọn dòng —")] + [
            (str(line.pk), f"{line.get_source_display()}: {line.description}") for line in lines
        ]


class PlanStartForm(forms.Form):
    copy = forms.BooleanField(
        label="Chép các hoạt động, chỉ tiêu và dòng kinh phí của kế hoạch năm trước để sửa lại",
        required=False,
    )


class ExpenseDeleteForm(forms.Form):
    reason = forms.CharField(
        label="Lý do xóa",
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "Ví dụ: Ghi nhầm số tiền"}),
        error_messages={"required": "Hãy ghi lý do xóa khoản chi."},
    )
