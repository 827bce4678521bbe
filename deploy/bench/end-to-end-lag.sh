#!/usr/bin/env bash
# End-to-end audit lag: data-plane requests to vault-service at steady rates, each timed from sending the request
# to the first 200 of audit-service's GET /api/v1/decisions/{decision id}. Starts its own local stack (free ports,
# data under deploy/target/bench/) and stops it on exit, also on error or Ctrl-C.
#
#   deploy/bench/end-to-end-lag.sh [--rates 20,100,1000] [--seconds 30] [--warm-up 15] [--warm-up-rate 200] [--no-build]
#
# Requests are sent asynchronously at their scheduled times (at most 32 pending); about 25 a second are timed (each
# looked up 50 ms after its answer, then every 50 ms until found, by two threads), and every
# request's decision is looked up at the end (a missing one counts as lost). A warm-up (15 s at 200/s unless told) is
# not reported; a stack that runs warm is measured with --warm-up 60 --warm-up-rate 1000.
# Under each rate, a second line gives audit-service's own histogram of the decisions stored during it (from each
# decision's time to the commit that made it queryable, all of them, no polling): bucket bounds at p50, p90, p99.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RATES=20,100,1000
SECONDS_PER_RATE=30
WARM_UP=15
WARM_UP_RATE=200
BUILD=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --rates) RATES="$2"; shift 2 ;;
    --seconds) SECONDS_PER_RATE="$2"; shift 2 ;;
    --warm-up) WARM_UP="$2"; shift 2 ;;
    --warm-up-rate) WARM_UP_RATE="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

cd "$ROOT"
log() { printf 'end-to-end-lag: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=lib.sh
source deploy/bench/lib.sh
deploy_test_classpath "$BUILD"

stack_up e2e

echo "# end-to-end-lag $(date -u +%Y%m%dT%H%M%SZ), commit $(git rev-parse --short HEAD), $(nproc) CPUs"
echo "# uptime before: $(uptime)"
echo "# warm-up: ${WARM_UP} s at ${WARM_UP_RATE}/s, not reported"
echo "| rate | duration | requests | timed | lost or failed | p50 | p90 | p99 | p99.9 | max |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
# warm-up, not reported: JIT, connection pools, audit-service's first fetch of the issuer's keys
java -Djdk.httpclient.allowRestrictedHeaders=host -cp "$CP" dev.moat.system.bench.EndToEndLag \
  "$DATA" "$VAULT_PORT" "$AUDIT_PORT" "$WARM_UP_RATE" "$WARM_UP" > /dev/null
IFS=, read -r -a rates <<< "$RATES"
for rate in "${rates[@]}"; do
  java -Djdk.httpclient.allowRestrictedHeaders=host -cp "$CP" dev.moat.system.bench.EndToEndLag \
    "$DATA" "$VAULT_PORT" "$AUDIT_PORT" "$rate" "$SECONDS_PER_RATE" "$AUDIT_MANAGEMENT_PORT"
done
echo "# uptime after: $(uptime)"
