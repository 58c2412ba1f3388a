# Sourced by bench/run.sh: the fixed-rate latency phase (h2load --h1 at half of nginx's small-GET req/s) into $LAT,
# and latstat, its medians for the report.
LAT=$RUN_DIR/latency.tsv
printf 'round\ttarget\trate\tachieved\tp50_ms\tp99_ms\tp999_ms\tnon2xx\tfailed\tproxy_cpu_pct\tother_cpu_pct\n' > "$LAT"
RATE=""
run_h2load() {   # run_h2load ROUND TARGET: sets ROW
    local r=$1 t=$2 raw tl pids pcpu n p50 p99 p999 bad achieved failed
    raw=$RUN_DIR/raw/r$r-$t-latency.h2load.txt tl=$RUN_DIR/raw/r$r-$t-latency.h2load.log
    read -r -a pids <<< "${PIDS_OF[$t]}"
    rm -f "$tl"
    meas_begin "${pids[@]}"
    local -a key; mapfile -t key < <(key_args "$t")
    "${PIN_LOAD[@]}" h2load --h1 -c "$CONNS" -t 1 --rps "$PER_CLIENT" -D "$DURATION" --log-file "$tl" "${key[@]}" \
        "$(url_of "$t" small)" > "$raw" 2>&1 || log "WARNING: h2load exited non-zero for $t (see $raw)"
    meas_end
    pcpu=""; (( ${#pids[@]} )) && pcpu=$M_PROXY
    [[ -f $tl ]] || : > "$tl"
    # log file columns: start (us since epoch), status, response time (us)
    read -r n p50 p99 p999 bad < <(awk -F'\t' '{print $3; if ($2 < 200 || $2 > 299) b++} END {print "BAD", b + 0}' "$tl" \
        | { sort -g | awk '$1 == "BAD" {bad = $2; next} {v[++n] = $1}
            function q(p,  i) { i = int(p * n + 0.999999); if (i < 1) i = 1; if (i > n) i = n; return v[i] / 1000 }
            END { if (n == 0) { print 0, "", "", "", bad; exit } printf "%d %.3f %.3f %.3f %d\n", n, q(0.5), q(0.99), q(0.999), bad }'; }) || true
    achieved=$(awk '/^finished in/ { gsub(",", ""); for (i = 1; i <= NF; i++) if ($i == "req/s") print $(i-1) }' "$raw" | head -n 1)
    failed=$(awk '/^requests:/ { for (i = 1; i <= NF; i++) if ($i ~ /^(failed|errored),?$/) s += $(i-1) } END {print s + 0}' "$raw")
    (( ${n:-0} > 0 )) || { log "WARNING: h2load gave no per-request times for $t: $(tr '\n' ' ' < "$raw" | cut -c1-300)"; failed=$(( failed + 1 )); }
    ROW=$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$r" "$t" "$RATE" "${achieved:-}" "${p50:-}" "${p99:-}" "${p999:-}" "${bad:-0}" "$failed" "$pcpu" "$M_OTHER")
    log "r$r $(printf '%-10s' "$t") latency @${RATE}/s: achieved ${achieved:-?}/s p50=${p50:-?}ms p99=${p99:-?}ms p99.9=${p999:-?}ms non2xx=${bad:-0} failed=$failed proxy-cpu=${pcpu:--}% other-cpu=${M_OTHER}%"
    rm -f "$tl"
}
latency_phase() {   # h2load at half of nginx's small-GET rate, ROUNDS x DURATION per target, into $LAT
    local base="" t r
    local -a key
    if want nginx && [[ " $CASES " == *" small "* ]]; then
        load_stats; base=$(med nginx small 4)
    fi
    if [[ -z $base ]]; then
        base=$(awk -F'\t' 'NR > 1 && $3 == "small" {print $4}' "$RESULTS" | sort -g | tail -n 1)
        [[ -n $base ]] || { log "no small-GET result to set the rate from (CASES has no small): no latency phase"; return 0; }
        log "WARNING: no nginx small-GET result: latency rate from the best small-GET result instead"
    fi
    PER_CLIENT=$(awk -v b="${base:-0}" -v c="$CONNS" 'BEGIN { r = int(b / 2 / c); print (r < 1 ? 1 : r) }')
    RATE=$(( PER_CLIENT * CONNS ))
    log "latency phase: h2load --h1 -c $CONNS --rps $PER_CLIENT (= $RATE req/s, half of nginx small GET ${base}) -D $DURATION"
    for t in $TARGETS; do   # short warm-up at the rate
        mapfile -t key < <(key_args "$t")
        "${PIN_LOAD[@]}" h2load --h1 -c "$CONNS" -t 1 --rps "$PER_CLIENT" -D 1 "${key[@]}" "$(url_of "$t" small)" > /dev/null 2>&1 || true
    done
    for ((r = 1; r <= ROUNDS; r++)); do
        for t in $TARGETS; do measure run_h2load "$r" "$t"; printf '%s\n' "$ROW" >> "$LAT"; sleep 1; done
    done
}
latstat() {   # latstat TARGET COLUMN -> median over rounds
    awk -F'\t' -v t="$1" -v col="$2" 'NR > 1 && $2 == t && $col != "" {print $col}' "$LAT" | sort -g \
        | awk '{v[NR] = $1} END { if (NR == 0) exit; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

