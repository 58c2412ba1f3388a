# Sourced by bench/run.sh: one measured run (wrk, or h2load for the HTTP/2 cases of lib/h2.sh: arguments, parsing,
# measuring, retrying when disturbed) and the warm-up.
url_of() {   # url_of TARGET CASE
    local path
    case $2 in
        small|c1000) path=/small ;; 16k) path=/16k ;; upload) path=/upload ;;
        h2c) echo "http://127.0.0.1:$(h2c_port_of "$1")/small"; return ;;
        https|handshake|h2tls) echo "https://127.0.0.1:$(tls_port_of "$1")/small"; return ;;
    esac
    echo "http://127.0.0.1:${PORT_OF[$1]}$path"
}
wrk_args() {   # wrk_args TARGET CASE DURATION
    local c=$CONNS
    [[ $2 == c1000 ]] && c=$MANY_CONNS
    printf '%s\n' -t1 "-c$c" "-d${3}s" --latency
    key_args "$1"
    [[ $2 == upload ]] && printf '%s\n' -s "$BENCH_DIR/post64k.lua"
    [[ $2 == handshake ]] && printf '%s\n' -H 'Connection: close'   # a new connection, so a full handshake, per request
    return 0
}
tool_of() { if is_h2_case "$1"; then echo h2load; else echo wrk; fi; }   # tool_of CASE
load_cmd() {   # load_cmd TARGET CASE SECONDS: the load generator's command line, one word a line
    if is_h2_case "$2"; then echo h2load; h2load_args "$1" "$3"; else echo wrk; wrk_args "$1" "$2" "$3"; fi
    url_of "$1" "$2"
}
# parse_wrk RAW PROXY_CPU_PCT -> "req/s p50_ms p99_ms non2xx socket_errors requests cpu_us_per_req" in one awk
# ("-" where missing; wrk writes latencies as 850.00us / 1.23ms / 1.02s / 1.1m)
parse_wrk() {
    awk -v cpu="$2" '
        function ms(v,  n) { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n *= 1; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; return sprintf("%.3f", n) }
        /^Requests\/sec:/ { rps = sprintf("%.0f", $2) }
        /^ +50%/ { p50 = ms($2) }
        /^ +99%/ { p99 = ms($2) }
        /Non-2xx or 3xx responses:/ { non2xx = $NF }
        /Socket errors:/ { gsub(",", ""); sock = $4 + $6 + $8 + $10 }
        /requests in/ { reqs = $1 }
        END {
            us = (cpu != "" && rps > 0) ? sprintf("%.1f", cpu * 10000 / rps) : "-"
            print rps + 0, p50 == "" ? "-" : p50, p99 == "" ? "-" : p99, non2xx + 0, sock + 0, reqs + 0, us
        }' "$1"
}


run_load() {   # run_load ROUND TARGET CASE: one measured run; sets ROW
    local round=$1 t=$2 c=$3 tool raw pids lf
    tool=$(tool_of "$c")
    raw=$RUN_DIR/raw/r$round-$t-$c.$tool.txt
    read -r -a pids <<< "${PIDS_OF[$t]}"
    lf=${LOGFILE_OF[$t]}
    # Count the lines the run adds (HAProxy sets O_NONBLOCK on its stdout, which drops O_APPEND, so the
    # files are not truncated between runs; the end of the run trims them).
    local lines0=0
    [[ -n $lf ]] && lines0=$(wc -l < "$lf")
    local -a cmd; mapfile -t cmd < <(load_cmd "$t" "$c" "$DURATION")
    meas_begin "${pids[@]}"
    "${PIN_LOAD[@]}" "${cmd[@]}" > "$raw" 2>&1 || log "WARNING: $tool exited non-zero for $t $c (see $raw)"
    meas_end
    # let asynchronous access logs catch up before counting lines (nginx flushes its 64k buffer every second)
    if [[ $t == nginx* && -n $lf ]]; then sleep 1.2; elif [[ -n $lf ]]; then sleep 0.5; fi
    local rss=0 cpu="" lines=""
    (( ${#pids[@]} )) && { proc_rss_kb rss "${pids[@]}"; cpu=$M_PROXY; }
    [[ -n $lf ]] && lines=$(( $(wc -l < "$lf") - lines0 ))
    local rps p50 p99 non2xx sock reqs us
    read -r rps p50 p99 non2xx sock reqs us < <("parse_$tool" "$raw" "$cpu")
    [[ $p50 == - ]] && p50=""; [[ $p99 == - ]] && p99=""; [[ $us == - ]] && us=""
    [[ $rps != 0 ]] || log "WARNING: no result from $tool for $t $c: $(tr '\n' ' ' < "$raw" | cut -c1-300)"
    local jit_us=""   # the JIT compiler threads' share of CPU µs/req
    [[ -n $cpu && $rps != 0 ]] && jit_us=$(awk -v j="$M_JIT" -v r="$rps" 'BEGIN { printf "%.1f", j * 10000 / r }')
    printf -v ROW '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$round" "$t" "$c" "$rps" "$p50" "$p99" \
        "$non2xx" "$sock" "$cpu" "$rss" "$M_LOADCORE" "$M_PROXYCORE" "$reqs" "$lines" "$M_OTHER" "$us" "$M_WAIT" "$jit_us"
    local extra=""
    (( non2xx > 0 )) && extra+=" NON-2XX=$non2xx"
    (( sock > 0 )) && extra+=" socket-errors=$sock"
    log "r$round $(printf '%-10s %-6s' "$t" "$c") ${rps} req/s p50=${p50:-?}ms p99=${p99:-?}ms proxy-cpu=${cpu:--}% proxy-wait=${M_WAIT:--}% jit=${jit_us:--}us/req rss=$(( rss / 1024 ))MiB load-gen-core=${M_LOADCORE}% other-cpu=${M_OTHER}%${extra}"
}

# measure FUNCTION ARGS...: runs a measurement; while other processes used more than DISTURBED_CPU % of a
# core during it, waits 5 s and runs it again, at most BUSY_RETRIES times. The last attempt is kept.
measure() {
    local a
    for ((a = 0; ; a++)); do
        "$@"
        (( M_OTHER <= DISTURBED_CPU || a >= BUSY_RETRIES )) && break
        log "other processes used ${M_OTHER}% of a core during that run: repeating it in 5 s ($(( a + 1 ))/$BUSY_RETRIES)"
        RETRIED=$(( RETRIED + 1 ))
        sleep 5
    done
}

warm() {   # warm TARGET SECONDS_SMALL SECONDS_OTHER: not measured
    local t=$1 c a raw
    for c in small ${CASES//small/}; do
        runs_case "$t" "$c" || continue
        # The long warm-up (Gatehouse's) goes to the small GET and to each HTTP/2 case: h2 is another code path to
        # compile (frame codec, streams), which 3 s leave half done.
        local s=$3; if [[ $c == small ]] || is_h2_case "$c"; then s=$2; fi
        local -a cmd; mapfile -t cmd < <(load_cmd "$t" "$c" "$s")
        raw=$RUN_DIR/raw/warmup-$t-$c.$(tool_of "$c").txt
        "${PIN_LOAD[@]}" "${cmd[@]}" > "$raw" 2>&1 || true
        a=$(awk '/Non-2xx or 3xx responses:/ {print $NF} /^status codes:/ {gsub(",", ""); if ($5 + $7 + $9) print $5 + $7 + $9}' "$raw")
        [[ -z $a ]] || log "WARNING: warm-up of $t $c had $a non-2xx responses"
    done
}
