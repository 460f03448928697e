#!/usr/bin/env bash
# Starts or stops a throwaway PostgreSQL cluster on loopback, owned by an unprivileged user,
# for the storage and server tests.
#   eval "$(.ci/postgres.sh start)"   # exports SWIFT_RESPONSE_TEST_POSTGRES_URL and SR_PGDATA
#   .ci/postgres.sh stop "$SR_PGDATA"
set -euo pipefail

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

install_postgres() {
  if [ -z "$(pg_bin)" ] || [ ! -x "$(pg_bin)/initdb" ]; then
    echo "installing PostgreSQL from Debian's packages" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq postgresql >&2
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

case "${1:-}" in
  start)
    install_postgres
    bin=$(pg_bin)
    user=postgres
    if [ "$(id -u)" != 0 ]; then user=$(id -un); fi
    data=$(mktemp -d /tmp/swift-response-pg.XXXXXX)
    chown "$user" "$data"
    run() { if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi; }
    run "$bin/initdb" -D "$data/db" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$data/initdb.log" 2>&1 \
      || { cat "$data/initdb.log" >&2; exit 1; }
    port=$(free_port)
    run "$bin/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 \
      -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >&2 \
      || { cat "$data/server.log" >&2; exit 1; }
    run "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres swift_response_test
    echo "export SR_PGDATA=$data"
    echo "export SWIFT_RESPONSE_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$port/swift_response_test?sslmode=disable"
    ;;
  stop)
    data=${2:?data directory}
    bin=$(pg_bin)
    user=$(stat -c %U "$data")
    if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$bin/pg_ctl" -D "$data/db" -m fast stop >&2 || true
    else "$bin/pg_ctl" -D "$data/db" -m fast stop >&2 || true; fi
    rm -rf "$data"
    ;;
  *)
    echo "usage: $0 start | stop DATADIR" >&2
    exit 2
    ;;
esac
