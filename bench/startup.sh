#!/usr/bin/env bash
# Startup time of the fat jar: from launching `java -jar gatehouse.jar` with the demo config (./config.yml) to
# the first 200 proxied from /users, RUNS times (default 3), then the median. The sample services start once,
# before the first run; the gateway starts afresh each run, with demo.sh's JVM flags plus any given here:
#   bench/startup.sh                                  # as ./demo.sh starts it: with the class-data-sharing archive
#                                                     # mvn package writes (gateway-server/target/gatehouse.jsa)
#   CDS_ARCHIVE=none bench/startup.sh                 # without any archive of the gateway's classes
#   CDS_ARCHIVE=/tmp/gatehouse.jsa bench/startup.sh   # with that archive: an untimed run of the measured start
#                                                     # writes it first when the file is missing
# It also prints the CPU time the gateway process had used by then (user + system, from /proc), which a busy
# machine disturbs less than the wall-clock time, and that of its main thread and of its JIT compiler threads.
# GATEWAY_JAR=/tmp/old/gatehouse.jar measures another build (and the .jsa next to it, if any). An archive fits
# only the JVM and the jar path it was written with: a copied jar needs its own
# (java -XX:ArchiveClassesAtExit=/tmp/old/gatehouse.jsa -jar /tmp/old/gatehouse.jar --train).
# Ports: GATEWAY_PORT (19081), USERS_1_PORT (19091), USERS_2_PORT (19093), INVENTORY_PORT (19092). Needs curl.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
export GATEWAY_PORT="${GATEWAY_PORT:-19081}" USERS_1_PORT="${USERS_1_PORT:-19091}" \
       USERS_2_PORT="${USERS_2_PORT:-19093}" INVENTORY_PORT="${INVENTORY_PORT:-19092}"
samples=sample-services/target/sample-services.jar
gateway=${GATEWAY_JAR:-gateway-server/target/gatehouse.jar}
die() { echo "startup.sh: $*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

for jar in "$samples" "$gateway"; do [[ -f $jar ]] || die "$jar is missing: mvn -DskipTests package"; done
for var in GATEWAY_PORT USERS_1_PORT USERS_2_PORT INVENTORY_PORT; do
  ! port_open "${!var}" || die "port ${!var} ($var) is already in use"
done

pids=()
trap 'for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
java -jar "$samples" users --port "$USERS_1_PORT" --name users-1 >/dev/null & pids+=($!)
java -jar "$samples" users --port "$USERS_2_PORT" --name users-2 >/dev/null & pids+=($!)
java -jar "$samples" inventory --port "$INVENTORY_PORT" --name inventory-1 >/dev/null & pids+=($!)
for port in "$USERS_1_PORT" "$USERS_2_PORT" "$INVENTORY_PORT"; do
  for _ in $(seq 300); do port_open "$port" && break; sleep 0.1; done
  port_open "$port" || die "a sample service did not listen on $port"
done

log=$(mktemp)
# One gateway start until its first proxied 200; sets ELAPSED_MS and CPU_MS, then stops it.
start_once() {
  local start pid
  start=$(now_ms)
  java -XX:+UseSerialGC -Xmx256m "$@" -jar "$gateway" --config config.yml >/dev/null 2>"$log" &
  pid=$!
  until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$GATEWAY_PORT/users") == 200 ]]; do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; die "the gateway exited"; }
    sleep 0.01
  done
  ELAPSED_MS=$(( $(now_ms) - start ))
  ! grep -q 'Unable to use shared archive' "$log" ||
    echo "startup.sh: the JVM did not use the archive (written for another JVM or jar path?)" >&2
  CPU_MS=$(( $(sed 's/.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}') * 1000 / $(getconf CLK_TCK) ))
  thread_cpu_ms() { # CPU of the gateway's threads named like $1 (the main thread is "java", the JIT's "C1/C2 Compi...")
    local task sum=0
    for task in /proc/"$pid"/task/*; do
      [[ $(cat "$task/comm") == $1 ]] && sum=$(( sum + $(sed 's/.*) //' "$task/stat" | awk '{print $12 + $13}') ))
    done
    echo $(( sum * 1000 / $(getconf CLK_TCK) ))
  }
  MAIN_MS=$(thread_cpu_ms java); JIT_MS=$(thread_cpu_ms 'C[12] Compi*')
  kill -TERM "$pid"; wait "$pid" || true
}

flags=("$@")
case ${CDS_ARCHIVE:-} in
  none) CDS_ARCHIVE= ;;
  '') [[ -f ${gateway%.jar}.jsa ]] && CDS_ARCHIVE=${gateway%.jar}.jsa ;;
esac
if [[ -n $CDS_ARCHIVE ]]; then
  [[ -f $CDS_ARCHIVE ]] || { start_once "${flags[@]}" -XX:ArchiveClassesAtExit="$CDS_ARCHIVE"; echo "wrote $CDS_ARCHIVE"; }
  flags+=(-XX:SharedArchiveFile="$CDS_ARCHIVE")
fi
times=(); cpus=(); mains=(); jits=()
for run in $(seq "$RUNS"); do
  start_once "${flags[@]}"
  times+=("$ELAPSED_MS"); cpus+=("$CPU_MS"); mains+=("$MAIN_MS"); jits+=("$JIT_MS")
  echo "run $run: $ELAPSED_MS ms (gateway CPU $CPU_MS ms: main thread $MAIN_MS, JIT $JIT_MS;" \
       "load average $(cut -d' ' -f1 /proc/loadavg))"
done
rm -f "$log"
median() { printf '%s\n' "$@" | sort -n | awk '{ t[NR] = $1 } END { print t[int((NR + 1) / 2)] }'; }
echo "median of $RUNS: $(median "${times[@]}") ms to the first proxied 200, $(median "${cpus[@]}") ms of gateway CPU" \
     "(main thread $(median "${mains[@]}"), JIT $(median "${jits[@]}"); archive: ${CDS_ARCHIVE:-none})"
