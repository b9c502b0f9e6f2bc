"""Django settings, read from the environment (see README "Configuration").

Defaults give a working laptop install (SQLite under ``var/``, no other server). Production
sets ``SECRET_KEY``, ``DEBUG=0``, ``ALLOWED_HOSTS`` and usually ``DATABASE_URL`` (PostgreSQL)
and ``REDIS_URL``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from tumbuh.config.sqlite import sqlite_options

BASE_DIR = Path(__file__).resolve().parents[3]
"""The repository root (``src/tumbuh/config/settings.py`` -> three levels up)."""
VAR_DIR = Path(os.environ.get("TUMBUH_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """``1/true/yes/on`` (any case) is true, ``0/false/no/off`` false, unset the default."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"environment variable {name}={value!r}: use 1 or 0")


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)

#: Used only when SECRET_KEY is unset; the check ``tumbuh.E001`` refuses it unless DEBUG is on.
INSECURE_DEV_SECRET_KEY = "django-insecure-tumbuh-dev-only-never-use-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or INSECURE_DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "tumbuh.accounts",
    "tumbuh.audit",
    "tumbuh.wilayah",
    "tumbuh.registry",
    "tumbuh.dashboard",
    "tumbuh.imports",
    "tumbuh.api",
    "tumbuh.messaging",
    "tumbuh.organisations",
    "tumbuh.cases",
    "tumbuh.partners",
    "tumbuh.komando",
    "huey.contrib.djhuey",
    # django-ninja's own templates and static files: the API docs page then loads Swagger UI
    # from this server, not from a CDN (the CSP allows 'self' only).
    "ninja",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tumbuh.accounts.twofactor.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: django-axes refuses a locked-out sign-in (docs/security.md).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tumbuh.config.urls"
WSGI_APPLICATION = "tumbuh.config.wsgi.application"
ASGI_APPLICATION = "tumbuh.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tumbuh.dashboard.context_processors.site",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------
# DATABASE_URL (postgres://user:pass@host:5432/name or sqlite:///path) wins; otherwise SQLite
# in var/tumbuh.sqlite3.
DEFAULT_SQLITE_PATH = VAR_DIR / "tumbuh.sqlite3"
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DEFAULT_SQLITE_PATH}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
#: Seconds a SQLite writer waits for the write lock before "database is locked" (ADR 0051).
SQLITE_BUSY_TIMEOUT_S = int(os.environ.get("SQLITE_BUSY_TIMEOUT", "30"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(sqlite_options(SQLITE_BUSY_TIMEOUT_S))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # "Bogor2026", "kader123", "Posyandu!1": a local word with digits is guessed first.
    {"NAME": "tumbuh.accounts.passwords.LocalWordPasswordValidator"},
]

# --- Sign-in protection (issue 11, finding 7; docs/security.md) --------------------------------
# django-axes: after AXES_FAILURE_LIMIT wrong passwords for one user name, or from one IP
# address, that name or address is locked for AXES_COOLOFF_TIME hours (audited); an
# administrator unlocks earlier in the admin (Pengguna > "Buka kunci masuk") or with
# `manage.py axes_reset_username NAME` / `manage.py axes_reset_ip IP`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_LOCKOUT_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "tumbuh.audit.context.client_ip"
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "token"]
AXES_VERBOSE = False
# django-otp: TOTP (an authenticator app). Required for administrators (staff) and TPPS when
# DEBUG is off; TWO_FACTOR_EXEMPT_DEMO=1 lets the demo accounts of a public demo in without.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", default=not DEBUG)
TWO_FACTOR_EXEMPT_DEMO = env_bool("TWO_FACTOR_EXEMPT_DEMO", default=False)
OTP_TOTP_ISSUER = "Tumbuh"

# --- Cache (Redis when REDIS_URL is set; otherwise in-process) --------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Background tasks (huey; docs/decisions/0050-background-tasks-huey.md) --------------------
# One code base, three queues: "sqlite" (default: a file in var/, no server; `make run` starts
# the consumer beside the web server), "redis" (REDIS_URL; several consumers at scale) and
# "immediate" (run in the calling process: tests and one-off commands).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "redis" if REDIS_URL else "sqlite")
if TASKS_BACKEND not in ("sqlite", "redis", "immediate"):
    raise ValueError(f"TASKS_BACKEND={TASKS_BACKEND!r}: use sqlite, redis or immediate")
_HUEY_CONSUMER = {
    "workers": int(os.environ.get("TASKS_WORKERS", "2")),
    "worker_type": "thread",
    "periodic": True,
}
if TASKS_BACKEND == "redis":
    if not REDIS_URL:
        raise ValueError("TASKS_BACKEND=redis needs REDIS_URL")
    HUEY = {
        "name": "tumbuh",
        "huey_class": "huey.PriorityRedisHuey",
        "url": REDIS_URL,
        "immediate": False,
        "utc": True,
        "consumer": _HUEY_CONSUMER,
    }
else:
    HUEY = {
        "name": "tumbuh",
        "huey_class": "huey.SqliteHuey",
        "filename": str(VAR_DIR / "tasks.sqlite3"),
        "immediate": TASKS_BACKEND == "immediate",
        "utc": True,
        "consumer": _HUEY_CONSUMER,
    }

# Escalation ladder of tasks to OPD (tumbuh.cases.jobs, ADR 0055): a reminder this many days
# before the due date, to the OPD head once this many days late, to TPPS once this many days late.
TASK_ESCALATION = {
    "reminder_days_before": int(os.environ.get("TASK_REMINDER_DAYS_BEFORE", "2")),
    "head_after_days_overdue": int(os.environ.get("TASK_HEAD_AFTER_DAYS", "1")),
    "tpps_after_days_overdue": int(os.environ.get("TASK_TPPS_AFTER_DAYS", "7")),
}
#: Kota codes whose command-centre figures are published at /komando/publik/ (opt-in; counts
#: below 5 are suppressed). Empty: no public page.
KOMANDO_PUBLIC_CITIES = env_list("KOMANDO_PUBLIC_CITIES", [])

# --- Language and time -------------------------------------------------------------------------
LANGUAGE_CODE = "id"
# Only Indonesian until the interface has other translations (a browser set to English
# would otherwise get Django's own messages in English beside Indonesian pages).
LANGUAGES = [("id", "Bahasa Indonesia")]
LOCALE_PATHS = [BASE_DIR / "src" / "tumbuh" / "locale"]
#: DD-MM-YYYY dates and Indonesian separators (tumbuh/config/formats/id/formats.py).
FORMAT_MODULE_PATH = ["tumbuh.config.formats"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static files (served by WhiteNoise; no CDN, nothing from the internet) -------------------
STATIC_URL = "static/"
#: Only for ``collectstatic`` in production; the app serves from the apps' static/ folders.
STATIC_ROOT = os.environ.get("STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True
#: Uploaded evidence and photos (tasks, deliveries, visits): served only through scoped, audited
#: views, never as public /media/ URLs. FILE_STORAGE_BACKEND swaps the storage class (e.g.
#: ``storages.backends.s3.S3Storage`` from django-storages for S3-compatible storage at scale).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or VAR_DIR / "media")
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "FILE_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        )
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Security ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
# Behind TLS (every deployment with DEBUG off): HSTS for a year. SECURE_SSL_REDIRECT=1 makes
# Django redirect http to https (set it, or let the reverse proxy redirect); trust
# X-Forwarded-Proto only from that proxy (SECURE_PROXY_SSL_HEADER=1). docs/security.md.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
if env_bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
#: django-csp: everything from this server only; no inline script or style, no frames, no
#: plug-ins (docs/security.md). Pages load nothing from a CDN, so 'self' is the whole policy.
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
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
#: Trust X-Forwarded-For for the client IP in the audit log only behind a known reverse proxy.
TUMBUH_TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", default=False)

# --- Retention (issue 11, finding 10; docs/security.md "Retention") ---------------------------
# A daily job (tumbuh.audit.retention.purge, huey periodic task at 02:30) deletes what is kept
# without need once older than these many days.
RETENTION_CHAT_STATE_DAYS = int(os.environ.get("RETENTION_CHAT_STATE_DAYS", "30"))
RETENTION_OTP_DAYS = int(os.environ.get("RETENTION_OTP_DAYS", "1"))
RETENTION_IMPORT_FILE_DAYS = int(os.environ.get("RETENTION_IMPORT_FILE_DAYS", "7"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
