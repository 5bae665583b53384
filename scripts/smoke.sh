#!/usr/bin/env bash
# The production smoke test: the README's Production commands, in order, on loopback, then
# a signed-in walk as every demo role; then again with Redis unreachable and with SMTP
# unreachable. Needs DATABASE_URL (an empty PostgreSQL database) and REDIS_URL.
#
#   DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/0 bash scripts/smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?set DATABASE_URL to an empty database}" "${REDIS_URL:?set REDIS_URL}"
PY=.venv/bin/python
BIN=.venv/bin
state=$(mktemp -d)
pids=()
stop_all() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}
trap 'stop_all; rm -rf "$state"' EXIT

free_port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
SMTP_PORT=$(free_port)
CLOSED_PORT=$(free_port)  # nothing listens here: an honest "down"

# --- the production environment (README: Production) -----------------------------------------
export DEBUG=false
SECRET_KEY=$($PY -c 'import secrets; print(secrets.token_urlsafe(64))')
export SECRET_KEY
export ALLOWED_HOSTS=127.0.0.1,localhost
export SITE_URL="https://127.0.0.1:$PORT"
export VAR_DIR="$state/var" MEDIA_ROOT="$state/media"
export EMAIL_URL="smtp://127.0.0.1:$SMTP_PORT"
export GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_WORKERS=3
DEMO_STAFF_PASSWORD="Smoke-$($PY -c 'import secrets; print(secrets.token_urlsafe(18))')"
export DEMO_STAFF_PASSWORD
BASE="http://127.0.0.1:$PORT"

start_web() {
  $BIN/gunicorn microintern.wsgi -c gunicorn.conf.py >>"$state/web.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 60); do
    # Any HTTP answer means gunicorn serves (/healthz answers 503 while Redis is down).
    $PY - "$BASE/healthz" 2>/dev/null <<'PY' && return 0
import sys, urllib.error, urllib.request
try:
    urllib.request.urlopen(sys.argv[1], timeout=2)
except urllib.error.HTTPError:
    pass
PY
    sleep 0.5
  done
  echo "gunicorn did not start:"; tail -50 "$state/web.log"; return 1
}
start_background() {
  $BIN/celery -A microintern worker --loglevel=INFO --concurrency=1 >>"$state/worker.log" 2>&1 &
  pids+=($!)
  $BIN/celery -A microintern beat --loglevel=INFO \
    --scheduler django_celery_beat.schedulers:DatabaseScheduler >>"$state/beat.log" 2>&1 &
  pids+=($!)
}
on_failure() {
  echo "== smoke test failed; the last lines of each log:"
  for log in "$state"/*.log; do echo "--- $log"; tail -30 "$log"; done
  exit 1
}

echo "== production commands"
$PY manage.py check --deploy --fail-level WARNING
$PY manage.py collectstatic --noinput
$PY manage.py migrate --noinput
$PY manage.py seed_demo --allow-production  # a demo site only; never on the real portal

$PY -m tests.smtp_sink --port "$SMTP_PORT" --folder "$state/mail" >>"$state/smtp.log" 2>&1 &
pids+=($!)
start_web
start_background

echo "== every role, every page from the navigation, every admin list"
$PY scripts/smoke_check.py --base "$BASE" --phase normal || on_failure
echo "== the worker delivers the emails of that walk by SMTP"
for _ in $(seq 1 60); do
  [ -n "$(ls -A "$state/mail" 2>/dev/null)" ] && break
  sleep 1
done
[ -n "$(ls -A "$state/mail" 2>/dev/null)" ] || { echo "no email reached the SMTP server"; on_failure; }
echo "  $(ls "$state/mail" | wc -l) email(s) received"
stop_all

echo "== Redis unreachable (cache and broker)"
REDIS_URL="redis://127.0.0.1:$CLOSED_PORT/0" start_web
REDIS_URL="redis://127.0.0.1:$CLOSED_PORT/0" \
  $PY scripts/smoke_check.py --base "$BASE" --phase redis-down || on_failure
stop_all

echo "== SMTP unreachable"
EMAIL_URL="smtp://127.0.0.1:$CLOSED_PORT" start_background
EMAIL_URL="smtp://127.0.0.1:$CLOSED_PORT" start_web
$PY scripts/smoke_check.py --base "$BASE" --phase smtp-down || on_failure
stop_all
echo "== smoke test passed"
