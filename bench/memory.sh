#!/usr/bin/env bash
# Resident memory of the fat jar (issue 13): RSS after 1,000 keep-alive connections, then how much a flood of
# distinct client addresses adds against a per-IP rate limit. Prints VmRSS at each step.
#   bench/memory.sh                                   # gateway-server/target/gatehouse.jar, the recommended settings
#   JAR=/tmp/old.jar bench/memory.sh                  # another build
#   JVM_FLAGS="-Xmx512m" FLOOD_IPS=200000 NMT=1 bench/memory.sh
# Steps: nginx as the backend (a fixed small JSON), the gateway with bench/memory.yml (per-IP limit of 1,000,000
# per minute, so a key lives a minute and a flood fills the policy to its key bound; X-Forwarded-For trusted from
# 127.0.0.1), a 10 s warm-up (wrk -c64), 10 s with 1,000 connections (wrk -c1000), then FLOOD_IPS requests
# (default 1,000,000; 0 skips it; after 15 s idle, for the JIT to settle), each from a new address (bench/flood.lua). NMT=1 adds -XX:NativeMemoryTracking=summary
# and prints `jcmd VM.native_memory summary` after each step; HISTO=1 prints the top of the class histogram.
# Needs wrk, nginx and curl; files go to bench/out/memory-<UTC date-time>-<port>/. Ports: BACKEND_PORT (18390), GATEWAY_PORT (18391).
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=${JAR:-gateway-server/target/gatehouse.jar}
# The recommended settings (docs/performance.md, "Recommended JVM flags"); MALLOC_ARENA_MAX= (empty) unsets it.
JVM_FLAGS=${JVM_FLAGS:-"-XX:+UseSerialGC -Xms64m -Xmx64m -XX:MaxDirectMemorySize=64m -Xss512k -XX:TrimNativeHeapInterval=5000"}
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-2}
[[ -n $MALLOC_ARENA_MAX ]] || unset MALLOC_ARENA_MAX
FLOOD_IPS=${FLOOD_IPS:-1000000}
export BACKEND_PORT=${BACKEND_PORT:-18390} GATEWAY_PORT=${GATEWAY_PORT:-18391} FLOOD_IPS
die() { echo "memory.sh: $*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for tool in wrk nginx java curl; do command -v "$tool" >/dev/null || die "$tool is missing (apt-get install wrk nginx curl)"; done
[[ -f $JAR ]] || die "$JAR is missing: mvn -B -pl gateway-server -am package -DskipTests"
for port in "$BACKEND_PORT" "$GATEWAY_PORT"; do ! port_open "$port" || die "port $port is already in use"; done

out=bench/out/memory-$(date -u +%Y%m%dT%H%M%SZ)-$GATEWAY_PORT
mkdir -p "$out/nginx"
pids=()
trap 'for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
wait_port() {   # wait_port PORT PID LOG
  for _ in $(seq 300); do
    port_open "$1" && return 0
    kill -0 "$2" 2>/dev/null || { tail -n 20 "$3" >&2; die "exited before listening on :$1 (log: $3)"; }
    sleep 0.1
  done
  die "nothing listens on :$1 after 30 s (log: $3)"
}

cat > "$out/nginx/nginx.conf" <<CONF
$( ((EUID == 0)) && echo "user root;" )
daemon off;
worker_processes 1;
pid $PWD/$out/nginx/nginx.pid;
error_log $PWD/$out/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $PWD/$out/nginx/body;
    proxy_temp_path $PWD/$out/nginx/proxy;
    fastcgi_temp_path $PWD/$out/nginx/fastcgi;
    uwsgi_temp_path $PWD/$out/nginx/uwsgi;
    scgi_temp_path $PWD/$out/nginx/scgi;
    keepalive_requests 1000000;
    server {
        listen 127.0.0.1:$BACKEND_PORT backlog=4096;
        location / { default_type application/json; return 200 '{"id":42,"message":"a small fixed JSON body","ok":true}'; }
    }
}
CONF
nginx -p "$PWD/$out/nginx" -c "$PWD/$out/nginx/nginx.conf" > "$out/nginx/stdout.log" 2>&1 &
pids+=($!)
wait_port "$BACKEND_PORT" "${pids[-1]}" "$out/nginx/error.log"

flags=($JVM_FLAGS)
((${NMT:-0})) && flags+=(-XX:NativeMemoryTracking=summary)
GATEWAY_CONFIG=bench/memory.yml GATEHOUSE_ACCESS_LOG_LEVEL=OFF java "${flags[@]}" -jar "$JAR" \
  > "$out/gateway.log" 2>&1 &
gw=$!
pids+=("$gw")
wait_port "$GATEWAY_PORT" "$gw" "$out/gateway.log"

rss_mib() { awk '/^VmRSS:/ {printf "%.1f", $2 / 1024}' "/proc/$gw/status"; }
report() {   # report STEP
  local rss; rss=$(rss_mib)
  printf '%-34s RSS %6s MiB\n' "$1" "$rss"
  if ((${NMT:-0})); then jcmd "$gw" VM.native_memory summary > "$out/nmt-${1%% *}.txt"; grep -E "^-|committed=" "$out/nmt-${1%% *}.txt" | grep -E "^-" | sed 's/^/    /'; fi
  if ((${HISTO:-0})); then jcmd "$gw" GC.class_histogram | head -n 15 | sed 's/^/    /'; fi
  echo "$rss"> "$out/rss-${1%% *}"
}
url=http://127.0.0.1:$GATEWAY_PORT/small
echo "jar: $JAR; flags: ${flags[*]}; MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-unset}; output: $out"
report "started"
wrk -t1 -c64 -d10s "$url" > "$out/wrk-warmup.txt"
report "warm-up (c64, 10 s)"
wrk -t1 -c1000 -d10s "$url" > "$out/wrk-c1000.txt"
report "c1000 (10 s)"
sleep 15   # the JIT compilers may still be at work, holding scratch memory that a trim returns once they are done
report "15 s idle after c1000"
((FLOOD_IPS > 0)) || exit 0
# wrk runs for its whole -d even once flood.lua has stopped its thread, so the flood ends when the gateway has
# counted FLOOD_IPS more rate-limit decisions, and then wrk is interrupted (it prints its summary).
decisions() {
  curl -s "http://127.0.0.1:$GATEWAY_PORT/metrics" | awk '/^gatehouse_rate_limit_decisions_total/ {n += $2} END {printf "%d", n}'
}
before=$(rss_mib) until=$(( $(decisions) + FLOOD_IPS ))
wrk -t1 -c64 -d3600s -s bench/flood.lua "$url" > "$out/wrk-flood.txt" &
flood=$!
while kill -0 "$flood" 2>/dev/null && (( $(decisions) < until )); do sleep 1; done
kill -INT "$flood" 2>/dev/null || true
wait "$flood" || true
grep -E "requests in|Non-2xx|Socket errors" "$out/wrk-flood.txt" | sed 's/^ */    /'
report "flood ($FLOOD_IPS client IPs)"
echo "flood growth: $(awk -v a="$before" -v b="$(rss_mib)" 'BEGIN {printf "%.1f", b - a}') MiB" \
  "(targets: under 128 MiB after c1000, under 64 MiB of flood growth)"
