from django.core.management.base import BaseCommand, CommandError

from places.divisions import DivisionNotFound
from places.services import commune_setup


class Command(BaseCommand):
    help = "Thiết lập một xã/phường theo danh mục đơn vị hành chính từ 01/7/2025."

    def add_arguments(self, parser):
        parser.add_argument("--province", required=True, help="Tên tỉnh/thành phố, ví dụ: Nghệ An")
        parser.add_argument("--commune", required=True, help="Tên xã/phường, ví dụ: Xã Bạch Ngọc")

    def handle(self, *args, province: str, commune: str, **options):
        try:
            obj, created = commune_setup(province=province, commune=commune)
        except DivisionNotFound as exc:
            lines = [str(exc)]
            if exc.suggestions:
                lines.append("Có phải bạn muốn tìm: " + "; ".join(exc.suggestions) + "?")
            else:
                lines.append("Không có tên nào gần giống. Hãy kiểm tra lại chính tả.")
            raise CommandError("\n".join(lines)) from None
        verb = "Đã tạo" if created else "Đã có sẵn"
        self.stdout.write(f"{verb}: {obj.name}, {obj.province_name} (mã {obj.code}).")
