"""Settings, all read from the environment (see README "Configuration").

Defaults are for a laptop: SQLite under var/, kombu's filesystem broker, console email.
With DEBUG off every production value is required and hardening switches on.
"""

from __future__ import annotations

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

from microintern import envconfig

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = envconfig.secret_key(env.str("SECRET_KEY", default="") or None, debug=DEBUG)
ALLOWED_HOSTS = envconfig.allowed_hosts(env.list("ALLOWED_HOSTS", default=[]), debug=DEBUG)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_celery_beat",
    "django_htmx",
    "microintern.core",
    "microintern.accounts",
    "microintern.cycles",
    "microintern.notifications",
    "postings",
    "applications",
    "offers",
    "authorization",
    "microintern.advising",
    # The roof, last: its admin extends the cycles admin registered above it.
    "microintern.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "microintern.accounts.middleware.StaffMFAMiddleware",
    "microintern.core.middleware.NoStoreForSignedInMiddleware",
]

ROOT_URLCONF = "microintern.urls"
WSGI_APPLICATION = "microintern.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "microintern.core.context_processors.portal",
                "microintern.notifications.context_processors.unread_notifications",
            ],
            # Filters every template may use without {% load %}: `iso_datetime` for <time>.
            "builtins": ["microintern.core.templatetags.datetimes"],
        },
    },
]

# --- Database --------------------------------------------------------------------------------
DATABASES = {
    "default": envconfig.database_config(
        # Set but empty counts as unset, as for REDIS_URL: `DATABASE_URL= make test` is SQLite.
        env.str("DATABASE_URL", default="") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Web, worker and beat share one SQLite file in the embedded set-up: wait for locks instead
    # of failing, and take the write lock at BEGIN so that select_for_update-style sections
    # serialize instead of dead-locking on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not :memory:, so that a real Celery worker process started by a test sees the data.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------------------------
REDIS_URL = envconfig.redis_url(env.str("REDIS_URL", default="") or None)
# The cache (allauth's rate limits use it) may live on its own Redis: a broker outage then
# leaves the rate limits working. Either way it fails open (microintern/core/outage.py): a
# Redis outage never becomes a page or sign-in outage, and no request waits over 0.5 s for it.
CACHE_URL = envconfig.redis_url(env.str("CACHE_URL", default="") or None, name="CACHE_URL")
if CACHE_URL or REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "microintern.core.outage.FailOpenRedisCache",
            "LOCATION": CACHE_URL or REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        # Publishing from a request must not hang on a dead broker (the outbox sweep
        # delivers what could not be queued).
        "socket_connect_timeout": 0.5,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = envconfig.filesystem_broker_options(VAR_DIR / "broker")
CELERY_BROKER_CONNECTION_TIMEOUT = 0.5
# No retry when publishing from a request: one attempt of at most 0.5 s, and with the cache's
# 0.5 s that bounds a request's wait for a dead Redis at about a second (then the breakers
# skip it). A row that could not be queued waits for the outbox sweep, a minute at most.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 0}

CELERY_TIMEZONE = "America/New_York"
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
# Tasks here are idempotent, so a task whose worker died is delivered again rather than lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Beat saves a schedule's last run after every task it sends (about ten a minute), so
# /healthz sees beat's last tick within seconds instead of django-celery-beat's 3 minutes.
CELERY_BEAT_SYNC_EVERY = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# /healthz calls the worker or beat late past these ages (beat sends the heartbeat every
# minute, and records each task it sends).
HEALTH_WORKER_MAX_AGE_SECONDS = env.int("HEALTH_WORKER_MAX_AGE_SECONDS", default=300)
HEALTH_BEAT_MAX_AGE_SECONDS = env.int("HEALTH_BEAT_MAX_AGE_SECONDS", default=300)

# --- Accounts (django-allauth) ---------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # a GET never changes state: the link shows a button
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
# Password resets for addresses without an account send nothing (allauth would mail the
# stranger); the page answers the same either way, so nothing can be enumerated.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_ADAPTER = "microintern.portal.adapters.PortalAccountAdapter"
ACCOUNT_FORMS = {"signup": "microintern.portal.forms.PortalSignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Micro-internships] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# allauth's defaults, stated so that they are visibly on; they need a shared cache (Redis).
# "login_failed" counts wrong passwords: at most 10 a minute from one client address, whatever
# the accounts, and 5 per 5 minutes for one account from one client address. The key is the
# account *and* the client (AccountAdapter._get_login_attempts_cache_key), so an attacker who
# lacks the password can lock out only themselves, never the account's owner elsewhere.
# "login" (every sign-in POST, 30 a minute from one address) answers 429.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# Behind a proxy: how many proxies append to X-Forwarded-For, or the one header a trusted
# proxy sets to the client's address. Rate limits and the immigration-data access log use it;
# unset, both use the connection's address (REMOTE_ADDR), which a client cannot forge.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# The "Signed-in devices" page (allauth.usersessions): a session is recorded at sign-in, with
# its address and browser, and listed until it ends. Activity is not tracked: that would write
# a row on every request for a "last seen" column nobody needs to sign out a lost laptop.
USERSESSIONS_TRACK_ACTIVITY = False
MFA_TOTP_ISSUER = "Micro-internships"
# Staff (staff status, or staff role in a staff group) must set up TOTP and enter a code in
# the current session before any page opens, admin or front end
# (microintern/accounts/middleware.py); off in the local demo.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=not DEBUG)
# Staff sessions end after this many seconds without a request.
STAFF_SESSION_IDLE_SECONDS = env.int("STAFF_SESSION_IDLE_SECONDS", default=1800)
# Students sign up with an address at one of these domains (subdomains included).
STUDENT_EMAIL_DOMAINS = env.list("STUDENT_EMAIL_DOMAINS", default=["example.edu"])

# --- Forms and pages -------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Django's renderer, without aria-describedby on hidden inputs (see the module).
FORM_RENDERER = "microintern.core.form_rendering.PortalFormRenderer"
MESSAGE_TAGS = {40: "danger"}

# --- Internationalization --------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ---------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request otherwise
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded documents are private: no MEDIA_URL route exists; a view checks who asks.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Application documents: PDFs up to this size (bytes), a bounded number of files per request.
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_BYTES", default=5 * 1024 * 1024)
# A student's document library (resumes, cover letters, other PDFs): each file within
# MAX_UPLOAD_BYTES, all of them together within this many bytes, and at most this many files.
DOCUMENT_LIBRARY_QUOTA_BYTES = env.int("DOCUMENT_LIBRARY_QUOTA_BYTES", default=25 * 1024 * 1024)
DOCUMENT_LIBRARY_MAX_FILES = env.int("DOCUMENT_LIBRARY_MAX_FILES", default=20)
# Optional virus scan of every upload by clamd, before anything is stored: a unix socket path
# (CLAMD_SOCKET) or a host and port. Unset: no scan. Set but unreachable: uploads are refused.
CLAMD_SOCKET = env.str("CLAMD_SOCKET", default="")
CLAMD_HOST = env.str("CLAMD_HOST", default="")
CLAMD_PORT = env.int("CLAMD_PORT", default=3310)
CLAMD_TIMEOUT = env.float("CLAMD_TIMEOUT", default=10.0)
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=20)
# Nothing of a file beyond MAX_UPLOAD_BYTES is kept, in memory or on disk.
FILE_UPLOAD_HANDLERS = [
    "microintern.core.uploads.SizeCappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Production option: let nginx send private documents. When set (for example
# "/protected-media/", an `internal` location aliased to MEDIA_ROOT), the download view answers
# with X-Accel-Redirect instead of streaming the file itself.
PRIVATE_MEDIA_ACCEL_PREFIX = env.str("PRIVATE_MEDIA_ACCEL_PREFIX", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# --- Email -----------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="CAPD Micro-internships <microinterns@example.edu>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# One SMTP conversation never outlasts this, so a claim older than the visibility timeout
# below is a worker that died, never one still talking to the server.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
NOTIFICATION_CLAIM_TIMEOUT_SECONDS = env.int("NOTIFICATION_CLAIM_TIMEOUT_SECONDS", default=120)
if NOTIFICATION_CLAIM_TIMEOUT_SECONDS <= EMAIL_TIMEOUT:
    raise ImproperlyConfigured(
        "NOTIFICATION_CLAIM_TIMEOUT_SECONDS must be longer than EMAIL_TIMEOUT."
    )
CAPD_CONTACT_EMAIL = env.str("CAPD_CONTACT_EMAIL", default="capd-microinterns@example.edu")

# --- Advising appointments (microintern/advising) --------------------------------------------
# What a real office sets: how many upcoming appointments a student may hold at once, how
# many hours before its start booking a time closes, and until how many hours before its
# start a student may move or cancel one (after that, they write to CAPD).
ADVISING_MAX_UPCOMING_APPOINTMENTS = env.int("ADVISING_MAX_UPCOMING_APPOINTMENTS", default=2)
ADVISING_BOOKING_CUTOFF_HOURS = env.int("ADVISING_BOOKING_CUTOFF_HOURS", default=4)
ADVISING_CHANGE_CUTOFF_HOURS = env.int("ADVISING_CHANGE_CUTOFF_HOURS", default=4)

# --- Security --------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    MIDDLEWARE.insert(1, "csp.middleware.CSPMiddleware")
    INSTALLED_APPS.append("csp")
    CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {
            "default-src": ["'self'"],
            "img-src": ["'self'", "data:"],
            "script-src": ["'self'"],
            "style-src": ["'self'"],
            "frame-ancestors": ["'none'"],
            "form-action": ["'self'"],
            "base-uri": ["'self'"],
            "object-src": ["'none'"],
        }
    }

# One JSON object per line in production (for the log shipper), plain text in development.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured("LOG_FORMAT must be json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": dict(envconfig.JSON_LOG_FORMATTER),
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Error reporting (optional) --------------------------------------------------------------
# Off unless SENTRY_DSN is set. No personal data is sent (send_default_pii off): the portal
# holds immigration data, and a traceback's variables are scrubbed by sentry-sdk's defaults.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="development" if DEBUG else "production"),
        send_default_pii=False,
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
