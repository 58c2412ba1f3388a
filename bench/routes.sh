#!/usr/bin/env bash
# Many routes: a generated config of N routes, each with its own upstream (route rNNNNN, path_prefix /svc/NNNNN,
# upstream http://127.0.X.Y:PORT, a distinct loopback address per route, all answered by one small backend),
# for N in ROUTE_COUNTS (default "10 10000"). For each N, RUNS times (default 3), then the median:
#   start    java -jar to the first 200 proxied from the last route (/svc/<N-1>)
#   heap     heap used after `jcmd PID GC.run` (young + old generation), and VmRSS, once started
#   reload   every route's upstream moved to a second backend (new URLs, so every pool is new), the file
#            rewritten and SIGHUP sent: time from the signal to the last route answering from the new backend,
#            and the gateway's CPU time meanwhile
#   heap'    heap used and VmRSS again after the reload
# It also prints the gateway's CPU time (user + system, from /proc) at the first 200, which a busy machine
# disturbs less than the wall clock. Usage:
#   bench/routes.sh                                              # the issue's small-memory flags
#   JVM_FLAGS="-XX:+UseSerialGC -Xmx512m" bench/routes.sh         # other flags
#   GATEHOUSE_JAR=/elsewhere/gatehouse.jar ROUTE_COUNTS=10000 RUNS=1 bench/routes.sh
# Ports: GATEWAY_PORT (19181), BACKEND_A_PORT (19191), BACKEND_B_PORT (19192). Needs curl, jcmd, python3.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
ROUTE_COUNTS=${ROUTE_COUNTS:-"10 10000"}
JVM_FLAGS=${JVM_FLAGS:-"-XX:+UseSerialGC -Xms64m -Xmx64m -XX:MaxDirectMemorySize=64m"}
GATEHOUSE_JAR=${GATEHOUSE_JAR:-gateway-server/target/gatehouse.jar}
GATEWAY_PORT=${GATEWAY_PORT:-19181}
BACKEND_A_PORT=${BACKEND_A_PORT:-19191}
BACKEND_B_PORT=${BACKEND_B_PORT:-19192}
TIMEOUT_S=${TIMEOUT_S:-120}
die() { echo "routes.sh: $*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

[[ -f $GATEHOUSE_JAR ]] || die "$GATEHOUSE_JAR is missing: mvn -DskipTests package"
for port in "$GATEWAY_PORT" "$BACKEND_A_PORT" "$BACKEND_B_PORT"; do ! port_open "$port" || die "port $port is taken"; done

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The backend: answers every request 200 with its own name, HTTP/1.1 keep-alive.
cat >"$work/backend.py" <<'EOF'
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
name = sys.argv[2].encode()
class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(name)))
        self.end_headers()
        self.wfile.write(name)
    def log_message(self, *args):
        pass
ThreadingHTTPServer(("0.0.0.0", int(sys.argv[1])), Handler).serve_forever()
EOF
python3 "$work/backend.py" "$BACKEND_A_PORT" A & pids+=($!)
python3 "$work/backend.py" "$BACKEND_B_PORT" B & pids+=($!)
for port in "$BACKEND_A_PORT" "$BACKEND_B_PORT"; do
  for _ in $(seq 100); do port_open "$port" && break; sleep 0.1; done
  port_open "$port" || die "the backend did not listen on $port"
done

# write_config FILE N BACKEND_PORT: N routes, route i to 127.0.(i / 250).(i % 250 + 1):BACKEND_PORT.
write_config() {
  awk -v n="$2" -v port="$3" -v gw="$GATEWAY_PORT" 'BEGIN {
    printf "server: {host: 127.0.0.1, port: %d, shutdown_grace: 1s}\nroutes:\n", gw
    for (i = 0; i < n; i++)
      printf "  - {id: r%05d, match: {path_prefix: /svc/%05d}, upstream: \"http://127.0.%d.%d:%d\"}\n",
             i, i, int(i / 250), i % 250 + 1, port
  }' >"$1.tmp"
  mv "$1.tmp" "$1"
}

# await_body URL BODY PID: polls until URL answers 200 with BODY.
await_body() {
  local deadline=$(( $(now_ms) + TIMEOUT_S * 1000 ))
  until [[ $(curl -s --max-time 5 "$1" 2>/dev/null || true) == "$2" ]]; do
    kill -0 "$3" 2>/dev/null || { tail -20 "$work/gateway.err" >&2; die "the gateway exited"; }
    # The JVM outlives an OutOfMemoryError on its main thread: no point waiting then.
    ! grep -q OutOfMemoryError "$work/gateway.err" || die "the gateway ran out of memory (JVM flags: $JVM_FLAGS)"
    (( $(now_ms) < deadline )) || die "no $2 from $1 within ${TIMEOUT_S}s"
    sleep 0.01
  done
}
cpu_ms() { echo $(( $(sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}') * 1000 / $(getconf CLK_TCK) )); }
rss_mib() { awk '/VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }
# Heap used in MiB after a full GC: the young and old generations of `GC.heap_info` (not metaspace).
heap_mib() {
  jcmd "$1" GC.run >/dev/null
  jcmd "$1" GC.heap_info | awk '/generation/ {
      for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?$/, "", v); kb += v } }
    END { printf "%d", kb / 1024 }'
}
median() { printf '%s\n' "$@" | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }'; }

echo "jar $GATEHOUSE_JAR; JVM flags: $JVM_FLAGS; $(nproc) CPUs; load average $(cut -d' ' -f1 /proc/loadavg)"
for n in $ROUTE_COUNTS; do
  last=$(printf '/svc/%05d' $(( n - 1 )))
  starts=(); cpus=(); rcpus=(); heaps=(); rsss=(); reloads=(); heaps2=(); rsss2=()
  for run in $(seq "$RUNS"); do
    config="$work/routes.yml"
    write_config "$config" "$n" "$BACKEND_A_PORT"
    t0=$(now_ms)
    # shellcheck disable=SC2086
    GATEHOUSE_ACCESS_LOG_LEVEL=OFF java $JVM_FLAGS -jar "$GATEHOUSE_JAR" --config "$config" \
        >/dev/null 2>"$work/gateway.err" &
    pid=$!; pids+=("$pid")
    await_body "http://127.0.0.1:$GATEWAY_PORT$last" A "$pid"
    starts+=($(( $(now_ms) - t0 ))); cpus+=($(cpu_ms "$pid"))
    heaps+=($(heap_mib "$pid")); rsss+=($(rss_mib "$pid"))

    write_config "$config" "$n" "$BACKEND_B_PORT"
    t0=$(now_ms); c0=$(cpu_ms "$pid")
    kill -HUP "$pid"
    await_body "http://127.0.0.1:$GATEWAY_PORT$last" B "$pid"
    reloads+=($(( $(now_ms) - t0 ))); rcpus+=($(( $(cpu_ms "$pid") - c0 )))
    heaps2+=($(heap_mib "$pid")); rsss2+=($(rss_mib "$pid"))
    kill -TERM "$pid"; wait "$pid" || true
    echo "$n routes, run $run: start ${starts[-1]} ms (CPU ${cpus[-1]} ms), heap ${heaps[-1]} MiB, RSS ${rsss[-1]} MiB;" \
         "reload ${reloads[-1]} ms (CPU ${rcpus[-1]} ms), then heap ${heaps2[-1]} MiB, RSS ${rsss2[-1]} MiB"
  done
  echo "$n routes, median of $RUNS: start $(median "${starts[@]}") ms (CPU $(median "${cpus[@]}") ms)," \
       "heap $(median "${heaps[@]}") MiB, RSS $(median "${rsss[@]}") MiB; reload $(median "${reloads[@]}") ms" \
       "(CPU $(median "${rcpus[@]}") ms)," \
       "then heap $(median "${heaps2[@]}") MiB, RSS $(median "${rsss2[@]}") MiB"
done
