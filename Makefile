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
	$(PY) manage.py makemessages -l vi -l en --no-obsolete --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/celery var/mail var/test-artifacts
