#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine: real Redis and PostgreSQL servers, and the real
# external clients used by the compatibility tests (SunPy, zeep, astropy; prometheus-client parses /metrics). Extra packages can be
# asked for as arguments (scripts/bench.sh adds stilts).
set -euo pipefail
need=()
command -v redis-server >/dev/null || need+=(redis-server)
# Sentinel failover tests run Debian's redis-sentinel (the Cluster tests use redis-server and redis-cli).
command -v redis-sentinel >/dev/null || need+=(redis-sentinel)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
# The vsobroker Fido client (clients/python) downloads with parfive. sunpy.net imports its jsoc (drms) and scraper/helio (bs4) clients, which Debian only recommends.
# The web client's browser tests: Debian's Chromium (driven by Playwright's .NET package), curl for the download script.
for pkg in python3-sunpy python3-parfive python3-zeep python3-astropy python3-drms python3-bs4 python3-prometheus-client chromium python3-brotli curl stilts "$@"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The apt package may start its own Redis on 6379; the tests start their own servers on free ports.
systemctl stop redis-server >/dev/null 2>&1 || service redis-server stop >/dev/null 2>&1 || true
systemctl stop redis-sentinel >/dev/null 2>&1 || service redis-sentinel stop >/dev/null 2>&1 || true
bash "$(dirname "$0")/install-dachs.sh"
id postgres >/dev/null 2>&1 || { echo "the postgres user is missing after install" >&2; exit 1; }
echo "Test dependencies ready: $(redis-server --version | cut -d' ' -f3), PostgreSQL $(/usr/lib/postgresql/15/bin/postgres --version | awk '{print $3}')"
# axe-core for the web client's accessibility check, pinned in tests/Broker.Web.Tests/axe/package.json.
axe_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/Broker.Web.Tests/axe"
[ -f "$axe_dir/node_modules/axe-core/axe.min.js" ] || (cd "$axe_dir" && npm install --no-audit --no-fund --silent)
