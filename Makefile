# The platform's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := node_modules/.installed
ASSETS := platform/static/dist/app.css

.PHONY: run test install assets lint bench faults clean

run: install assets
	$(PY) -m cse_platform.devstack run

test: install assets lint
	$(PY) -m cse_platform.devstack test $(ARGS)

install: $(INSTALLED) $(NODE_INSTALLED)

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

assets: $(ASSETS)

$(ASSETS): $(NODE_INSTALLED) $(wildcard frontend/*)
	npm run build

lint: $(INSTALLED)
	$(VENV)/bin/ruff check .

# make bench BENCH=provisioning: a benchmark script from tests/benchmarks/ on throw-away servers.
bench: install assets
	$(PY) -m cse_platform.devstack bench $(BENCH) $(ARGS)

# make faults: the worker fault tests (Redis down, worker killed) 20 times in a row, on throw-away servers.
faults: install
	$(PY) -m cse_platform.devstack test tests/notifications/test_worker_faults.py --count 20 -q $(ARGS)

clean:
	rm -rf $(VENV) node_modules platform/static/dist staticfiles
