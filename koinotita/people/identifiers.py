"""Greek personal identifiers (domain/identifiers.md): normalise, validate, cross-check.

Validation uses python-stdnum; this module only turns its answers into messages in the
user's language and adds the rules stdnum does not know (ID card letters, AMKA/birth date
and AMKA/sex cross-checks, which are warnings, not errors).
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.gr import amka as stdnum_amka
from stdnum.gr import vat as stdnum_vat

from koinotita.lib import phones

_SPACING = re.compile(r"[\s\-./]")
# Letters that look the same in Greek and Latin, as people type them on ID cards.
_LATIN_TO_GREEK = str.maketrans("ABEZHIKMNOPTYX", "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ")
_ID_LETTERS = "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"
_POLICE_ID = re.compile(rf"^[{_ID_LETTERS}]{{1,2}}\d{{6}}$")


def digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def normalise_amka(value: str) -> str:
    return _SPACING.sub("", value or "")


def validate_amka(value: str) -> str:
    """The AMKA as 11 digits, or ValidationError with a clear message."""
    amka = normalise_amka(value)
    if not amka:
        return ""
    if not amka.isdigit():
        raise ValidationError(_("The AMKA must contain digits only."), code="amka_format")
    if len(amka) != 11:
        raise ValidationError(
            _("The AMKA must have 11 digits (it has %(n)d).") % {"n": len(amka)},
            code="amka_length",
        )
    try:
        stdnum_amka.validate(amka)
    except InvalidChecksum:
        raise ValidationError(
            _("The AMKA's check digit is wrong: check for a typing mistake."), code="amka_checksum"
        ) from None
    except (InvalidComponent, InvalidFormat, InvalidLength):
        raise ValidationError(
            _("The first six digits of the AMKA are not a date (DDMMYY)."), code="amka_date"
        ) from None
    return amka


def normalise_afm(value: str) -> str:
    afm = _SPACING.sub("", value or "").upper()
    if afm.startswith(("EL", "GR")):
        afm = afm[2:]
    if len(afm) == 8 and afm.isdigit():
        afm = "0" + afm  # older 8-digit numbers take a leading zero
    return afm


def validate_afm(value: str, *, override_reason: str = "") -> str:
    """The AFM as 9 digits. A failing check digit is accepted only with a recorded reason."""
    afm = normalise_afm(value)
    if not afm:
        return ""
    if not afm.isdigit() or len(afm) != 9:
        raise ValidationError(_("The AFM must have 9 digits."), code="afm_format")
    if afm == "000000000":
        raise ValidationError(_("An AFM cannot be all zeros."), code="afm_zero")
    if not stdnum_vat.is_valid(afm) and not override_reason.strip():
        raise ValidationError(
            _(
                "The AFM's check digit is wrong. If the number is right (some old or special "
                "numbers fail the check), a supervisor can accept it with a reason."
            ),
            code="afm_checksum",
        )
    return afm


def normalise_id_card(value: str) -> tuple[str, bool]:
    """Police ID number with its letters in Greek; returns (number, unverified).

    Older cards: one letter and six digits; later: two letters and six digits. Other
    formats are accepted but flagged unverified.
    """
    number = _SPACING.sub("", value or "").upper().translate(_LATIN_TO_GREEK)
    if not number:
        return "", False
    return number, not bool(_POLICE_ID.match(number))


def normalise_phone(value: str) -> str:
    """Digits of a phone number without the Greek country code, for search."""
    return phones.digits_for_search(value)


def amka_warnings(amka: str, *, birth_date: date | None, sex: str) -> list[str]:
    """Disagreements between the AMKA and the recorded birth date or sex: warnings only."""
    if not amka or len(amka) != 11 or not amka.isdigit():
        return []
    warnings = []
    if birth_date is not None and amka[:6] != birth_date.strftime("%d%m%y"):
        warnings.append(
            _("The AMKA begins with %(amka_date)s but the birth date is %(birth)s.")
            % {
                "amka_date": f"{amka[:2]}/{amka[2:4]}/{amka[4:6]}",
                "birth": birth_date.strftime("%d/%m/%Y"),
            }
        )
    parity_sex = "M" if int(amka[9]) % 2 else "F"
    if sex in ("M", "F") and sex != parity_sex:
        warnings.append(
            _("The AMKA's tenth digit suggests a man.")
            if parity_sex == "M"
            else _("The AMKA's tenth digit suggests a woman.")
        )
    return warnings
