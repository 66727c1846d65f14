# govpub — two commands on a fresh machine:
#   make demo   set everything up, build the bundled demo site and serve it on http://127.0.0.1:8000
#   make test   set everything up and run ruff and the whole test suite

PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.govpub-installed
PYTEST_ARGS ?=
CATALOG_PARTS := $(wildcard src/govpub/locale/*/parts/*.po)
CATALOGS := $(patsubst %/parts/,%/LC_MESSAGES/govpub.mo,$(sort $(dir $(CATALOG_PARTS))))
# JavaScript the browser tests inject into pages: axe-core for the accessibility tests in
# Chromium (tests read node_modules/axe-core/axe.min.js), pinned in package-lock.json
NODE_STAMP := node_modules/.govpub-installed

.PHONY: setup bytecode system-deps node-deps catalogs test lint demo demo-build watch-demo bench bench-site screenshots docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

system-deps:
	@scripts/bootstrap-system.sh

# message catalogs (gettext .mo) compiled from their .po parts; shipped in the package
$(CATALOGS): $(CATALOG_PARTS) $(STAMP)
	$(BIN)/python -m govpub.i18n compile

catalogs: $(CATALOGS)

$(NODE_STAMP): package.json package-lock.json | system-deps
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $(NODE_STAMP)

node-deps: $(NODE_STAMP)

# govpub's modules compiled ahead (__pycache__, ignored by git), as an installed package has
# them: where PYTHONDONTWRITEBYTECODE is set (CI images often set it) every command would
# compile them again: 0.2 s of a cold 10,000-page `govpub check` (bench/bench_check.py).
# Cheap when nothing changed; a module edited since is compiled in memory until the next run.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q src/govpub

setup: $(STAMP) $(CATALOGS) system-deps node-deps bytecode

lint: $(STAMP)
	$(BIN)/ruff check .

# not quiet: on a failure the summary (-ra, in pyproject) names every failing test
# with its reason, and --durations shows the slowest, on screen
test: setup lint
	$(BIN)/pytest -n 2 --dist loadfile --durations=15 $(PYTEST_ARGS)

demo-build: setup
	$(BIN)/govpub build

demo: demo-build
	$(BIN)/govpub watch --once || true
	$(BIN)/govpub watch status || true
	$(BIN)/govpub serve --port 8000

bench: setup bench/node_modules/.govpub-installed
	$(BIN)/pip install --quiet -e '.[test,bench]'
	$(BIN)/python bench/run_all.py

# the public site's figures: Lighthouse, page weight, the W3C validator (bench/bench_site.py)
bench/node_modules/.govpub-installed: bench/package.json bench/package-lock.json | system-deps
	cd bench && npm ci --no-audit --no-fund --loglevel=error
	touch $@

bench-site: setup bench/node_modules/.govpub-installed
	$(BIN)/python bench/bench_site.py

screenshots: setup
	$(BIN)/python scripts/screenshots.py

docs: $(STAMP)
	$(BIN)/govpub --lang zh-CN rules --format markdown > docs/rules.md
	$(BIN)/govpub --lang en rules --format markdown > docs/rules.en.md

clean:
	rm -rf site .govpub build dist
