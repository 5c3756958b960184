# chibo — the two set-up commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)

.PHONY: run test venv lint check run-prod-like messages clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

venv: $(STAMP)

## Run the app on the embedded default: SQLite, filesystem broker, email to var/mail/.
run: venv
	bash scripts/run.sh

## Lint, check and run every test against real PostgreSQL and Redis.
test: venv
	bash scripts/test.sh

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## The production shape on this machine: PostgreSQL + Redis + gunicorn.
run-prod-like: venv
	bash scripts/run_prod_like.sh

## Rebuild the translation catalogues (needs GNU gettext) after changing msgids.
messages: venv
	$(PY) manage.py makemessages -l vi -l en --no-obsolete --ignore=.venv --ignore=var --ignore=tests
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/celery var/mail var/test-artifacts

## Notify a province-scale roster (200,000 members) through real workers into an SMTP
## sink; prints deliveries per second, total time, duplicates and losses.
.PHONY: bench-reminders
bench-reminders: venv
	$(PY) scripts/bench_reminders.py

## Render a typical 3-page minutes and a 12-meeting minute book with WeasyPrint (and,
## where LibreOffice is installed, time its .docx → PDF conversion as a ratio).
.PHONY: bench-pdf
bench-pdf: venv
	$(PY) scripts/bench_pdf.py

## Compliance dashboards on a generated province (200,000 members, 10,000 cells, 12
## months) in PostgreSQL database chibo_bench_dash: median/p95 server time and query
## count for the root (year), a commune (quarter) and a cell (year), and the same
## figures by one hand-written SQL query over the raw tables, as a ratio.
BENCH_DASH_DB ?= postgresql://postgres@127.0.0.1:5432/chibo_bench_dash
.PHONY: bench-dashboard bench-dashboard-data
bench-dashboard: venv
	BENCH_DATABASE_URL=$(BENCH_DASH_DB) $(PY) scripts/bench_dashboard.py

## (Re)build the benchmark's province from scratch (drops chibo_bench_dash).
bench-dashboard-data: venv
	psql "$(dir $(BENCH_DASH_DB))postgres" -c "DROP DATABASE IF EXISTS chibo_bench_dash" -c "CREATE DATABASE chibo_bench_dash"
	DATABASE_URL=$(BENCH_DASH_DB) $(PY) manage.py migrate -v0
	DATABASE_URL=$(BENCH_DASH_DB) $(PY) manage.py generate_province --members 200000 --cells 10000 --months 12 --seed 1

## Back up the database (pg_dump of DATABASE_URL, or the SQLite file) and the stored
## files with a SHA-256 manifest into var/backups/<timestamp>/, or DIR=….
.PHONY: backup restore
backup: venv
	bash scripts/backup.sh $(DIR)

## Restore DIR=… into DATABASE_URL and MEDIA_ROOT after verifying its manifest;
## refuses a database or media folder that is not empty unless FORCE=1.
restore: venv
	@test -n "$(DIR)" || (echo "usage: make restore DIR=var/backups/<timestamp> [FORCE=1]" && false)
	bash scripts/restore.sh $(DIR) $(if $(FORCE),--force)
