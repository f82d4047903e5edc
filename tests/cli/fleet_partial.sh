#!/usr/bin/env bash
# Fleet audit: a config with [[targets]] and no --db audits every target; an unreachable one is
# reported on stderr by name (no password) without stopping the others, which are stored as
# their own snapshots. Exit 7 when some failed, 3 when all failed, 1/0 by --fail-on otherwise.
. "$(dirname "$0")/lib/common.bash"

plant_invalid_index() {
  psql -q -X -d "$1" -c "create table t(id int); insert into t values (1), (1);"
  psql -q -X -d "$1" -c "create unique index concurrently t_id_key on t(id)" 2>/dev/null || true
}
alpha=$(make_db fleet_alpha)
beta=$(make_db fleet_beta)
plant_invalid_index "$alpha"

cat >"$work/fleet.toml" <<TOML
[[targets]]
name = "alpha"
db = "dbname=$alpha"

[[targets]]
name = "down"
db = "host=127.0.0.1 port=1 dbname=x user=u password=s3cret-value connect_timeout=2"

[[targets]]
name = "beta"
db = "postgresql:///$beta"
TOML

run_sa audit --config "$work/fleet.toml" --history "$work/h.db" --jobs 2
expect_rc 7
expect_one_line_err
expect_err 'schema-audit: error: target "down": cannot connect:'
grep -q "s3cret-value" <<<"$err$out" && fail "the password was printed: $err$out"
expect_out "== alpha =="
expect_out "== beta =="
expect_out "== down =="
expect_out "2 target(s) audited, 1 failed"
grep -A3 "== alpha ==" <<<"$out" | grep -q "$alpha" || fail "alpha's section does not show its database: $out"

# Each reachable target is its own snapshot, named by the target; the failed one stored nothing.
run_sa history --history "$work/h.db"
expect_rc 0
grep -q "alpha" <<<"$out" || fail "no alpha snapshot: $out"
grep -q "beta" <<<"$out" || fail "no beta snapshot: $out"
grep -q "down" <<<"$out" && fail "the failed target was stored: $out"

# JSON: one object per target, in config order, with its status.
run_sa audit --config "$work/fleet.toml" --format json --jobs 3
expect_rc 7
printf '%s' "$out" >"$work/fleet.json"
python3 - "$work/fleet.json" "$alpha" <<'PY' || fail "unexpected fleet JSON: $out"
import json, sys
d = json.load(open(sys.argv[1]))
t = d["targets"]
assert [x["target"]["name"] for x in t] == ["alpha", "down", "beta"], t
assert [x["status"] for x in t] == ["ok", "failed", "ok"], t
assert t[0]["target"]["dbname"] == sys.argv[2]
assert any(f["check_id"] == "invalid_index" for f in t[0]["findings"])
assert not any(f["check_id"] == "invalid_index" for f in t[2]["findings"])
assert "cannot connect" in t[1]["error"] and t[1]["exit_code"] == 3
assert d["succeeded"] == 2 and d["failed"] == 1
PY

# All reachable: --fail-on decides as for one database.
cat >"$work/up.toml" <<TOML
[[targets]]
name = "alpha"
db = "dbname=$alpha"
[[targets]]
name = "beta"
db = "dbname=$beta"
TOML
run_sa audit --config "$work/up.toml" --fail-on critical
expect_rc 1
run_sa audit --config "$work/up.toml" --check invalid_index --jobs 1
expect_rc 0
expect_out "2 target(s) audited, 0 failed"

# All unreachable: a connection error.
cat >"$work/down.toml" <<'TOML'
[[targets]]
name = "down1"
db = "host=127.0.0.1 port=1 dbname=x connect_timeout=2"
[[targets]]
name = "down2"
db = "host=127.0.0.1 port=1 dbname=y connect_timeout=2"
TOML
run_sa audit --config "$work/down.toml" --history "$work/h2.db"
expect_rc 3
expect_err 'target "down1"'
expect_err 'target "down2"'

# Bad fleet input fails before connecting: duplicate names, a connection string that does not
# parse (named by target, not quoted), --name.
cat >"$work/dup.toml" <<TOML
[[targets]]
name = "a"
db = "dbname=$alpha"
[[targets]]
name = "a"
db = "dbname=$beta"
TOML
run_sa audit --config "$work/dup.toml"
expect_rc 6
expect_one_line_err
expect_err 'name "a" appears twice'

cat >"$work/bad.toml" <<'TOML'
[[targets]]
name = "broken"
db = "this is = not 'a conninfo password=s3cret-value"
TOML
run_sa audit --config "$work/bad.toml"
expect_rc 6
expect_one_line_err
expect_err 'target "broken"'
grep -q "s3cret-value" <<<"$err" && fail "the password was printed: $err"

run_sa audit --config "$work/up.toml" --name x
expect_rc 2
expect_err "--name"

# --db still audits just that database, ignoring the targets.
run_sa audit --config "$work/fleet.toml" --db "dbname=$beta" --check invalid_index
expect_rc 0
grep -q "== " <<<"$out" && fail "--db ran a fleet audit: $out"
echo "ok"
