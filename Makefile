# Two commands: `make run` (the whole pipeline on the sample reports) and `make test`.
VENV ?= .venv
PYTHON ?= python3
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)

.PHONY: install run test test-fast bench lint clean

$(STAMP): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

# Starts ingest, extract, store and gateway with the embedded defaults (SQLite file and
# bucket folder under ./data, RabbitMQ on 127.0.0.1), drops samples/ into the bucket,
# shows progress and a table, then serves until Ctrl-C.
run: install
	scripts/ensure-rabbitmq.sh
	$(VENV)/bin/zhibiao up --samples samples

# The whole suite: unit, integration (real RabbitMQ and PostgreSQL) and end-to-end.
test: install
	scripts/ensure-system-packages.sh
	scripts/ensure-rabbitmq.sh
	scripts/ensure-postgres.sh
	$(VENV)/bin/pytest -q -p no:cacheprovider

test-fast: install
	$(VENV)/bin/pytest -q tests/unit

# Each benchmark prints its figures (ratios measured in the same run); none asserts.
bench: install
	scripts/ensure-rabbitmq.sh
	@failed=""; for b in bench/bench_*.py; do echo "== $$b"; $(VENV)/bin/python $$b || failed="$$failed $$b"; done; \
	if [ -n "$$failed" ]; then echo "failed:$$failed"; exit 1; fi

lint: install
	$(VENV)/bin/ruff format --check zhibiao services tests bench
	$(VENV)/bin/ruff check zhibiao services tests bench

clean:
	rm -rf data
