# Sourced (from the repository root) by a script that needs a PostgreSQL of its own for the
# rest of its run: starts a throwaway cluster with scripts/local-pg.sh, exports its PG*
# variables into the script, and stops and removes the cluster when the script exits.
#   . scripts/lib/throwaway-pg.bash NAME      NAME labels the temporary env file
throwaway_pg_env=$(mktemp "/tmp/schema-audit-${1:?a name for the env file}.XXXXXX")
trap 'scripts/local-pg.sh stop "$throwaway_pg_env"' EXIT
scripts/local-pg.sh start "$throwaway_pg_env"
set -a
. "$throwaway_pg_env"
set +a
