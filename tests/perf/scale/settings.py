"""The production settings (run with DEBUG=false), for the scale benchmark on loopback.

What differs, and why: a bare view is mounted beside the portal's URLs (the throughput
baseline); cookies are not marked Secure and nothing redirects to HTTPS, since the load
generator speaks plain HTTP to 127.0.0.1; staff skip the second factor and logins are not
rate limited (a thousand benchmark logins a minute would be); tasks go to an in-memory broker
and emails to memory (no worker runs: the benchmark times the web and the sweeps, not SMTP).
"""

from microintern.settings import *  # noqa: F403

ROOT_URLCONF = "tests.perf.scale.urls"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
STAFF_MFA_REQUIRED = False
ACCOUNT_RATE_LIMITS = False
CELERY_BROKER_URL = "memory://"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# The sweeps run eagerly in the benchmark's process: their per-task INFO lines would bury the
# table.
LOGGING["loggers"]["celery"] = {"level": "WARNING"}  # noqa: F405
