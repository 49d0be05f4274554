#!/usr/bin/env bash
# HEAD vs GET on the ~60,000-row SOAR-like table of the DaCHS tests (issue 9 item 3): runs DachsHeadTests (real GAVO
# DaCHS on loopback, see scripts/install-dachs.sh) and prints each run's times as the broker measured them (its
# Server-Timing header: the search or count, before rendering) and the GET/HEAD ratio of that run, with the load. Usage: bash scripts/bench-head-vs-get.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
bash scripts/install-test-deps.sh >/dev/null
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet test tests/Broker.EndToEnd.Tests -c Release -nologo --filter "FullyQualifiedName~DachsHeadTests" \
  --logger "console;verbosity=detailed" 2>&1 | grep -oE "head-vs-get .*" \
  | sed -E 's/head\[search;dur=([0-9]+)\] get\[search;dur=([0-9]+)\]/headMs=\1 getMs=\2/' \
  | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } printf "%s ratio=%.1f\n", $0, v["getMs"] / (v["headMs"] > 0 ? v["headMs"] : 1) }' \
  | grep . || { echo "the benchmark test failed"; exit 1; }
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
