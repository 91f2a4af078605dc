"""Write a printable poster PDF: `manage.py poster_pdf --demo out.pdf [--format a3|banner]`."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.urls import reverse

from communications.models import Poster
from communications.poster_pdf import poster_pdf
from communications.posters import DEFAULT_SLOGANS, QR_CAPTIONS, check_qr_url
from places.selectors import public_commune

PLACEHOLDER_BASE = "http://127.0.0.1:8000"
DEMO_COMMUNE = "Xã Bạch Ngọc"


class Command(BaseCommand):
    help = "Ghi một áp phích (A4, A3) hoặc băng rôn ra tệp PDF."

    def add_arguments(self, parser):
        parser.add_argument("output", help="tệp PDF sẽ ghi, ví dụ out.pdf")
        parser.add_argument(
            "--demo", action="store_true", help="dùng khẩu hiệu mẫu và trang của xã"
        )
        parser.add_argument("--format", default="a4", help="a4 | a3 | banner (mặc định a4)")
        parser.add_argument("--slogan", default="", help="khẩu hiệu (mặc định: khẩu hiệu mẫu)")
        parser.add_argument("--subtitle", default="", help="dòng phụ")
        parser.add_argument("--url", default="", help="đường link của mã QR")
        parser.add_argument("--base-url", default=PLACEHOLDER_BASE, help="địa chỉ trang web của xã")

    def handle(self, *args, **options):
        fmt = options["format"].lower()
        if fmt not in Poster.Format.values:
            raise CommandError("Khổ in không đúng: hãy chọn a4, a3 hoặc banner.")
        slogan = options["slogan"].strip()
        if not slogan:
            if not options["demo"]:
                raise CommandError('Hãy nhập --slogan "…" hoặc dùng --demo.')
            slogan = DEFAULT_SLOGANS[0]
        url = options["url"] or options["base_url"].rstrip("/") + reverse("places:home")
        try:
            url = check_qr_url(url)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from None
        subtitle = options["subtitle"]
        if options["demo"] and not subtitle:
            subtitle = "Hỏi Tổ công nghệ số cộng đồng ở xóm mình, hoàn toàn miễn phí"
        pdf = poster_pdf(
            slogan=slogan,
            fmt=fmt,
            subtitle=subtitle,
            commune_name=self._commune_name(),
            qr_url=url,
            qr_caption=QR_CAPTIONS["view"],
        )
        out = Path(options["output"])
        try:
            out.write_bytes(pdf)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {out}: {exc.strerror}") from None
        self.stdout.write(f"Đã ghi {out} ({len(pdf) // 1024} KB, khổ {fmt}, QR → {url}).")

    def _commune_name(self) -> str:
        try:
            commune = public_commune()
        except DatabaseError:  # no database yet: the demo still works
            commune = None
        return commune.name if commune else DEMO_COMMUNE
