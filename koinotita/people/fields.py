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
  several fields under one key (the address with its postal code and municipality);
- `column` — its column in the person import: (English header, Greek header, other
  headers accepted); a text field needs nothing more to be imported.

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
    column: tuple[str, str, tuple[str, ...]] | None = None


# fmt: off
F = PersonField
FIELDS: tuple[PersonField, ...] = (
    F("family_name", NAMES, erase=SPECIAL, compare=True, share="name",
      column=("family_name", "Επώνυμο", ("surname", "last name"))),
    F("given_name", NAMES, erase=SPECIAL, compare=True, share="name",
      column=("given_name", "Όνομα", ("first name", "name"))),
    F("father_name", NAMES, fill=True, compare=True, share="father_name",
      column=("father_name", "Πατρώνυμο", ("Όνομα πατέρα", "father's name"))),
    F("mother_name", NAMES, fill=True, compare=True,
      column=("mother_name", "Μητρώνυμο", ("Όνομα μητέρας", "mother's name"))),
    F("family_name_latin", NAMES, compare=True,
      column=("family_name_latin", "Επώνυμο (λατινικά)", ())),
    F("given_name_latin", NAMES, compare=True,
      column=("given_name_latin", "Όνομα (λατινικά)", ())),
    F("sex", IDENTITY, erase=KEEP, fill=True, compare=True, share="sex",
      column=("sex", "Φύλο", ("gender",))),
    F("birth_date", IDENTITY, erase=SPECIAL, fill=True, compare=True, share="birth_date",
      column=("birth_date", "Ημερομηνία γέννησης", ("date of birth", "Γέννηση"))),
    F("citizenship", IDENTITY, erase=KEEP, fill=True, compare=True,
      column=("citizenship", "Υπηκοότητα", ("Ιθαγένεια", "nationality"))),
    F("amka", IDENTITY, fill=True, compare=True, share="amka", column=("amka", "ΑΜΚΑ", ())),
    F("afm", IDENTITY, fill=True, fill_with=("afm_override_reason",), compare=True, share="afm",
      column=("afm", "ΑΦΜ", ("tax number",))),
    F("afm_override_reason", IDENTITY, api=False, transfer=False),
    F("id_document_type", IDENTITY, column=("id_document_type", "Τύπος εγγράφου", ())),
    F(
        "id_document_number",
        IDENTITY,
        fill=True,
        fill_with=("id_document_type", "id_document_unverified"),
        compare=True,
        column=("id_card", "ΑΔΤ", ("Αριθμός ταυτότητας", "id number")),
    ),
    F("id_document_unverified", api=False, erase=SPECIAL),
    F("phone", CONTACT, fill=True, fill_with=("phone_digits",), compare=True, share="phone",
      column=("phone", "Τηλέφωνο", ("Κινητό", "mobile"))),
    F("phone_digits", api=False, export=False),
    F("email", CONTACT, fill=True, compare=True, share="email",
      column=("email", "Email", ("e-mail",))),
    F("address", CONTACT, fill=True, fill_with=("postal_code",), compare=True, share="address",
      column=("address", "Διεύθυνση", ())),
    F("postal_code", CONTACT, compare=True, share="address",
      column=("postal_code", "ΤΚ", ("Ταχυδρομικός κώδικας", "postcode"))),
    F(
        "residence_municipality",
        CONTACT,
        export=False,
        erase=KEEP,
        fill=True,
        compare=True,
        share="address",
        column=("municipality", "Δήμος κατοικίας", ("Δήμος",)),
    ),
    F("preferred_language", CONTACT, erase=SPECIAL, compare=True, share="preferred_language"),
    F("categories", CATEGORIES, erase=KEEP, fill=True, compare=True),
    F("household_relationship", api=False, transfer=False),
    F("search_key", api=False, export=False),
)
del F
# fmt: on

BY_NAME = {f.name: f for f in FIELDS}


def import_columns() -> list[tuple[str, str, str, tuple[str, ...]]]:
    """The person import's columns: (English header, Greek header, field, other headers)."""
    return [(f.column[0], f.column[1], f.name, f.column[2]) for f in FIELDS if f.column]


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
