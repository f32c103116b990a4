#!/usr/bin/env bash
# Installs the peers that bench/whole-process.py compares resume-lint against.
# Idempotent: every step checks first and does nothing when the pinned version
# is already there, so it is safe to re-run. All network use happens here; the
# benchmark itself never installs or fetches anything.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH="$(dirname "$HERE")"

# Pinned versions. Change them deliberately: ratios are only comparable
# between runs that used the same peers.
RIPGREP_DEB="13.0.0-4+b2"   # Debian bookworm
TIME_DEB="1.9-0.2"          # Debian bookworm (GNU time)
PROSELINT="0.16.0"          # PyPI
# npm pins live in package.json / package-lock.json beside this script;
# harper-core's pin lives in bench/harper-bench/Cargo.toml.

step() { printf '\n== %s\n' "$*"; }
SECONDS=0

step "ripgrep $RIPGREP_DEB, GNU time $TIME_DEB (apt)"
# GNU time measures the peers' peak RSS (see GNU_TIME in whole-process.py).
apt_want=()
for pkg in "ripgrep=$RIPGREP_DEB" "time=$TIME_DEB"; do
  if [ "$(dpkg-query -W -f='${Version}' "${pkg%%=*}" 2>/dev/null || true)" != "${pkg#*=}" ]; then
    apt_want+=("$pkg")
  fi
done
if [ ${#apt_want[@]} -eq 0 ]; then
  echo "already installed"
else
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  # A fresh machine may have empty package lists: apt-cache then finds nothing.
  if ! apt-cache show "${apt_want[@]}" >/dev/null 2>&1; then
    $SUDO apt-get update -qq
  fi
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_want[@]}"
fi
echo "($SECONDS s so far)"

step "write-good + textlint (npm, local to bench/peers)"
cd "$HERE"
# npm records the installed tree in node_modules/.package-lock.json; when it is
# newer than the lock file, nothing changed since the last install.
if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  echo "already installed"
elif [ -f package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
else
  # First time only: resolve the exact versions in package.json into a lock file.
  npm install --no-audit --no-fund --save-exact --loglevel=error
fi
echo "($SECONDS s so far)"

step "proselint $PROSELINT (PyPI)"
PY="${PYTHON:-python3}"
if [ "$("$PY" -c 'import importlib.metadata as m; print(m.version("proselint"))' 2>/dev/null || true)" = "$PROSELINT" ]; then
  echo "already installed"
else
  "$PY" -m pip install --quiet --disable-pip-version-check "proselint==$PROSELINT"
fi
echo "($SECONDS s so far)"

step "harper-bench (harper-core from crates.io, built into bench/harper-bench/target)"
cd "$BENCH/harper-bench"
# cargo is itself idempotent: a no-op when the binary is up to date. Its own
# target dir keeps it from touching (or waiting on) resume-lint's build.
# nice: on a small shared machine this long compile should yield to others.
CARGO_TARGET_DIR="$BENCH/harper-bench/target" nice -n 10 cargo build --release --quiet --locked
echo "($SECONDS s so far)"

step "versions"
rg --version | sed -n 1p
echo "GNU time $(dpkg-query -W -f='${Version}' time)"
echo "write-good $("$HERE/node_modules/.bin/write-good" --version)"
echo "textlint $("$HERE/node_modules/.bin/textlint" --version)"
"$PY" -c 'import importlib.metadata as m; print("proselint", m.version("proselint"))'
grep -A1 '^name = "harper-core"' "$BENCH/harper-bench/Cargo.lock" | tr '\n' ' '; echo
echo "done in $SECONDS s"
