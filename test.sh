#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine with a JDK 17 and Maven. Every test runs with Netty leak
# detection at paranoid; a LEAK report fails the test class, and this script double-checks the reports.
set -euo pipefail
cd "$(dirname "$0")"

# The Redis-backed rate-limit tests start a real redis-server (Debian package) on a free port.
if ! command -v redis-server >/dev/null 2>&1; then
  echo "test.sh: installing redis-server (Debian package) for the Redis rate-limit tests" >&2
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
fi

# The etcd config-source and discovery tests start a real etcd (Debian packages etcd-server, etcd-client).
if ! command -v etcd >/dev/null 2>&1 || ! command -v etcdctl >/dev/null 2>&1; then
  echo "test.sh: installing etcd-server and etcd-client (Debian packages) for the etcd tests" >&2
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq etcd-server etcd-client >/dev/null
fi

# The alert-rule tests run promtool (Debian package prometheus): promtool check rules, promtool test rules.
if ! command -v promtool >/dev/null 2>&1; then
  echo "test.sh: installing prometheus (Debian package) for promtool, which the alert-rule tests run" >&2
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq prometheus >/dev/null
fi

# The dashboard test drives a real headless Chromium (Debian packages chromium, chromium-driver); never a downloaded one.
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  echo "test.sh: installing chromium and chromium-driver (Debian packages) for the dashboard browser test" >&2
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi

mvn -B -ntp verify "$@"

reports=$(ls -d */target/surefire-reports */target/failsafe-reports 2>/dev/null || true)
if [[ -n "$reports" ]] && grep -rl 'LEAK:' --include='*.txt' --include='*.xml' $reports >/dev/null 2>&1; then
  echo "Netty LEAK reports found in:" >&2
  grep -rl 'LEAK:' --include='*.txt' --include='*.xml' $reports >&2
  exit 1
fi
