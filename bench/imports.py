"""`bench/run imports [--rows 100000]`: import a CSV of valid synthetic persons into a
fresh centre on the configured database, with the full validation of the import, and print
the time of each stage and rows/s next to the raw-SQL floor (COPY of the same file into a
bare table on PostgreSQL; executemany on SQLite). Goal (PERFORMANCE.md): ≤ 60 s for 100,000.
"""

import csv
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from koinotita.accounts.models import User
from koinotita.accounts.services import role_grant
from koinotita.organisations.models import Centre, Municipality
from koinotita.people.imports import TerminalProgress, import_file_read, person_import

help = "import N synthetic persons from a CSV with full validation (goal: 100,000 in ≤ 60 s)"
GOAL_SECONDS_PER_100K = 60.0

FAMILY = [
    ("Παπαδόπουλος", "Παπαδοπούλου"),
    ("Παπαγεωργίου", "Παπαγεωργίου"),
    ("Οικονόμου", "Οικονόμου"),
    ("Γεωργίου", "Γεωργίου"),
    ("Νικολάου", "Νικολάου"),
    ("Ιωάννου", "Ιωάννου"),
    ("Παπαδημητρίου", "Παπαδημητρίου"),
    ("Βασιλείου", "Βασιλείου"),
    ("Αθανασίου", "Αθανασίου"),
    ("Καραγιάννης", "Καραγιάννη"),
    ("Μακρής", "Μακρή"),
    ("Δημητρίου", "Δημητρίου"),
    ("Κωνσταντίνου", "Κωνσταντίνου"),
    ("Αντωνίου", "Αντωνίου"),
    ("Παπανικολάου", "Παπανικολάου"),
    ("Χατζής", "Χατζή"),
    ("Ζαφειρίου", "Ζαφειρίου"),
    ("Τσολάκης", "Τσολάκη"),
    ("Καλογεράκης", "Καλογεράκη"),
    ("Μαυρίδης", "Μαυρίδου"),
    ("Σιδηρόπουλος", "Σιδηροπούλου"),
    ("Αλεξίου", "Αλεξίου"),
    ("Πετρίδης", "Πετρίδου"),
    ("Λαζαρίδης", "Λαζαρίδου"),
]
MEN = ["Γεώργιος", "Ιωάννης", "Κωνσταντίνος", "Δημήτριος", "Νικόλαος", "Παναγιώτης", "Χρήστος"]
MEN += ["Βασίλειος", "Αθανάσιος", "Ευάγγελος", "Μιχαήλ", "Σπυρίδων", "Αντώνιος", "Θεόδωρος"]
WOMEN = ["Μαρία", "Ελένη", "Αικατερίνη", "Βασιλική", "Σοφία", "Αγγελική", "Γεωργία"]
WOMEN += ["Δήμητρα", "Κωνσταντίνα", "Παρασκευή", "Ευαγγελία", "Χριστίνα", "Ιωάννα", "Άννα"]
STREETS = ["Μητροπόλεως", "Ερμού", "Αγίου Νικολάου", "Μεγάλου Αλεξάνδρου", "Κολοκοτρώνη"]
ID_LETTERS = "ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"
HEADER = [
    "Επώνυμο",
    "Όνομα",
    "Πατρώνυμο",
    "Μητρώνυμο",
    "Φύλο",
    "Ημερομηνία γέννησης",
    "ΑΜΚΑ",
    "ΑΦΜ",
    "ΑΔΤ",
    "Τηλέφωνο",
    "Email",
    "Διεύθυνση",
    "ΤΚ",
    "Δήμος κατοικίας",
    "Υπηκοότητα",
    "Συγκατάθεση",
]


def _luhn(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def _amka(born: date, male: bool, rng: random.Random) -> str:
    sex_digit = rng.choice("13579" if male else "02468")
    body = born.strftime("%d%m%y") + f"{rng.randrange(1000):03d}" + sex_digit
    return body + _luhn(body)


def _afm(rng: random.Random) -> str:
    body = f"{rng.randrange(1, 10**8):08d}"
    check = sum(int(d) * 2 ** (8 - i) for i, d in enumerate(body)) % 11 % 10
    return body + str(check)


def synthetic_rows(n: int, *, municipality: str, seed: int = 743):
    """`n` valid, mutually distinct persons as CSV rows (HEADER order)."""
    rng = random.Random(seed)
    seen_amka, seen_afm, seen_id = set(), set(), set()
    start = date(1935, 1, 1)
    span = (date(2018, 12, 31) - start).days
    for _ in range(n):
        male = rng.random() < 0.49
        family = rng.choice(FAMILY)[0 if male else 1]
        given = rng.choice(MEN if male else WOMEN)
        born = start + timedelta(days=rng.randrange(span))
        amka = _amka(born, male, rng)
        while amka in seen_amka:
            amka = _amka(born, male, rng)
        seen_amka.add(amka)
        afm = _afm(rng)
        while afm in seen_afm:
            afm = _afm(rng)
        seen_afm.add(afm)
        id_card = ""
        if rng.random() < 0.7:
            id_card = (
                rng.choice(ID_LETTERS) + rng.choice(ID_LETTERS) + f"{rng.randrange(10**6):06d}"
            )
            while id_card in seen_id:
                id_card = (
                    rng.choice(ID_LETTERS) + rng.choice(ID_LETTERS) + f"{rng.randrange(10**6):06d}"
                )
            seen_id.add(id_card)
        yield [
            family,
            given,
            rng.choice(MEN),
            rng.choice(WOMEN),
            "Α" if male else "Γ",
            born.strftime("%d/%m/%Y"),
            amka,
            afm,
            id_card,
            f"69{rng.randrange(10**8):08d}",
            f"person{rng.randrange(10**9)}@example.gr" if rng.random() < 0.3 else "",
            f"{rng.choice(STREETS)} {rng.randrange(1, 120)}",
            f"52{rng.randrange(100, 1000)}",
            municipality,
            "Ελληνική" if rng.random() < 0.93 else "AL",
            (date(2026, 1, 5) + timedelta(days=rng.randrange(300))).strftime("%d/%m/%Y"),
        ]


def add_arguments(parser):
    parser.add_argument("--rows", type=int, default=100_000, help="persons in the file")
    parser.add_argument("--seed", type=int, default=743)
    parser.add_argument(
        "--workers",
        type=int,
        default=max(1, min(os.cpu_count() or 1, 4)),
        help="processes validating rows (default: the number of cores, at most 4)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the imported persons (deleted by default)"
    )


def _bar(stage: str, done: int, total: int, started: float) -> None:
    if not sys.stderr.isatty():
        return
    share = done / total if total else 1
    rate = done / max(time.perf_counter() - started, 1e-9)
    sys.stderr.write(
        f"\r  {stage:<9} [{'#' * int(share * 30):<30}] {done:>9,}/{total:,}  {rate:,.0f}/s "
    )
    if done >= total:
        sys.stderr.write("\n")


def _cpu_seconds() -> dict[str, float]:
    """CPU time of this process, of its finished child processes (the checking workers) and,
    on PostgreSQL on this machine, of the database backend serving this connection."""
    times = os.times()
    seconds = {
        "this process": times.user + times.system,
        "checking workers": times.children_user + times.children_system,
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            seconds["PostgreSQL backend"] = (int(fields[11]) + int(fields[12])) / os.sysconf(
                "SC_CLK_TCK"
            )
        except (OSError, IndexError, ValueError):
            pass  # the database runs elsewhere, or as another user
    return seconds


def _fresh_centre() -> tuple[Centre, User]:
    if not Municipality.objects.exists():
        from koinotita.organisations.services import network_load_reference

        network_load_reference()
    municipality = (
        Municipality.objects.filter(code="kastoria").first() or Municipality.objects.first()
    )
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    centre = Centre.objects.create(
        code=f"bench-import-{stamp}",
        name=f"Κέντρο Κοινότητας δοκιμής εισαγωγής {stamp}",
        name_en=f"Import benchmark centre {stamp}",
        municipality=municipality,
    )
    user, created = User.objects.get_or_create(username="bench-importer")
    if created:
        user.set_unusable_password()
        user.save()
    role_grant(user=user, role="supervisor", level="centre", place=centre)
    return centre, User.objects.get(pk=user.pk)


def _raw_floor(path: Path, rows: int) -> tuple[str, float]:
    """The same file loaded with no validation at all: the floor the import compares to."""
    columns = ", ".join(f"c{i} text" for i in range(len(HEADER)))
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TEMP TABLE bench_import_raw ({columns}) ON COMMIT DROP")
            with (
                cursor.copy(
                    "COPY bench_import_raw FROM STDIN WITH (FORMAT csv, DELIMITER ';', HEADER true)"
                ) as copy,
                path.open("rb") as source,
            ):
                source.read(3)  # the BOM
                while chunk := source.read(1 << 20):
                    copy.write(chunk)
            label = "COPY into a bare table"
        else:
            cursor.execute(f"CREATE TEMP TABLE bench_import_raw ({columns})")
            with path.open(encoding="utf-8-sig", newline="") as source:
                reader = csv.reader(source, delimiter=";")
                next(reader)
                marks = ", ".join("?" * len(HEADER))
                cursor.executemany(f"INSERT INTO bench_import_raw VALUES ({marks})", reader)  # noqa: S608
            label = "executemany into a bare table"
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_import_raw")
    return label, elapsed


def run(options, out):
    rows = options["rows"]
    centre, user = _fresh_centre()
    out.write(
        f"Database: {connection.vendor}; centre {centre.code}; {rows:,} rows; "
        f"{options['workers']} checking processes; {os.cpu_count()} cores; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    municipality = centre.municipality.name
    with tempfile.TemporaryDirectory(prefix="koinotita-bench-import-") as folder:
        path = Path(folder) / "persons.csv"
        started = time.perf_counter()
        with path.open("w", encoding="utf-8-sig", newline="") as target:
            writer = csv.writer(target, delimiter=";")
            writer.writerow(HEADER)
            for i, row in enumerate(
                synthetic_rows(rows, municipality=municipality, seed=options["seed"]), start=1
            ):
                writer.writerow(row)
                if i % 5000 == 0 or i == rows:
                    _bar("generate", i, rows, started)
        generate = time.perf_counter() - started
        size = path.stat().st_size

        bar = TerminalProgress(sys.stderr)
        marks: dict[str, float] = {}

        def progress(stage, done, total):
            if done >= total:
                marks.setdefault(stage, time.perf_counter())
            bar(stage, done, total)

        started = time.perf_counter()
        table = import_file_read(name=path.name, data=path.read_bytes(), progress=progress)
        read = time.perf_counter() - started
        cpu = _cpu_seconds()
        report = person_import(
            actor=user, centre=centre, table=table, workers=options["workers"], progress=progress
        )
        bar.finish()
        cpu = {k: v - cpu[k] for k, v in _cpu_seconds().items()}
        total = time.perf_counter() - started
        checked = marks.get("check", started + total) - started - read
        rest = total - read - checked
        label, floor = _raw_floor(path, rows)

    out.write(f"File: {size / 1e6:.1f} MB generated in {generate:.1f} s")
    out.write(
        f"Import: read {read:.1f} s; check every row and write the valid ones as they come "
        f"{checked:.1f} s; last writes, audit event and commit {rest:.1f} s"
    )
    out.write(
        f"Total: {total:.1f} s for {report.rows_read:,} rows = {report.rows_read / total:,.0f} "
        f"rows/s; written {report.written:,}, rejected {len(report.rejected):,}, "
        f"warnings {len(report.warnings):,}"
    )
    out.write(
        "CPU seconds of the import (independent of other load on the machine): "
        + ", ".join(f"{k} {v:.1f}" for k, v in cpu.items())
        + f"; sum {sum(cpu.values()):.1f} over {os.cpu_count()} cores"
    )
    out.write(
        f"Raw-SQL floor ({label}, no validation): {floor:.2f} s = {rows / max(floor, 1e-9):,.0f} "
        f"rows/s; import/floor = {total / max(floor, 1e-9):.0f}×"
    )
    goal = GOAL_SECONDS_PER_100K * rows / 100_000
    verdict = "OK" if total <= goal and report.written == rows else "MISSED"
    out.write(f"Goal: ≤ {goal:.0f} s for {rows:,} rows — {verdict}")
    if report.error:
        out.write(f"Error: {report.error}")
    for rejected in report.rejected[:5]:
        out.write(f"  rejected line {rejected.line}: {rejected.reason}")
    if not options["keep"]:
        started = time.perf_counter()
        with connection.cursor() as cursor:  # a fresh centre: nothing refers to its persons
            cursor.execute("DELETE FROM people_consent WHERE centre_id = %s", [centre.pk])
            cursor.execute("DELETE FROM people_person WHERE centre_id = %s", [centre.pk])
            deleted = cursor.rowcount
        Centre.objects.filter(pk=centre.pk).update(is_active=False)
        out.write(
            f"Cleaned up: {deleted:,} rows deleted in {time.perf_counter() - started:.1f} s "
            "(--keep keeps them); the centre is deactivated."
        )
