#!/usr/bin/env bash
# Start web, worker and beat for a local try-out; one Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
# Links in emails and .ics files point at this server, whatever port it runs on.
export SITE_URL=${SITE_URL:-http://$HOST:$PORT}
VAR=${VAR_DIR:-var}
mkdir -p "$VAR"

# One `make run` at a time: a second one would start a second beat, and every sweep and
# reminder would run twice. The lock goes with this process, however it ends.
exec 9>"$VAR/run.lock"
if ! flock -n 9; then
  echo "Another 'make run' is already running here ($VAR/run.lock). Stop it first." >&2
  exit 1
fi

worker_group=""
web_pid=""
stop() {
  trap - INT TERM EXIT
  [ -n "$web_pid" ] && kill -TERM "$web_pid" 2>/dev/null || true
  if [ -n "$worker_group" ]; then
    # The worker, its pool and the beat inside it form one process group: ask it to finish
    # the task at hand, then make sure nothing of it outlives this script.
    kill -TERM -- "-$worker_group" 2>/dev/null || true
    for _ in $(seq 1 12); do
      kill -0 -- "-$worker_group" 2>/dev/null || break
      sleep 0.5
    done
    kill -KILL -- "-$worker_group" 2>/dev/null || true
  fi
  wait 2>/dev/null || true
  echo "Stopped web, worker and beat."
}
trap stop INT TERM EXIT

# Beat runs inside the worker (-B): one process, so there can never be two beats. setsid
# gives it its own process group, so Ctrl-C reaches it once, from stop(), not twice.
echo "== $(date -u '+%Y-%m-%d %H:%M:%S') make run starts the worker" >>"$VAR/worker.log"
setsid .venv/bin/celery -A microintern worker -B --loglevel=INFO --concurrency=2 \
  --scheduler django_celery_beat.schedulers:DatabaseScheduler >>"$VAR/worker.log" 2>&1 &
worker_group=$!

cat <<MSG

  The micro-internship portal is running at $SITE_URL/
  Staff admin: $SITE_URL/admin/   Worker and beat log: $VAR/worker.log

  Demo logins (password: microintern-demo)
    student@example.edu        a student
    intl-student@example.edu   an international student (F-1, third term)
    employer@example.com       an employer with an alumni-hosted posting
    staff@example.edu          CAPD staff (admin)
    iso@example.edu            international-students advisor (admin)

  Emails are printed in $VAR/worker.log.
  Press Ctrl-C to stop.

MSG
$PY manage.py runserver "$HOST:$PORT" --noreload &
web_pid=$!
wait "$web_pid" || true
