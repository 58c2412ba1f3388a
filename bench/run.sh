#!/usr/bin/env bash
# Gatehouse benchmark harness: Gatehouse vs nginx vs HAProxy vs the backend directly, on this machine.
# See bench/README.md. Usage: bench/run.sh            (3 rounds x 10 s per run)
#                             QUICK=1 bench/run.sh    (1 round x 3 s, smoke test)
#                             BASELINE_JAR=old.jar bench/run.sh compare   (GATEHOUSE_JAR vs BASELINE_JAR, < 5 min)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(dirname "$BENCH_DIR")
export PATH="$PATH:/usr/sbin:/sbin"

# ---------------------------------------------------------------- settings (all overridable by env)
MODE=${MODE:-run}
case ${1:-} in
    "") ;;
    compare) MODE=compare ;;
    *) printf '[bench] ERROR: unknown argument %s (usage: bench/run.sh [compare])\n' "$1" >&2; exit 2 ;;
esac
[[ $MODE == run || $MODE == compare ]] || { printf '[bench] ERROR: MODE must be run or compare (got %s)\n' "$MODE" >&2; exit 2; }
QUICK=${QUICK:-0}
if [[ $MODE == compare ]]; then   # the gate: new jar vs BASELINE_JAR, routing and full config, small GET
    TARGETS=${TARGETS:-"gh-baseline gh-routing gh-full-baseline gh-full"}; CASES=${CASES:-small}; LATENCY=${LATENCY:-0}
    ROUNDS=${ROUNDS:-5}; DURATION=${DURATION:-5}; WARMUP=${WARMUP:-20}; OTHER_WARMUP=${OTHER_WARMUP:-3}; PAUSE=${PAUSE:-0.5}
elif [[ $QUICK == 1 ]]; then
    ROUNDS=${ROUNDS:-1}; DURATION=${DURATION:-3}; WARMUP=${WARMUP:-10}; OTHER_WARMUP=${OTHER_WARMUP:-1}
else
    ROUNDS=${ROUNDS:-3}; DURATION=${DURATION:-10}; WARMUP=${WARMUP:-10}; OTHER_WARMUP=${OTHER_WARMUP:-3}
fi
CONNS=${CONNS:-64}                 # connections for every case except c1000
MANY_CONNS=${MANY_CONNS:-1000}     # connections for the c1000 case
PROXY_ACCESS_LOG=${PROXY_ACCESS_LOG:-1}   # 1: nginx (buffer=64k) and HAProxy write an access log line per request to a file
TARGETS=${TARGETS:-"direct nginx nginx-full haproxy gh-routing gh-full"}
CASES=${CASES:-"small 16k upload c1000"}
LATENCY=${LATENCY:-1}              # 1: run the fixed-rate latency phase with h2load
LOADGEN_CPU=${LOADGEN_CPU:-0}      # wrk / h2load and the backend nginx
PROXY_CPU=${PROXY_CPU:-1}          # the proxy under test
BACKEND_PORT=${BACKEND_PORT:-18080}
NGINX_PORT=${NGINX_PORT:-18081}
HAPROXY_PORT=${HAPROXY_PORT:-18082}
GH_ROUTING_PORT=${GH_ROUTING_PORT:-18083}
GH_FULL_PORT=${GH_FULL_PORT:-18084}
SINK_PORT=${SINK_PORT:-18085}      # backend-internal: /upload is proxied here after the body was read
GH_BASELINE_PORT=${GH_BASELINE_PORT:-18086}
GH_NOMETRICS_PORT=${GH_NOMETRICS_PORT:-18087}   # gh-nometrics / gh-trace1 / gh-trace100: gh-routing with one
GH_TRACE1_PORT=${GH_TRACE1_PORT:-18088}         # observability setting changed (metrics off; tracing on at 1% or
GH_TRACE100_PORT=${GH_TRACE100_PORT:-18089}     # 100%, exporting OTLP/HTTP to the backend nginx, which answers 200)
GH_FULL_BASELINE_PORT=${GH_FULL_BASELINE_PORT:-18090}   # BASELINE_JAR with GH_FULL_CONFIG
NGINX_FULL_PORT=${NGINX_FULL_PORT:-18091}      # nginx with an API-key check, a per-IP limit_req and a request ID
GATEHOUSE_JVM_FLAGS=${GATEHOUSE_JVM_FLAGS:-"-XX:+UseSerialGC -Xms64m -Xmx64m -XX:MaxDirectMemorySize=64m -Xss512k -XX:ActiveProcessorCount=1 -XX:+AlwaysPreTouch"}
GATEHOUSE_JAR=${GATEHOUSE_JAR:-$REPO/gateway-server/target/gatehouse.jar}
GATEHOUSE_CONFIG=${GATEHOUSE_CONFIG:-$BENCH_DIR/gatehouse-bench.yml}
GH_FULL_CONFIG=${GH_FULL_CONFIG:-$BENCH_DIR/gatehouse-full.yml}   # gh-full and gh-full-baseline
BENCH_API_KEY=${BENCH_API_KEY:-bench-key-0123456789abcdef0123456789}   # the key GH_FULL_CONFIG and nginx-full accept
BASELINE_JAR=${BASELINE_JAR:-}     # targets gh-baseline / gh-full-baseline: another Gatehouse build, for A/B
OUT=${OUT_DIR:-$BENCH_DIR/out}
WAIT_QUIET=${WAIT_QUIET:-0}        # seconds to wait for other processes to stop using the CPUs before starting
DISTURBED_CPU=${DISTURBED_CPU:-15} # a run during which other processes used more than this % of a core is "disturbed"
BUSY_RETRIES=${BUSY_RETRIES:-0}    # how often a disturbed run is repeated (the last attempt is kept)
PAUSE=${PAUSE:-1}                  # seconds of quiet between two measured runs
KEEP_LOGS=${KEEP_LOGS:-0}          # 1: keep the whole access logs of nginx, HAProxy and Gatehouse full
NICE=${NICE:-0}                    # e.g. -20: run backend, proxies and load generator at a higher priority
[[ -n $BASELINE_JAR ]] && BASELINE_JAR=$(realpath -m "$BASELINE_JAR")
GATEHOUSE_JAR=$(realpath -m "$GATEHOUSE_JAR"); GATEHOUSE_CONFIG=$(realpath -m "$GATEHOUSE_CONFIG"); OUT=$(realpath -m "$OUT")
GH_FULL_CONFIG=$(realpath -m "$GH_FULL_CONFIG")

STAMP=$(date -u +%Y%m%d-%H%M%S)
RUN_DIR=$OUT/run-$STAMP            # raw outputs of this run
RESULTS_MD=$OUT/results-$STAMP.md
T_START=$(date +%s)
# The repository's commit when the run starts (the jar may have been built elsewhere: see GATEHOUSE_JAR).
REPO_HEAD=$(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null || echo "no git")
REPO_DIRTY=$(cd "$REPO" && git --no-optional-locks status --porcelain -- gateway-core gateway-server 2>/dev/null | head -c 1 || true)

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

is_int() { [[ $1 =~ ^[0-9]+$ ]]; }
[[ $NICE =~ ^-?[0-9]+$ ]] || die "NICE must be an integer (got '$NICE')"
[[ $PAUSE =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "PAUSE must be a number of seconds (got '$PAUSE')"
for v in WAIT_QUIET DISTURBED_CPU BUSY_RETRIES KEEP_LOGS; do is_int "${!v}" || die "$v must be a non-negative integer (got '${!v}')"; done
for v in ROUNDS DURATION WARMUP OTHER_WARMUP CONNS MANY_CONNS; do
    is_int "${!v}" && (( ${!v} > 0 )) || die "$v must be a positive integer (got '${!v}')"
done
for t in $TARGETS; do
    case $t in direct|nginx|nginx-full|haproxy|gh-routing|gh-full|gh-baseline|gh-full-baseline|gh-nometrics|gh-trace1|gh-trace100) ;;
        *) die "unknown target '$t'";; esac
    [[ $t != gh-*baseline || -f $BASELINE_JAR ]] || die "target $t needs BASELINE_JAR, the jar to compare with (got '${BASELINE_JAR}')"
done
for c in $CASES; do case $c in small|16k|upload|c1000|https|handshake|h2c|h2tls) ;; *) die "unknown case '$c'";; esac; done
# shellcheck source=lib/h2.sh
source "$BENCH_DIR/lib/h2.sh"

# ---------------------------------------------------------------- tools
# shellcheck source=lib/tools.sh
source "$BENCH_DIR/lib/tools.sh"
install_missing
command -v java >/dev/null || die "java not found (apt-get install openjdk-17-jdk-headless)"

if [[ " $TARGETS" == *" gh-"* && ! -f $GATEHOUSE_JAR ]]; then   # no jar needed for nginx, HAProxy, direct
    command -v mvn >/dev/null || die "$GATEHOUSE_JAR is missing and mvn is not installed"
    log "building the gateway: (cd $REPO && mvn -q -B -DskipTests package)"
    (cd "$REPO" && mvn -q -B -DskipTests package) || die "maven build failed"
    [[ -f $GATEHOUSE_JAR ]] || die "build finished but $GATEHOUSE_JAR does not exist"
fi
[[ -f $GATEHOUSE_CONFIG ]] || die "missing $GATEHOUSE_CONFIG"

NCPU=$(nproc)
if (( NCPU < 2 )); then
    log "WARNING: only $NCPU CPU: no pinning, the numbers will mix load generator and proxy"
    PIN_LOAD=(); PIN_PROXY=()
else
    PIN_LOAD=(taskset -c "$LOADGEN_CPU"); PIN_PROXY=(taskset -c "$PROXY_CPU")
fi
if (( NICE != 0 )); then   # a higher priority for everything the bench starts, against other users of the machine
    nice -n "$NICE" true 2>/dev/null && [[ $(nice -n "$NICE" nice) == "$(( $(nice) + NICE ))" ]] || die "cannot run with nice -n $NICE (negative values need root)"
    PIN_LOAD=(nice -n "$NICE" "${PIN_LOAD[@]}"); PIN_PROXY=(nice -n "$NICE" "${PIN_PROXY[@]}")
fi

# Connection-heavy cases need file descriptors; raise the soft limit as far as allowed.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
(( $(ulimit -n) >= MANY_CONNS * 2 + 100 )) || log "WARNING: ulimit -n is $(ulimit -n); the c1000 case may fail"

# ---------------------------------------------------------------- process management
declare -a STARTED=()               # PIDs this script started
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if (( ${#STARTED[@]} )); then
        log "stopping ${#STARTED[@]} processes"
        for p in "${STARTED[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
        for _ in $(seq 50); do
            local alive=0
            for p in "${STARTED[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
            (( alive )) || break
            sleep 0.1
        done
        for p in "${STARTED[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
        wait 2>/dev/null || true
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck source=lib/measure.sh
source "$BENCH_DIR/lib/measure.sh"
BUSY_PROCS=""
IDLE_BUSY=$(busy_now)
if (( IDLE_BUSY > 10 && WAIT_QUIET > 0 )); then
    log "the machine is busy (${IDLE_BUSY}% of one core used by other processes): waiting up to ${WAIT_QUIET}s for it to calm down"
    end=$(( $(date +%s) + WAIT_QUIET ))
    while (( IDLE_BUSY > 10 && $(date +%s) < end )); do IDLE_BUSY=$(busy_now); done
fi
if (( IDLE_BUSY > 10 )); then
    BUSY_PROCS=$(ps -eo pcpu=,comm= --sort=-pcpu | awk '$1 > 5 {printf "%s%s (%s%%)", sep, $2, $1; sep = ", "}')
    log "WARNING: before the start, other processes use ${IDLE_BUSY}% of one core (${BUSY_PROCS:-short-lived}): results will be disturbed"
fi

for p in $BACKEND_PORT $SINK_PORT $NGINX_PORT $HAPROXY_PORT $GH_ROUTING_PORT $GH_FULL_PORT $GH_BASELINE_PORT \
         $GH_NOMETRICS_PORT $GH_TRACE1_PORT $GH_TRACE100_PORT $GH_FULL_BASELINE_PORT $NGINX_FULL_PORT $(h2c_ports); do
    port_open "$p" && die "port $p is already in use (set *_PORT env vars to other ports)"
done

mkdir -p "$RUN_DIR"/{raw,logs,www,nginx-backend,nginx-proxy,nginx-full,haproxy}
cd "$RUN_DIR"
RUN_AS_USER=""
(( EUID == 0 )) && RUN_AS_USER="user root;"   # workers read files under bench/out; the run is local only

# ---------------------------------------------------------------- backend nginx (CPU LOADGEN_CPU)
SMALL_JSON='{"id":42,"name":"gatehouse-bench","message":"a small fixed JSON body for the bench","ok":true}'
head -c 16384 /dev/zero | tr '\0' 'a' > "$RUN_DIR/www/16k"
# shellcheck source=lib/confs.sh
source "$BENCH_DIR/lib/confs.sh"
# shellcheck source=lib/tls.sh
source "$BENCH_DIR/lib/tls.sh"
wants_tls && make_tls_cert "$RUN_DIR/tls"
declare -A PORT_OF PIDS_OF LOGFILE_OF
PORT_OF[direct]=$BACKEND_PORT
PORT_OF[nginx]=$NGINX_PORT
PORT_OF[haproxy]=$HAPROXY_PORT
PORT_OF[gh-routing]=$GH_ROUTING_PORT
PORT_OF[gh-full]=$GH_FULL_PORT
PORT_OF[gh-baseline]=$GH_BASELINE_PORT
PORT_OF[gh-nometrics]=$GH_NOMETRICS_PORT
PORT_OF[gh-trace1]=$GH_TRACE1_PORT
PORT_OF[gh-trace100]=$GH_TRACE100_PORT
PORT_OF[gh-full-baseline]=$GH_FULL_BASELINE_PORT
PORT_OF[nginx-full]=$NGINX_FULL_PORT
LOGFILE_OF[nginx]=$( (( PROXY_ACCESS_LOG )) && echo "$RUN_DIR/logs/nginx-proxy-access.log" || echo "")
LOGFILE_OF[nginx-full]=$( (( PROXY_ACCESS_LOG )) && echo "$RUN_DIR/logs/nginx-full-access.log" || echo "")
LOGFILE_OF[haproxy]=$( (( PROXY_ACCESS_LOG )) && echo "$RUN_DIR/logs/haproxy-access.log" || echo "")
LOGFILE_OF[gh-full]=$RUN_DIR/logs/gatehouse-full-access.log
LOGFILE_OF[gh-full-baseline]=$RUN_DIR/logs/gatehouse-full-baseline-access.log
LOGFILE_OF[gh-routing]=""
LOGFILE_OF[gh-baseline]=""
LOGFILE_OF[gh-nometrics]=""
LOGFILE_OF[gh-trace1]=""
LOGFILE_OF[gh-trace100]=""
LOGFILE_OF[direct]=""

# shellcheck source=lib/start.sh
source "$BENCH_DIR/lib/start.sh"

log "output: $RUN_DIR"
write_backend_conf
start_nginx backend "$RUN_DIR/nginx-backend" "$BACKEND_PORT" "${PIN_LOAD[@]}"
BACKEND_MASTER=$NG_MASTER BACKEND_WORKER=$NG_WORKER
PIDS_OF[direct]=""
log "backend nginx up on :$BACKEND_PORT (master $BACKEND_MASTER, worker $BACKEND_WORKER)"

# Check the backend before anything else: every case must get a 200.
head -c 65536 /dev/zero | tr '\0' 'x' > "$RUN_DIR/upload.bin"
# The targets that check an API key (gh-full, gh-full-baseline, nginx-full) get it from every client.
key_args() { [[ $1 != *-full* ]] || printf '%s\n' -H "X-API-Key: $BENCH_API_KEY"; }   # key_args TARGET: -H lines or nothing
check_target() {   # check_target NAME PORT: every case path answers 200, twice on one connection for /upload
    local name=$1 port=$2 code
    local -a hdr; mapfile -t hdr < <(key_args "$1")
    for path in /small /16k; do
        code=$(curl -s -o /dev/null -w '%{http_code}' "${hdr[@]}" "http://127.0.0.1:$port$path") || code="curl-failed"
        [[ $code == 200 ]] || die "$name: GET $path answered $code (expected 200)"
    done
    if wants_tls && tls_target "$name"; then
        code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$TLS_CERT" "${hdr[@]}" "https://localhost:$(tls_port_of "$name")/small") || code="curl-failed"
        [[ $code == 200 ]] || die "$name: GET https://localhost:$(tls_port_of "$name")/small answered $code (expected 200)"
    fi
    code=$(curl -s -o /dev/null -w '%{http_code} ' "${hdr[@]}" -H 'Content-Type: application/octet-stream' -H 'Expect:' \
        --data-binary @"$RUN_DIR/upload.bin" "http://127.0.0.1:$port/upload" \
        --next -s -o /dev/null -w '%{http_code} %{num_connects}' "${hdr[@]}" -H 'Content-Type: application/octet-stream' -H 'Expect:' \
        --data-binary @"$RUN_DIR/upload.bin" "http://127.0.0.1:$port/upload") || code="curl-failed"
    [[ $code == "200 200 0" ]] || die "$name: two 64 KiB POSTs to /upload on one connection gave '$code' (expected '200 200 0': status, status, new connections for the 2nd)"
    check_h2 "$name"
}
check_target backend "$BACKEND_PORT"
[[ $(curl -s "http://127.0.0.1:$BACKEND_PORT/small" | wc -c) -ge 90 ]] || die "backend /small body is too short"
[[ $(curl -s "http://127.0.0.1:$BACKEND_PORT/16k" | wc -c) -eq 16384 ]] || die "backend /16k is not 16384 bytes"

want() { [[ " $TARGETS " == *" $1 "* ]]; }
if want nginx; then
    write_proxy_conf "$RUN_DIR/nginx-proxy" "$NGINX_PORT" "${LOGFILE_OF[nginx]}" 0
    start_nginx nginx-proxy "$RUN_DIR/nginx-proxy" "$NGINX_PORT" "${PIN_PROXY[@]}"
    PIDS_OF[nginx]="$NG_MASTER $NG_WORKER"
    log "nginx proxy up on :$NGINX_PORT (master $NG_MASTER, worker $NG_WORKER)"
fi
if want nginx-full; then
    write_proxy_conf "$RUN_DIR/nginx-full" "$NGINX_FULL_PORT" "${LOGFILE_OF[nginx-full]}" 1
    start_nginx nginx-full "$RUN_DIR/nginx-full" "$NGINX_FULL_PORT" "${PIN_PROXY[@]}"
    PIDS_OF[nginx-full]="$NG_MASTER $NG_WORKER"
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$NGINX_FULL_PORT/small") || code="curl-failed"
    [[ $code == 401 ]] || die "nginx-full: GET /small without the API key answered $code (expected 401)"
    log "nginx full (API key, per-IP limit_req, request ID) up on :$NGINX_FULL_PORT (master $NG_MASTER, worker $NG_WORKER)"
fi
if want haproxy; then
    write_haproxy_conf
    haproxy -c -q -f "$RUN_DIR/haproxy/haproxy.cfg" || die "haproxy config is invalid"
    "${PIN_PROXY[@]}" haproxy -db -f "$RUN_DIR/haproxy/haproxy.cfg" >> "$RUN_DIR/logs/haproxy-access.log" 2> "$RUN_DIR/logs/haproxy.stderr.log" &
    hp=$!; STARTED+=("$hp"); PIDS_OF[haproxy]=$hp
    wait_port "$HAPROXY_PORT" "$hp" haproxy "$RUN_DIR/logs/haproxy.stderr.log"
    log "haproxy up on :$HAPROXY_PORT (pid $hp)"
fi
if want gh-routing; then
    start_gatehouse gh-routing "$GH_ROUTING_PORT" OFF "$RUN_DIR/logs/gatehouse-routing.stdout.log"
    PIDS_OF[gh-routing]=$GH_PID
    log "gatehouse routing (access log OFF) up on :$GH_ROUTING_PORT (pid $GH_PID)"
fi
if want gh-baseline; then
    start_gatehouse gh-baseline "$GH_BASELINE_PORT" OFF "$RUN_DIR/logs/gatehouse-baseline.stdout.log" "$BASELINE_JAR"
    PIDS_OF[gh-baseline]=$GH_PID
    log "gatehouse baseline ($BASELINE_JAR, access log OFF) up on :$GH_BASELINE_PORT (pid $GH_PID)"
fi
# gh-routing's config with one top-level section added: variant_config NAME YAML -> path
variant_config() {
    local f=$RUN_DIR/gatehouse-$1.yml
    { cat "$GATEHOUSE_CONFIG"; echo; echo "$2"; } > "$f"
    echo "$f"
}
TRACING_YAML='tracing: {enabled: true, exporter: {otlp: {endpoint: "http://127.0.0.1:'$BACKEND_PORT'"}}, sampler: {parent_based: true, ratio: RATIO}}'
start_variant() {   # start_variant TARGET PORT YAML DESCRIPTION
    start_gatehouse "$1" "$2" OFF "$RUN_DIR/logs/gatehouse-$1.stdout.log" "$GATEHOUSE_JAR" "$(variant_config "$1" "$3")"
    PIDS_OF[$1]=$GH_PID
    log "gatehouse $4 (access log OFF) up on :$2 (pid $GH_PID)"
}
want gh-nometrics && start_variant gh-nometrics "$GH_NOMETRICS_PORT" 'metrics: {enabled: false}' "metrics off"
want gh-trace1 && start_variant gh-trace1 "$GH_TRACE1_PORT" "${TRACING_YAML/RATIO/0.01}" "tracing 1%"
want gh-trace100 && start_variant gh-trace100 "$GH_TRACE100_PORT" "${TRACING_YAML/RATIO/1.0}" "tracing 100%"
for t in gh-full gh-full-baseline; do   # GH_FULL_CONFIG, JSON access log (stdout) to a file
    want $t || continue
    jar=$GATEHOUSE_JAR; [[ $t == gh-full-baseline ]] && jar=$BASELINE_JAR
    start_gatehouse $t "${PORT_OF[$t]}" INFO "${LOGFILE_OF[$t]}" "$jar" "$GH_FULL_CONFIG"
    PIDS_OF[$t]=$GH_PID
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${PORT_OF[$t]}/small") || code="curl-failed"
    [[ $code == 401 ]] || die "$t: GET /small without the API key answered $code (expected 401)"
    log "gatehouse $t ($jar, $(basename "$GH_FULL_CONFIG"), access log to file) up on :${PORT_OF[$t]} (pid $GH_PID)"
done
for t in $TARGETS; do [[ $t == direct ]] || check_target "$t" "${PORT_OF[$t]}"; done
GH_TRANSPORT=$(grep -ho 'listening on .*' "$RUN_DIR"/logs/gh-*.stderr.log 2>/dev/null | head -n 1 || true)
TLS_NEGOTIATED=""
for t in $TARGETS; do wants_tls && tls_target "$t" && { TLS_NEGOTIATED="$t: $(tls_negotiated "$(tls_port_of "$t")")${TLS_NEGOTIATED:+; }$TLS_NEGOTIATED"; }; done

# ---------------------------------------------------------------- one measured wrk run
# shellcheck source=lib/wrk.sh
source "$BENCH_DIR/lib/wrk.sh"
RESULTS=$RUN_DIR/results.tsv
printf 'round\ttarget\tcase\trps\tp50_ms\tp99_ms\tnon2xx\tsock_errors\tproxy_cpu_pct\trss_kb\tloadgen_core_pct\tproxy_core_pct\trequests\tlog_lines\tother_cpu_pct\tproxy_cpu_us_per_req\tproxy_wait_pct\tjit_cpu_us_per_req\n' > "$RESULTS"
RETRIED=0

log "warm-up: Gatehouse ${WARMUP}s small GET (and per HTTP/2 case) + ${OTHER_WARMUP}s per other case; others ${OTHER_WARMUP}s per case (not measured)"
for t in $TARGETS; do
    case $t in gh-*) warm "$t" "$WARMUP" "$OTHER_WARMUP" ;; *) warm "$t" "$OTHER_WARMUP" "$OTHER_WARMUP" ;; esac
done

log "measuring: $ROUNDS rounds x cases [$CASES] x targets [$TARGETS], ${DURATION}s each"
REVERSED=$(printf '%s\n' $TARGETS | tac | tr '\n' ' ')
for ((r = 1; r <= ROUNDS; r++)); do
    order=$TARGETS   # compare: A B B A, so that neither jar always runs right after the other
    [[ $MODE == compare ]] && (( r % 2 == 0 )) && order=$REVERSED
    for c in $CASES; do
        for t in $order; do runs_case "$t" "$c" || continue; measure run_load "$r" "$t" "$c"; printf '%s\n' "$ROW" >> "$RESULTS"; sleep "$PAUSE"; done
    done
done

# shellcheck source=lib/stats.sh
source "$BENCH_DIR/lib/stats.sh"

# ---------------------------------------------------------------- fixed-rate latency phase (h2load)
# shellcheck source=lib/latency.sh
source "$BENCH_DIR/lib/latency.sh"
if (( LATENCY )); then latency_phase; fi

# ---------------------------------------------------------------- report
T_END=$(date +%s)
# shellcheck source=lib/report.sh
source "$BENCH_DIR/lib/report.sh"
# shellcheck source=lib/compare.sh
source "$BENCH_DIR/lib/compare.sh"
{ write_report; write_compare; } > "$RESULTS_MD"

cp "$RESULTS_MD" "$RUN_DIR/results.md"
if (( ! KEEP_LOGS )); then   # access logs grow to hundreds of MiB: keep their last 1000 lines
    for f in "$RUN_DIR"/logs/*access.log; do
        [[ -f $f ]] || continue
        tail -n 1000 "$f" | tr -d '\000' > "$f.tail" && mv "$f.tail" "$f"
    done
fi
cat "$RESULTS_MD"
log "written $RESULTS_MD (raw data in $RUN_DIR); took $(( T_END - T_START )) s"
exit "$FAIL"
