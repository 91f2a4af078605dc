"""Attendance in the room, on the volunteer's phone.

Every action is a small form that posts and redirects back to the page, so the page works
without JavaScript. static/js/attendance.js turns each tap into a record in the shared
outbox (static/js/offline.js), sent in the background with ``js=1``; those posts get JSON.
"""

import copy
import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from accounts.access import role_required
from accounts.forms import AssistedRegistrationForm, ResidentForm
from accounts.models import Resident
from outreach.attendance import (
    TAKES_ATTENDANCE,
    AttendanceError,
    attendance_by_card,
    attendance_mark,
    attendance_skills_record,
    card_hash_from,
    parse_id,
    parse_key,
    resident_search,
    roll_call,
    session_for_attendance,
    session_skills,
    walk_in_register,
)
from outreach.models import Session
from outreach.skills import SKILLS


class WalkInForm(forms.Form):
    """A newcomer, registered on their behalf in the room: the short form of the assisted
    registration (the session fixes the hamlet; no PIN, it can be set later)."""

    full_name = forms.CharField(label="Họ và tên", max_length=100)
    birth_year = forms.IntegerField(
        label="Năm sinh", widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    sex = forms.ChoiceField(
        label="Giới tính", choices=Resident.Sex.choices, widget=forms.RadioSelect
    )
    phone = copy.deepcopy(ResidentForm.base_fields["phone"])
    consents = copy.deepcopy(AssistedRegistrationForm.base_fields["consents"])
    explained = copy.deepcopy(AssistedRegistrationForm.base_fields["explained"])
    same_name_confirmed = copy.deepcopy(AssistedRegistrationForm.base_fields["same_name_confirmed"])
    client_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    # The same rules as every other registration.
    clean_full_name = ResidentForm.clean_full_name
    clean_birth_year = ResidentForm.clean_birth_year
    clean_phone = ResidentForm.clean_phone

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.data.get("same_name_confirmed"):
            self.fields["same_name_confirmed"].widget = forms.HiddenInput()

    add_service_error = AssistedRegistrationForm.add_service_error


def _wants_json(request) -> bool:
    return request.POST.get("js") == "1"


def _page_url(session: Session) -> str:
    return reverse("outreach:attendance_page", kwargs={"session_id": session.pk})


def _resident_json(resident: Resident) -> dict:
    return {
        "id": resident.pk,
        "name": resident.full_name,
        "meta": f"{resident.birth_year} · {resident.hamlet.name}",
    }


def _answer(request, session, *, attendance=None, created=False, error="", status=200):
    """JSON for the background sender, else a message and back to the page (post/redirect/get)."""
    if attendance is not None:
        name = attendance.resident.full_name
        message = f"Đã điểm danh: {name}." if created else f"{name} đã được điểm danh rồi."
    else:
        message = error
    if _wants_json(request):
        data = {"ok": attendance is not None, "created": created, "message": message}
        if attendance is not None:
            data["resident"] = _resident_json(attendance.resident)
            data["present"] = session.attendances.count()
        return JsonResponse(data, status=status if attendance is None else 200)
    (messages.success if attendance is not None else messages.error)(request, message)
    return redirect(_page_url(session))


def _page(request, session, *, walk_in=None, status=200):
    roll, attendances = roll_call(session)
    for resident in roll:
        resident.key = uuid.uuid4()  # one key per small form: a re-post is a replay
    ticked = session_skills(session)
    for attendance in attendances:
        attendance.key = uuid.uuid4()
        attendance.skills_done = ticked.get(attendance.resident_id, set())
    query = request.GET.get("q", "")[:100].replace("\x00", "").strip()
    present = {a.resident_id for a in attendances}
    results = None
    if query:
        results = resident_search(request.user, session, query)
        for resident in results:
            resident.key = uuid.uuid4()
            resident.present = resident.pk in present
    context = {
        "session": session,
        "roll": roll,
        "attendances": attendances,
        "skills": list(SKILLS.items()),
        "query": query,
        "results": results,
        "walk_in": walk_in or WalkInForm(),
        "card_key": uuid.uuid4(),
        "page_url": _page_url(session),
    }
    return render(request, "outreach/attendance/page.html", context, status=status)


@require_safe
@role_required(*TAKES_ATTENDANCE)
def attendance_page(request, session_id: int):
    return _page(request, session_for_attendance(request.user, session_id))


@require_safe
@role_required(*TAKES_ATTENDANCE)
def attendance_search(request, session_id: int):
    """Search results alone, for the page's live search."""
    session = session_for_attendance(request.user, session_id)
    query = request.GET.get("q", "")[:100].replace("\x00", "").strip()
    results = resident_search(request.user, session, query) if query else []
    present = set(session.attendances.values_list("resident_id", flat=True))
    for resident in results:
        resident.key = uuid.uuid4()
        resident.present = resident.pk in present
    return render(
        request,
        "outreach/attendance/_results.html",
        {"session": session, "results": results, "query": query},
    )


@require_POST
@role_required(*TAKES_ATTENDANCE)
def attendance_mark_view(request, session_id: int):
    session = session_for_attendance(request.user, session_id)
    try:
        attendance, created = attendance_mark(
            user=request.user,
            session=session,
            resident_id=parse_id(request.POST.get("resident")),
            method=request.POST.get("method", ""),
            client_key=parse_key(request.POST.get("client_key")),
        )
    except AttendanceError as exc:
        return _answer(request, session, error=str(exc), status=404)
    return _answer(request, session, attendance=attendance, created=created)


@require_POST
@role_required(*TAKES_ATTENDANCE)
def attendance_card(request, session_id: int):
    session = session_for_attendance(request.user, session_id)
    try:
        attendance, created = attendance_by_card(
            user=request.user,
            session=session,
            card_hash=card_hash_from(request.POST.get("token"), request.POST.get("token_hash")),
            client_key=parse_key(request.POST.get("client_key")),
        )
    except AttendanceError as exc:
        return _answer(request, session, error=str(exc), status=404)
    return _answer(request, session, attendance=attendance, created=created)


@require_POST
@role_required(*TAKES_ATTENDANCE)
def attendance_walk_in(request, session_id: int):
    session = session_for_attendance(request.user, session_id)
    form = WalkInForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            resident, _attendance = walk_in_register(
                user=request.user,
                session=session,
                client_key=data["client_key"],
                full_name=data["full_name"],
                birth_year=data["birth_year"],
                sex=data["sex"],
                phone=data["phone"],
                consents=data["consents"],
                allow_same_name=data["same_name_confirmed"],
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            if _wants_json(request):
                return JsonResponse(
                    {
                        "ok": True,
                        "created": True,
                        "message": f"Đã đăng ký và điểm danh: {resident.full_name}.",
                        "resident": _resident_json(resident),
                        "present": session.attendances.count(),
                    }
                )
            messages.success(request, f"Đã đăng ký và điểm danh: {resident.full_name}.")
            return redirect(_page_url(session))
    if _wants_json(request):
        errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
        first = next(iter(form.errors.values()))[0] if form.errors else ""
        return JsonResponse(
            {"ok": False, "message": f"Chưa lưu người mới: {first}", "errors": errors}, status=400
        )
    return _page(request, session, walk_in=form, status=400)


@require_POST
@role_required(*TAKES_ATTENDANCE)
def attendance_skills(request, session_id: int):
    session = session_for_attendance(request.user, session_id)
    try:
        resident, added = attendance_skills_record(
            user=request.user,
            session=session,
            resident_id=parse_id(request.POST.get("resident")),
            skills=request.POST.getlist("skill")[: len(SKILLS) * 2],
            client_key=parse_key(request.POST.get("client_key")),
        )
    except AttendanceError as exc:
        if _wants_json(request):
            return JsonResponse({"ok": False, "message": str(exc)}, status=400)
        messages.error(request, str(exc))
        return redirect(_page_url(session))
    message = f"Đã ghi {len(added)} kỹ năng cho {resident.full_name}."
    if _wants_json(request):
        return JsonResponse(
            {"ok": True, "message": message, "resident_id": resident.pk, "skills": added}
        )
    messages.success(request, message)
    return redirect(_page_url(session))
