#!/usr/bin/env bash
# The what-if of a rule change over a week of stored traffic: a vault with --origins distinct client addresses
# (--events requests each, spread over the last 7 days, published to Kafka as vault-service publishes them and
# stored by audit-service), then --runs timed POST /api/v1/vaults/{vault}/what-if (after one warm-up run).
# Starts its own local stack (free ports, data under deploy/target/bench/) and stops it on exit.
#
#   deploy/bench/what-if.sh [--origins 10000] [--events 10] [--runs 5] [--no-build]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ORIGINS=10000
EVENTS=10
RUNS=5
BUILD=1
while [[ $# -gt 0 ]]; do
  case "$1" in
    --origins) ORIGINS="$2"; shift 2 ;;
    --events) EVENTS="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

cd "$ROOT"
log() { printf 'what-if: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=lib.sh
source deploy/bench/lib.sh
deploy_test_classpath "$BUILD"

stack_up what-if

echo "# what-if $(date -u +%Y%m%dT%H%M%SZ), commit $(git rev-parse --short HEAD), $(nproc) CPUs"
echo "# uptime before: $(uptime)"
echo "| origins | events | runs | min | median | max | answer |"
echo "|---:|---:|---:|---:|---:|---:|---|"
java -cp "$CP" dev.moat.system.bench.WhatIfBenchmark "$DATA" "$VAULT_PORT" "$AUDIT_PORT" "$KAFKA_PORT" \
  "$ORIGINS" "$EVENTS" "$RUNS" "$AUDIT_MANAGEMENT_PORT"
echo "# uptime after: $(uptime)"
