# Sourced after common.bash by the scripts that need a real streaming standby: a primary of
# their own (so the base backup is small; `primary CMD...` runs CMD with its PG* variables,
# $phost, $pport and $pguser say where it is), and start_standby, which makes a standby with
# pg_basebackup -R on the next port ($sport, socket in $standby_dir) and waits until it streams.
# Both are stopped on exit.
bindir=$SCHEMA_AUDIT_PG_BIN
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
primary_env=$work/primary.env
standby_dir=$(mktemp -d /tmp/sa-standby.XXXXXX)
chmod 755 "$standby_dir"
[ "$(id -u)" = 0 ] && chown postgres: "$standby_dir"
stop_all() {
  as_pg "$bindir/pg_ctl" -D "$standby_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$standby_dir"
  "$src/scripts/local-pg.sh" stop "$primary_env" >/dev/null 2>&1 || true
  cleanup
}
trap stop_all EXIT

"$src/scripts/local-pg.sh" start "$primary_env" 2>/dev/null
primary() { (set -a; . "$primary_env"; set +a; "$@"); }
phost=$(sed -n 's/^PGHOST=//p' "$primary_env")
pport=$(sed -n 's/^PGPORT=//p' "$primary_env")
pguser=$(sed -n 's/^PGUSER=//p' "$primary_env")
sport=$((pport + 1))

# start_standby: a base backup over the replication protocol, started as a standby streaming
# from the primary; fails the test unless it streams within 10 s.
start_standby() {
  as_pg "$bindir/pg_basebackup" -h "$phost" -p "$pport" -U "$pguser" -D "$standby_dir/data" -R -X stream -c fast
  echo "unix_socket_directories = '$standby_dir'" | as_pg tee -a "$standby_dir/data/postgresql.conf" >/dev/null
  as_pg "$bindir/pg_ctl" -D "$standby_dir/data" -o "-p $sport" -l "$standby_dir/server.log" -w -t 60 start >/dev/null \
    || { cat "$standby_dir/server.log" >&2; fail "the standby did not start"; }
  for _ in $(seq 1 100); do
    [ "$(primary psql -AtX -c "select count(*) from pg_stat_replication where state = 'streaming'")" = 1 ] && break
    sleep 0.1
  done
  [ "$(primary psql -AtX -c "select count(*) from pg_stat_replication")" = 1 ] || fail "the standby is not streaming"
}
