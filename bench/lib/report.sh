# Sourced by bench/run.sh: the results report (markdown on stdout), from $RESULTS and $LAT.
label() {
    case $1 in
        direct) echo "backend direct" ;;
        nginx) (( PROXY_ACCESS_LOG )) && echo "nginx (access log to file)" || echo "nginx (no access log)" ;;
        nginx-full) echo "nginx full (API key, per-IP limit_req, request ID$( (( PROXY_ACCESS_LOG )) && echo ", JSON access log to file"))" ;;
        haproxy) (( PROXY_ACCESS_LOG )) && echo "HAProxy (httplog to file)" || echo "HAProxy (no log)" ;;
        gh-routing) echo "Gatehouse routing (access log OFF)" ;;
        gh-full) echo "Gatehouse full (API key, per-IP limit, access log to file)" ;;
        gh-baseline) echo "Gatehouse baseline (BASELINE_JAR, access log OFF)" ;;
        gh-full-baseline) echo "Gatehouse full baseline (BASELINE_JAR, as full)" ;;
        gh-nometrics) echo "Gatehouse routing, metrics off" ;;
        gh-trace1) echo "Gatehouse routing, tracing on, 1% sampled" ;;
        gh-trace100) echo "Gatehouse routing, tracing on, 100% sampled" ;;
    esac
}
case_label() {
    case $1 in
        small) echo "small GET (/small, ${#SMALL_JSON} B), c$CONNS" ;;
        16k) echo "16 KiB GET (/16k), c$CONNS" ;;
        upload) echo "64 KiB POST (/upload), c$CONNS" ;;
        c1000) echo "small GET, c$MANY_CONNS keep-alive" ;;
        https) echo "small GET over HTTPS keep-alive, c$CONNS" ;;
        handshake) echo "small GET over HTTPS, a new TLS connection per request, c$CONNS" ;;
        h2c) echo "small GET over h2c (prior knowledge), c$CONNS x $H2_STREAMS streams" ;;
        h2tls) echo "small GET over h2 (TLS, ALPN), c$CONNS x $H2_STREAMS streams" ;;
    esac
}
fmt_ms() { if [[ -n $1 ]]; then printf '%.2f' "$1"; else printf '—'; fi; }   # h2load gives no percentiles
write_report() {   # sets FAIL (non-2xx or failed requests) and SLOW (a target fell below the offered rate)
    local CPU_MODEL JVM_VERSION WRK_EXAMPLE
    CPU_MODEL=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)
    JVM_VERSION=$(java -version 2>&1 | tr '\n' ';' | sed 's/;$//; s/;/; /g')
    WRK_EXAMPLE="taskset -c $LOADGEN_CPU wrk -t1 -c$CONNS -d${DURATION}s --latency [-s bench/post64k.lua] http://127.0.0.1:PORT/{small,16k,upload}"
    FAIL=0 SLOW=0
    load_stats
    echo "# Gatehouse bench $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo
    echo "- Machine: $NCPU CPUs, $CPU_MODEL, kernel $(uname -r), $(awk '/MemTotal/ {printf "%.0f GiB RAM", $2 / 1048576}' /proc/meminfo)"
    [[ -f $GATEHOUSE_JAR ]] && echo "- Gatehouse: $GATEHOUSE_JAR (built $(date -u -r "$GATEHOUSE_JAR" '+%Y-%m-%d %H:%M UTC'); repository at $REPO_HEAD$([[ -n $REPO_DIRTY ]] && echo " with uncommitted gateway-core/gateway-server changes" || true) when the run started), ${GH_TRANSPORT:-transport unknown}"
    [[ -n $BASELINE_JAR ]] && echo "- Baseline (gh-baseline, gh-full-baseline): $BASELINE_JAR (built $(date -u -r "$BASELINE_JAR" '+%Y-%m-%d %H:%M UTC'))"
    echo "- JVM: $JVM_VERSION"
    echo "- GATEHOUSE_JVM_FLAGS: \`$GATEHOUSE_JVM_FLAGS\`"
    echo "- Tools: $(wrk --version 2>&1 | head -n 1 | awk '{print "wrk", $2}'), $(nginx -v 2>&1 | sed 's|.*/|nginx |'), $(haproxy -v 2>&1 | awk 'NR == 1 {print "HAProxy", $3}'), $(h2load --version 2>&1 | head -n 1)"
    [[ -z $TLS_NEGOTIATED ]] || echo "- TLS (https, handshake, h2tls cases): one EC P-256 certificate for all; TLSv1.2 and TLSv1.3, Mozilla intermediate ciphers; negotiated by a default OpenSSL client: $TLS_NEGOTIATED"
    echo "- Pinning: load generator and backend nginx on CPU $LOADGEN_CPU; each proxy (1 worker / 1 thread / 1 event loop) on CPU $PROXY_CPU; all proxies stay up for the whole run (idle when not measured)$( (( NICE != 0 )) && echo "; all of them run with nice $NICE")"
    echo "- Rounds: $ROUNDS x ${DURATION} s per (target, case), interleaved target by target within each case$([[ $MODE == compare ]] && echo " (target order reversed in even rounds)"); warm-up (not measured): Gatehouse ${WARMUP} s small GET (and per HTTP/2 case) + ${OTHER_WARMUP} s per other case, the others ${OTHER_WARMUP} s per case"
    echo "- Commands: \`$WRK_EXAMPLE\`; c1000: \`wrk -t1 -c$MANY_CONNS\`; latency: \`taskset -c $LOADGEN_CPU h2load --h1 -c $CONNS -t 1 --rps ${PER_CLIENT:-?} -D $DURATION --log-file F http://127.0.0.1:PORT/small\`"
    local h2neg="" t n
    for t in $TARGETS; do
        wants_case h2tls && runs_case "$t" h2tls && n=$(h2_negotiated "$t") && [[ -n $n ]] && h2neg+="${h2neg:+; }$t: $n"
    done
    if wants_case h2c || wants_case h2tls; then echo "- HTTP/2 cases: \`taskset -c $LOADGEN_CPU h2load -c $CONNS -m $H2_STREAMS -t 1 -D $DURATION {http://127.0.0.1:H2C_PORT,https://127.0.0.1:TLS_PORT}/small\` (no percentiles: h2load prints min / max / mean only, see raw/); nginx 1.22: \`listen PORT+$H2C_PORT_OFFSET http2;\` (h2c only) and \`listen TLS_PORT ssl http2;\`; Gatehouse: h2c on its plain port, h2 by ALPN on its TLS port${h2neg:+; TLS negotiated by h2load: $h2neg}"; fi
    echo "- nginx proxy: 1 worker, worker_cpu_affinity, upstream keepalive 64, proxy_http_version 1.1, Connection \"\", $( (( PROXY_ACCESS_LOG )) && echo "access_log to a file (combined format, \`buffer=64k flush=1s\`)" || echo "access_log off"), client_body_buffer_size 128k (uploads buffered in memory)"
    echo "- nginx full: nginx proxy plus \`if (\$http_x_api_key != KEY) {return 401;}\`, \`limit_req_zone \$binary_remote_addr\` (rate 100,000,000 r/s, burst as large, nodelay), \`X-Request-ID \$request_id\` to the backend and the client, access log as JSON lines with Gatehouse's fields ($( (( PROXY_ACCESS_LOG )) && echo "\`buffer=64k flush=1s\`" || echo "off")); no RateLimit-* response headers, no metrics"
    echo "- HAProxy: nbthread 1, mode http, http-reuse always, $( (( PROXY_ACCESS_LOG )) && echo "option httplog to stdout redirected to a file" || echo "no log")"
    echo "- Gatehouse: bench/gatehouse-bench.yml (route / -> pool of one backend, pool defaults). routing = GATEHOUSE_ACCESS_LOG_LEVEL=OFF, metrics on, tracing off; nometrics = routing with \`metrics: {enabled: false}\`; trace1 / trace100 = routing with tracing on (parent-based, ratio 0.01 / 1.0) exporting OTLP/HTTP to the backend nginx, which answers 200; full = $(basename "$GH_FULL_CONFIG") (request ID, API key, per-IP rate limit of 100,000,000 a second, metrics) + JSON access log on stdout redirected to a file. The clients of every *-full target send \`X-API-Key\`."
    echo "- Backend: nginx 1 worker, no access log; /small fixed JSON (${#SMALL_JSON} B), /16k static file, /upload reads the whole body then answers 200 {\"ok\":true}"
    echo "- Background load before the start: ${IDLE_BUSY}% of one core used by other processes${BUSY_PROCS:+ ($BUSY_PROCS)}"
    DISTURBED=$(cat <(awk -F'\t' 'NR > 1 {print $15}' "$RESULTS") <(awk -F'\t' 'NR > 1 {print $11}' "$LAT") \
        | awk -v d="$DISTURBED_CPU" '{n++; if ($1 > d) k++} END {printf "%d of %d", k, n}')
    echo "- Disturbed measurements (other processes used more than ${DISTURBED_CPU}% of a core during the run): $DISTURBED kept; $RETRIED repeated (BUSY_RETRIES=$BUSY_RETRIES)"
    echo "- Raw outputs: ${RUN_DIR#"$REPO"/}; total run time $(( (T_END - T_START) / 60 )) min $(( (T_END - T_START) % 60 )) s"
    echo
    echo "## Throughput (wrk; h2load for the HTTP/2 cases)"
    echo
    echo "req/s: median over rounds (min – max). vs nginx: median req/s / nginx median req/s. p50 / p99: wrk --latency, median over rounds."
    echo "proxy CPU: utime+stime of the proxy process(es) during the run, % of one core (median); CPU µs/req: that CPU time per request (median; it falls as load rises, because each wake-up then handles more requests). proxy wait: time the proxy's threads were runnable but waited for a CPU (schedstat run_delay, summed over threads), % of the run: other processes on its core, or its own threads (JVM: GC, JIT, the access log appender) competing. RSS: VmRSS after the run (max over rounds; nginx = master + worker)."
    echo "load-gen core: busy % of CPU $LOADGEN_CPU (wrk + backend) during the run (median); near 100 means the result may be limited by the load generator, not the proxy."
    echo
    echo "other CPU: CPU used during the run, on any core, by processes other than the proxy, the backend and the load generator (other users of the machine), % of one core (median); bold above ${DISTURBED_CPU}: the machine was shared during the run. Others also fill idle time, so a high value alone does not show that the proxy lost CPU (proxy wait does), but it does disturb caches and wake-ups."
    echo
    echo "| case | target | req/s (min – max) | vs nginx | p50 ms | p99 ms | proxy CPU % | CPU µs/req | proxy wait % | RSS MiB | load-gen core % | other CPU % | errors |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
    for c in $CASES; do
        nginx_med=$(med nginx "$c" 4)
        for t in $TARGETS; do
            read -r med mn mx < <(stat3 "$t" "$c" 4) || true
            [[ -n ${med:-} ]] || continue
            ratio="—"; [[ -n $nginx_med && $nginx_med != 0 ]] && ratio=$(awk -v a="$med" -v b="$nginx_med" 'BEGIN { printf "%.2f", a / b }')
            p50=$(med "$t" "$c" 5); p99=$(med "$t" "$c" 6)
            cpu=$(med "$t" "$c" 9); rss=$(mib "$t" "$c" 10)
            lcore=$(med "$t" "$c" 11); other=$(med "$t" "$c" 15)
            awk -v o="$other" -v d="$DISTURBED_CPU" 'BEGIN { exit !(o > d) }' && other="**$other**"
            usr=$(med "$t" "$c" 16); pw=$(med "$t" "$c" 17)
            [[ $t == direct ]] && { cpu="—"; rss="—"; usr="—"; pw="—"; }
            n2=$(colsum "$t" "$c" 7); se=$(colsum "$t" "$c" 8)
            errs="0"
            if (( n2 > 0 || se > 0 )); then
                errs=""
                (( n2 > 0 )) && { errs="**$n2 non-2xx**"; FAIL=1; }
                (( se > 0 )) && errs="${errs:+$errs, }$se socket errors"
            fi
            printf '| %s | %s | %s (%s – %s) | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(case_label "$c")" "$(label "$t")" \
                "$(fmt_int "$med")" "$(fmt_int "$mn")" "$(fmt_int "$mx")" "$ratio" "$(fmt_ms "$p50")" "$(fmt_ms "$p99")" "$cpu" "${usr:-}" "${pw:-}" "$rss" "$lcore" "$other" "$errs"
        done
    done
    echo
    echo "## CPU per request and memory, per target"
    echo
    echo "CPU µs/req: median over rounds of the proxy's CPU time (all its processes and threads) per request, per case; for Gatehouse, in brackets, the part its JIT compiler threads used (code still being compiled during the run: a share that differs from round to round makes the total bimodal; longer warm-ups shrink it). RSS: VmRSS of the proxy's processes (nginx master + worker) after the c$MANY_CONNS case (max over rounds), or after the last case when c1000 was not run."
    echo
    local rss_case=c1000 hdr="" sep="" t c row
    [[ " $CASES " == *" c1000 "* ]] || rss_case=${CASES##* }
    for c in $CASES; do hdr+=" $c µs/req |"; sep+=" ---: |"; done
    echo "| target |$hdr RSS MiB after $rss_case |"
    echo "| --- |$sep ---: |"
    for t in $TARGETS; do
        [[ $t == direct ]] && continue
        row=""
        for c in $CASES; do
            row+=" $(med "$t" "$c" 16)"
            if [[ $t == gh-* ]]; then row+=" ($(med "$t" "$c" 18))"; fi
            row+=" |"
        done
        printf '| %s |%s %s |\n' "$(label "$t")" "$row" "$(mib "$t" "$rss_case" 10)"
    done
    if (( LATENCY )) && [[ -n $RATE ]]; then
        echo
        echo "## Latency at a fixed rate (h2load)"
        echo
        echo "$RATE req/s offered ($CONNS connections x ${PER_CLIENT} req/s each = half of nginx's median small-GET req/s in this run), GET /small, ${DURATION} s per round."
        echo "Percentiles are computed from h2load's --log-file per-request times (send to end of response); median over rounds. \"added\" = target minus direct. CPU µs/req = median proxy CPU / median achieved req/s."
        echo "h2load's clients send at most one request at a time per connection and time from the actual send, so a stall delays later requests without being counted in their latency (coordinated omission): compare p99.9 with care."
        echo
        echo "| target | achieved req/s | p50 ms | p99 ms | p99.9 ms | added p50 | added p99 | added p99.9 | proxy CPU % | CPU µs/req | other CPU % | errors |"
        echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
        d50=$(latstat direct 5); d99=$(latstat direct 6); d999=$(latstat direct 7)
        for t in $TARGETS; do
            a=$(latstat "$t" 4); l50=$(latstat "$t" 5); l99=$(latstat "$t" 6); l999=$(latstat "$t" 7)
            [[ -n $l50 ]] || continue
            add() { [[ -n $2 && $1 != direct ]] && awk -v a="$3" -v b="$2" 'BEGIN { printf "%+.3f", a - b }' || echo "—"; }
            bad=$(awk -F'\t' -v t="$t" 'NR > 1 && $2 == t {s += $8 + $9} END {print s + 0}' "$LAT")
            errs=0; (( bad > 0 )) && { errs="**$bad non-2xx/failed**"; FAIL=1; }
            lc=$(latstat "$t" 10); lo=$(latstat "$t" 11)
            ach=$(fmt_int "${a:-0}")
            awk -v a="${a:-0}" -v r="$RATE" 'BEGIN { exit !(a < r * 0.98) }' && { ach="**$ach (below the offered rate)**"; SLOW=1; }
            awk -v o="$lo" -v d="$DISTURBED_CPU" 'BEGIN { exit !(o > d) }' && lo="**$lo**"
            lus=$(awk -v c="$lc" -v r="${a:-0}" 'BEGIN { if (c != "" && r > 0) printf "%.1f", c * 10000 / r }')
            [[ $t == direct ]] && { lc="—"; lus="—"; }
            printf '| %s | %s | %.3f | %.3f | %.3f | %s | %s | %s | %s | %s | %s | %s |\n' "$(label "$t")" "$ach" "$l50" "$l99" "$l999" \
                "$(add "$t" "$d50" "$l50")" "$(add "$t" "$d99" "$l99")" "$(add "$t" "$d999" "$l999")" "${lc:-}" "${lus:-}" "${lo:-}" "$errs"
        done
    fi
    # Access log completeness: lines written vs requests wrk or h2load counted (the proxy may have served a few more in flight at the end).
    notes=""
    for t in nginx nginx-full haproxy gh-full gh-full-baseline; do
        want "$t" && [[ -n ${LOGFILE_OF[$t]} ]] || continue
        read -r req lines < <(awk -F'\t' -v t="$t" 'NR > 1 && $2 == t {r += $13; l += $14} END {print r + 0, l + 0}' "$RESULTS")
        (( req > 0 )) || continue
        pct=$(awk -v l="$lines" -v r="$req" 'BEGIN { printf "%.2f", l / r * 100 }')
        notes+="- $(label "$t"): $(fmt_int "$lines") access log lines for $(fmt_int "$req") requests counted by wrk or h2load ($pct %)"
        awk -v l="$lines" -v r="$req" 'BEGIN { exit !(l < r * 0.999) }' && notes+=" — **lines missing: the log dropped entries under load**"
        notes+=$'\n'
    done
    if [[ -n $notes ]]; then
        echo
        echo "## Access log completeness"
        echo
        printf '%s' "$notes"
    fi
    errs=$(grep -hE ' (WARN|ERROR) ' "$RUN_DIR"/logs/gh-*.stderr.log 2>/dev/null | sed -E 's/^[^ ]+ //' | sort | uniq -c | sort -rn | head -n 10 || true)
    if [[ -n $errs ]]; then
        echo
        echo "## Gatehouse warnings and errors (stderr, top 10 by count)"
        echo
        echo '```'
        echo "$errs"
        echo '```'
    fi
    if (( SLOW )); then
        echo
        echo "**Some targets could not sustain the offered rate in the latency phase: their percentiles are measured at a lower rate (and are dominated by queueing).**"
    fi
    if (( FAIL )); then
        echo
        echo "**Some targets answered non-2xx or failed requests: see the errors columns and the raw outputs.**"
    fi
}

