"""Synthetic case files: a few dozen for the demo, hundreds of thousands for the benchmark.

Bulk inserts of synthetic data (never real persons): cases with their opening in the
history, team members, and tasks around today. Rows carry their case's centre. Not audited:
this writes no one's real data, it fabricates test data, like `demo.synthetic`.

Caseloads are realistic: a caseworker holds about `CASES_PER_WORKER` cases (two thirds of
them not closed, so 50–150 open ones). Where a centre has too few caseworkers for its cases
(`koinotita synth` makes 3–8 staff per centre, far too few for 30% of a national volume),
synthetic caseworkers (`synthcase.<centre>.<n>`, unusable password) are added, and each
case's lead is drawn with a per-worker weight between 0.5 and 1.5, so caseloads differ.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from datetime import datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from koinotita.accounts.models import Role, RoleAssignment, ScopeLevel, User
from koinotita.cases.models import Case, CaseEvent, CaseMember, Task
from koinotita.organisations.models import Centre
from koinotita.people.models import Person

REASONS = [
    "Απώλεια εργασίας και οφειλές ενοικίου",
    "Αίτηση για το Ελάχιστο Εγγυημένο Εισόδημα",
    "Κίνδυνος έξωσης",
    "Μονογονεϊκή οικογένεια, ανάγκη φύλαξης παιδιών",
    "Ηλικιωμένος που ζει μόνος, ανάγκη φροντίδας",
    "Άτομο με αναπηρία, πιστοποίηση ΚΕΠΑ",
    "Σχολική διαρροή παιδιού",
    "Έλλειψη εγγράφων ταυτοποίησης",
    "Ενδοοικογενειακή βία",
    "Ένταξη στην αγορά εργασίας",
]
TASKS = [
    "Τηλεφωνική επικοινωνία",
    "Συγκέντρωση δικαιολογητικών",
    "Υποβολή αίτησης",
    "Επίσκεψη κατ' οίκον",
    "Παραπομπή σε υπηρεσία",
    "Επανεκτίμηση αναγκών",
]
STATUS_MIX = [
    (Case.Status.OPEN, 15),
    (Case.Status.ACTIVE, 50),
    (Case.Status.SUSPENDED, 5),
    (Case.Status.CLOSED, 30),
]
PRIORITY_MIX = [("low", 15), ("normal", 60), ("high", 20), ("urgent", 5)]
CLOSURE_REASONS = ["goals_achieved", "referred_on", "moved_away", "no_contact", "declined"]
# Cases (all statuses) per caseworker: with 70% not closed, about 90 open cases on average,
# 50–150 with the per-worker weights (a real caseworker holds 30–150 open cases).
CASES_PER_WORKER = 130
WORKER_PREFIX = "synthcase."


def _workers_by_centre(centre_ids) -> dict[int, list[int]]:
    """Caseworkers (and mediators) holding a role at each centre."""
    workers: dict[int, list[int]] = {}
    for centre_id, user_id in (
        RoleAssignment.objects.filter(
            level=ScopeLevel.CENTRE,
            centre_id__in=list(centre_ids),
            role__in=[Role.CASEWORKER],
            is_active=True,
        )
        .order_by("user_id")
        .values_list("centre_id", "user_id")
    ):
        workers.setdefault(centre_id, []).append(user_id)
    return workers


def _ensure_caseworkers(workers: dict[int, list[int]], new_cases: dict[int, int]) -> None:
    """Add synthetic caseworkers to the centres that have too few for their cases (the ones
    already there and the `new_cases` about to be made), in place in `workers`."""

    existing = dict(
        Case.objects.filter(centre_id__in=list(new_cases))
        .values("centre_id")
        .annotate(n=Count("pk"))
        .values_list("centre_id", "n")
    )
    codes = dict(Centre.objects.filter(pk__in=list(new_cases)).values_list("pk", "code"))
    users, roles = [], []
    for centre_id, n_new in sorted(new_cases.items()):
        have = workers.get(centre_id, [])
        if not have:
            continue  # a centre with no caseworker at all gets no cases (as before)
        needed = math.ceil((existing.get(centre_id, 0) + n_new) / CASES_PER_WORKER)
        taken = set(
            User.objects.filter(
                username__startswith=f"{WORKER_PREFIX}{codes[centre_id]}."
            ).values_list("username", flat=True)
        )
        missing, n = needed - len(have), 0
        while missing > 0:
            n += 1
            username = f"{WORKER_PREFIX}{codes[centre_id]}.{n}"
            if username in taken:
                continue  # made by an earlier run but not a caseworker here any more
            users.append(
                User(
                    username=username,
                    first_name="Κοινωνικός λειτουργός",
                    last_name=str(n),
                    password="!synthetic",  # unusable: synthetic staff cannot log in
                    is_active=True,
                )
            )
            roles.append((users[-1], centre_id))
            missing -= 1
    if not users:
        return
    User.objects.bulk_create(users, batch_size=1000)
    ids = dict(
        User.objects.filter(username__in=[u.username for u in users]).values_list("username", "pk")
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                user_id=ids[u.username],
                role=Role.CASEWORKER,
                level=ScopeLevel.CENTRE,
                centre_id=centre_id,
            )
            for u, centre_id in roles
        ],
        batch_size=1000,
    )
    for u, centre_id in roles:
        workers[centre_id].append(ids[u.username])


def _make_case(rng, *, centre_id, person_id, workers, weights, today, now) -> Case:
    status = rng.choices([s for s, _w in STATUS_MIX], [w for _s, w in STATUS_MIX])[0]
    opened = today - timedelta(days=int(rng.expovariate(1 / 300)) % 1500)
    closed = None
    if status == Case.Status.CLOSED:
        closed = min(today, opened + timedelta(days=rng.randint(20, 400)))
    last = None
    if rng.random() < 0.9:
        span = max(1, (today - opened).days)
        last = timezone.make_aware(
            datetime.combine(opened + timedelta(days=rng.randint(0, span)), time(10))
        )
        last = min(last, now)
    return Case(
        centre_id=centre_id,
        person_id=person_id,
        lead_worker_id=rng.choices(workers, weights)[0],
        reason=rng.choice(REASONS),
        priority=rng.choices([p for p, _w in PRIORITY_MIX], [w for _p, w in PRIORITY_MIX])[0],
        status=status,
        opened_on=opened,
        closed_on=closed,
        closure_reason=rng.choice(CLOSURE_REASONS) if closed else "",
        last_contact_at=last,
        created_by_id=rng.choice(workers),
    )


def cases_synth(
    *,
    fraction: float = 0.3,
    seed: int = 1,
    centre_ids=None,
    limit: int | None = None,
    batch: int = 5000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Open synthetic cases for `fraction` of the active persons of each centre (or at most
    `limit` in all), with their opening event, a team member for a third of them and one
    or two tasks for the cases not closed. Returns how many cases were created."""
    rng = random.Random(seed)
    persons = Person.objects.filter(merged_into__isnull=True, anonymised_at__isnull=True)
    if centre_ids is not None:
        persons = persons.filter(centre_id__in=list(centre_ids))
    pairs = list(persons.order_by("pk").values_list("pk", "centre_id"))
    chosen = rng.sample(pairs, min(len(pairs), int(len(pairs) * fraction)))
    if limit is not None:
        chosen = chosen[:limit]
    workers = _workers_by_centre({c for _p, c in chosen})
    chosen = [(p, c) for p, c in chosen if workers.get(c)]
    new_cases: dict[int, int] = {}
    for _p, c in chosen:
        new_cases[c] = new_cases.get(c, 0) + 1
    _ensure_caseworkers(workers, new_cases)
    weights = {c: [rng.uniform(0.5, 1.5) for _w in ws] for c, ws in workers.items()}
    today, now = timezone.localdate(), timezone.now()
    total, done = len(chosen), 0
    for start in range(0, total, batch):
        part = chosen[start : start + batch]
        with transaction.atomic():
            cases = Case.objects.bulk_create(
                [
                    _make_case(
                        rng,
                        centre_id=c,
                        person_id=p,
                        workers=workers[c],
                        weights=weights[c],
                        today=today,
                        now=now,
                    )
                    for p, c in part
                ]
            )
            if cases[0].pk is None:  # a backend that does not return ids
                cases = list(
                    Case.objects.filter(person_id__in=[p for p, _c in part]).order_by("-pk")
                )
            events, members, tasks = [], [], []
            for case in cases:
                events.append(
                    CaseEvent(
                        centre_id=case.centre_id,
                        case_id=case.pk,
                        at=timezone.make_aware(datetime.combine(case.opened_on, time(9))),
                        actor_id=case.created_by_id,
                        kind=CaseEvent.Kind.OPENED,
                        to_status=Case.Status.OPEN,
                    )
                )
                others = [w for w in workers[case.centre_id] if w != case.lead_worker_id]
                if others and rng.random() < 0.33:
                    members.append(
                        CaseMember(
                            centre_id=case.centre_id, case_id=case.pk, user_id=rng.choice(others)
                        )
                    )
                if case.status != Case.Status.CLOSED:
                    for _n in range(rng.randint(1, 2)):
                        tasks.append(
                            Task(
                                centre_id=case.centre_id,
                                case_id=case.pk,
                                title=rng.choice(TASKS),
                                assignee_id=case.lead_worker_id,
                                due_on=max(
                                    case.opened_on, today + timedelta(days=rng.randint(-20, 30))
                                ),
                                created_by_id=case.lead_worker_id,
                            )
                        )
            CaseEvent.objects.bulk_create(events, batch_size=batch)
            CaseMember.objects.bulk_create(members, batch_size=batch, ignore_conflicts=True)
            Task.objects.bulk_create(tasks, batch_size=batch)
        done += len(part)
        if progress is not None:
            progress(done, total)
    if connection.vendor == "postgresql" and done:
        # Fresh statistics for the planner; outside a transaction also VACUUM, which sets
        # the visibility map so that the team view's counts are index-only scans (as they
        # are on a live table that autovacuum keeps).
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for table in (
                "cases_case",
                "cases_casemember",
                "cases_caseevent",
                "cases_task",
                "accounts_user",
                "accounts_roleassignment",
            ):
                cursor.execute(f"{command} {table}")
    return done


def demo_cases_ensure(*, count: int = 40, seed: int = 4) -> int:
    """A few dozen plausible cases for the demo persons of the centres that have demo
    caseworkers. Idempotent: nothing is done when a case exists. Fast (bulk inserts)."""
    if Case.objects.exists():
        return 0
    centre_ids = (
        RoleAssignment.objects.filter(
            user__username__in=["caseworker", "colleague"], level=ScopeLevel.CENTRE
        )
        .values_list("centre_id", flat=True)
        .distinct()
    )
    created = cases_synth(fraction=1.0, seed=seed, centre_ids=list(centre_ids), limit=count)
    # The demo caseworker leads most of them, so that their home is not empty.

    lead = User.objects.filter(username="caseworker").first()
    if lead is not None:
        ids = list(Case.objects.order_by("pk").values_list("pk", flat=True)[: count * 2 // 3])
        Case.objects.filter(pk__in=ids).update(lead_worker=lead)
        Task.objects.filter(case_id__in=ids).update(assignee=lead)
    return created
