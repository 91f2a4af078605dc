"""Months as the first day of the month, and their parsing from 'YYYY-MM'."""

import calendar
import re
from datetime import date

from django.utils import timezone


def month_of(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def previous_month(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


def next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def parse_month(text: str) -> date | None:
    """'2026-10' → date(2026, 10, 1); None for anything else."""
    match = re.fullmatch(r"(\d{4})-(\d{2})", (text or "").strip())
    if not match:
        return None
    year, number = int(match[1]), int(match[2])
    if not (2000 <= year <= 2100 and 1 <= number <= 12):
        return None
    return date(year, number, 1)


def current_month() -> date:
    return month_of(timezone.localdate())


def recent_months(count: int, *, last: date | None = None) -> list[date]:
    """The `count` months up to `last` (default: the previous month), oldest first."""
    month = last or previous_month(current_month())
    months = [month]
    for _ in range(count - 1):
        months.append(previous_month(months[-1]))
    return months[::-1]
