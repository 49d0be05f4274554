#!/usr/bin/env bash
# The TAP benchmark of issue 12, in ONE run (Release build, loopback only, bounded loops):
#   - sync TAP queries/s through the broker's /tap and through a real GAVO DaCHS (the DaCHS of the end-to-end tests:
#     its own PostgreSQL cluster, root and free port, the same test data) on comparable small queries — a 10-row
#     TAP_SCHEMA query and a 10-row data query with a time window — side by side, as a ratio (goal ≥ 10× DaCHS);
#   - the output cost of BINARY2, TABLEDATA, JSON (and CSV): bytes and CPU time for 100,000 vso.records rows.
# Then the ratios with the load average, as scripts/bench.sh prints them (it runs the same benchmark: bench.sh tap).
# Options go to the benchmark: --requests N (per server and query, default 200), --clients N (default 1), --rows N.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-dachs.sh >/dev/null
if [ $# -eq 0 ]; then exec bash scripts/bench.sh tap; fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build bench/Broker.Bench -c Release -nologo -v q
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
dotnet bench/Broker.Bench/bin/Release/net10.0/Broker.Bench.dll tap "$@"
