#!/usr/bin/env bash
# The dependency rule of docs/architecture.md: each folder of src/ includes only the folders
# below it, so that store and report stand side by side on the model and neither reaches into
# audit/. A file that breaks it is named with the include.
. "$(dirname "$0")/lib/common.bash"

allowed() {
  case $1 in
    util) echo "util" ;;
    querylog) echo "util querylog" ;;
    model) echo "util model" ;;
    pg) echo "util model pg" ;;
    audit) echo "util model pg querylog audit" ;;
    store) echo "util model pg store" ;;
    report) echo "util model report" ;;
    app) echo "util model pg querylog audit store report app" ;;
    *) fail "src/$1 is a folder docs/architecture.md does not place; add it to the rule" ;;
  esac
}

violations=()
for dir in "$src"/src/*/; do
  layer=$(basename "$dir")
  ok=$(allowed "$layer")
  while IFS=: read -r file line include; do
    target=$(sed -n 's/#include "\([a-z_]*\)\/.*/\1/p' <<<"$include")
    [ -n "$target" ] || continue
    grep -qw "$target" <<<"$ok" || violations+=("${file#"$src"/}:$line: $include")
  done < <(grep -rn '^#include "' "$dir" || true)
done
# store may use pg only for its PostgreSQL connection.
while IFS= read -r hit; do
  violations+=("${hit#"$src"/} (store uses pg/connection.hpp only)")
done < <(grep -rn '^#include "pg/' "$src/src/store" | grep -v '"pg/connection.hpp"' || true)

[ ${#violations[@]} -eq 0 ] || fail "includes against the dependency rule: ${violations[*]}"
echo "layering: ok"
