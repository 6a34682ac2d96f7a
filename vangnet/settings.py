"""Vangnet settings: one module, configured only through environment variables.

A fresh clone runs with zero variables (development mode, SQLite in ``var/``, a development
secret and development master keys generated into ignored files under ``var/``).
``VANGNET_ENV=production`` switches on every deployment safeguard and requires real secrets.
Every variable is documented in docs/configuration.md.
"""

from __future__ import annotations

import base64
import datetime
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from vangnet.lib.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_secret,
    env_str,
)
from vangnet.lib.workdays import parse_closed_days

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VANGNET_VAR_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = env_choice("VANGNET_ENV", "development", ("development", "production"))
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("VANGNET_DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("VANGNET_DEBUG cannot be true when VANGNET_ENV=production")


def _development_secret(file_name: str, make: str) -> str:
    """Return a secret kept in an ignored file under var/, creating it on first use."""
    path = VAR_DIR / file_name
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(make, encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


SECRET_KEY = env_secret("VANGNET_SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("VANGNET_SECRET_KEY (or VANGNET_SECRET_KEY_FILE) is required")
    SECRET_KEY = _development_secret("dev-secret-key", secrets.token_urlsafe(64))

# Master keys wrap the per-cell data keys (see vangnet/keyring). Format: "id:base64,id:base64",
# the first one is active. They never go into the database.
VANGNET_MASTER_KEYS = env_secret("VANGNET_MASTER_KEYS")
if not VANGNET_MASTER_KEYS:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "VANGNET_MASTER_KEYS (or VANGNET_MASTER_KEYS_FILE) is required in production"
        )
    VANGNET_MASTER_KEYS = _development_secret(
        "dev-master-keys", "dev1:" + base64.b64encode(secrets.token_bytes(32)).decode()
    )

# Key for blind indexes (keyed hashes of name + date of birth, to find an existing case
# without decrypting every case). Kept outside the database like the master keys.
VANGNET_BLIND_INDEX_KEY = env_secret("VANGNET_BLIND_INDEX_KEY")
if not VANGNET_BLIND_INDEX_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured(
            "VANGNET_BLIND_INDEX_KEY (or VANGNET_BLIND_INDEX_KEY_FILE) is required in production"
        )
    VANGNET_BLIND_INDEX_KEY = _development_secret("dev-blind-index-key", secrets.token_hex(32))

# Key of the backup files (vangnet/backups), same format as the master keys ("id:base64", the
# first one encrypts, every one listed can decrypt). Not needed to run the site: `manage.py
# backup` and `restore` refuse without it in production.
VANGNET_BACKUP_KEY = env_secret("VANGNET_BACKUP_KEY")
if not VANGNET_BACKUP_KEY and not PRODUCTION:
    VANGNET_BACKUP_KEY = _development_secret(
        "dev-backup-key", "dev1:" + base64.b64encode(secrets.token_bytes(32)).decode()
    )

ALLOWED_HOSTS = env_list(
    "VANGNET_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("VANGNET_ALLOWED_HOSTS is required in production")
CSRF_TRUSTED_ORIGINS = env_list("VANGNET_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("VANGNET_SITE_URL", "" if PRODUCTION else "http://127.0.0.1:8000").rstrip("/")
if PRODUCTION and not SITE_URL.startswith("https://"):
    raise ImproperlyConfigured("VANGNET_SITE_URL must be set to the https:// address in production")

INSTALLED_APPS = [
    "vangnet.accounts",
    "vangnet.cells",
    "vangnet.network",
    "vangnet.intake",
    "vangnet.cases",
    "vangnet.meetings",
    "vangnet.questionnaires",
    "vangnet.scans",
    "vangnet.knowledge",
    "vangnet.helpdesk",
    "vangnet.forum",
    "vangnet.events",
    "vangnet.coaching",
    "vangnet.surveys",
    "vangnet.exercises",
    "vangnet.insights",
    "vangnet.privacy",
    "vangnet.breaches",
    "vangnet.keyring",
    "vangnet.backups",
    "vangnet.audit",
    "vangnet.demo",
    "vangnet.scale",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "axes",
    "django_htmx",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "vangnet.lib.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "vangnet.lib.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "vangnet.accounts.middleware.SessionGuardMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "vangnet.lib.middleware.NoStoreMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "vangnet.urls"
WSGI_APPLICATION = "vangnet.wsgi.application"

# Django's renderer, with plain <input> widgets written in Python (vangnet/lib/renderers.py).
FORM_RENDERER = "vangnet.lib.renderers.FastRenderer"
TEMPLATES = [
    {
        # Django's backend; its duplicate-library check knows the i18n override below.
        "BACKEND": "vangnet.lib.template_backend.DjangoTemplates",
        "NAME": "django",  # the alias Django's own backend would have
        "DIRS": [BASE_DIR / "vangnet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "vangnet.cells.context_processors.navigation",
            ],
            # Replaces Django's `date` filter and `url` tag by the same with results remembered.
            "builtins": ["vangnet.lib.templatefilters"],
            # Django's i18n library with constant `{% translate %}` text remembered per language.
            "libraries": {"i18n": "vangnet.lib.i18n_tags"},
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
if PRODUCTION and not DATABASE_URL.startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL in production")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL or f"sqlite:///{VAR_DIR / 'vangnet.sqlite3'}",
        conn_max_age=env_int("VANGNET_DB_CONN_MAX_AGE", 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend plus row-level security state (vangnet/lib/rls.py).
    DATABASES["default"]["ENGINE"] = "vangnet.lib.postgresql"
    if env_bool("VANGNET_DB_PREPARED", default=True):
        # Values travel apart from the SQL, and a statement run twice on a connection becomes a
        # prepared statement: PostgreSQL plans it once per connection instead of every time
        # (planning was more than half of the database's time on the case page).
        # Options given in DATABASE_URL win.
        options = DATABASES["default"].setdefault("OPTIONS", {})
        options.setdefault("server_side_binding", True)
        options.setdefault("prepare_threshold", 2)
# The role the app's statements run as on PostgreSQL: owns no table, has no BYPASSRLS, so the
# row-level security policies bind it. Empty: the login role (see docs/operations.md).
VANGNET_DB_APP_ROLE = env_str("VANGNET_DB_APP_ROLE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "vangnet.accounts.validators.MaximumLengthValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60  # one hour

# Sessions: stored in the database, idle timeout via a sliding expiry, absolute timeout
# enforced by vangnet.accounts.middleware.SessionGuardMiddleware.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("VANGNET_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
SESSION_ABSOLUTE_SECONDS = env_int("VANGNET_SESSION_ABSOLUTE_SECONDS", 10 * 60 * 60, minimum=60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# The pending MFA step (password accepted, code not yet) expires after this many seconds.
MFA_PENDING_SECONDS = 5 * 60

# django-otp: TOTP with a 30-second step and no tolerance (ASVS 6.5.5), throttled.
OTP_TOTP_ISSUER = "Vangnet"
VANGNET_TOTP_TOLERANCE = env_int("VANGNET_TOTP_TOLERANCE", 0, minimum=0)
VANGNET_OTP_THROTTLE_FACTOR = 1
VANGNET_RECOVERY_CODE_COUNT = 10

# django-axes: lock out a username + IP pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("VANGNET_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("VANGNET_LOGIN_COOLOFF_MINUTES", 30, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "email"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ACCESS_FAILURE_LOG = False
# Successful sign-ins are in the audit log; axes need not keep e-mail, IP and browser too.
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "vangnet.accounts.views.lockout"
AXES_CLIENT_IP_CALLABLE = "vangnet.lib.http.client_ip"
# Reverse proxies in front of Vangnet: decides which X-Forwarded-For entry is the client and
# whether an incoming X-Request-ID (set by our proxy) is trusted.
VANGNET_PROXY_COUNT = env_int("VANGNET_PROXY_COUNT", 0, minimum=0)

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "vangnet" / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# Uploaded documents (house rules, agreements). Served only through access-checked views.
MEDIA_ROOT = Path(env_str("VANGNET_MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media-not-served/"
VANGNET_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
VANGNET_INVITATION_DAYS = env_int("VANGNET_INVITATION_DAYS", 14, minimum=1)

# Aggregates across every cell (the VVSG insights dashboard, the self-evaluation benchmark) are
# kept this many seconds in each process's cache: they change slowly and cost many queries.
# 0 computes them on every request.
VANGNET_AGGREGATE_CACHE_SECONDS = env_int("VANGNET_AGGREGATE_CACHE_SECONDS", 600, minimum=0)

# Helpdesk service level: first response within N working days, counted in VVSG's office hours
# on working days (not on weekends, Belgian public holidays or the extra closing days).
VANGNET_HELPDESK_FIRST_RESPONSE_DAYS = env_int("VANGNET_HELPDESK_FIRST_RESPONSE_DAYS", 2, minimum=1)
_office_hours = env_str("VANGNET_HELPDESK_OFFICE_HOURS", "09:00-17:00")
try:
    _office_start, _office_end = (
        datetime.time.fromisoformat(part.strip()) for part in _office_hours.split("-")
    )
except ValueError:
    raise ImproperlyConfigured(
        "VANGNET_HELPDESK_OFFICE_HOURS must look like 09:00-17:00."
    ) from None
if _office_end <= _office_start:
    raise ImproperlyConfigured("VANGNET_HELPDESK_OFFICE_HOURS must end after it starts.")
VANGNET_HELPDESK_OFFICE_START = _office_start
VANGNET_HELPDESK_OFFICE_END = _office_end
try:
    VANGNET_HELPDESK_CLOSED_DAYS = parse_closed_days(env_list("VANGNET_HELPDESK_CLOSED_DAYS", []))
except ValueError as exc:
    raise ImproperlyConfigured(f"VANGNET_HELPDESK_CLOSED_DAYS: {exc}") from None

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("VANGNET_STATIC_ROOT", str(VAR_DIR / "static")))
if not PRODUCTION:
    # WhiteNoise warns about a missing STATIC_ROOT; in development it serves the sources.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "vangnet" / "static"]
# Outside production WhiteNoise serves straight from the sources (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "vangnet.lib.staticstorage.RememberedManifestStorage"  # WhiteNoise's, faster
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Input limits: oversized posts get a 400, never a 500.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("VANGNET_MAX_POST_BYTES", 2_621_440, minimum=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
DATA_UPLOAD_MAX_NUMBER_FILES = 10
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # larger uploads spool to a temporary file
FILE_UPLOAD_PERMISSIONS = 0o640

# Security headers. CSP: no inline script, no framing.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("VANGNET_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env_int("VANGNET_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True
    if env_bool("VANGNET_BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

EMAIL_BACKEND = env_str(
    "VANGNET_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("VANGNET_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("VANGNET_EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("VANGNET_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_secret("VANGNET_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("VANGNET_EMAIL_USE_TLS", default=True)
DEFAULT_FROM_EMAIL = env_str("VANGNET_FROM_EMAIL", "Vangnet <no-reply@vangnet.invalid>")
EMAIL_TIMEOUT = env_int("VANGNET_EMAIL_TIMEOUT", 10, minimum=1)
if PRODUCTION and EMAIL_BACKEND.endswith(("console.EmailBackend", "filebased.EmailBackend")):
    # Those would write password-reset links into logs or files.
    raise ImproperlyConfigured("VANGNET_EMAIL_BACKEND must deliver mail in production")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("VANGNET_LOG_LEVEL", "INFO")},
    "loggers": {
        # Axes would log usernames and IP addresses: personal data stays out of logs.
        "axes": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}
CSRF_FAILURE_VIEW = "vangnet.lib.views.csrf_failure"
