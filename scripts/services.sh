#!/usr/bin/env bash
# Starts the local services the tests need — moto, an AWS API emulator — runs a command with them,
# and stops them afterwards.
#
#   scripts/services.sh cargo test --workspace     # run a command, stop moto when it ends
#   source scripts/services.sh                     # start moto for this shell; stopped when it exits
#
# Exports ATTEST_MOTO_ENDPOINT=http://127.0.0.1:$MOTO_PORT, AWS_ACCESS_KEY_ID=testing,
# AWS_SECRET_ACCESS_KEY=testing and AWS_REGION=us-east-1. moto is installed with pip into a venv
# under ${ATTEST_SERVICES_DIR:-$HOME/.cache/attest/services} the first time (about 35 s), then
# reused. MOTO_PORT defaults to the first free port from 5055.

attest_services_start() {
  local dir="${ATTEST_SERVICES_DIR:-$HOME/.cache/attest/services}"
  local venv="$dir/venv"
  mkdir -p "$dir"
  if [ ! -x "$venv/bin/moto_server" ]; then
    echo "services: installing moto into $venv" >&2
    python3 -m venv "$venv" || return 1
    "$venv/bin/pip" install -q 'moto[server]==5.2.5' boto3 || return 1
  fi

  local port="${MOTO_PORT:-}"
  if [ -z "$port" ]; then
    port=5055
    while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
      port=$((port + 1))
      if [ "$port" -gt 5155 ]; then
        echo "services: no free port in 5055-5155 for moto" >&2
        return 1
      fi
    done
  fi
  MOTO_PORT="$port"

  # AWS-managed IAM policies (AWSSupportAccess, CloudShellFullAccess…) exist only with this set.
  MOTO_IAM_LOAD_MANAGED_POLICIES=true \
    "$venv/bin/moto_server" -H 127.0.0.1 -p "$MOTO_PORT" >"$dir/moto-$MOTO_PORT.log" 2>&1 &
  ATTEST_MOTO_PID=$!
  local ready=""
  for _ in $(seq 1 200); do
    if curl -sf -o /dev/null "http://127.0.0.1:$MOTO_PORT/moto-api/data.json"; then
      ready=1
      break
    fi
    if ! kill -0 "$ATTEST_MOTO_PID" 2>/dev/null; then
      break
    fi
    sleep 0.05
  done
  if [ -z "$ready" ]; then
    echo "services: moto did not start on port $MOTO_PORT (see $dir/moto-$MOTO_PORT.log)" >&2
    attest_services_stop
    return 1
  fi

  export MOTO_PORT
  export ATTEST_MOTO_ENDPOINT="http://127.0.0.1:$MOTO_PORT"
  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
  echo "services: moto on $ATTEST_MOTO_ENDPOINT (pid $ATTEST_MOTO_PID)" >&2
}

attest_services_stop() {
  if [ -n "${ATTEST_MOTO_PID:-}" ]; then
    kill "$ATTEST_MOTO_PID" 2>/dev/null || true
    wait "$ATTEST_MOTO_PID" 2>/dev/null || true
    ATTEST_MOTO_PID=""
  fi
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  # Sourced: start for the calling shell and stop when it exits.
  attest_services_start && trap attest_services_stop EXIT
else
  set -euo pipefail
  if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]   (or: source $0)" >&2
    exit 2
  fi
  trap attest_services_stop EXIT
  attest_services_start
  status=0
  "$@" || status=$?
  exit "$status"
fi
