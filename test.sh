#!/usr/bin/env bash
# Runs every test of the solution on a fresh machine: installs what the tests need when it is missing (Debian
# packages: redis-server for a real Redis, kcat for black-box Kafka checks, strace for a slow disk, python3-grpcio
# and python3-grpc-tools for a Python gRPC client, docker-compose to check docker-compose.yml without a Docker engine,
# chromium for the inventory page's browser tests — Playwright drives Debian's /usr/bin/chromium and never downloads a
# browser —, nodejs and npm for the DevBroker's kafkajs tests, whose npm packages `npm ci` installs from their
# package-lock.json), builds once, then runs each test project in turn (on two cores, projects that each start brokers,
# Redis servers and silos must not compete), and ends with one line "N passed, M failed" summing every test run. Exit
# status 0 only when everything passed.
set -uo pipefail
cd "$(dirname "$0")"

need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v kcat >/dev/null || need+=(kcat)
# The embedded Garnet's durability test slows its append-only-file writes with strace's fault injection.
command -v strace >/dev/null || need+=(strace)
# The gRPC tests generate a Python client from the proto with Debian's grpcio and grpc-tools.
/usr/bin/python3 -c 'import grpc, grpc_tools.protoc' >/dev/null 2>&1 || need+=(python3-grpcio python3-grpc-tools)
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
# Debian's docker-compose 1.29 runs `config` without an engine; the docker.io it recommends is not wanted.
bare=()
command -v docker-compose >/dev/null || bare+=(docker-compose)
if ((${#need[@]} + ${#bare[@]})); then
  echo "installing:" "${need[@]}" "${bare[@]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  { $sudo apt-get update -qq &&
    { ((${#need[@]} == 0)) || $sudo apt-get install -y -qq "${need[@]}" >/dev/null; } &&
    { ((${#bare[@]} == 0)) || $sudo apt-get install -y -qq --no-install-recommends "${bare[@]}" >/dev/null; }; } || {
    echo "could not install ${need[*]} ${bare[*]} with apt-get; install them and run again"
    echo "0 passed, 1 failed"
    exit 1
  }
fi

# kafkajs 2.2.4 and @kafkajs/confluent-schema-registry: the second, independent client of the DevBroker's transactions and
# registry and of the ingest's Avro (every node test runs on this one install, TestSupport/Node). A failed install is not
# fatal here: the node tests then fail and say why, and every other test still runs.
echo "installing the kafkajs test's npm packages"
(cd tests/DevBroker.Tests/Kafkajs && npm ci --no-audit --no-fund --loglevel=error) ||
  echo "npm ci in tests/DevBroker.Tests/Kafkajs failed; its test will fail"

# Playwright's package can fetch browsers of its own; this machine has no such network, and Debian's is the one used.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "building InventoryOrleans.sln"
if ! dotnet build InventoryOrleans.sln >"$log" 2>&1; then
  grep -E ': (error|warning) ' "$log" | sort -u
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi
grep -E ': warning ' "$log" | sort -u

projects=$(find tests -name '*.Tests.csproj' | sort)
passed=0
failed=0
status=0
for project in $projects; do
  echo "== $project"
  # A test that hangs is stopped after 8 minutes (far longer than any test runs) and fails its project, instead of
  # holding the whole run until CI's own limit.
  dotnet test "$project" --no-build --blame-hang-timeout 8m --blame-hang-dump-type none 2>&1 | tee "$log"
  result=${PIPESTATUS[0]}
  p=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
  f=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
  if [ "$result" -ne 0 ] && [ "$f" -eq 0 ]; then
    # A crashed or aborted test host counts as a failure even when no test reported one.
    f=1
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  if [ "$result" -ne 0 ]; then status=1; fi
done

echo "$passed passed, $failed failed"
exit $status
