from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from learning.content import ContentError
from learning.services import CONTENT_DIR, lessons_load
from places.models import Commune


class Command(BaseCommand):
    help = "Nạp các bài học trong content/lessons/ vào một xã (hoặc mọi xã). Tệp lỗi: không nạp gì."

    def add_arguments(self, parser):
        parser.add_argument("--commune-code", type=int, help="Mã xã; bỏ trống: mọi xã đã thiết lập")
        parser.add_argument("--dir", default=str(CONTENT_DIR), help="Thư mục bài học")

    def handle(self, *args, commune_code=None, dir: str, **options):
        communes = Commune.objects.all()
        if commune_code:
            communes = communes.filter(code=commune_code)
        if not communes.exists():
            raise CommandError("Chưa có xã nào. Hãy chạy commune_setup trước.")
        for commune in communes:
            try:
                created, updated = lessons_load(commune=commune, directory=Path(dir))
            except ContentError as exc:
                raise CommandError(f"Lỗi nội dung, chưa nạp bài nào: {exc}") from None
            self.stdout.write(f"{commune.name}: {created} bài mới, {updated} bài cập nhật.")
