"""Backup and restore: the round trip on the database the suite runs on (SQLite and
PostgreSQL), comparing every table's row count and the audit chains; and every refusal
(newer version, corrupt or truncated file, wrong or missing key, non-empty target) leaving
the target untouched."""

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from koinotita.audit.models import AuditEvent
from koinotita.audit.services import audit_record
from koinotita.operations import backup
from koinotita.operations.backup import BackupError, backup_create, new_key, restore
from koinotita.testing.world import build_world


def _source_counts() -> dict[str, int]:
    with connection.cursor() as cur:
        tables = connection.introspection.table_names(cur)
        return {
            t: cur.execute(f"SELECT count(*) FROM {connection.ops.quote_name(t)}").fetchone()[0]
            for t in tables
        }


def _source_chains() -> list[tuple]:
    return list(AuditEvent.objects.order_by("chain", "seq").values_list("chain", "seq", "hash"))


def _run_restore(directory: Path, database_url: str, documents: Path, key: str | None = None):
    env = dict(os.environ)
    env["KOINOTITA_DATABASE_URL"] = database_url
    env["KOINOTITA_DOCUMENTS_DIR"] = str(documents)
    env.pop("KOINOTITA_BACKUP_KEY", None)
    if key:
        env["KOINOTITA_BACKUP_KEY"] = key
    return subprocess.run(
        [sys.executable, "-m", "koinotita", "restore", str(directory)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture
def fresh_pg_database():
    """A new, empty database on the same cluster as the test database, dropped afterwards
    (the shared cluster itself is never restarted or dropped)."""
    info = backup._pg_conninfo(connection.settings_dict)
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    admin = dict(info, dbname="postgres")
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield name
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_url(dbname: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{dbname}"


def _target_counts_and_chains(url_or_path: str) -> tuple[dict, list]:
    if connection.vendor == "postgresql":
        with psycopg.connect(url_or_path) as conn, conn.cursor() as cur:
            counts = backup._pg_counts(cur)
            cur.execute("SELECT chain, seq, hash FROM audit_auditevent ORDER BY chain, seq")
            return counts, [tuple(r) for r in cur.fetchall()]
    conn = sqlite3.connect(url_or_path)
    try:
        counts = backup._sqlite_counts(conn)
        rows = conn.execute(
            "SELECT chain, seq, hash FROM audit_auditevent ORDER BY chain, seq"
        ).fetchall()
        return counts, [tuple(r) for r in rows]
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_every_row_and_every_audit_chain(encrypted, tmp_path, request, settings):
    build_world()
    documents = Path(settings.DOCUMENTS_DIR)
    assert any(p.is_file() for p in documents.rglob("*")), "the world stores documents"
    key = new_key() if encrypted else None
    manifest = backup_create(directory=tmp_path / "b", key=key and key.encode())

    source_counts, source_chains = _source_counts(), _source_chains()
    assert manifest["counts"] == {t: n for t, n in source_counts.items()}
    assert sum(source_counts.values()) > 100 and len(source_chains) > 10

    restored_docs = tmp_path / "restored-documents"
    if connection.vendor == "postgresql":
        target = request.getfixturevalue("fresh_pg_database")
        url = _pg_url(target)
        inspect = url
    else:
        inspect = str(tmp_path / "restored.db")
        url = f"sqlite:///{inspect}"
    proc = _run_restore(tmp_path / "b", url, restored_docs, key)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "row counts match; audit trail intact" in proc.stdout

    counts, chains = _target_counts_and_chains(inspect)
    assert counts == source_counts
    assert chains == source_chains
    original = sorted(p.relative_to(documents) for p in documents.rglob("*") if p.is_file())
    copied = sorted(p.relative_to(restored_docs) for p in restored_docs.rglob("*") if p.is_file())
    assert copied == original
    for rel in original:
        assert (restored_docs / rel).read_bytes() == (documents / rel).read_bytes()


# --- refusals ------------------------------------------------------------------------------


@pytest.fixture
def made(transactional_db, tmp_path):
    """A small backup (an audit event and a document) and an empty SQLite target."""
    if connection.vendor == "postgresql":
        pytest.skip("the refusals are checked against an SQLite target on the SQLite run")
    audit_record(action="test.concurrent", detail={"n": 1})
    docs = Path(settings.DOCUMENTS_DIR)
    docs.mkdir(parents=True, exist_ok=True)
    (docs / "backup-test.txt").write_text("a document")
    key = new_key()
    directory = tmp_path / "b"
    backup_create(directory=directory, key=key.encode())
    target = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "target.db")}
    return directory, key.encode(), target, tmp_path / "target-docs"


def _refused(made_, **overrides) -> BackupError:
    directory, key, target, docs = made_
    kwargs = {"directory": directory, "key": key, "settings_dict": target, "documents_dir": docs}
    kwargs.update(overrides)
    with pytest.raises(BackupError) as e:
        restore(**kwargs)
    assert not Path(target["NAME"]).exists() or Path(target["NAME"]).stat().st_size == 0
    assert not docs.exists() or not any(docs.iterdir())
    return e.value


def test_the_restore_of_a_good_backup_into_an_empty_target_works(made):
    directory, key, target, docs = made
    result = restore(directory=directory, key=key, settings_dict=target, documents_dir=docs)
    assert result.count_mismatches == []
    assert (docs / "backup-test.txt").read_text() == "a document"


def test_a_wrong_key_is_refused(made):
    error = _refused(made, key=new_key().encode())
    assert "Λάθος κλειδί" in error.el and "Wrong key" in error.en


def test_a_missing_key_is_refused(made):
    error = _refused(made, key=None)
    assert "encrypted" in error.en


def test_a_truncated_backup_is_refused(made):
    directory = made[0]
    dump = next(directory.glob("database.*.enc"))
    dump.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    error = _refused(made)
    assert "truncated or corrupt" in error.en and "κομμένο" in error.el


def test_a_corrupt_backup_is_refused(made):
    directory = made[0]
    docs = directory / "documents.tar.enc"
    data = bytearray(docs.read_bytes())
    data[len(data) // 2] ^= 0xFF
    docs.write_bytes(bytes(data))
    assert "corrupt" in _refused(made).en


def test_a_truncated_file_with_a_matching_manifest_is_still_refused(made):
    """Someone recomputed the stored checksum: the chunks' end marker still tells."""
    directory = made[0]
    dump = next(directory.glob("database.*.enc"))
    dump.write_bytes(dump.read_bytes()[:-4])
    manifest = json.loads((directory / "manifest.json").read_text())
    entry = manifest["files"][dump.name.removesuffix(".enc")]
    entry["stored_sha256"] = backup._sha256(dump)
    (directory / "manifest.json").write_text(json.dumps(manifest))
    assert "truncated" in _refused(made).en


def test_a_backup_from_a_newer_version_is_refused(made):
    directory = made[0]
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["koinotita_version"] = "99.0.0"
    (directory / "manifest.json").write_text(json.dumps(manifest))
    error = _refused(made)
    assert "newer version" in error.en and "νεότερη έκδοση" in error.el


def test_a_backup_with_migrations_this_version_lacks_is_refused(made):
    directory = made[0]
    manifest = json.loads((directory / "manifest.json").read_text())
    manifest["migrations"].append(["people", "9999_from_the_future"])
    (directory / "manifest.json").write_text(json.dumps(manifest))
    assert "9999_from_the_future" in _refused(made).en


def test_a_folder_that_is_not_a_backup_is_refused(made, tmp_path):
    (tmp_path / "empty").mkdir()
    assert "not a Koinotita backup" in _refused(made, directory=tmp_path / "empty").en


def test_a_non_empty_target_is_refused_and_left_as_it_was(made):
    directory, key, target, docs = made
    conn = sqlite3.connect(target["NAME"])
    conn.execute("CREATE TABLE precious (x)")
    conn.execute("INSERT INTO precious VALUES (42)")
    conn.commit()
    conn.close()
    with pytest.raises(BackupError) as e:
        restore(directory=directory, key=key, settings_dict=target, documents_dir=docs)
    assert "not empty" in e.value.en and "δεν είναι άδεια" in e.value.el
    conn = sqlite3.connect(target["NAME"])
    assert conn.execute("SELECT x FROM precious").fetchall() == [(42,)]
    conn.close()


@pytest.mark.django_db(transaction=True)
def test_the_restore_command_refuses_the_database_it_runs_on_which_is_not_empty(tmp_path):
    """On either database: the configured (test) database holds tables."""
    backup_create(directory=tmp_path / "b", documents_dir=tmp_path / "none")
    with pytest.raises(BackupError) as e:
        restore(directory=tmp_path / "b", documents_dir=tmp_path / "docs")
    assert "not empty" in e.value.en


def test_a_backup_is_not_written_into_a_folder_that_holds_files(tmp_path, transactional_db):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "x").write_text("")
    with pytest.raises(BackupError, match="not empty"):
        backup_create(directory=tmp_path / "b")
