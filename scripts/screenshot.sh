#!/usr/bin/env bash
# Takes docs/inventory-page.png: the inventory page of the embedded silo under load, in Debian's headless Chromium.
#
# Starts `dotnet run --project Silo` (embedded DevBroker and Garnet, data in a temporary folder, every port free and
# on loopback), feeds it with the bench feeder (realistic sales, receipts, reservations, transfers, late snapshots and
# duplicates) while a few malformed messages go to an input topic with kcat, waits until the charts have a trend,
# then screenshots /?product=sku-1 (the page watches the product named in its address) with scripts/PageShot (Playwright
# driving /usr/bin/chromium, once the page shows the product and the cluster) and stops everything it started.
#
#   scripts/screenshot.sh [output.png]      settings: RATE (events/s, 1500), PRODUCTS (2000), WARMUP (seconds, 90)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/inventory-page.png}
rate=${RATE:-1500}
products=${PRODUCTS:-2000}
warmup=${WARMUP:-90}
for tool in chromium kcat curl python3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install ${tool/python3/python3-minimal}" >&2; exit 1; }
done

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
http=$(free_port) grpc=$(free_port) broker=$(free_port) garnet=$(free_port) silo_port=$(free_port) gateway=$(free_port) registry=$(free_port)
base="http://127.0.0.1:$http"
silo="" feeder=""

cleanup() {
  # Only what this script started: each runs in a session of its own (setsid), so its process group is its pid.
  for pid in $feeder $silo; do
    kill -TERM -- "-$pid" 2>/dev/null || true
  done
  for pid in $feeder $silo; do
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
  done
  rm -rf "$work"
}
trap cleanup EXIT

echo "building the silo and the feeder (Release)"
dotnet build -c Release Silo/Silo.csproj -v q -nologo >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
dotnet build -c Release bench/bench.csproj -v q -nologo >>"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
dotnet build -c Release scripts/PageShot/PageShot.csproj -v q -nologo >>"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }

echo "starting the embedded silo on $base (data in $work)"
env ASPNETCORE_ENVIRONMENT=Production \
  DevBroker__Port="$broker" DevBroker__DataDir="$work/kafka" DevBroker__SchemaRegistryPort="$registry" \
  Garnet__Port="$garnet" Garnet__DataDir="$work/redis" \
  Orleans__SiloPort="$silo_port" Orleans__GatewayPort="$gateway" \
  Api__GrpcUrl="http://127.0.0.1:$grpc" \
  setsid dotnet run --no-build -c Release --project Silo -- --urls "$base" >"$work/silo.log" 2>&1 &
silo=$!
for _ in $(seq 1 180); do
  curl -fsS "$base/readyz" >/dev/null 2>&1 && break
  kill -0 "$silo" 2>/dev/null || { cat "$work/silo.log"; exit 1; }
  sleep 0.5
done
curl -fsS "$base/readyz" >/dev/null || { echo "the silo did not get ready"; tail -50 "$work/silo.log"; exit 1; }

echo "feeding $rate events/s for $products products"
setsid dotnet run --no-build -c Release --project bench -- feed --bootstrap "127.0.0.1:$broker" \
  --products "$products" --rate "$rate" --duration $((warmup + 60)) >"$work/feed.log" 2>&1 &
feeder=$!

# A few messages the ingest must dead-letter, as a misbehaving producer would send them.
sleep 5
printf 'sku-1:{"type":"Sale","productId":"sku-1"}\nsku-2:not json at all\nsku-3:{"eventId":"x","type":"Teleport","productId":"sku-3","quantity":1,"occurredAt":"2026-12-01T00:00:00Z"}\n' |
  kcat -P -b "127.0.0.1:$broker" -t inventory.sales -K: -X partitioner=murmur2_random
sleep "$((warmup - 5))"

echo "screenshot of $base/?product=sku-1 -> $out"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
dotnet run --no-build -c Release --project scripts/PageShot -- "$base/?product=sku-1" "$out" --width 1400 --settle 3 \
  --wait-for "document.getElementById('stock-version').textContent !== '–' && document.querySelector('#silos tbody th') !== null"
