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
# Everything the embedded default writes lives under one folder (settings read it too).
export CHIBO_VAR_DIR=${CHIBO_VAR_DIR:-$PWD/var}
VAR=$CHIBO_VAR_DIR
mkdir -p "$VAR/mail" "$VAR/celery/broker" "$VAR/celery/processed" \
  "$VAR/celery/control" "$VAR/media" "$VAR/log"

$PY manage.py migrate --noinput
$PY manage.py seed_demo

pids=()
cleanup() {
  trap - INT TERM EXIT
  echo
  echo "Stopping chibo (server, worker, beat)…"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # A worker finishes the task in hand (warm shutdown); past 8 seconds it is
  # stopped outright: its tasks are acknowledged late, so nothing is lost.
  for _ in $(seq 40); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.2
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

# Threads, not forked processes: the worker shares the SQLite file cleanly and
# stops at once.
.venv/bin/celery -A chibo worker -Q default,notify,pdf -P threads -c 2 -l info \
  >"$VAR/log/worker.log" 2>&1 &
pids+=($!)
.venv/bin/celery -A chibo beat -l info -s "$VAR/celery/beat-schedule" \
  >"$VAR/log/beat.log" 2>&1 &
pids+=($!)
$PY manage.py runserver --noreload "$HOST:$PORT" &
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
  Emails are written to $VAR/mail/; worker and beat logs to $VAR/log/.
  Reminders go out between 07:00 and 21:00 (a notice for a meeting less
  than 12 hours away goes out at any hour): the demo's meeting at 08:00
  is noticed within five minutes of starting, whatever the time.
  Press Ctrl-C to stop the server, the worker and beat.

MSG
wait -n "${pids[@]}"
