"""The catalogue: the reference entries, edits versioned (who changed what, when) through
the service and through the admin screens."""

import pytest

from koinotita.audit.models import AuditEvent
from koinotita.programmes.models import Programme, ProgrammeVersion
from koinotita.programmes.reference import CATALOGUE, programmes_load_reference
from koinotita.programmes.rules import RULES
from koinotita.programmes.services import programme_save, programme_snapshot

pytestmark = pytest.mark.django_db


def test_the_reference_catalogue_is_loaded_once_with_a_rule_for_each(catalogue):
    assert set(catalogue) == {entry["code"] for entry in CATALOGUE}
    assert set(catalogue) <= set(RULES)
    assert programmes_load_reference() == 0  # idempotent
    minimum = catalogue["minimum-income"]
    assert minimum.version == 1
    assert "iban" in {d.code for d in minimum.documents.all()}
    assert minimum.apply_channels == ["platform", "centre", "municipality"]


def test_a_change_writes_a_version_with_who_and_what(catalogue, ada):
    programme = Programme.objects.get(code="child-benefit")
    programme.gives_en = "A monthly benefit per child."
    documents = programme_snapshot(programme)["documents"][:1]
    programme_save(programme=programme, actor=ada, documents=documents)
    version = ProgrammeVersion.objects.get(programme=programme, version=2)
    assert version.changed_by == ada
    assert set(version.changes) == {"gives_en", "documents"}
    assert version.changes["gives_en"][1] == "A monthly benefit per child."
    assert programme.documents.count() == 1
    assert AuditEvent.objects.filter(action="programme.saved", actor=ada).count() == 1


def test_saving_without_a_change_writes_no_version(catalogue, ada):
    programme = Programme.objects.get(code="child-benefit")
    programme_save(programme=programme, actor=ada)
    assert programme.versions.count() == 1


def test_a_caseworker_cannot_edit_the_catalogue(catalogue, alice):
    from django.core.exceptions import PermissionDenied

    programme = Programme.objects.get(code="child-benefit")
    programme.name = "Άλλο"
    with pytest.raises(PermissionDenied):
        programme_save(programme=programme, actor=alice)


def test_the_admin_screen_saves_a_version(catalogue, ada, client_for):
    programme = Programme.objects.get(code="food-aid")
    client = client_for(ada)
    page = client.get(f"/admin/programmes/programme/{programme.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "apply_channels": programme.apply_channels,
            "name_en": "Food aid (ΤΕΒΑ)",
            "documents-TOTAL_FORMS": "1",
            "documents-INITIAL_FORMS": "1",
            "documents-0-id": str(programme.documents.get().pk),
            "documents-0-programme": str(programme.pk),
            "documents-0-code": "approval",
            "documents-0-name": "Απόφαση έγκρισης ΕΕΕ",
            "documents-0-name_en": "Minimum income approval",
            "documents-0-order": "0",
            "versions-TOTAL_FORMS": "1",
            "versions-INITIAL_FORMS": "1",
            "versions-0-id": str(programme.versions.get().pk),
            "versions-0-programme": str(programme.pk),
        }
    )
    response = client.post(f"/admin/programmes/programme/{programme.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    programme.refresh_from_db()
    assert programme.name_en == "Food aid (ΤΕΒΑ)"
    assert programme.version == 2
    assert list(programme.versions.get(version=2).changes) == ["name_en"]


def test_the_admin_parameter_form_refuses_an_overlap(catalogue, ada, client_for):
    programme = Programme.objects.get(code="minimum-income")
    response = client_for(ada).post(
        "/admin/programmes/parameter/add/",
        {
            "programme": programme.pk,
            "key": "ceiling",
            "value": "1000",
            "unit": "eur_month",
            "valid_from": "2024-01-01",
            "legal_source": "ΦΕΚ",
        },
    )
    assert response.status_code == 200
    assert "επικαλύπτεται" in response.content.decode()
