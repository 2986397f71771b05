# All set-up on a fresh machine goes through these targets (see README).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench clean chromium fuzz doctest screenshots

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

# the models' numba kernels compile once per machine (about a minute, with a message), then load
# from their cache: do it here rather than in the first run; accord's modules are byte-compiled
# too (an editable install leaves that to the first import, ~0.1 s of every command's start-up
# where PYTHONDONTWRITEBYTECODE is set)
$(VENV)/.compiled: $(VENV)/.installed $(wildcard src/accord/models/*/kernel.py src/accord/models/*/fused.py src/accord/models/*/compiled.py)
	$(BIN)/python -m compileall -q src
	$(BIN)/python -m accord.models.warmup
	touch $@

run: $(VENV)/.compiled
	$(BIN)/accord forecast

# The browser tests drive Debian's chromium (never a downloaded browser build); CI runs as root.
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update && apt-get install -y chromium; \
	  else echo "chromium is missing and this is not root: the browser tests will skip" \
	    "(outside CI); install it with: sudo apt-get install -y chromium"; fi; \
	fi

test: $(VENV)/.installed-test chromium
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/pytest

# Long random runs of the reader fuzzers (the hypothesis "fuzz" profile: tests/hypothesis_profiles.py);
# failures are saved in .hypothesis/ and replayed first on the next run.
fuzz: $(VENV)/.installed-test
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest -p no:randomly tests/test_fuzz_readers.py tests/test_reader_hardening.py

# Every accord command in README.md and docs/*.md, the slow ones (full backtests) included.
doctest: $(VENV)/.installed-test
	ACCORD_DOCTEST_SLOW=1 $(BIN)/pytest -p no:randomly tests/test_docs.py

# The pictures in docs/: every page of the web workbench (docs/web/) and every --plot (docs/plots/).
screenshots: $(VENV)/.installed-test chromium
	$(BIN)/python scripts/screenshots.py docs

bench: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
