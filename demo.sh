#!/usr/bin/env bash
# Builds Gatehouse and starts the demo: two user-service instances, the inventory service and the gateway with
# ./config.yml. Ctrl-C stops all of them.
#   ports: GATEWAY_PORT (8081), USERS_1_PORT (9001), USERS_2_PORT (9003), INVENTORY_PORT (9002), ADMIN_PORT
#          (9901: the admin API and dashboard, on 127.0.0.1); config.yml reads the same variables. A port already in use stops the demo before anything starts.
#   SKIP_BUILD=1 starts the jars already built.
# Exits non-zero, naming the cause, when a port is taken or a process dies while starting; once up, it stops
# everything and exits non-zero if any of its processes dies.
set -euo pipefail
cd "$(dirname "$0")"

export GATEWAY_PORT="${GATEWAY_PORT:-8081}" USERS_1_PORT="${USERS_1_PORT:-9001}" \
       USERS_2_PORT="${USERS_2_PORT:-9003}" INVENTORY_PORT="${INVENTORY_PORT:-9002}" ADMIN_PORT="${ADMIN_PORT:-9901}"
PORT_VARS=(USERS_1_PORT USERS_2_PORT INVENTORY_PORT GATEWAY_PORT ADMIN_PORT)
STARTUP_SECONDS=60

die() { echo "demo.sh: $*" >&2; exit 1; }
# bash's /dev/tcp: no curl or ss needed on a fresh machine.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------- every port free, before building anything
declare -A port_owner=()
for var in "${PORT_VARS[@]}"; do
  port=${!var}
  [[ $port =~ ^[0-9]{1,5}$ ]] && (( port >= 1 && port <= 65535 )) || die "$var=$port is not a port (expected 1-65535)"
  [[ -z ${port_owner[$port]:-} ]] || die "$var and ${port_owner[$port]} are both $port"
  port_owner[$port]=$var
  if port_open "$port"; then
    die "port $port ($var) is already in use, by another demo or something else: stop it or set $var to a free port"
  fi
done

if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  echo "==> building (mvn package, tests skipped; run ./test.sh for the suite)"
  mvn -q -B -DskipTests package
fi
samples=sample-services/target/sample-services.jar
gateway=gateway-server/target/gatehouse.jar
for jar in "$samples" "$gateway"; do
  [[ -f $jar ]] || die "$jar is missing: build it (run ./demo.sh without SKIP_BUILD=1)"
done

# ---------------------------------------------------------------- the processes
pids=(); names=(); ports=()
stop_all() {
  (( ${#pids[@]} )) || return 0
  echo
  echo "==> stopping the demo"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start() {   # start NAME PORT COMMAND...: runs COMMAND in the background (bash execs it, so $! is its PID)
  local name=$1 port=$2
  shift 2
  "$@" &
  pids+=($!); names+=("$name"); ports+=("$port")
}

# Whether PID holds the socket listening on PORT: a listener found in /proc/net/tcp{,6} among PID's open files.
# Without /proc (not Linux) the port answering while PID lives is taken as proof.
owns_listener() {   # owns_listener PID PORT
  [[ -r /proc/net/tcp ]] || return 0
  local inode
  for inode in $(awk -v port="$(printf ':%04X' "$2")" '$4 == "0A" && substr($2, length($2) - 4) == port { print $10 }' \
                   /proc/net/tcp /proc/net/tcp6 2>/dev/null); do
    [[ -n $(find "/proc/$1/fd" -lname "socket:\[$inode\]" -print -quit 2>/dev/null) ]] && return 0
  done
  return 1
}

wait_listening() {   # wait_listening INDEX: until that process listens on its port; dies if it exits or never does
  local name=${names[$1]} pid=${pids[$1]} port=${ports[$1]} status
  for _ in $(seq 1 $(( STARTUP_SECONDS * 5 ))); do
    if ! kill -0 "$pid" 2>/dev/null; then
      status=0; wait "$pid" || status=$?
      die "$name exited while starting (status $status), see its message above"
    fi
    if port_open "$port"; then
      owns_listener "$pid" "$port" || die "port $port answers, but not from $name (pid $pid): something else took it"
      return 0
    fi
    sleep 0.2
  done
  die "$name did not listen on port $port within $STARTUP_SECONDS s"
}

start users-1 "$USERS_1_PORT" java -jar "$samples" users --port "$USERS_1_PORT" --name users-1
start users-2 "$USERS_2_PORT" java -jar "$samples" users --port "$USERS_2_PORT" --name users-2
start inventory-1 "$INVENTORY_PORT" java -jar "$samples" inventory --port "$INVENTORY_PORT" --name inventory-1
for i in "${!pids[@]}"; do wait_listening "$i"; done
# The gateway last: its first health checks would mark services that are still starting down for a few seconds.
# With the class-data-sharing archive mvn package writes next to the jar it starts about twice as fast.
cds=()
[[ -f ${gateway%.jar}.jsa ]] && cds=("-XX:SharedArchiveFile=${gateway%.jar}.jsa")
start gateway "$GATEWAY_PORT" java -XX:+UseSerialGC -Xmx256m "${cds[@]}" -jar "$gateway" --config config.yml
wait_listening $(( ${#pids[@]} - 1 ))

cat <<TXT

==> Gatehouse is up on http://localhost:$GATEWAY_PORT  (Ctrl-C stops everything)
    curl -i localhost:$GATEWAY_PORT/users                 # twice: X-Served-By alternates users-1 / users-2
    curl -i localhost:$GATEWAY_PORT/inventory/1
    curl -i -X DELETE localhost:$GATEWAY_PORT/inventory/1                                         # 401: needs an API key
    curl -i -X DELETE localhost:$GATEWAY_PORT/inventory/1 -H 'X-API-Key: demo-key-change-me-0123456789'
    curl -s localhost:$GATEWAY_PORT/metrics | grep gatehouse_
    dashboard: http://127.0.0.1:$ADMIN_PORT/  (token: ${GATEHOUSE_ADMIN_TOKEN:-demo-admin-token-change-me})
    (users-1 and users-2 keep separate in-memory data: a user POSTed to one is not found on the other)
TXT

# Up: the demo lives as long as all of its processes do.
status=0
wait -n || status=$?
for i in "${!pids[@]}"; do
  kill -0 "${pids[$i]}" 2>/dev/null || echo "demo.sh: ${names[$i]} (pid ${pids[$i]}) exited; stopping the demo" >&2
done
exit $(( status == 0 ? 1 : status ))
