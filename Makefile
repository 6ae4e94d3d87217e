# Seamark: two commands for a newcomer.
#   make run   installs the runtime requirements into .venv and starts the dashboard (offline)
#   make test  installs the dev requirements (and Debian's Chromium when missing) and runs every check
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501
# The nearest-point kernel, compiled from geo/nearest_kernel.pyx once per install (setup.py)
KERNEL := geo/nearest_kernel$(shell $(PYTHON) -c "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))")
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: .chromium kernel run test lint format validate enrich claims bench data clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

# Cython writes C, gcc compiles it; the module lands beside its source (geo/), where Python finds it.
$(KERNEL): geo/nearest_kernel.pyx setup.py $(VENV)/.runtime
	$(PY) setup.py --quiet build_ext --inplace
	touch $@

kernel: $(KERNEL)

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# Debian's Chromium for the browser tests, and CJK fonts so Korean renders in screenshots.
.chromium:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi 'Noto Sans CJK'; then \
		echo "Installing Debian's chromium and fonts-noto-cjk"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi

run: $(VENV)/.runtime $(KERNEL)
	$(PY) -m streamlit run dashboard/app.py --server.port $(PORT)

test: $(VENV)/.dev $(KERNEL) .chromium
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

lint: $(VENV)/.dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

validate: $(VENV)/.runtime $(KERNEL)
	$(PY) -m geo validate

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache artifacts build geo/nearest_kernel.c $(KERNEL)
