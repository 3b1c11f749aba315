#!/bin/bash
# CPU and wall time of `parley` commands with and without the home's daemon (docs/BENCHMARKS.md,
# "Daemon: a command served by the daemon"). Usage: bench/daemon/commands.sh BIN_DIR [PARLEY]
# PARLEY is the client to time (default: dotnet BIN_DIR/parley.dll), e.g. a published single file.
# BIN_DIR holds parley.dll and parley-server.dll (e.g. tests/Parley.EndToEnd.Tests/bin/Debug/net10.0
# after `dotnet build tests/Parley.EndToEnd.Tests`). Everything runs on 127.0.0.1 in a temporary directory.
set -euo pipefail
B=$(realpath "${1:?usage: $0 BIN_DIR [PARLEY]}")
P=${2:-"dotnet $B/parley.dll"}
W=$(mktemp -d)
chmod 700 "$W"
cd "$W"
export XDG_RUNTIME_DIR="$W/run"
mkdir -m 700 data home run
PORT=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
dotnet "$B/parley-server.dll" --data data --urls "https://127.0.0.1:$PORT" > server.log 2>&1 &
SP=$!
trap 'kill $SP 2>/dev/null || true; rm -rf "$W"' EXIT
for _ in $(seq 1 120); do grep -q "listening" server.log && break; sleep 1; done
FP=$(grep -o "SHA256:[0-9A-Fa-f:]*" server.log | head -1)
for u in carol bob alice; do
  echo "ribbon-saxophone-$u-tundra-74" | $P --home home register $u --server "https://127.0.0.1:$PORT" --password-stdin --trust-server "$FP" > /dev/null
done
$P --home home daemon > daemon.log 2>&1 &
DP=$!
for _ in $(seq 1 120); do grep -q "Web app:" daemon.log && break; sleep 1; done
for cmd in "status" "whoami" "contacts list"; do
  for _ in 1 2 3 4 5 6; do
    /usr/bin/time -f "daemon   $cmd: %e s wall, %U s user, %S s sys" $P --home home $cmd > /dev/null
  done
done
sleep 5
echo "daemon with 3 profiles: $(grep -E 'VmRSS|RssAnon|RssFile|RssShmem' /proc/$DP/status | tr -s ' \n' ' ')"
kill $DP
wait $DP || true
for _ in 1 2 3; do
  /usr/bin/time -f "alone    status: %e s wall, %U s user, %S s sys" $P --home home status > /dev/null
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
