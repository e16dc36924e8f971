"""The citizens' pages: each public page's time (p50/p95), bytes and SQL queries, through
Django in process; the queries of one accepted request; and a loopback flood of the request
form against a real HTTP server for `--seconds`, reporting accepted vs refused.

    KOINOTITA_HTTPS=false bench/run public [--requests 200] [--seconds 60] [--threads 8]

The flood's accepted requests are erased at the end (their audit events stay: the trail is
append-only); run it on a benchmark database.
"""

import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from django.core import signing
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bench.common import percentile
from koinotita.organisations.models import Municipality
from koinotita.organisations.services import network_load_reference
from koinotita.programmes.models import Programme
from koinotita.programmes.reference import programmes_load_reference
from koinotita.public.forms import _STARTED_SALT
from koinotita.reception.models import AppointmentRequest

help = "public pages p50/p95, bytes and queries; a loopback flood of the request form"

SITE = "florina-antenna-prespes"


def add_arguments(parser):
    parser.add_argument("--requests", type=int, default=200, help="GETs of each page")
    parser.add_argument("--seconds", type=int, default=60, help="length of the flood")
    parser.add_argument("--threads", type=int, default=8, help="flooding threads")
    parser.add_argument("--no-flood", action="store_true", help="pages only")


def _form(n: int) -> dict:
    return {
        "site": SITE,
        "name": "Δοκιμή Πλημμύρας",
        "phone": f"69{n % 100_000_000:08d}",
        "reason": "Δοκιμή αντοχής.",
        "consent": "on",
        "started": signing.dumps(time.time() - 60, salt=_STARTED_SALT),
    }


def _pages() -> list[tuple[str, str, dict | None]]:
    prespes = Municipality.objects.get(code="prespes")
    return [
        ("index", reverse("public-index"), None),
        ("nearest site", f"{reverse('public-index')}?municipality={prespes.pk}", None),
        ("centre", reverse("public-centre", kwargs={"code": "florina"}), None),
        ("programmes", reverse("public-programmes"), None),
        ("search", f"{reverse('public-programmes')}?q=επιδόματος", None),
        ("programme", reverse("public-programme", kwargs={"code": "minimum-income"}), None),
        ("check form", reverse("public-check"), None),
        ("request form", reverse("public-request"), None),
        ("accessibility", reverse("public-accessibility"), None),
        ("privacy", reverse("public-privacy"), None),
    ]


def _self_check_answer() -> dict:
    data = {"members-TOTAL_FORMS": "6", "members-INITIAL_FORMS": "0"}
    for i, age in enumerate((40, 38, 10, 7)):
        data[f"members-{i}-age"] = str(age)
    return data | {"income_6m": "0", "deposits": "0", "real_estate": "0", "renting": "yes"}


def _time(client, url, data, n) -> tuple[list[float], int, int, int]:
    times, size, status = [], 0, 0
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, data) if data else client.get(url)
    queries = len(captured.captured_queries)
    for _ in range(n):
        start = time.perf_counter()
        response = client.post(url, data) if data else client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        size, status = len(response.content), response.status_code
    return times, size, queries, status


class _Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):  # no access log: the flood would print a line a request
        pass


def _flood(out, seconds: int, threads: int) -> None:
    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=_Server, handler_class=_Quiet
    )
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{port}{reverse('public-request')}"
    counts: dict[int, int] = {}
    lock = threading.Lock()
    started_at = timezone.now()
    deadline = time.monotonic() + seconds
    serial = iter(range(10**9))

    def hammer():
        while time.monotonic() < deadline:
            with lock:
                n = next(serial)
            body = urllib.parse.urlencode(_form(n)).encode()
            try:
                with urllib.request.urlopen(url, body, timeout=10) as response:  # noqa: S310
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:
                status = 0
            with lock:
                counts[status] = counts.get(status, 0) + 1

    workers = [threading.Thread(target=hammer) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    server.shutdown()
    total = sum(counts.values())
    accepted = counts.get(200, 0)
    refused = counts.get(429, 0)
    kept = AppointmentRequest.objects.filter(created_at__gte=started_at, site__code=SITE)
    saved = kept.count()
    out.write(
        f"\nflood: {seconds} s, {threads} threads on loopback, {total} requests "
        f"({total / seconds:.0f}/s): accepted {accepted}, refused 429 {refused}, "
        f"other {dict((k, v) for k, v in counts.items() if k not in (200, 429))}; "
        f"saved {saved} (the same as accepted: {saved == accepted})"
    )
    kept.delete()


def run(options, out):
    if not Municipality.objects.filter(code="prespes").exists():
        network_load_reference()
    if not Programme.objects.exists():
        programmes_load_reference()
    client = Client(HTTP_HOST="127.0.0.1")
    n = options["requests"]
    out.write(f"public pages, {n} GETs each (in process, Django's test client)\n")
    out.write(f"{'page':<16}{'p50 ms':>8}{'p95 ms':>8}{'bytes':>8}{'queries':>9}\n")
    rows = [*_pages(), ("self-check", reverse("public-check"), _self_check_answer())]
    worst = 0.0
    for name, url, data in rows:
        times, size, queries, status = _time(client, url, data, n)
        p95 = percentile(times, 95)
        worst = max(worst, p95)
        out.write(
            f"{name:<16}{statistics.median(times):>8.1f}{p95:>8.1f}{size:>8}{queries:>9}"
            f"{'' if status == 200 else f'  status {status}'}\n"
        )
    out.write(f"worst p95: {worst:.1f} ms (goal ≤ 50 ms)\n")
    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("public-request"), _form(1), REMOTE_ADDR="10.9.9.9")
    out.write(
        f"one request accepted (status {response.status_code}): "
        f"{len(captured.captured_queries)} queries (goal ≤ 12)\n"
    )
    AppointmentRequest.objects.filter(site__code=SITE, name="Δοκιμή Πλημμύρας").delete()
    if not options["no_flood"]:
        _flood(out, options["seconds"], options["threads"])
    out.write("\n")
