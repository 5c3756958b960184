#!/usr/bin/env bash
# `make run`: the embedded default — SQLite, Celery on kombu's filesystem transport,
# email written to var/mail/ — with the dev server, one worker and beat. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_SETTINGS_MODULE=chibo.settings
unset DATABASE_URL REDIS_URL CELERY_BROKER_URL DJANGO_ENV
export DEBUG=1
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
mkdir -p var/mail var/celery/broker var/celery/processed var/celery/control var/media var/log

$PY manage.py migrate --noinput
$PY manage.py seed_demo

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "Stopping chibo (server, worker, beat)…"
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

.venv/bin/celery -A chibo worker -Q default,notify,pdf -c 2 -l info \
  >var/log/worker.log 2>&1 &
pids+=($!)
.venv/bin/celery -A chibo beat -l info >var/log/beat.log 2>&1 &
pids+=($!)
$PY manage.py runserver "$HOST:$PORT" &
pids+=($!)

cat <<MSG

  chibo is running at http://$HOST:$PORT/
  Demo logins (password: chibo-demo):
    secretary   — secretary of Chi bộ Khối phố 5
    member      — a member of Chi bộ Khối phố 5
    committee   — official of Đảng bộ phường Trường Vinh (reads its subtree)
    supervisor  — assigned to follow Chi bộ Khối phố 5 and Khối phố 2
    outsider    — a member of Chi bộ Khoa Nội (another cell)
    admin       — administrator (also /admin/)
  Emails are written to var/mail/; worker and beat logs to var/log/.
  Press Ctrl-C to stop the server, the worker and beat.

MSG
wait -n "${pids[@]}"
