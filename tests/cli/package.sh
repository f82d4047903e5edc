#!/usr/bin/env bash
# The Debian package: scripts/package.sh packages the binary under test (CPack, dpkg-shlibdeps,
# lintian with errors failing); the package, unpacked into a scratch root, holds a binary that
# runs (--version, checks, an audit of a planted database on the test cluster), a man page that
# man renders and that names every subcommand and option of --help, and bash and zsh completions
# that load and complete subcommands, options, --format values and check ids.
. "$(dirname "$0")/lib/common.bash"

build_dir=$(cd "$(dirname "$bin")/.." && pwd)
version=$(sed -n 's/^project(schema_audit VERSION \([0-9.]*\).*/\1/p' "$src/CMakeLists.txt")
[ -n "$version" ] || fail "no version in CMakeLists.txt"

deb=$("$src/scripts/package.sh" --build-dir "$build_dir" --out "$work/out-deb" 2>"$work/package.log") \
  || fail "scripts/package.sh failed: $(cat "$work/package.log")"
[ "$(basename "$deb")" = "schema-audit_${version}_$(dpkg --print-architecture).deb" ] || fail "package named $deb"

# Runtime dependencies come from dpkg-shlibdeps: the libraries the binary links, by package name.
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libpq5 libsqlite3 libc6; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
contents=$(dpkg-deb -c "$deb")
grep -q '\./usr/share/doc/schema-audit/copyright$' <<<"$contents" || fail "no copyright file"
grep -q '\./usr/share/doc/schema-audit/changelog.gz$' <<<"$contents" || fail "no changelog"

root="$work/root"
dpkg -x "$deb" "$root"
installed="$root/usr/bin/schema-audit"
[ -x "$installed" ] || fail "the package has no /usr/bin/schema-audit"
[ "$("$installed" --version)" = "schema-audit $version" ] || fail "--version printed $("$installed" --version), not schema-audit $version"
grep -q unused_index <<<"$("$installed" checks)" || fail "the installed binary lists no checks"

# An audit of a planted problem with the installed binary alone (no data files beside it).
db=$(make_db pkg)
psql -q -X -d "$db" -c "create table users(id integer, email text)"
rc=0
"$installed" audit --db "dbname=$db" --format json --check no_primary_key >"$work/audit.json" 2>"$work/audit.err" || rc=$?
[ "$rc" = 0 ] || fail "the installed binary's audit exited $rc: $(cat "$work/audit.err")"
grep -q '"no_primary_key"' "$work/audit.json" || fail "the installed binary's audit found nothing"

# The man page renders, and names every subcommand and every option --help shows.
page="$root/usr/share/man/man1/schema-audit.1.gz"
[ -f "$page" ] || fail "no man page in the package"
MANWIDTH=100 man -l "$page" 2>"$work/man.err" >"$work/man.txt" || fail "man -l failed: $(cat "$work/man.err")"
[ ! -s "$work/man.err" ] || fail "man warned: $(cat "$work/man.err")"
for section in SYNOPSIS COMMANDS CHECKS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES; do
  grep -q "^$section" "$work/man.txt" || fail "the man page has no $section section"
done
grep -q "PGHOST" "$work/man.txt" || fail "the man page's ENVIRONMENT lacks PGHOST"
for sub in $("$installed" --help | awk '/^SUBCOMMANDS:/ {s = 1; next} s && NF {print $1}'); do
  grep -q "schema-audit $sub" "$work/man.txt" || fail "the man page lacks the subcommand $sub"
  for opt in $("$installed" "$sub" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
    grep -qF -- "$opt" "$work/man.txt" || fail "the man page lacks $sub $opt"
  done
done

# bash completion: loads, and completes from the command line definitions and the registry.
# (Each answer is read whole before grep -q looks at it: grep -q stops at the first match, and
# under pipefail the writer's SIGPIPE would fail the line at random.)
comp="$root/usr/share/bash-completion/completions/schema-audit"
complete_words() {
  bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _schema_audit; printf "%s\n" "${COMPREPLY[@]}"' \
    _ "$comp" "$@"
}
bash -c ". '$comp' && complete -p schema-audit" >/dev/null || fail "the bash completion does not load"
grep -qx report <<<"$(complete_words schema-audit rep)" || fail "bash: no subcommand completion"
grep -qx -- --format <<<"$(complete_words schema-audit audit --fo)" || fail "bash: no option completion"
[ "$(complete_words schema-audit audit --format '' | sort | tr '\n' ' ')" = "json markdown text " ] \
  || fail "bash: --format values are $(complete_words schema-audit audit --format '')"
grep -qx unused_index <<<"$(complete_words schema-audit audit --check unused_i)" || fail "bash: no check id completion"
grep -qx html <<<"$(complete_words schema-audit report --format '')" || fail "bash: report --format lacks html"

# zsh completion: parses, and its function is defined by the #compdef file.
zcomp="$root/usr/share/zsh/vendor-completions/_schema-audit"
head -n 1 "$zcomp" | grep -qx '#compdef schema-audit' || fail "zsh: no #compdef line"
zsh -n "$zcomp" || fail "zsh: the completion does not parse"
grep -q "unused_index" "$zcomp" || fail "zsh: no check ids"
echo "package: $(basename "$deb") ok"
