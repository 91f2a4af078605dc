"""Remind organisations that have not yet sent last month's report (in-app notices)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from places.models import Commune
from reports.models import ReportForm
from reports.services import reminders_send


class Command(BaseCommand):
    help = (
        "Nhắc các đơn vị chưa gửi báo cáo tháng trước (hiện trên trang Báo cáo tháng), từ 5 ngày "
        "trước hạn nộp; mỗi đơn vị nhiều nhất một lần mỗi ngày. Chạy hằng ngày bằng cron, ví dụ: "
        "0 7 * * * cd /srv/hocvuso && .venv/bin/python manage.py report_reminders"
    )

    def add_arguments(self, parser):
        parser.add_argument("--commune", default="", help="Tên xã; bỏ trống: mọi xã có mẫu báo cáo")
        parser.add_argument("--date", default="", help="Coi hôm nay là ngày này (YYYY-MM-DD)")

    def handle(self, *args, commune, date: str, **options):
        today = None
        if date:
            try:
                today = _parse_day(date)
            except ValueError as error:
                raise CommandError(
                    f"Ngày “{date}” không hợp lệ; hãy viết dạng YYYY-MM-DD."
                ) from error
        communes = Commune.objects.filter(
            pk__in=ReportForm.objects.filter(active=True).values("commune_id")
        )
        if commune:
            communes = communes.filter(name__iexact=commune.strip())
            if not communes.exists():
                raise CommandError(f"Không tìm thấy xã “{commune}” có mẫu báo cáo.")
        total = 0
        for place in communes:
            for reminder in reminders_send(commune=place, today=today):
                total += 1
                self.stdout.write(
                    f"{place.name} · {reminder.organisation.name}: {reminder.message}"
                )
        self.stdout.write(f"Đã nhắc {total} đơn vị.")


def _parse_day(text: str) -> date:
    return date.fromisoformat(text.strip())
