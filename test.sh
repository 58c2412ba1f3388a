#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine with a JDK 17 and Maven. Every test runs with Netty leak
# detection at paranoid; a LEAK report fails the test class, and this script double-checks the reports.
set -euo pipefail
cd "$(dirname "$0")"

# Tests start real servers and programs from Debian packages; install the ones missing (one apt-get update).
missing=()
need() {   # need PACKAGES... -- COMMANDS...: the packages when any of the commands is missing
  local packages=() arg
  while [[ $1 != -- ]]; do packages+=("$1"); shift; done
  shift
  for arg in "$@"; do
    if ! command -v "$arg" >/dev/null 2>&1; then missing+=("${packages[@]}"); return; fi
  done
}
need redis-server -- redis-server                     # Redis-backed rate limits
need etcd-server etcd-client -- etcd etcdctl          # etcd config source and discovery
need prometheus -- promtool                           # promtool check rules / test rules on deploy/prometheus
need chromium chromium-driver -- /usr/bin/chromium /usr/bin/chromedriver   # the dashboard's browser test
need testssl.sh -- testssl                            # TestsslScanTest grades the HTTPS listener
need openssl -- openssl                               # TLS 1.1/1.0 clients the JDK no longer offers
need curl -- curl                                     # curl --http2 / --http2-prior-knowledge (Http2ClientsTest)
need nghttp2-client -- h2load                         # h2load: many concurrent streams (Http2ClientsTest)
# A package without a command: checked by importing it (Debian's python3, the one the WebSocket test runs).
/usr/bin/python3 -c 'import websockets' >/dev/null 2>&1 || missing+=(python3 python3-websockets)
if (( ${#missing[@]} )); then
  echo "test.sh: installing Debian packages the tests need: ${missing[*]}" >&2
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

mvn -B -ntp verify "$@"

reports=$(ls -d */target/surefire-reports */target/failsafe-reports 2>/dev/null || true)
if [[ -n "$reports" ]] && grep -rl 'LEAK:' --include='*.txt' --include='*.xml' $reports >/dev/null 2>&1; then
  echo "Netty LEAK reports found in:" >&2
  grep -rl 'LEAK:' --include='*.txt' --include='*.xml' $reports >&2
  exit 1
fi
