"""The staff area: residents (scoped by role), dashboards, organisations, audit log."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import (
    MANAGES_RESIDENTS,
    SEES_DASHBOARD,
    audit_entries_for_user,
    communes_for_user,
    get_organisation_for_user,
    get_resident_for_user,
    hamlets_for_user,
    organisations_for_user,
    residents_for_user,
    role_required,
)
from accounts.forms import AssistedRegistrationForm, ConsentForm, PinChangeForm, ResidentForm
from accounts.models import Consent, Purpose, Role
from accounts.qr import qr_svg
from accounts.selectors import commune_totals, current_consents, hamlet_summary, province_summary
from accounts.services import (
    consent_set,
    resident_issue_card,
    resident_register,
    resident_set_pin,
    resident_update,
)
from lib.http import posted as _posted
from lib.vntext import fold, vietnamese_sorted
from outreach.mentoring import overdue_mentees

STAFF = (Role.ADMIN, Role.LEADER, Role.COORDINATOR, Role.OFFICER, Role.VOLUNTEER)


def home(request):
    """Send each user to their own start page."""
    user = request.user
    if not user.is_authenticated:
        return redirect("accounts:login")
    if user.role == Role.RESIDENT:
        return redirect("accounts:me")
    if user.role == Role.PROVINCE:
        return redirect("accounts:province")
    return redirect("accounts:staff_home")


@role_required(*STAFF)
def staff_home(request):
    user = request.user
    context = {"organisations": organisations_for_user(user)}
    if user.role in SEES_DASHBOARD:
        context["totals"] = commune_totals(user.commune)
    if user.role in MANAGES_RESIDENTS:
        context["resident_count"] = residents_for_user(user).count()
    if user.role == Role.VOLUNTEER:
        context["overdue"] = overdue_mentees(user)
    return render(request, "accounts/staff_home.html", context)


@role_required(*SEES_DASHBOARD)
def dashboard(request):
    commune = request.user.commune
    return render(
        request,
        "accounts/dashboard.html",
        {"totals": commune_totals(commune), "hamlets": hamlet_summary(commune)},
    )


@role_required(Role.PROVINCE)
def province(request):
    rows = province_summary(communes_for_user(request.user))
    return render(request, "accounts/province.html", {"rows": rows})


@role_required(*MANAGES_RESIDENTS)
def resident_list(request):
    residents = residents_for_user(request.user)
    query = request.GET.get("q", "")[:100].replace("\x00", "").strip()
    if query:
        residents = residents.filter(name_folded__contains=fold(query))
    hamlet_id = request.GET.get("xom", "")
    if re.fullmatch(r"[0-9]{1,9}", hamlet_id):
        residents = residents.filter(hamlet_id=int(hamlet_id))
    ordered = vietnamese_sorted(residents, key=lambda r: r.full_name)
    page = Paginator(ordered, 50).get_page(request.GET.get("trang"))
    template = "accounts/_resident_rows.html" if request.htmx else "accounts/resident_list.html"
    return render(
        request,
        template,
        {"page": page, "query": query, "hamlets": hamlets_for_user(request.user)},
    )


@require_http_methods(["GET", "POST"])
@role_required(*MANAGES_RESIDENTS)
def resident_register_view(request):
    form = AssistedRegistrationForm(_posted(request), hamlets=hamlets_for_user(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            resident = resident_register(actor=request.user, **form.registration())
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, f"Đã đăng ký cho {resident.full_name}.")
            return redirect("accounts:resident_detail", resident_id=resident.pk)
    return render(request, "accounts/resident_register.html", {"form": form})


@role_required(*MANAGES_RESIDENTS)
def resident_detail(request, resident_id: int):
    resident = get_resident_for_user(request.user, resident_id)
    consents = current_consents(resident)
    rows = [(value, label, consents[value]) for value, label in Purpose.choices]
    return render(request, "accounts/resident_detail.html", {"resident": resident, "rows": rows})


@require_http_methods(["GET", "POST"])
@role_required(*MANAGES_RESIDENTS)
def resident_edit(request, resident_id: int):
    resident = get_resident_for_user(request.user, resident_id)
    initial = {
        "full_name": resident.full_name,
        "birth_year": resident.birth_year,
        "sex": resident.sex,
        "hamlet": resident.hamlet,
        "phone": resident.phone or "",
        "has_disability": resident.has_disability,
        "is_poor_household": resident.is_poor_household,
    }
    form = ResidentForm(_posted(request), initial=initial, hamlets=hamlets_for_user(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            resident_update(actor=request.user, resident=resident, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Đã lưu thay đổi.")
            return redirect("accounts:resident_detail", resident_id=resident.pk)
    return render(request, "accounts/resident_edit.html", {"form": form, "resident": resident})


@require_POST
@role_required(*MANAGES_RESIDENTS)
def resident_consent(request, resident_id: int):
    resident = get_resident_for_user(request.user, resident_id)
    form = ConsentForm(request.POST)
    if form.is_valid():
        consent_set(
            resident=resident,
            purpose=form.cleaned_data["purpose"],
            granted=form.cleaned_data["granted"],
            actor=request.user,
            method=Consent.Method.ASSISTED,
        )
        messages.success(request, "Đã ghi nhận lựa chọn của người dân.")
    else:
        messages.error(request, "Lựa chọn không hợp lệ, chưa lưu gì.")
    return redirect("accounts:resident_detail", resident_id=resident.pk)


@require_http_methods(["GET", "POST"])
@role_required(*MANAGES_RESIDENTS)
def resident_pin(request, resident_id: int):
    resident = get_resident_for_user(request.user, resident_id)
    form = PinChangeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        resident_set_pin(actor=request.user, resident=resident, pin=form.cleaned_data["pin"])
        messages.success(request, f"Đã đặt mã PIN mới cho {resident.full_name}.")
        return redirect("accounts:resident_detail", resident_id=resident.pk)
    return render(request, "accounts/resident_pin.html", {"form": form, "resident": resident})


@require_POST
@role_required(*MANAGES_RESIDENTS)
def resident_card(request, resident_id: int):
    """Print a new login card; the previous card stops working."""
    resident = get_resident_for_user(request.user, resident_id)
    token = resident_issue_card(actor=request.user, resident=resident)
    url = request.build_absolute_uri(f"/the/{token}/")
    return render(
        request,
        "accounts/resident_card.html",
        {"resident": resident, "qr": qr_svg(url), "url": url},
    )


@role_required(Role.ADMIN, Role.LEADER, Role.COORDINATOR, Role.OFFICER)
def organisation_detail(request, organisation_id: int):
    organisation = get_organisation_for_user(request.user, organisation_id)
    officers = organisation.officers.order_by("full_name")
    return render(
        request,
        "accounts/organisation_detail.html",
        {"organisation": organisation, "officers": officers},
    )


@role_required(Role.ADMIN)
def audit_log(request):
    entries = audit_entries_for_user(request.user)
    page = Paginator(entries, 50).get_page(request.GET.get("trang"))
    return render(request, "accounts/audit_log.html", {"page": page})
