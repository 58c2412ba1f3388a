# Sourced by bench/run.sh: starting nginx and Gatehouse under test (pinned, recorded for cleanup).
start_nginx() {   # start_nginx NAME DIR PORT PIN...
    local name=$1 d=$2 port=$3; shift 3
    nginx -t -q -p "$d" -c "$d/nginx.conf" 2> "$d/nginx-t.log" || { cat "$d/nginx-t.log" >&2; die "nginx config for $name is invalid"; }
    "$@" nginx -p "$d" -c "$d/nginx.conf" > "$d/stdout.log" 2>&1 &
    local pid=$!
    STARTED+=("$pid")
    wait_port "$port" "$pid" "$name" "$d/error.log"
    local w=""
    for _ in $(seq 50); do w=$(pgrep -P "$pid" | head -n 1 || true); [[ -n $w ]] && break; sleep 0.1; done
    [[ -n $w ]] || die "$name: no worker process"
    NG_MASTER=$pid NG_WORKER=$w
}

start_gatehouse() {   # start_gatehouse NAME PORT ACCESS_LEVEL STDOUT_FILE [JAR [CONFIG]]
    local name=$1 port=$2 level=$3 outf=$4 jar=${5:-$GATEHOUSE_JAR} config=${6:-$GATEHOUSE_CONFIG}
    local errf=$RUN_DIR/logs/$1.stderr.log tls_port=""
    wants_tls && tls_target "$name" && { tls_port=$(tls_port_of "$name"); config=$(gatehouse_tls_config "$config" "$tls_port"); }
    : > "$outf"
    # shellcheck disable=SC2086   # GATEHOUSE_JVM_FLAGS is a list of flags
    GATEWAY_CONFIG=$config GATEWAY_PORT=$port BENCH_BACKEND_PORT=$BACKEND_PORT \
        GATEHOUSE_ACCESS_LOG_LEVEL=$level \
        "${PIN_PROXY[@]}" java $GATEHOUSE_JVM_FLAGS -jar "$jar" >> "$outf" 2> "$errf" &
    local pid=$!
    STARTED+=("$pid")
    wait_port "$port" "$pid" "$name" "$errf"
    [[ -z $tls_port ]] || wait_port "$tls_port" "$pid" "$name (https)" "$errf"
    GH_PID=$pid
}
