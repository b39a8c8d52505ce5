# Houqin: two commands. `make run` serves the demo center; `make test` runs what CI runs.
PORT ?= 8000
PY := .venv/bin/python

.PHONY: run test prepare vendor-assets

run: prepare
	PORT=$(PORT) scripts/serve

prepare:
	scripts/bootstrap-venv --prod
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py collectstatic --noinput -v0

test:
	scripts/test

vendor-assets:
	scripts/vendor-assets
