# The two commands of the README's quick start, `make demo` and `make test`, each set up .venv
# themselves on a fresh machine (uv from PyPI, then the project with its test extras).
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
PYTHON ?= python3
# Jupyter, IPython and matplotlib write into the home folder; keep them inside build/.
export JUPYTER_CONFIG_DIR ?= $(CURDIR)/build/.jupyter/config
export JUPYTER_DATA_DIR ?= $(CURDIR)/build/.jupyter/data
export JUPYTER_RUNTIME_DIR ?= $(CURDIR)/build/.jupyter/runtime
export IPYTHONDIR ?= $(CURDIR)/build/.ipython
export MPLCONFIGDIR ?= $(CURDIR)/build/.matplotlib
export PYDEVD_DISABLE_FILE_VALIDATION = 1

.PHONY: setup demo test test-browser notebooks lab bench fuzz clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check uv
	$(VENV)/bin/uv pip install -q --python $(PY) --compile-bytecode -e '.[test,bench]'
	touch $(STAMP)

demo: setup
	$(VENV)/bin/coreplan parse
	$(VENV)/bin/coreplan tables --out build/tables --format csv
	$(VENV)/bin/coreplan tables --out build/tables.xlsx --format xlsx
	$(VENV)/bin/coreplan packet

test: setup
	$(PY) -m pytest -q

# Re-execute every notebook in place (the committed outputs come from here, never from hand edits).
notebooks: setup
	$(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.record_timing=False --ExecutePreprocessor.store_widget_state=False \
		notebooks/*.ipynb

# JupyterLab opened on notebooks/ (served from the project folder, so notebook 05 can show the
# packet it writes to build/; as root, Jupyter insists on --allow-root).
lab: setup
	$(VENV)/bin/jupyter lab --ServerApp.root_dir=$(CURDIR) --LabApp.default_url=/lab/tree/notebooks \
		$(if $(filter 0,$(shell id -u)),--allow-root)

# Render the notebooks in JupyterLab in headless Chromium, drive notebook 02's widget, print the
# packet to PDF. Needs `apt-get install chromium chromium-driver`; skips without them (fails in CI).
test-browser: setup
	COREPLAN_BROWSER_TESTS=1 $(PY) -m pytest -q tests/browser

# Speed, memory and scale figures (benchmarks/README.md): build/bench.json and a table. Reported,
# never asserted. `make bench BENCH_ARGS=--quick` for a smoke test, `BENCH_ARGS="--only parse"`.
bench: setup
	$(PY) benchmarks/run.py $(BENCH_ARGS)

# The parser's property tests with many more examples (hypothesis profile coreplan-fuzz,
# derandomized, so a failure reproduces); the default suite runs the same properties briefly.
fuzz: setup
	HYPOTHESIS_PROFILE=coreplan-fuzz $(PY) -m pytest -q tests/test_properties.py

clean:
	rm -rf build
