#!/usr/bin/env bash
# The findings' words (message, remediation, undo) and evidence wait in a temporary file in TMPDIR
# while the audit runs, removed from the folder as soon as it is made (#19: about three quarters
# of a finding's memory), and are read back whole into the output: the JSON of the planted
# database (tests/fixtures/remediation_plant.sql) has the same words and evidence for every
# finding as when TMPDIR does not exist and they stay in memory. A last check that sleeps
# (tests/fixtures/pause_check) keeps the audit running while its open files are sampled; nothing
# is left in TMPDIR afterwards.
. "$(dirname "$0")/lib/common.bash"

db=$(make_db spill)
psql -q -X -d "$db" -f "$src/tests/fixtures/remediation_plant.sql" >/dev/null 2>"$work/plant.err" ||
  fail "the planted database could not be made: $(grep -m1 ERROR "$work/plant.err")"
# Autovacuum off on every table, so that the two audits below see the same statistics: one that
# vacuumed or analyzed the planted tables in between took three findings (vacuum_health among
# them) out of the second audit only.
psql -q -X -d "$db" -v ON_ERROR_STOP=1 >/dev/null 2>"$work/autovacuum.err" <<'SQL' ||
do $$
declare
  t regclass;
begin
  for t in select c.oid from pg_class c join pg_namespace n on n.oid = c.relnamespace
           where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema')
             and n.nspname !~ '^pg_toast' loop
    execute format('alter table %s set (autovacuum_enabled = false, toast.autovacuum_enabled = false)', t);
  end loop;
end
$$;
SQL
  fail "autovacuum could not be turned off: $(grep -m1 ERROR "$work/autovacuum.err")"
mkdir "$work/tmp"
audit=(audit --config "$src/tests/fixtures/remediation_plant.toml" --db "dbname=$db"
  --queries "$src/tests/fixtures/pause_check" --format json --no-progress)

TMPDIR="$work/tmp" "$bin" "${audit[@]}" --output "$work/spilled.json" >/dev/null 2>"$work/err" </dev/null &
pid=$!
trap 'kill $pid 2>/dev/null || true; cleanup' EXIT
seen=""
while kill -0 "$pid" 2>/dev/null; do
  for fd in /proc/"$pid"/fd/*; do
    target=$(readlink "$fd" 2>/dev/null) || continue
    case $target in "$work/tmp/schema-audit-findings-"*" (deleted)") seen=$target ;; esac
  done
  sleep 0.1
done
rc=0
wait "$pid" || rc=$?
[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "audit: exit $rc: $(cat "$work/err")"
[ -n "$seen" ] || fail "the audit held no removed schema-audit-findings-* file of $work/tmp open"
[ -z "$(ls -A "$work/tmp")" ] || fail "the audit left files in TMPDIR: $(ls -A "$work/tmp")"

# Without a usable TMPDIR they stay in memory; the output says the same.
run_sa_env() { rc=0; env "$@" >"$work/out" 2>"$work/err" </dev/null || rc=$?; }
run_sa_env TMPDIR="$work/missing" "$bin" "${audit[@]}" --output "$work/in_memory.json"
[ "$rc" = 0 ] || [ "$rc" = 1 ] || fail "audit without a TMPDIR: exit $rc: $(cat "$work/err")"
python3 - "$work/spilled.json" "$work/in_memory.json" <<'PY' || fail "the fields read back differ from the ones kept in memory"
import json, re, sys
spilled, in_memory = (json.load(open(p)) for p in sys.argv[1:3])
# Numbers masked: a message may quote a counter that moved in between (an age in transactions).
words = lambda d: {f["fingerprint"]: tuple(re.sub(r"[0-9]+", "#", f[k] if isinstance(f[k], str) else json.dumps(f[k], sort_keys=True))
                                           for k in ("message", "remediation", "undo", "evidence"))
                   for f in d["findings"]}
a, b = words(spilled), words(in_memory)
# Two audits of one database can still differ by a finding (a counter that moves in between): the
# findings of both must be nearly all of each, and word for word the same.
common = a.keys() & b.keys()
assert len(a) > 20 and len(common) >= len(a) - 2 and len(common) >= len(b) - 2, (len(a), len(b), len(common))
assert any(a[k][1] for k in common), "no finding has a fix"
assert any(a[k][3] != "{}" for k in common), "no finding has evidence"
# A finding of one audit only can also be merged into another's (one object, one entry: its
# evidence under its check's id, a sentence in the message): that finding then differs by the
# merged check alone, and counts as one of the two.
evidence = lambda d: {f["fingerprint"]: f["evidence"] for f in d["findings"]}
ea, eb = evidence(spilled), evidence(in_memory)
merged_in_one = lambda k: bool(set(ea[k]) ^ set(eb[k])) and all(re.fullmatch(r"[a-z0-9_]+", c) and isinstance((ea.get(k, {}) | eb.get(k, {}))[c], dict)
                                                                for c in set(ea[k]) ^ set(eb[k]))
different = [k for k in common if a[k] != b[k]]
explained = [k for k in different if merged_in_one(k)]
assert len(different) == len(explained), [(a[k], b[k]) for k in different if k not in explained][:2]
assert len(common) + 2 >= len(a) + len(explained) and len(common) + 2 >= len(b) + len(explained), \
    (len(a), len(b), len(common), len(explained))
print(f"{len(common)} findings, their words and evidence the same", file=sys.stderr)
PY
echo "ok ($seen)"
