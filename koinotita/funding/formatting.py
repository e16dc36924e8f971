"""Money and percentages as a person reads them, in the active language: 266.400,00 € and
9,7% in Greek, €266,400.00 and 9.7% in English. Exact decimals, never through a float."""

from decimal import Decimal

from django.utils.translation import get_language


def _english(language: str | None) -> bool:
    return (language or get_language() or "el").startswith("en")


def _grouped(whole: str, separator: str) -> str:
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return separator.join(groups) or "0"


def euro_text(value, *, language: str | None = None) -> str:
    if value is None or value == "":
        return "—"
    amount = Decimal(value).quantize(Decimal("0.01"))
    sign = "−" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    if _english(language):
        return f"{sign}€{_grouped(whole, ',')}.{cents}"
    return f"{sign}{_grouped(whole, '.')},{cents} €"


def pct_text(value, places: int = 1, *, language: str | None = None) -> str:
    if value is None or value == "":
        return "—"
    text = f"{Decimal(value):.{places}f}"
    if not _english(language):
        text = text.replace(".", ",")
    return f"{text}%"
