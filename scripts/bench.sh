#!/usr/bin/env bash
# Runs the benchmarks and prints their figures (timings live here, never in the tests), then ONE table of the ratios
# measured in this run with the machine's load average (absolute times do not carry between machines; ratios do).
#   fanout        8 providers × 1,000 records after 50 ms, simulators (pre-rendered answers) and broker in their own
#                 processes: (a) federated / direct-call latency (p50, p99), (b) broker CPU per 1,000 records,
#                 (c) searches/s; compression bytes and CPU for a 10,000-record answer, and the level choice (issue 11)
#   cache         cached searches/s as a share of the same server sending the same bytes from memory, cached
#                 p99/p50, vs uncached; in memory and Redis                                           (issues 5, 11)
#   votable       200,000-row VOTable TABLEDATA/BINARY2: ours vs astropy vs STILTS, 1M-row stream memory (issue 3)
#   soap-vs-rest  the same 1,000-record query through REST JSON/CSV, SOAP and the IDL door: bytes, latency (issue 4)
#   tap           sync TAP queries/s broker vs a real DaCHS, output cost per format (issue 12; scripts/bench-tap.sh)
# Usage: bash scripts/bench.sh [fanout|cache|votable|soap-vs-rest|tap ...]   (default: fanout cache, about 5 minutes)
# Run it on a quiet machine (load average below the core count): the table shows the load at start and end.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(fanout cache)
if [[ " ${benches[*]} " == *" votable "* ]]; then bash scripts/install-test-deps.sh stilts >/dev/null; fi
# Release builds: the fan-out benchmark runs the simulators and the broker as their own processes.
dotnet build bench/Broker.Bench -c Release -nologo -v q
dotnet build src/Broker.Server -c Release -nologo -v q
dotnet build src/Broker.Simulators -c Release -nologo -v q
out=$(mktemp)
trap 'rm -f "$out"' EXIT
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
for b in "${benches[@]}"; do
  echo "== $b"
  dotnet bench/Broker.Bench/bin/Release/net10.0/Broker.Bench.dll "$b" | tee -a "$out" | grep -v '^RATIO' || true
done
load_end=$(cut -d' ' -f1-3 /proc/loadavg)
echo
echo "== ratios ($(nproc) cores; load average $load_start at start, $load_end at end)"
awk -F'\t' '$1 == "RATIO" { printf "  %-58s %10s   %s\n", $2, $3, ($4 == "" ? "" : "goal " $4) }' "$out"
