"""Backup and restore of a whole installation: the database and the documents directory.

A backup is a directory:

    manifest.json      format, Koinotita version, database engine, applied migrations,
                       rows per table, and a SHA-256 of every file below (as stored and,
                       when encrypted, of its plain content)
    database.dump      PostgreSQL: `pg_dump --format=custom`, taken on the snapshot the
                       counts were read from (so the counts are those of the dump)
    database.sqlite3   SQLite: a copy made with sqlite3's online backup API
    documents.tar      the documents directory (KOINOTITA_DOCUMENTS_DIR)

With a key (KOINOTITA_BACKUP_KEY or a key file, a Fernet key) every file but the manifest
is stored encrypted as `NAME.enc`: chunks of Fernet tokens and an end marker, so that a
truncated file is told from a wrong key. The manifest carries a token of a known text to
recognise a wrong key before anything is read.

A restore checks everything first (format, version, every checksum, the key) into a
temporary copy, refuses a target database that holds any table, and only then writes; the
PostgreSQL restore is one transaction. It compares every table's row count with the
manifest. `dumpdata`/`loaddata` are not used: they cut timestamps to milliseconds, which
breaks every audit hash.
"""

import hashlib
import importlib.metadata
import json
import os
import shutil
import sqlite3
import subprocess  # noqa: S404  (pg_dump / pg_restore with an argument list, no shell)
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from psycopg import sql

FORMAT = 1
MANIFEST = "manifest.json"
ENC_MAGIC = b"KOINOTITA-BACKUP-ENC1\n"
CHUNK = 8 * 1024 * 1024
KEY_CHECK = b"koinotita-backup-key-check"
LAST_BACKUP_FILE = "last_backup.json"


class BackupError(Exception):
    """A refusal or failure, said in Greek and in English."""

    def __init__(self, el: str, en: str):
        super().__init__(f"{el} / {en}")
        self.el, self.en = el, en


@dataclass
class RestoreResult:
    manifest: dict
    tables: int = 0
    rows: int = 0
    count_mismatches: list[str] = field(default_factory=list)


def koinotita_version() -> str:
    try:
        return importlib.metadata.version("koinotita")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - not installed
        return "0"


def _version_tuple(v: str) -> tuple[int, ...]:
    parts = []
    for p in v.split("."):
        digits = "".join(ch for ch in p if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


# --- keys ----------------------------------------------------------------------------------


def load_key(*, key_file: str | None = None) -> bytes | None:
    """The backup key: from KEY_FILE if given, else KOINOTITA_BACKUP_KEY; None: no encryption."""
    if key_file:
        try:
            raw = Path(key_file).read_text().strip()
        except OSError as e:
            raise BackupError(
                f"Δεν διαβάζεται το αρχείο κλειδιού {key_file}: {e.strerror}.",
                f"Cannot read the key file {key_file}: {e.strerror}.",
            ) from e
    else:
        raw = os.environ.get("KOINOTITA_BACKUP_KEY", "").strip()
    if not raw:
        return None
    try:
        Fernet(raw.encode())
    except ValueError as e:
        raise BackupError(
            "Το κλειδί δεν είναι έγκυρο κλειδί Fernet (32 byte σε base64 για URL).",
            "The key is not a valid Fernet key (32 bytes, URL-safe base64).",
        ) from e
    return raw.encode()


def new_key() -> str:
    return Fernet.generate_key().decode()


# --- files ---------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1024 * 1024), b""):
            h.update(block)
    return h.hexdigest()


def _encrypt_file(src: Path, dst: Path, key: bytes) -> None:
    fernet = Fernet(key)
    with src.open("rb") as fin, dst.open("wb") as fout:
        fout.write(ENC_MAGIC)
        for block in iter(lambda: fin.read(CHUNK), b""):
            token = fernet.encrypt(block)
            fout.write(len(token).to_bytes(4, "big"))
            fout.write(token)
        fout.write((0).to_bytes(4, "big"))


def _decrypt_file(src: Path, dst: Path, key: bytes) -> None:
    fernet = Fernet(key)
    truncated = BackupError(
        f"Το αρχείο {src.name} του αντιγράφου είναι κομμένο ή αλλοιωμένο.",
        f"The backup file {src.name} is truncated or corrupt.",
    )
    with src.open("rb") as fin, dst.open("wb") as fout:
        if fin.read(len(ENC_MAGIC)) != ENC_MAGIC:
            raise truncated
        while True:
            head = fin.read(4)
            if len(head) != 4:
                raise truncated
            size = int.from_bytes(head, "big")
            if size == 0:
                break
            token = fin.read(size)
            if len(token) != size:
                raise truncated
            try:
                fout.write(fernet.decrypt(token))
            except InvalidToken as e:
                raise truncated from e
        if fin.read(1):
            raise truncated


# --- reading the database ------------------------------------------------------------------


def _is_postgres(settings_dict: dict) -> bool:
    return settings_dict["ENGINE"] == "django.db.backends.postgresql"


def _pg_conninfo(settings_dict: dict) -> dict:
    info = {
        "dbname": settings_dict["NAME"],
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": str(settings_dict["PORT"]) if settings_dict.get("PORT") else None,
    }
    return {k: v for k, v in info.items() if v}


def _pg_env(settings_dict: dict) -> dict:
    info = _pg_conninfo(settings_dict)
    env = dict(os.environ)
    for key, var in (
        ("dbname", "PGDATABASE"),
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
        ("host", "PGHOST"),
        ("port", "PGPORT"),
    ):
        if key in info:
            env[var] = info[key]
    return env


def pg_binary(name: str) -> str:
    """pg_dump / pg_restore from PATH (Debian's postgresql-client), else the newest server's."""
    found = shutil.which(name)
    if found:
        return found
    for version_dir in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        candidate = version_dir / name
        if candidate.exists():
            return str(candidate)
    raise BackupError(
        f"Δεν βρέθηκε το {name}: εγκαταστήστε το πακέτο postgresql-client.",
        f"{name} not found: install the postgresql-client package.",
    )


def _pg_tables(cur) -> list[str]:
    cur.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name"
    )
    return [r[0] for r in cur.fetchall()]


def _pg_counts(cur) -> dict[str, int]:
    counts = {}
    for table in _pg_tables(cur):
        cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
        counts[table] = cur.fetchone()[0]
    return counts


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [r[0] for r in rows]


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]  # noqa: S608  (names from sqlite_master)
        for t in _sqlite_tables(conn)
    }


def _applied_migrations() -> list[list[str]]:
    with connection.cursor() as cur:
        cur.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [list(r) for r in cur.fetchall()]


# --- backup --------------------------------------------------------------------------------


def backup_create(
    *,
    directory: Path,
    key: bytes | None = None,
    documents_dir: Path | None = None,
    say: Callable[[str], None] = lambda _m: None,
) -> dict:
    """Write a backup of the configured database and documents into DIRECTORY (new or empty).
    Returns the manifest."""
    directory = Path(directory)
    documents_dir = Path(documents_dir or settings.DOCUMENTS_DIR)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(
            f"Ο φάκελος {directory} δεν είναι άδειος: δώστε νέο ή άδειο φάκελο.",
            f"The folder {directory} is not empty: give a new or empty folder.",
        )
    directory.mkdir(parents=True, exist_ok=True)
    settings_dict = connection.settings_dict
    migrations = _applied_migrations()
    with tempfile.TemporaryDirectory(dir=directory, prefix=".work-") as tmp_name:
        tmp = Path(tmp_name)
        if _is_postgres(settings_dict):
            db_file = tmp / "database.dump"
            counts = _pg_dump(settings_dict, db_file)
        else:
            db_file = tmp / "database.sqlite3"
            counts = _sqlite_backup(db_file)
        say(f"database: {sum(counts.values()):,} rows in {len(counts)} tables")
        docs_file = tmp / "documents.tar"
        n_docs = _tar_documents(documents_dir, docs_file)
        say(f"documents: {n_docs} files")

        files = {}
        for plain in (db_file, docs_file):
            entry = {"sha256": _sha256(plain), "size": plain.stat().st_size}
            if key:
                stored = directory / (plain.name + ".enc")
                _encrypt_file(plain, stored, key)
                entry["stored"] = stored.name
                entry["stored_sha256"] = _sha256(stored)
            else:
                stored = directory / plain.name
                shutil.move(plain, stored)
                entry["stored"] = stored.name
                entry["stored_sha256"] = entry["sha256"]
            files[plain.name] = entry

    manifest = {
        "format": FORMAT,
        "koinotita_version": koinotita_version(),
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": "postgresql" if _is_postgres(settings_dict) else "sqlite",
        "migrations": migrations,
        "counts": counts,
        "documents": n_docs,
        "files": files,
        "encrypted": bool(key),
    }
    if key:
        manifest["key_check"] = Fernet(key).encrypt(KEY_CHECK).decode()
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    _record_last_backup(manifest, directory)
    return manifest


def _pg_dump(settings_dict: dict, out: Path) -> dict[str, int]:
    """Counts and dump read from one exported snapshot: they agree whatever is written."""
    with psycopg.connect(**_pg_conninfo(settings_dict)) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            counts = _pg_counts(cur)
            proc = subprocess.run(  # noqa: S603
                [
                    pg_binary("pg_dump"),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    "--no-owner",
                    "--no-privileges",
                    f"--file={out}",
                ],
                env=_pg_env(settings_dict),
                capture_output=True,
                text=True,
                check=False,
            )
    if proc.returncode != 0:
        raise BackupError(
            f"Το pg_dump απέτυχε: {proc.stderr.strip()}",
            f"pg_dump failed: {proc.stderr.strip()}",
        )
    return counts


def _sqlite_backup(out: Path) -> dict[str, int]:
    if connection.in_atomic_block:
        raise BackupError(
            "Το αντίγραφο δεν γράφεται μέσα σε ανοιχτή συναλλαγή.",
            "A backup is not taken inside an open transaction.",
        )
    connection.ensure_connection()
    source = connection.connection  # the live sqlite3 connection (also :memory: in tests)
    target = sqlite3.connect(out)
    try:
        source.backup(target)
        return _sqlite_counts(target)
    finally:
        target.close()


def _tar_documents(documents_dir: Path, out: Path) -> int:
    n = 0
    with tarfile.open(out, "w") as tar:
        if documents_dir.is_dir():
            for path in sorted(documents_dir.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=str(path.relative_to(documents_dir)))
                    n += 1
    return n


def _record_last_backup(manifest: dict, directory: Path) -> None:
    record = {
        "at": manifest["created_at"],
        "directory": str(directory),
        "rows": sum(manifest["counts"].values()),
        "encrypted": manifest["encrypted"],
    }
    path = Path(settings.VAR_DIR) / LAST_BACKUP_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record))


def last_backup() -> dict | None:
    path = Path(settings.VAR_DIR) / LAST_BACKUP_FILE
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


# --- restore -------------------------------------------------------------------------------


def read_manifest(directory: Path) -> dict:
    path = Path(directory) / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError as e:
        raise BackupError(
            f"Δεν υπάρχει {MANIFEST} στον φάκελο {directory}: δεν είναι αντίγραφο του Koinotita.",
            f"No {MANIFEST} in {directory}: this is not a Koinotita backup.",
        ) from e
    except ValueError as e:
        raise BackupError(f"Το {MANIFEST} είναι αλλοιωμένο.", f"The {MANIFEST} is corrupt.") from e
    if not isinstance(manifest, dict) or "format" not in manifest:
        raise BackupError(f"Το {MANIFEST} είναι αλλοιωμένο.", f"The {MANIFEST} is corrupt.")
    return manifest


def check_compatible(manifest: dict) -> None:
    """Refuse a backup this version of Koinotita cannot restore (a newer one)."""
    if manifest["format"] > FORMAT:
        raise BackupError(
            f"Το αντίγραφο έχει νεότερη μορφή ({manifest['format']}) από όσες ξέρει αυτή η "
            "έκδοση: αναβαθμίστε το Koinotita πριν την επαναφορά.",
            f"The backup has a newer format ({manifest['format']}) than this version knows: "
            "upgrade Koinotita before restoring.",
        )
    theirs, ours = manifest.get("koinotita_version", "0"), koinotita_version()
    known = set(MigrationLoader(None, ignore_no_migrations=True).graph.nodes)
    unknown = [f"{app}.{name}" for app, name in manifest.get("migrations", [])]
    unknown = [m for m in unknown if tuple(m.split(".", 1)) not in known]
    if _version_tuple(theirs) > _version_tuple(ours) or unknown:
        what = f" (π.χ. {unknown[0]})" if unknown else ""
        what_en = f" (e.g. {unknown[0]})" if unknown else ""
        raise BackupError(
            f"Το αντίγραφο είναι από νεότερη έκδοση ({theirs}) από αυτή ({ours}){what}: "
            "αναβαθμίστε το Koinotita πριν την επαναφορά.",
            f"The backup is from a newer version ({theirs}) than this one ({ours}){what_en}: "
            "upgrade Koinotita before restoring.",
        )


def check_key(manifest: dict, key: bytes | None) -> None:
    if not manifest.get("encrypted"):
        return
    if not key:
        raise BackupError(
            "Το αντίγραφο είναι κρυπτογραφημένο: δώστε το κλειδί (KOINOTITA_BACKUP_KEY ή "
            "--key-file).",
            "The backup is encrypted: give its key (KOINOTITA_BACKUP_KEY or --key-file).",
        )
    try:
        ok = Fernet(key).decrypt(manifest["key_check"].encode()) == KEY_CHECK
    except (InvalidToken, KeyError, ValueError):
        ok = False
    if not ok:
        raise BackupError(
            "Λάθος κλειδί: με αυτό το κλειδί δεν ανοίγει το αντίγραφο.",
            "Wrong key: this key does not open the backup.",
        )


def unpack(directory: Path, manifest: dict, key: bytes | None, into: Path) -> dict[str, Path]:
    """Check every file's checksums and give its plain copy in INTO: {name: path}."""
    out = {}
    for name, entry in manifest["files"].items():
        stored = Path(directory) / entry["stored"]
        corrupt = BackupError(
            f"Το αρχείο {stored.name} του αντιγράφου λείπει, είναι κομμένο ή αλλοιωμένο.",
            f"The backup file {stored.name} is missing, truncated or corrupt.",
        )
        if not stored.is_file() or _sha256(stored) != entry["stored_sha256"]:
            raise corrupt
        plain = into / name
        if manifest.get("encrypted"):
            _decrypt_file(stored, plain, key)
        else:
            shutil.copyfile(stored, plain)
        if _sha256(plain) != entry["sha256"]:
            raise corrupt
        out[name] = plain
    return out


def _target_tables(settings_dict: dict) -> list[str]:
    if _is_postgres(settings_dict):
        try:
            with psycopg.connect(**_pg_conninfo(settings_dict)) as conn, conn.cursor() as cur:
                return _pg_tables(cur)
        except psycopg.OperationalError as e:
            raise BackupError(
                f"Δεν είναι προσβάσιμη η βάση προορισμού: {e}",
                f"The target database is not reachable: {e}",
            ) from e
    name = str(settings_dict["NAME"])
    if name.startswith("file:"):  # an in-memory database shared in this process (tests)
        conn = sqlite3.connect(name, uri=True)
    else:
        path = Path(name)
        if not path.exists() or path.stat().st_size == 0:
            return []
        conn = sqlite3.connect(path)
    try:
        return _sqlite_tables(conn)
    finally:
        conn.close()


def restore(
    *,
    directory: Path,
    key: bytes | None = None,
    settings_dict: dict | None = None,
    documents_dir: Path | None = None,
    say: Callable[[str], None] = lambda _m: None,
) -> RestoreResult:
    """Restore the backup in DIRECTORY into an empty database (the configured one unless
    SETTINGS_DICT is given) and an empty documents directory. Everything is checked before
    the target is written; a refusal leaves it untouched."""
    directory = Path(directory)
    settings_dict = settings_dict or connection.settings_dict
    documents_dir = Path(documents_dir or settings.DOCUMENTS_DIR)
    manifest = read_manifest(directory)
    check_compatible(manifest)
    engine = "postgresql" if _is_postgres(settings_dict) else "sqlite"
    if manifest.get("engine") != engine:
        raise BackupError(
            f"Το αντίγραφο είναι από βάση {manifest.get('engine')} και ο προορισμός είναι "
            f"{engine}.",
            f"The backup is of a {manifest.get('engine')} database and the target is {engine}.",
        )
    check_key(manifest, key)
    tables = _target_tables(settings_dict)
    if tables:
        raise BackupError(
            f"Η βάση προορισμού δεν είναι άδεια ({len(tables)} πίνακες): η επαναφορά γίνεται "
            "μόνο σε άδεια βάση.",
            f"The target database is not empty ({len(tables)} tables): a backup is restored "
            "into an empty database only.",
        )
    if documents_dir.exists() and any(documents_dir.iterdir()):
        raise BackupError(
            f"Ο φάκελος εγγράφων {documents_dir} δεν είναι άδειος.",
            f"The documents folder {documents_dir} is not empty.",
        )
    with tempfile.TemporaryDirectory(prefix="koinotita-restore-") as tmp_name:
        plain = unpack(directory, manifest, key, Path(tmp_name))
        say("checksums: every file intact")
        docs_tmp = Path(tmp_name) / "documents"
        _untar_documents(plain["documents.tar"], docs_tmp)
        if engine == "postgresql":
            _pg_restore(settings_dict, plain["database.dump"])
            with psycopg.connect(**_pg_conninfo(settings_dict)) as conn, conn.cursor() as cur:
                counts = _pg_counts(cur)
        else:
            counts = _sqlite_restore(settings_dict, plain["database.sqlite3"])
        documents_dir.parent.mkdir(parents=True, exist_ok=True)
        if documents_dir.exists():
            documents_dir.rmdir()
        shutil.move(docs_tmp, documents_dir)
    result = RestoreResult(manifest=manifest, tables=len(counts), rows=sum(counts.values()))
    expected = manifest["counts"]
    for table in sorted(set(expected) | set(counts)):
        if expected.get(table) != counts.get(table):
            result.count_mismatches.append(
                f"{table}: {expected.get(table)} in the backup, {counts.get(table)} restored"
            )
    return result


def _untar_documents(tar_path: Path, into: Path) -> None:
    into.mkdir()
    try:
        with tarfile.open(tar_path) as tar:
            tar.extractall(into, filter="data")
    except (tarfile.TarError, OSError) as e:
        raise BackupError(
            "Το αρχείο εγγράφων του αντιγράφου είναι αλλοιωμένο.",
            "The documents archive of the backup is corrupt.",
        ) from e


def _pg_restore(settings_dict: dict, dump: Path) -> None:
    proc = subprocess.run(  # noqa: S603
        [
            pg_binary("pg_restore"),
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={settings_dict['NAME']}",
            str(dump),
        ],
        env=_pg_env(settings_dict),
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise BackupError(
            f"Το pg_restore απέτυχε (η βάση έμεινε όπως ήταν): {proc.stderr.strip()}",
            f"pg_restore failed (the database was left as it was): {proc.stderr.strip()}",
        )


def _sqlite_restore(settings_dict: dict, db_file: Path) -> dict[str, int]:
    target = Path(settings_dict["NAME"])
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(target.name + ".restoring")
    source = sqlite3.connect(db_file)
    dest = sqlite3.connect(staged)
    try:
        source.backup(dest)
        check = dest.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(
                "Η βάση του αντιγράφου είναι αλλοιωμένη.", "The backup's database is corrupt."
            )
        counts = _sqlite_counts(dest)
    finally:
        source.close()
        dest.close()
    for suffix in ("-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    os.replace(staged, target)
    return counts
