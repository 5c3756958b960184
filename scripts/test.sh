#!/usr/bin/env bash
# `make test`: lint, checks, then every test against real PostgreSQL and Redis.
# Services: DATABASE_URL / REDIS_URL when set, else local ones on 127.0.0.1, else
# throwaway instances started from the local binaries (installed with apt when root).
# A missing service is a failure with a clear message, never a skipped test.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
TMP=var/tmp
mkdir -p "$TMP" var/test-artifacts

fail() { echo >&2; echo "make test: FAILED — $*" >&2; exit 1; }
say() { echo "make test: $*"; }
is_root() { [ "$(id -u)" = 0 ]; }
APT_UPDATED=
apt_install() {
  is_root || return 1
  command -v apt-get >/dev/null || return 1
  if [ -z "$APT_UPDATED" ]; then apt-get update -qq >/dev/null 2>&1 || true; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
started=()
cleanup() {
  for cmd in "${started[@]:-}"; do [ -n "$cmd" ] && eval "$cmd" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

pg_ok() {
  $PY - "$1" <<'PY' 2>/dev/null
import sys, psycopg2
psycopg2.connect(sys.argv[1], connect_timeout=3).close()
PY
}
redis_ok() {
  $PY - "$1" <<'PY' 2>/dev/null
import sys, redis
redis.Redis.from_url(sys.argv[1], socket_connect_timeout=3).ping()
PY
}

# --- PostgreSQL -----------------------------------------------------------------------
if [ -n "${DATABASE_URL:-}" ]; then
  admin_url=$(echo "$DATABASE_URL" | sed -E 's#/[^/?]*(\?|$)#/postgres\1#')
  pg_ok "$admin_url" || fail "cannot connect to PostgreSQL at DATABASE_URL ($DATABASE_URL)."
elif pg_ok "postgresql://postgres@127.0.0.1:5432/postgres"; then
  export DATABASE_URL="postgresql://postgres@127.0.0.1:5432/chibo"
else
  say "no PostgreSQL on 127.0.0.1:5432; starting a throwaway one"
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$bindir" ]; then
    apt_install postgresql || fail "PostgreSQL is not running and cannot be installed (not root or no apt). Set DATABASE_URL."
    bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  pgdir=$(mktemp -d /tmp/chibo-pg.XXXXXX)
  run_pg() { if is_root; then chown -R postgres "$pgdir"; runuser -u postgres -- "$@"; else "$@"; fi; }
  run_pg "$bindir/initdb" -D "$pgdir/data" -U postgres --auth=trust -E UTF8 >/dev/null \
    || fail "initdb failed"
  run_pg "$bindir/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
    -o "-p 55432 -k $pgdir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
    || fail "the throwaway PostgreSQL did not start (see $pgdir/log)"
  started+=("run_pg $bindir/pg_ctl -D $pgdir/data -m fast stop")
  export DATABASE_URL="postgresql://postgres@127.0.0.1:55432/chibo"
fi

# --- Redis ----------------------------------------------------------------------------
if [ -n "${REDIS_URL:-}" ]; then
  redis_ok "$REDIS_URL" || fail "cannot connect to Redis at REDIS_URL ($REDIS_URL)."
elif redis_ok "redis://127.0.0.1:6379/0"; then
  export REDIS_URL="redis://127.0.0.1:6379/0"
else
  say "no Redis on 127.0.0.1:6379; starting a throwaway one"
  command -v redis-server >/dev/null || apt_install redis-server \
    || fail "Redis is not running and cannot be installed (not root or no apt). Set REDIS_URL."
  redis-server --daemonize yes --bind 127.0.0.1 --port 56379 --save "" \
    --appendonly no --dir "$TMP" --pidfile "$PWD/$TMP/redis.pid" >/dev/null \
    || fail "the throwaway Redis did not start"
  started+=("kill \$(cat $PWD/$TMP/redis.pid)")
  export REDIS_URL="redis://127.0.0.1:56379/0"
  for _ in 1 2 3 4 5 6 7 8 9 10; do redis_ok "$REDIS_URL" && break; sleep 0.3; done
fi
# Tests use their own Redis database number so they never touch other data.
export REDIS_URL="${REDIS_URL%/*}/${CHIBO_TEST_REDIS_DB:-9}"

# --- Browser and PDF libraries -----------------------------------------------------------
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  say "installing Debian's chromium for the browser tests"
  apt_install chromium || fail "Chromium is missing (apt install chromium, or set CHROMIUM_PATH)."
fi
# The Nu HTML Checker (Java) from npm, for the accessibility and HTML-validity test.
if [ ! -f var/node/node_modules/vnu-jar/build/dist/vnu.jar ]; then
  say "installing the Nu HTML Checker (npm vnu-jar) into var/node"
  command -v npm >/dev/null || apt_install npm || fail "npm is needed to install vnu-jar."
  npm install --prefix var/node --no-save --silent vnu-jar@26.9.27 >/dev/null \
    || fail "npm could not install vnu-jar."
fi
command -v java >/dev/null || apt_install default-jre-headless \
  || fail "Java is needed for the Nu HTML Checker."
if ! $PY -c "import weasyprint" >/dev/null 2>&1; then
  apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    || fail "WeasyPrint's system libraries (pango) are missing."
fi
# Poppler's pdftoppm renders page 1 of a minutes PDF to PNG (tests/meetings/pdf/test_render.py).
command -v pdftoppm >/dev/null || apt_install poppler-utils \
  || fail "pdftoppm is missing (apt install poppler-utils)."

say "PostgreSQL: ${DATABASE_URL}  Redis: ${REDIS_URL}"
export DJANGO_SETTINGS_MODULE=chibo.settings
unset DJANGO_ENV

# --- Lint and checks ---------------------------------------------------------------------
say "ruff"
.venv/bin/ruff check . || fail "ruff found problems"
.venv/bin/ruff format --check . || fail "ruff format would change files (run: .venv/bin/ruff format .)"
say "django-upgrade"
git ls-files -z '*.py' | xargs -0 .venv/bin/django-upgrade --target-version 5.2 \
  || fail "django-upgrade rewrote files: commit its changes"
say "manage.py check / makemigrations --check"
$PY manage.py check --fail-level WARNING || fail "manage.py check"
$PY manage.py makemigrations --check --dry-run >/dev/null || fail "models changed without a migration"

# --- Import layers --------------------------------------------------------------------------
say "import-linter (layers: evaluations → meetings → members → chibo, named doors only)"
.venv/bin/lint-imports --no-cache >/dev/null || { .venv/bin/lint-imports --no-cache; fail "an import breaks the layers (.importlinter)"; }

# --- Tests ---------------------------------------------------------------------------------
# Three passes, all of which must pass:
#  1. PostgreSQL: every test.
#  2. SQLite (the embedded default `make run` uses): every test but those marked
#     postgresql_only (their number and reasons are printed), plus the `make run`
#     smoke test.
#  3. A night clock: the date- and hour-sensitive modules again at 03:00 local on the
#     31st of a month, so a test that passes only by day fails here, whenever CI runs.
# The three passes run side by side (two cores): each has its own database, Redis
# database number and var/ folder, so nothing is shared but the servers.
status=0
SQLITE_DIR=$(mktemp -d "$PWD/var/tmp/sqlite.XXXXXX")
started+=("rm -rf $SQLITE_DIR")
NIGHT=$($PY - <<'PY'
import datetime
day = datetime.date.today().replace(day=1)
while True:  # the first month from this one with a 31st
    try:
        print(day.replace(day=31).isoformat() + "T03:00")
        break
    except ValueError:
        day = (day + datetime.timedelta(days=32)).replace(day=1)
PY
)
NIGHT_MODULES=(
  tests/meetings/notify
  tests/meetings/test_domain.py tests/meetings/test_services.py
  tests/meetings/test_selectors.py tests/meetings/test_feeds.py
  tests/meetings/test_dues_reminder.py
  tests/evaluations
)
# These freeze their own clock at the dates they test, so a night rerun adds nothing.
NIGHT_IGNORE=(
  --ignore=tests/evaluations/demo
  --ignore=tests/evaluations/test_golden_scenario.py
)
REDIS_BASE=${REDIS_URL%/*}
REDIS_DB=${CHIBO_TEST_REDIS_DB:-9}
PG_BASE=${DATABASE_URL%/*}
PG_NAME=${DATABASE_URL##*/}
PG_QUERY=
case $PG_NAME in *\?*) PG_QUERY="?${PG_NAME#*\?}"; PG_NAME=${PG_NAME%%\?*} ;; esac

# run_pass KEY NAME CMD... — runs one pass, its output into var/tmp/pass-KEY.log.
run_pass() {
  local key=$1 name=$2; shift 2
  set +e
  "$@" >"$TMP/pass-$key.log" 2>&1
  echo $? >"$TMP/pass-$key.rc"
  set -e
}
# report_pass KEY NAME — prints the pass's output and records its outcome.
report_pass() {
  local key=$1 name=$2 code
  say "pytest — $name"
  cat "$TMP/pass-$key.log"
  code=$(cat "$TMP/pass-$key.rc" 2>/dev/null || echo 1)
  [ "$code" -eq 5 ] && fail "pytest collected no tests ($name)"
  [ "$code" -ne 0 ] && { echo "make test: pass '$name' FAILED (exit $code)" >&2; status=1; }
  return 0
}
rm -f "$TMP"/pass-*.log "$TMP"/pass-*.rc
SQLITE_NAME="SQLite"
NIGHT_NAME="night clock $NIGHT (Asia/Ho_Chi_Minh)"
say "pytest — PostgreSQL, SQLite and the $NIGHT_NAME side by side (output follows each pass)"
(
  mkdir -p "$SQLITE_DIR/var"
  run_pass sqlite "$SQLITE_NAME" env DATABASE_URL="sqlite:///$SQLITE_DIR/chibo.sqlite3" \
    SQLITE_TEST_NAME="$SQLITE_DIR/test-chibo.sqlite3" REDIS_URL="$REDIS_BASE/$((REDIS_DB + 1))" \
    CHIBO_VAR_DIR="$SQLITE_DIR/var" $PY -m pytest "$@"
) &
sqlite_pid=$!
night_pid=
if [ $# -eq 0 ]; then
  (
    run_pass night "$NIGHT_NAME" env DATABASE_URL="$PG_BASE/${PG_NAME}_night$PG_QUERY" \
      REDIS_URL="$REDIS_BASE/$((REDIS_DB + 2))" CHIBO_VAR_DIR="$SQLITE_DIR/night-var" \
      $PY -m pytest --clock="$NIGHT" "${NIGHT_MODULES[@]}" "${NIGHT_IGNORE[@]}"
  ) &
  night_pid=$!
fi
run_pass pg "PostgreSQL" $PY -m pytest "$@"
report_pass pg "PostgreSQL"
wait $sqlite_pid || true
report_pass sqlite "$SQLITE_NAME"
if [ -n "$night_pid" ]; then
  wait $night_pid || true
  report_pass night "$NIGHT_NAME"
fi
[ $status -eq 0 ] || fail "a test pass failed (see above)"
say "all passes green"
