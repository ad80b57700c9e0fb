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

test: setup
	$(PY) -m pytest -q

clean:
	rm -rf build
