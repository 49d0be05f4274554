#!/usr/bin/env bash
# Runs the benchmarks and prints their figures (timings live here, never in the tests):
#   fanout        8 providers × 1,000 records after 50 ms, simulators and broker in their own processes: federated /
#                 direct-call latency (p50, p99 ratios), broker CPU per 1,000 records, searches/s; compression's
#                 bytes and CPU for a 10,000-record answer                                            (issues 2, 11)
#   votable       200,000-row VOTable TABLEDATA/BINARY2: ours vs astropy vs STILTS, 1M-row stream memory (issue 3)
#   soap-vs-rest  the same 1,000-record query through REST JSON/CSV, SOAP and the IDL door: bytes, latency (issue 4)
#   cache         repeated query from the shared cache as a share of the same bytes sent from memory, cached
#                 p99/p50, vs uncached; in memory and Redis                                           (issues 5, 11)
# Usage: bash scripts/bench.sh [fanout|votable|soap-vs-rest|cache ...]   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
bash scripts/install-test-deps.sh stilts >/dev/null
# The fan-out benchmark runs the simulators and the broker as their own processes (their Release builds).
dotnet build bench/Broker.Bench -c Release -nologo -v q
dotnet build src/Broker.Server -c Release -nologo -v q
dotnet build src/Broker.Simulators -c Release -nologo -v q
benches=("$@")
[ ${#benches[@]} -gt 0 ] || benches=(fanout votable soap-vs-rest cache)
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for b in "${benches[@]}"; do
  echo "== $b"
  dotnet bench/Broker.Bench/bin/Release/net10.0/Broker.Bench.dll "$b"
done
