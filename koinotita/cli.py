"""The `koinotita` command: every Django management command plus Koinotita's own.

`koinotita demo` prepares its own environment before Django starts: a var/ folder, a
generated secret key kept in var/secret_key, plain HTTP on 127.0.0.1 and 2FA off for the
demo users. Everything else reads the environment as documented in README.md.
"""

import os
import secrets
import sys
from pathlib import Path


def _var_dir() -> Path:
    default = Path(__file__).resolve().parent.parent / "var"
    return Path(os.environ.get("KOINOTITA_VAR_DIR", default))


def ensure_local_secret_key() -> None:
    """A checkout's own secret key in var/secret_key (git-ignored, mode 600), unless
    KOINOTITA_SECRET_KEY is set. `scripts/bootstrap` calls it, so that every `koinotita`
    command works in a checkout set up by `make demo` or `make test`; a production install
    sets KOINOTITA_SECRET_KEY and never runs the bootstrap."""
    var = _var_dir()
    var.mkdir(parents=True, exist_ok=True)
    key_file = var / "secret_key"
    if not key_file.exists() and not os.environ.get("KOINOTITA_SECRET_KEY"):
        key_file.write_text(secrets.token_urlsafe(64))
        key_file.chmod(0o600)


def prepare_demo_environment() -> None:
    ensure_local_secret_key()
    os.environ.setdefault("KOINOTITA_DEMO", "true")
    os.environ.setdefault("KOINOTITA_REQUIRE_2FA", "false")
    os.environ.setdefault("KOINOTITA_HTTPS", "false")


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "koinotita"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "koinotita.settings")
    if len(argv) > 1 and argv[1] == "demo":
        prepare_demo_environment()
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
