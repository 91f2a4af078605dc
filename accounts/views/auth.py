from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import PhoneLoginForm, StaffLoginForm
from accounts.models import Resident
from accounts.services import card_token_hash
from lib.http import posted as _posted


def locked_out(request, response, credentials, *args, **kwargs):
    """Called by django-axes when an account is locked after repeated failures."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("accounts:home")


@require_http_methods(["GET", "POST"])
def staff_login(request):
    form = StaffLoginForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is not None and not user.is_resident:
            login(request, user)
            return redirect(_next_url(request))
        form.add_error(None, "Tên đăng nhập hoặc mật khẩu không đúng.")
    return render(request, "accounts/login.html", {"form": form, "next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def phone_login(request):
    form = PhoneLoginForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        user = authenticate(request, phone=form.cleaned_data["phone"], pin=form.cleaned_data["pin"])
        if user is not None:
            login(request, user, backend="accounts.backends.PhonePinBackend")
            return redirect(_next_url(request))
        form.add_error(
            None,
            "Số điện thoại hoặc mã PIN không đúng. Quên mã PIN? Hãy nhờ tổ công nghệ số "
            "cộng đồng ở xóm đặt lại.",
        )
    return render(request, "accounts/phone_login.html", {"form": form, "next": _next_url(request)})


@require_http_methods(["GET", "POST"])
def card_login(request, token: str):
    """The QR code on a printed card opens this page; one tap logs the resident in."""
    resident = (
        Resident.objects.active()
        .select_related("user", "hamlet")
        .filter(card_token_hash=card_token_hash(token), user__is_active=True)
        .first()
    )
    if resident is None:
        return render(request, "accounts/card_invalid.html", status=404)
    if request.method == "POST":
        login(request, resident.user, backend="accounts.backends.PhonePinBackend")
        return redirect("accounts:me")
    return render(request, "accounts/card_login.html", {"resident": resident})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("places:home")
