import re
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Purpose, Resident
from accounts.phone import PHONE_HELP, normalize_phone

PIN_RE = re.compile(r"[0-9]{4,6}")


def clean_pin(value: str) -> str:
    value = (value or "").strip()
    if not PIN_RE.fullmatch(value):
        raise ValidationError("Mã PIN gồm 4 đến 6 chữ số.", code="invalid_pin")
    if len(set(value)) == 1 or value in "0123456789" or value in "9876543210":
        raise ValidationError(
            "Mã PIN này quá dễ đoán (như 1111 hay 1234). Hãy chọn số khác.", code="weak_pin"
        )
    return value


class StaffLoginForm(forms.Form):
    username = forms.CharField(label="Tên đăng nhập", max_length=150)
    password = forms.CharField(label="Mật khẩu", max_length=128, widget=forms.PasswordInput)


class PhoneLoginForm(forms.Form):
    phone = forms.CharField(
        label="Số điện thoại",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    pin = forms.CharField(
        label="Mã PIN",
        max_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_pin(self):
        pin = self.cleaned_data["pin"].strip()
        if not PIN_RE.fullmatch(pin):
            raise ValidationError("Mã PIN gồm 4 đến 6 chữ số.")
        return pin


class ResidentForm(forms.Form):
    """Register or edit a resident. The hamlet choices come from the asking user's scope."""

    full_name = forms.CharField(label="Họ và tên", max_length=100)
    birth_year = forms.IntegerField(label="Năm sinh")
    sex = forms.ChoiceField(
        label="Giới tính", choices=Resident.Sex.choices, widget=forms.RadioSelect
    )
    hamlet = forms.ModelChoiceField(label="Xóm", queryset=None, empty_label="— Chọn xóm —")
    phone = forms.CharField(
        label="Số điện thoại (nếu có)",
        max_length=20,
        required=False,
        help_text=PHONE_HELP,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    has_disability = forms.BooleanField(label="Người khuyết tật", required=False)
    is_poor_household = forms.BooleanField(label="Hộ nghèo, cận nghèo", required=False)

    def __init__(self, *args, hamlets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = hamlets
        if hamlets.count() == 1:
            self.fields["hamlet"].initial = hamlets.first()

    def clean_full_name(self):
        name = " ".join(self.cleaned_data["full_name"].split())
        if len(name.split()) < 2:
            raise ValidationError("Hãy nhập đủ họ và tên, ví dụ: Nguyễn Thị Lan.")
        if any(ch.isdigit() for ch in name):
            raise ValidationError("Họ và tên không được có chữ số.")
        return name

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        this_year = timezone.localdate().year
        if not (this_year - 120 <= year <= this_year):
            raise ValidationError(f"Năm sinh phải từ {this_year - 120} đến {this_year}.")
        return year

    def clean_phone(self):
        raw = self.cleaned_data["phone"].strip()
        return normalize_phone(raw) if raw else None


class RegistrationForm(ResidentForm):
    """Registration adds a PIN and the consent choices (never pre-ticked)."""

    pin = forms.CharField(
        label="Mã PIN (4–6 chữ số) để đăng nhập bằng số điện thoại",
        max_length=6,
        required=False,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password"}),
    )
    consents = forms.MultipleChoiceField(
        label="Đồng ý cho từng mục đích (không bắt buộc, rút lại được bất cứ lúc nào)",
        choices=Purpose.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    same_name_confirmed = forms.BooleanField(
        label="Đây là người khác, chỉ trùng họ tên và năm sinh", required=False
    )
    client_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, pin_required: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.pin_required = pin_required
        if not self.data.get("same_name_confirmed"):
            self.fields["same_name_confirmed"].widget = forms.HiddenInput()

    def registration(self) -> dict:
        """The cleaned form as keyword arguments for accounts.services.resident_register."""
        data = self.cleaned_data
        fields = ["hamlet", "full_name", "birth_year", "sex", "phone", "pin", "has_disability"]
        fields += ["is_poor_household", "consents", "client_key"]
        return {name: data[name] for name in fields} | {
            "allow_same_name": data["same_name_confirmed"]
        }

    def add_service_error(self, error: ValidationError) -> None:
        """Show a service's refusal; a same-name clash also offers the confirmation box."""
        if getattr(error, "code", None) == "duplicate":
            self.fields["same_name_confirmed"].widget = forms.CheckboxInput()
        self.add_error(None, error)

    def clean_pin(self):
        pin = self.cleaned_data["pin"]
        return clean_pin(pin) if pin else ""

    def clean(self):
        data = super().clean()
        if data.get("phone") and not data.get("pin"):
            self.add_error("pin", "Có số điện thoại thì cần đặt mã PIN để đăng nhập.")
        if self.pin_required and not data.get("phone"):
            self.add_error("phone", "Hãy nhập số điện thoại để đăng nhập sau này.")
        return data


class AssistedRegistrationForm(RegistrationForm):
    explained = forms.BooleanField(
        label="Tôi đã đọc và giải thích từng mục đích cho người dân; "
        "người dân tự quyết định đồng ý mục nào",
        required=True,
        error_messages={"required": "Hãy giải thích cho người dân trước khi ghi nhận."},
    )


class PinChangeForm(forms.Form):
    pin = forms.CharField(
        label="Mã PIN mới (4–6 chữ số)",
        max_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password"}),
    )
    pin_again = forms.CharField(
        label="Nhập lại mã PIN mới",
        max_length=6,
        widget=forms.PasswordInput(attrs={"inputmode": "numeric", "autocomplete": "new-password"}),
    )

    def clean_pin(self):
        return clean_pin(self.cleaned_data["pin"])

    def clean(self):
        data = super().clean()
        if data.get("pin") and data.get("pin") != data.get("pin_again"):
            self.add_error("pin_again", "Hai lần nhập mã PIN không giống nhau.")
        return data


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=Purpose.choices)
    granted = forms.TypedChoiceField(
        choices=[("1", "có"), ("0", "không")], coerce=lambda v: v == "1"
    )
