from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from places.models import Commune
from planning.dashboard import dashboard_refresh


class Command(BaseCommand):
    help = (
        "Tính lại số liệu trang điều hành của mọi xã (hoặc một tỉnh) để trang tổng hợp toàn tỉnh "
        "đọc nhanh. Chạy hằng đêm bằng cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("--province-code", type=int, help="chỉ các xã của tỉnh có mã này")
        parser.add_argument("--year", type=int, help="năm (mặc định năm nay)")

    def handle(self, *args, province_code=None, year=None, **options):
        year = year or timezone.localdate().year
        if not 2020 <= year <= timezone.localdate().year + 1:
            raise CommandError(f"Năm {year} không hợp lệ.")
        communes = Commune.objects.order_by("id")
        if province_code is not None:
            communes = communes.filter(province_code=province_code)
        count = dashboard_refresh(communes.iterator(), year)
        self.stdout.write(f"Đã tính lại số liệu năm {year} của {count} xã, phường.")
