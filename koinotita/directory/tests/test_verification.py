"""Verification of the directory: the supervisors' list of services nobody has checked for
twelve months (one click "still right" / "changed"), and the partners' monthly confirmation
by a signed link without an account (the recipients come from the registered source; the
referrals app's partners are tested in referrals/tests/test_verification_mail.py)."""

import datetime

import pytest
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from koinotita.audit.models import AuditEvent
from koinotita.directory import plugins, services
from koinotita.directory.models import ChangeReport, Service, VerificationRequest
from koinotita.directory.selectors import services_to_verify, verification_due_before
from koinotita.testing.clients import logged_in
from koinotita.testing.users import user_with_role

TODAY = datetime.date(2026, 12, 7)


def _verified(service, on):
    Service.objects.filter(pk=service.pk).update(last_verified_on=on)
    service.refresh_from_db()


@pytest.fixture
def due(small_directory):
    """Kastoria's food service last verified 13 months ago, its home help never, and
    Florina's employment service 13 months ago too (outside Kastoria's supervisor)."""
    _verified(small_directory["food"], TODAY - datetime.timedelta(days=400))
    _verified(small_directory["jobs"], TODAY - datetime.timedelta(days=400))
    return small_directory


@pytest.fixture
def recipient(network):
    """A partner of the social service of Kastoria, registered as a recipient source the way
    the referrals app registers its partner memberships."""
    user = user_with_role("penny", "partner", "centre", network["kastoria"])
    user.email = "penny@example.org"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def mailing(small_directory, recipient):
    def source():
        return [(small_directory["social"].pk, recipient)]

    plugins.register_verification_recipients(source)
    yield source
    plugins._verification_recipients.remove(source)


def _link(small_directory, recipient, **fields) -> tuple[VerificationRequest, str]:
    vrequest = VerificationRequest.objects.create(
        organization=small_directory["social"],
        user=recipient,
        email=recipient.email,
        month=TODAY.replace(day=1),
        nonce=fields.pop("nonce", "n" * 40),
        expires_at=fields.pop("expires_at", timezone.now() + datetime.timedelta(days=31)),
    )
    return vrequest, services.verification_token(vrequest)


def test_twelve_months_back_also_from_29_february():
    assert verification_due_before(TODAY) == datetime.date(2025, 12, 7)
    assert verification_due_before(datetime.date(2028, 2, 29)) == datetime.date(2027, 2, 28)


def test_the_list_holds_what_is_due_in_the_supervisors_part_oldest_first(due, sam):
    found = list(services_to_verify(sam, today=TODAY))
    # Never verified first, then the oldest; Florina's service is not Kastoria's to check.
    assert [s.name for s in found] == ["Βοήθεια στο Σπίτι", "Κοινωνικό Παντοπωλείο"]
    _verified(due["elderly"], TODAY - datetime.timedelta(days=30))
    assert [s.name for s in services_to_verify(sam, today=TODAY)] == ["Κοινωνικό Παντοπωλείο"]


def test_an_administrator_sees_every_organisations_services(due, network):
    admin = user_with_role("adele", "admin", "centre", network["florina"])
    assert {s.name for s in services_to_verify(admin, today=TODAY)} == {
        "Βοήθεια στο Σπίτι",
        "Κοινωνικό Παντοπωλείο",
        "Συμβουλευτική απασχόλησης",
    }


def test_the_page_lists_them_and_is_closed_to_those_who_cannot_change_the_directory(
    due, sam, alice, rita
):
    response = logged_in(sam).get(reverse("directory-verification"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Κοινωνικό Παντοπωλείο" in text and "Βοήθεια στο Σπίτι" in text
    assert "Συμβουλευτική απασχόλησης" not in text
    assert "υπηρεσίες χωρίς επιβεβαίωση" in text
    for user in (alice, rita):
        assert logged_in(user).get(reverse("directory-verification")).status_code == 403
    # The staff directory tells the supervisor how many wait.
    search = logged_in(sam).get(reverse("directory-search")).content.decode()
    assert "υπηρεσίες προς επιβεβαίωση" in search
    assert (
        "προς επιβεβαίωση" not in logged_in(alice).get(reverse("directory-search")).content.decode()
    )


def test_still_right_verifies_it_today_audited_and_resolves_reported_changes(due, sam):
    food = due["food"]
    ChangeReport.objects.create(
        service=food, note="Νέο ωράριο", via="staff", reported_by_name="Κάποιος"
    )
    response = logged_in(sam).post(
        reverse("directory-verification-answer", args=[food.pk]), {"answer": "still_right"}
    )
    assert response.status_code == 302 and response.url == reverse("directory-verification")
    food.refresh_from_db()
    assert food.last_verified_on == timezone.localdate() and food.verified_by == sam
    assert not ChangeReport.objects.filter(service=food, resolved_at=None).exists()
    assert AuditEvent.objects.filter(
        action="directory.verify", actor=sam, object_id=str(food.pk)
    ).exists()


def test_changed_records_a_report_for_the_administrator_to_correct(due, sam):
    food = due["food"]
    response = logged_in(sam).post(
        reverse("directory-verification-answer", args=[food.pk]),
        {"answer": "changed", "note": "Μετακόμισε στην οδό Μητροπόλεως 12"},
    )
    assert response.status_code == 302
    assert response.url == reverse("directory-verification")  # a supervisor edits no record
    report = ChangeReport.objects.get(service=food)
    assert report.note == "Μετακόμισε στην οδό Μητροπόλεως 12" and report.resolved_at is None
    assert report.reported_by == sam and report.via == ChangeReport.Via.STAFF
    assert AuditEvent.objects.filter(action="directory.change_reported", actor=sam).exists()
    page = logged_in(sam).get(reverse("directory-verification")).content.decode()
    assert "Μετακόμισε στην οδό Μητροπόλεως 12" in page and "δηλώθηκε αλλαγή" in page
    assert "Διόρθωση της εγγραφής" not in page
    food.refresh_from_db()
    assert food.last_verified_on < TODAY  # a report is not a verification


def test_an_administrator_who_reports_a_change_is_taken_to_the_record(due, ada):
    food = due["food"]
    response = logged_in(ada).post(
        reverse("directory-verification-answer", args=[food.pk]),
        {"answer": "changed", "note": "Νέο τηλέφωνο"},
    )
    assert response.url == reverse("admin:directory_service_change", args=[food.pk])
    page = logged_in(ada).get(reverse("directory-verification")).content.decode()
    assert "Διόρθωση της εγγραφής" in page


def test_another_municipalitys_service_cannot_be_answered(due, sam):
    jobs = due["jobs"]
    for answer in ("still_right", "changed"):
        response = logged_in(sam).post(
            reverse("directory-verification-answer", args=[jobs.pk]), {"answer": answer}
        )
        assert response.status_code == 404
    assert not ChangeReport.objects.exists()
    jobs.refresh_from_db()
    assert jobs.verified_by is None


def test_a_too_long_note_is_refused_and_nothing_is_recorded(due, sam):
    food = due["food"]
    url = reverse("directory-verification-answer", args=[food.pk])
    long = {"answer": "changed", "note": "x" * 2001}
    response = logged_in(sam).post(url, long, follow=True)
    assert "Έως 2.000 χαρακτήρες." in response.content.decode()
    english = logged_in(sam).post(url, long, follow=True, headers={"accept-language": "en"})
    assert "At most 2.000 characters." in english.content.decode()
    assert not ChangeReport.objects.exists()


def test_the_monthly_mailing_sends_one_link_per_partner_and_month(mailing, recipient):
    report = services.verification_mail(today=TODAY)
    assert (report.sent, report.already) == (1, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["penny@example.org"]
    assert "Κοινωνική Υπηρεσία Δήμου Καστοριάς" in message.subject
    assert "Κοινωνικό Παντοπωλείο" in message.body and "Βοήθεια στο Σπίτι" in message.body
    vrequest = VerificationRequest.objects.get()
    assert services.verification_url(vrequest) in message.body
    assert AuditEvent.objects.filter(action="directory.verification_mailed").count() == 1
    # A second run the same month sends nothing; next month asks again.
    again = services.verification_mail(today=TODAY + datetime.timedelta(days=10))
    assert (again.sent, again.already) == (0, 1) and len(mail.outbox) == 1
    services.verification_mail(today=datetime.date(2027, 1, 3))
    assert len(mail.outbox) == 2


def test_the_mailing_skips_partners_without_email_and_dry_run_sends_nothing(mailing, recipient):
    dry = services.verification_mail(today=TODAY, dry_run=True)
    assert dry.sent == 1 and not mail.outbox and not VerificationRequest.objects.exists()
    recipient.email = ""
    recipient.save(update_fields=["email"])
    report = services.verification_mail(today=TODAY)
    assert (report.sent, report.without_email) == (0, 1) and not mail.outbox


def test_a_mail_that_cannot_be_handed_over_records_no_request(mailing, settings):
    settings.EMAIL_BACKEND = "koinotita.directory.tests.test_verification.FailingBackend"
    with pytest.raises(OSError):
        services.verification_mail(today=TODAY)
    assert not VerificationRequest.objects.exists()
    assert not AuditEvent.objects.filter(action="directory.verification_mailed").exists()


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("the mail server is down")


def test_the_command_reports_what_it_sent(mailing, capsys):
    call_command("directory", "verification-mail")
    out = capsys.readouterr().out
    assert "Verification e-mails sent: 1" in out
    call_command("directory", "verification-mail", "--dry-run")
    assert "would be sent: 0; asked this month already: 1" in capsys.readouterr().out


def test_the_partner_confirms_a_service_by_the_link_without_logging_in(
    client, small_directory, recipient
):
    vrequest, token = _link(small_directory, recipient)
    url = reverse("directory-verification-link", args=[token])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Κοινωνικό Παντοπωλείο" in text and "Βοήθεια στο Σπίτι" in text
    assert "Συμβουλευτική απασχόλησης" not in text  # another organisation's
    food = small_directory["food"]
    response = client.post(url, {"service": str(food.pk), "answer": "still_right"})
    assert response.status_code == 302
    food.refresh_from_db()
    assert food.last_verified_on == timezone.localdate()
    assert food.verified_by == recipient and food.verified_by_name == "Penny"
    vrequest.refresh_from_db()
    assert vrequest.answered_at is not None
    assert AuditEvent.objects.filter(
        action="directory.verify", actor=recipient, object_id=str(food.pk)
    ).exists()


def test_the_partner_reports_a_change_which_the_supervisor_then_sees(
    client, small_directory, recipient, sam
):
    _, token = _link(small_directory, recipient)
    url = reverse("directory-verification-link", args=[token])
    elderly = small_directory["elderly"]
    empty = client.post(url, {"service": str(elderly.pk), "answer": "changed", "note": " "})
    assert empty.status_code == 422
    assert "Γράψτε τι άλλαξε" in empty.content.decode()
    assert not ChangeReport.objects.exists()
    client.post(url, {"service": str(elderly.pk), "answer": "changed", "note": "Και Σάββατο"})
    report = ChangeReport.objects.get()
    assert report.via == ChangeReport.Via.PARTNER_LINK and report.reported_by == recipient
    assert "Και Σάββατο" in logged_in(sam).get(reverse("directory-verification")).content.decode()


def test_the_link_cannot_answer_for_another_organisations_service(
    client, small_directory, recipient
):
    _, token = _link(small_directory, recipient)
    jobs = small_directory["jobs"]
    url = reverse("directory-verification-link", args=[token])
    response = client.post(url, {"service": str(jobs.pk), "answer": "still_right"})
    assert response.status_code == 422
    bad = client.post(url, {"service": "not-a-uuid", "answer": "still_right"})
    assert bad.status_code == 422
    jobs.refresh_from_db()
    assert jobs.verified_by is None


@pytest.mark.parametrize("spoil", ["tampered", "expired", "nonce", "inactive"])
def test_a_bad_link_is_refused_and_audited(client, small_directory, recipient, spoil):
    fields = {}
    if spoil == "expired":
        fields["expires_at"] = timezone.now() - datetime.timedelta(minutes=1)
    vrequest, token = _link(small_directory, recipient, **fields)
    if spoil == "tampered":
        token += "x"
    elif spoil == "nonce":
        token = signing.dumps({"v": vrequest.pk, "n": "guess"}, salt=services.VERIFICATION_SALT)
    elif spoil == "inactive":
        recipient.is_active = False
        recipient.save(update_fields=["is_active"])
    food = small_directory["food"]
    url = reverse("directory-verification-link", args=[token])
    assert client.get(url).status_code == 403
    assert client.post(url, {"service": str(food.pk), "answer": "still_right"}).status_code == 403
    assert AuditEvent.objects.filter(action="directory.verification_refused").count() == 2
    food.refresh_from_db()
    assert food.verified_by is None
