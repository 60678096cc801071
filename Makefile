# duban - the two commands are `make run` and `make test` (see README.md).

BUILD      ?= build
SAN_BUILD  ?= build-san
CLANG_BUILD ?= build-clang
GCC_BUILD  ?= build-release
DB         ?= var/duban.db
LISTEN     ?= 127.0.0.1:8080
JOBS       ?= $(shell nproc)
PYTHON     ?= /usr/bin/python3
# the demo database's admin password; a real deployment runs `duban init`
# itself and gets a generated one
DEMO_PASSWORD ?= Duban-demo-2026

.PHONY: all deps build run test unit api clang-check release-check clean web \
	web-e2e test-dates

all: build

deps:
	@scripts/deps.sh

build: deps web
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDUBAN_TESTS=OFF >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@mkdir -p $(dir $(DB))
	@if [ ! -f $(DB) ]; then \
	  DUBAN_ADMIN_PASSWORD='$(DEMO_PASSWORD)' $(BUILD)/duban init --db $(DB) && \
	  DUBAN_DEMO_PASSWORD='$(DEMO_PASSWORD)' $(BUILD)/duban demo --db $(DB) || \
	  { rm -f $(DB) $(DB)-wal $(DB)-shm; exit 1; }; \
	fi
	@$(BUILD)/duban migrate --db $(DB) >/dev/null
	@echo "duban: open http://$(LISTEN) and log in as admin / $(DEMO_PASSWORD)"
	@echo "duban: API: curl -X POST http://$(LISTEN)/api/v1/session -d '{\"username\":\"admin\",\"password\":\"$(DEMO_PASSWORD)\"}'"
	@exec $(BUILD)/duban serve --db $(DB) --listen $(LISTEN)

# the web front end (web/), built into web/dist, which CMake compiles into
# the binary: npm ci when the package files change, vite build when a source
# does; otherwise nothing runs
WEB_SRC := $(shell find web/src web/public -type f 2>/dev/null) \
	web/index.html web/vite.config.js
NODE_CHECK := node -e 'const [a, b] = process.versions.node.split(".").map(Number); \
	if (a < 20 || (a === 20 && b < 19)) { console.error("web: Node.js " + \
	process.versions.node + " is too old: the web build needs 20.19 or later"); \
	process.exit(1) }'

web: web/dist/index.html

web/node_modules/.package-lock.json: web/package.json $(wildcard web/package-lock.json) | deps
	@$(NODE_CHECK)
	@echo "web: installing the front end's packages (npm)"
	@cd web && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; \
	  else npm install --no-audit --no-fund --loglevel=error; fi
	@touch $@

web/dist/index.html: $(WEB_SRC) web/node_modules/.package-lock.json
	@echo "web: building web/dist (vite)"
	@cd web && npm run --silent build -- --logLevel warn
	@touch $@

# the sanitizer build that every test runs against
$(SAN_BUILD)/duban: deps web FORCE
	@cmake -S . -B $(SAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DDUBAN_SANITIZE=ON \
	  -DDUBAN_WERROR=ON >/dev/null
	@cmake --build $(SAN_BUILD) -j $(JOBS)
FORCE:

# every target (the unit tests too) in Release, as a packager builds it,
# warning-free with gcc and with clang; warnings are errors here, in the
# project's own builds, and not in a plain `cmake` build (DUBAN_WERROR)
clang-check: deps web
	@CC=clang cmake -S . -B $(CLANG_BUILD) -DCMAKE_BUILD_TYPE=Release \
	  -DDUBAN_WERROR=ON >/dev/null
	@cmake --build $(CLANG_BUILD) -j $(JOBS)

release-check: clang-check
	@CC=gcc cmake -S . -B $(GCC_BUILD) -DCMAKE_BUILD_TYPE=Release \
	  -DDUBAN_WERROR=ON >/dev/null
	@cmake --build $(GCC_BUILD) -j $(JOBS)

unit: $(SAN_BUILD)/duban
	@cd $(SAN_BUILD) && ctest --output-on-failure -j $(JOBS)

api: $(SAN_BUILD)/duban
	@DUBAN_BIN=$(SAN_BUILD)/duban $(PYTHON) -m pytest tests/api -q -p no:cacheprovider

# the web front end in Debian's Chromium (playwright-core, no browser
# download), against the sanitizer build; screenshots in test-artifacts/web
tests/web/node_modules/.package-lock.json: tests/web/package.json tests/web/package-lock.json | deps
	@cd tests/web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web-e2e: $(SAN_BUILD)/duban tests/web/node_modules/.package-lock.json
	@DUBAN_BIN=$(SAN_BUILD)/duban node --test --test-reporter=spec tests/web/*.test.mjs

test: release-check unit web-e2e api

# the API suite with the clock at a year's last afternoon, the first
# working day of a year and a leap day (China Standard Time), under
# libfaketime (scripts/at-time.sh, tests/README.md); .ci/run runs it after
# `make test`
TEST_DATES ?= 2026-12-31T16:30 2027-01-04T09:00 2028-02-29T10:00
test-dates: $(SAN_BUILD)/duban
	@for moment in $(TEST_DATES); do \
	  at=$$(echo "$$moment" | tr T ' '); \
	  echo "test-dates: the API suite at $$at (CST)"; \
	  DUBAN_BIN=$(SAN_BUILD)/duban scripts/at-time.sh "$$at" \
	    $(PYTHON) -m pytest tests/api -q -p no:cacheprovider || exit 1; \
	done

# the PostgreSQL driver's unit tests and the API suite on a throwaway
# cluster (scripts/pg-test-cluster.sh), against the sanitizer build
.PHONY: test-pg
test-pg: $(SAN_BUILD)/duban
	@cmake -S . -B $(SAN_BUILD) -DDUBAN_TESTS=ON >/dev/null
	@cmake --build $(SAN_BUILD) -j $(JOBS) --target test_pg >/dev/null
	@dir=$$(mktemp -d "$${TMPDIR:-/tmp}/duban-pg.XXXXXX") || exit 1; \
	trap "scripts/pg-test-cluster.sh stop $$dir" EXIT; \
	uri=$$(scripts/pg-test-cluster.sh start "$$dir") || exit 1; \
	export DUBAN_TEST_PG_URI="$$uri"; \
	(cd $(SAN_BUILD) && ctest --output-on-failure --no-tests=error \
	  -R '^pg$$') && \
	DUBAN_BIN=$(SAN_BUILD)/duban $(PYTHON) -m pytest tests/api -q \
	  -p no:cacheprovider

# the benchmarks of bench/README.md, on a release build: a province-scale
# data set, wrk against duban and two baselines (nginx, SQLite per fsync);
# installs wrk and nginx when missing; not part of `make test`
BENCH_BUILD ?= build-bench
.PHONY: bench
bench: deps web
	@cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release -DDUBAN_TESTS=OFF >/dev/null
	@cmake --build $(BENCH_BUILD) -j $(JOBS)
	@DUBAN_BIN=$(BENCH_BUILD)/duban bench/run.sh

# the harnesses of tests/fuzz (tests/fuzz/README.md) under libFuzzer with
# ASan and UBSan, one after another, each for FUZZ_SECONDS on a copy of its
# seed corpus that grows in $(FUZZ_BUILD)/corpus/; what crashes lands in
# $(FUZZ_BUILD)/crashes/; clang only, not part of `make test`
FUZZ_BUILD   ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= csv xlsx filetype calendar router import
.PHONY: fuzz
fuzz: web
	@scripts/deps.sh fuzz
	@CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug \
	  -DDUBAN_FUZZ=ON -DDUBAN_TESTS=OFF >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) \
	  --target $(addprefix fuzz_,$(FUZZ_TARGETS))
	@failed=""; for t in $(FUZZ_TARGETS); do \
	  corpus=$(FUZZ_BUILD)/corpus/$$t; crashes=$(FUZZ_BUILD)/crashes/$$t; \
	  log=$(FUZZ_BUILD)/fuzz_$$t.log; \
	  mkdir -p $$corpus $$crashes; cp -n tests/fuzz/corpus/$$t/* $$corpus/; \
	  echo "fuzz: $$t for $(FUZZ_SECONDS) s ($$log)"; \
	  dict=tests/fuzz/$$t.dict; [ -f $$dict ] || dict=; \
	  $(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) \
	    $${dict:+-dict=$$dict} -artifact_prefix=$$crashes/ \
	    -print_final_stats=1 $$corpus \
	    >$$log 2>&1; rc=$$?; \
	  grep -E '^#[0-9]+[[:space:]]+DONE' $$log | tail -1 | sed 's/^/fuzz:   /'; \
	  grep -E 'number_of_executed_units|average_exec_per_sec' $$log | \
	    sed 's/^/fuzz:   /'; \
	  if [ $$rc -ne 0 ]; then failed="$$failed $$t"; \
	    grep -E 'ERROR:|invariant broken|SUMMARY:|Test unit written' $$log | \
	      sed 's/^/fuzz:   /'; \
	  fi; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: crashes in:$$failed"; exit 1; fi; \
	echo "fuzz: nothing found"

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(CLANG_BUILD)
