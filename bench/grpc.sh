#!/usr/bin/env bash
# gRPC unary calls per second: a grpc-java client keeping CONCURRENCY unary echo calls in flight on CHANNELS HTTP/2
# connections (cleartext, prior knowledge), straight to a grpc-java server and through Gatehouse (the fat jar: a route
# with `grpc: true` to a pool with `protocol: h2c`), FIRST_WARMUP seconds of load each first, then alternating for
# ROUNDS rounds, each run WARMUP seconds of warm-up and DURATION measured seconds, with the CPU time per call of
# Gatehouse and of the backend from /proc.
# The client (io.gatehouse.bench.GrpcEchoLoad) and the server (GrpcEchoServer) are Java mains in gateway-core's test
# sources, both on CPU 0; Gatehouse runs alone on CPU 1 with run.sh's JVM flags, access log off.
#   bench/grpc.sh                                            # direct and Gatehouse: 20 s each, 3 rounds x (5 + 10) s
#   CONCURRENCY=16 CHANNELS=1 BYTES=1024 DURATION=5 bench/grpc.sh
#   TARGETS="direct gatehouse nginx" bench/grpc.sh           # plus nginx's grpc_pass (1 worker on CPU 1)
#   TARGETS=direct MVN="mvn -o" bench/grpc.sh                # no jar needed
# Ports: BACKEND_PORT (19391), GATEWAY_PORT (19381), NGINX_PORT (19382). Needs a JDK and Maven (offline is enough
# once built). The table goes to stdout and to OUT_DIR/grpc-<UTC date-time>.md.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=${TARGETS:-"direct gatehouse"}
CHANNELS=${CHANNELS:-4}
CONCURRENCY=${CONCURRENCY:-128}
BYTES=${BYTES:-64}
FIRST_WARMUP=${FIRST_WARMUP:-20}   # seconds of unmeasured load per target before the first round (the JIT)
WARMUP=${WARMUP:-5}                # seconds of unmeasured load at the start of every run
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-3}
BACKEND_PORT=${BACKEND_PORT:-19391}
GATEWAY_PORT=${GATEWAY_PORT:-19381}
NGINX_PORT=${NGINX_PORT:-19382}
LOADGEN_CPU=${LOADGEN_CPU:-0}      # client and grpc-java server
PROXY_CPU=${PROXY_CPU:-1}          # Gatehouse, nginx
NICE=${NICE:-0}                    # e.g. -20 (root only): the bench's processes before other work on the machine
GATEHOUSE_JAR=${GATEHOUSE_JAR:-gateway-server/target/gatehouse.jar}
GATEHOUSE_JVM_FLAGS=${GATEHOUSE_JVM_FLAGS:-"-XX:+UseSerialGC -Xms64m -Xmx64m -XX:MaxDirectMemorySize=64m -Xss512k -XX:ActiveProcessorCount=1 -XX:+AlwaysPreTouch"}
OUT=${OUT_DIR:-bench/out}
MVN=${MVN:-mvn}   # e.g. MVN="mvn -o" offline
die() { echo "grpc.sh: $*" >&2; exit 1; }
# shellcheck source=lib/measure.sh
source bench/lib/measure.sh   # port_open, wait_port, busy_now
want() { [[ " $TARGETS " == *" $1 "* ]]; }
affinity_bits() { local s=1 i; for ((i = 0; i < $1; i++)); do s+=0; done; echo "$s"; }   # CPU n -> "10..0"

for t in $TARGETS; do case $t in direct|gatehouse|nginx) ;; *) die "unknown target '$t' (expected direct, gatehouse, nginx)" ;; esac; done
for v in CHANNELS CONCURRENCY BYTES FIRST_WARMUP WARMUP DURATION ROUNDS; do
    [[ ${!v} =~ ^[0-9]+$ ]] && (( ${!v} > 0 )) || die "$v must be a positive integer (got '${!v}')"
done
[[ $NICE =~ ^-?[0-9]+$ ]] || die "NICE must be an integer (got '$NICE')"
for port in "$BACKEND_PORT" "$GATEWAY_PORT" "$NGINX_PORT"; do ! port_open "$port" || die "port $port is taken"; done
want gatehouse && [[ ! -f $GATEHOUSE_JAR ]] && { $MVN -q -B -Dstyle.color=never -DskipTests -Dcds.skip package || die "maven build failed"; }
want nginx && ! command -v nginx >/dev/null && die "nginx is not installed (apt-get install nginx)"
BUSY=$(busy_now)   # % of a core that other processes use, over 2 s, before anything starts
BUSY_PROCS=$(ps -eo pcpu=,comm= --sort=-pcpu | awk '$1 > 5 {printf "%s%s (%s%%)", sep, $2, $1; sep = ", "}')
$MVN -q -B -Dstyle.color=never -pl gateway-core test-compile
work=$(mktemp -d)
$MVN -q -B -Dstyle.color=never -pl gateway-core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt"
CP="gateway-core/target/test-classes:gateway-core/target/classes:$(cat "$work/cp.txt")"

PIN_LOAD=() PIN_PROXY=()
if command -v taskset >/dev/null && (( $(nproc) >= 2 )); then PIN_LOAD=(taskset -c "$LOADGEN_CPU") PIN_PROXY=(taskset -c "$PROXY_CPU"); fi
if (( NICE != 0 )); then PIN_LOAD=(nice -n "$NICE" "${PIN_LOAD[@]}") PIN_PROXY=(nice -n "$NICE" "${PIN_PROXY[@]}"); fi

STARTED=()
cleanup() {
    local p
    for p in "${STARTED[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

"${PIN_LOAD[@]}" java -Xmx256m -cp "$CP" io.gatehouse.bench.GrpcEchoServer "$BACKEND_PORT" > "$work/server.log" 2>&1 &
server_pid=$!; STARTED+=("$server_pid")
wait_port "$BACKEND_PORT" "$server_pid" "the grpc-java server" "$work/server.log"
targets=("target=direct:$BACKEND_PORT")

if want gatehouse; then
    # Issue 15's shape: gRPC on a route of its own (grpc: true: the gateway's own errors are gRPC statuses) to a
    # pool that speaks cleartext HTTP/2 with prior knowledge to the grpc-java server.
    cat > "$work/gatehouse.yml" <<YAML
server: {host: 127.0.0.1, port: $GATEWAY_PORT, shutdown_grace: 1s}
pools:
  echo: {backends: ["http://127.0.0.1:$BACKEND_PORT"], protocol: h2c}
routes:
  - {id: grpc-echo, match: {path_prefix: /gatehouse.bench.Echo}, pool: echo, grpc: true}
YAML
    # shellcheck disable=SC2086   # GATEHOUSE_JVM_FLAGS is a list of flags
    GATEHOUSE_ACCESS_LOG_LEVEL=OFF "${PIN_PROXY[@]}" java $GATEHOUSE_JVM_FLAGS -jar "$GATEHOUSE_JAR" \
        --config "$work/gatehouse.yml" > "$work/gatehouse.log" 2>&1 &
    gateway_pid=$!; STARTED+=("$gateway_pid")
    wait_port "$GATEWAY_PORT" "$gateway_pid" "Gatehouse" "$work/gatehouse.log"
    targets+=("target=gatehouse:$GATEWAY_PORT:$gateway_pid")
fi
if want nginx; then
    # nginx 1.22: `listen PORT http2` is h2c with prior knowledge only; grpc_pass keeps HTTP/2 connections to the backend.
    mkdir -p "$work/nginx"
    cat > "$work/nginx/nginx.conf" <<NGINX
daemon off;
worker_processes 1;
worker_cpu_affinity $(affinity_bits "$PROXY_CPU");
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    keepalive_requests 1000000;
    # nginx sends one call per upstream connection at a time (it does not multiplex HTTP/2 upstream): keep as many
    # idle connections as calls in flight, or it opens a new connection to the backend for most calls.
    upstream echo { server 127.0.0.1:$BACKEND_PORT; keepalive $CONCURRENCY; keepalive_requests 1000000; }
    server {
        listen 127.0.0.1:$NGINX_PORT http2 backlog=4096;
        location /gatehouse.bench.Echo/ { grpc_pass grpc://echo; }
    }
}
NGINX
    "${PIN_PROXY[@]}" nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" > "$work/nginx/stdout.log" 2>&1 &
    nginx_pid=$!; STARTED+=("$nginx_pid")
    wait_port "$NGINX_PORT" "$nginx_pid" "nginx" "$work/nginx/error.log"
    worker=""
    for _ in $(seq 50); do worker=$(pgrep -P "$nginx_pid" | head -n 1 || true); [[ -n $worker ]] && break; sleep 0.1; done
    [[ -n $worker ]] || die "nginx: no worker process"
    targets+=("target=nginx:$NGINX_PORT:$nginx_pid,$worker")
fi

mkdir -p "$OUT"
result=$OUT/grpc-$(date -u +%Y%m%d-%H%M%S).md
{
    echo "# gRPC unary echo ($(date -u +%FT%TZ))"
    echo
    echo "- Targets: $TARGETS (Gatehouse: $GATEHOUSE_JAR, \`$GATEHOUSE_JVM_FLAGS\`, access log off; pool protocol h2c, route grpc: true)"
    echo "- Client and grpc-java server on CPU $LOADGEN_CPU, proxies on CPU $PROXY_CPU$( (( NICE != 0 )) && echo ", nice $NICE"); $(nproc) CPUs, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
    echo "- Before the start, other processes used $BUSY % of a core${BUSY_PROCS:+ ($BUSY_PROCS)}: above 10 or so, the figures move from run to run"
    echo
} | tee "$result"
set +e
"${PIN_LOAD[@]}" java -Xmx512m -cp "$CP" io.gatehouse.bench.GrpcEchoLoad "${targets[@]}" backend_pid="$server_pid" \
    loadgen_cpu="$LOADGEN_CPU" channels="$CHANNELS" concurrency="$CONCURRENCY" bytes="$BYTES" \
    first_warmup="$FIRST_WARMUP" warmup="$WARMUP" seconds="$DURATION" rounds="$ROUNDS" clk_tck="$CLK_TCK" \
    | tee -a "$result"
rc=${PIPESTATUS[0]}
set -e
if (( rc != 0 )); then
    want gatehouse && { echo "--- Gatehouse log (last 30 lines)"; tail -n 30 "$work/gatehouse.log"; } >&2
    die "some calls failed (exit status $rc): see above"
fi
echo "written $result" >&2
