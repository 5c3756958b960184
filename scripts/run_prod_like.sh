#!/usr/bin/env bash
# `make run-prod-like`: production settings against local PostgreSQL and Redis, served by
# gunicorn with whitenoise, plus a Celery worker and beat. Ctrl-C stops all.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export DJANGO_ENV=production DEBUG=0
export DATABASE_URL=${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/chibo_prodlike}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/1}
export SECRET_KEY=${SECRET_KEY:-$($PY -c "import secrets; print(secrets.token_urlsafe(50))")}
export SECURE_SSL_REDIRECT=${SECURE_SSL_REDIRECT:-0}
export CHIBO_VAR_DIR=${CHIBO_VAR_DIR:-$PWD/var/prodlike}
PORT=${PORT:-8001}
mkdir -p "$CHIBO_VAR_DIR/log"
$PY - <<'PY'
import os, psycopg2
from urllib.parse import urlparse
url = urlparse(os.environ["DATABASE_URL"])
admin = psycopg2.connect(os.environ["DATABASE_URL"].replace(url.path, "/postgres"))
admin.autocommit = True
with admin.cursor() as cur:
    cur.execute("select 1 from pg_database where datname = %s", [url.path[1:]])
    if not cur.fetchone():
        cur.execute(f'create database "{url.path[1:]}"')
PY
$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput -v0
pids=()
cleanup() { trap - INT TERM EXIT; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup INT TERM EXIT
.venv/bin/celery -A chibo worker -Q default,notify,pdf -c 2 -l info >"$CHIBO_VAR_DIR/log/worker.log" 2>&1 &
pids+=($!)
.venv/bin/celery -A chibo beat -l info --schedule "$CHIBO_VAR_DIR/celerybeat-schedule" >"$CHIBO_VAR_DIR/log/beat.log" 2>&1 &
pids+=($!)
.venv/bin/gunicorn chibo.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --access-logfile - --logger-class chibo.ratelimit.RedactingGunicornLogger &
pids+=($!)
echo "chibo (production settings) on http://127.0.0.1:$PORT/ — create a login with: DJANGO_ENV=production DATABASE_URL=$DATABASE_URL SECRET_KEY=… .venv/bin/python manage.py createsuperuser"
wait -n "${pids[@]}"
