# Sourced by bench/run.sh: process checks and CPU / RSS / wait measurements of the processes it started.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {   # wait_port PORT PID NAME LOGFILE
    for _ in $(seq 300); do
        port_open "$1" && return 0
        kill -0 "$2" 2>/dev/null || { tail -n 30 "$4" >&2 || true; die "$3 exited before listening on :$1 (log: $4)"; }
        sleep 0.1
    done
    tail -n 30 "$4" >&2 || true
    die "$3 did not listen on :$1 within 30 s (log: $4)"
}
# The readers below use shell builtins only (no sed / awk / date): a fork costs 50-100 ms on a busy machine, and
# the harness reads these around every run.
proc_ticks() {   # proc_ticks VAR PIDS...: utime+stime ticks of these processes, summed, into VAR
    local -n _ticks=$1; shift
    local p line; local -a f
    _ticks=0
    for p in "$@"; do
        read -r line < "/proc/$p/stat"; read -r -a f <<< "${line##*") "}"   # fields after "(comm) "
        _ticks=$(( _ticks + f[11] + f[12] ))
    done
}
proc_jit_ticks() {   # proc_jit_ticks VAR PIDS...: utime+stime ticks of the JVM's JIT compiler threads (C1/C2), into VAR
    local -n _jit=$1; shift
    local p t comm line; local -a f
    _jit=0
    for p in "$@"; do
        for t in /proc/"$p"/task/*; do
            { read -r comm < "$t/comm"; } 2>/dev/null || continue
            [[ $comm == "C1 Compiler"* || $comm == "C2 Compiler"* ]] || continue
            { read -r line < "$t/stat"; } 2>/dev/null || continue   # a compiler thread may end meanwhile
            read -r -a f <<< "${line##*") "}"
            _jit=$(( _jit + f[11] + f[12] ))
        done
    done
}
proc_rss_kb() {   # proc_rss_kb VAR PIDS...: VmRSS of these processes, summed, in KiB, into VAR
    local -n _rss=$1; shift
    local p k v
    _rss=0
    for p in "$@"; do
        while read -r k v _; do
            if [[ $k == VmRSS: ]]; then _rss=$(( _rss + v )); break; fi
        done < "/proc/$p/status"
    done
}
proc_wait_ns() {   # proc_wait_ns VAR PIDS...: ns their threads spent runnable but waiting for a CPU (run_delay)
    local -n _wait=$1; shift
    local p f d
    _wait=0
    for p in "$@"; do
        for f in /proc/"$p"/task/*/schedstat; do
            if { read -r _ d _ < "$f"; } 2>/dev/null; then _wait=$(( _wait + d )); fi   # a thread may end meanwhile
        done
    done
}
child_ticks() {   # child_ticks VAR: ticks this shell's waited-for children used (wrk / h2load run in its foreground)
    local -n _child=$1
    local line; local -a f
    read -r line < "/proc/$$/stat"; read -r -a f <<< "${line##*") "}"
    _child=$(( f[13] + f[14] ))
}
# cpu_ticks PREFIX: from one read of /proc/stat, sets PREFIX_ALL (user+nice+system ticks of all CPUs: no
# irq/softirq/steal, so it compares with per-process utime+stime), PREFIX_PCPU (the same for the proxy's core),
# and PREFIX_LBUSY PREFIX_LIDLE PREFIX_PBUSY PREFIX_PIDLE (busy and idle ticks of the load generator's and the
# proxy's cores).
cpu_ticks() {
    local name u n sy id io irq sirq steal _
    while read -r name u n sy id io irq sirq steal _; do
        case $name in
            cpu) printf -v "$1_ALL" %s $(( u + n + sy )) ;;
            "cpu$LOADGEN_CPU") printf -v "$1_LBUSY" %s $(( u + n + sy + irq + sirq + steal )); printf -v "$1_LIDLE" %s $(( id + io )) ;;
            "cpu$PROXY_CPU") printf -v "$1_PBUSY" %s $(( u + n + sy + irq + sirq + steal )); printf -v "$1_PIDLE" %s $(( id + io ))
                printf -v "$1_PCPU" %s $(( u + n + sy )) ;;
            cpu*) ;;
            *) break ;;
        esac
    done < /proc/stat
}
CLK_TCK=$(getconf CLK_TCK)
# meas_begin PROXY_PIDS... / meas_end: sets M_PROXY (proxy process CPU, % of one core, one decimal), M_JIT (the part
# of it the JVM's JIT compiler threads used: code still being compiled during the run, e.g. after a short warm-up), M_WAIT (its threads'
# wait for a CPU, % of the run), M_LOADCORE and M_PROXYCORE (busy % of the two pinned cores), M_OTHER (CPU used
# by anything that is neither the proxy, the backend nginx nor the load generator, % of one core: other users of
# the machine; without proxy PIDs, i.e. for "direct", the proxy core is left out, since nothing measured runs there).
meas_begin() {
    M_PIDS=("$@")
    M_TK0=0; M_W0=0; M_J0=0
    if (( $# )); then proc_ticks M_TK0 "$@"; proc_wait_ns M_W0 "$@"; proc_jit_ticks M_J0 "$@"; fi
    proc_ticks M_BK0 "$BACKEND_MASTER" "$BACKEND_WORKER"; child_ticks M_CH0; cpu_ticks C0
    M_T0=$EPOCHREALTIME
}
meas_end() {
    local t1=$EPOCHREALTIME tk1=0 w1=0 j1=0 bk1 ch1 all
    if (( ${#M_PIDS[@]} )); then proc_ticks tk1 "${M_PIDS[@]}"; proc_wait_ns w1 "${M_PIDS[@]}"; proc_jit_ticks j1 "${M_PIDS[@]}"; fi
    proc_ticks bk1 "$BACKEND_MASTER" "$BACKEND_WORKER"; child_ticks ch1; cpu_ticks C1
    all=$(( C1_ALL - C0_ALL ))
    (( ${#M_PIDS[@]} )) || all=$(( all - (C1_PCPU - C0_PCPU) ))
    read -r M_PROXY M_WAIT M_OTHER M_LOADCORE M_PROXYCORE M_JIT < <(awk -v hz="$CLK_TCK" -v s="$M_T0" -v e="$t1" \
        -v tk=$(( tk1 - M_TK0 )) -v w=$(( w1 - M_W0 )) -v jit=$(( j1 - M_J0 )) -v pids=${#M_PIDS[@]} -v all="$all" \
        -v ours=$(( tk1 - M_TK0 + bk1 - M_BK0 + ch1 - M_CH0 )) \
        -v lb=$(( C1_LBUSY - C0_LBUSY )) -v li=$(( C1_LIDLE - C0_LIDLE )) -v pb=$(( C1_PBUSY - C0_PBUSY )) -v pi=$(( C1_PIDLE - C0_PIDLE )) '
        function pct(b, i) { return (b + i > 0) ? b / (b + i) * 100 : 0 }
        BEGIN {
            d = e - s; other = (all - ours) / hz / d * 100; if (other < 0) other = 0
            printf "%.1f %s %.0f %.0f %.0f %.1f\n", tk / hz / d * 100, pids ? sprintf("%.1f", w / 1e9 / d * 100) : "-", other, pct(lb, li), pct(pb, pi), jit / hz / d * 100
        }')
    [[ $M_WAIT == - ]] && M_WAIT=""
    return 0
}

# How busy is the machine before we start? Other users' load distorts every number.
busy_now() {   # CPU used by everything over 2 s, % of one core
    cpu_ticks B0; sleep 2; cpu_ticks B1
    awk -v d=$(( B1_ALL - B0_ALL )) -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", d / hz / 2 * 100 }'
}
