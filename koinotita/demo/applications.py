"""Synthetic pre-screenings and applications for the synthetic persons already there
(`koinotita synth --applications N`), for the figures page and its benchmark at national
volume (500,000 applications).

Bulk inserts of synthetic data (never real persons): each chosen person — one registered by
a synthetic staff member (`synth.<centre>.<n>`) — gets a pre-screening on a date from
mid-2023 (or three years back) to today, so on both sides of 1-12-2023, and an application
to the minimum income (most), the housing allowance or the child benefit, in a state drawn
from a realistic mix, with its steps; an approval whose renewal is still ahead gets its
renewal task, as cases.renewals would make it. Marked synthetic like the rest of synth: made
by synthetic staff, reference numbers `SYN-…`, every step's detail `{"synthetic": "1"}`. The
rules are run for real, on a few household templates and dates (cached), so the stored
results are the rules' own. Not audited row by row: one audit event per run
("synth.generated"), as `demo.synthetic`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from koinotita.accounts.models import User
from koinotita.audit.services import audit_record
from koinotita.cases.models import Task
from koinotita.cases.renewals import REMIND_DAYS_BEFORE, renewal_title
from koinotita.lib.dates import add_months
from koinotita.people.models import Person
from koinotita.programmes import screening
from koinotita.programmes.models import Application, ApplicationStep, Prescreening, Programme
from koinotita.programmes.rules import Facts, Member

S = Application.State
STAFF_PREFIX = "synth."
MARK = {"synthetic": "1"}
PROGRAMME_MIX = [("minimum-income", 70), ("housing-allowance", 18), ("child-benefit", 12)]
STATE_MIX = [
    (S.PREPARATION, 10),
    (S.SUBMITTED, 15),
    (S.APPROVED, 35),
    (S.REJECTED, 10),
    (S.NEEDS_DOCUMENTS, 8),
    (S.ENDED, 22),
]
# Household templates: (ages with relationships, six-month income).
TEMPLATES = [
    (((40, "head"), (38, "partner"), (10, "child"), (7, "child")), "600"),
    (((35, "head"), (9, "child")), "900"),
    (((67, "head"),), "1500"),
    (((52, "head"), (50, "partner")), "0"),
    (((29, "head"),), "300"),
    (((45, "head"), (44, "partner"), (17, "child"), (14, "child"), (3, "child")), "2400"),
    (((78, "head"), (75, "partner")), "4200"),
    (((31, "head"), (6, "child"), (2, "child")), None),  # income not known: cannot tell
]
SCREENING_DAYS = 20  # distinct pre-screening dates: the rules run once per date and template
EARLIEST = date(2023, 6, 1)


@dataclass
class ApplicationsResult:
    persons: int = 0
    prescreenings: int = 0
    applications: int = 0
    steps: int = 0
    tasks: int = 0
    seconds: float = 0.0
    states: dict[str, int] = field(default_factory=dict)


def _facts(template) -> Facts:
    members, income = template
    return Facts(
        members=tuple(Member(age=a, relationship=r) for a, r in members),
        income_6m=None if income is None else Decimal(income),
        deposits=Decimal("1000"),
        real_estate=Decimal("0"),
        single_parent=len([m for m in members if m[1] in ("head", "partner")]) == 1
        and len(members) > 1,
        renting=True,
    )


def _staff_by_centre(centre_ids) -> dict[int, list[int]]:
    staff: dict[int, list[int]] = {}
    for user_id, centre_id in (
        User.objects.filter(
            username__startswith=STAFF_PREFIX,
            role_assignments__centre_id__in=list(centre_ids),
            role_assignments__is_active=True,
        )
        .order_by("pk")
        .values_list("pk", "role_assignments__centre_id")
        .distinct()
    ):
        staff.setdefault(centre_id, []).append(user_id)
    return staff


def _story(rng, state: str, programme: Programme, today: date) -> dict:
    """The dates of an application in `state`, consistent with one another."""
    fields: dict = {"submitted_on": None, "decision_on": None, "renewal_on": None, "amount": None}
    if state == S.PREPARATION:
        return fields
    if state == S.APPROVED:  # decided within the approval: its renewal is still ahead
        decision = today - timedelta(days=rng.randint(0, 140))
        submitted = decision - timedelta(days=rng.randint(7, 45))
    elif state == S.SUBMITTED:
        submitted, decision = today - timedelta(days=rng.randint(0, 40)), None
    else:
        submitted = today - timedelta(days=rng.randint(60, 900))
        decision = min(today, submitted + timedelta(days=rng.randint(7, 60)))
    fields["submitted_on"] = submitted
    fields["decision_on"] = decision
    if state in (S.APPROVED, S.ENDED):
        fields["amount"] = Decimal(rng.randrange(50, 900))
        months = 6 if programme.code == "minimum-income" else 12
        fields["renewal_on"] = add_months(decision, months)
    return fields


def applications_synth(
    *,
    count: int,
    seed: int = 1,
    batch: int = 5000,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ApplicationsResult:
    """A pre-screening and an application for `count` synthetic persons (at most one new
    application per person per run, to persons who have none yet first)."""
    started = time.perf_counter()
    result = ApplicationsResult()
    rng = random.Random(f"{seed}:applications")
    today = today or timezone.localdate()
    programmes = {p.code: p for p in Programme.objects.filter(is_active=True)}
    mix = [(programmes[c], w) for c, w in PROGRAMME_MIX if c in programmes]
    if count <= 0 or not mix:
        return result
    documents = {
        p.pk: list(p.documents.order_by("order", "pk").values_list("code", flat=True))
        for p, _w in mix
    }
    persons = Person.objects.filter(
        registered_by__username__startswith=STAFF_PREFIX,
        merged_into__isnull=True,
        anonymised_at__isnull=True,
    )
    already = set(Application.objects.values_list("person_id", flat=True).distinct())
    pairs = list(persons.order_by("pk").values_list("pk", "centre_id"))
    fresh = [p for p in pairs if p[0] not in already]
    chosen = rng.sample(fresh, min(len(fresh), count))
    if len(chosen) < count:
        rest = [p for p in pairs if p[0] in already]
        chosen += rng.sample(rest, min(len(rest), count - len(chosen)))
    staff = _staff_by_centre({c for _p, c in chosen})
    chosen = [(p, c) for p, c in chosen if staff.get(c)]
    # From before the change of the amounts on 1-12-2023 (or three years back) to today.
    span = max(3 * 365, (today - EARLIEST).days)
    days = sorted(
        {today - timedelta(days=span * n // SCREENING_DAYS) for n in range(SCREENING_DAYS)}
    )
    cache: dict[tuple[int, date], tuple[dict, list]] = {}
    active = list(Programme.objects.filter(is_active=True))

    def screened(t: int, on: date):
        if (t, on) not in cache:
            facts = _facts(TEMPLATES[t])
            cache[(t, on)] = (
                facts.to_json(),
                [r.to_json() for r in screening.evaluate(facts, on, active)],
            )
        return cache[(t, on)]

    base = (Application.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    states = [s for s, _w in STATE_MIX]
    weights = [w for _s, w in STATE_MIX]
    total, done = len(chosen), 0
    with transaction.atomic():
        for start in range(0, total, batch):
            part = chosen[start : start + batch]
            prescreenings, applications = [], []
            for n, (person_id, centre_id) in enumerate(part, start=start):
                worker = rng.choice(staff[centre_id])
                on = rng.choice(days)
                facts, results = screened(rng.randrange(len(TEMPLATES)), on)
                prescreenings.append(
                    Prescreening(
                        centre_id=centre_id, person_id=person_id, on=on, facts=facts,
                        results=results, created_by_id=worker,
                    )
                )  # fmt: skip
                programme = rng.choices([p for p, _w in mix], [w for _p, w in mix])[0]
                state = rng.choices(states, weights)[0]
                story = _story(rng, state, programme, today)
                codes = documents[programme.pk]
                ticked = codes if state != S.PREPARATION else codes[: rng.randint(0, len(codes))]
                applications.append(
                    Application(
                        centre_id=centre_id,
                        person_id=person_id,
                        programme=programme,
                        state=state,
                        documents=ticked,
                        reference_number=f"SYN-{base + n}" if story["submitted_on"] else "",
                        submitted_by_id=worker if story["submitted_on"] else None,
                        staff_id=worker,
                        **story,
                    )
                )
            Prescreening.objects.bulk_create(prescreenings, batch_size=batch)
            made = Application.objects.bulk_create(applications, batch_size=batch)
            steps, tasks = [], []
            for app in made:
                steps.extend(_steps(app))
                if app.state == S.APPROVED and app.renewal_on and app.renewal_on > today:
                    tasks.append(
                        Task(
                            centre_id=app.centre_id,
                            application_id=app.pk,
                            title=renewal_title(app),
                            assignee_id=app.staff_id,
                            due_on=app.renewal_on - timedelta(days=REMIND_DAYS_BEFORE),
                            created_by_id=app.staff_id,
                        )
                    )
            ApplicationStep.objects.bulk_create(steps, batch_size=batch)
            Task.objects.bulk_create(tasks, batch_size=batch)
            result.prescreenings += len(prescreenings)
            result.applications += len(made)
            result.steps += len(steps)
            result.tasks += len(tasks)
            for app in made:
                result.states[app.state] = result.states.get(app.state, 0) + 1
            done += len(part)
            if progress is not None:
                progress(done, total)
        result.persons = total
        if total:
            audit_record(
                action="synth.generated",
                object_type="synth",
                detail={
                    "prescreenings": result.prescreenings,
                    "applications": result.applications,
                    "seed": seed,
                },
            )
    result.seconds = time.perf_counter() - started
    return result


def _steps(app: Application) -> list[ApplicationStep]:
    """The steps that led to the application's state (as the services would record them)."""
    sequence = [("create", S.PREPARATION), ("documents", S.PREPARATION)]
    if app.submitted_on:
        sequence.append(("submit", S.SUBMITTED))
    if app.state == S.NEEDS_DOCUMENTS:
        sequence.append(("ask_documents", S.NEEDS_DOCUMENTS))
    elif app.state == S.REJECTED:
        sequence.append(("reject", S.REJECTED))
    elif app.state in (S.APPROVED, S.ENDED):
        sequence.append(("approve", S.APPROVED))
    if app.state == S.ENDED:
        sequence.append(("end", S.ENDED))
    return [
        ApplicationStep(
            centre_id=app.centre_id,
            application_id=app.pk,
            action=action,
            state=state,
            actor_id=app.staff_id,
            detail=MARK,
        )
        for action, state in sequence
    ]
