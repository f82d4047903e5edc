#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the demo, the tests and the benchmark: Debian's newest
# server, or the one in PG_BINDIR (the tests' version matrix: .tools/pg/MAJOR/bin).
#   scripts/local-pg.sh start ENVFILE   initdb in a new temp dir, start on a free port (unix socket
#                                       in that dir, plus 127.0.0.1), write PG* variables to ENVFILE
#   scripts/local-pg.sh stop ENVFILE    stop that cluster and remove its dir and ENVFILE
# As root it runs initdb/pg_ctl as the postgres OS user, which PostgreSQL requires.
# LOCAL_PG_CONF: more postgresql.conf lines for the new cluster (the benchmark's).
# LOCAL_PG_PARENT: the directory the cluster's dir is made in (default /tmp). The tests put theirs
# in /dev/shm: on this machine's ext4 /tmp a file takes 1.5 ms to create, CREATE DATABASE some 300
# files (250-400 ms, 30-60 ms in memory), and the suite makes thousands of databases. A parent that
# is not a writable directory with 2 GB free is replaced by /tmp.
set -euo pipefail

cmd=${1:-}
envfile=${2:-}
[ -n "$cmd" ] && [ -n "$envfile" ] || { echo "usage: $0 start|stop ENVFILE" >&2; exit 2; }

debian_bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
bindir=${PG_BINDIR:-$debian_bindir}
# psql and pgbench: the server's own when it has them, else Debian's (which serve every major)
client_bindir=$bindir
[ -x "$bindir/psql" ] || client_bindir=$debian_bindir
[ -x "$bindir/initdb" ] || { echo "local-pg: no PostgreSQL server binaries found; run scripts/install-deps.sh" >&2; exit 1; }
# A server unpacked in the checkout (.tools/pg/MAJOR) that the postgres OS user cannot reach (a
# checkout under a home directory of mode 700) runs from a copy in /tmp, made once per release.
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$bindir/postgres"; then
  install=$(dirname "$bindir")
  copy=/tmp/schema-audit-pgbin-$(basename "$install")-$(cat "$install/release" 2>/dev/null || echo unknown)
  if [ ! -x "$copy/bin/postgres" ]; then
    cp -a "$install" "$copy.$$" && chmod -R a+rX "$copy.$$"
    mv -T "$copy.$$" "$copy" 2>/dev/null || rm -rf "$copy.$$" # another start made it first
  fi
  bindir=$copy/bin
fi

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  parent=${LOCAL_PG_PARENT:-/tmp}
  if [ "$parent" != /tmp ]; then
    free_kb=$(df -Pk "$parent" 2>/dev/null | awk 'NR == 2 { print $4 }') || free_kb=0
    if [ ! -d "$parent" ] || [ ! -w "$parent" ] || [ "${free_kb:-0}" -lt 2097152 ]; then
      echo "local-pg: $parent is not a writable directory with 2 GB free; the cluster goes in /tmp" >&2
      parent=/tmp
    fi
  fi
  dir=$(mktemp -d "$parent/schema-audit-pg.XXXXXX")
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  superuser=postgres
  [ "$(id -u)" = 0 ] || superuser=$(id -un)
  as_pg "$bindir/initdb" -D "$dir/data" -U "$superuser" --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_preload_libraries = 'pg_stat_statements'
# every test database records its own statements (about a hundred an audit): past the default
# 5,000 entries, pg_stat_statements evicted the least used, a test's planted statements among them
pg_stat_statements.max = 50000
max_connections = 200
max_prepared_transactions = 10
logging_collector = off
log_min_messages = warning
# the server's zone, whatever the machine's: what the audit reads as the database's time zone
# (type_timestamp_no_tz gives advice, not a script, when it is not UTC)
timezone = 'UTC'
$([ "$(stat -f -c %T "$dir")" = tmpfs ] && printf '%s\n' "# in memory: the WAL kept between checkpoints too (they cost little with fsync off)" "max_wal_size = 256MB")
${LOCAL_PG_CONF:-}
CONF
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    if as_pg "$bindir/pg_ctl" -D "$dir/data" -o "-p $port" -l "$dir/server.log" -w -t 60 start >/dev/null 2>&1; then
      {
        echo "PGHOST=$dir"
        echo "PGPORT=$port"
        echo "PGUSER=$superuser"
        echo "PGDATABASE=postgres"
        echo "SCHEMA_AUDIT_PG_DIR=$dir"
        echo "SCHEMA_AUDIT_PG_BIN=$bindir"
        echo "SCHEMA_AUDIT_PG_CLIENT_BIN=$client_bindir"
      } >"$envfile"
      echo "local-pg: PostgreSQL running on port $port, socket in $dir" >&2
      exit 0
    fi
  done
  cat "$dir/server.log" >&2 || true
  rm -rf "$dir"
  echo "local-pg: could not start PostgreSQL on a free port" >&2
  exit 1
  ;;
stop)
  [ -f "$envfile" ] || exit 0
  dir=$(sed -n 's/^SCHEMA_AUDIT_PG_DIR=//p' "$envfile")
  # the pg_ctl of the server that runs the cluster, whatever PG_BINDIR says now
  server_bindir=$(sed -n 's/^SCHEMA_AUDIT_PG_BIN=//p' "$envfile")
  if [ -n "$dir" ] && [ -d "$dir/data" ]; then
    as_pg "${server_bindir:-$bindir}/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  case "$(basename "$dir")" in schema-audit-pg.??????) rm -rf "$dir" ;; esac
  rm -f "$envfile"
  ;;
*)
  echo "usage: $0 start|stop ENVFILE" >&2
  exit 2
  ;;
esac
