#!/usr/bin/env bash
# Back up chibo: the database (pg_dump of DATABASE_URL, or the SQLite file of the
# embedded default) and every stored file under MEDIA_ROOT, with a manifest of
# SHA-256 hashes, into var/backups/<UTC timestamp>/ or the directory given.
#
#   scripts/backup.sh [DIR]          (make backup [DIR=…])
#
# The directory holds: database.pgdump (pg_dump custom format) or database.sqlite3,
# media/ (a copy of MEDIA_ROOT), backup.json (what, when, from where — never a
# password) and MANIFEST.sha256 (sha256sum format; `sha256sum -c` verifies it).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
[ -x "$PY" ] || PY=python3

# Where the data lives, from the same settings the application uses.
source scripts/data_locations.sh

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
DIR=${1:-$VAR_DIR/backups/$STAMP}
if [ -e "$DIR" ] && [ -n "$(ls -A "$DIR" 2>/dev/null)" ]; then
    echo "backup: $DIR exists and is not empty; choose another directory" >&2
    exit 2
fi
mkdir -p "$DIR"
umask 077  # party records: readable by the backup's owner only

# 1. The database first: every file it refers to already exists on disk.
case "$ENGINE" in
    postgresql)
        pg_dump --format=custom --no-owner --no-privileges \
            --file "$DIR/database.pgdump" "${DATABASE_URL:?DATABASE_URL is not set}"
        DB_FILE=database.pgdump
        ;;
    sqlite3)
        # The online-backup API: a consistent copy even while the app is running.
        "$PY" - "$DB_NAME" "$DIR/database.sqlite3" <<'PYEOF'
import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
with target:
    source.backup(target)
source.close(); target.close()
PYEOF
        DB_FILE=database.sqlite3
        ;;
    *)
        echo "backup: database engine $ENGINE is not supported" >&2
        exit 2
        ;;
esac

# 2. The stored files (uploaded documents, minutes PDFs, minute books).
mkdir -p "$DIR/media"
if [ -d "$MEDIA_ROOT" ]; then
    cp -a "$MEDIA_ROOT/." "$DIR/media/"
fi
FILES=$(find "$DIR/media" -type f | wc -l)

# 3. What this is, then the manifest of every file's hash.
"$PY" - "$DIR/backup.json" "$ENGINE" "$DB_FILE" "$FILES" "$STAMP" <<'PYEOF'
import json, sys
path, engine, db_file, files, stamp = sys.argv[1:]
json.dump(
    {"format": 1, "created_at": stamp, "engine": engine, "database": db_file,
     "media_files": int(files)},
    open(path, "w"), indent=2,
)
PYEOF
(
    cd "$DIR"
    find . -type f ! -name MANIFEST.sha256 -printf '%P\0' | sort -z \
        | xargs -0 -r sha256sum > MANIFEST.sha256
)
echo "backup: $DIR ($ENGINE database, $FILES stored files, $(wc -l < "$DIR/MANIFEST.sha256") hashes)"
