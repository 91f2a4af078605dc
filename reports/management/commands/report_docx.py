"""Write a commune's consolidated monthly report (.docx, Nghị định 30/2020/NĐ-CP format)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from places.models import Commune
from reports.docx import consolidated_docx
from reports.models import ReportForm
from reports.months import parse_month
from reports.selectors import consolidation
from reports.services import ReportError, check_month, report_form_create_default


class Command(BaseCommand):
    help = (
        "Ghi báo cáo tổng hợp tháng của xã ra tệp .docx, ví dụ: "
        'report_docx --commune "Xã Bạch Ngọc" --month 2026-10 bao-cao.docx'
    )

    def add_arguments(self, parser):
        parser.add_argument("output", help="Đường dẫn tệp .docx sẽ ghi")
        parser.add_argument("--commune", required=True, help="Tên xã, ví dụ “Xã Bạch Ngọc”")
        parser.add_argument("--month", required=True, help="Tháng báo cáo, dạng YYYY-MM")
        parser.add_argument("--province", default="", help="Tên tỉnh, khi có xã trùng tên")

    def handle(self, *args, output, commune, month, province, **options):
        month_start = parse_month(month)
        if month_start is None:
            raise CommandError(
                f"Tháng “{month}” không hợp lệ; hãy viết dạng YYYY-MM, ví dụ 2026-10."
            )
        try:
            check_month(month_start)
        except ReportError as error:
            raise CommandError(error.message) from error
        communes = Commune.objects.filter(name__iexact=commune.strip())
        if province:
            communes = communes.filter(province_name__icontains=province.strip())
        found = list(communes[:2])
        if not found:
            raise CommandError(
                f"Không tìm thấy xã “{commune}”. Hãy ghi đúng tên, ví dụ “Xã Bạch Ngọc”."
            )
        if len(found) > 1:
            raise CommandError(f"Có nhiều xã tên “{commune}”; hãy thêm --province.")
        place = found[0]
        form = ReportForm.objects.filter(commune=place, active=True).order_by("pk").first()
        if form is None:
            form = report_form_create_default(commune=place)
            self.stderr.write("Xã chưa có mẫu báo cáo; đã tạo mẫu mặc định.")
        data = consolidation(place, form, month_start)
        path = Path(output)
        try:
            path.write_bytes(consolidated_docx(data))
        except OSError as error:
            raise CommandError(f"Không ghi được tệp {path}: {error.strerror}") from error
        state = "đầy đủ" if data.complete else "CHƯA đầy đủ"
        self.stdout.write(
            f"Đã ghi {path}: báo cáo tháng {month_start:%m/%Y} của {place.name}, "
            f"{len(data.accepted)}/{len(data.expected)} đơn vị đã được chấp nhận ({state})."
        )
