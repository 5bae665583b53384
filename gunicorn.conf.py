"""gunicorn's settings for production: `gunicorn microintern.wsgi` (the README's Production).

Each value can be overridden from the environment (GUNICORN_* below, or gunicorn's own
GUNICORN_CMD_ARGS) without editing this file.
"""

import multiprocessing
import os

from microintern.envconfig import JSON_LOG_FORMATTER

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: 2 x cores + 1, gunicorn's rule for a mostly I/O-bound Django site.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
# A request that takes this long is stuck (every page answers in well under a second);
# the master restarts its worker. Uploads are bounded by MAX_UPLOAD_BYTES at the proxy too.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
# Load Django once in the master: workers start warm (the first request after a deploy or a
# max_requests recycle is not a cold start) and share the loaded code's memory.
preload_app = True
keepalive = 5
# Recycle each worker after about this many requests, jittered so they do not all restart
# at once: bounds any slow leak in a long-running process.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10
# Logs to stdout/stderr for the service manager; one access line per request.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
# The TLS proxy in front sets X-Forwarded-Proto; only trust it from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# gunicorn's own loggers in the same format as Django's (settings.LOG_FORMAT): one JSON
# object per line unless LOG_FORMAT=text.
if os.environ.get("LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": dict(JSON_LOG_FORMATTER)},  # dictConfig may consume it
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json"},
        },
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
        },
    }
