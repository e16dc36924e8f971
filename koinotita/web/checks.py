"""Koinotita's own production checks, run by `koinotita check --deploy`."""

from django.conf import settings
from django.core.checks import Error, Tags, register

SECRET_KEY_NOT_SET = "koinotita.E001"


@register(Tags.security, deploy=True)
def secret_key_from_environment(app_configs=None, **kwargs):
    """In production (neither DEBUG nor DEMO) the secret key comes from KOINOTITA_SECRET_KEY,
    never from the checkout's generated var/secret_key (made for the demo and the tests)."""
    if settings.DEBUG or settings.DEMO:
        return []
    generated = settings.VAR_DIR / "secret_key"
    from_file = generated.exists() and generated.read_text().strip() == settings.SECRET_KEY
    if settings.SECRET_KEY and not from_file:
        return []
    return [
        Error(
            "Δεν έχει οριστεί η KOINOTITA_SECRET_KEY: το κλειδί είναι το τοπικό var/secret_key "
            "της εγκατάστασης. / KOINOTITA_SECRET_KEY is not set: the key is the local, "
            "generated var/secret_key.",
            hint="Set KOINOTITA_SECRET_KEY (at least 50 random characters) in the service's "
            "environment, e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))'.",
            id=SECRET_KEY_NOT_SET,
        )
    ]
