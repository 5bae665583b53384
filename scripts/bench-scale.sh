#!/usr/bin/env bash
# make bench-scale: seed PostgreSQL at SCALE (small, the default, or university) and measure
# pages, admin lists, throughput, the Sep 16 burst and the sweeps (tests/perf/scale/run.py).
# Locust runs from its own virtualenv (requirements-bench.lock), outside the portal's.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:=postgres://portal:portal@127.0.0.1:5432/portal_bench}"
export DATABASE_URL
BENCH_VENV=var/bench-venv
if [ ! -x "$BENCH_VENV/bin/locust" ] || [ requirements-bench.lock -nt "$BENCH_VENV/.installed" ]; then
  python3 -m venv "$BENCH_VENV"
  "$BENCH_VENV/bin/pip" install --quiet -r requirements-bench.lock 2>&1 | grep -v "^WARNING: Location" || true
  touch "$BENCH_VENV/.installed"
fi
export DEBUG=false
SECRET_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(64))')
export SECRET_KEY
export DJANGO_SETTINGS_MODULE=tests.perf.scale.settings
export ALLOWED_HOSTS=127.0.0.1,localhost,testserver
export VAR_DIR="${VAR_DIR:-$PWD/var/bench/var}"
exec .venv/bin/python -m tests.perf.scale.run --scale "${SCALE:-small}" "$@"
