#!/usr/bin/env bash
# Installs everything Rampart needs on a fresh Debian 12 machine (root): apt packages, .venv, Kafka jars.
# Idempotent: a second run checks and returns in seconds, downloading nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES="clickhouse-server clickhouse-client tshark tcpdump iproute2 libpcap0.8 procps modsecurity-crs postgresql jq curl gcc python3.11-dev publicsuffix valgrind"
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3

missing=()
for p in $APT_PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
command -v java >/dev/null || missing+=("openjdk-17-jre-headless")
command -v mvn >/dev/null || missing+=("maven")
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: apt-get install ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's packages may start their own services on their default ports; Rampart's instances use their own
# ports and folders, so those are left alone (stopping them by init script would kill ours too).

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $PYTHON" >&2
  "$PYTHON" -m venv .venv
  .venv/bin/pip install -q --upgrade pip
fi
stamp=.venv/.rampart-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: pip install -e .[test,bench]" >&2
  mkdir -p .rampart
  .venv/bin/pip install -q -e '.[test,bench]' > .rampart/pip-install.log 2>&1 \
    || { tail -n 20 .rampart/pip-install.log >&2; echo "setup: pip install failed (.rampart/pip-install.log)" >&2; exit 1; }
  echo "$want" > "$stamp"
fi
# the hot detection and point-parsing modules compiled to C (mypyc, core/compiled.py): about 2.5 minutes on a
# 2-core machine, seconds when already built
.venv/bin/python -m infra.compile || { echo "setup: compiling the detection modules failed (see above)" >&2; exit 1; }

libs="${RAMPART_CACHE:-.rampart/cache}/kafka-libs"
if ! ls "$libs"/kafka_2.13-*.jar >/dev/null 2>&1; then
  echo "setup: fetching Kafka jars from Maven Central into $libs" >&2
  mkdir -p "$libs"
  mvn -q -B -f infra/pom.xml dependency:copy-dependencies -DoutputDirectory="$(cd "$libs" && pwd)"
fi
echo "setup: ok" >&2
