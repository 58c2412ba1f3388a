#!/usr/bin/env bash
# Builds Gatehouse and starts the demo: two user-service instances (9001, 9003), the inventory service (9002)
# and the gateway on 8081 with ./config.yml. Ctrl-C stops all of them.
set -euo pipefail
cd "$(dirname "$0")"

if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  echo "==> building (mvn package, tests skipped; run ./test.sh for the suite)"
  mvn -q -B -DskipTests package
fi

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "==> stopping the demo"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all INT TERM EXIT

samples=sample-services/target/sample-services.jar
java -jar "$samples" users --port 9001 --name users-1 & pids+=($!)
java -jar "$samples" users --port 9003 --name users-2 & pids+=($!)
java -jar "$samples" inventory --port 9002 --name inventory-1 & pids+=($!)

GATEWAY_CONFIG=config.yml java -XX:+UseSerialGC -Xmx256m -jar gateway-server/target/gatehouse.jar & pids+=($!)

# Wait until the gateway accepts connections (bash's /dev/tcp: no curl needed on a fresh machine).
for _ in $(seq 1 100); do
  (exec 3<>/dev/tcp/127.0.0.1/8081) 2>/dev/null && break
  sleep 0.2
done
cat <<'TXT'

==> Gatehouse is up on http://localhost:8081  (Ctrl-C stops everything)
    curl -i localhost:8081/users                 # twice: X-Served-By alternates users-1 / users-2
    curl -i localhost:8081/inventory/1
    curl -i -X DELETE localhost:8081/inventory/1                                         # 401: needs an API key
    curl -i -X DELETE localhost:8081/inventory/1 -H 'X-API-Key: demo-key-change-me-0123456789'
    curl -s localhost:8081/metrics | grep gatehouse_
TXT
wait
