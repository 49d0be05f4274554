#!/usr/bin/env bash
# HEAD vs GET on the ~60,000-row SOAR-like table of the DaCHS tests (issue 9 item 3): runs DachsHeadTests (real GAVO
# DaCHS on loopback, see scripts/install-dachs.sh) and prints each run's times and the GET/HEAD ratio measured in
# that run, with the machine's load. Usage: bash scripts/bench-head-vs-get.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
bash scripts/install-test-deps.sh >/dev/null
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet test tests/Broker.EndToEnd.Tests -c Release -nologo --filter "FullyQualifiedName~DachsHeadTests" \
  --logger "console;verbosity=detailed" 2>&1 | grep -oE "head-vs-get .*" || { echo "the benchmark test failed"; exit 1; }
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
