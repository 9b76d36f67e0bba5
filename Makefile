# One place for every developer and CI task; .ci/run calls `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
RUN_DIR ?= .run

.PHONY: install lint typecheck test test-fast bench run stop schemas infra-up infra-down format

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed

format: install
	$(VENV)/bin/ruff format services schemas tests bench
	$(VENV)/bin/ruff check --fix services schemas tests bench

lint: install
	$(VENV)/bin/ruff check services schemas tests bench
	$(VENV)/bin/ruff format --check services schemas tests bench

typecheck: install
	$(VENV)/bin/mypy services schemas

schemas: install
	$(PY) -m schemas.export

# Tests start Kafka and Redis themselves unless KAFKA_BOOTSTRAP_SERVERS and
# REDIS_URL point at running ones.
test: install
	$(PY) -m pytest -q

infra-up: install
	bash deploy/local/kafka.sh start
	bash deploy/local/redis.sh start

infra-down:
	-bash deploy/local/kafka.sh stop
	-bash deploy/local/redis.sh stop

run: install
	bash deploy/local/run.sh start

stop:
	bash deploy/local/run.sh stop

bench: install
	$(PY) -m bench
