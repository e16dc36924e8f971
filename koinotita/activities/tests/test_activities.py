"""Group activities: recorded, attended by registered persons with consent in force and by
anonymous attendees counted by category (never a negative count), series, volunteers, the
person's timeline, the supervisor's report."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koinotita.activities import selectors, services
from koinotita.activities.models import AnonymousCount, Attendance, Kind
from koinotita.audit.models import AuditEvent
from koinotita.people.services import consent_withdraw
from koinotita.testing.clients import logged_in
from koinotita.testing.people import person_make
from koinotita.testing.users import user_with_role

TODAY = dt.date.today()


def test_attendance_and_anonymous_counts(alice, activity, person):
    services.attendance_record(actor=alice, activity=activity, persons=[person])
    services.attendance_record(actor=alice, activity=activity, persons=[person])  # once only
    assert Attendance.objects.filter(activity=activity).count() == 1
    services.anonymous_counts_set(
        actor=alice, activity=activity, counts={"women": 7, "men": "3", "roma": 4}
    )
    assert selectors.activity_anonymous(activity) == {"women": 7, "men": 3, "roma": 4}
    assert AuditEvent.objects.filter(action="activity.attendance").exists()


@pytest.mark.parametrize("bad", [-1, "x", "-5"])
def test_negative_or_non_numeric_count_is_refused_and_nothing_saved(alice, activity, bad):
    with pytest.raises(ValidationError) as error:
        services.anonymous_counts_set(
            actor=alice, activity=activity, counts={"women": 2, "men": bad}
        )
    assert "men" in error.value.message_dict
    assert not AnonymousCount.objects.filter(activity=activity).exists()


def test_unknown_category_refused(alice, activity):
    with pytest.raises(ValidationError):
        services.anonymous_counts_set(actor=alice, activity=activity, counts={"aliens": 2})


def test_attendee_without_consent_in_force_refused(alice, activity, person):
    consent = person.consents.get(purpose="registration")
    consent_withdraw(actor=alice, consent=consent, reason="Δεν θέλει")
    with pytest.raises(ValidationError, match="συγκατάθεση"):
        services.attendance_record(actor=alice, activity=activity, persons=[person])


def test_other_centres_person_cannot_attend(alice, charlie, activity, network):
    stranger = person_make(
        actor=charlie, centre=network["florina"], fields={"family_name": "Άλλη", "given_name": "Ρ"}
    )
    with pytest.raises(ValidationError):
        services.attendance_record(actor=alice, activity=activity, persons=[stranger])


def test_other_centre_cannot_record(charlie, network, site):
    with pytest.raises(PermissionDenied):
        services.activity_create(
            actor=charlie,
            centre=network["kastoria"],
            kind="workshop",
            title="x",
            date=TODAY,
            site=site,
        )


def test_activity_needs_a_site_or_place_and_a_kind_of_the_catalogue(alice, network):
    with pytest.raises(ValidationError):
        services.activity_create(
            actor=alice, centre=network["kastoria"], kind="workshop", title="x", date=TODAY
        )
    with pytest.raises(ValidationError):
        services.activity_create(
            actor=alice,
            centre=network["kastoria"],
            kind="party",
            title="x",
            date=TODAY,
            place="Πλατεία",
        )


def test_client_id_makes_creation_idempotent(alice, network):
    first = services.activity_create(
        actor=alice, centre=network["kastoria"], kind="outreach", title="Γύρος", date=TODAY,
        place="Οικισμός", client_id="dev-1",
    )  # fmt: skip
    again = services.activity_create(
        actor=alice, centre=network["kastoria"], kind="outreach", title="Γύρος", date=TODAY,
        place="Οικισμός", client_id="dev-1",
    )  # fmt: skip
    assert first.pk == again.pk


def test_series_with_attendance_per_meeting(alice, network, site):
    person = person_make(
        actor=alice, centre=network["kastoria"], fields={"family_name": "Γονέα", "given_name": "Ε"},
        consent_given_on=TODAY - dt.timedelta(days=60),
    )  # fmt: skip
    series = services.series_create(
        actor=alice, centre=network["kastoria"], title="Ομάδα γονέων", kind="group_session"
    )
    meetings = [
        services.activity_create(
            actor=alice,
            centre=network["kastoria"],
            kind="group_session",
            title=f"Συνάντηση {n}",
            date=TODAY - dt.timedelta(days=7 * n),
            site=site,
            series=series,
        )  # fmt: skip
        for n in range(3)
    ]
    services.attendance_record(actor=alice, activity=meetings[0], persons=[person])
    services.attendance_record(actor=alice, activity=meetings[2], persons=[person])
    assert [m.attendances.count() for m in series.meetings.order_by("-date")] == [1, 0, 1]


def test_volunteer_hours(alice, network, activity):
    volunteer = services.volunteer_register(
        actor=alice, centre=network["kastoria"], name="Γιώργος", skills="Μαγειρική"
    )
    services.volunteer_hours_add(actor=alice, volunteer=volunteer, activity=activity, hours="2.5")
    for bad in ("0", "-1", "abc", "30"):
        with pytest.raises(ValidationError):
            services.volunteer_hours_add(
                actor=alice, volunteer=volunteer, activity=activity, hours=bad
            )


def test_attendance_appears_on_the_persons_timeline(alice, activity, person):
    services.attendance_record(actor=alice, activity=activity, persons=[person])
    client = logged_in(alice)
    page = client.get(reverse("people-person-detail", args=[person.pk])).content.decode()
    assert reverse("activities-person", args=[person.pk]) in page
    fragment = client.get(
        reverse("activities-person", args=[person.pk]), headers={"HX-Request": "true"}
    )
    assert activity.title in fragment.content.decode()


def _report_world(alice, network, site, person):
    for n in range(6):
        activity = services.activity_create(
            actor=alice, centre=network["kastoria"], kind="awareness", title=f"Ενημέρωση {n}",
            date=TODAY, site=site,
        )  # fmt: skip
        services.attendance_record(actor=alice, activity=activity, persons=[person])
        services.anonymous_counts_set(actor=alice, activity=activity, counts={"women": 3, "men": 2})


def test_report_for_supervisor_in_twelve_queries(alice, sam, network, site, person):
    _report_world(alice, network, site, person)
    start = TODAY.replace(month=1, day=1)
    with CaptureQueriesContext(connection) as queries:
        report = selectors.activity_report_for(sam, start=start, end=TODAY, centre_code="kastoria")
    assert len(queries) <= 12
    kinds = report.tables[0]
    row = dict(kinds.rows)[str(Kind.AWARENESS.label)]
    assert row == [6, 6, 1, 30, 36]
    assert report.suppressed is False


def test_report_over_several_centres_is_suppressed(alice, network, site, person):
    _report_world(alice, network, site, person)
    head = user_with_role(
        "reg", "supervisor", "region", network["kastoria"].municipality.regional_unit.region
    )
    report = selectors.activity_report_for(head, start=TODAY.replace(month=1, day=1), end=TODAY)
    assert report.suppressed
    row = report.tables[0].shown_rows()
    persons = dict(row)[str(Kind.AWARENESS.label)][2]
    assert persons == "✱"


def test_report_page(client, alice, sam, network, site, person):
    _report_world(alice, network, site, person)
    response = logged_in(sam).get(reverse("activities-report"))
    assert response.status_code == 200
    assert logged_in(alice).get(reverse("activities-report")).status_code == 403
    assert AuditEvent.objects.filter(action="activity.report").exists()


def test_pages_work(alice, activity, person):
    client = logged_in(alice)
    assert client.get(reverse("activities-activity-list")).status_code == 200
    assert client.get(reverse("activities-activity-create")).status_code == 200
    assert client.get(reverse("activities-activity-detail", args=[activity.pk])).status_code == 200
    client.post(reverse("activities-activity-detail", args=[activity.pk]), {"person": person.pk})
    assert activity.attendances.count() == 1
    response = client.post(
        reverse("activities-activity-detail", args=[activity.pk]), {"women": "-2"}, follow=True
    )
    assert "αρνητικός" in response.content.decode()
    assert not AnonymousCount.objects.filter(activity=activity).exists()
    made = client.post(
        reverse("activities-activity-create"),
        {"kind": "community", "title": "Καθαρισμός", "date": timezone.localdate().isoformat(),
         "minutes": 90, "place": "Πάρκο"},
    )  # fmt: skip
    assert made.status_code == 302


def test_other_centre_gets_404(charlie, activity):
    client = logged_in(charlie)
    assert client.get(reverse("activities-activity-detail", args=[activity.pk])).status_code == 404


def test_reading_an_activity_is_audited(alice, activity, person):
    services.attendance_record(actor=alice, activity=activity, persons=[person])
    logged_in(alice).get(reverse("activities-activity-detail", args=[activity.pk]))
    event = AuditEvent.objects.filter(action="activity.read").latest("at")
    assert event.detail["persons"] == [person.pk]
