# Sourced by scripts/demo.sh and tests/cli/report_demo_print.sh: the demo's four quarters.
#   demo_history BINARY HISTORY OUT_DIR
# Loads samples/saas_schema.sql into the database PGDATABASE names (on the server the PG*
# variables name), then audits it four times with a quarter of drift between audits
# (samples/drift/qN.sql, then samples/workload.sql; audit --as-of back-dates each snapshot) into
# HISTORY, writing each audit's terminal output to OUT_DIR/audit-qN.txt. Run from the
# repository root. Returns the first failing audit's exit code.
demo_quarters=(2026-02-16T09:00:00Z 2026-05-18T09:00:00Z 2026-08-17T09:00:00Z 2026-11-16T09:00:00Z)

demo_history() {
  local bin=$1 history=$2 out=$3 i q status
  psql -q -X -v ON_ERROR_STOP=1 -f samples/saas_schema.sql >/dev/null
  # statistics as a database in service has them, whether or not autovacuum got to the new tables
  # before the first audit (checks such as not_null_candidate read them)
  psql -q -X -c "select pg_stat_force_next_flush()" -c "analyze" >/dev/null
  for i in "${!demo_quarters[@]}"; do
    q=$((i + 1))
    if [ -f "samples/drift/q$q.sql" ]; then
      psql -q -X -f "samples/drift/q$q.sql" >/dev/null 2>&1
    fi
    psql -q -X -f samples/workload.sql >/dev/null
    status=0
    "$bin" audit --history "$history" --name saas --as-of "${demo_quarters[$i]}" --no-progress \
      --output "$out/audit-q$q.txt" || status=$?
    [ "$status" = 0 ] || { echo "demo: audit of quarter $q failed (exit $status)" >&2; return "$status"; }
    echo "demo: quarter $q audited (${demo_quarters[$i]}): $(tail -n 1 "$out/audit-q$q.txt")" >&2
  done
}
