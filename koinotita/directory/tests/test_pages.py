"""Service and organisation pages, verification, capacity, and cooperation protocols."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from koinotita.audit.models import AuditEvent
from koinotita.directory.models import CooperationProtocol, Service
from koinotita.testing.clients import logged_in


def test_service_page_shows_details_and_own_centres_protocols(small_directory, alice):
    jobs = small_directory["jobs"]
    response = logged_in(alice).get(reverse("directory-service-detail", args=[jobs.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Συμβουλευτική απασχόλησης" in text and "ΚΠΑ2 Φλώρινας" in text
    assert "Μνημόνιο συνεργασίας για την απασχόληση" in text  # Kastoria's protocol


def test_other_centre_does_not_see_the_protocol(small_directory, charlie):
    jobs = small_directory["jobs"]
    response = logged_in(charlie).get(reverse("directory-service-detail", args=[jobs.pk]))
    assert response.status_code == 200
    assert "Μνημόνιο συνεργασίας" not in response.content.decode()
    response = logged_in(charlie).get(
        reverse("directory-organisation-detail", args=[small_directory["dypa"].pk])
    )
    assert "Μνημόνιο συνεργασίας" not in response.content.decode()


def test_unknown_service_or_organisation_is_404(small_directory, alice):
    client = logged_in(alice)
    missing = "00000000-0000-4000-8000-000000000000"
    assert client.get(reverse("directory-service-detail", args=[missing])).status_code == 404
    assert client.get(reverse("directory-organisation-detail", args=[missing])).status_code == 404


def test_organisation_page(small_directory, alice):
    response = logged_in(alice).get(
        reverse("directory-organisation-detail", args=[small_directory["social"].pk])
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Κοινωνικό Παντοπωλείο" in text and "Βοήθεια στο Σπίτι" in text


def test_supervisor_verifies_a_service_of_their_municipality(small_directory, sam):
    food = small_directory["food"]
    response = logged_in(sam).post(reverse("directory-service-verify", args=[food.pk]))
    assert response.status_code == 302
    food.refresh_from_db()
    assert food.last_verified_on is not None
    assert food.verified_by == sam and food.verified_by_name == "Sam"
    assert AuditEvent.objects.filter(action="directory.verify", object_id=str(food.pk)).exists()


def test_supervisor_cannot_verify_another_municipalitys_service(small_directory, sam):
    jobs = small_directory["jobs"]  # Florina's employment office
    response = logged_in(sam).post(reverse("directory-service-verify", args=[jobs.pk]))
    assert response.status_code == 404
    jobs.refresh_from_db()
    assert jobs.last_verified_on is None


def test_caseworker_cannot_change_the_directory(small_directory, alice, charlie):
    food = small_directory["food"]
    for user in (alice, charlie):
        client = logged_in(user)
        assert client.post(reverse("directory-service-verify", args=[food.pk])).status_code == 404
        response = client.post(
            reverse("directory-service-capacity", args=[food.pk]), {"wait_time_days": "3"}
        )
        assert response.status_code == 404
    food.refresh_from_db()
    assert food.last_verified_on is None and food.accepting_referrals is True


def test_admin_sets_capacity(small_directory, ada):
    food = small_directory["food"]
    response = logged_in(ada).post(
        reverse("directory-service-capacity", args=[food.pk]),
        {"wait_time_days": "12", "wait_time": "Λίστα αναμονής"},
    )
    assert response.status_code == 302
    food.refresh_from_db()
    assert food.accepting_referrals is False and food.wait_time_days == 12
    event = AuditEvent.objects.get(action="directory.service.capacity", object_id=str(food.pk))
    assert event.detail["after"]["accepting_referrals"] is False


def test_bad_capacity_is_refused_with_a_message(small_directory, ada):
    food = small_directory["food"]
    response = logged_in(ada).post(
        reverse("directory-service-capacity", args=[food.pk]),
        {"accepting_referrals": "on", "wait_time_days": "-4"},
        follow=True,
    )
    food.refresh_from_db()
    assert food.wait_time_days is None
    assert list(response.context["messages"])


def test_organisation_verify(small_directory, ada):
    social = small_directory["social"]
    logged_in(ada).post(reverse("directory-organisation-verify", args=[social.pk]))
    social.refresh_from_db()
    assert social.verified_by == ada


def test_protocol_list_is_scoped_to_the_centre(small_directory, alice, charlie):
    assert "Μνημόνιο" in logged_in(alice).get(reverse("directory-protocol-list")).content.decode()
    text = logged_in(charlie).get(reverse("directory-protocol-list")).content.decode()
    assert "Μνημόνιο" not in text


def test_protocol_document_other_centre_gets_404(
    small_directory, alice, charlie, settings, tmp_path
):  # noqa: E501
    settings.DOCUMENTS_DIR = tmp_path
    protocol = small_directory["protocol"]
    protocol.document.save("mnimonio.pdf", SimpleUploadedFile("mnimonio.pdf", b"%PDF-1.4 x"))
    url = reverse("directory-protocol-document", args=[protocol.pk])
    response = logged_in(alice).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert logged_in(charlie).get(url).status_code == 404


def test_supervisor_records_a_protocol(small_directory, sam, settings, tmp_path):
    settings.DOCUMENTS_DIR = tmp_path
    client = logged_in(sam)
    assert client.get(reverse("directory-protocol-create")).status_code == 200
    kastoria = sam.role_assignments.first().municipality.centres.first()
    response = client.post(
        reverse("directory-protocol-create"),
        {
            "centre": kastoria.pk,
            "organization": small_directory["social"].pk,
            "title": "Μνημόνιο για το Κοινωνικό Παντοπωλείο",
            "protocol_number": "1234/2026",
            "signed_on": "2026-03-01",
            "valid_from": "2026-03-01",
            "valid_until": "2027-02-28",
            "document": SimpleUploadedFile("m.pdf", b"%PDF-1.4 x"),
        },
    )
    assert response.status_code == 302
    protocol = CooperationProtocol.objects.get(protocol_number="1234/2026")
    assert protocol.created_by == sam and protocol.document
    assert AuditEvent.objects.filter(action="directory.protocol.create").exists()


def test_protocol_with_end_before_start_is_refused(small_directory, sam):
    kastoria = sam.role_assignments.first().municipality.centres.first()
    response = logged_in(sam).post(
        reverse("directory-protocol-create"),
        {
            "centre": kastoria.pk,
            "organization": small_directory["social"].pk,
            "title": "Λάθος",
            "signed_on": "2026-03-01",
            "valid_from": "2026-03-01",
            "valid_until": "2025-02-28",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not CooperationProtocol.objects.filter(title="Λάθος").exists()


def test_caseworker_cannot_record_a_protocol(small_directory, alice, charlie):
    assert logged_in(alice).get(reverse("directory-protocol-create")).status_code == 404
    assert logged_in(charlie).get(reverse("directory-protocol-create")).status_code == 404


def test_supervisor_cannot_record_for_another_centre(small_directory, sam, network):
    response = logged_in(sam).post(
        reverse("directory-protocol-create"),
        {
            "centre": network["florina"].pk,
            "organization": small_directory["social"].pk,
            "title": "Ξένο",
            "signed_on": "2026-03-01",
            "valid_from": "2026-03-01",
        },
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert not CooperationProtocol.objects.filter(title="Ξένο").exists()


def test_admin_screens_open_for_the_administrator(small_directory, ada, alice):
    client = logged_in(ada)
    for name in ["organization", "service", "location", "cooperationprotocol"]:
        assert client.get(reverse(f"admin:directory_{name}_changelist")).status_code == 200
    food = small_directory["food"]
    assert client.get(reverse("admin:directory_service_change", args=[food.pk])).status_code == 200
    response = logged_in(alice).get(reverse("admin:directory_service_changelist"), follow=True)
    assert response.status_code == 403


def test_admin_save_goes_through_the_service(small_directory, ada):
    food = small_directory["food"]
    client = logged_in(ada)
    url = reverse("admin:directory_service_change", args=[food.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "organization": str(food.organization_id),
            "name": "Κοινωνικό Παντοπωλείο (ανανεωμένο)",
            "status": "active",
            "needs": ["food", "income"],
            "eligibility_categories": ["poverty"],
            "accepting_referrals": "on",
        }
    )
    data.pop("is_sample", None)
    for formset in page.context["inline_admin_formsets"]:
        prefix = formset.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = str(len(formset.formset.forms))
        data[f"{prefix}-INITIAL_FORMS"] = str(formset.formset.initial_form_count())
        for i, inline in enumerate(formset.formset.forms):
            for field in inline.fields:
                value = inline.initial.get(field)
                if value is not None:
                    data[f"{prefix}-{i}-{field}"] = str(value)
            if inline.instance.pk:
                data[f"{prefix}-{i}-id"] = str(inline.instance.pk)
                data[f"{prefix}-{i}-{formset.formset.fk.name}"] = str(food.pk)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    food = Service.objects.get(pk=food.pk)
    assert food.needs == ["food", "income"] and " income " in food.needs_key
    assert "anane" in food.search_key
    assert AuditEvent.objects.filter(action="directory.service.update").exists()
