#!/usr/bin/env bash
# Installs every Debian package the build, the tests and the demo need. Idempotent, and quiet
# when everything is already there. Run as root (or with sudo available).
set -euo pipefail

packages=(
  # build
  g++ cmake make pkg-config
  libpqxx-dev libpq-dev libfmt-dev libcli11-dev libsqlite3-dev
  libkainjow-mustache-dev nlohmann-json3-dev libtomlplusplus-dev libpg-query-dev
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
