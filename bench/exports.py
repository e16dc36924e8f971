"""`bench/run exports`: the funding operation XLSX at volume, before and after streaming.

Creates one operation with `--rows` expenditures (default 100,000; `--reversed` of them
reversed, some descriptions hostile formulas), committed so that each measurement can run
in a process of its own (os.fork: peak RSS is a per-process figure), and deleted at the end.
Three ways of writing the same workbook run interleaved, `--rounds` times:

- before: `operation_xlsx` of commit OLD_COMMIT (openpyxl's normal mode: every cell kept
  in memory, expenditures read as model instances, the workbook saved to bytes), loaded
  from git;
- after: today's `funding.exports.operation_xlsx` (write-only mode, rows from
  `.values_list().iterator()`, saved to a temporary file);
- baseline: independent of the application: one raw SQL cursor over the same rows, fetched
  in batches, appended as plain values to a write-only openpyxl sheet.

Each prints wall time, peak RSS of its process (getrusage) and its growth over the RSS at
the start of the process, and the file size. The answers are checked equal: the rows of the
Expenditures sheet (count and a SHA-256 of their cell values) read back from each file.
`--no-fork` runs in this process inside a rolled-back transaction (for the test suite:
answers checked, RSS figures meaningless).
"""

import datetime as dt
import hashlib
import importlib.util
import io
import json
import os
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone, translation

from koinotita.funding import exports, services
from koinotita.funding.models import Category, Expenditure, Operation, SourceKind
from koinotita.funding.selectors import expenditure_list_for, operation_figures
from koinotita.organisations.models import Centre
from koinotita.organisations.services import network_load_reference

help = "Funding operation XLSX at volume: wall time and peak RSS, before/after/baseline."

OLD_COMMIT = "c5fb0a3"  # main before the streaming writer (issue 18 item 4)
ROOT = Path(__file__).resolve().parent.parent
GUNICORN_TIMEOUT_S = 30
KINDS = ("before", "after", "baseline")


def add_arguments(parser):
    parser.add_argument("--rows", type=int, default=100_000, help="expenditures (100000)")
    parser.add_argument("--reversed", type=int, default=500, help="of them reversed (500)")
    parser.add_argument("--rounds", type=int, default=1, help="interleaved rounds (1)")
    parser.add_argument("--skip-before", action="store_true", help="do not run the old code")
    parser.add_argument(
        "--no-fork", action="store_true", help="in this process, rolled back (tests)"
    )


def _old_exports():
    """The module funding/exports.py as it was at OLD_COMMIT, or None without git."""
    try:
        source = subprocess.run(  # noqa: S603 -- fixed arguments, our own repository
            ["git", "show", f"{OLD_COMMIT}:koinotita/funding/exports.py"],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            check=True,
            text=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    spec = importlib.util.spec_from_loader("bench_old_funding_exports", loader=None)
    module = importlib.util.module_from_spec(spec)
    code = compile(source, f"{OLD_COMMIT}:koinotita/funding/exports.py", "exec")
    exec(code, module.__dict__)  # noqa: S102 -- our own code of OLD_COMMIT
    return module


def _load(rows: int, reversed_: int) -> Operation:
    if not Centre.objects.filter(is_active=True).exists():
        network_load_reference()
    centre = Centre.objects.filter(is_active=True).select_related("municipality").first()
    start = dt.date(timezone.localdate().year - 4, 1, 1)
    op = services.operation_create(
        actor=services.SYSTEM,
        title="Bench · exports",
        code=f"BENCH-EXPORTS-{os.getpid()}",
        programme="Bench",
        managing_authority="Bench",
        beneficiary=centre.municipality,
        centres=[centre],
        start_date=start,
        end_date=start + dt.timedelta(days=6 * 365),
        budget=Decimal("900000000.00"),
        sources=[(SourceKind.ESF_PLUS, "85"), (SourceKind.NATIONAL, "15")],
        implementation_mode="contracted",
        is_sample=True,
    )
    categories = Category.values
    now = timezone.now()
    batch = []
    for i in range(rows):
        is_reversed = i % max(1, rows // max(1, reversed_)) == 1 and reversed_ > 0
        description = (
            '=HYPERLINK("https://evil.example/","κλικ")' if i % 997 == 0 else f"Δαπάνη {i}"
        )
        batch.append(
            Expenditure(
                operation=op,
                date=start + dt.timedelta(days=i % 1400),
                category=categories[i % len(categories)],
                amount=Decimal(f"{(i * 37) % 5000 + 1}.{i % 100:02d}"),
                document_ref=f"ΤΠΥ-{i:07d}",
                description=description,
                reversed_at=now if is_reversed else None,
                reversal_reason="διπλή καταχώριση" if is_reversed else "",
            )
        )
        if len(batch) == 5000:
            Expenditure.objects.bulk_create(batch)
            batch = []
    Expenditure.objects.bulk_create(batch)
    return op


def _rss_kb() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _answer(data_or_file) -> dict:
    """Rows of the Expenditures sheet (header and Total row left out), as read back."""
    from openpyxl import load_workbook

    book = load_workbook(data_or_file, read_only=True)
    sheet = book.worksheets[3] if len(book.worksheets) > 1 else book.worksheets[0]
    digest, count, total = hashlib.sha256(), 0, Decimal("0.00")
    for row in sheet.iter_rows(min_row=2, values_only=True):
        date, category, amount, document_ref, description = row[:5]
        if not hasattr(date, "year"):  # the Total row
            continue
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
        total += amount
        count += 1
        cells = [date.date().isoformat(), category, str(amount), document_ref, description]
        line = "\t".join(cells)
        digest.update(line.encode() + b"\n")
    book.close()
    return {"rows": count, "sha256": digest.hexdigest()[:16], "total": str(total)}


def _run_app(module, operation_pk: int) -> tuple:
    operation = Operation.objects.get(pk=operation_pk)
    figures = operation_figures(operation)
    expenditures = expenditure_list_for(None, operation).select_related(None)
    result = module.operation_xlsx(figures, expenditures)
    if isinstance(result, bytes):
        return io.BytesIO(result), len(result)
    size = os.fstat(result.fileno()).st_size
    return result, size


def _run_baseline(operation_pk: int) -> tuple:
    from openpyxl import Workbook

    labels = {code: str(label) for code, label in Category.choices}
    book = Workbook(write_only=True)
    for title in ("Operation", "Amendments", "Per year"):  # same position as the app's sheet
        book.create_sheet(title)
    sheet = book.create_sheet("Expenditures")
    sheet.append(["Date", "Category", "Amount", "Document reference", "Description"])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT date, category, amount, document_ref, description FROM funding_expenditure"
            " WHERE operation_id = %s AND reversed_at IS NULL ORDER BY date, id",
            [operation_pk],
        )
        while batch := cursor.fetchmany(2000):
            for date, category, amount, document_ref, description in batch:
                if isinstance(date, str):  # SQLite
                    date = dt.date.fromisoformat(date)
                sheet.append([date, labels[category], amount, document_ref, description])
    handle = io.BytesIO()
    book.save(handle)
    size = handle.tell()
    handle.seek(0)
    return handle, size


def _measure(kind: str, old, operation_pk: int) -> dict:
    start_rss = _rss_kb()
    started = time.perf_counter()
    with translation.override("el"):
        if kind == "baseline":
            handle, size = _run_baseline(operation_pk)
        else:
            handle, size = _run_app(old if kind == "before" else exports, operation_pk)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
    with translation.override("el"):
        answer = _answer(handle)
    handle.close()
    return {
        "kind": kind,
        "wall_s": wall,
        "peak_rss_mb": peak / 1024,
        "growth_mb": (peak - start_rss) / 1024,
        "size_mb": size / 1024 / 1024,
        **answer,
    }


def _in_child(kind: str, old, operation_pk: int) -> dict:
    connection.close()  # the child opens its own connection
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read)
        code = 0
        try:
            payload = _measure(kind, old, operation_pk)
        except BaseException as exc:  # reported by the parent
            payload, code = {"kind": kind, "error": repr(exc)}, 1
        with os.fdopen(write, "w") as pipe:
            pipe.write(json.dumps(payload))
        os._exit(code)
    os.close(write)
    with os.fdopen(read) as pipe:
        payload = json.loads(pipe.read() or "{}")
    os.waitpid(pid, 0)
    if "error" in payload:
        raise RuntimeError(f"{kind}: {payload['error']}")
    return payload


def _report(results: list[dict], out, options) -> None:
    out.write(
        f"{'way':<10} {'wall s':>8} {'peak RSS MB':>12} {'growth MB':>10} {'file MB':>8}"
        f" {'rows':>8}  sha256"
    )
    for r in results:
        out.write(
            f"{r['kind']:<10} {r['wall_s']:>8.2f} {r['peak_rss_mb']:>12.0f} {r['growth_mb']:>10.0f}"
            f" {r['size_mb']:>8.1f} {r['rows']:>8}  {r['sha256']}"
        )
    answers = {(r["rows"], r["sha256"], r["total"]) for r in results}
    expected = options["rows"] - options["reversed"]
    rows = next(iter(answers))[0]
    if len(answers) == 1 and rows == expected:
        out.write(f"answers equal: {rows} rows, total {results[0]['total']}, same checksum")
    else:
        raise SystemExit(f"answers differ (expected {expected} rows): {sorted(answers)}")
    after = [r["wall_s"] for r in results if r["kind"] == "after"]
    if after:
        verdict = "within" if max(after) < GUNICORN_TIMEOUT_S else "PAST"
        out.write(f"after: {max(after):.1f} s, {verdict} gunicorn's {GUNICORN_TIMEOUT_S} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, current_setting(name) FROM pg_settings WHERE name IN"
                " ('shared_buffers', 'work_mem', 'effective_cache_size', 'server_version')"
                " ORDER BY name"
            )
            settings = ", ".join(f"{name}={value}" for name, value in cursor.fetchall())
        out.write(f"PostgreSQL: {settings}")


def run(options, out) -> None:
    old = None if options["skip_before"] else _old_exports()
    kinds = [k for k in KINDS if k != "before" or old is not None]
    if old is None and not options["skip_before"]:
        out.write(f"(the code of {OLD_COMMIT} is not available: 'before' left out)")
    rows, reversed_ = options["rows"], options["reversed"]
    out.write(f"{connection.vendor}: {rows} expenditures, {reversed_} reversed")
    if options["no_fork"]:
        with transaction.atomic():
            op = _load(options["rows"], options["reversed"])
            results = [_measure(kind, old, op.pk) for kind in kinds]
            transaction.set_rollback(True)
        _report(results, out, options)
        return
    started = time.perf_counter()
    with transaction.atomic():
        op = _load(options["rows"], options["reversed"])
    out.write(f"loaded in {time.perf_counter() - started:.1f} s")
    results = []
    try:
        for round_ in range(options["rounds"]):
            shift = round_ % len(kinds)
            for kind in kinds[shift:] + kinds[:shift]:
                results.append(_in_child(kind, old, op.pk))
                sys.stdout.flush()
        _report(results, out, options)
    finally:
        with transaction.atomic():
            Expenditure.objects.filter(operation_id=op.pk).delete()
            Operation.objects.filter(pk=op.pk).delete()
