#!/usr/bin/env bash
# Start a throw-away PostgreSQL server for the leaderboard tests and export COURSEKIT_PG_URL.
# Usage (as root, on Debian): source .ci/postgres.sh
# Installs Debian's `postgresql` package when missing, creates a cluster in $PGDATA_DIR
# (default /tmp/coursekit-pg) owned by the postgres user, starts it on 127.0.0.1:$PGPORT
# (default 55432), and creates the user `coursekit` and the database `coursekit_test`.
# Safe to source twice (reuses a running server). Stop it with:
#   su postgres -c "$(ls -d /usr/lib/postgresql/*/bin | tail -1)/pg_ctl -D /tmp/coursekit-pg stop"

_coursekit_pg_url="$(
    set -euo pipefail
    data="${PGDATA_DIR:-/tmp/coursekit-pg}"
    port="${PGPORT:-55432}"
    user=coursekit password=coursekit db=coursekit_test
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
        apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    fi
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    if [ ! -s "$data/PG_VERSION" ]; then
        mkdir -p "$data"
        chown postgres:postgres "$data"
        su postgres -c "$bin/initdb -D '$data' -A trust -U postgres" >&2
    fi
    if ! su postgres -c "$bin/pg_ctl -D '$data' status" >/dev/null 2>&1; then
        su postgres -c "$bin/pg_ctl -D '$data' -l '$data/server.log' -w -o \
            \"-p $port -k /tmp -c listen_addresses=127.0.0.1\" start" >&2
    fi
    psql=("$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -v ON_ERROR_STOP=1 -qtA)
    if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname='$user'")" ]; then
        "${psql[@]}" -c "CREATE ROLE $user LOGIN PASSWORD '$password'" >&2
    fi
    if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname='$db'")" ]; then
        "${psql[@]}" -c "CREATE DATABASE $db OWNER $user" >&2
    fi
    echo "postgresql+psycopg://$user:$password@127.0.0.1:$port/$db"
)"
if [ -n "$_coursekit_pg_url" ]; then
    export COURSEKIT_PG_URL="$_coursekit_pg_url"
    echo "COURSEKIT_PG_URL=$COURSEKIT_PG_URL"
else
    echo "postgres.sh: could not start PostgreSQL; the postgres tests will be skipped" >&2
fi
unset _coursekit_pg_url
