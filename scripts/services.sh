#!/usr/bin/env bash
# Starts the local services the tests need — moto, an AWS API emulator, and a throwaway PostgreSQL
# server — runs a command with them, and stops them afterwards.
#
#   scripts/services.sh cargo test --workspace     # run a command, stop the services when it ends
#   source scripts/services.sh                     # start them for this shell; stopped when it exits
#
# Exports ATTEST_MOTO_ENDPOINT=http://127.0.0.1:$MOTO_PORT, ATTEST_SERVICES_PYTHON (a Python with
# boto3), AWS_ACCESS_KEY_ID=testing,
# AWS_SECRET_ACCESS_KEY=testing and AWS_REGION=us-east-1. moto is installed with pip into a venv
# under ${ATTEST_SERVICES_DIR:-$HOME/.cache/attest/services} the first time (about 35 s), then
# reused. MOTO_PORT defaults to the first free port from 5055.
#
# PostgreSQL: a new cluster (initdb, trust authentication, 127.0.0.1 only) in a temporary
# directory, removed on exit; exports ATTEST_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$PGPORT/postgres.
# initdb refuses to run as root, so as root the cluster belongs to the `postgres` user.
# PGPORT defaults to the first free port from 55432.

attest_free_port() {
  local port="$1" last="$2"
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1))
    if [ "$port" -gt "$last" ]; then
      return 1
    fi
  done
  echo "$port"
}

attest_postgres_start() {
  local initdb pgbin
  initdb="$(command -v initdb || ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1 || true)"
  if [ -z "$initdb" ]; then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
      echo "services: installing PostgreSQL (apt-get install postgresql)" >&2
      apt-get update -qq && apt-get install -y -qq postgresql >/dev/null || return 1
      initdb="$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)"
    else
      echo "services: PostgreSQL (initdb, pg_ctl) is not installed" >&2
      return 1
    fi
  fi
  pgbin="$(dirname "$(readlink -f "$initdb")")"
  ATTEST_PG_DIR="$(mktemp -d /tmp/attest-pg.XXXXXX)"
  local as=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$ATTEST_PG_DIR"
    as=(runuser -u postgres --)
  fi
  ATTEST_PG_AS=("${as[@]}")
  ATTEST_PG_BIN="$pgbin"
  local port
  port="${PGPORT:-$(attest_free_port 55432 55532)}" || { echo "services: no free port for PostgreSQL" >&2; return 1; }
  if ! "${as[@]}" "$pgbin/initdb" -D "$ATTEST_PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
      >"$ATTEST_PG_DIR/initdb.log" 2>&1; then
    echo "services: initdb failed (see $ATTEST_PG_DIR/initdb.log)" >&2
    cat "$ATTEST_PG_DIR/initdb.log" >&2
    return 1
  fi
  if ! "${as[@]}" "$pgbin/pg_ctl" -D "$ATTEST_PG_DIR/data" -l "$ATTEST_PG_DIR/server.log" -w \
      -o "-p $port -k $ATTEST_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null; then
    echo "services: PostgreSQL did not start (see $ATTEST_PG_DIR/server.log)" >&2
    cat "$ATTEST_PG_DIR/server.log" >&2
    return 1
  fi
  export PGPORT="$port"
  export ATTEST_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "services: PostgreSQL on 127.0.0.1:$port ($ATTEST_PG_DIR)" >&2
}

attest_postgres_stop() {
  if [ -n "${ATTEST_PG_DIR:-}" ]; then
    "${ATTEST_PG_AS[@]}" "$ATTEST_PG_BIN/pg_ctl" -D "$ATTEST_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$ATTEST_PG_DIR"
    ATTEST_PG_DIR=""
  fi
}

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
    port="$(attest_free_port 5055 5155)" || { echo "services: no free port in 5055-5155 for moto" >&2; return 1; }
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
  # Python with boto3, for tests that change the emulated account the way a user would.
  export ATTEST_SERVICES_PYTHON="$venv/bin/python"
  export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=us-east-1
  echo "services: moto on $ATTEST_MOTO_ENDPOINT (pid $ATTEST_MOTO_PID)" >&2
  attest_postgres_start
}

attest_services_stop() {
  attest_postgres_stop
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
