from django import template

from planning.money import format_number, format_vnd

register = template.Library()


@register.filter
def vnd(value) -> str:
    return format_vnd(value)


@register.filter
def num(value) -> str:
    return format_number(value)


@register.filter
def sub(value, other) -> int:
    return (value or 0) - (other or 0)
