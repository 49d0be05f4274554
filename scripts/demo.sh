#!/usr/bin/env bash
# The demo: provider simulators on 127.0.0.1:8090 and the broker on http://127.0.0.1:8080 over them, with in-memory
# stores (no Redis, no PostgreSQL). Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# The restricted demo archive's service password (deploy/providers.demo.yaml reads it as env:DEMO_ARCHIVE_PASSWORD).
export DEMO_ARCHIVE_PASSWORD="${DEMO_ARCHIVE_PASSWORD:-demo-password}"
echo "Building…"
dotnet build Broker.sln -c Release -nologo -v q
dotnet src/Broker.Simulators/bin/Release/net10.0/Broker.Simulators.dll --config deploy/simulators.demo.yaml &
sims=$!
trap 'kill $sims 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 100); do
  curl -fs http://127.0.0.1:8090/soar/tap/availability >/dev/null 2>&1 && break
  sleep 0.2
done
echo
echo "Broker on http://127.0.0.1:8080 — the web search page: http://127.0.0.1:8080/?start=2022-03-21T08:00:00Z&end=2022-03-21T14:00:00Z"
echo "Or try:"
echo "  curl -s 'http://127.0.0.1:8080/api/v1/search?start=2022-03-21T08:00:00Z&end=2022-03-21T12:00:00Z&limit=12'"
echo "  curl -sI 'http://127.0.0.1:8080/api/v1/search?start=2022-03-21&end=2022-03-22'"
echo "  curl -s  http://127.0.0.1:8080/api/v1/providers"
echo "  WSDL for SunPy: http://127.0.0.1:8080/soap/VSOi_rpc_literal.wsdl (port nsoVSOi)"
echo
dotnet src/Broker.Server/bin/Release/net10.0/Broker.Server.dll --providers deploy/providers.demo.yaml "$@"
