#!/usr/bin/env bash
# kill -9 during webhook ingest at full speed (release build). Usage:
#   bench/kill9-ingest.sh [messages] [concurrency]
# Set ATENDE_TEST_DATABASE_URL to run it on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin atende
target="${CARGO_TARGET_DIR:-$PWD/target}"
export ATENDE_BIN="$target/release/atende"
export ATENDE_KILL9_MESSAGES="${1:-20000}"
export ATENDE_KILL9_CONCURRENCY="${2:-64}"
cargo test --release -p atende-server --test process kill9_ingest -- --nocapture 2>&1 | grep -E "kill -9 after|test result|panicked"
