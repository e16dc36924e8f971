"""Money as a person reads it: 266.400,00 € in Greek, €266,400.00 in English — exact
decimals, never through a float."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language

register = template.Library()


def euro_text(value, *, language: str | None = None) -> str:
    if value is None or value == "":
        return "—"
    amount = Decimal(value).quantize(Decimal("0.01"))
    sign = "−" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    if (language or get_language() or "el").startswith("en"):
        return f"{sign}€{','.join(groups)}.{cents}"
    return f"{sign}{'.'.join(groups)},{cents} €"


@register.filter
def euro(value) -> str:
    return euro_text(value)


@register.filter
def pct(value) -> str:
    if value is None:
        return "—"
    text = f"{Decimal(value):.1f}"
    if not (get_language() or "el").startswith("en"):
        text = text.replace(".", ",")
    return f"{text}%"


@register.filter
def lookup(mapping, key):
    return mapping.get(key, Decimal("0.00"))
