#!/usr/bin/env bash
# WebSocket echo throughput: messages per second over CONNECTIONS WebSockets, each keeping WINDOW small text
# messages in flight, straight to a Netty echo backend and through Gatehouse (the fat jar, route /ws with
# websocket: true), in one run. The load tool and the backend are one Java main in gateway-core's test sources
# (io.gatehouse.bench.WebSocketEchoLoad); they share CPU 0, Gatehouse runs alone on CPU 1 with run.sh's JVM flags.
# The two targets alternate for ROUNDS rounds (default 2), after a warm-up second each time.
#   bench/websocket.sh                                   # 64 connections x 8 in flight, 32-byte messages, 10 s each
#   CONNECTIONS=256 WINDOW=1 SECONDS=5 MESSAGE_BYTES=1024 bench/websocket.sh
# Ports: GATEWAY_PORT (19281), BACKEND_PORT (19291). Needs a JDK and Maven (offline is enough once built).
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${CONNECTIONS:-64}
WINDOW=${WINDOW:-8}
# bash's own SECONDS (seconds since the shell started; set from the environment when exported) is never unset, so
# ${SECONDS:-10} would be 0 when the caller sets nothing.
SECONDS_EACH=$SECONDS; (( SECONDS_EACH > 0 )) || SECONDS_EACH=10
MESSAGE_BYTES=${MESSAGE_BYTES:-32}
ROUNDS=${ROUNDS:-2}
GATEWAY_PORT=${GATEWAY_PORT:-19281}
BACKEND_PORT=${BACKEND_PORT:-19291}
GATEHOUSE_JAR=${GATEHOUSE_JAR:-gateway-server/target/gatehouse.jar}
GATEHOUSE_JVM_FLAGS=${GATEHOUSE_JVM_FLAGS:-"-XX:+UseSerialGC -Xms64m -Xmx64m -XX:MaxDirectMemorySize=64m -Xss512k -XX:ActiveProcessorCount=1 -XX:+AlwaysPreTouch"}
MVN=${MVN:-mvn}   # e.g. MVN="mvn -o" offline
die() { echo "websocket.sh: $*" >&2; exit 1; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

[[ -f $GATEHOUSE_JAR ]] || $MVN -q -B -DskipTests -Dcds.skip package
for port in "$GATEWAY_PORT" "$BACKEND_PORT"; do ! port_open "$port" || die "port $port is taken"; done
$MVN -q -B -pl gateway-core test-compile
work=$(mktemp -d)
$MVN -q -B -pl gateway-core dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt"

PIN_LOAD=() PIN_PROXY=()
if command -v taskset >/dev/null && (( $(nproc) >= 2 )); then PIN_LOAD=(taskset -c 0) PIN_PROXY=(taskset -c 1); fi

cat > "$work/gatehouse.yml" <<YAML
server: {host: 127.0.0.1, port: $GATEWAY_PORT, shutdown_grace: 1s}
routes:
  - {id: ws, match: {path_prefix: /ws}, upstream: "http://127.0.0.1:$BACKEND_PORT", websocket: true}
YAML
gateway_pid=
cleanup() {
  [[ -z $gateway_pid ]] || kill -TERM "$gateway_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# shellcheck disable=SC2086   # GATEHOUSE_JVM_FLAGS is a list of flags
GATEHOUSE_ACCESS_LOG_LEVEL=OFF "${PIN_PROXY[@]}" java $GATEHOUSE_JVM_FLAGS -jar "$GATEHOUSE_JAR" \
    --config "$work/gatehouse.yml" > "$work/gatehouse.log" 2>&1 &
gateway_pid=$!

echo "WebSocket echo, $MESSAGE_BYTES-byte text messages, ${SECONDS_EACH}s per target ($(date -u +%FT%TZ))"
"${PIN_LOAD[@]}" java -Xmx512m -cp "gateway-core/target/test-classes:gateway-core/target/classes:$(cat "$work/cp.txt")" \
    io.gatehouse.bench.WebSocketEchoLoad "$BACKEND_PORT" "$GATEWAY_PORT" "$CONNECTIONS" "$WINDOW" \
    "$SECONDS_EACH" "$MESSAGE_BYTES" "$ROUNDS" || { cat "$work/gatehouse.log" >&2; exit 1; }
