#!/usr/bin/env bash
# audit-service ingest: sustained rate from Kafka into the store, and lag from publish to queryable.
#
# Starts a single-node KRaft Kafka broker from deploy/target/kafka-libs (configured as deploy/moat does) and
# audit-service from its packaged jar, both on free ports with a fresh data directory under
# audit-service/target/bench/, creates the topics, runs dev.moat.audit.bench.IngestBenchmark (test sources), prints
# Markdown tables and stops both processes again, also on error or Ctrl-C.
#
#   audit-service/bench/ingest.sh [benchmark options] [--store h2|postgresql] [--no-build] [--build] [--keep]
#
# With --events N (> 0): a backlog drain (N events published before audit-service starts), a warm drain (N more
# published while the service, warm from the first, is paused with SIGSTOP; resumed on them), then the live bulk.
#
# Benchmark options (defaults): --events 100000 (backlog drain and live bulk; 0 skips both)  --rates 200,1000 (steady phases; ''
# skips them)  --steady-seconds 30  --samples-per-second 10  --poll-interval-ms 5  --vaults 20  --partitions 1
# --ids time-ordered (event ids as the services make them, version 7 UUIDs; random: version 4, as before)
# --no-build  never run Maven (fail if something is missing); --build  always run it;
# default: build when the jar, the test classes or the classpath are missing or older than a source file, and
# build deploy/target/kafka-libs when it is missing.
# --keep      keep the run directory (data, service and broker logs).
# --store     audit-service's store: h2 (the embedded default, a file database) or postgresql (the production store:
#             a PostgreSQL server from the binaries deploy/moat runs, deploy/target/postgres-dist, on a free port
#             with a fresh cluster in the run directory; as root it runs in a user namespace, as deploy/moat does).
#
# Environment: AUDIT_JVM_OPTS  extra JVM options for audit-service (e.g. -Dmoat.audit.consumer.max-poll-records=2000)
#              BENCH_JVM_OPTS  extra JVM options for the benchmark client
#              AUDIT_JAR       the audit-service to measure (default target/quarkus-app/quarkus-run.jar): a copy of
#                              another build's quarkus-app directory, to compare two commits side by side
#              JAVA_HOME       use $JAVA_HOME/bin/java
#
# Output: the tables on stdout, also saved with the machine description as
# audit-service/target/bench/ingest-<time>.md. See docs/benchmarks.md, "audit-service: ingest".
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODULE_DIR="$(dirname "$BENCH_DIR")"
ROOT_DIR="$(dirname "$MODULE_DIR")"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAR="${AUDIT_JAR:-$MODULE_DIR/target/quarkus-app/quarkus-run.jar}"
BENCH_CLASS="$MODULE_DIR/target/test-classes/dev/moat/audit/bench/IngestBenchmark.class"
CLASSPATH_FILE="$MODULE_DIR/target/bench/test-classpath.txt"
KAFKA_LIBS="$ROOT_DIR/deploy/target/kafka-libs"
KAFKA_LOG4J="$ROOT_DIR/deploy/src/main/resources/kafka/log4j2.xml"

BUILD=auto
KEEP=false
STORE=h2
BENCH_ARGS=()
PARTITIONS=1
EVENTS=100000
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) BUILD=never; shift ;;
    --build) BUILD=always; shift ;;
    --keep) KEEP=true; shift ;;
    --store) STORE="${2:?--store needs a value}"; shift 2 ;;
    --partitions) PARTITIONS="${2:?--partitions needs a value}"; shift 2 ;;
    --events) EVENTS="${2:?--events needs a value}"; BENCH_ARGS+=("$1" "$2"); shift 2 ;;
    -h|--help) sed -n '2,32p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) BENCH_ARGS+=("$1"); shift ;;
  esac
done

log() { printf 'ingest: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
[[ "$STORE" == h2 || "$STORE" == postgresql ]] || die "--store is h2 or postgresql, not $STORE"
# shellcheck source=../../deploy/bench/lib.sh
source "$ROOT_DIR/deploy/bench/lib.sh"
command -v "$JAVA" >/dev/null || die "$JAVA is required"
command -v curl >/dev/null || die "curl is required"

# --- build --------------------------------------------------------------------------------------------------------
kafka_libs_present() {
  compgen -G "$KAFKA_LIBS/kafka_2.13-*.jar" >/dev/null && compgen -G "$KAFKA_LIBS/kafka-clients-*.jar" >/dev/null \
    && compgen -G "$KAFKA_LIBS/log4j-core-*.jar" >/dev/null
}
if [[ "$BUILD" != never ]] && ! kafka_libs_present; then
  log "building deploy/target/kafka-libs..."
  (cd "$ROOT_DIR" && ./mvnw -B -q -pl deploy -am package -DskipTests)
fi
build_module "$BUILD" audit-service "$CLASSPATH_FILE" "$JAR" "$BENCH_CLASS"
POSTGRES_DIST="$ROOT_DIR/deploy/target/postgres-dist"
if [[ "$STORE" == postgresql && "$BUILD" != never ]] && ! compgen -G "$POSTGRES_DIST/*.txz" >/dev/null; then
  log "building deploy/target/postgres-dist..."
  (cd "$ROOT_DIR" && ./mvnw -B -q -pl deploy -am package -DskipTests)
fi
kafka_libs_present || die "$KAFKA_LIBS is missing or incomplete (run without --no-build)"

# --- run directory, ports, cleanup ----------------------------------------------------------------------------
KAFKA_PID=""
AUDIT_PID=""
POSTGRES_PID=""
PAUSED=false
stop_processes() {
  # a paused audit-service (the warm drain) would not act on SIGTERM
  if $PAUSED && [[ -n "$AUDIT_PID" ]]; then kill -CONT "$AUDIT_PID" 2>/dev/null || true; fi
  stop_pid audit-service "$AUDIT_PID"
  stop_pid kafka "$KAFKA_PID"
  stop_pid postgresql "$POSTGRES_PID"
}
bench_run_dir
mkdir -p "$RUN_DIR/logs" "$RUN_DIR/kafka"
FAILURE_LOGS=("$RUN_DIR/logs/audit-service.log" "$RUN_DIR/logs/kafka.out")

free_port KAFKA_PORT
free_port CONTROLLER_PORT
free_port AUDIT_PORT
# health and metrics: audit-service's management interface
free_port MANAGEMENT_PORT
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"

# --- PostgreSQL (--store postgresql) ----------------------------------------------------------------------------
STORE_OPTS=()
STORE_LABEL="H2 file store"
if [[ "$STORE" == postgresql ]]; then
  archive="$(compgen -G "$POSTGRES_DIST/*.txz" | head -n1)" || die "no PostgreSQL archive in $POSTGRES_DIST (run without --no-build)"
  mkdir -p "$RUN_DIR/postgres/home" && tar -xJf "$archive" -C "$RUN_DIR/postgres/home" || die "could not extract $archive"
  # PostgreSQL refuses to run as root: as root it runs in a new user namespace, as deploy/moat does
  pg() { if [[ "$(id -u)" == 0 ]]; then unshare -U "$RUN_DIR/postgres/home/bin/$1" "${@:2}"; else "$RUN_DIR/postgres/home/bin/$1" "${@:2}"; fi; }
  free_port POSTGRES_PORT
  mkdir -m 700 "$RUN_DIR/postgres/data"
  pg initdb -D "$RUN_DIR/postgres/data" -U postgres -E UTF-8 --locale=C --auth=trust >> "$RUN_DIR/logs/postgres.log" 2>&1 \
    || die "initdb failed (see $RUN_DIR/logs/postgres.log)"
  echo "CREATE DATABASE moat_audit;" | pg postgres --single -D "$RUN_DIR/postgres/data" postgres >> "$RUN_DIR/logs/postgres.log" 2>&1 \
    || die "could not create the database (see $RUN_DIR/logs/postgres.log)"
  pg postgres -D "$RUN_DIR/postgres/data" -p "$POSTGRES_PORT" -c listen_addresses=127.0.0.1 -c unix_socket_directories= \
    >> "$RUN_DIR/logs/postgres.log" 2>&1 < /dev/null &
  POSTGRES_PID=$!
  FAILURE_LOGS+=("$RUN_DIR/logs/postgres.log")
  log "PostgreSQL pid $POSTGRES_PID on 127.0.0.1:$POSTGRES_PORT"
  await_port PostgreSQL "$POSTGRES_PID" "$POSTGRES_PORT"
  STORE_OPTS=(-Dquarkus.datasource.h2.active=false -Dquarkus.datasource.postgresql.active=true
    "-Dquarkus.datasource.postgresql.jdbc.url=jdbc:postgresql://127.0.0.1:$POSTGRES_PORT/moat_audit"
    -Dquarkus.datasource.postgresql.username=postgres -Dquarkus.datasource.postgresql.password=)
  STORE_LABEL="PostgreSQL $(pg postgres --version | awk '{print $NF}') (default settings, fsync on)"
fi

# --- Kafka (as deploy/moat configures it) ---------------------------------------------------------------------
cat > "$RUN_DIR/kafka/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$RUN_DIR/kafka/data
num.partitions=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
kafka_java() {
  "$JAVA" -Dlog4j2.configurationFile="$KAFKA_LOG4J" -Dkafka.logs.dir="$RUN_DIR/logs" -cp "$KAFKA_LIBS/*" "$@"
}
CLUSTER_ID="$(kafka_java kafka.tools.StorageTool random-uuid 2>>"$RUN_DIR/logs/kafka.out")"
kafka_java kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$RUN_DIR/kafka/server.properties" \
  >> "$RUN_DIR/logs/kafka.out" 2>&1 || die "formatting Kafka storage failed"
"$JAVA" -Xmx512m -Dlog4j2.configurationFile="$KAFKA_LOG4J" -Dkafka.logs.dir="$RUN_DIR/logs" \
  -cp "$KAFKA_LIBS/*" kafka.Kafka "$RUN_DIR/kafka/server.properties" >> "$RUN_DIR/logs/kafka.out" 2>&1 < /dev/null &
KAFKA_PID=$!
log "Kafka pid $KAFKA_PID on $BOOTSTRAP"
await_port Kafka "$KAFKA_PID" "$KAFKA_PORT"

BENCH_CP="$MODULE_DIR/target/test-classes:$(cat "$CLASSPATH_FILE")"
# bench NAME COMMAND ARGS...: runs the benchmark client (run_child), stderr to logs/bench-NAME.err; its stdout is
# appended to the result file (when there is one) and shown. Fails with the client's exit code, showing the end of
# its stderr.
bench() {
  local name="$1" rc=0; shift
  # shellcheck disable=SC2086 # BENCH_JVM_OPTS is a list of options
  run_child "$RUN_DIR/logs/bench-$name.out" "$RUN_DIR/logs/bench-$name.err" \
    "$JAVA" -Xmx512m ${BENCH_JVM_OPTS:-} -cp "$BENCH_CP" dev.moat.audit.bench.IngestBenchmark "$@" || rc=$?
  if [[ -n "${RESULT:-}" ]]; then tee -a "$RESULT" < "$RUN_DIR/logs/bench-$name.out"; else cat "$RUN_DIR/logs/bench-$name.out"; fi
  if (( rc != 0 )); then tail -n 30 "$RUN_DIR/logs/bench-$name.err" >&2; fi
  return "$rc"
}
bench topics create-topics --bootstrap "$BOOTSTRAP" --partitions "$PARTITIONS" || die "creating the topics failed"

result_header ingest audit-service proto
{
  echo "# Kafka 4.1.2 (deploy/target/kafka-libs), -Xmx512m, $PARTITIONS decision partition(s); audit-service $JAR -Xmx512m ${AUDIT_JVM_OPTS:-}, $STORE_LABEL"
  echo "# benchmark options: ${BENCH_ARGS[*]:-(defaults)}"
} | tee -a "$RESULT"

# --- backlog: publish before audit-service runs ---------------------------------------------------------------
if (( EVENTS > 0 )); then
  bench preload preload --bootstrap "$BOOTSTRAP" --ids-file "$RUN_DIR/ids.txt" "${BENCH_ARGS[@]}" \
    || die "preloading failed"
fi

# --- audit-service --------------------------------------------------------------------------------------------
# Access control off: no token issuer runs here, and the benchmark measures ingest, not token checks.
# shellcheck disable=SC2086 # AUDIT_JVM_OPTS is a list of options
"$JAVA" -Xmx512m -Dmoat.audit.auth.enabled=false ${AUDIT_JVM_OPTS:-} \
  -Dmoat.data-dir="$RUN_DIR/data" "${STORE_OPTS[@]}" -Dquarkus.http.port="$AUDIT_PORT" -Dquarkus.management.port="$MANAGEMENT_PORT" -Dkafka.bootstrap.servers="$BOOTSTRAP" \
  -jar "$JAR" > "$RUN_DIR/logs/audit-service.log" 2>&1 < /dev/null &
AUDIT_PID=$!
log "audit-service pid $AUDIT_PID on http://127.0.0.1:$AUDIT_PORT"

# the drain measurement starts at once, so that it sees the consumer from its first batch
if (( EVENTS > 0 )); then
  bench drain drain --audit-url "http://127.0.0.1:$AUDIT_PORT" --metrics-url "http://127.0.0.1:$MANAGEMENT_PORT" --audit-pid "$AUDIT_PID" \
    ${POSTGRES_PID:+--store-pid "$POSTGRES_PID"} --ids-file "$RUN_DIR/ids.txt" "${BENCH_ARGS[@]}" || die "the drain measurement failed"
fi

deadline=$(( $(date +%s) + 120 ))
until curl -fsS -o /dev/null "http://127.0.0.1:$MANAGEMENT_PORT/q/health/ready" 2>/dev/null; do
  kill -0 "$AUDIT_PID" 2>/dev/null || die "audit-service exited during start-up"
  (( $(date +%s) < deadline )) || die "audit-service not ready after 120 s"
  sleep 0.3
done
log "audit-service ready"

# --- warm drain: the same backlog again, for the service that is warm now ----------------------------------------
# A drain that starts with the service also measures its start-up (the JIT compiling the consumer's path for the
# first seconds). Paused with SIGSTOP (no poll, no store), audit-service misses nothing: the events wait in Kafka
# while the next backlog is published (well within the consumer's 45 s session), and it resumes on them.
if (( EVENTS > 0 )); then
  stored_before="$(curl -fsS "http://127.0.0.1:$MANAGEMENT_PORT/q/metrics" \
    | awk '/^moat_audit_events_stored_total\{/ && /kind="decision"/ { printf "%d", $NF }')" || stored_before=""
  [[ -n "$stored_before" ]] || die "could not read the stored count"
  kill -STOP "$AUDIT_PID"
  PAUSED=true
  bench preload-warm preload --bootstrap "$BOOTSTRAP" --ids-file "$RUN_DIR/ids-warm.txt" "${BENCH_ARGS[@]}" \
    || die "preloading the second backlog failed"
  bench drain-warm drain --audit-url "http://127.0.0.1:$AUDIT_PORT" --metrics-url "http://127.0.0.1:$MANAGEMENT_PORT" \
    --audit-pid "$AUDIT_PID" ${POSTGRES_PID:+--store-pid "$POSTGRES_PID"} --ids-file "$RUN_DIR/ids-warm.txt" \
    --stored-before "$stored_before" --resume-pid "$AUDIT_PID" "${BENCH_ARGS[@]}" || die "the warm drain failed"
  PAUSED=false
fi

# --- live bulk and steady rates -------------------------------------------------------------------------------
status=0
bench run run --bootstrap "$BOOTSTRAP" --audit-url "http://127.0.0.1:$AUDIT_PORT" --metrics-url "http://127.0.0.1:$MANAGEMENT_PORT" \
  --audit-pid "$AUDIT_PID" --kafka-pid "$KAFKA_PID" "${BENCH_ARGS[@]}" || status=$?
echo "# uptime after: $(uptime)" | tee -a "$RESULT"
echo "# audit-service data: $(du -sh "$RUN_DIR/data" 2>/dev/null | cut -f1)" | tee -a "$RESULT"
log "result saved as $RESULT"
exit "$status"
