#!/usr/bin/env bash
# Start web, worker and beat for a local try-out; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

trap 'trap - INT TERM EXIT; kill 0 2>/dev/null; wait 2>/dev/null' INT TERM EXIT

# Beat runs inside the worker (-B): one process, so there can never be two beats.
.venv/bin/celery -A microintern worker -B --loglevel=INFO --concurrency=2 \
  --scheduler django_celery_beat.schedulers:DatabaseScheduler >var/worker.log 2>&1 &

cat <<MSG

  The micro-internship portal is running at http://$HOST:$PORT/
  Staff admin: http://$HOST:$PORT/admin/   Worker and beat log: var/worker.log

  Demo logins (password: microintern-demo)
    student@example.edu        a student
    intl-student@example.edu   an international student (F-1, third term)
    employer@example.com       an employer with an alumni-hosted posting
    staff@example.edu          CAPD staff (admin)
    iso@example.edu            international-students advisor (admin)

  Emails are printed in var/worker.log (and in this terminal for sign-up emails).
  Press Ctrl-C to stop.

MSG
$PY manage.py runserver "$HOST:$PORT" --noreload
