#!/usr/bin/env bash
# diff compares what the report compares, in its words: on the planted database
# (tests/fixtures/remediation_plant.sql), a second audit whose only differences are counters,
# stamps and ages that ticked is no change at all; a sequence that filled up by three points is
# worse (its severity was already critical), and its fix, changed by a view that now reads the
# column, is shown as a unified diff, not as one line of \x0a escapes.
. "$(dirname "$0")/lib/common.bash"

db=$(make_db diff)
psql -q -X -d "$db" -f "$src/tests/fixtures/remediation_plant.sql" >/dev/null 2>"$work/plant.err" ||
  fail "the planted database could not be made: $(grep -m1 ERROR "$work/plant.err")"
audit() {
  run_sa audit --config "$src/tests/fixtures/remediation_plant.toml" --db "dbname=$db" --no-progress \
    --history "$work/h.db" -q
  [ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "audit: exit $rc: $err"
}
schema='"Billing ""EU"""'
# The application reads the invoices between audits (a sequential scan, no index): the audit's
# own reads are not use, so without it the next audit would rightly find invoices unread in the
# window (unused_table; its unused indexes info, low confidence).
app_reads_invoices() {
  psql -q -X -d "$db" -c "set enable_indexscan = off" -c "set enable_indexonlyscan = off" \
    -c "set enable_bitmapscan = off" -c "select count(*) from $schema.invoices" -c "select pg_stat_force_next_flush()" >/dev/null
}

audit
psql -q -X -d "$db" -c "vacuum analyze"
app_reads_invoices
audit
run_sa diff --history "$work/h.db" --format json
expect_rc 0
python3 - "$out" <<'PY' || fail "counters, stamps and ages that ticked count as changes: $out"
import json, sys
d = json.loads(sys.argv[1])
c = d["counts"]
assert d["schema_version"] == 3, d["schema_version"]
moved = {k: [f"{f['check_id']} {f['object']}" for f in d[k]] for k in ("new", "worse", "better", "fix_changed")}
assert not any(moved.values()), moved
assert c["unchanged"] > 30, c
PY

# The sequence fills up by three points of its range, and a view starts reading its column.
psql -q -X -d "$db" -c "select setval('$schema.invoices_id_seq', 2070000000)" \
  -c "create view $schema.invoice_ids as select id from $schema.invoices" >/dev/null
app_reads_invoices
audit
run_sa diff --history "$work/h.db" --format json
expect_rc 0
python3 - "$out" <<'PY' || fail "the sequence is not worse, or its fix is not a unified diff: $out"
import json, sys
d = json.loads(sys.argv[1])
seq = [f for f in d["worse"] if f["check_id"] == "sequence_overflow"]
assert len(seq) == 1, d["worse"]
s = seq[0]
assert s["severity"] == "critical" and s["severity_before"] is None, s
assert s["measure"]["key"] == "usage_pct" and s["measure"]["after"] == "96.4%", s["measure"]
assert s["fix_changed"] and s["fix_diff"][0].startswith("@@ -1,"), s["fix_diff"]
added = [l for l in s["fix_diff"] if l.startswith("+")]
assert any("invoice_ids" in l for l in added), s["fix_diff"]
assert all(l[:1] in "@+- " for l in s["fix_diff"]), s["fix_diff"]
assert d["counts"]["new"] == 0, d["new"]
PY
run_sa diff --history "$work/h.db"
expect_rc 0
expect_out "Worse:"
expect_out "            usage_pct 93.1% -> 96.4%"
grep -qE '^              \+-- view .*invoice_ids' <<<"$out" || fail "the text diff shows no added fix line: $out"
[[ $out != *'\x0a'* ]] || fail "the text diff escapes line breaks: $out"
[[ $out != *disappeared* && $out != *appeared* ]] || fail "the text diff uses other words than the report: $out"
run_sa diff --history "$work/h.db" --format markdown
expect_rc 0
expect_out "### Worse"
[ "$(grep -c '^### ' <<<"$out")" = "$(grep '^### ' <<<"$out" | sort -u | wc -l)" ] || fail "a Markdown section repeats: $out"
expect_out "| critical | sequence\\_overflow | \"Billing \"\"EU\"\"\".invoices\\_id\\_seq | usage\\_pct 93.1% → 96.4% |"
expect_out '```diff'
grep -q '^+-- view .*invoice' <<<"$out" || fail "the Markdown diff block lacks the added line: $out"
echo "ok"
