"""The referral pages over HTTP: the centre's side, the partner's inbox, scoping."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from koinotita.audit.models import AuditEvent
from koinotita.referrals.models import Referral, State, Via
from koinotita.referrals.services import referral_create, referral_send, referral_step
from koinotita.testing.queries import at_most


def test_person_page_shows_the_referrals_and_the_way_to_refer(alice, client_for, sent, person):
    response = client_for(alice).get(reverse("people-person-detail", args=[person.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert reverse("referrals-referral-new", args=[person.pk]) in body
    fragment_url = reverse("referrals-person", args=[person.pk])
    assert f'hx-get="{fragment_url}"' in body  # loaded in a second request
    fragment = client_for(alice).get(fragment_url, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()
    assert reverse("referrals-referral-detail", args=[sent.pk]) in fragment.content.decode()
    page = client_for(alice).get(fragment_url).content.decode()  # without JavaScript
    assert "<html" in page and reverse("referrals-referral-detail", args=[sent.pk]) in page


def test_reception_sees_no_referrals_on_the_person_page(rita, client_for, sent, person):
    body = client_for(rita).get(reverse("people-person-detail", args=[person.pk])).content
    assert b"referrals-heading" not in body
    assert client_for(rita).get(reverse("referrals-person", args=[person.pk])).status_code == 404


def test_caseworker_refers_from_the_person_page_and_sends(alice, client_for, person, service,
                                                          consent):  # fmt: skip
    client = client_for(alice)
    url = reverse("referrals-referral-new", args=[person.pk])
    assert client.get(url).status_code == 200
    due = (timezone.localdate() + timedelta(days=7)).isoformat()
    response = client.post(
        url,
        {
            "service": str(service.pk),
            "reason": "Ανάγκη για στήριξη.",
            "urgency": "routine",
            "shared_fields": ["name", "amka"],
            "response_due": due,
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals-referral-detail", args=[referral.pk])
    assert referral.shared_fields == ["name", "amka"]
    response = client.post(reverse("referrals-referral-send", args=[referral.pk]), follow=True)
    referral.refresh_from_db()
    assert referral.state == State.SENT
    assert referral.protocol_number in response.content.decode()


def test_the_form_reports_bad_input_and_saves_nothing(alice, client_for, person, service):
    response = client_for(alice).post(
        reverse("referrals-referral-new", args=[person.pk]),
        {"service": str(service.pk), "reason": "", "urgency": "soon", "shared_fields": ["x"]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"reason", "urgency", "shared_fields"}
    assert not Referral.objects.exists()


def test_sending_without_consent_shows_a_clear_message(alice, client_for, draft):
    response = client_for(alice).post(
        reverse("referrals-referral-send", args=[draft.pk]), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "has not consented" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_a_step_not_allowed_shows_a_message_and_changes_nothing(alice, client_for, sent):
    response = client_for(alice).post(
        reverse("referrals-referral-step", args=[sent.pk]),
        {"to_state": "completed", "outcome": "x"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "cannot become" in response.content.decode()
    sent.refresh_from_db()
    assert sent.state == State.SENT


def test_the_centre_enters_the_outcome_itself(bob, client_for, sent):
    client = client_for(bob)  # a colleague of the same centre
    client.post(reverse("referrals-referral-step", args=[sent.pk]), {"to_state": "accepted"})
    client.post(
        reverse("referrals-referral-step", args=[sent.pk]),
        {"to_state": "not_completed", "outcome": "Δεν προσήλθε."},
    )
    sent.refresh_from_db()
    assert sent.state == State.NOT_COMPLETED and sent.outcome == "Δεν προσήλθε."
    page = client.get(reverse("referrals-referral-detail", args=[sent.pk])).content.decode()
    assert "Δεν προσήλθε." in page


def test_incoming_referral_form(alice, client_for, person):
    response = client_for(alice).post(
        reverse("referrals-referral-incoming", args=[person.pk]),
        {
            "from_body": "Κέντρο Υγείας Καστοριάς",
            "reason": "Στήριξη",
            "urgency": "routine",
            "received_on": timezone.localdate().isoformat(),
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and referral.direction == "incoming"
    assert referral.state == State.RECEIVED


def _centre_urls(referral, person):
    return [
        ("get", reverse("referrals-referral-detail", args=[referral.pk])),
        ("post", reverse("referrals-referral-send", args=[referral.pk])),
        ("post", reverse("referrals-referral-step", args=[referral.pk])),
        ("get", reverse("referrals-referral-letter", args=[referral.pk])),
        ("post", reverse("referrals-attachment-upload", args=[referral.pk])),
        ("get", reverse("referrals-attachment-download", args=[referral.pk, 1])),
        ("post", reverse("referrals-link-create", args=[referral.pk])),
        ("post", reverse("referrals-link-revoke", args=[referral.pk, 1])),
        ("get", reverse("referrals-referral-new", args=[person.pk])),
        ("get", reverse("referrals-referral-incoming", args=[person.pk])),
        ("get", reverse("referrals-person", args=[person.pk])),
        ("get", reverse("referrals-inbox-detail", args=[referral.pk])),
        ("post", reverse("referrals-inbox-step", args=[referral.pk])),
    ]


def test_other_centre_gets_404_for_every_referral_url(charlie, client_for, sent, person):
    client = client_for(charlie)
    for method, url in _centre_urls(sent, person):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)
    listing = client.get(reverse("referrals-referral-list"))
    assert listing.status_code == 200 and sent.protocol_number not in listing.content.decode()
    sent.refresh_from_db()
    assert sent.state == State.SENT


def test_pages_without_a_role_are_refused(nobody, rita, mona, client_for, sent):
    for user in (nobody, rita, mona):
        client = client_for(user)
        assert client.get(reverse("referrals-referral-list")).status_code == 403
        assert client.get(reverse("referrals-inbox")).status_code == 403
        assert client.get(reverse("referrals-referral-detail", args=[sent.pk])).status_code == 404


def test_list_and_filters(alice, client_for, sent, draft):
    client = client_for(alice)
    page = client.get(reverse("referrals-referral-list")).content.decode()
    assert sent.protocol_number in page
    filtered = client.get(reverse("referrals-referral-list"), {"state": "accepted"})
    assert sent.protocol_number not in filtered.content.decode()
    assert AuditEvent.objects.filter(action="referral.list_viewed").exists()


def test_list_pages_stay_within_the_query_budget(alice, sam, client_for, person, service,
                                                 consent, other_service):  # fmt: skip
    """The referral list pages (the centre's list with its filters, the
    person's referrals, the case's) run at most 12 statements, however many rows."""
    from koinotita.cases.services import case_open

    case = case_open(actor=alice, person=person, reason="Στήριξη.")
    for i in range(30):
        r = referral_create(
            actor=alice,
            person=person,
            service=service if i % 3 else other_service,
            reason=f"λόγος {i}",
            shared_fields=["name"],
            case=case if i % 4 == 0 else None,
        )
        if i % 2 and i % 3:  # sent: those to the service the person consented to
            referral_send(actor=alice, referral=r)
    client = client_for(alice)
    client.get("/")  # the session and the audit chain exist, as on a live system
    for params in ({}, {"state": "sent"}, {"overdue": "1"}, {"direction": "outgoing"}):
        with at_most(12):
            assert client.get(reverse("referrals-referral-list"), params).status_code == 200
    with at_most(12):
        assert client.get(reverse("referrals-person", args=[person.pk])).status_code == 200
    with at_most(12):
        fragment = client.get(reverse("referrals-person", args=[person.pk]), HTTP_HX_REQUEST="1")
        assert fragment.status_code == 200
    supervisor = client_for(sam)
    supervisor.get("/")
    with at_most(12):
        assert supervisor.get(reverse("referrals-figures")).status_code == 200


def test_inbox_stays_within_the_query_budget(alice, pat_member, client_for, person, service,
                                             consent):  # fmt: skip
    for i in range(20):
        r = referral_create(
            actor=alice, person=person, service=service, reason=f"λόγος {i}", shared_fields=["name"]
        )
        referral_send(actor=alice, referral=r)
    client = client_for(pat_member)
    client.get("/")
    with at_most(12):
        assert client.get(reverse("referrals-inbox")).status_code == 200


# --- the partner ---------------------------------------------------------------------------


def test_partner_inbox_shows_only_the_shared_fields(pat_member, client_for, sent, person):
    client = client_for(pat_member)
    inbox = client.get(reverse("referrals-inbox")).content.decode()
    assert sent.protocol_number in inbox and "Ζήση Μαρία" in inbox
    page = client.get(reverse("referrals-inbox-detail", args=[sent.pk])).content.decode()
    assert "Ζήση Μαρία" in page and person.phone in page  # shared: name and phone
    for unshared in (person.amka, person.email, person.address, "14/03/1980"):
        assert unshared not in page and unshared not in inbox
    assert AuditEvent.objects.filter(action="referral.read_by_partner").exists()


def test_partner_answers_from_the_inbox(pat_member, client_for, sent):
    client = client_for(pat_member)
    step = reverse("referrals-inbox-step", args=[sent.pk])
    client.post(step, {"to_state": "accepted", "note": "Ραντεβού την Τρίτη."})
    client.post(step, {"to_state": "completed", "outcome": "Ολοκληρώθηκε."})
    sent.refresh_from_db()
    assert sent.state == State.COMPLETED
    assert sent.events.filter(via=Via.PARTNER).count() == 2


def test_partner_cannot_withdraw(pat_member, client_for, sent):
    client_for(pat_member).post(
        reverse("referrals-inbox-step", args=[sent.pk]), {"to_state": "withdrawn"}
    )
    sent.refresh_from_db()
    assert sent.state == State.SENT


def test_partner_cannot_see_a_referral_to_another_organisation(
    pat_member, client_for, alice, person, other_service
):
    from datetime import date

    from koinotita.people.services import consent_record

    consent_record(
        actor=alice, person=person, purpose="referral", partner="ΔΥΠΑ Καστοριάς",
        given_on=date.today(),
    )  # fmt: skip
    elsewhere = referral_create(
        actor=alice, person=person, service=other_service, reason="Εργασία", shared_fields=["name"]
    )
    referral_send(actor=alice, referral=elsewhere)
    client = client_for(pat_member)
    assert elsewhere.protocol_number not in client.get(reverse("referrals-inbox")).content.decode()
    assert client.get(reverse("referrals-inbox-detail", args=[elsewhere.pk])).status_code == 404
    response = client.post(
        reverse("referrals-inbox-step", args=[elsewhere.pk]), {"to_state": "accepted"}
    )
    assert response.status_code == 404
    assert client.get(reverse("referrals-referral-detail", args=[elsewhere.pk])).status_code == 404


def test_partner_never_sees_drafts(pat_member, client_for, draft):
    client = client_for(pat_member)
    assert client.get(reverse("referrals-inbox-detail", args=[draft.pk])).status_code == 404


def test_partner_without_membership_has_no_inbox(pat, client_for, sent):
    assert client_for(pat).get(reverse("referrals-inbox")).status_code == 403


def test_partner_sees_the_home_entry(pat_member, client_for):
    page = client_for(pat_member).get("/").content.decode()
    assert reverse("referrals-inbox") in page


# --- follow-up -----------------------------------------------------------------------------


def test_overdue_referrals_appear_on_the_caseworkers_and_supervisors_home(
    alice, bob, sam, client_for, sent, settings
):
    Referral.objects.filter(pk=sent.pk).update(
        response_due=timezone.localdate() - timedelta(days=1)
    )
    for user in (alice, sam):
        page = client_for(user).get("/").content.decode()
        assert "overdue-referrals" in page and sent.protocol_number in page, user
    # bob did not make it and does not supervise: not on his home
    assert sent.protocol_number not in client_for(bob).get("/").content.decode()


def test_accepted_but_not_completed_after_n_days_is_overdue(alice, sent, settings):
    from koinotita.referrals.selectors import referral_overdue_for

    settings.REFERRALS_COMPLETION_DAYS = 5
    referral_step(actor=alice, referral=sent, to_state=State.ACCEPTED)
    assert not referral_overdue_for(alice).exists()
    later = timezone.now() + timedelta(days=6)
    assert list(referral_overdue_for(alice, now=later)) == [sent]


def test_overdue_selector_is_scoped(charlie, sent):
    from koinotita.referrals.selectors import referral_overdue_for

    Referral.objects.filter(pk=sent.pk).update(
        response_due=timezone.localdate() - timedelta(days=1)
    )
    assert not referral_overdue_for(charlie).exists()


# --- figures -------------------------------------------------------------------------------


@pytest.fixture
def answered(sent, pat_member):
    referral_step(actor=pat_member, referral=sent, to_state=State.ACCEPTED, via=Via.PARTNER)
    referral_step(
        actor=pat_member, referral=sent, to_state=State.COMPLETED, outcome="ok", via=Via.PARTNER
    )
    return sent


def test_figures_for_the_supervisor(sam, client_for, answered, service):
    client = client_for(sam)
    page = client.get(reverse("referrals-figures"))
    assert page.status_code == 200
    row = page.context["rows"][0]
    assert (row.sent, row.answered, row.accepted, row.completed) == (1, 1, 1, 1)
    assert row.median_response_days is not None
    by_service = client.get(reverse("referrals-figures"), {"by": "service"})
    assert service.name in by_service.content.decode()
    assert "Ζήση" not in by_service.content.decode()  # aggregates never show a person


def test_figures_export_csv_for_greek_excel_and_xlsx(sam, client_for, answered, org):
    from openpyxl import load_workbook

    client = client_for(sam)
    response = client.get(reverse("referrals-figures-export", args=["csv"]))
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0] == org.name and rows[1][1:5] == ["1", "1", "1", "1"]
    response = client.get(reverse("referrals-figures-export", args=["xlsx"]), {"by": "service"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(2, 1).value == org.name and sheet.cell(2, 3).value == 1
    assert client.get(reverse("referrals-figures-export", args=["pdf"])).status_code == 404


def test_figures_are_for_supervisors_only_and_other_centres_count_nothing(
    alice, charlie, client_for, answered
):
    assert client_for(alice).get(reverse("referrals-figures")).status_code == 403
    assert client_for(charlie).get(reverse("referrals-figures")).status_code == 403


def test_an_administrator_links_a_partner_user_to_an_organisation(ada, client_for, pat, org):
    from koinotita.referrals.models import PartnerMembership

    client = client_for(ada)
    assert client.get("/admin/referrals/partnermembership/").status_code == 200
    response = client.post(
        "/admin/referrals/partnermembership/add/",
        {
            "user": pat.pk,
            "organization": str(org.pk),
            "centre": pat.role_assignments.get().centre_id,
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PartnerMembership.objects.filter(user=pat, organization=org).exists()


def test_messages_are_greek_first(alice, client_for, draft):
    response = client_for(alice).post(
        reverse("referrals-referral-send", args=[draft.pk]), follow=True
    )
    body = response.content.decode()
    assert 'lang="el"' in body
    assert "δεν έχει δώσει συγκατάθεση" in body and "Κέντρο Ψυχικής Υγείας Καστοριάς" in body


def test_two_partners_answer_at_once_the_second_is_told(pat_member, client_for, sent, org):
    from koinotita.accounts.services import role_grant
    from koinotita.referrals.models import PartnerMembership
    from koinotita.testing.users import user_with_role

    colleague = user_with_role("paula")
    role_grant(user=colleague, role="partner", level="centre", place=sent.centre)
    PartnerMembership.objects.create(user=colleague, organization=org, centre=sent.centre)
    step = reverse("referrals-inbox-step", args=[sent.pk])
    both_saw = {"seen_state": "sent"}
    client_for(pat_member).post(step, {"to_state": "accepted", **both_saw})
    told = client_for(colleague).post(
        step, {"to_state": "declined", "reason": "Καμία θέση.", **both_saw},
        follow=True, HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert "Someone else answered this referral first" in told.content.decode()
    sent.refresh_from_db()
    assert sent.state == State.ACCEPTED and sent.decline_reason == ""
