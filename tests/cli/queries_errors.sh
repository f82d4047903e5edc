#!/usr/bin/env bash
# A missing or broken --queries directory: exit 6 and one line "FILE:LINE: what is wrong". A
# query that fails on the server skips that check with the server's reason; the others run.
. "$(dirname "$0")/lib/common.bash"
. "$(dirname "$0")/lib/hardening.bash"

run_sa checks --queries "$work/nope"
expect_rc 6
expect_one_line_err
expect_err "--queries $work/nope: not a directory"

# expect_query_error FILE_NAME CONTENT MESSAGE
expect_query_error() {
  rm -rf "$work/q"
  mkdir "$work/q"
  printf '%s\n' "$2" >"$work/q/$1"
  run_sa audit --queries "$work/q" --db "host=127.0.0.1 port=1 dbname=x connect_timeout=2"
  expect_rc 6
  expect_one_line_err
  expect_err "schema-audit: error: $work/q/$1"
  expect_err "$3"
}
expect_query_error x.sql $'-- id: x\n-- category: x\n-- colour: red\nselect 1' 'x.sql:3: unknown header key "colour"'
expect_query_error x.sql $'-- id: y\n-- category: x\nselect 1' 'id "y" does not match the file name'
expect_query_error x.sql $'-- id: X; drop table t\n-- category: x\nselect 1' "x.sql:1: id must be lowercase letters"
expect_query_error x.sql $'-- id: x\n-- category: x\n-- severity: urgent\nselect 1' "x.sql:3: severity must be"
expect_query_error x.sql $'-- id: x\n-- category: x\n-- min_server: 9999999999999\nselect 1' "min_server must be"
expect_query_error x.sql $'-- id: x\n-- category: x\n-- params: a=1, =2\nselect 1' "params must be name=default pairs"
expect_query_error x.sql $'-- id: x\n-- category: x\n-- params: a=1, limit_rows=(config)\nselect 1' 'x.sql: param "limit_rows" takes its default from the config, which has no setting of that name'
expect_query_error x.sql $'-- id: x\n-- category: x\n-- trend: size\nselect 1' "x.sql:3: trend must be unused_index_size or bloat"
expect_query_error x.sql $'-- id: x\n-- category: x\nselect 1\n-- include: nosuch' 'x.sql:4: no fragment "nosuch"; add queries/lib/nosuch.sql'
# A fragment that includes itself (through another): refused where the cycle closes.
rm -rf "$work/q"
mkdir -p "$work/q/lib"
printf '%s\n' '-- a fragment' '-- include: loop_b' >"$work/q/lib/loop_a.sql"
printf '%s\n' '-- another' '-- include: loop_a' >"$work/q/lib/loop_b.sql"
printf '%s\n' '-- id: looping' '-- category: looping' 'with' '-- include: loop_a' 'select 1' >"$work/q/looping.sql"
run_sa checks --queries "$work/q"
expect_rc 6
expect_one_line_err
expect_err "$work/q/lib/loop_b.sql:2: fragment \"loop_a\" includes itself (through loop_a -> loop_b)"
# A query of --queries includes a built-in fragment, and lib/ under --queries overrides one:
# the fragment's SQL is what runs.
rm -rf "$work/q"
mkdir -p "$work/q/lib"
printf '%s\n' '-- id: fragment_user' '-- category: fragment_user' '-- params: tenant_keys={tenant_id}' \
  'with' '-- include: tenant_columns' 'mine as (select count(*) as n from global_rows)' \
  "select 'fragment_user' as object, 'table' as object_type, 'global rows: ' || n as message from mine" \
  >"$work/q/fragment_user.sql"
export PGDATABASE=postgres
run_sa audit --queries "$work/q" --check fragment_user --format json
expect_rc 0
expect_out '"global rows: 0"'
printf '%s\n' 'tenant_columns as (select 1 where $1::text[] is not null),' \
  'global_rows as (select g from generate_series(1, 7) g),' >"$work/q/lib/tenant_columns.sql"
run_sa audit --queries "$work/q" --check fragment_user --format json
expect_rc 0
expect_out '"global rows: 7"'
expect_query_error x.sql $'-- id: x\n-- category: x\n--' "no SQL after the header"
expect_query_error x.sql $'select 1' 'missing "-- id: <check id>"'
expect_query_error x.sql $'\xff\xfe\x00garbage' 'missing "-- id: <check id>"'
expect_query_error x.pg16.sql $'-- id: x\n-- category: x\nselect 1' 'variant of unknown check "x"'

rm -rf "$work/q"
mkdir -p "$work/q/d.sql"
run_sa checks --queries "$work/q"
expect_rc 6
expect_one_line_err
expect_err "$work/q/d.sql: cannot read the file"

# Query files that parse but fail on the server, or return the wrong columns: those checks are
# skipped with the reason, the built-in checks still find the planted problem.
export PGDATABASE=$(plant_db hqueries)
rm -rf "$work/q"
mkdir "$work/q"
printf -- '-- id: zz_div\n-- category: test\n--\nselect 1/0 as object, %s as object_type, %s as message\n' "'t'" "'m'" >"$work/q/zz_div.sql"
printf -- '-- id: zz_cols\n-- category: test\n--\nselect 1 as nothing_useful\n' >"$work/q/zz_cols.sql"
printf -- '-- id: zz_syntax\n-- category: test\n--\nselect from where\n' >"$work/q/zz_syntax.sql"
# a param declared and never read: the server refuses the bind (08P01) on a live connection
printf -- '-- id: zz_param\n-- category: test\n-- params: unused=1\n--\nselect 1 as object, %s as object_type, %s as message\n' "'t'" "'m'" >"$work/q/zz_param.sql"
run_sa audit --queries "$work/q" --check zz_div --check zz_cols --check zz_syntax --check zz_param --check invalid_index
expect_rc 0
expect_out "zz_param: ERROR:  bind message supplies 1 parameters, but prepared statement"
[[ $err != *"lost the connection"* ]] || fail "a refused bind was taken for a lost connection: $err"
expect_out "zz_div: ERROR:  division by zero (SQLSTATE 22012)"
expect_out 'zz_cols: query of '"$work"'/q/zz_cols.sql returns no "object" column'
expect_out "zz_syntax: ERROR:  syntax error"
expect_out "CRITICAL  invalid_index  public.t_id_key"
echo "ok"
