"""Writes for monthly reports: open, save (versioned), submit (idempotent), review, lock, remind."""

import logging
import re
import uuid
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from smtplib import SMTPException

from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accounts.models import Role, User
from accounts.services import audit_record, changes, snapshot
from places.models import Commune, Organisation
from reports.models import (
    Indicator,
    MonthlyReport,
    Reminder,
    ReportEvent,
    ReportForm,
    ReportValue,
    ValidationRule,
)
from reports.months import current_month, month_end, previous_month
from reports.sources import SOURCES

log = logging.getLogger("reports")

NARRATIVE = ("results", "difficulties", "proposals")
NARRATIVE_MAX = 5000
TEXT_MAX = 2000
REMIND_DAYS_BEFORE = 5
REVIEWERS = {Role.ADMIN, Role.COORDINATOR}


class ReportError(Exception):
    """A write refused with a message for the user; nothing was written."""

    def __init__(self, message: str, *, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class ReportConflict(ReportError):
    pass


# The report form ---------------------------------------------------------------------------

DEFAULT_INDICATORS = [
    # code, name, kind, unit, source, section
    ("sessions", None, "number", None, "sessions", "Hướng dẫn kỹ năng số"),
    ("participants", None, "number", None, "participants", "Hướng dẫn kỹ năng số"),
    ("visits", None, "number", None, "visits", "Hướng dẫn kỹ năng số"),
    ("lessons", None, "number", None, "lessons_completed", "Học tập kỹ năng số"),
    ("lessons_assisted", None, "number", None, "lessons_assisted", "Học tập kỹ năng số"),
    ("certificates", None, "number", None, "certificates", "Học tập kỹ năng số"),
    ("vneid", None, "number", None, "skill_vneid_level2", "Dịch vụ số thiết yếu"),
    ("payment_ticks", None, "number", None, "skill_payment", "Dịch vụ số thiết yếu"),
    (
        "residents_guided",
        "Người dân được hướng dẫn trực tiếp trong tháng",
        "number",
        "người",
        "",
        "Dịch vụ số thiết yếu",
    ),
    (
        "vneid_level2_guided",
        "Người được hướng dẫn kích hoạt VNeID mức độ 2",
        "number",
        "người",
        "",
        "Dịch vụ số thiết yếu",
    ),
    (
        "public_service_dossiers",
        "Hồ sơ dịch vụ công trực tuyến đã hướng dẫn nộp",
        "number",
        "hồ sơ",
        "",
        "Dịch vụ số thiết yếu",
    ),
    (
        "payment_accounts_new",
        "Tài khoản thanh toán, ví điện tử mở mới",
        "number",
        "tài khoản",
        "",
        "Dịch vụ số thiết yếu",
    ),
    (
        "online_dossier_share",
        "Tỷ lệ hồ sơ thủ tục hành chính nộp trực tuyến",
        "percentage",
        "%",
        "",
        "Dịch vụ số thiết yếu",
    ),
    ("team_members_new", None, "number", None, "team_members_new", "Tổ công nghệ số cộng đồng"),
    ("contest", None, "number", None, "contest_participants", "Tuyên truyền, thi đua"),
    ("broadcasts", None, "number", None, "broadcasts", "Tuyên truyền, thi đua"),
    ("posters", None, "number", None, "posters", "Tuyên truyền, thi đua"),
    ("scams", None, "number", None, "scam_reports", "Tuyên truyền, thi đua"),
    (
        "exemplary",
        "Điển hình, cách làm hay trong tháng",
        "text",
        "",
        "",
        "Tuyên truyền, thi đua",
    ),
]


def report_form_create_default(
    *, commune: Commune, actor: User | None = None, signer_name: str = ""
) -> ReportForm:
    """The commune's standard monthly form (idempotent by name), reported by every organisation."""
    form, created = ReportForm.objects.get_or_create(
        commune=commune,
        name="Báo cáo tháng phong trào “Bình dân học vụ số”",
        defaults={"signer_name": signer_name},
    )
    if not created:
        return form
    form.organisations.set(Organisation.objects.filter(commune=commune))
    by_code = {}
    for order, (code, name, kind, unit, source, section) in enumerate(DEFAULT_INDICATORS, 1):
        spec = SOURCES.get(source)
        by_code[code] = Indicator.objects.create(
            commune=commune,
            form=form,
            code=code,
            name=name or spec.label,
            kind=kind,
            unit=unit if unit is not None else spec.unit,
            source=source,
            section=section,
            order=order * 10,
        )
    ValidationRule.objects.create(
        commune=commune,
        form=form,
        left=by_code["vneid_level2_guided"],
        operator=ValidationRule.Operator.LTE,
        right=by_code["residents_guided"],
    )
    audit_record(actor=actor, action="create", target=form, after={"name": form.name})
    return form


FORM_FIELDS = [
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


@transaction.atomic
def report_form_update(
    *, actor: User, form: ReportForm, data: dict, organisations: list[Organisation]
) -> ReportForm:
    if any(o.commune_id != form.commune_id for o in organisations):
        raise ReportError("Đơn vị không thuộc xã này.")
    before = snapshot(form, FORM_FIELDS)
    before["organisations"] = sorted(form.organisations.values_list("pk", flat=True))
    for field in FORM_FIELDS:
        if field in data:
            setattr(form, field, data[field])
    form.save(update_fields=[*FORM_FIELDS, "updated_at"])
    form.organisations.set(organisations)
    after = snapshot(form, FORM_FIELDS) | {"organisations": sorted(o.pk for o in organisations)}
    old, new = changes(before, after)
    if new:
        audit_record(actor=actor, action="update", target=form, before=old, after=new)
    return form


def indicator_add(*, actor: User, form: ReportForm, **fields) -> Indicator:
    source = fields.get("source", "")
    if source and source not in SOURCES:
        raise ReportError("Nguồn số liệu không có trong hệ thống.")
    if source and fields.get("kind") != Indicator.Kind.NUMBER:
        raise ReportError("Chỉ tiêu tự tính phải là kiểu Số.")
    if form.indicators.filter(code=fields["code"]).exists():
        raise ReportError("Mã chỉ tiêu này đã có trong mẫu báo cáo.")
    indicator = Indicator.objects.create(commune=form.commune, form=form, **fields)
    audit_record(actor=actor, action="create", target=indicator, after={"code": indicator.code})
    return indicator


INDICATOR_FIELDS = ["name", "unit", "section", "order", "kind"]
SENT = [
    MonthlyReport.Status.SUBMITTED,
    MonthlyReport.Status.RETURNED,
    MonthlyReport.Status.ACCEPTED,
]


def indicator_in_sent_reports(indicator: Indicator) -> bool:
    """Whether a report that was sent (submitted, returned or accepted) holds a figure for it."""
    return (
        ReportValue.objects.filter(indicator=indicator, report__status__in=SENT)
        .filter(
            models.Q(number__isnull=False) | models.Q(auto_value__isnull=False) | ~models.Q(text="")
        )
        .exists()
    )


@transaction.atomic
def indicator_update(*, actor: User, indicator: Indicator, **fields) -> Indicator:
    """Rename, regroup or reorder an indicator; its kind only while no sent report holds it."""
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    kind = fields.get("kind", indicator.kind)
    if kind not in Indicator.Kind.values:
        raise ReportError(
            "Kiểu chỉ tiêu không hợp lệ.", errors={"kind": "Chọn Số, Tỷ lệ hoặc Chữ."}
        )
    if kind != indicator.kind:
        if indicator.is_auto:
            raise ReportError(
                "Chỉ tiêu tự tính luôn là kiểu Số; không đổi kiểu được.",
                errors={"kind": "Không đổi được."},
            )
        if indicator_in_sent_reports(indicator):
            raise ReportError(
                "Không đổi kiểu được: đã có báo cáo gửi đi có số liệu của chỉ tiêu này. "
                "Hãy ngừng dùng chỉ tiêu này và thêm chỉ tiêu mới.",
                errors={"kind": "Không đổi được."},
            )
        if (
            ValidationRule.objects.filter(
                models.Q(left=indicator) | models.Q(right=indicator)
            ).exists()
            and kind == Indicator.Kind.TEXT
        ):
            raise ReportError(
                "Chỉ tiêu đang dùng trong quy tắc kiểm tra nên không chuyển sang kiểu Chữ được; "
                "hãy xóa quy tắc trước.",
                errors={"kind": "Không đổi được."},
            )
    before = snapshot(indicator, INDICATOR_FIELDS)
    for field in INDICATOR_FIELDS:
        if field in fields:
            setattr(indicator, field, fields[field])
    indicator.save(update_fields=INDICATOR_FIELDS)
    old, new = changes(before, snapshot(indicator, INDICATOR_FIELDS))
    if new:
        audit_record(actor=actor, action="update", target=indicator, before=old, after=new)
    return indicator


@transaction.atomic
def indicator_set_active(*, actor: User, indicator: Indicator, active: bool) -> Indicator:
    """Retire an indicator (hidden from new and draft reports, kept in sent ones) or bring it
    back. Doing it twice changes nothing."""
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if indicator.active == active:
        return indicator
    indicator.active = active
    indicator.save(update_fields=["active"])
    audit_record(
        actor=actor,
        action="update",
        target=indicator,
        before={"active": not active},
        after={"active": active},
    )
    return indicator


@transaction.atomic
def indicator_remove(*, actor: User, indicator: Indicator) -> None:
    """Delete an indicator no sent report holds (its draft figures and rules go with it)."""
    indicator = Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    if indicator is None:
        return  # already removed: a repeated click changes nothing
    if indicator_in_sent_reports(indicator):
        raise ReportError(
            f"Không xóa được “{indicator.name}”: đã có báo cáo gửi đi có số liệu của chỉ tiêu "
            "này. Hãy bấm “Ngừng dùng” để ẩn nó khỏi các báo cáo mới mà vẫn giữ báo cáo cũ."
        )
    rules = [
        str(r)
        for r in ValidationRule.objects.filter(models.Q(left=indicator) | models.Q(right=indicator))
    ]
    audit_record(
        actor=actor,
        action="delete",
        target=indicator,
        before={"code": indicator.code, "name": indicator.name, "rules": rules},
    )
    indicator.delete()


@transaction.atomic
def rule_remove(*, actor: User, rule: ValidationRule) -> None:
    audit_record(actor=actor, action="delete", target=rule, before={"rule": str(rule)})
    rule.delete()


def rule_add(
    *, actor: User, form: ReportForm, left: Indicator, operator: str, right: Indicator
) -> ValidationRule:
    numeric = {Indicator.Kind.NUMBER, Indicator.Kind.PERCENTAGE}
    if left.form_id != form.pk or right.form_id != form.pk:
        raise ReportError("Chỉ tiêu không thuộc mẫu báo cáo này.")
    if left.pk == right.pk or left.kind not in numeric or right.kind not in numeric:
        raise ReportError("Quy tắc phải so sánh hai chỉ tiêu số khác nhau.")
    if not left.active or not right.active:
        raise ReportError("Chỉ tiêu đã ngừng dùng; không thêm quy tắc cho nó được.")
    if operator not in ValidationRule.Operator.values:
        raise ReportError("Phép so sánh không hợp lệ.")
    if form.rules.filter(left=left, operator=operator, right=right).exists():
        raise ReportError("Quy tắc này đã có.")
    rule = ValidationRule.objects.create(
        commune=form.commune, form=form, left=left, operator=operator, right=right
    )
    audit_record(actor=actor, action="create", target=rule, after={"rule": str(rule)})
    return rule


# Opening a report and filling it from recorded activity -----------------------------------


def check_month(month: date) -> None:
    if month > current_month():
        raise ReportError(
            f"Không thể báo cáo cho tháng {month:%m/%Y}: tháng này chưa đến.",
        )


def auto_figures(
    form: ReportForm, organisation: Organisation | None, month: date
) -> dict[int, int | None]:
    """{indicator id: figure} for every automatic indicator; None = commune-level only."""
    return {
        indicator.pk: SOURCES[indicator.source].count(
            form.commune, organisation, month, month_end(month)
        )
        for indicator in form.indicators.filter(active=True)
        if indicator.source in SOURCES
    }


@transaction.atomic
def report_open(*, form: ReportForm, organisation: Organisation, month: date) -> MonthlyReport:
    """The report of an organisation for a month, created on first open; automatic figures are
    refreshed while the report can still be edited, and frozen once it is submitted."""
    check_month(month)
    if not form.organisations.filter(pk=organisation.pk).exists():
        raise ReportError("Đơn vị này không phải báo cáo theo mẫu này.")
    report, _ = MonthlyReport.objects.get_or_create(
        form=form, organisation=organisation, month=month, defaults={"commune": form.commune}
    )
    if report.editable:
        report_refresh_auto(report)
    return report


def report_refresh_auto(report: MonthlyReport) -> None:
    figures = auto_figures(report.form, report.organisation, report.month)
    existing = {v.indicator_id: v for v in report.values.all()}
    for indicator_id, figure in figures.items():
        value = existing.get(indicator_id)
        if value is None:
            ReportValue.objects.create(
                commune_id=report.commune_id,
                report=report,
                indicator_id=indicator_id,
                auto_value=figure,
            )
        elif value.auto_value != figure:
            value.auto_value = figure
            value.save(update_fields=["auto_value"])


# Saving and submitting ----------------------------------------------------------------------


def parse_value(indicator: Indicator, raw: str) -> tuple[Decimal | None, str]:
    """(number, text) from what was typed; ValueError with a Vietnamese message if invalid."""
    raw = (raw or "").replace("\x00", "").strip()
    if indicator.kind == Indicator.Kind.TEXT:
        if len(raw) > TEXT_MAX:
            raise ValueError(f"Quá dài (tối đa {TEXT_MAX} ký tự).")
        return None, raw
    if not raw:
        return None, ""
    if indicator.kind == Indicator.Kind.NUMBER:
        compact = (
            raw.replace(" ", "").replace(".", "")
            if re.fullmatch(r"\d{1,3}(\.\d{3})+", raw)
            else raw
        )
        if not re.fullmatch(r"\d{1,12}", compact):
            raise ValueError("Phải là một số nguyên không âm, ví dụ 25.")
        return Decimal(compact), ""
    text = raw.replace(",", ".").removesuffix("%").strip()
    if not re.fullmatch(r"\d{1,3}(\.\d{1,2})?", text):
        raise ValueError("Phải là tỷ lệ phần trăm từ 0 đến 100, ví dụ 75 hoặc 82,5.")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above excludes it
        raise ValueError("Phải là một số.") from exc
    if number > 100:
        raise ValueError("Tỷ lệ phần trăm không được vượt quá 100.")
    return number, ""


def _effective(indicator: Indicator, value: ReportValue | None, parsed: dict):
    if indicator.pk in parsed:
        return parsed[indicator.pk][0]
    if value is None:
        return None
    return value.auto_value if indicator.is_auto else value.number


def _check_editable(report: MonthlyReport) -> None:
    if report.locked:
        raise ReportError("Báo cáo đã được chấp nhận và khóa, không sửa được nữa.")
    if report.status == MonthlyReport.Status.SUBMITTED:
        raise ReportError("Báo cáo đã gửi, đang chờ xét duyệt; chưa sửa được.")


def _validate(
    report: MonthlyReport, raw_values: dict[int, str], narrative: dict[str, str], *, final: bool
) -> tuple[dict[int, tuple], dict[str, str]]:
    indicators = list(report.indicators())
    values = {v.indicator_id: v for v in report.values.all()}
    errors: dict = {}
    parsed: dict[int, tuple] = {}
    for indicator in indicators:
        if indicator.is_auto:
            continue  # computed by the platform; whatever a request says is ignored
        raw = raw_values.get(indicator.pk)
        if raw is None:
            continue
        try:
            parsed[indicator.pk] = parse_value(indicator, raw)
        except ValueError as exc:
            errors[indicator.pk] = str(exc)
    for field in NARRATIVE:
        if len(narrative.get(field, "")) > NARRATIVE_MAX:
            errors[field] = f"Quá dài (tối đa {NARRATIVE_MAX} ký tự)."
    if not errors:
        by_id = {i.pk: i for i in indicators}
        for rule in report.form.rules.all():
            if rule.left_id not in by_id or rule.right_id not in by_id:
                continue  # a rule on a retired indicator no longer applies
            left = _effective(by_id[rule.left_id], values.get(rule.left_id), parsed)
            right = _effective(by_id[rule.right_id], values.get(rule.right_id), parsed)
            if left is not None and right is not None and not rule.holds(left, right):
                errors[rule.left_id] = (
                    f"“{by_id[rule.left_id].name}” ({left:g}) phải "
                    f"{rule.get_operator_display()} “{by_id[rule.right_id].name}” ({right:g})."
                )
    if final and not errors:
        for indicator in indicators:
            if indicator.is_auto or indicator.kind == Indicator.Kind.TEXT:
                continue
            if _effective(indicator, values.get(indicator.pk), parsed) is None:
                errors[indicator.pk] = "Cần nhập số liệu này trước khi gửi (không có thì ghi 0)."
    if errors:
        count = len(errors)
        raise ReportError(
            f"Chưa lưu: có {count} ô cần sửa. Báo cáo giữ nguyên như lần lưu trước.",
            errors=errors,
        )
    return parsed, {f: narrative.get(f, "").replace("\x00", "").strip() for f in NARRATIVE}


def _write(
    report: MonthlyReport,
    *,
    actor: User,
    version: int,
    raw_values: dict[int, str],
    narrative: dict[str, str],
    final: bool,
) -> MonthlyReport:
    """Validate everything, then write everything (or nothing), bumping the version."""
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    _check_editable(report)
    if version != report.version:
        who = report.saved_by.full_name if report.saved_by else "người khác"
        when = timezone.localtime(report.updated_at).strftime("%H:%M ngày %d/%m/%Y")
        raise ReportConflict(
            f"Báo cáo vừa được {who} lưu lúc {when}, sau khi bạn mở trang. "
            "Để không ghi đè lên nhau, những gì bạn vừa sửa CHƯA được lưu. "
            "Hãy chép lại phần của bạn, tải lại trang để xem bản mới nhất rồi sửa tiếp."
        )
    parsed, clean_narrative = _validate(report, raw_values, narrative, final=final)
    before = snapshot(report, NARRATIVE)
    existing = {v.indicator_id: v for v in report.values.all()}
    value_changes = {}
    for indicator_id, (number, text) in parsed.items():
        value = existing.get(indicator_id)
        if value is None:
            value = ReportValue.objects.create(
                commune_id=report.commune_id, report=report, indicator_id=indicator_id
            )
        if value.number != number or value.text != text:
            value_changes[str(indicator_id)] = text or (None if number is None else str(number))
            value.number, value.text = number, text
            value.save(update_fields=["number", "text"])
    for field, text in clean_narrative.items():
        setattr(report, field, text)
    report.version += 1
    report.saved_by = actor
    report.save(update_fields=[*NARRATIVE, "version", "saved_by", "updated_at"])
    old, new = changes(before, snapshot(report, NARRATIVE))
    if new or value_changes:
        audit_record(
            actor=actor, action="update", target=report, before=old, after=new | value_changes
        )
    return report


@transaction.atomic
def report_save(
    *,
    actor: User,
    report: MonthlyReport,
    version: int,
    raw_values: dict[int, str],
    narrative: dict[str, str],
) -> MonthlyReport:
    return _write(
        report,
        actor=actor,
        version=version,
        raw_values=raw_values,
        narrative=narrative,
        final=False,
    )


def report_submit(
    *,
    actor: User,
    report: MonthlyReport,
    version: int,
    submit_key: uuid.UUID,
    raw_values: dict[int, str],
    narrative: dict[str, str],
) -> MonthlyReport:
    """Save and send. A retried submit (same key) returns the report as the first one left it."""
    done = MonthlyReport.objects.filter(submit_key=submit_key).first()
    if done is not None:
        if done.pk != report.pk:
            raise ReportError("Mã gửi không hợp lệ. Hãy tải lại trang.")
        return done
    try:
        with transaction.atomic():
            report = _write(
                report,
                actor=actor,
                version=version,
                raw_values=raw_values,
                narrative=narrative,
                final=True,
            )
            # Figures of retired indicators were neither shown nor sent: they leave the report.
            ReportValue.objects.filter(report=report, indicator__active=False).delete()
            report.status = MonthlyReport.Status.SUBMITTED
            report.submit_key = submit_key
            report.submitted_at = timezone.now()
            report.submitted_by = actor
            report.save(
                update_fields=["status", "submit_key", "submitted_at", "submitted_by", "updated_at"]
            )
            ReportEvent.objects.create(
                commune_id=report.commune_id, report=report, kind="submitted", actor=actor
            )
            audit_record(
                actor=actor, action="update", target=report, after={"status": report.status}
            )
    except IntegrityError:  # the same key raced in twice: the first one won
        done = MonthlyReport.objects.filter(submit_key=submit_key, pk=report.pk).first()
        if done is None:
            raise
        return done
    return report


# Review, lock and unlock --------------------------------------------------------------------


def _require_reviewer(actor: User, report: MonthlyReport) -> None:
    if actor.role not in REVIEWERS or actor.commune_id != report.commune_id:
        raise ReportError("Chỉ cán bộ điều phối hoặc quản trị viên xã được xét duyệt báo cáo.")


@transaction.atomic
def report_return(*, actor: User, report: MonthlyReport, comment: str) -> MonthlyReport:
    _require_reviewer(actor, report)
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    comment = (comment or "").replace("\x00", "").strip()
    if report.status != MonthlyReport.Status.SUBMITTED:
        raise ReportError("Chỉ trả lại được báo cáo đã gửi và chưa được chấp nhận.")
    if not comment:
        raise ReportError(
            "Hãy ghi rõ cần sửa gì khi trả lại báo cáo.", errors={"comment": "Bắt buộc."}
        )
    report.status = MonthlyReport.Status.RETURNED
    report.review_comment = comment[:2000]
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    report.version += 1
    report.save(
        update_fields=[
            "status",
            "review_comment",
            "reviewed_at",
            "reviewed_by",
            "version",
            "updated_at",
        ]
    )
    ReportEvent.objects.create(
        commune_id=report.commune_id, report=report, kind="returned", actor=actor, comment=comment
    )
    audit_record(
        actor=actor,
        action="update",
        target=report,
        before={"status": "submitted"},
        after={"status": report.status, "comment": report.review_comment},
    )
    return report


@transaction.atomic
def report_accept(*, actor: User, report: MonthlyReport, comment: str = "") -> MonthlyReport:
    _require_reviewer(actor, report)
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    if report.status == MonthlyReport.Status.ACCEPTED:
        return report  # accepting twice changes nothing
    if report.status != MonthlyReport.Status.SUBMITTED:
        raise ReportError("Chỉ chấp nhận được báo cáo đã gửi.")
    report.status = MonthlyReport.Status.ACCEPTED
    report.locked = True
    report.review_comment = (comment or "").replace("\x00", "").strip()[:2000]
    report.reviewed_at = timezone.now()
    report.reviewed_by = actor
    report.version += 1
    report.save(
        update_fields=[
            "status",
            "locked",
            "review_comment",
            "reviewed_at",
            "reviewed_by",
            "version",
            "updated_at",
        ]
    )
    ReportEvent.objects.create(
        commune_id=report.commune_id,
        report=report,
        kind="accepted",
        actor=actor,
        comment=report.review_comment,
    )
    audit_record(
        actor=actor,
        action="update",
        target=report,
        before={"status": "submitted", "locked": False},
        after={"status": report.status, "locked": True},
    )
    return report


@transaction.atomic
def report_unlock(*, actor: User, report: MonthlyReport, reason: str) -> MonthlyReport:
    """Reopen an accepted report for correction; the reason is kept in the history and audit."""
    _require_reviewer(actor, report)
    report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
    reason = (reason or "").replace("\x00", "").strip()
    if not report.locked:
        raise ReportError("Báo cáo này đang không khóa.")
    if len(reason) < 5:
        raise ReportError(
            "Hãy ghi lý do mở khóa (ít nhất 5 ký tự); lý do được lưu vào nhật ký.",
            errors={"reason": "Bắt buộc."},
        )
    report.locked = False
    report.status = MonthlyReport.Status.RETURNED
    report.review_comment = f"Mở khóa để sửa: {reason}"[:2000]
    report.version += 1
    report.save(update_fields=["locked", "status", "review_comment", "version", "updated_at"])
    ReportEvent.objects.create(
        commune_id=report.commune_id, report=report, kind="unlocked", actor=actor, comment=reason
    )
    audit_record(
        actor=actor,
        action="update",
        target=report,
        before={"status": "accepted", "locked": True},
        after={"status": report.status, "locked": False, "reason": reason[:500]},
    )
    return report


# Reminders ----------------------------------------------------------------------------------


def due_note(due: date, today: date | None = None) -> str:
    """'còn 3 ngày', 'hạn là hôm nay' or 'quá hạn 2 ngày', for a report not yet sent."""
    today = today or timezone.localdate()
    left = (due - today).days
    if left > 0:
        return f"còn {left} ngày"
    if left == 0:
        return "hạn là hôm nay"
    return f"quá hạn {-left} ngày"


def _reminder_message(month: date, due: date, today: date) -> str:
    if today <= due:
        return (
            f"Nhắc nộp báo cáo tháng {month:%m/%Y}: hạn ngày {due:%d/%m/%Y} "
            f"({due_note(due, today)})."
        )
    return (
        f"Báo cáo tháng {month:%m/%Y} đã quá hạn ngày {due:%d/%m/%Y} "
        f"({due_note(due, today)}), đề nghị gửi ngay."
    )


def _email_officers(reminder: Reminder, form: ReportForm) -> None:
    """The reminder by email too, to the organisation's officers who gave a work address. A
    mail server that fails costs nothing but the email: the in-app reminder is already saved."""
    recipients = list(
        User.objects.filter(organisation=reminder.organisation, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        return
    body = (
        f"Kính gửi {reminder.organisation.name},\n\n{reminder.message}\n"
        f"Mẫu báo cáo: {form.name}.\n\n"
        "Đăng nhập Học vụ số, vào Khu cán bộ → Báo cáo tháng để xem số liệu nền tảng đã điền "
        "sẵn, bổ sung phần còn thiếu và gửi.\n\nThư tự động, xin đừng trả lời thư này."
    )
    try:
        send_mail(f"Nhắc nộp báo cáo tháng {reminder.month:%m/%Y}", body, None, recipients)
    except (OSError, SMTPException):
        log.warning("report reminder %s: email not sent", reminder.pk, exc_info=True)


def unsent_organisations(form: ReportForm, month: date):
    sent = MonthlyReport.objects.filter(
        form=form,
        month=month,
        status__in=[MonthlyReport.Status.SUBMITTED, MonthlyReport.Status.ACCEPTED],
    ).values("organisation_id")
    return form.organisations.exclude(pk__in=sent)


def reminders_send(
    *, commune: Commune, today: date | None = None, force: bool = False, actor: User | None = None
) -> list[Reminder]:
    """Remind every organisation whose report for last month is not yet sent (submitted or
    accepted; a returned report counts as not sent), from REMIND_DAYS_BEFORE days before the
    due day on — or at once when the coordinator asks (`force`). At most one reminder per
    organisation, form and month a day: running twice the same day adds nothing.

    Returns the reminders made now."""
    today = today or timezone.localdate()
    month = previous_month(today.replace(day=1))
    made = []
    for form in ReportForm.objects.filter(commune=commune, active=True):
        due = form.due_date(month)
        if not force and today < due - timedelta(days=REMIND_DAYS_BEFORE):
            continue
        for organisation in unsent_organisations(form, month):
            reminder, created = Reminder.objects.get_or_create(
                form=form,
                organisation=organisation,
                month=month,
                sent_on=today,
                defaults={
                    "commune": commune,
                    "due_on": due,
                    "message": _reminder_message(month, due, today),
                },
            )
            if created:
                made.append(reminder)
                _email_officers(reminder, form)
                if actor is not None:
                    audit_record(
                        actor=actor,
                        action="create",
                        target=reminder,
                        after={"organisation": organisation.name, "month": f"{month:%Y-%m}"},
                    )
    return made
