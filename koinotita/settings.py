"""Koinotita's one settings module: every value comes from an environment variable.

See README.md ("Configuration") for the list. A value that cannot be understood stops
start-up with a message naming the variable (koinotita.lib.env).
"""

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from koinotita.lib.env import env_bool, env_database, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("KOINOTITA_VAR_DIR", str(BASE_DIR.parent / "var")))

DEBUG = env_bool("KOINOTITA_DEBUG", False)
# The demo sets this: a visible banner, and the demo logins are shown on the login page.
DEMO = env_bool("KOINOTITA_DEMO", False)
# Messages to citizens (koinotita.lib.messaging): console, file or http.
MESSAGE_BACKEND = env_str("KOINOTITA_MESSAGE_BACKEND", "console")
if MESSAGE_BACKEND not in ("console", "file", "http"):
    raise ImproperlyConfigured(
        "KOINOTITA_MESSAGE_BACKEND: console, file ή http / console, file or http"
    )
SMS_GATEWAY_URL = env_str("KOINOTITA_SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env_str("KOINOTITA_SMS_GATEWAY_TOKEN")
# Two-factor authentication is enforced for every staff login unless explicitly turned off.
REQUIRE_2FA = env_bool("KOINOTITA_REQUIRE_2FA", True)
# Production serves over HTTPS only; the local demo over plain HTTP on 127.0.0.1.
HTTPS = env_bool("KOINOTITA_HTTPS", True)


def _secret_key() -> str:
    value = env_str("KOINOTITA_SECRET_KEY")
    if value:
        if len(value) < 50:
            raise ImproperlyConfigured(
                "Η KOINOTITA_SECRET_KEY πρέπει να έχει τουλάχιστον 50 χαρακτήρες. / "
                "KOINOTITA_SECRET_KEY must be at least 50 characters long."
            )
        return value
    generated = VAR_DIR / "secret_key"  # written by `koinotita demo`, never committed
    if generated.exists():
        return generated.read_text().strip()
    raise ImproperlyConfigured(
        "Δεν έχει οριστεί η KOINOTITA_SECRET_KEY (ή τρέξτε `koinotita demo`). / "
        "KOINOTITA_SECRET_KEY is not set (or run `koinotita demo` to generate one)."
    )


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("KOINOTITA_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("KOINOTITA_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "koinotita.accounts.admin_config.KoinotitaAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes
    "axes",
    "csp",
    "koinotita.organisations",
    "koinotita.accounts",
    "koinotita.audit",
    "koinotita.people",
    "koinotita.reception",
    "koinotita.programmes",
    "koinotita.cases",
    "koinotita.directory",
    "koinotita.referrals",
    "koinotita.activities",
    "koinotita.funding",
    "koinotita.monitoring",
    "koinotita.web",
    "koinotita.api",
    "koinotita.public",
    "koinotita.operations",
    "koinotita.demo",
]

MIDDLEWARE = [
    "koinotita.operations.requestlog.RequestLogMiddleware",  # first: every answer logged
    "koinotita.web.middleware.RequestSizeLimitMiddleware",  # before anything reads a body
    "koinotita.api.middleware.ApiErrorsAsJsonMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "koinotita.accounts.middleware.IdleTimeoutMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "koinotita.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "koinotita.urls"
WSGI_APPLICATION = "koinotita.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "koinotita.web.context_processors.koinotita",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env_database("KOINOTITA_DATABASE_URL", f"sqlite:///{VAR_DIR / 'koinotita.db'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Several gunicorn workers share one file: wait for the lock instead of failing, and
    # take the write lock at BEGIN so that two writers never deadlock half-way.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
else:
    DATABASES["default"]["TEST"] = {
        "NAME": env_str("KOINOTITA_TEST_DATABASE_NAME", "test_koinotita"),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication and login security ------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts-login"
LOGIN_REDIRECT_URL = "web-home"
LOGOUT_REDIRECT_URL = "accounts-login"

OTP_TOTP_ISSUER = "Koinotita"
OTP_TOTP_TOLERANCE = 1

AXES_FAILURE_LIMIT = env_int("KOINOTITA_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KOINOTITA_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Sessions end after a period of inactivity: accounts.middleware.IdleTimeoutMiddleware
# renews the expiry at most once a minute (a session saved on every request was 13% of the
# CPU of a staff request and a second commit per page).
SESSION_COOKIE_AGE = 60 * env_int("KOINOTITA_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("KOINOTITA_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Language and time ----------------------------------------------------------------
LANGUAGE_CODE = "el"
LANGUAGES = [("el", _("Greek")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Athens"
USE_TZ = True

# Only for the test suite: a fast password hasher (see koinotita/testing/environment.py).
if env_bool("KOINOTITA_FAST_PASSWORD_HASHER", False):
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True  # serve straight from the apps: no collectstatic step needed
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- E-mail (the mail adapter) --------------------------------------------------------
# With no KOINOTITA_EMAIL_HOST the mail is written to the console (demo, development);
# the test suite uses Django's in-memory outbox. Every sender goes through
# django.core.mail, so the backend is the adapter and nothing else needs to know.
EMAIL_HOST = env_str("KOINOTITA_EMAIL_HOST")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env_int("KOINOTITA_EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("KOINOTITA_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("KOINOTITA_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("KOINOTITA_EMAIL_TLS", True)
DEFAULT_FROM_EMAIL = env_str("KOINOTITA_EMAIL_FROM", "koinotita@localhost")
# Absolute address of the site, for links in e-mails (reminders, referral links).
SITE_URL = env_str("KOINOTITA_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# --- Documents (attachments): stored outside the web root, served only by scoped views --
DOCUMENTS_DIR = Path(env_str("KOINOTITA_DOCUMENTS_DIR", str(VAR_DIR / "documents")))
DOCUMENTS_MAX_BYTES = 1024 * 1024 * env_int("KOINOTITA_DOCUMENTS_MAX_MB", 10, minimum=1)

# --- Uploads and imports (checked by koinotita/lib/uploads.py) ------------------------------
# An office file (xlsx, docx, odt, ods) may not expand past this once uncompressed.
UPLOAD_MAX_UNCOMPRESSED_BYTES = (
    1024 * 1024 * env_int("KOINOTITA_UPLOAD_MAX_UNCOMPRESSED_MB", 100, minimum=1)
)
# A file to import (persons, participations, expenditures, HSDS): its size, and its rows.
IMPORT_MAX_BYTES = 1024 * 1024 * env_int("KOINOTITA_IMPORT_MAX_MB", 50, minimum=1)
IMPORT_MAX_ROWS = env_int("KOINOTITA_IMPORT_MAX_ROWS", 100_000, minimum=1)

# --- Request size (koinotita/web/middleware.py RequestSizeLimitMiddleware, the first one) -----
# A request body larger than this is refused with 413 before it is read; a view that takes
# files (`lib.uploads.accepts_files`) accepts its largest file on top of it.
MAX_REQUEST_BYTES = 1024 * 1024 * env_int("KOINOTITA_MAX_REQUEST_MB", 5, minimum=1)
MAX_UPLOAD_REQUEST_BYTES = MAX_REQUEST_BYTES + max(DOCUMENTS_MAX_BYTES, IMPORT_MAX_BYTES)

# --- Referrals ----------------------------------------------------------------------
# An accepted referral with no reported outcome after this many days is overdue.
REFERRALS_COMPLETION_DAYS = env_int("KOINOTITA_REFERRAL_COMPLETION_DAYS", 30, minimum=1)
# How long a signed link for a partner without an account stays valid.
REFERRALS_LINK_DAYS = env_int("KOINOTITA_REFERRAL_LINK_DAYS", 14, minimum=1)

# --- Public pages ---------------------------------------------------------------------
# The request form's limits (django-ratelimit, counted in the cache): per address, per phone,
# and a site's daily cap; a form sent back sooner than this after it was shown is a bot's.
PUBLIC_RATE_ADDRESS = env_str("KOINOTITA_PUBLIC_RATE_ADDRESS", "10/h")
PUBLIC_RATE_PHONE = env_str("KOINOTITA_PUBLIC_RATE_PHONE", "3/d")
PUBLIC_REQUESTS_PER_SITE_PER_DAY = env_int("KOINOTITA_PUBLIC_SITE_DAILY_CAP", 40, minimum=1)
PUBLIC_REQUEST_MIN_SECONDS = env_int("KOINOTITA_PUBLIC_MIN_SECONDS", 3, minimum=0)

# --- API ------------------------------------------------------------------------------
NINJA_PAGINATION_PER_PAGE = 50

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "json_lines": {"class": "logging.StreamHandler", "formatter": "line"},
    },
    "root": {"handlers": ["console"], "level": env_str("KOINOTITA_LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "ERROR"},
        # one JSON line per request (koinotita.operations.requestlog)
        "koinotita.requests": {"handlers": ["json_lines"], "level": "INFO", "propagate": False},
        "django.request": {"level": "ERROR"},
    },
}

# --- Serving --------------------------------------------------------------------------
PORT = env_int("KOINOTITA_PORT", 8000, minimum=1)
BIND = env_str("KOINOTITA_BIND", "127.0.0.1")
WORKERS = env_int("KOINOTITA_WORKERS", 2, minimum=1)
