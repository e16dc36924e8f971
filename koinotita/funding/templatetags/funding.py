"""Template filters of the funding pages (formatting in koinotita.funding.formatting)."""

from decimal import Decimal

from django import template

from koinotita.funding.formatting import euro_text, pct_text

register = template.Library()


@register.filter
def euro(value) -> str:
    return euro_text(value)


@register.filter
def pct(value) -> str:
    return pct_text(value)


@register.filter
def lookup(mapping, key):
    return mapping.get(key, Decimal("0.00"))
