#!/usr/bin/env bash
# Runs every test of the broker on this machine: installs and checks the real dependencies, builds once, runs all
# test projects (unit, loopback-HTTP, real Redis/PostgreSQL, real SunPy and zeep clients), and
# ends with one line: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/.testrun"
rm -rf "$out" && mkdir -p "$out/results"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

bash scripts/install-test-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

echo "== build"
if ! dotnet build Broker.sln -c Release -nologo -v q > "$out/build.log" 2>&1; then
  grep -E "error|Error" "$out/build.log" | sort -u | head -40
  echo "0 passed, 1 failed"
  exit 1
fi

# Names and first message lines of the failed tests of one .trx file, so a CI log says what failed.
print_failures() {
  [ -f "$1" ] || return 0
  /usr/bin/python3 - "$1" <<'PY' || true
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for r in ET.parse(sys.argv[1]).getroot().iterfind(".//t:UnitTestResult", ns):
    if r.get("outcome") not in ("Failed", "Error", "Timeout"):
        continue
    message = (r.findtext(".//t:Message", "", ns) or "").strip().splitlines()
    print(f"   FAILED {r.get('testName')}: {' | '.join(message[:4])[:600]}")
PY
}

echo "== test"
projects=$(ls tests/*/*.Tests.csproj)
status=0
for p in $projects; do
  name=$(basename "$p" .csproj)
  echo "-- $name"
  dotnet test "$p" -c Release --no-build --nologo -v q \
    --logger "trx;LogFileName=$name.trx" --results-directory "$out/results" \
    -- RunConfiguration.TestSessionTimeout=900000 > "$out/$name.log" 2>&1 || status=1
  grep -E "^(Passed!|Failed!|  Failed |\s+Failed )|error" "$out/$name.log" | head -30
  print_failures "$out/results/$name.trx"
done

passed=0; failed=0; skipped=0
for trx in "$out"/results/*.trx; do
  [ -f "$trx" ] || continue
  line=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  get() { echo "$line" | sed -nE "s/.* $1=\"([0-9]+)\".*/\1/p"; }
  p=$(get passed); f=$(get failed); e=$(get error); t=$(get timeout)
  # vstest counts a skipped test as neither executed nor notExecuted: skipped = total - executed
  all=$(get total); x=$(get executed); n=$(( ${all:-0} - ${x:-0} ))
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0})); skipped=$((skipped + ${n:-0}))
done
trx_count=$(ls "$out"/results/*.trx 2>/dev/null | wc -l)
proj_count=$(echo "$projects" | wc -w)
if [ "$trx_count" -lt "$proj_count" ]; then
  echo "only $trx_count of $proj_count test projects produced results (a test host crashed?)"
  failed=$((failed + proj_count - trx_count))
fi
[ "$failed" -gt 0 ] && status=1
if [ "$failed" -gt 0 ]; then
  echo "== failed tests"
  for trx in "$out"/results/*.trx; do print_failures "$trx"; done
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
