# Atende — the two commands a newcomer needs are `make run` and `make test`.
CARGO ?= cargo

.PHONY: run serve web api-types test test-rust test-web test-pg test-browser bench-web lint fmt release

# Where cargo puts binaries (CI keeps its cache outside the clone).
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)

## Builds the web app and starts the demo on the embedded SQLite default
## (./data): a demo organization, a fake WhatsApp number and customers
## writing in.
run: web
	$(CARGO) run --release --bin atende -- demo

## The server alone, without demo data.
serve: web
	$(CARGO) run --release --bin atende -- serve

web/node_modules/.package-lock.json: web/package-lock.json
	cd web && npm ci --no-audit --no-fund

## The web app (web/dist), embedded into the binary at compile time.
web: web/node_modules/.package-lock.json
	cd web && npm run build

## Regenerates web/openapi.json and the web app's typed client after an
## API change (a test fails until they match the server).
api-types: web/node_modules/.package-lock.json
	$(CARGO) run --quiet --bin atende -- openapi > web/openapi.json
	cd web && npm run gen:api

## The whole test suite: Rust (storage and API tests on SQLite, or on
## PostgreSQL when ATENDE_TEST_DATABASE_URL is set, see test-pg) and the
## web app's type check and unit tests.
test: test-rust test-web

test-rust:
	@if $(CARGO) nextest --version >/dev/null 2>&1; then \
		$(CARGO) nextest run --workspace --no-fail-fast; \
	else \
		$(CARGO) test --workspace --no-fail-fast; \
	fi

test-web: web/node_modules/.package-lock.json
	cd web && npm run check && npm test

## Browser tests: the release server (with the web app built in) driven
## through Chromium.
test-browser: web
	$(CARGO) build --release --bin atende
	cd web && ATENDE_BIN="$(abspath $(TARGET_DIR))/release/atende" npm run test:e2e

## The chat list with 10,000 conversations in Chromium (bench/RESULTS.md).
bench-web: web
	$(CARGO) build --release --bin atende
	ATENDE_BIN="$(abspath $(TARGET_DIR))/release/atende" node bench/web-list/list-bench.mjs 10000

## The Rust suites against PostgreSQL.
test-pg:
	ATENDE_TEST_DATABASE_URL=$${ATENDE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(MAKE) test-rust

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

release: web
	$(CARGO) build --release --bin atende
