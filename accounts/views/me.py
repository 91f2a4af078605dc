"""The resident's own area: home, privacy choices, their data, PIN, erasure, self-registration."""

import csv
import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import role_required
from accounts.forms import ConsentForm, PinChangeForm, RegistrationForm
from accounts.models import Consent, Purpose, Role
from accounts.selectors import current_consents, resident_data_export
from accounts.services import consent_set, resident_erase, resident_register, resident_set_pin
from lib.http import posted as _posted
from places.models import Hamlet
from places.selectors import public_commune


def _resident(request):
    return request.user.resident


@role_required(Role.RESIDENT)
def me_home(request):
    return render(request, "accounts/me_home.html", {"resident": _resident(request)})


@role_required(Role.RESIDENT)
def privacy(request):
    resident = _resident(request)
    consents = current_consents(resident)
    rows = [(value, label, consents[value]) for value, label in Purpose.choices]
    return render(request, "accounts/me_privacy.html", {"resident": resident, "rows": rows})


@require_POST
@role_required(Role.RESIDENT)
def consent_change(request):
    form = ConsentForm(request.POST)
    if form.is_valid():
        consent_set(
            resident=_resident(request),
            purpose=form.cleaned_data["purpose"],
            granted=form.cleaned_data["granted"],
            actor=None,
            method=Consent.Method.SELF,
        )
        messages.success(request, "Đã lưu lựa chọn của bạn.")
    else:
        messages.error(request, "Lựa chọn không hợp lệ, chưa lưu gì. Hãy thử lại.")
    return redirect("accounts:privacy")


@role_required(Role.RESIDENT)
def data_export(request, fmt: str):
    data = resident_data_export(_resident(request))
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="du-lieu-cua-toi.json"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="du-lieu-cua-toi.csv"'
    response.write("\ufeff")  # lets Excel open the Vietnamese text correctly
    writer = csv.writer(response)
    writer.writerow(["mục", "giá trị"])
    for key, value in data.items():
        if key not in ("đồng ý", "hoạt động"):
            writer.writerow([key, "có" if value is True else "không" if value is False else value])
    for item in data["đồng ý"]:
        answer = "đồng ý" if item["đồng ý"] else "không đồng ý"
        writer.writerow([f"đồng ý: {item['mục đích']}", f"{answer} ({item['lúc']})"])
    for item in data["hoạt động"]:
        writer.writerow([f"{item['loại']} ({item['lúc']})", item["nội dung"]])
    return response


@require_http_methods(["GET", "POST"])
@role_required(Role.RESIDENT)
def pin_change(request):
    form = PinChangeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        resident_set_pin(actor=None, resident=_resident(request), pin=form.cleaned_data["pin"])
        messages.success(request, "Đã đổi mã PIN.")
        return redirect("accounts:me")
    return render(request, "accounts/me_pin.html", {"form": form})


@require_http_methods(["GET", "POST"])
@role_required(Role.RESIDENT)
def erase(request):
    if request.method == "POST":
        resident_erase(actor=None, resident=_resident(request))
        logout(request)
        messages.success(
            request, "Đã xóa dữ liệu cá nhân của bạn. Cảm ơn bạn đã tham gia Học vụ số."
        )
        return redirect("places:home")
    return render(request, "accounts/me_erase.html")


@require_http_methods(["GET", "POST"])
def register(request):
    commune = public_commune()
    if commune is None:
        return render(request, "places/no_commune.html", status=503)
    hamlets = Hamlet.objects.filter(commune=commune)
    form = RegistrationForm(_posted(request), hamlets=hamlets, pin_required=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resident = resident_register(actor=None, **form.registration())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            if not check_password(data["pin"], resident.pin_hash):  # a replayed form key
                return redirect("accounts:phone_login")
            login(request, resident.user, backend="accounts.backends.PhonePinBackend")
            messages.success(request, f"Chào mừng {resident.full_name} đến với Học vụ số!")
            return redirect("accounts:me")
    return render(request, "accounts/register.html", {"form": form, "commune": commune})
