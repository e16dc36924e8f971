"""Each field of a Person, declared once with the roles it plays. Every list of person
fields the code needs is derived from `FIELDS`; none is typed again elsewhere.

Roles of a field:
- `group` — typed by staff: the registration and edit form (in this fieldset), the API's
  input, the person import; "" for a field the service derives or the system keeps;
- `api` — in the API's answer about a person;
- `export` — in the person's record of the subject-access export;
- `erase` — what anonymisation does: BLANK (emptied), KEEP (the statistics need it), or
  SPECIAL (people.privacy handles it: the names become a placeholder, the birth date keeps
  its year, the language goes back to the default, the household is left);
- `fill` — on a merge, a blank value of the kept record is filled from the duplicate's; the
  fields in `fill_with` travel with it (an AFM with the reason it was accepted);
- `compare` — shown side by side before a merge;
- `transfer` — copied to the new record when a case moves the person to another centre;
- `share` — the key under which a referral may share it with a partner (referrals.rules),
  several fields under one key (the address with its postal code and municipality).

To add a field: the model, its migration, one line here, and the person page's template if
it is shown there.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from koinotita.people.models import Person

BLANK, KEEP, SPECIAL = "blank", "keep", "special"

NAMES, IDENTITY, CONTACT, CATEGORIES = "names", "identity", "contact", "categories"
GROUPS = {
    NAMES: _("Names"),
    IDENTITY: _("Identity"),
    CONTACT: _("Contact details"),
    CATEGORIES: _("Categories"),
}


@dataclass(frozen=True)
class PersonField:
    name: str
    group: str = ""
    api: bool = True
    export: bool = True
    erase: str = BLANK
    fill: bool = False
    fill_with: tuple[str, ...] = ()
    compare: bool = False
    transfer: bool = True
    share: str = ""


F = PersonField
FIELDS: tuple[PersonField, ...] = (
    F("family_name", NAMES, erase=SPECIAL, compare=True, share="name"),
    F("given_name", NAMES, erase=SPECIAL, compare=True, share="name"),
    F("father_name", NAMES, fill=True, compare=True, share="father_name"),
    F("mother_name", NAMES, fill=True, compare=True),
    F("family_name_latin", NAMES, compare=True),
    F("given_name_latin", NAMES, compare=True),
    F("sex", IDENTITY, erase=KEEP, fill=True, compare=True, share="sex"),
    F("birth_date", IDENTITY, erase=SPECIAL, fill=True, compare=True, share="birth_date"),
    F("citizenship", IDENTITY, erase=KEEP, fill=True, compare=True),
    F("amka", IDENTITY, fill=True, compare=True, share="amka"),
    F("afm", IDENTITY, fill=True, fill_with=("afm_override_reason",), compare=True, share="afm"),
    F("afm_override_reason", IDENTITY, api=False, transfer=False),
    F("id_document_type", IDENTITY),
    F(
        "id_document_number",
        IDENTITY,
        fill=True,
        fill_with=("id_document_type", "id_document_unverified"),
        compare=True,
    ),
    F("id_document_unverified", api=False, erase=SPECIAL),
    F("phone", CONTACT, fill=True, fill_with=("phone_digits",), compare=True, share="phone"),
    F("phone_digits", api=False, export=False),
    F("email", CONTACT, fill=True, compare=True, share="email"),
    F("address", CONTACT, fill=True, fill_with=("postal_code",), compare=True, share="address"),
    F("postal_code", CONTACT, compare=True, share="address"),
    F(
        "residence_municipality",
        CONTACT,
        export=False,
        erase=KEEP,
        fill=True,
        compare=True,
        share="address",
    ),
    F("preferred_language", CONTACT, erase=SPECIAL, compare=True, share="preferred_language"),
    F("categories", CATEGORIES, erase=KEEP, fill=True, compare=True),
    F("household_relationship", api=False, transfer=False),
    F("search_key", api=False, export=False),
)
del F

BY_NAME = {f.name: f for f in FIELDS}


def typed() -> list[str]:
    """What staff type, in the form's order (form, API input, import)."""
    return [f.name for f in FIELDS if f.group]


def fieldsets() -> list[tuple[str, object, list[str]]]:
    """The form's fieldsets: (group, legend, field names), in order."""
    return [(g, legend, [f.name for f in FIELDS if f.group == g]) for g, legend in GROUPS.items()]


def api_out() -> list[str]:
    return [f.name for f in FIELDS if f.api]


def exported() -> list[str]:
    return [f.name for f in FIELDS if f.export]


def blanked() -> list[str]:
    return [f.name for f in FIELDS if f.erase == BLANK]


def fill_groups() -> list[tuple[str, ...]]:
    return [(f.name, *f.fill_with) for f in FIELDS if f.fill]


def compared() -> list[str]:
    return [f.name for f in FIELDS if f.compare]


def transferred() -> list[str]:
    """The attribute names copied on a transfer (foreign keys by their id)."""
    concrete = {f.name: f.attname for f in Person._meta.concrete_fields}
    return [concrete[f.name] for f in FIELDS if f.transfer]


def shared() -> dict[str, list[str]]:
    """Each key a referral may share with a partner, with the fields it carries."""
    keys: dict[str, list[str]] = {}
    for f in FIELDS:
        if f.share:
            keys.setdefault(f.share, []).append(f.name)
    return keys
