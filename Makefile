# Developer workflow. `make demo` and `make test` work on a fresh machine with
# Go (>= 1.24) and Python (3.9 - 3.13): they create .venv, install the pinned
# Python packages and Go tools, build the extension and install the package.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# faiss-cpu is the test oracle and the benchmark baseline; pybindgen is what
# gopy generates the CPython glue with.
# mlx: AnyClustering.centroids() returns mlx arrays when it is importable;
# the tests cover both cases (Linux has CPU-only wheels).
MLX := $(if $(filter Darwin,$(shell uname -s)),mlx==0.32.4,mlx[cpu]==0.32.4)
PIP_PACKAGES := "numpy>=1.21" pybindgen==0.22.1 "pytest>=7" faiss-cpu==1.15.1 "$(MLX)" setuptools wheel
# Baselines that only the benchmarks compare against.
BENCH_PACKAGES := scikit-learn==1.9.1
DEPS_STAMP := $(VENV)/.deps-installed

.PHONY: demo test test-go test-py vet lint install bench clean

$(DEPS_STAMP): Makefile
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check $(PIP_PACKAGES)
	touch $@

# Builds the Go extension for .venv's interpreter (setup.py runs gopy) and
# installs the package into .venv.
install: $(DEPS_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-build-isolation --no-deps --force-reinstall .

demo: install
	$(PY) -m metalfaiss.demo

vet:
	go vet ./...
	@unformatted=$$(gofmt -l core pyapi); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi

lint: vet

test-go:
	go test -count=1 ./...

test-py: install
	$(PY) -m pytest -q tests

test: vet test-go test-py

bench: install
	$(PY) -m pip install --quiet --disable-pip-version-check $(BENCH_PACKAGES)
	$(PY) benchmarks/bench_flat.py
	$(PY) benchmarks/bench_kmeans.py

clean:
	rm -rf _build build dist python/*.egg-info
