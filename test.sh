#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine with a JDK 17 and Maven. Every test runs with Netty leak
# detection at paranoid; a LEAK report fails the test class, and this script double-checks the reports.
set -euo pipefail
cd "$(dirname "$0")"

mvn -B -ntp verify "$@"

reports=$(ls -d */target/surefire-reports */target/failsafe-reports 2>/dev/null || true)
if [[ -n "$reports" ]] && grep -rl 'LEAK:' --include='*.txt' --include='*.xml' $reports >/dev/null 2>&1; then
  echo "Netty LEAK reports found in:" >&2
  grep -rl 'LEAK:' --include='*.txt' --include='*.xml' $reports >&2
  exit 1
fi
