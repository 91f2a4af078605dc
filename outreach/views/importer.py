"""Import residents from a hamlet's Excel list: template, upload and preview, confirm, result.

The checked rows wait in the session under a one-time token, so confirming does not upload the
file again; a confirm repeated with the same token (a double click) imports once.
"""

import secrets
from datetime import timedelta
from io import BytesIO

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import hamlets_for_user, role_required
from accounts.models import Role
from outreach.importer import (
    MAX_ROWS,
    XLSX_CONTENT_TYPE,
    CheckResult,
    FileRefused,
    ImportBlocked,
    check_file,
    import_rows,
    size_text,
    template_workbook,
    upload_limit,
)

IMPORTERS = (Role.ADMIN, Role.COORDINATOR, Role.VOLUNTEER)
SESSION_KEY = "outreach_import"
PENDING_FOR = timedelta(hours=6)
DONE_KEPT = 5
PROBLEMS_SHOWN = 1000


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Chọn tệp danh sách đã điền (.xlsx)",
        required=False,
        widget=forms.FileInput(attrs={"accept": f".xlsx,{XLSX_CONTENT_TYPE}"}),
    )

    def __init__(self, *args, limit: int, **kwargs):
        super().__init__(*args, **kwargs)
        most = f"{MAX_ROWS:,}".replace(",", ".")
        self.fields[
            "file"
        ].help_text = f"Tệp Excel .xlsx, tối đa {size_text(limit)} và {most} người."


class CappedUpload(FileUploadHandler):
    """Keeps an upload in memory up to the cap; beyond it the file is dropped, not stored."""

    def __init__(self, request, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.too_large = False
        self.buffer = BytesIO()

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.buffer = BytesIO()

    def receive_data_chunk(self, raw_data, start):
        if self.buffer.tell() + len(raw_data) > self.limit:
            self.too_large = True
            self.buffer = BytesIO()
            raise SkipFile
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )


def _state(request) -> dict:
    state = request.session.get(SESSION_KEY)
    return state if isinstance(state, dict) else {}


def _save_state(request, state: dict) -> None:
    request.session[SESSION_KEY] = state  # a new assignment marks the session modified


def _scope_text(user) -> str:
    return ", ".join(h.name for h in hamlets_for_user(user))


@require_GET
@role_required(*IMPORTERS)
def import_template(request):
    data = template_workbook(list(hamlets_for_user(request.user)))
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-nguoi-dan.xlsx"'
    return response


@csrf_exempt  # checked by csrf_protect below, once the upload handler is in place
@require_http_methods(["GET", "POST"])
@role_required(*IMPORTERS)
def import_start(request):
    limit = upload_limit()
    cap = CappedUpload(request, limit=limit)
    # Must be set before anything reads the body; CSRF is checked after, in _start. A post
    # that is not multipart carries no file, and middleware may already have read its body.
    if request.content_type == "multipart/form-data":
        request.upload_handlers = [cap]
    return _start(request, cap=cap, limit=limit)


@csrf_protect
def _start(request, *, cap: CappedUpload, limit: int):
    if request.method != "POST":
        return _start_page(request, UploadForm(limit=limit))
    # The checks below give their own messages; the form only carries them.
    form = UploadForm({}, limit=limit)
    form.is_valid()
    upload = request.FILES.get("file")
    state = _state(request)
    if state.pop("pending", None):  # a new upload replaces the list waiting for confirmation
        _save_state(request, state)
    if cap.too_large:
        form.add_error(
            "file",
            f"Tệp lớn hơn {size_text(limit)}. Một danh sách xóm thường nhỏ hơn nhiều: hãy xóa "
            "ảnh và các trang tính không cần thiết, hoặc chia thành nhiều tệp.",
        )
        return _start_page(request, form)
    if upload is None:
        form.add_error("file", "Hãy chọn tệp Excel (.xlsx) đã điền danh sách.")
        return _start_page(request, form)
    try:
        result = check_file(upload.name, upload.read(), user=request.user)
    except FileRefused as refused:
        form.add_error("file", refused.message)
        return _start_page(request, form)
    token = _keep_pending(request, result, filename=upload.name) if result.importable else ""
    return _preview(request, result, token=token, filename=upload.name, limit=limit)


def _start_page(request, form):
    return render(
        request,
        "outreach/import/start.html",
        {"form": form, "scope": _scope_text(request.user)},
    )


def _keep_pending(request, result: CheckResult, *, filename: str) -> str:
    token = secrets.token_urlsafe(18)
    state = _state(request)
    state["pending"] = {
        "token": token,
        "user": request.user.pk,
        "rows": result.rows,
        "filename": filename[:120],
        "at": timezone.now().isoformat(),
    }
    _save_state(request, state)
    return token


def _preview(request, result: CheckResult, *, token: str, filename: str, limit: int, again=False):
    hamlets = {h.pk: h.name for h in hamlets_for_user(request.user)}
    rows = [{**row, "hamlet": hamlets.get(row["hamlet_id"], "")} for row in result.rows]
    return render(
        request,
        "outreach/import/preview.html",
        {
            "result": result,
            "rows": rows,
            "problems": _by_row(result.problems[:PROBLEMS_SHOWN]),
            "problems_hidden": max(0, len(result.problems) - PROBLEMS_SHOWN),
            "token": token,
            "filename": filename,
            "form": UploadForm(limit=limit),
            "changed_since_check": again,
        },
    )


def _by_row(problems) -> list[tuple[int, list[str]]]:
    """One table row per Excel row, with all of its reasons."""
    grouped: dict[int, list[str]] = {}
    for problem in problems:
        grouped.setdefault(problem.row, []).append(problem.reason)
    return list(grouped.items())


@require_POST
@role_required(*IMPORTERS)
def import_confirm(request):
    token = request.POST.get("token", "")
    state = _state(request)
    done = state.get("done") or {}
    if token and token in done:
        # A second click on the same confirm: the list was imported once, show that.
        return redirect("outreach:import_done", token=token)
    pending = state.get("pending") or {}
    at = parse_datetime(pending.get("at") or "")
    if (
        not token
        or not constant_time_compare(str(pending.get("token", "")), token)
        or pending.get("user") != request.user.pk
        or at is None
        or timezone.now() - at > PENDING_FOR
    ):
        messages.error(
            request,
            "Không tìm thấy danh sách đã kiểm tra (có thể đã quá lâu). Hãy tải tệp lên lại.",
        )
        return redirect("outreach:import_start")
    try:
        outcome = import_rows(actor=request.user, token=token, rows=pending["rows"])
    except ImportBlocked as blocked:
        state.pop("pending", None)
        _save_state(request, state)
        result = CheckResult(rows=[], problems=blocked.problems, data_rows=len(pending["rows"]))
        return _preview(
            request,
            result,
            token="",
            filename=pending.get("filename", ""),
            limit=upload_limit(),
            again=True,
        )
    state.pop("pending", None)
    done[token] = {
        "count": outcome.count,
        "by_hamlet": outcome.by_hamlet,
        "filename": pending.get("filename", ""),
    }
    state["done"] = dict(list(done.items())[-DONE_KEPT:])
    _save_state(request, state)
    return redirect("outreach:import_done", token=token)


@require_GET
@role_required(*IMPORTERS)
def import_done(request, token: str):
    record = (_state(request).get("done") or {}).get(token)
    if not record:
        raise Http404
    return render(request, "outreach/import/done.html", {"record": record})
