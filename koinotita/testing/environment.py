"""Loaded by pytest (`-p koinotita.testing.environment`) before Django reads its settings.

The test suite runs with a throw-away secret key, plain HTTP, a fast password hasher and 2FA
off by default; the tests of 2FA and of production settings turn them on explicitly.
The database comes from KOINOTITA_DATABASE_URL (SQLite in memory when unset).
"""

import os
import tempfile

os.environ.setdefault("KOINOTITA_SECRET_KEY", "test-only-" + "k" * 60)
os.environ.setdefault("KOINOTITA_HTTPS", "false")
os.environ.setdefault("KOINOTITA_REQUIRE_2FA", "false")
os.environ.setdefault("KOINOTITA_DEMO", "false")
os.environ.setdefault("KOINOTITA_FAST_PASSWORD_HASHER", "true")
os.environ.setdefault("KOINOTITA_LOG_LEVEL", "WARNING")
# Documents the tests attach go to a folder of their own, never into the checkout's var/.
os.environ.setdefault(
    "KOINOTITA_DOCUMENTS_DIR", tempfile.mkdtemp(prefix="koinotita-test-documents-")
)
