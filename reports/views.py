"""Monthly report pages: officers fill and send, the coordinator reviews, locks and consolidates.

Every object is reached through reports.selectors (form → organisation → month), so another
commune's ids answer 404 and a role without the right answers 403.
"""

import uuid
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import organisations_for_user, role_required
from accounts.models import Role
from reports import selectors, services
from reports.docx import consolidated_docx
from reports.excel import consolidated_workbook
from reports.forms import (
    IndicatorAddForm,
    IndicatorEditForm,
    ReportFormSettings,
    ReviewForm,
    RuleAddForm,
    UnlockForm,
)
from reports.models import Indicator, MonthlyReport, ReportForm, ValidationRule
from reports.months import parse_month, previous_month, recent_months
from reports.services import NARRATIVE, ReportConflict, ReportError

READERS = sorted(selectors.READERS)
EDITORS = sorted(selectors.EDITORS)
CONSOLIDATORS = sorted(selectors.CONSOLIDATORS)
REVIEWERS = sorted(services.REVIEWERS)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month_or_404(text: str) -> date:
    month = parse_month(text)
    if month is None:
        raise Http404("Tháng không hợp lệ")
    return month


def _refused(request, message: str, status: int = 400):
    return render(request, "reports/refused.html", {"message": message}, status=status)


def _report_for(request, form_id: int, organisation_id: int, month_text: str):
    form = selectors.get_form_for_user(request.user, form_id)
    organisation = get_object_or_404(
        selectors.reporting_organisations_for_user(request.user, form), pk=organisation_id
    )
    month = _month_or_404(month_text)
    return form, organisation, month


# Lists --------------------------------------------------------------------------------------


@role_required(*READERS)
def report_home(request):
    user = request.user
    forms = list(selectors.forms_for_user(user).filter(active=True))
    chosen = parse_month(request.GET.get("thang", "")) or previous_month(
        timezone.localdate().replace(day=1)
    )
    context = {
        "forms": forms,
        "month": chosen,
        "months": recent_months(6),
        "reminders": selectors.reminders_for_user(user)[:5],
        "can_configure": user.role in services.REVIEWERS,
        "can_consolidate": user.role in selectors.CONSOLIDATORS,
    }
    if user.role == Role.OFFICER:
        mine = []
        for form in forms:
            if not form.organisations.filter(pk=user.organisation_id).exists():
                continue
            existing = {
                r.month: r
                for r in selectors.reports_for_user(user).filter(
                    form=form, month__in=recent_months(4)
                )
            }
            first = previous_month(timezone.localdate(form.created_at).replace(day=1))
            for month in reversed([m for m in recent_months(4) if m >= first]):
                report = existing.get(month)
                due = form.due_date(month)
                mine.append(
                    {
                        "form": form,
                        "month": month,
                        "due": due,
                        "note": "" if report and not report.editable else services.due_note(due),
                        "report": report,
                        "organisation_id": user.organisation_id,
                    }
                )
        context["mine"] = mine
    else:
        rows = []
        for form in forms:
            existing = {
                r.organisation_id: r
                for r in selectors.reports_for_user(user).filter(form=form, month=chosen)
            }
            for organisation in selectors.reporting_organisations_for_user(user, form):
                rows.append(
                    {
                        "form": form,
                        "organisation": organisation,
                        "report": existing.get(organisation.pk),
                    }
                )
        context["rows"] = rows
    return render(request, "reports/home.html", context)


@role_required(*CONSOLIDATORS)
def completeness_page(request):
    months = recent_months(6)
    commune = request.user.commune
    rows = selectors.completeness(commune, months)
    due_month = months[-1]
    today = timezone.localdate()
    unsent = []
    for form in ReportForm.objects.filter(commune=commune, active=True):
        reminded = set(
            form.reminders.filter(month=due_month, sent_on=today).values_list(
                "organisation_id", flat=True
            )
        )
        due = form.due_date(due_month)
        for organisation in services.unsent_organisations(form, due_month).order_by("name"):
            unsent.append(
                {
                    "organisation": organisation,
                    "due": due,
                    "note": services.due_note(due, today),
                    "reminded_today": organisation.pk in reminded,
                }
            )
    return render(
        request,
        "reports/completeness.html",
        {
            "rows": rows,
            "months": months,
            "due_month": due_month,
            "unsent": unsent,
            "can_remind": request.user.role in services.REVIEWERS,
            "remind_days": services.REMIND_DAYS_BEFORE,
        },
    )


# One report ---------------------------------------------------------------------------------


def _posted_values(request, report: MonthlyReport) -> dict[int, str]:
    values = {}
    for indicator in report.indicators():
        key = f"i{indicator.pk}"
        if key in request.POST:
            values[indicator.pk] = request.POST[key][:TEXT_LIMIT]
    return values


TEXT_LIMIT = 10000


def _render_report(request, report, *, posted=None, errors=None, message="", status=200):
    user = request.user
    editable = report.editable and user.role in selectors.EDITORS
    return render(
        request,
        "reports/report.html",
        {
            "report": report,
            "sections": selectors.report_rows(report, posted=posted, errors=errors),
            "narrative": (
                posted_narrative(request)
                if posted is not None
                else {f: getattr(report, f) for f in NARRATIVE}
            ),
            "editable": editable,
            "can_review": user.role in services.REVIEWERS
            and report.status == MonthlyReport.Status.SUBMITTED,
            "can_unlock": user.role in services.REVIEWERS and report.locked,
            "submit_key": uuid.uuid4(),
            "errors": errors or {},
            "error_message": message,
            "events": report.events.select_related("actor")[:10],
            "due": report.form.due_date(report.month),
            "due_note": services.due_note(report.form.due_date(report.month))
            if report.editable
            else "",
            "review_form": ReviewForm(),
            "unlock_form": UnlockForm(),
        },
        status=status,
    )


def posted_narrative(request) -> dict[str, str]:
    return {f: request.POST.get(f, "")[:TEXT_LIMIT] for f in NARRATIVE}


def _version(request) -> int:
    text = request.POST.get("version", "")
    return int(text) if text.isdigit() and len(text) < 10 else -1


@require_http_methods(["GET", "POST"])
@role_required(*READERS)
def report_page(request, form_id: int, organisation_id: int, month: str):
    form, organisation, month_start = _report_for(request, form_id, organisation_id, month)
    try:
        report = services.report_open(form=form, organisation=organisation, month=month_start)
    except ReportError as error:
        return _refused(request, error.message)
    if request.method == "GET":
        return _render_report(request, report)
    if request.user.role not in selectors.EDITORS:
        raise PermissionDenied
    action = request.POST.get("action", "save")
    values = _posted_values(request, report)
    narrative = posted_narrative(request)
    autosave = action == "autosave" and request.htmx
    try:
        if action == "submit":
            key = request.POST.get("submit_key", "")
            try:
                submit_key = uuid.UUID(key)
            except ValueError:
                return _refused(request, "Thiếu mã gửi. Hãy tải lại trang rồi gửi lại.")
            report = services.report_submit(
                actor=request.user,
                report=report,
                version=_version(request),
                submit_key=submit_key,
                raw_values=values,
                narrative=narrative,
            )
            messages.success(request, "Đã gửi báo cáo. Cán bộ điều phối sẽ xem và phản hồi.")
            return redirect(request.path)
        report = services.report_save(
            actor=request.user,
            report=report,
            version=_version(request),
            raw_values=values,
            narrative=narrative,
        )
    except ReportError as error:
        status = 409 if isinstance(error, ReportConflict) else 400
        if autosave:
            return render(
                request,
                "reports/_save_status.html",
                {"error": error.message, "errors": error.errors, "version": _version(request)},
                status=200,  # htmx swaps only 2xx answers; the message says what went wrong
            )
        report.refresh_from_db()
        return _render_report(
            request,
            report,
            posted=values,
            errors=error.errors,
            message=error.message,
            status=status,
        )
    if autosave:
        return render(
            request,
            "reports/_save_status.html",
            {"saved_at": timezone.localtime(), "version": report.version},
        )
    messages.success(request, "Đã lưu bản nháp.")
    return redirect(request.path)


@require_POST
@role_required(*REVIEWERS)
def report_review(request, form_id: int, organisation_id: int, month: str):
    form, organisation, month_start = _report_for(request, form_id, organisation_id, month)
    report = get_object_or_404(
        selectors.reports_for_user(request.user),
        form=form,
        organisation=organisation,
        month=month_start,
    )
    review = ReviewForm(request.POST)
    if not review.is_valid():
        if "decision" in review.errors:
            return _refused(request, "Hãy chọn Chấp nhận hoặc Trả lại.")
        return _refused(request, "Ý kiến quá dài (tối đa 2000 ký tự). Báo cáo chưa được xét.")
    try:
        if review.cleaned_data["decision"] == "accept":
            services.report_accept(
                actor=request.user, report=report, comment=review.cleaned_data["comment"]
            )
            messages.success(request, "Đã chấp nhận và khóa báo cáo.")
        else:
            services.report_return(
                actor=request.user, report=report, comment=review.cleaned_data["comment"]
            )
            messages.success(request, "Đã trả lại báo cáo kèm ý kiến.")
    except ReportError as error:
        return _render_report(request, report, message=error.message, status=400)
    return redirect("reports:report_page", form.pk, organisation.pk, month)


@require_POST
@role_required(*REVIEWERS)
def report_unlock(request, form_id: int, organisation_id: int, month: str):
    form, organisation, month_start = _report_for(request, form_id, organisation_id, month)
    report = get_object_or_404(
        selectors.reports_for_user(request.user),
        form=form,
        organisation=organisation,
        month=month_start,
    )
    try:
        services.report_unlock(
            actor=request.user, report=report, reason=request.POST.get("reason", "")[:500]
        )
    except ReportError as error:
        return _render_report(request, report, message=error.message, status=400)
    messages.success(request, "Đã mở khóa; lý do đã ghi vào nhật ký. Đơn vị có thể sửa và gửi lại.")
    return redirect("reports:report_page", form.pk, organisation.pk, month)


# Consolidation ------------------------------------------------------------------------------


def _consolidation(request, form_id: int, month: str):
    form = selectors.get_form_for_user(request.user, form_id)
    month_start = _month_or_404(month)
    return selectors.consolidation(request.user.commune, form, month_start)


@role_required(*CONSOLIDATORS)
def consolidation_page(request, form_id: int, month: str):
    data = _consolidation(request, form_id, month)
    return render(
        request,
        "reports/consolidation.html",
        {
            "data": data,
            "month_text": month,
            "accepted_ids": {r.organisation_id for r in data.accepted},
        },
    )


def _filename(prefix: str, data, ext: str) -> str:
    return f'attachment; filename="{prefix}-{data.month:%Y-%m}.{ext}"'


@role_required(*CONSOLIDATORS)
def consolidation_docx(request, form_id: int, month: str):
    data = _consolidation(request, form_id, month)
    response = HttpResponse(consolidated_docx(data), content_type=DOCX_TYPE)
    response["Content-Disposition"] = _filename("bao-cao-thang", data, "docx")
    return response


@role_required(*CONSOLIDATORS)
def consolidation_xlsx(request, form_id: int, month: str):
    data = _consolidation(request, form_id, month)
    rows = selectors.hamlet_figures(data.commune, data.form, data.month)
    response = HttpResponse(consolidated_workbook(data, rows), content_type=XLSX_TYPE)
    response["Content-Disposition"] = _filename("chi-tieu-thang", data, "xlsx")
    return response


# The report form (coordinator) --------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(*REVIEWERS)
def form_settings(request):
    user = request.user
    form = ReportForm.objects.filter(commune_id=user.commune_id).order_by("-active", "pk").first()
    if form is None:
        if request.method == "POST":
            services.report_form_create_default(commune=user.commune, actor=user)
            messages.success(request, "Đã tạo mẫu báo cáo tháng với các chỉ tiêu thường dùng.")
            return redirect("reports:form_settings")
        return render(request, "reports/settings.html", {"form": None})
    settings_form = ReportFormSettings(
        request.POST or None, instance=form, organisations=organisations_for_user(user)
    )
    if request.method == "POST" and settings_form.is_valid():
        data = {k: v for k, v in settings_form.cleaned_data.items() if k != "organisations"}
        form.refresh_from_db()
        services.report_form_update(
            actor=user,
            form=form,
            data=data,
            organisations=list(settings_form.cleaned_data["organisations"]),
        )
        messages.success(request, "Đã lưu mẫu báo cáo.")
        return redirect("reports:form_settings")
    return render(
        request,
        "reports/settings.html",
        {
            "form": form,
            "settings_form": settings_form,
            "indicator_form": IndicatorAddForm(),
            "rule_form": RuleAddForm(form=form),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@role_required(*REVIEWERS)
def indicator_add(request, form_id: int):
    form = selectors.get_form_for_user(request.user, form_id)
    bound = IndicatorAddForm(request.POST)
    if bound.is_valid():
        try:
            services.indicator_add(actor=request.user, form=form, **bound.cleaned_data)
        except ReportError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Đã thêm chỉ tiêu.")
    else:
        errors = "; ".join(
            f"{bound.fields[k].label}: {' '.join(v)}"
            for k, v in bound.errors.items()
            if k in bound.fields
        )
        messages.error(request, f"Chưa thêm được chỉ tiêu. {errors}")
    return redirect(reverse("reports:form_settings") + "#chi-tieu")


@require_POST
@role_required(*REVIEWERS)
def rule_add(request, form_id: int):
    form = selectors.get_form_for_user(request.user, form_id)
    bound = RuleAddForm(request.POST, form=form)
    if bound.is_valid():
        try:
            services.rule_add(actor=request.user, form=form, **bound.cleaned_data)
        except ReportError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Đã thêm quy tắc kiểm tra.")
    else:
        messages.error(request, "Chưa thêm được quy tắc: hãy chọn hai chỉ tiêu và phép so sánh.")
    return redirect(reverse("reports:form_settings") + "#quy-tac")


def _indicator_for(request, indicator_id: int) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("form"),
        pk=indicator_id,
        form__in=selectors.forms_for_user(request.user),
    )


def _kind_lock(indicator: Indicator) -> str:
    if indicator.is_auto:
        return "Chỉ tiêu tự tính luôn là kiểu Số."
    if services.indicator_in_sent_reports(indicator):
        return "Đã có báo cáo gửi đi có số liệu của chỉ tiêu này nên không đổi kiểu được."
    return ""


@require_http_methods(["GET", "POST"])
@role_required(*REVIEWERS)
def indicator_edit(request, indicator_id: int):
    indicator = _indicator_for(request, indicator_id)
    lock = _kind_lock(indicator)
    bound = IndicatorEditForm(request.POST or None, instance=indicator, kind_locked=lock)
    message = ""
    if request.method == "POST":
        if bound.is_valid():
            try:
                services.indicator_update(
                    actor=request.user,
                    indicator=Indicator.objects.get(pk=indicator.pk),
                    **bound.cleaned_data,
                )
            except ReportError as error:
                message = error.message
            else:
                messages.success(request, "Đã lưu chỉ tiêu.")
                return redirect(reverse("reports:form_settings") + "#chi-tieu")
        else:
            message = "Chưa lưu: hãy sửa các ô được đánh dấu."
        indicator.refresh_from_db()
    return render(
        request,
        "reports/indicator.html",
        {
            "indicator": indicator,
            "edit_form": bound,
            "in_sent_reports": services.indicator_in_sent_reports(indicator),
            "error_message": message,
        },
        status=400 if message else 200,
    )


@require_POST
@role_required(*REVIEWERS)
def indicator_remove(request, indicator_id: int):
    indicator = _indicator_for(request, indicator_id)
    try:
        services.indicator_remove(actor=request.user, indicator=indicator)
    except ReportError as error:
        messages.error(request, error.message)
        return redirect("reports:indicator_edit", indicator.pk)
    messages.success(request, f"Đã xóa chỉ tiêu “{indicator.name}”.")
    return redirect(reverse("reports:form_settings") + "#chi-tieu")


@require_POST
@role_required(*REVIEWERS)
def indicator_active(request, indicator_id: int):
    indicator = _indicator_for(request, indicator_id)
    wanted = request.POST.get("active", "")
    if wanted not in {"0", "1"}:
        return _refused(request, "Yêu cầu không hợp lệ: hãy bấm “Ngừng dùng” hoặc “Dùng lại”.")
    indicator = services.indicator_set_active(
        actor=request.user, indicator=indicator, active=wanted == "1"
    )
    messages.success(
        request,
        f"“{indicator.name}” đang được dùng lại."
        if indicator.active
        else f"Đã ngừng dùng “{indicator.name}”: không có trong báo cáo mới; "
        "báo cáo cũ giữ nguyên.",
    )
    return redirect(reverse("reports:form_settings") + "#chi-tieu")


@require_POST
@role_required(*REVIEWERS)
def rule_remove(request, rule_id: int):
    rule = ValidationRule.objects.filter(
        pk=rule_id, form__in=selectors.forms_for_user(request.user)
    ).first()
    if rule is None:
        if ValidationRule.objects.filter(pk=rule_id).exists():
            raise Http404("Không có quy tắc này")
        messages.success(request, "Quy tắc đã được xóa trước đó.")  # a repeated click
    else:
        services.rule_remove(actor=request.user, rule=rule)
        messages.success(request, f"Đã xóa quy tắc “{rule}”.")
    return redirect(reverse("reports:form_settings") + "#quy-tac")


@require_POST
@role_required(*REVIEWERS)
def remind_now(request):
    made = services.reminders_send(commune=request.user.commune, force=True, actor=request.user)
    if made:
        names = ", ".join(sorted({r.organisation.name for r in made}))
        messages.success(request, f"Đã gửi nhắc nhở đến {len(made)} đơn vị: {names}.")
    else:
        messages.success(
            request,
            "Không có nhắc nhở mới: các đơn vị đã gửi báo cáo, hoặc hôm nay đã được nhắc rồi.",
        )
    return redirect("reports:completeness")
