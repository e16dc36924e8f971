"""people/fields.py is the one list of a person's fields: every door derives from it."""

from koinotita.people import fields
from koinotita.people.api import PersonIn, PersonOut
from koinotita.people.forms import PersonForm
from koinotita.people.imports import COLUMNS
from koinotita.people.models import Person
from koinotita.people.privacy import BLANKED, PERSON_FIELDS


def test_every_concrete_person_field_is_declared_once():
    declared = [f.name for f in fields.FIELDS]
    assert len(declared) == len(set(declared))
    system = {"id", "centre", "household", "registered_by", "registered_at", "updated_at"}
    system |= {"merged_into", "anonymised_at"}
    concrete = {f.name for f in Person._meta.concrete_fields} - system
    assert concrete == set(declared)


def test_the_form_the_api_the_import_and_the_export_follow_the_declaration():
    typed = set(fields.typed())
    assert set(PersonForm().fields) - {"categories", "confirm", "registration_consent"} <= typed
    assert set(PersonIn.model_fields) - {"centre", "confirm", "consent_given_on"} == typed
    assert set(PersonOut.model_fields) - {"id", "centre"} == set(fields.api_out())
    assert {c.field for c in COLUMNS if c.field in fields.BY_NAME} == {
        f.name for f in fields.FIELDS if f.column
    }
    assert list(PERSON_FIELDS) == fields.exported()
    assert set(BLANKED) == set(fields.blanked())


def test_a_typed_text_field_is_in_the_api_and_the_import_without_another_line(monkeypatch):
    """What adding a field costs: the declaration carries it to every door (the model and
    its migration aside)."""
    extra = fields.PersonField(
        "nickname", fields.NAMES, column=("nickname", "Παρατσούκλι", ("alias",))
    )
    monkeypatch.setattr(fields, "FIELDS", (*fields.FIELDS, extra))
    assert "nickname" in fields.typed() and "nickname" in fields.api_out()
    assert ("nickname", "Παρατσούκλι", "nickname", ("alias",)) in fields.import_columns()
    assert "nickname" in fields.exported() and "nickname" in fields.blanked()
