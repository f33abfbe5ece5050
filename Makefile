# Atende — the two commands a newcomer needs are `make run` and `make test`.
CARGO ?= cargo

.PHONY: run serve test test-pg lint fmt release

## Builds and starts the demo on the embedded SQLite default (./data): a
## demo organization, a fake WhatsApp number and customers writing in.
run:
	$(CARGO) run --release --bin atende -- demo

## The server alone, without demo data.
serve:
	$(CARGO) run --release --bin atende -- serve

## The whole test suite. Storage and API tests run on SQLite, or on
## PostgreSQL when ATENDE_TEST_DATABASE_URL is set (see test-pg).
test:
	@if $(CARGO) nextest --version >/dev/null 2>&1; then \
		$(CARGO) nextest run --workspace --no-fail-fast; \
	else \
		$(CARGO) test --workspace --no-fail-fast; \
	fi

## The same suites against PostgreSQL.
test-pg:
	ATENDE_TEST_DATABASE_URL=$${ATENDE_TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(MAKE) test

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings

fmt:
	$(CARGO) fmt --all

release:
	$(CARGO) build --release --bin atende
