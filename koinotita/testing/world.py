"""Two centres full of records, built through the services: the world of the leak matrix and
of the audit-completeness walk (koinotita/testing/routes.py says which route reads what).

`build_world()` loads the reference network and gives:
- `home`: Kastoria, with one user per role of the cast (reception, caseworker, mediator,
  supervisor, partner, monitor, admin) and one record of every kind about its person;
- `away`: Florina, another centre of the same region, with the same records, none of which a
  user of Kastoria may read. Its person's names, phone and AMKA are markers that must never
  appear in an answer to a user of Kastoria.
- `near`: a person of Kastoria NOT assigned to Kastoria's mediator (who is assigned the home
  person), with a record of every kind the mediator's routes reach: its markers must never
  appear in an answer to the mediator.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from koinotita.accounts.models import User
from koinotita.accounts.services import api_token_create, role_grant
from koinotita.activities import services as activities
from koinotita.cases import services as cases
from koinotita.cases.models import Case, Note
from koinotita.directory.models import (
    CooperationProtocol,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceCapacity,
    Unit,
)
from koinotita.funding import services as funding
from koinotita.funding.models import ImplementationMode, SourceKind
from koinotita.monitoring import services as monitoring
from koinotita.monitoring.indicators import DEFAULT_SET
from koinotita.monitoring.models import Submission
from koinotita.organisations.models import Centre, Municipality, Region, Site
from koinotita.organisations.services import network_load_reference
from koinotita.people import imports as people_imports
from koinotita.people import merge as people_merge
from koinotita.people.models import Consent, Person
from koinotita.people.services import assignment_create, consent_record, person_register
from koinotita.programmes import services as programmes
from koinotita.programmes.models import Programme
from koinotita.programmes.reference import programmes_load_reference
from koinotita.programmes.selectors import facts_from_records
from koinotita.reception import services as reception
from koinotita.referrals import services as referrals
from koinotita.testing.identifiers import make_amka

PASSWORD = "correct-horse-battery"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = dt.date.today()

# The roles of the cast, as the matrix tries them (a user with no role last).
ROLES = ("reception", "caseworker", "mediator", "supervisor", "partner", "monitor", "admin")


@dataclass
class Records:
    """One centre and one record of every kind about its person."""

    centre: Centre
    site: Site
    staff: User  # the caseworker who made the records
    supervisor: User
    person: Person
    other: Person  # a second active person (the merge candidate)
    merged: Person  # a record merged into `person` (the merge that can be undone)
    merge: object
    consent: Consent
    appointment: object
    case: Case
    goal: object
    action: object
    note: Note
    case_attachment: object
    task: object
    closure: object
    transfer: object
    referral: object
    referral_attachment: object
    link: object
    link_token: str
    participation: object
    operation: object
    expenditure: object
    submission: Submission
    protocol: CooperationProtocol
    organization: Organization
    service: Service
    import_token: str
    foreign_document: int = 0  # the other centre's referral document (for the signed link)
    markers: tuple[str, ...] = ()
    service_at_location: object = None
    capacity: object = None
    programme: object = None
    prescreening: object = None
    application: object = None
    appointment_request: object = None

    mediator: User | None = None
    assignment: object = None  # `person` assigned to `mediator` by the supervisor
    activity: object = None  # attended by `person`, with anonymous attendees
    distribution: object = None  # `person`'s household received from it


@dataclass
class World:
    home: Records
    away: Records
    near: SimpleNamespace | None = None
    users: dict[str, User] = field(default_factory=dict)  # role → user of the home centre
    tokens: dict[str, str] = field(default_factory=dict)  # role → API token


def _user(username: str, role: str | None = None, level: str = "centre", place=None) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, first_name=username.title()
    )
    if role:
        role_grant(user=user, role=role, level=level, place=place)
    return user


def _records(centre: Centre, prefix: str, *, transfer_to: Centre) -> Records:
    staff = _user(f"{prefix}-worker", "caseworker", "centre", centre)
    supervisor = _user(f"{prefix}-head", "supervisor", "centre", centre)
    site = Site.objects.filter(centre=centre).order_by("pk").first()
    organization = Organization.objects.create(
        name=f"Οργανισμός {prefix}", description="Δημόσια δομή.", email=f"{prefix}@example.org"
    )
    service = Service.objects.create(organization=organization, name=f"Υπηρεσία {prefix}")
    greek = {"home": "Εντόπιου", "away": "Ξενόφερτου"}[prefix]
    family, given = f"Μαρκαδόρου-{greek}", "Ελπίδα"
    phone = "6971234501" if prefix == "home" else "6979876502"
    amka = make_amka(dt.date(1981, 5, 17), "F", serial=3 if prefix == "away" else 2)

    def register(family_name, given_name, **fields):
        person = person_register(
            actor=staff,
            centre=centre,
            fields={"family_name": family_name, "given_name": given_name, "sex": "F", **fields},
            consent_given_on=TODAY,
            confirm=True,
        )
        return person

    person = register(family, given, birth_date=dt.date(1981, 5, 17), amka=amka, phone=phone)
    other = register(f"Άλλη-{greek}", "Ρένα")
    merged = register(f"Διπλή-{greek}", "Ελπίδα")
    merge = people_merge.person_merge(actor=supervisor, kept=person, duplicate=merged)
    consent = consent_record(
        actor=staff,
        person=person,
        purpose="referral",
        partner=organization.name,
        given_on=TODAY,
    )
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=1)
    appointment = reception.appointment_book(
        actor=staff, person=person, staff=staff, site=site, starts_at=start, duration=30
    )
    reception.contact_log(
        actor=staff, site=site, persons=[person], at=timezone.now(), channel="in_person"
    )
    case = cases.case_open(actor=staff, person=person, reason="Στέγαση", opened_on=TODAY)
    goal = cases.goal_add(
        actor=staff, case=case, plan_version=case.plan_version, domain="housing", title="Σπίτι"
    )
    case.refresh_from_db()
    action = cases.action_add(actor=staff, goal=goal, plan_version=case.plan_version, text="α")
    note = cases.note_add(actor=staff, case=case, text=f"Σημείωμα {prefix}", level="restricted")
    case_attachment = cases.attachment_add(
        actor=staff, case=case, title="Βεβαίωση", upload=SimpleUploadedFile("b.pdf", PDF)
    )
    task = cases.task_create(actor=staff, case=case, title="Κλήση", assignee=staff, due_on=TODAY)
    closing = cases.case_open(actor=staff, person=other, reason="Επίδομα", opened_on=TODAY)
    closure = cases.closure_request(actor=staff, case=closing, reason="goals_achieved")
    moving = cases.case_open(actor=staff, person=merged, reason="Μετακόμιση", opened_on=TODAY)
    transfer = cases.transfer_request(
        actor=staff, case=moving, to_centre=transfer_to, consent_given_on=TODAY, reason="Μετακόμισε"
    )
    referral = referrals.referral_create(
        actor=staff,
        person=person,
        service=service,
        reason="Υποστήριξη",
        shared_fields=["name", "phone", "attachments"],
        response_due=TODAY + dt.timedelta(days=10),
        case=case,
    )
    referral_attachment = referrals.attachment_add(
        actor=staff, referral=referral, upload=SimpleUploadedFile("r.pdf", PDF)
    )
    referral = referrals.referral_send(actor=staff, referral=referral)
    link, url = referrals.link_create(actor=staff, referral=referral, email=organization.email)
    participation = monitoring.participation_enter(
        actor=staff,
        person=person,
        fields={"labour_status": "inactive", "isced": "3-4", "entry_date": TODAY},
    )
    operation = funding.operation_create(
        actor=funding.SYSTEM,
        title=f"Λειτουργία {prefix}",
        code=f"MIS-{prefix}",
        programme="ΕΠ",
        managing_authority="ΕΥΔ",
        beneficiary=centre.municipality,
        centres=[centre],
        start_date=dt.date(2022, 1, 1),
        end_date=dt.date(2030, 12, 31),
        budget=Decimal("120000.00"),
        sources=[(SourceKind.ESF, "80"), (SourceKind.NATIONAL, "20")],
        implementation_mode=ImplementationMode.CONTRACTED,
    )
    expenditure = funding.expenditure_add(
        actor=funding.SYSTEM,
        operation=operation,
        date=dt.date(2022, 2, 1),
        category="staff",
        amount="10.00",
        document_ref="1",
    )
    submission = monitoring.report_submit(
        actor=supervisor,
        centre=centre,
        start=dt.date(2024, 1, 1),
        end=dt.date(2024, 12, 31),
        set_key=DEFAULT_SET,
    )
    protocol = CooperationProtocol.objects.create(
        centre=centre,
        organization=organization,
        title="Πρωτόκολλο",
        signed_on=TODAY,
        valid_from=TODAY,
        document=SimpleUploadedFile("protocol.pdf", PDF),
        created_by=supervisor,
    )
    pending = people_imports.pending_import_save(
        user=staff,
        centre=centre,
        file_name="persons.csv",
        data=b"family_name\n",
        report=people_imports.ImportReport(file_name="persons.csv", centre_id=centre.pk),
    )
    location = Location.objects.create(organization=organization, name=f"Γραφείο {prefix}")
    service_at_location = ServiceAtLocation.objects.create(service=service, location=location)
    unit, _new = Unit.objects.get_or_create(name="θέσεις")
    capacity = ServiceCapacity.objects.create(
        service=service, unit=unit, available=Decimal("3"), updated=timezone.now()
    )
    programmes_load_reference()
    programme = Programme.objects.filter(is_active=True).order_by("code").first()
    prescreening = programmes.prescreening_save(
        actor=staff, person=person, facts=facts_from_records(person, TODAY), on=TODAY
    )
    application = programmes.application_create(actor=staff, person=person, programme=programme)
    appointment_request = reception.appointment_request_submit(
        site=site,
        name=f"{given} {family}",
        phone=phone,
        reason="Πληροφορίες για επιδόματα.",
        consent=True,
    )

    activity = activities.activity_create(
        actor=staff, centre=centre, kind="workshop", title=f"Εργαστήρι {prefix}", date=TODAY,
        site=site,
    )  # fmt: skip
    activities.attendance_record(actor=staff, activity=activity, persons=[person])
    activities.anonymous_counts_set(actor=staff, activity=activity, counts={"women": 6, "men": 5})
    distribution = activities.distribution_create(
        actor=staff, centre=centre, kind="food", title=f"Διανομή {prefix}", date=TODAY
    )
    item = activities.stock_receive(actor=staff, distribution=distribution, name="Ρύζι", quantity=9)
    activities.handout_record(
        actor=staff, distribution=distribution, person=person, quantities={item.pk: 2},
        acknowledged=True,
    )  # fmt: skip
    mediator = _user(f"{prefix}-mediator", "mediator", "centre", centre)
    assignment = assignment_create(actor=supervisor, mediator=mediator, person=person)
    return Records(
        appointment_request=appointment_request,
        centre=centre,
        site=site,
        staff=staff,
        supervisor=supervisor,
        person=person,
        other=other,
        merged=merged,
        merge=merge,
        consent=consent,
        appointment=appointment,
        case=case,
        goal=goal,
        action=action,
        note=note,
        case_attachment=case_attachment,
        task=task,
        closure=closure,
        transfer=transfer,
        referral=referral,
        referral_attachment=referral_attachment,
        link=link,
        link_token=url.rstrip("/").rsplit("/", 1)[-1],
        participation=participation,
        operation=operation,
        expenditure=expenditure,
        submission=submission,
        protocol=protocol,
        organization=organization,
        service=service,
        import_token=pending.token,
        markers=(family, phone, amka),
        service_at_location=service_at_location,
        capacity=capacity,
        programme=programme,
        prescreening=prescreening,
        application=application,
        mediator=mediator,
        assignment=assignment,
        activity=activity,
        distribution=distribution,
    )


def _near(home: Records) -> SimpleNamespace:
    """A person of the home centre whom its mediator is not assigned, with their records."""
    staff, centre, site = home.staff, home.centre, home.site
    family, phone = "Μαρκαδόρου-Κοντινού", "6975550123"
    amka = make_amka(dt.date(1979, 3, 9), "F", serial=4)
    person = person_register(
        actor=staff,
        centre=centre,
        fields={
            "family_name": family,
            "given_name": "Ηρώ",
            "sex": "F",
            "birth_date": dt.date(1979, 3, 9),
            "amka": amka,
            "phone": phone,
        },
        consent_given_on=TODAY,
        confirm=True,
    )
    consent = consent_record(
        actor=staff,
        person=person,
        purpose="referral",
        partner=home.organization.name,
        given_on=TODAY,
    )
    start = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    appointment = reception.appointment_book(
        actor=staff, person=person, staff=staff, site=site, starts_at=start, duration=30
    )
    reception.contact_log(
        actor=staff, site=site, persons=[person], at=timezone.now(), channel="in_person"
    )
    case = cases.case_open(actor=staff, person=person, reason="Στέγαση", opened_on=TODAY)
    note = cases.note_add(actor=staff, case=case, text="Σημείωμα near", level="team")
    referral = referrals.referral_create(
        actor=staff,
        person=person,
        service=home.service,
        reason="Υποστήριξη",
        shared_fields=["name", "phone"],
        response_due=TODAY + dt.timedelta(days=10),
        case=case,
    )
    referral = referrals.referral_send(actor=staff, referral=referral)
    participation = monitoring.participation_enter(
        actor=staff,
        person=person,
        fields={"labour_status": "inactive", "isced": "3-4", "entry_date": TODAY},
    )
    prescreening = programmes.prescreening_save(
        actor=staff, person=person, facts=facts_from_records(person, TODAY), on=TODAY
    )
    application = programmes.application_create(
        actor=staff, person=person, programme=home.programme
    )
    return SimpleNamespace(
        centre=centre,
        person=person,
        consent=consent,
        appointment=appointment,
        case=case,
        note=note,
        referral=referral,
        participation=participation,
        prescreening=prescreening,
        application=application,
        markers=(family, phone, amka),
    )


def build_world() -> World:
    """The two centres, their records, and the home centre's cast with API tokens."""
    network_load_reference()
    kastoria = Centre.objects.get(code="kastoria")
    florina = Centre.objects.get(code="florina")
    almyros = Centre.objects.get(code="almyros")
    home = _records(kastoria, "home", transfer_to=florina)
    away = _records(florina, "away", transfer_to=almyros)
    home.foreign_document = away.referral_attachment.pk
    away.foreign_document = home.referral_attachment.pk
    users = {
        "reception": _user("rita-r", "reception", "centre", kastoria),
        "caseworker": home.staff,
        "mediator": _user("mia-m", "mediator", "centre", kastoria),
        "supervisor": _user(
            "sam-s", "supervisor", "municipality", Municipality.objects.get(code="kastoria")
        ),
        "partner": _user("pat-p", "partner", "centre", kastoria),
        "monitor": _user(
            "mona-m", "monitor", "region", Region.objects.get(code="dytiki-makedonia")
        ),
        "admin": _user("adam-a", "admin", "centre", kastoria),
    }
    referrals.partner_membership_grant(
        user=users["partner"], organization=home.organization, centre=kastoria
    )
    assignment_create(actor=home.supervisor, mediator=users["mediator"], person=home.person)
    near = _near(home)
    users["none"] = _user("nobody-n")
    tokens = {role: api_token_create(user=user)[1] for role, user in users.items()}
    return World(home=home, away=away, near=near, users=users, tokens=tokens)
