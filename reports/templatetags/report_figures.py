from django import template

from reports.selectors import format_number

register = template.Library()


@register.filter
def figure(value) -> str:
    """25 → '25', Decimal('62.50') → '62,5', 1250 → '1.250', None → '—'."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return value
    return format_number(value)
