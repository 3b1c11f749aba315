#!/usr/bin/env bash
# Cluster benchmark (docs/BENCHMARKS.md, "Cluster"): a private PostgreSQL 15 and Redis, NODES
# parley-server processes sharing them, nginx in front, and bench/Parley.LoadGen through nginx.
# nginx balances sockets least-connections, so the partners of each pair (connections 2k and 2k+1)
# land on different nodes: with NODES=2 nearly every message takes the cross-node path (doorbell on
# Redis, drain from PostgreSQL); NODES=1 is the single-node baseline through the same nginx.
# Everything runs on 127.0.0.1 in a temporary directory and is stopped at exit.
#
#   bench/cluster/run.sh                      # NODES=2 RATE=10000 DURATION=8 CONNECTIONS=200
#   NODES=1 bench/cluster/run.sh
#   SERVER=/path/to/parley-server.dll bench/cluster/run.sh   # another build of the server (before/after)
set -euo pipefail
cd "$(dirname "$0")/../.."
NODES=${NODES:-2} RATE=${RATE:-10000} DURATION=${DURATION:-8} CONNECTIONS=${CONNECTIONS:-200}
SERVER=${SERVER:-src/Parley.Server/bin/Release/net10.0/parley-server.dll}
PG=/usr/lib/postgresql/15/bin
root=$(mktemp -d /tmp/parley-cbench-XXXXXX); chmod 0755 "$root"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  [ -f "$root/nginx.pid" ] && kill "$(cat "$root/nginx.pid")" 2>/dev/null || true
  runuser -u postgres -- "$PG/pg_ctl" -D "$root/pg" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$root"
}
trap cleanup EXIT

dotnet build -c Release src/Parley.Server >/dev/null
dotnet build -c Release bench/Parley.LoadGen >/dev/null

# PostgreSQL (durable commits: fsync on, synchronous_commit on — the defaults).
pgport=$(free_port); mkdir "$root/pg"; chown postgres:postgres "$root/pg" "$root"
runuser -u postgres -- "$PG/initdb" -D "$root/pg" -U postgres --auth=trust -E UTF8 >/dev/null
runuser -u postgres -- "$PG/pg_ctl" -D "$root/pg" -l "$root/pg.log" -w \
  -o "-p $pgport -k $root -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
conn="Host=127.0.0.1;Port=$pgport;Username=postgres;Database=postgres;Maximum Pool Size=60"

redisport=$(free_port)
redis-server --port "$redisport" --bind 127.0.0.1 --save '' --appendonly no >"$root/redis.log" 2>&1 & pids+=($!); redispid=$!

secret="$root/secret.key"; head -c 32 /dev/urandom >"$secret"; chmod 600 "$secret"
nodeports=(); nodepids=(); metricports=()
for i in $(seq 1 "$NODES"); do
  port=$(free_port); mport=$(free_port); metricports+=("$mport"); data="$root/node$i"; mkdir -m 700 "$data"; cp "$secret" "$data/server-secret.key"
  dotnet "$SERVER" --http --data "$data" --urls "http://127.0.0.1:$port" \
    --Metrics:Urls "http://127.0.0.1:$mport" --Storage:Provider postgres --Storage:ConnectionString "$conn" --Cluster:Redis "127.0.0.1:$redisport" \
    --Relay:SendRatePerSecond 1000000 --Relay:SendBurst 1000000 --Relay:QueueCapPerRecipient 1000000 \
    --Accounts:MinArgon2MemoryKiB 8 --Accounts:MinArgon2Iterations 1 --Accounts:PowDifficulty 1 \
    --Accounts:AuthRequestsPerAddressPerMinute 1000000 --Accounts:RegistrationsPerMinuteThreshold 1000000 \
    --Accounts:PowDifficultyIncreaseUnderLoad 0 --Accounts:LoginFailuresBeforePow 1000000 \
    --Accounts:LoginFailuresBeforeLockout 1000000 --Accounts:LoginAddressFailuresBeforeLockout 1000000 --Accounts:MaxOpenLoginsPerAddress 64 \
    --Logging:LogLevel:Default Warning >"$root/node$i.log" 2>&1 & pids+=($!); nodepids+=($!); nodeports+=("$port")
  for _ in $(seq 1 120); do grep -qs "listening on" "$root/node$i.log" && break; sleep 0.5; done
  grep -q "listening on" "$root/node$i.log" || { cat "$root/node$i.log"; exit 1; }
done

nginxport=$(free_port)
upstream=""; for p in "${nodeports[@]}"; do upstream+="server 127.0.0.1:$p;"; done
cat >"$root/nginx.conf" <<CONF
pid $root/nginx.pid; error_log $root/nginx.err notice; worker_processes 1;
events { worker_connections 8192; }
http { access_log off; client_body_temp_path $root/b; proxy_temp_path $root/p; fastcgi_temp_path $root/f; uwsgi_temp_path $root/u; scgi_temp_path $root/s;
  map \$http_upgrade \$connection_upgrade { default upgrade; '' close; }
  upstream parley { least_conn; $upstream }
  server { listen 127.0.0.1:$nginxport; proxy_http_version 1.1;
    location = /v1/ws { proxy_pass http://parley; proxy_set_header Upgrade \$http_upgrade; proxy_set_header Connection \$connection_upgrade; proxy_read_timeout 1h; proxy_buffering off; }
    location / { proxy_pass http://parley; proxy_set_header Connection ""; } } }
CONF
/usr/sbin/nginx -p "$root" -c "$root/nginx.conf"
nginxpid=$(cat "$root/nginx.pid"); nginxworkers=$(pgrep -P "$nginxpid" | paste -sd, -)

lg() { dotnet bench/Parley.LoadGen/bin/Release/net10.0/Parley.LoadGen.dll --url "http://127.0.0.1:$nginxport" \
  --accounts-file "$root/accounts.txt" --connections "$CONNECTIONS" --argon2-memory 8 "$@"; }
# Accounts first (SRP registration and login through nginx), outside the measurement.
lg --provision-only true >&2
ticks() { local t=0; for p in "$@"; do t=$((t + $(awk '{print $14+$15}' /proc/$p/stat))); done; echo $t; }
echo "nodes=$NODES rate=$RATE duration=$DURATION connections=$CONNECTIONS load: $(uptime)" >&2
postmaster=$(head -n 1 "$root/pg/postmaster.pid")
pgticks() { ticks "$postmaster" $(pgrep -P "$postmaster"); }   # the postmaster and its backends (pooled: they live through the run)
# Database work over the traffic: statements (transactions) and the queue table's index scans (catch-up reads) and rows.
pgstats() { psql -h 127.0.0.1 -p "$pgport" -U postgres -d postgres -Atc "SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = 'postgres'), coalesce(sum(idx_scan), 0), coalesce(sum(n_tup_ins), 0), coalesce(sum(n_tup_del), 0) FROM pg_stat_user_tables WHERE relname = 'relay_queue'"; }
pgstatsbefore=$(pgstats)
nginxbefore=$(ticks ${nginxworkers//,/ }); pgbefore=$(pgticks); redisbefore=$(ticks "$redispid")
# The server CPU per message is marginal over all nodes (--server-pid takes them all): pairs of a short and
# a long phase at the same rate; latency percentiles cover every measured phase.
lg --active "$CONNECTIONS" --rate "$RATE" --warmup 3 --short 3 --duration "$DURATION" --pairs 3 \
  --server-pid "$(IFS=,; echo "${nodepids[*]}")"
echo "CPU over the traffic (warm-up and all phases): nginx $(( ($(ticks ${nginxworkers//,/ }) - nginxbefore) * 10 )) ms," \
  "PostgreSQL $(( ($(pgticks) - pgbefore) * 10 )) ms, Redis $(( ($(ticks "$redispid") - redisbefore) * 10 )) ms" >&2
sleep 2   # PostgreSQL publishes its statistics within a second
echo "PostgreSQL over the traffic (commits|relay_queue index scans|rows inserted|rows deleted): before $pgstatsbefore, after $(pgstats)" >&2
for i in $(seq 1 "$NODES"); do echo "node$i log tail:" >&2; tail -n 3 "$root/node$i.log" >&2; done
# Catch-up reads (statements), the account queues they covered and doorbells needing no read, per node (whole run).
for i in $(seq 1 "$NODES"); do echo "node$i: $(curl -s "http://127.0.0.1:${metricports[$((i-1))]}/metrics" | grep -E '^parley_cluster_(catchup|doorbells)' | paste -sd' ')" >&2; done
echo "load after: $(uptime)" >&2
