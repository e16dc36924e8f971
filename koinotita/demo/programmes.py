"""The demo's minimum-income work at Almyros' centre (the centre was founded to support ΚΕΑ).

The demo user `almyros` (a caseworker there) registers a few households — with their
consent, through the people services — pre-screens them on dates before and after
1-12-2023 (when the guaranteed amounts rose from 200/100/50 € to 216/108/54 €) and helps them
with applications in every state: in preparation, submitted with a reference number,
approved with a renewal due soon (so that the renewal task is on the worker's home), rejected,
needing documents, and ended. Everything goes through the programmes services, so the steps,
the audit and the renewal tasks are the real ones.

`demo_programmes_ensure()` (called by `koinotita demo`) is idempotent: nothing is done when
the demo user already has an application at the centre, or when what it builds on (the
centre, the demo user, the catalogue) is missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from koinotita.accounts.models import User
from koinotita.lib.dates import age_on
from koinotita.organisations.models import Centre
from koinotita.people.models import Person
from koinotita.people.services import household_join, person_register
from koinotita.programmes import services
from koinotita.programmes.models import Application, Programme
from koinotita.programmes.rules import Facts, Member
from koinotita.programmes.rules.minimum_income import CODE as MINIMUM_INCOME

CENTRE = "almyros"
USERNAME = "almyros"
# Pre-screenings on both sides of the change of the guaranteed amounts on 1-12-2023.
BEFORE = date(2023, 10, 16)
AFTER = date(2024, 1, 22)


@dataclass
class Household:
    """A household of Almyros: (family name, given name, sex, birth date, relationship)
    per member, the head first; the facts of its pre-screenings; its application's story."""

    members: list[tuple[str, str, str, date, str]]
    income_6m: str
    deposits: str = "800"
    real_estate: str = "0"
    renting: bool = True
    single_parent: bool = False
    screened_on: list[date] = field(default_factory=list)
    story: str = ""  # preparation | submitted | approved | rejected | needs_documents | ended
    programme: str = MINIMUM_INCOME


HOUSEHOLDS = [
    Household(
        [
            ("Καραγιάννη", "Δέσποινα", "F", date(1984, 3, 11), "head"),
            ("Καραγιάννης", "Αθανάσιος", "M", date(1981, 7, 2), "partner"),
            ("Καραγιάννη", "Μαρία", "F", date(2012, 5, 20), "child"),
            ("Καραγιάννης", "Γεώργιος", "M", date(2016, 9, 8), "child"),
        ],
        income_6m="600",
        screened_on=[BEFORE, AFTER],
        story="approved",
    ),
    Household(
        [
            ("Σταθοπούλου", "Ευαγγελία", "F", date(1979, 1, 30), "head"),
            ("Σταθοπούλου", "Ιωάννα", "F", date(2011, 11, 14), "child"),
        ],
        income_6m="900",
        single_parent=True,
        screened_on=[AFTER],
        story="submitted",
    ),
    Household(
        [("Μπαλτάς", "Γεώργιος", "M", date(1958, 4, 3), "head")],
        income_6m="3600",
        deposits="9000",
        renting=False,
        screened_on=[BEFORE],
        story="rejected",
    ),
    Household(
        [
            ("Ντόκου", "Αικατερίνη", "F", date(1990, 6, 17), "head"),
            ("Ντόκου", "Σπυρίδων", "M", date(2013, 2, 9), "child"),
            ("Ντόκου", "Ελένη", "F", date(2015, 12, 1), "child"),
            ("Ντόκου", "Δημήτριος", "M", date(2019, 8, 25), "child"),
        ],
        income_6m="0",
        single_parent=True,
        screened_on=[BEFORE, AFTER],
        story="needs_documents",
    ),
    Household(
        [("Ζαφειρίου", "Κωνσταντίνος", "M", date(1970, 10, 5), "head")],
        income_6m="300",
        screened_on=[],  # screened today (below)
        story="preparation",
    ),
    Household(
        [
            ("Λιάπη", "Ολυμπία", "F", date(1965, 2, 22), "head"),
            ("Λιάπης", "Χρήστος", "M", date(1962, 12, 12), "partner"),
        ],
        income_6m="1200",
        screened_on=[BEFORE],
        story="ended",
    ),
    Household(
        [("Αναστασίου", "Βασίλειος", "M", date(1988, 9, 19), "head")],
        income_6m="450",
        screened_on=[AFTER],
        story="approved",
    ),
]


def _facts(household: Household, on: date) -> Facts:
    return Facts(
        members=tuple(
            Member(age=age_on(born, on), relationship=relationship)
            for _f, _g, _s, born, relationship in household.members
        ),
        income_6m=Decimal(household.income_6m),
        deposits=Decimal(household.deposits),
        real_estate=Decimal(household.real_estate),
        single_parent=household.single_parent,
        renting=household.renting,
    )


def _register(actor, centre, household: Household, consent_on: date) -> Person:
    """The household's members, with their consent, in one household; returns the head."""
    head = None
    for family_name, given_name, sex, born, relationship in household.members:
        person = person_register(
            actor=actor,
            centre=centre,
            fields={
                "family_name": family_name,
                "given_name": given_name,
                "sex": sex,
                "birth_date": born,
            },
            consent_given_on=consent_on,
            confirm=True,
        )
        household_join(actor=actor, person=person, relationship=relationship, with_person=head)
        head = head or person
    head.refresh_from_db()
    return head


def _reference(n: int) -> str:
    return f"ΕΕΕ-ΑΛΜ-{n:05d}"


def _application(actor, person: Person, programme: Programme, story: str, n: int, today: date):
    """Take the application through the steps of its story, with plausible dates."""
    application = services.application_create(actor=actor, person=person, programme=programme)
    codes = list(programme.documents.order_by("order", "pk").values_list("code", flat=True))
    if story == "preparation":  # half the documents collected so far
        services.application_documents_set(
            actor=actor, application=application, codes=codes[: len(codes) // 2]
        )
        return application
    services.application_documents_set(actor=actor, application=application, codes=codes)
    submitted = {
        "submitted": today - timedelta(days=9),
        "needs_documents": today - timedelta(days=30),
        "rejected": today - timedelta(days=50),
        "approved": today - timedelta(days=170),
        "ended": today - timedelta(days=400),
    }[story]
    services.application_submit(
        actor=actor, application=application, submitted_on=submitted, reference_number=_reference(n)
    )
    if story == "submitted":
        return application
    decided = submitted + timedelta(days=21)
    if story == "needs_documents":
        return services.application_decide(
            actor=actor, application=application, step="ask_documents", decision_on=decided
        )
    if story == "rejected":
        return services.application_decide(
            actor=actor, application=application, step="reject", decision_on=decided
        )
    renewal_on = today + timedelta(days=20) if story == "approved" else None  # due soon
    services.application_decide(
        actor=actor,
        application=application,
        step="approve",
        decision_on=decided,
        amount=Decimal("288.00") if story == "approved" else Decimal("224.00"),
        renewal_on=renewal_on,
    )
    if story == "ended":
        return services.application_end(actor=actor, application=application)
    return application


@transaction.atomic
def demo_programmes_ensure() -> int:
    """Almyros' minimum-income work, once; the number of applications made."""
    centre = Centre.objects.filter(code=CENTRE).first()
    actor = User.objects.filter(username=USERNAME).first()
    programmes = {p.code: p for p in Programme.objects.filter(is_active=True)}
    if centre is None or actor is None or MINIMUM_INCOME not in programmes:
        return 0
    if Application.objects.filter(centre=centre, staff=actor).exists():
        return 0
    today = timezone.localdate()
    made = 0
    for n, household in enumerate(HOUSEHOLDS, start=1):
        head = _register(actor, centre, household, consent_on=BEFORE - timedelta(days=7 * n))
        for on in household.screened_on or [today]:
            services.prescreening_save(actor=actor, person=head, facts=_facts(household, on), on=on)
        if household.story:
            _application(actor, head, programmes[household.programme], household.story, n, today)
            made += 1
    # The housing allowance too, in preparation, for the family with the approved income.
    first = Person.objects.filter(
        centre=centre, family_name=HOUSEHOLDS[0].members[0][0], given_name="Δέσποινα"
    ).first()
    if first is not None and "housing-allowance" in programmes:
        services.application_create(
            actor=actor, person=first, programme=programmes["housing-allowance"]
        )
        made += 1
    return made
