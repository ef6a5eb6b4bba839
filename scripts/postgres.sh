# Sourced by scripts/test and scripts/bench: starts a throwaway PostgreSQL server (Debian's
# `postgresql`) in a temporary folder, on a free port on loopback, as a non-root user, and sets
# VELKOMMEN_TEST_POSTGRES to its URL. `stop_postgres` stops it and removes the folder.

start_postgres() {
    ensure_packages postgresql
    local bin
    bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    PG_DIR="$(mktemp -d /tmp/velkommen-pg.XXXXXX)"
    chmod 755 "$PG_DIR"
    local port
    port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
    # PostgreSQL refuses to run as root: run it as its own system user then.
    PG_AS=()
    if [ "$(id -u)" = 0 ]; then
        chown postgres "$PG_DIR"
        PG_AS=(runuser -u postgres --)
    fi
    "${PG_AS[@]}" "$bin/initdb" -D "$PG_DIR/data" -U velkommen --auth=trust -E UTF8 --no-sync >"$PG_DIR/initdb.log"
    "${PG_AS[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
        -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=400" start >/dev/null
    "${PG_AS[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U velkommen velkommen
    PG_BIN="$bin"
    PG_PORT="$port"
    export VELKOMMEN_TEST_POSTGRES="postgres://velkommen@127.0.0.1:$port/velkommen"
    echo "PostgreSQL for the tests: $VELKOMMEN_TEST_POSTGRES" >&2
}

stop_postgres() {
    [ -n "${PG_DIR:-}" ] || return 0
    "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    PG_DIR=""
}
