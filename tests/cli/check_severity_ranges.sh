#!/usr/bin/env bash
# Every check declares the range of severities it gives ("-- severity: medium..critical" in its
# header; `checks` shows it): this test keeps the declarations true. It audits the planted
# database (tests/fixtures/remediation_plant.sql, a problem for every check) twice with a
# history, so that the checks needing a previous snapshot run too, and fails on any finding whose
# severity is outside its check's declared range. `checks` text, JSON, Markdown and --explain
# show the range.
. "$(dirname "$0")/lib/common.bash"

db=$(make_db ranges)
psql -q -X -d "$db" -f "$src/tests/fixtures/remediation_plant.sql" >/dev/null 2>"$work/plant.err" ||
  fail "the planted database could not be made: $(grep -m1 ERROR "$work/plant.err")"

run_sa checks --format json
expect_rc 0
echo "$out" >"$work/checks.json"

for pass in 1 2; do
  run_sa audit --config "$src/tests/fixtures/remediation_plant.toml" --db "dbname=$db" --no-progress \
    --opt-in exact_bloat --history "$work/h.db" --format json --output "$work/audit$pass.json"
  [ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "audit pass $pass: exit $rc: $err"
done

python3 - "$work/checks.json" "$work/audit1.json" "$work/audit2.json" <<'PY' || fail "a finding's severity is outside its check's declared range"
import json, sys
order = ["info", "low", "medium", "high", "critical"]
checks = {c["id"]: c for c in json.load(open(sys.argv[1]))}
outside, seen = [], {}
for path in sys.argv[2:]:
    for f in json.load(open(path))["findings"]:
        c = checks[f["check_id"]]
        lo, hi = (order.index(c["severity_range"][k]) for k in ("lowest", "highest"))
        s = order.index(f["severity"])
        seen.setdefault(f["check_id"], set()).add(f["severity"])
        if not lo <= s <= hi:
            outside.append(f"{f['check_id']}: {f['severity']} on {f['object']}, declared "
                           f"{c['severity_range']['lowest']}..{c['severity_range']['highest']}")
for c in checks.values():
    assert order.index(c["severity_range"]["lowest"]) <= order.index(c["severity"]) <= order.index(c["severity_range"]["highest"]), c
print("severities seen: " + "; ".join(f"{k} {sorted(v, key=order.index)}" for k, v in sorted(seen.items())), file=sys.stderr)
if outside:
    print("\n".join(outside), file=sys.stderr)
    sys.exit(1)
# the planted database exercises most checks: a regression that drops them would hollow this test
assert len(seen) >= 20, sorted(seen)
PY

# The range where `checks` shows a severity.
run_sa checks
expect_rc 0
grep -qE '^sequence_overflow +int_overflow +medium\.\.critical ' <<<"$out" || fail "checks: no range for sequence_overflow: $out"
grep -qE '^duplicate_fk +[a-z_]+ +low ' <<<"$out" || fail "checks: a check of one severity shows it alone: $out"
run_sa checks --format markdown
expect_out "| sequence\\_overflow | int\\_overflow | medium..critical |"
run_sa checks --explain sequence_overflow
expect_rc 0
expect_out "severity:  medium..critical (medium unless its evidence says otherwise)"
echo "ok"
