# Sourced by backup.sh and restore.sh (after they set PY): where the data lives,
# read from the same settings the application uses. Sets ENGINE (postgresql or
# sqlite3), DB_NAME, MEDIA_ROOT and VAR_DIR.
eval "$("$PY" - <<'PYEOF'
import os, shlex, sys
sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chibo.settings")
from django.conf import settings
db = settings.DATABASES["default"]
print("ENGINE=" + shlex.quote(db["ENGINE"].rsplit(".", 1)[-1]))
print("DB_NAME=" + shlex.quote(str(db["NAME"])))
print("MEDIA_ROOT=" + shlex.quote(str(settings.MEDIA_ROOT)))
print("VAR_DIR=" + shlex.quote(str(settings.VAR_DIR)))
PYEOF
)"
