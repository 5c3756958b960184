#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into DATABASE_URL (or the SQLite file
# of the embedded default) and MEDIA_ROOT.
#
#   scripts/restore.sh DIR [--force]    (make restore DIR=… [FORCE=1])
#
# The manifest is verified first: a damaged or altered backup is refused before
# anything is touched. A database that already holds tables, or a MEDIA_ROOT that
# already holds files, is refused unless --force (which replaces the database's
# objects and overwrites files of the same name). The hash chain of the stored
# minutes is verified at the end (manage.py verify_minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
[ -x "$PY" ] || PY=python3

DIR=${1:?usage: scripts/restore.sh DIR [--force]}
FORCE=${2:-}
[ -f "$DIR/MANIFEST.sha256" ] || { echo "restore: no MANIFEST.sha256 in $DIR" >&2; exit 2; }

# 1. Verify the backup against its manifest, and that nothing unlisted was added.
if ! (cd "$DIR" && sha256sum --check --quiet --strict MANIFEST.sha256); then
    echo "restore: $DIR does not match its manifest; nothing was restored" >&2
    exit 3
fi
LISTED=$(wc -l < "$DIR/MANIFEST.sha256")
PRESENT=$(cd "$DIR" && find . -type f ! -name MANIFEST.sha256 | wc -l)
if [ "$LISTED" != "$PRESENT" ]; then
    echo "restore: $DIR holds files its manifest does not list; nothing was restored" >&2
    exit 3
fi

source scripts/data_locations.sh

# 2. Refuse to overwrite data unless told to.
if [ -d "$MEDIA_ROOT" ] && [ -n "$(find "$MEDIA_ROOT" -type f -print -quit)" ] \
        && [ "$FORCE" != "--force" ]; then
    echo "restore: $MEDIA_ROOT already holds files; use --force to overwrite" >&2
    exit 4
fi
case "$ENGINE" in
    postgresql)
        [ -f "$DIR/database.pgdump" ] || { echo "restore: $DIR holds no PostgreSQL dump" >&2; exit 2; }
        TABLES=$(psql "${DATABASE_URL:?DATABASE_URL is not set}" -tAc \
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        if [ "$TABLES" != "0" ] && [ "$FORCE" != "--force" ]; then
            echo "restore: the database already holds $TABLES tables; use --force to replace them" >&2
            exit 4
        fi
        CLEAN=()
        [ "$TABLES" != "0" ] && CLEAN=(--clean --if-exists)
        pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
            "${CLEAN[@]}" --dbname "$DATABASE_URL" "$DIR/database.pgdump"
        ;;
    sqlite3)
        [ -f "$DIR/database.sqlite3" ] || { echo "restore: $DIR holds no SQLite database" >&2; exit 2; }
        if [ -s "$DB_NAME" ] && [ "$FORCE" != "--force" ]; then
            echo "restore: $DB_NAME already exists; use --force to replace it" >&2
            exit 4
        fi
        mkdir -p "$(dirname "$DB_NAME")"
        cp "$DIR/database.sqlite3" "$DB_NAME.restoring"
        mv "$DB_NAME.restoring" "$DB_NAME"
        ;;
    *)
        echo "restore: database engine $ENGINE is not supported" >&2
        exit 2
        ;;
esac

# 3. The stored files, checked again once in place.
mkdir -p "$MEDIA_ROOT"
cp -a "$DIR/media/." "$MEDIA_ROOT/"
MEDIA_LINES=$(grep '  media/' "$DIR/MANIFEST.sha256" | sed 's#  media/#  #' || true)
if [ -n "$MEDIA_LINES" ] && ! (cd "$MEDIA_ROOT" \
        && printf '%s\n' "$MEDIA_LINES" | sha256sum --check --quiet --strict -); then
    echo "restore: a restored file does not match the manifest" >&2
    exit 5
fi
COUNT=$(printf '%s' "$MEDIA_LINES" | grep -c . || true)
echo "restore: database and $COUNT stored files restored from $DIR"

# 4. The hash chain of the stored minutes PDFs.
"$PY" manage.py verify_minutes
