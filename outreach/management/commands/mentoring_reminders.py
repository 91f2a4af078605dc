"""Print, per volunteer, the mentees not visited for MENTORING_REMINDER_DAYS (a daily job)."""

from itertools import groupby

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from outreach.mentoring import overdue_mentorships
from places.models import Commune


class Command(BaseCommand):
    help = "Nhắc tình nguyện viên những người đang kèm cặp đã lâu chưa được đến thăm."

    def add_arguments(self, parser):
        parser.add_argument("--commune", type=int, help="Mã xã / phường; bỏ trống: mọi xã.")

    def handle(self, *args, commune=None, **options):
        place = None
        if commune is not None:
            place = Commune.objects.filter(code=commune).first()
            if place is None:
                raise CommandError(f"Không có xã / phường mã {commune}.")
        today = timezone.localdate()
        overdue = overdue_mentorships(commune=place, today=today)
        days = settings.MENTORING_REMINDER_DAYS
        count = 0
        for volunteer, pairs in groupby(overdue, key=lambda m: m.volunteer):
            pairs = list(pairs)
            count += len(pairs)
            self.stdout.write(
                f"{volunteer} ({volunteer.username}): {len(pairs)} người cần đến thăm"
            )
            for m in pairs:
                since = "chưa thăm lần nào" if m.last_visit is None else "chưa đến thăm"
                self.stdout.write(
                    f"  - {m.resident.full_name}, {m.resident.hamlet.name}: "
                    f"{(today - m.seen_on).days} ngày {since}"
                )
        if not count:
            self.stdout.write(f"Không có ai quá {days} ngày chưa được đến thăm.")
