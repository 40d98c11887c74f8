#!/usr/bin/env bash
# Runs the whole attest test suite on a fresh machine: everything the tests need is set up here.
set -euo pipefail
cd "$(dirname "$0")/.."

# Build artefacts live outside the clone so repeated runs on one machine reuse them.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/attest/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

# moto (an AWS API emulator) is installed and started for the live-AWS tests, stopped afterwards.
exec scripts/services.sh cargo test --workspace --no-fail-fast "$@"
