# duban - the two commands are `make run` and `make test` (see README.md).

BUILD      ?= build
SAN_BUILD  ?= build-san
CLANG_BUILD ?= build-clang
DB         ?= var/duban.db
LISTEN     ?= 127.0.0.1:8080
JOBS       ?= $(shell nproc)
PYTHON     ?= /usr/bin/python3
# the demo database's admin password; a real deployment runs `duban init`
# itself and gets a generated one
DEMO_PASSWORD ?= Duban-demo-2026

.PHONY: all deps build run test unit api clang-check clean

all: build

deps:
	@scripts/deps.sh

build: deps
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

# the sanitizer build that every test runs against
$(SAN_BUILD)/duban: deps FORCE
	@cmake -S . -B $(SAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DDUBAN_SANITIZE=ON >/dev/null
	@cmake --build $(SAN_BUILD) -j $(JOBS)
FORCE:

# gcc builds above; clang must compile the same code warning-free
clang-check: deps
	@CC=clang cmake -S . -B $(CLANG_BUILD) -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@cmake --build $(CLANG_BUILD) -j $(JOBS)

unit: $(SAN_BUILD)/duban
	@cd $(SAN_BUILD) && ctest --output-on-failure -j $(JOBS)

api: $(SAN_BUILD)/duban
	@DUBAN_BIN=$(SAN_BUILD)/duban $(PYTHON) -m pytest tests/api -q -p no:cacheprovider

test: clang-check unit api

# the PostgreSQL driver's unit tests and the API suite on a throwaway
# cluster (scripts/pg-test-cluster.sh), against the sanitizer build
.PHONY: test-pg
test-pg: $(SAN_BUILD)/duban
	@dir=$$(mktemp -d "$${TMPDIR:-/tmp}/duban-pg.XXXXXX") && \
	uri=$$(scripts/pg-test-cluster.sh start "$$dir") || exit 1; \
	trap 'scripts/pg-test-cluster.sh stop "'"$$dir"'"' EXIT; \
	export DUBAN_TEST_PG_URI="$$uri"; \
	(cd $(SAN_BUILD) && ctest --output-on-failure -R '^pg$$') && \
	DUBAN_BIN=$(SAN_BUILD)/duban $(PYTHON) -m pytest tests/api -q \
	  -p no:cacheprovider

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(CLANG_BUILD)
