"""Django settings, read from the environment (documented in README.md).

SLIHUB_ENV=development (the default) is for one person's machine: DEBUG on, a
SQLite database and a secret key kept in ./var. SLIHUB_ENV=production turns on
every protection `manage.py check --deploy` asks for and insists on a real
secret key and host names.
"""

import logging
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SLIHUB_VAR_DIR", BASE_DIR / "var"))
ENV = os.environ.get("SLIHUB_ENV", "development")
if ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"SLIHUB_ENV must be 'development' or 'production', not {ENV!r}")
PRODUCTION = ENV == "production"
DEBUG = not PRODUCTION and os.environ.get("SLIHUB_DEBUG", "1") == "1"


def _development_secret_key() -> str:
    """A random key made once per checkout, so sessions survive restarts."""
    path = VAR_DIR / "secret-key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
    return path.read_text().strip()


if PRODUCTION:
    try:
        SECRET_KEY = os.environ["SLIHUB_SECRET_KEY"]
        ALLOWED_HOSTS = os.environ["SLIHUB_ALLOWED_HOSTS"].split(",")
    except KeyError as missing:
        raise ImproperlyConfigured(f"{missing} must be set when SLIHUB_ENV=production") from None
else:
    SECRET_KEY = os.environ.get("SLIHUB_SECRET_KEY") or _development_secret_key()
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

# Where the public data files are read from (never copied into the repo).
DATA_DIR = os.environ.get("SLIHUB_DATA_DIR", "")
# The evidence starter content (EIF, EEF and WWCSC extracts). Default: the "evidence" folder beside the
# data folder.
EVIDENCE_DIR = os.environ.get("SLIHUB_EVIDENCE_DIR") or (
    str(Path(DATA_DIR).resolve().parent / "evidence") if DATA_DIR else ""
)
# The library's own transcriptions (outcomes.csv and reviews/*.json): the folder shipped with the hub
# unless SLIHUB_EVIDENCE_CONTENT_DIR names another (a transcription being checked before it is committed).
EVIDENCE_CONTENT_DIR = os.environ.get("SLIHUB_EVIDENCE_CONTENT_DIR") or str(
    Path(__file__).resolve().parent / "evidence" / "content"
)
# The most studies one uploaded file may hold (a larger file is refused whole, to be split).
EVIDENCE_UPLOAD_MAX_STUDIES = int(os.environ.get("SLIHUB_EVIDENCE_UPLOAD_MAX_STUDIES", "500"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves its API docs page's scripts locally instead of from a CDN
    "axes",
    "auditlog",
    "huey.contrib.djhuey",
    "slihub.places",
    "slihub.indicators",
    "slihub.inspections",
    "slihub.accounts",
    "slihub.evidence",
    "slihub.exchange",
    "slihub.warning",
    "slihub.alliances",
    "slihub.survey",
    "slihub.workshops",
    "slihub.forecast",
    "slihub.jobs",
    "slihub.audit",
    "slihub.web",
    "slihub.api",
]

MIDDLEWARE = [
    # First, so that its one log line a request times everything below it, static files included.
    "slihub.web.middleware.RequestLogMiddleware",
    # Cache-Control: private, no-store on every answer to a signed-in user and every API answer. High up,
    # so that it also marks the API's errors answered by middleware; it reads request.user on the way out.
    "slihub.web.middleware.PrivateCacheControlMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Every error under /api/ in JSON, a 405 or Django's own 500 page included.
    "slihub.input_guard.ApiJsonErrorsMiddleware",
    # Before whitenoise, so that static files carry the Content-Security-Policy as well.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: the audit log records who made each change.
    "slihub.audit.middleware.AuditMiddleware",
    # A control character in the address: 422 under /api/; left out of a page's query (slihub/input_guard.py).
    "slihub.input_guard.AddressMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns locked-out logins into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "slihub.urls"
WSGI_APPLICATION = "slihub.wsgi.application"

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
                "slihub.web.context_processors.navigation",
                "slihub.web.context_processors.permissions",
            ],
        },
    },
]

# SQLite unless DATABASE_URL names another database (PostgreSQL in CI and production).
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "slihub.sqlite3",
            # Each worker keeps its connection rather than opening one (and running the pragmas) for
            # every request.
            "CONN_MAX_AGE": 600,
            "OPTIONS": {
                # WAL lets pages read while an import writes; IMMEDIATE takes the write
                # lock at BEGIN so concurrent writers wait (busy_timeout) instead of failing.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Login throttling: five failures for one username from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
# Dates in GOV.UK style ("14 December 2026") wherever a template prints one without a format.
FORMAT_MODULE_PATH = ["slihub.web.formats"]
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

NINJA_PAGINATION_PER_PAGE = 100
NINJA_PAGINATION_MAX_LIMIT = 1000

# Cookies and transport.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # SLIHUB_SSL_REDIRECT=0 only behind a TLS-terminating proxy that itself redirects http to https
    # (and sets X-Forwarded-Proto): then the check that asks for the redirect here is silenced.
    SECURE_SSL_REDIRECT = os.environ.get("SLIHUB_SSL_REDIRECT", "1") == "1"
    if not SECURE_SSL_REDIRECT:
        SILENCED_SYSTEM_CHECKS = ["security.W008"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Load balancers may probe the health check over plain http.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]

# Logs go to standard error: one JSON object a line with SLIHUB_LOG_FORMAT=json (the default in
# production), plain text otherwise. Each request is logged once, on "slihub.request" (method, path,
# status, duration in ms, user id, request id); every line logged during a request carries its request id.
LOG_FORMAT = os.environ.get("SLIHUB_LOG_FORMAT", "json" if PRODUCTION else "text")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured(f"SLIHUB_LOG_FORMAT must be 'json' or 'text', not {LOG_FORMAT!r}")
if LOG_FORMAT == "json":
    logging.captureWarnings(True)  # Python's warnings as log lines ("py.warnings"), JSON like the rest
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "slihub.web.middleware.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(levelname)s %(name)s %(message)s",
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "slihub.request": {"level": "INFO"},
        # Django's own lines (a 404, a 500's traceback) in the same format, through the one handler.
        "django": {"level": "INFO", "propagate": True},
        # The production server (`slihub serve`) logs through these, in the same format.
        "gunicorn.error": {"level": "INFO", "propagate": True},
        "gunicorn.access": {"level": "INFO", "propagate": True},
    },
}

# --- Caching of published pages (issue 12) ---
# Public pages are the same for every signed-out visitor until the next import, so they are cached
# under a key of the data releases they read (slihub/places/page_cache.py, releases.py).
# With REDIS_URL, one cache shared by every worker and machine: an import's new release is seen at
# once, and a page rendered by one worker serves them all. Without it, each process keeps its own
# cache in memory (LocMemCache: no server to run, right for one machine and for the tests); a worker
# rereads the release versions from the database every RELEASE_CHECK_SECONDS, since an import
# (another process) cannot reach its memory.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "slihub",
        }
    }
    RELEASE_CHECK_SECONDS = 60  # a backstop only: an import updates Redis when it commits
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "slihub-pages",
            # Pages are 10 KB to 1 MB: a few hundred kept per process, the least recently used dropped.
            "OPTIONS": {"MAX_ENTRIES": 400},
        }
    }
    RELEASE_CHECK_SECONDS = 5
PAGE_CACHE = os.environ.get("SLIHUB_PAGE_CACHE", "1") == "1"  # 0 turns the page cache off
PAGE_CACHE_SECONDS = 24 * 60 * 60  # unchanged pages are rendered afresh at least once a day

# --- Jobs: the task queue (issue 12) ---
# Scheduled and long-running work (monthly risk scores, the daily data check, reminders, imports
# started from the web) runs as jobs on Huey. Why Huey: it needs no server by default (SqliteHuey keeps
# its queue in one SQLite file in the var folder, beside the database), it runs on Redis unchanged when
# REDIS_URL is set (the queue then shared by any number of web and worker machines), it has periodic
# (crontab) tasks built in, so no separate scheduler, and it is small and maintained. Django's own tasks
# framework has no worker or scheduler of its own in Django 5.2. `slihub worker` runs the consumer.
# Huey keeps no task results: the Job model (slihub/jobs) records each job's status, progress and result.
# Immediate mode (tasks run at once, in the caller's process) is off; the tests turn it on themselves.
VAR_DIR.mkdir(parents=True, exist_ok=True)
REDIS_URL = os.environ.get("REDIS_URL", "")
JOBS_QUEUE = os.environ.get("SLIHUB_JOBS_QUEUE", "slihub")
HUEY = {
    "name": JOBS_QUEUE,
    "results": False,
    "utc": True,  # periodic tasks' times are UTC (documented in the README)
    "immediate": False,
    # One worker thread unless SLIHUB_WORKERS says more (`slihub worker --workers N` too): on SQLite,
    # jobs that write take turns anyway.
    "consumer": {"workers": int(os.environ.get("SLIHUB_WORKERS", "1")), "worker_type": "thread"},
    **(
        {"huey_class": "huey.RedisHuey", "connection": {"url": REDIS_URL}}
        if REDIS_URL
        else {"huey_class": "huey.SqliteHuey", "filename": str(VAR_DIR / "jobs.sqlite3")}
    ),
}
# Files uploaded for an import wait here for their job (the var folder, never the repo).
JOBS_UPLOAD_DIR = VAR_DIR / "uploads"
# Files people upload and the hub keeps (workshop materials), through Django's default storage.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"  # never served directly: downloads go through views that check access
# Links in emails point here.
SITE_URL = os.environ.get("SLIHUB_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Email (reminders): printed to the console in development; SMTP from SLIHUB_EMAIL_* in production.
DEFAULT_FROM_EMAIL = os.environ.get("SLIHUB_EMAIL_FROM", "SLI Hub <noreply@localhost>")
if os.environ.get("SLIHUB_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["SLIHUB_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("SLIHUB_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("SLIHUB_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("SLIHUB_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("SLIHUB_EMAIL_TLS", "1") == "1"
    EMAIL_TIMEOUT = 30
else:  # also in production until SLIHUB_EMAIL_HOST is set: reminders then appear in the worker's log
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# --- Security headers: Content-Security-Policy (issue 12) ---
# No inline script or style anywhere (and no nonces: published pages are cached whole), so the policy
# allows only the hub's own files. Maps and charts colour their SVG with presentation attributes
# (fill=...), which are not styles. The API documentation page alone adds 'unsafe-inline' styles for
# Swagger UI (slihub/api/urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# --- Audit log (issue 12) ---
# django-auditlog records every write to private records and published evidence; slihub/audit/registry.py
# says which models. Foreign keys are stored as the record's name (readable after the record is gone),
# and sign-ins do not touch the log.
AUDITLOG_USE_FK_STRING_REPRESENTATION = True
AUDITLOG_CHANGE_DISPLAY_TRUNCATE_LENGTH = 300
