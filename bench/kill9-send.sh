#!/usr/bin/env bash
# kill -9 during a 400-message outbound burst (release build): duplicates
# counted with the status webhooks Meta would post (the scripted case,
# target 0) and without any (the documented window). Usage:
#   bench/kill9-send.sh [messages]
# Set ATENDE_TEST_DATABASE_URL to run it on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --bin atende
target="${CARGO_TARGET_DIR:-$PWD/target}"
export ATENDE_BIN="$target/release/atende"
export ATENDE_KILL9_SENDS="${1:-400}"
for statuses in 1 0; do
  ATENDE_KILL9_STATUSES=$statuses cargo test --release -p atende-server --test process kill9_send -- --nocapture 2>&1 \
    | grep -E "kill -9 after|test result|panicked"
done
