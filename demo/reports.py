"""The commune's monthly report form and last month's reports, sent and accepted. Idempotent."""

import uuid
from datetime import datetime, time, timedelta

from django.utils import timezone

from accounts.models import Role, User
from places.models import Organisation
from reports.models import MonthlyReport
from reports.months import current_month, previous_month
from reports.services import (
    report_accept,
    report_form_create_default,
    report_open,
    report_submit,
)

SIGNER = "Nguyễn Kim Nam"  # the deputy chairman who signed the commune plan
_KEYS = uuid.UUID("8d7c0b1e-5f3a-4b6e-9c2d-1a0e4f7b3c55")

K = Organisation.Kind
# What each kind of organisation did, found hard and asks for: (results, difficulties, proposals).
NARRATIVES = {
    K.MASS: [
        (
            "Phối hợp Tổ công nghệ số cộng đồng hướng dẫn hội viên cài đặt, kích hoạt VNeID mức "
            "độ 2 và thanh toán tiền điện, nước bằng mã QR.",
            "Nhiều hội viên cao tuổi chưa có điện thoại thông minh, cần hướng dẫn nhiều lần.",
            "Đề nghị UBND xã hỗ trợ thêm tài liệu hướng dẫn in khổ lớn cho người cao tuổi.",
        ),
        (
            "Lồng ghép tuyên truyền phong trào “Bình dân học vụ số” trong sinh hoạt chi hội; vận "
            "động hội viên tham gia cuộc thi trực tuyến tìm hiểu kỹ năng số.",
            "Sóng điện thoại ở một số xóm vùng cao còn yếu.",
            "Đề nghị tổ chức thêm buổi hướng dẫn vào buổi tối để người đi làm tham gia được.",
        ),
        (
            "Hướng dẫn người cao tuổi nhận biết tin nhắn, cuộc gọi lừa đảo qua mạng.",
            "",
            "",
        ),
    ],
    K.DEPARTMENT: [
        (
            "Hướng dẫn người dân đến làm thủ tục tại Bộ phận một cửa nộp hồ sơ trực tuyến trên "
            "Cổng Dịch vụ công quốc gia; cán bộ, công chức hoàn thành các bài học kỹ năng số.",
            "Một số thủ tục người dân vẫn quen nộp hồ sơ giấy.",
            "Đề nghị bố trí thêm một máy tính cho người dân tự nộp hồ sơ tại Bộ phận một cửa.",
        ),
    ],
    K.SCHOOL: [
        (
            "Hướng dẫn phụ huynh cài đặt VNeID, đóng học phí không dùng tiền mặt; giáo viên "
            "lồng ghép an toàn trên mạng trong sinh hoạt lớp.",
            "Một số phụ huynh đi làm ăn xa, ông bà đưa đón chưa dùng điện thoại thông minh.",
            "Đề nghị Tổ công nghệ số cộng đồng hỗ trợ buổi hướng dẫn cho ông bà đưa đón học sinh.",
        ),
    ],
    K.HEALTH: [
        (
            "Hướng dẫn người dân đến khám cài đặt sổ sức khỏe điện tử trên VNeID và đặt lịch "
            "khám trực tuyến.",
            "Người cao tuổi đến khám thường không mang theo điện thoại.",
            "Đề nghị in tờ hướng dẫn sổ sức khỏe điện tử dán tại phòng chờ.",
        ),
    ],
    K.POLICE: [
        (
            "Kích hoạt tài khoản định danh điện tử mức độ 2 cho người dân; cảnh báo các thủ đoạn "
            "lừa đảo giả danh công an qua điện thoại.",
            "Một số người dân chưa cập nhật ảnh chân dung, phải hẹn lại.",
            "Đề nghị các xóm thông báo lịch kích hoạt VNeID lưu động trên loa truyền thanh.",
        ),
    ],
}
EXEMPLARY = "Chi hội xóm Ngọc Lâm: “mỗi hội viên trẻ kèm một người cao tuổi”."


def demo_reports_load(commune) -> int:
    """Create the form and accept last month's report of every organisation that must report.
    Returns how many reports were accepted now (0 on a second run)."""
    form = report_form_create_default(commune=commune, signer_name=SIGNER)
    coordinator = User.objects.filter(commune=commune, role=Role.COORDINATOR).first()
    month = previous_month(current_month())
    accepted = 0
    for index, organisation in enumerate(form.organisations.order_by("name")):
        report = report_open(form=form, organisation=organisation, month=month)
        if report.status == MonthlyReport.Status.ACCEPTED:
            continue
        guided = 20 + 7 * index
        values = {}
        for indicator in form.indicators.all():
            figure = {
                "residents_guided": guided,
                "vneid_level2_guided": guided // 2,
                "public_service_dossiers": 3 + index,
                "payment_accounts_new": 5 + 2 * index,
                "online_dossier_share": 55 + index * 3 % 40,
                "exemplary": "",
            }.get(indicator.code)
            if figure is not None:
                values[indicator.pk] = str(figure)
        stories = NARRATIVES.get(organisation.kind, NARRATIVES[K.MASS])
        results, difficulties, proposals = stories[index % len(stories)]
        if organisation.kind == K.MASS and index % 4 == 0:
            exemplary = form.indicators.get(code="exemplary").pk
            values[exemplary] = EXEMPLARY
        if report.status != MonthlyReport.Status.SUBMITTED:
            report = report_submit(
                actor=coordinator,
                report=report,
                version=report.version,
                submit_key=uuid.uuid5(_KEYS, f"{organisation.pk}-{month:%Y-%m}"),
                raw_values=values,
                narrative={
                    "results": results,
                    "difficulties": difficulties,
                    "proposals": proposals,
                },
            )
        report_accept(actor=coordinator, report=report)
        # Sent a few days before the due day, as a commune that keeps to its plan would.
        sent = timezone.make_aware(datetime.combine(form.due_date(month), time(9, 30)))
        MonthlyReport.objects.filter(pk=report.pk).update(
            submitted_at=sent - timedelta(days=index % 5)
        )
        accepted += 1
    return accepted
