"""Fault bench: a PostgreSQL restart in the middle of a bounded write load.

    bench/run outage [--writes 600] [--clients 4] [--restart-after 0.5] [--time-limit 120]

Starts its OWN PostgreSQL cluster (initdb + pg_ctl on a free loopback port in a temporary
folder, binaries from /usr/lib/postgresql/15/bin; never the shared cluster), migrates it,
serves Koinotita on it with `koinotita serve` on another free port, and sends WRITES person
registrations through the API (`POST /api/v1/people`) from CLIENTS threads. When the given
share of them has been acknowledged (201) it restarts the cluster (`pg_ctl restart -m
fast`). A write that is not acknowledged is retried by its client until it is (a client
that sees an error does not know whether the write happened: it is retried with the same
payload, and the duplicate answer 409 then counts as "already written").

Reports: acknowledged writes, lost writes (acknowledged but absent after the run; must be
0), answers during the outage by status, and recovery time (restart issued → first
acknowledged write after it), and the PostgreSQL settings it ran with. A write refused for
its content (4xx other than 409) or the time limit stops the load. The server and the
cluster are stopped and the folder removed at the end, whatever happened.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import psycopg

help = "a PostgreSQL restart mid-load on a private cluster: acknowledged and lost writes"

PG_BIN = Path("/usr/lib/postgresql/15/bin")
PG_SETTINGS = (
    "server_version",
    "fsync",
    "synchronous_commit",
    "full_page_writes",
    "wal_level",
    "shared_buffers",
    "max_connections",
)
SETUP = """
from koinotita.accounts.models import User
from koinotita.accounts.services import api_token_create, role_grant
from koinotita.organisations.models import Centre
from koinotita.organisations.services import network_load_reference
network_load_reference()
user = User.objects.create_user(username="outage-bench", password="outage-bench-pw-1")
role_grant(user=user, role="reception", level="centre", place=Centre.objects.get(code="kastoria"))
print("TOKEN", api_token_create(user=user)[1])
"""


def add_arguments(parser):
    parser.add_argument("--writes", type=int, default=600)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--restart-after", type=float, default=0.5)
    parser.add_argument("--time-limit", type=float, default=120, help="seconds for the load")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(argv: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


class Cluster:
    def __init__(self, root: Path):
        self.root, self.data, self.port = root, root / "data", _free_port()
        if os.geteuid() == 0:
            shutil.chown(root, "postgres", "postgres")

    def _run(self, *argv: str) -> None:
        subprocess.run(  # noqa: S603
            _as_postgres([str(PG_BIN / argv[0]), *argv[1:]]),
            check=True,  # noqa: S603
            capture_output=True,
            cwd=self.root,
        )

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self._ctl("start")

    def _ctl(self, action: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=on"
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.root / "log"),
            "-w",
            "-o",
            options,
            action,
            *(["-m", "fast"] if action != "start" else []),
        )

    def restart(self) -> None:
        self._ctl("restart")

    def stop(self) -> None:
        self._ctl("stop")

    def url(self, db="postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{db}"


def _koinotita(env: dict, *args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "koinotita", *args],
        env=env,  # noqa: S603
        capture_output=True,
        text=True,
        check=True,
        **kw,
    )


def run(options, out):
    root = Path(tempfile.mkdtemp(prefix="koinotita-outage-"))
    cluster = Cluster(root)
    server = server_log = None
    try:
        cluster.start()
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE koinotita")
        env = dict(os.environ)
        env.update(
            KOINOTITA_DATABASE_URL=cluster.url("koinotita"),
            KOINOTITA_PORT=str(_free_port()),
            KOINOTITA_BIND="127.0.0.1",
            KOINOTITA_WORKERS="2",
            KOINOTITA_HTTPS="false",
            KOINOTITA_REQUIRE_2FA="false",
            KOINOTITA_VAR_DIR=str(root / "var"),
            # gunicorn's control socket defaults to one fixed path for every instance
            GUNICORN_CMD_ARGS="--no-control-socket",
        )
        out.write(f"private cluster on 127.0.0.1:{cluster.port}; migrating…")
        began = time.perf_counter()
        _koinotita(env, "migrate", "--noinput")
        out.write(f"migrated in {time.perf_counter() - began:.0f} s; serving and loading…")
        token = _koinotita(env, "shell", "-c", SETUP).stdout.split("TOKEN ")[1].strip()
        server_log = open(root / "server.log", "wb")  # noqa: SIM115  (closed in finally)
        server = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "koinotita", "serve"],
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{env['KOINOTITA_PORT']}"
        _wait_for(base, server, root / "server.log")
        report = _load(base, token, cluster, options)
        with psycopg.connect(cluster.url("koinotita")) as conn:
            present = {
                r[0]
                for r in conn.execute(
                    "SELECT id FROM people_person WHERE id = ANY(%s)", [list(report["acked_ids"])]
                )
            }
            (rows,) = conn.execute(
                "SELECT count(*) FROM people_person WHERE id_document_number LIKE 'OUTAGE%%'"
            ).fetchone()
            settings = {
                name: conn.execute(f"SHOW {name}").fetchone()[0]  # noqa: S608  (fixed names)
                for name in PG_SETTINGS
            }
        lost = len(report["acked_ids"] - present)
        out.write(
            json.dumps(
                {
                    "writes": options["writes"],
                    "clients": options["clients"],
                    "acknowledged": len(report["acked_ids"]) + report["conflicts"],
                    "acknowledged_as_409_on_retry": report["conflicts"],
                    "lost": lost,
                    "rows_in_db": rows,
                    "retries": report["retries"],
                    "answers_while_down": dict(report["errors"]),
                    "recovery_s": report["recovery_s"],
                    "restart_s": report["restart_s"],
                    "load_s": report["load_s"],
                    "postgresql": settings,
                },
                indent=2,
            )
        )
        log = (root / "server.log").read_text(errors="replace")
        # the last line of each traceback in the server's log: what the 5xx answers met (a
        # psycopg error is chained into Django's own: only the latter is counted)
        last_lines = re.findall(r"^(?:[\w.]+\.)?\w+(?:Error|Shutdown|Exception)\b.*$", log, re.M)
        exceptions = Counter(line[:160] for line in last_lines if not line.startswith("psycopg"))
        out.write("exceptions in the server's log: " + json.dumps(dict(exceptions), indent=2))
        if lost or rows != options["writes"]:
            n = options["writes"]
            raise SystemExit(f"LOST {lost} acknowledged writes; {rows} rows for {n} writes")
    finally:
        if server:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if server_log:
            server_log.close()
        try:
            if (cluster.data / "postmaster.pid").exists():
                cluster.stop()
        finally:
            shutil.rmtree(root, ignore_errors=True)


def _wait_for(base: str, server: subprocess.Popen, log: Path) -> None:
    """Until the server answers at all (any HTTP status counts: it is listening)."""
    for _ in range(120):
        if server.poll() is not None:
            break
        try:
            urllib.request.urlopen(base + "/healthz", timeout=5)  # noqa: S310
            return
        except urllib.error.HTTPError:
            return
        except OSError:  # refused or timed out while it starts
            time.sleep(0.5)
    tail = log.read_text(errors="replace")[-3000:]
    raise SystemExit(f"koinotita serve did not answer (exit code {server.poll()}):\n{tail}")


def _letters(i: int) -> str:
    """A given name of letters only (names may not hold digits), different for each i."""
    alphabet, name = "αβγδεζηθικλμνξοπρστυφχψω", ""
    while True:
        i, r = divmod(i, len(alphabet))
        name += alphabet[r]
        if not i:
            return "Βλάβη" + name


def _load(base: str, token: str, cluster: Cluster, options) -> dict:
    n, restart_at = options["writes"], int(options["writes"] * options["restart_after"])
    acked_ids, errors, lock = set(), Counter(), threading.Lock()
    state = {"next": 0, "acked": 0, "restart_t": None, "first_after": None, "retries": 0}
    state["conflicts"] = 0
    restarted = threading.Event()
    deadline = time.perf_counter() + options["time_limit"]

    def payload(i: int) -> bytes:
        return json.dumps(
            {
                "family_name": "Δοκιμαστική",
                "given_name": _letters(i),
                "sex": "F",
                "birth_date": (date(1950, 1, 1) + timedelta(days=i)).isoformat(),
                "residence_municipality": "kastoria",
                # unique per write: a retry of a write that had been committed answers 409
                "id_document_type": "other",
                "id_document_number": f"OUTAGE{i:07d}",
                "consent_given_on": date.today().isoformat(),
            }
        ).encode()

    def send(i: int) -> int | None:
        request = urllib.request.Request(  # noqa: S310
            base + "/api/v1/people",
            data=payload(i),
            method="POST",
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return json.loads(response.read())["id"]
        except urllib.error.HTTPError as e:
            body = e.read()[:500].decode(errors="replace")
            with lock:
                errors[e.code] += 1
                if e.code == 503 and e.headers.get("Retry-After"):
                    errors["503 with Retry-After"] += 1
            if e.code == 409:  # a retry of a write that had been committed: it is there
                return -1
            if e.code < 500:  # the payload is wrong: retrying it would never end
                state["fatal"] = f"write {i}: HTTP {e.code} {body}"
                return -2
        except OSError as e:  # refused, reset, timed out
            with lock:
                errors[type(e).__name__] += 1
        return None

    def client():
        while True:
            with lock:
                if state["next"] >= n or state.get("fatal"):
                    return
                i = state["next"]
                state["next"] += 1
            while (pk := send(i)) is None:
                if time.perf_counter() > deadline:
                    state["fatal"] = f"write {i} not acknowledged within the time limit"
                if state.get("fatal"):
                    return
                with lock:
                    state["retries"] += 1
                time.sleep(0.05)
            if pk == -2:
                return
            now = time.perf_counter()
            with lock:
                if pk > 0:
                    acked_ids.add(pk)
                else:
                    state["conflicts"] += 1
                state["acked"] += 1
                if restarted.is_set() and state["first_after"] is None:
                    state["first_after"] = now

    def restarter():
        while state["acked"] < restart_at:
            if state.get("fatal"):
                return
            time.sleep(0.01)
        state["restart_t"] = time.perf_counter()
        cluster.restart()
        state["restart_done"] = time.perf_counter()
        restarted.set()

    threads = [threading.Thread(target=client) for _ in range(options["clients"])]
    started = time.perf_counter()
    chaos = threading.Thread(target=restarter)
    chaos.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    chaos.join()
    if state.get("fatal"):
        raise SystemExit(f"stopped: {state['fatal']}")
    return {
        "acked_ids": acked_ids,
        "errors": errors,
        "retries": state["retries"],
        "conflicts": state["conflicts"],
        "load_s": round(time.perf_counter() - started, 2),
        "restart_s": round(state["restart_done"] - state["restart_t"], 2),
        "recovery_s": round((state["first_after"] or state["restart_t"]) - state["restart_t"], 2),
    }
