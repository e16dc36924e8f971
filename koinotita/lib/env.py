"""Typed readers for environment variables that fail loudly on a bad value.

Every setting of Koinotita comes from the environment (STYLE.md: settings). A value that
cannot be understood stops start-up with a message naming the variable, in Greek and in
English, instead of being silently replaced by a default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on", "ναι"}
_FALSE = {"0", "false", "no", "off", "όχι", ""}


def _bad(name: str, value: str, expected_el: str, expected_en: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(
        f"Μη έγκυρη τιμή στη μεταβλητή {name}={value!r}: αναμένεται {expected_el}. / "
        f"Invalid value in {name}={value!r}: expected {expected_en}."
    )


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise _bad(name, raw, "true ή false", "true or false")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise _bad(name, raw, "ακέραιος αριθμός", "a whole number") from None
    if minimum is not None and value < minimum:
        raise _bad(name, raw, f"αριθμός ≥ {minimum}", f"a number ≥ {minimum}")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default)
    items = [item.strip() for item in raw.split(",")]
    if any(not item for item in items):
        raise _bad(name, raw, "λίστα χωρισμένη με κόμματα", "a comma-separated list")
    return items


def env_database(name: str, default: str) -> dict:
    """Parse a database URL (sqlite:///path or postgres://user@host:port/name)."""
    import dj_database_url

    raw = os.environ.get(name, default)
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except (ValueError, KeyError) as exc:
        raise _bad(name, raw, "διεύθυνση βάσης δεδομένων", f"a database URL ({exc})") from None
    engine = config.get("ENGINE", "")
    if engine not in ("django.db.backends.sqlite3", "django.db.backends.postgresql"):
        raise _bad(name, raw, "sqlite:// ή postgres://", "sqlite:// or postgres://")
    if not config.get("NAME"):
        raise _bad(name, raw, "όνομα βάσης", "a database name")
    return config
