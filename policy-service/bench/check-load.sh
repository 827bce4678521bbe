#!/usr/bin/env bash
# policy-service Check over gRPC on loopback: latency percentiles at fixed concurrency.
#
# Starts policy-service from its packaged jar on free ports with a fresh data directory and a fresh RSA key, runs
# dev.moat.policy.bench.CheckLoadGenerator (test sources) against it, prints a Markdown table, and stops the
# service again, also on error or Ctrl-C. Kafka is not needed: the change events of the setup wait in the outbox.
#
#   policy-service/bench/check-load.sh [generator options] [--no-build] [--build] [--keep]
#
# Generator options (defaults): --concurrency 1,8,32  --warmup 10  --duration 20  --channels 1
# --no-build  never run Maven (fail if something is missing); --build  always run it;
# default: build when the jar, the test classes or the classpath are missing or older than a source file.
# --keep      keep the run directory (data, keys, service log) under policy-service/target/bench/.
#
# Environment: SERVICE_JVM_OPTS   extra JVM options for policy-service (e.g. -Dmoat.policy.auth.enabled=false
#                                 to measure without token verification)
#              GENERATOR_JVM_OPTS extra JVM options for the load generator
#              JAVA_HOME          use $JAVA_HOME/bin/java
#
# Output: the table on stdout, also saved with the machine description as
# policy-service/target/bench/check-load-<time>.md. See docs/benchmarks.md, "policy-service: Check over gRPC".
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODULE_DIR="$(dirname "$BENCH_DIR")"
ROOT_DIR="$(dirname "$MODULE_DIR")"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAR="$MODULE_DIR/target/quarkus-app/quarkus-run.jar"
GENERATOR_CLASS="$MODULE_DIR/target/test-classes/dev/moat/policy/bench/CheckLoadGenerator.class"
CLASSPATH_FILE="$MODULE_DIR/target/bench/test-classpath.txt"

BUILD=auto
KEEP=false
GEN_ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) BUILD=never; shift ;;
    --build) BUILD=always; shift ;;
    --keep) KEEP=true; shift ;;
    -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) GEN_ARGS+=("$1"); shift ;;
  esac
done

log() { printf 'check-load: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
# shellcheck source=../../deploy/bench/lib.sh
source "$ROOT_DIR/deploy/bench/lib.sh"

for tool in openssl "$JAVA"; do
  command -v "$tool" >/dev/null || die "$tool is required"
done

# --- build --------------------------------------------------------------------------------------------------------
build_module "$BUILD" policy-service "$CLASSPATH_FILE" "$JAR" "$GENERATOR_CLASS"

# --- run directory, key pair, ports ---------------------------------------------------------------------------
SERVICE_PID=""
stop_processes() { stop_pid policy-service "$SERVICE_PID" 20; }
bench_run_dir
FAILURE_LOGS=("$RUN_DIR/policy-service.log")

free_port GRPC_PORT
free_port HTTP_PORT

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$RUN_DIR/private.pem" 2>/dev/null
openssl pkey -in "$RUN_DIR/private.pem" -pubout -out "$RUN_DIR/public.pem"

# --- start policy-service -------------------------------------------------------------------------------------
# shellcheck disable=SC2086 # SERVICE_JVM_OPTS is a list of options
"$JAVA" -Xmx512m ${SERVICE_JVM_OPTS:-} \
  -Dmoat.data-dir="$RUN_DIR/data" \
  -Dmoat.policy.auth.public-key-location="$RUN_DIR/public.pem" \
  -Dquarkus.grpc.server.port="$GRPC_PORT" -Dquarkus.http.port="$HTTP_PORT" \
  -Dkafka.bootstrap.servers=127.0.0.1:1 \
  -jar "$JAR" > "$RUN_DIR/policy-service.log" 2>&1 < /dev/null &
SERVICE_PID=$!
log "policy-service pid $SERVICE_PID, gRPC 127.0.0.1:$GRPC_PORT, HTTP 127.0.0.1:$HTTP_PORT, run dir $RUN_DIR"

await_port policy-service "$SERVICE_PID" "$GRPC_PORT"
log "gRPC port open"

# --- run the generator ----------------------------------------------------------------------------------------
result_header check-load policy-service proto
{
  echo "# service JVM options: -Xmx512m ${SERVICE_JVM_OPTS:-}"
  echo "# generator options: ${GEN_ARGS[*]:-(defaults)}"
} | tee -a "$RESULT"

status=0
# shellcheck disable=SC2086 # GENERATOR_JVM_OPTS is a list of options
run_child "$RUN_DIR/generator.out" /dev/stderr "$JAVA" -Xmx256m ${GENERATOR_JVM_OPTS:-} \
  -cp "$MODULE_DIR/target/test-classes:$(cat "$CLASSPATH_FILE")" \
  dev.moat.policy.bench.CheckLoadGenerator \
  --host 127.0.0.1 --port "$GRPC_PORT" --private-key "$RUN_DIR/private.pem" --server-pid "$SERVICE_PID" \
  "${GEN_ARGS[@]}" || status=$?
tee -a "$RESULT" < "$RUN_DIR/generator.out"
echo "# uptime after: $(uptime)" | tee -a "$RESULT"
log "result saved as $RESULT"
exit "$status"
