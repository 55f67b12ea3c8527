#!/usr/bin/env bash
# Run a command with a PostgreSQL server for the tests.
#
# If ENGAGEMENT_TEST_PG is already set, it is used as is. Otherwise, when PostgreSQL's server
# binaries are installed, a throwaway cluster is created in a temporary directory, started on a
# free loopback port for the duration of the command, and removed afterwards. PostgreSQL refuses
# to run as root, so as root the cluster belongs to the `postgres` system user.
# With ENGAGEMENT_INSTALL_PG=1 (CI), missing binaries are installed from Debian's packages.
set -euo pipefail

if [[ -n "${ENGAGEMENT_TEST_PG:-}" ]]; then
    exec "$@"
fi

find_bindir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
            echo "$dir"
            return 0
        fi
    done
    command -v initdb >/dev/null 2>&1 && dirname "$(command -v initdb)" && return 0
    return 1
}

bindir=$(find_bindir || true)
if [[ -z "$bindir" && "${ENGAGEMENT_INSTALL_PG:-0}" == "1" && $(id -u) -eq 0 ]]; then
    echo "with-postgres: installing PostgreSQL from Debian's packages" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bindir=$(find_bindir || true)
fi
if [[ -z "$bindir" ]]; then
    echo "with-postgres: PostgreSQL is not installed; PostgreSQL tests will be skipped" >&2
    exec "$@"
fi

run_as=()
if [[ $(id -u) -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
    run_as=(runuser -u postgres --)
fi

workdir=$(mktemp -d /tmp/engagement-pg.XXXXXX)
chmod 755 "$workdir"
[[ ${#run_as[@]} -gt 0 ]] && chown postgres "$workdir"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

cleanup() {
    "${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$workdir"
}
trap cleanup EXIT

"${run_as[@]}" "$bindir/initdb" -D "$workdir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 \
    || { cat "$workdir/initdb.log" >&2; exit 1; }
"${run_as[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w -t 60 \
    -o "-p $port -k $workdir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$workdir/server.log" >&2; exit 1; }

export ENGAGEMENT_TEST_PG="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: throwaway PostgreSQL on 127.0.0.1:$port" >&2
set +e
"$@"
status=$?
set -e
exit $status
