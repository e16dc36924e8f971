"""Sample participation records for the demo, so that the indicator reports and the
dashboards have something to show: about a fifth of the synthetic persons of every centre
(those with consent to be registered) entered the operation over the last two years, most
of those who entered more than four months ago have left, and the six-month follow-up is
recorded for those who left long enough ago. Then the dashboards' rollup is built.

Idempotent: nothing is added when the centres already hold participation records."""

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from koinotita.accounts.models import User
from koinotita.lib.dates import age_on
from koinotita.monitoring.dashboards import rollup_refresh
from koinotita.monitoring.models import (
    Answer,
    ExitStatus,
    FollowUpStatus,
    Isced,
    LabourStatus,
    Participation,
)
from koinotita.monitoring.services import participation_clean
from koinotita.monitoring.summary import summary_rebuild
from koinotita.people.models import Consent, Person

SHARE = 0.2


def _answer(rng: random.Random, yes: float) -> str:
    draw = rng.random()
    return Answer.YES if draw < yes else Answer.DECLINED if draw > 0.95 else Answer.NO


def _record(rng: random.Random, person: Person, today: dt.date, by: User) -> Participation:
    entry = today - dt.timedelta(days=rng.randint(1, 730))
    labour = rng.choices(
        [LabourStatus.UNEMPLOYED, LabourStatus.INACTIVE, LabourStatus.EMPLOYED], [55, 35, 10]
    )[0]
    children = rng.random() < 0.4
    record = Participation(
        centre_id=person.centre_id,
        person=person,
        created_by=by,
        entry_date=entry,
        sex=person.sex if person.sex in ("M", "F") else "U",
        age_at_entry=age_on(person.birth_date, entry),
        labour_status=labour,
        unemployed_months=rng.choice([2, 5, 9, 14, 30])
        if labour == LabourStatus.UNEMPLOYED
        else None,
        in_education=labour == LabourStatus.INACTIVE and rng.random() < 0.2,
        isced=rng.choices([c.value for c in Isced], [8, 45, 35, 12])[0],
        jobless_household=rng.random() < 0.35,
        dependent_children=children,
        single_adult=children and rng.random() < 0.25,
        migrant=_answer(rng, 0.12),
        foreign_background=_answer(rng, 0.08),
        minority=_answer(rng, 0.15),
        disability=_answer(rng, 0.1),
        other_disadvantage=_answer(rng, 0.3),
        homeless=rng.random() < 0.05,
        rural=rng.random() < 0.3,
    )
    if (today - entry).days > 120 and rng.random() < 0.75:
        record.exit_date = entry + dt.timedelta(days=rng.randint(60, (today - entry).days))
        record.exit_status = rng.choices([c.value for c in ExitStatus], [20, 45, 10, 25])[0]
        record.qualification_gained = rng.random() < 0.15
        if (today - record.exit_date).days > 190:
            record.followup_on = record.exit_date + dt.timedelta(days=183)
            record.followup_status = rng.choices(
                [c.value for c in FollowUpStatus], [30, 40, 5, 25]
            )[0]
            record.improved_situation = record.followup_status == FollowUpStatus.EMPLOYED
    return record


def demo_participations_ensure(*, seed: int = 1) -> int:
    """Add the sample records (when there are none) and build the rollup; returns how many
    records were added."""
    added = 0
    if not Participation.objects.exists() and User.objects.exists():
        rng = random.Random(f"{seed}:participations")
        today = timezone.localdate()
        consenting = Consent.objects.filter(
            purpose=Consent.Purpose.REGISTRATION, withdrawn_on__isnull=True
        ).values("person_id")
        persons = Person.objects.filter(
            pk__in=consenting, merged_into__isnull=True, anonymised_at__isnull=True
        ).order_by("pk")
        # Recorded by the demo's caseworker (any account when the demo users are not there).
        by = (
            User.objects.filter(username="caseworker").first()
            or User.objects.order_by("pk").first()
        )
        records = []
        for person in persons.iterator():
            if rng.random() >= SHARE:
                continue
            record = _record(rng, person, today, by)
            try:
                participation_clean(record)
            except ValidationError:
                continue  # an implausible draw (e.g. no birth date): left out
            records.append(record)
        with transaction.atomic():
            Participation.objects.bulk_create(records, batch_size=500)
            summary_rebuild()
        added = len(records)
    rollup_refresh(rebuild=True)
    return added
