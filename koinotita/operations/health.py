"""What /healthz reports: no personal data, only whether the installation is healthy.

database reachable, migrations applied, the last successful backup (var/last_backup.json,
written by `koinotita backup`) and the last `koinotita audit verify` (var/last_audit_verify.json).
"""

import json
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from koinotita.operations.backup import last_backup

AUDIT_VERIFY_FILE = "last_audit_verify.json"


def _read(name: str) -> dict | None:
    try:
        return json.loads((Path(settings.VAR_DIR) / name).read_text())
    except (OSError, ValueError):
        return None


def health_report() -> tuple[bool, dict]:
    report: dict = {"database": "ok"}
    healthy = True
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        report["migrations"] = "ok" if not pending else f"{len(pending)} pending"
        healthy = not pending
    except DatabaseError:
        report["database"] = "unreachable"
        report["migrations"] = "unknown"
        healthy = False
    backup = last_backup()
    report["last_backup"] = backup and {"at": backup["at"], "encrypted": backup["encrypted"]}
    verify = _read(AUDIT_VERIFY_FILE)
    report["audit_verify"] = verify and {"at": verify["at"], "ok": verify["ok"]}
    report["status"] = "ok" if healthy else "failing"
    return healthy, report
