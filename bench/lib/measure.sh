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
proc_ticks() { local t=0 p; for p in "$@"; do t=$(( t + $(sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}') )); done; echo "$t"; }
proc_rss_kb() { local t=0 p; for p in "$@"; do t=$(( t + $(awk '/^VmRSS:/ {print $2}' "/proc/$p/status") )); done; echo "$t"; }
# Nanoseconds the threads of these processes spent runnable but waiting for a CPU (schedstat run_delay).
proc_wait_ns() { local p; for p in "$@"; do cat /proc/"$p"/task/*/schedstat 2>/dev/null; done | awk '{s += $2} END {printf "%.0f", s}'; }
cpu_busy_idle() { awk -v c="cpu$1" '$1 == c {print $2+$3+$4+$7+$8+$9, $5+$6}' /proc/stat; }   # "busy idle" ticks
CLK_TCK=$(getconf CLK_TCK)
now() { date +%s.%N; }
# Ticks this shell's waited-for children used (wrk / h2load run in the foreground of this shell).
child_ticks() { sed 's/.*) //' "/proc/$$/stat" | awk '{print $14 + $15}'; }
# user+nice+system ticks of all CPUs (no irq/softirq/steal, so it compares with per-process utime+stime).
all_cpu_ticks() { awk '$1 == "cpu" {print $2 + $3 + $4}' /proc/stat; }
one_cpu_ticks() { awk -v c="cpu$1" '$1 == c {print $2 + $3 + $4}' /proc/stat; }
# meas_begin PROXY_PIDS... / meas_end: sets M_PROXY (proxy process CPU, % of one core), M_LOADCORE and
# M_PROXYCORE (busy % of the two pinned cores), M_OTHER (CPU used by anything that is neither the proxy,
# the backend nginx nor the load generator, % of one core: other users of the machine; without proxy PIDs,
# i.e. for "direct", the proxy core is left out, since nothing measured runs there).
meas_begin() {
    M_PIDS=("$@")
    M_TK0=0; M_W0=0; (( $# )) && { M_TK0=$(proc_ticks "$@"); M_W0=$(proc_wait_ns "$@"); }
    M_BK0=$(proc_ticks "$BACKEND_MASTER" "$BACKEND_WORKER"); M_CH0=$(child_ticks); M_ALL0=$(all_cpu_ticks)
    M_PC0=$(one_cpu_ticks "$PROXY_CPU")
    read -r M_L0 M_LI0 < <(cpu_busy_idle "$LOADGEN_CPU"); read -r M_P0 M_PI0 < <(cpu_busy_idle "$PROXY_CPU")
    M_T0=$(now)
}
meas_end() {
    local t1 tk1=0 w1=0 bk1 ch1 all1 l1 li1 p1 pi1
    t1=$(now)
    (( ${#M_PIDS[@]} )) && { tk1=$(proc_ticks "${M_PIDS[@]}"); w1=$(proc_wait_ns "${M_PIDS[@]}"); }
    bk1=$(proc_ticks "$BACKEND_MASTER" "$BACKEND_WORKER"); ch1=$(child_ticks); all1=$(all_cpu_ticks)
    (( ${#M_PIDS[@]} )) || all1=$(( all1 - ($(one_cpu_ticks "$PROXY_CPU") - M_PC0) ))
    read -r l1 li1 < <(cpu_busy_idle "$LOADGEN_CPU"); read -r p1 pi1 < <(cpu_busy_idle "$PROXY_CPU")
    M_PROXY=$(awk -v a="$M_TK0" -v b="$tk1" -v hz="$CLK_TCK" -v s="$M_T0" -v e="$t1" 'BEGIN { printf "%.0f", (b - a) / hz / (e - s) * 100 }')
    M_WAIT=""
    (( ${#M_PIDS[@]} )) && M_WAIT=$(awk -v a="$M_W0" -v b="$w1" -v s="$M_T0" -v e="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 / (e - s) * 100 }')
    M_OTHER=$(awk -v all=$(( all1 - M_ALL0 )) -v ours=$(( tk1 - M_TK0 + bk1 - M_BK0 + ch1 - M_CH0 )) -v hz="$CLK_TCK" -v s="$M_T0" -v e="$t1" \
        'BEGIN { v = (all - ours) / hz / (e - s) * 100; if (v < 0) v = 0; printf "%.0f", v }')
    M_LOADCORE=$(awk -v b0="$M_L0" -v b1="$l1" -v i0="$M_LI0" -v i1="$li1" 'BEGIN { d = (b1 - b0) + (i1 - i0); v = 0; if (d > 0) v = (b1 - b0) / d * 100; printf "%.0f", v }')
    M_PROXYCORE=$(awk -v b0="$M_P0" -v b1="$p1" -v i0="$M_PI0" -v i1="$pi1" 'BEGIN { d = (b1 - b0) + (i1 - i0); v = 0; if (d > 0) v = (b1 - b0) / d * 100; printf "%.0f", v }')
}

# How busy is the machine before we start? Other users' load distorts every number.
busy_now() {   # CPU used by everything over 2 s, % of one core
    local a b
    a=$(all_cpu_ticks); sleep 2; b=$(all_cpu_ticks)
    awk -v d=$(( b - a )) -v hz="$CLK_TCK" 'BEGIN { printf "%.0f", d / hz / 2 * 100 }'
}
