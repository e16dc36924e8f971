"""`bench/run activities`: the supervisor's activity report at volume, next to a
hand-written SQL baseline on the same connection.

Loads --activities synthetic activities (bulk, marked by their title) over the centres of the
network, each with registered attendances of the centre's persons (if any) and anonymous
counts by category, then times `activities.selectors.activity_tables` (what the report page
runs, before suppression) for one centre and one year --requests times, interleaved with one
SQL statement giving the same counts per kind. Prints the queries per report and p50/p95.
Run it on a database of your own (see bench/README.md)."""

import datetime as dt
import random
import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.common import percentile
from koinotita.accounts.models import User
from koinotita.activities.models import Activity, AnonymousCount, Attendance, Kind
from koinotita.activities.selectors import activity_tables
from koinotita.organisations.models import Centre
from koinotita.organisations.services import network_load_reference
from koinotita.people.models import Person

help = "Activity report (≤ 12 queries, p95) next to raw SQL."
TITLE = "Συνθετική δράση"

BASELINE = """
SELECT a.kind, COUNT(DISTINCT a.id),
       (SELECT COUNT(*) FROM activities_attendance t JOIN activities_activity x
          ON x.id = t.activity_id WHERE x.kind = a.kind AND x.centre_id = %s
          AND x.date BETWEEN %s AND %s),
       (SELECT COALESCE(SUM(c.count), 0) FROM activities_anonymouscount c
          JOIN activities_activity y ON y.id = c.activity_id WHERE y.kind = a.kind
          AND y.centre_id = %s AND y.date BETWEEN %s AND %s AND c.category IN ('women', 'men'))
FROM activities_activity a WHERE a.centre_id = %s AND a.date BETWEEN %s AND %s GROUP BY a.kind
"""


def add_arguments(parser):
    parser.add_argument("--activities", type=int, default=20000, help="activities (20000)")
    parser.add_argument("--requests", type=int, default=200, help="reports timed (200)")
    parser.add_argument("--seed", type=int, default=1)


def _load(count: int, seed: int, out) -> None:
    have = Activity.objects.filter(title__startswith=TITLE).count()
    if have >= count:
        return
    rng = random.Random(seed)
    network_load_reference()
    user = User.objects.filter(is_active=True).order_by("pk").first() or User.objects.create(
        username="bench.activities", password="!"
    )
    centres = list(Centre.objects.order_by("pk"))
    persons = {
        c.pk: list(Person.objects.filter(centre=c).values_list("pk", flat=True)[:500])
        for c in centres
    }
    today = dt.date.today()
    kinds = Kind.values
    new = [
        Activity(
            centre=centres[n % len(centres)],
            kind=rng.choice(kinds),
            title=f"{TITLE} {n}",
            date=today - dt.timedelta(days=rng.randrange(730)),
            minutes=rng.choice((60, 90, 120)),
            place="Πλατεία",
            created_by=user,
        )
        for n in range(have, count)
    ]
    Activity.objects.bulk_create(new, batch_size=2000)
    made = Activity.objects.filter(title__startswith=TITLE, anonymous__isnull=True)
    counts, attendances = [], []
    for activity_id, centre_id in made.values_list("pk", "centre_id"):
        for category in ("women", "men", "age_30_54", "roma"):
            counts.append(
                AnonymousCount(
                    centre_id=centre_id,
                    activity_id=activity_id,
                    category=category,
                    count=rng.randrange(0, 12),
                )  # fmt: skip
            )
        for person_id in rng.sample(persons[centre_id], min(3, len(persons[centre_id]))):
            attendances.append(
                Attendance(
                    centre_id=centre_id,
                    activity_id=activity_id,
                    person_id=person_id,
                    recorded_by=user,
                )  # fmt: skip
            )
    AnonymousCount.objects.bulk_create(counts, batch_size=5000)
    Attendance.objects.bulk_create(attendances, batch_size=5000, ignore_conflicts=True)
    out.write(f"loaded {count - have} activities, {len(attendances)} attendances")


def run(options, out) -> None:
    _load(options["activities"], options["seed"], out)
    centre_id = (
        Activity.objects.filter(title__startswith=TITLE)
        .values_list("centre_id", flat=True)
        .order_by("centre_id")
        .first()
    )
    end = dt.date.today()
    start = end - dt.timedelta(days=365)
    with CaptureQueriesContext(connection) as queries:
        activity_tables([centre_id], start, end)
    app, raw = [], []
    with connection.cursor() as cursor:
        for _n in range(options["requests"]):
            began = time.perf_counter()
            activity_tables([centre_id], start, end)
            app.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            cursor.execute(BASELINE, [centre_id, start, end] * 3)
            cursor.fetchall()
            raw.append((time.perf_counter() - began) * 1000)
    rows = Activity.objects.filter(centre_id=centre_id).count()
    out.write(f"activity report, one centre ({rows} activities), one year:")
    out.write(f"  queries per report: {len(queries)}")
    out.write(f"  app  p50 {statistics.median(app):.1f} ms  p95 {percentile(app, 95):.1f} ms")
    out.write(
        f"  SQL  p50 {statistics.median(raw):.1f} ms  p95 {percentile(raw, 95):.1f} ms"
        f"  (ratio p95 {percentile(app, 95) / max(percentile(raw, 95), 0.001):.1f}x)"
    )
