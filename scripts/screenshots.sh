#!/usr/bin/env bash
# Takes the README's screenshots of the web client (docs/screenshots/*.png): the browser-test fixture (the real broker
# over the simulated providers, one of which never answers) searched in Debian's headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
bash scripts/install-test-deps.sh >/dev/null
mkdir -p docs/screenshots
WEB_SCREENSHOTS_DIR="$PWD/docs/screenshots" dotnet test tests/Broker.Web.Tests/Broker.Web.Tests.csproj -c Release -nologo -v q \
  --filter "FullyQualifiedName~ScreenshotTests"
ls -l docs/screenshots
