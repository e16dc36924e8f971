"""Phone numbers, checked by Google's libphonenumber (`phonenumbers`): the one validator of
every phone a user types — registration, a person's fields, the import, the API and the
public request form. A number without a country code is read as Greek.

Storage stays as it was: the number as typed (spacing made single), and for search its
digits without the Greek country code (`digits_for_search`)."""

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DEFAULT_REGION = "GR"
_NON_DIGITS = re.compile(r"\D")


def parse(value: str) -> phonenumbers.PhoneNumber | None:
    """The number, or None when `value` is not a valid phone number."""
    try:
        number = phonenumbers.parse(value, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def validate(value: str) -> str:
    """`value` with its spacing made single; ValidationError if it is not a phone number."""
    value = " ".join((value or "").split())
    if value and parse(value) is None:
        raise ValidationError(
            _(
                "This is not a valid phone number (e.g. 697 123 4567, 2310 123456 or "
                "+49 30 1234567)."
            ),
            code="phone",
        )
    return value


def e164(value: str) -> str:
    """The number in E.164 (+306971234567); empty if it is not valid."""
    number = parse(value) if value else None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) if number else ""


def digits_for_search(value: str) -> str:
    """Digits of a phone number without the Greek country code (what search compares)."""
    number = _NON_DIGITS.sub("", value or "")
    if number.startswith("0030"):
        number = number[4:]
    elif number.startswith("30") and len(number) == 12:
        number = number[2:]
    return number
