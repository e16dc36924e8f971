import pytest
from django.core.exceptions import ValidationError

from koinotita.lib import phones


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("6971234501", "+306971234501"),
        ("697  123 4501", "+306971234501"),
        ("0030 6971234501", "+306971234501"),
        ("+30 2467 0 12345", "+302467012345"),
        ("2310123456", "+302310123456"),
        ("+49 30 1234567", "+49301234567"),
    ],
)
def test_valid_numbers_are_kept_as_typed_with_single_spaces(typed, e164):
    assert phones.validate(typed) == " ".join(typed.split())
    assert phones.e164(typed) == e164


@pytest.mark.parametrize("typed", ["12", "12345678", "697123", "abc", "+30 123"])
def test_invalid_numbers_are_refused_with_a_message(typed):
    with pytest.raises(ValidationError) as excinfo:
        phones.validate(typed)
    assert excinfo.value.error_list[0].code == "phone"


def test_empty_is_no_phone():
    assert phones.validate("  ") == ""


def test_digits_for_search_drop_the_greek_country_code():
    assert phones.digits_for_search("+30 697 123 4501") == "6971234501"
    assert phones.digits_for_search("0030 6971234501") == "6971234501"
    assert phones.digits_for_search("+49 30 1234567") == "49301234567"
