"""`bench/run upload_bomb [--expanded-mb 287]`: an XLSX «zip bomb» (a well-formed workbook
of about 1 MB whose one sheet expands to 287 MB: the same row of a person over and over) is
given to the person import as `koinotita import persons FILE` reads it, and the benchmark
prints the time to refusal and the peak memory (RSS) of the process.

Each case runs in a fresh process (so that its peak RSS is its own):

1. as configured: the content check (koinotita.lib.uploads) reads the archive's table of
   contents and refuses it by its expansion, before openpyxl opens it;
2. with the expansion checks lifted (KOINOTITA_UPLOAD_MAX_UNCOMPRESSED_MB and the ratio set
   out of the way, as an operator raising the limit would): openpyxl's streaming reader goes
   through the sheet and the row cap (KOINOTITA_IMPORT_MAX_ROWS) refuses it.

Goal (issue 11): refused quickly, the process never growing past ~300 MB (before, the
import reached 4 GB and was killed).
"""

import io
import multiprocessing
import os
import resource
import tempfile
import time
import zipfile
from pathlib import Path

help = "an XLSX zip bomb given to the person import: time to refusal and peak RSS"
GOAL_RSS_MB = 300


def add_arguments(parser) -> None:
    parser.add_argument("--expanded-mb", type=int, default=287, help="the sheet once expanded")
    parser.add_argument(
        "--max-rows", type=int, default=None, help="KOINOTITA_IMPORT_MAX_ROWS for case 2"
    )


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def _case(case: str, path: str, max_rows, queue) -> None:
    """In a fresh process: Django set up, then the import's reading of the file."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koinotita.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.utils import translation

    from koinotita.lib import uploads
    from koinotita.people.imports import ImportFileError, import_file_read, import_path_read

    if case == "lifted":
        settings.UPLOAD_MAX_UNCOMPRESSED_BYTES = 1 << 40
        uploads.UPLOAD_MAX_RATIO = 1 << 20
    if max_rows:
        settings.IMPORT_MAX_ROWS = max_rows
    translation.activate("en")
    before = _rss_mb()
    started = time.perf_counter()
    outcome = "accepted (!)"
    try:
        file = Path(path)
        table = import_file_read(name=file.name, data=import_path_read(file))
        outcome = f"accepted (!): {len(table.rows):,} rows"
    except ImportFileError as exc:
        outcome = exc.messages[0]
    elapsed = time.perf_counter() - started
    queue.put(
        {
            "case": case,
            "seconds": elapsed,
            "rss_before_mb": before,
            "rss_peak_mb": _rss_mb(),
            "outcome": outcome,
            "max_rows": settings.IMPORT_MAX_ROWS,
        }
    )


def _run_case(case: str, path: Path, max_rows) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_case, args=(case, str(path), max_rows, queue))
    process.start()
    result = queue.get(timeout=600)
    process.join()
    return result


def run(options, out) -> None:
    from koinotita.testing.uploads import xlsx_bomb

    expanded = options["expanded_mb"] * 1024 * 1024
    started = time.perf_counter()
    data = xlsx_bomb(expanded)
    built = time.perf_counter() - started
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        expanded = sum(member.file_size for member in archive.infolist())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "persons.xlsx"
        path.write_bytes(data)
        out.write(
            f"Bomb: {len(data) / 1024 / 1024:.2f} MB on disk, {expanded / 1024 / 1024:,.0f} MB "
            f"once uncompressed (×{expanded / len(data):,.0f}); built in {built:.1f} s"
        )
        worst = 0.0
        for case, label in (
            ("configured", "1. as configured (expansion checked from the table of contents)"),
            ("lifted", "2. expansion checks lifted (streaming reader, row cap)"),
        ):
            result = _run_case(case, path, options["max_rows"])
            worst = max(worst, result["rss_peak_mb"])
            out.write(label)
            out.write(f"   refused in {result['seconds'] * 1000:,.0f} ms: {result['outcome']}")
            out.write(
                f"   peak RSS {result['rss_peak_mb']:,.0f} MB (Django loaded: "
                f"{result['rss_before_mb']:,.0f} MB); row cap {result['max_rows']:,}"
            )
    verdict = "OK" if worst <= GOAL_RSS_MB else "MISSED"
    out.write(f"Goal: peak RSS ≤ {GOAL_RSS_MB} MB in every case — {verdict}")
