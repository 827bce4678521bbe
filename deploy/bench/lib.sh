# Shared by the benchmark scripts (sourced, not run): free ports, waiting for a port, stopping a process, the
# machine line of a result, and a local stack of a script's own. A script that sources it defines log() and die()
# first.
# shellcheck shell=bash

BENCH_PORTS=()

# port_in_use PORT: whether something listens on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# free_port NAME: sets the variable NAME to a port that nothing listens on and that no earlier call gave out.
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$(( 20000 + RANDOM % 40000 ))
    [[ " ${BENCH_PORTS[*]} " == *" $p "* ]] && continue
    port_in_use "$p" && continue
    BENCH_PORTS+=("$p")
    printf -v "$1" '%s' "$p"
    return 0
  done
  die "no free port found"
}

# await_port NAME PID PORT: waits up to 120 s for PORT to open, failing early when the process PID has exited.
await_port() {
  local name="$1" pid="$2" port="$3" deadline=$(( $(date +%s) + 120 ))
  until port_in_use "$port"; do
    kill -0 "$pid" 2>/dev/null || die "$name exited during start-up"
    (( $(date +%s) < deadline )) || die "$name's port $port not open after 120 s"
    sleep 0.2
  done
}

# stop_pid NAME PID [SECONDS]: SIGTERM, then SIGKILL when it has not stopped within SECONDS (default 30).
stop_pid() {
  local name="$1" pid="$2" tenths=$(( ${3:-30} * 10 ))
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  log "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 "$tenths"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name did not stop within ${3:-30} s of SIGTERM; SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# build_module MODE MODULE CLASSPATH_FILE FILE...: builds MODULE from the repository root ($ROOT_DIR) with Maven (its
# jar, test classes and test classpath, written to CLASSPATH_FILE, a path inside the module) when MODE is always, or when it is auto and a FILE
# or the classpath is missing or older than a source of the module, proto, test-support or the root pom; never when
# MODE is never. Then fails unless every FILE and the classpath are there.
build_module() {
  local mode="$1" module="$2" classpath="$3"; shift 3
  local module_dir="$ROOT_DIR/$module" needed=false f
  for f in "$@" "$classpath"; do [[ -s "$f" ]] || needed=true; done
  if ! $needed && [[ -n "$(find "$module_dir/src" "$module_dir/pom.xml" "$ROOT_DIR/proto/src" \
      "$ROOT_DIR/test-support/src" "$ROOT_DIR/pom.xml" -newer "$classpath" -print -quit 2>/dev/null)" ]]; then
    needed=true
  fi
  if [[ "$mode" == always ]] || { [[ "$mode" == auto ]] && $needed; }; then
    log "building $module (package, test classes, test classpath)..."
    mkdir -p "$(dirname "$classpath")"
    (cd "$ROOT_DIR" && ./mvnw -B -q -pl "$module" -am package -DskipTests \
      dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="${classpath#"$module_dir"/}")
    touch "$classpath"
  fi
  for f in "$@" "$classpath"; do [[ -s "$f" ]] || die "$f is missing (run without --no-build)"; done
}

# machine_line: the "# machine:" line of a result (CPUs, CPU model, memory).
machine_line() {
  echo "# machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(free -g | awk '/Mem:/ {print $2}') GiB"
}

# stack_up NAME [deploy/moat up options]: from the repository root, starts a local stack of the script's own on free
# ports, with its data in deploy/target/bench/NAME-<time>, and stops it when the script exits. Sets DATA and the
# *_PORT variables of its endpoints (VAULT_PORT, AUDIT_PORT, KAFKA_PORT, AUDIT_MANAGEMENT_PORT...). No warm-up by
# default (--warm-up 0): each benchmark warms what it measures, and counts only its own events.
stack_up() {
  local name="$1"; shift
  DATA="$PWD/deploy/target/bench/$name-$(date +%Y%m%dT%H%M%S)"
  local port
  for port in KAFKA_PORT KAFKA_CONTROLLER_PORT POLICY_HTTP_PORT POLICY_GRPC_PORT VAULT_PORT AUDIT_PORT \
      VAULT_MANAGEMENT_PORT AUDIT_MANAGEMENT_PORT CONSOLE_PORT CONSOLE_MANAGEMENT_PORT; do
    free_port "$port"
  done
  STACK_ARGS=(--no-build --data-dir "$DATA" --kafka-port "$KAFKA_PORT" --kafka-controller-port "$KAFKA_CONTROLLER_PORT"
      --policy-http-port "$POLICY_HTTP_PORT" --policy-grpc-port "$POLICY_GRPC_PORT" --vault-port "$VAULT_PORT"
      --audit-port "$AUDIT_PORT" --vault-management-port "$VAULT_MANAGEMENT_PORT"
      --audit-management-port "$AUDIT_MANAGEMENT_PORT" --console-port "$CONSOLE_PORT"
      --console-management-port "$CONSOLE_MANAGEMENT_PORT" --warm-up 0 "$@")
  trap 'deploy/moat down "${STACK_ARGS[@]}" >&2 || true' EXIT
  deploy/moat up "${STACK_ARGS[@]}" >&2
}

# deploy_test_classpath BUILD: from the repository root, packages every module first when BUILD is 1, then compiles
# deploy's test classes (the benchmark clients) and sets CP to them and their test classpath.
deploy_test_classpath() {
  if (( $1 )); then
    log "building (package, deploy test classes)..."
    ./mvnw -B -q -DskipTests package
  fi
  ./mvnw -B -q -o -pl deploy -am test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
    -Dmdep.includeScope=test
  CP="deploy/target/test-classes:$(cat deploy/target/bench-classpath.txt)"
}

# bench_run_dir: sets RUN_DIR to a fresh directory under $MODULE_DIR/target/bench/ and arranges that on exit (also on
# error or Ctrl-C) the running client (CHILD_PID) is stopped, then the script's stop_processes runs; after a failure
# the last lines of each file of FAILURE_LOGS are shown and the directory is kept, as it is with KEEP=true.
bench_run_dir() {
  mkdir -p "$MODULE_DIR/target/bench"
  RUN_DIR="$(mktemp -d "$MODULE_DIR/target/bench/run-XXXXXX")"
  CHILD_PID=""
  FAILURE_LOGS=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM HUP
}

bench_cleanup() {
  local status=$? f
  trap - EXIT INT TERM HUP
  if [[ -n "$CHILD_PID" ]] && kill -0 "$CHILD_PID" 2>/dev/null; then
    kill -TERM "$CHILD_PID" 2>/dev/null || true
    wait "$CHILD_PID" 2>/dev/null || true
  fi
  stop_processes
  if (( status != 0 )); then
    for f in "${FAILURE_LOGS[@]}"; do
      [[ -s "$f" ]] || continue
      log "last lines of $f:"
      tail -n 20 "$f" >&2 || true
    done
    KEEP=true
  fi
  if $KEEP; then log "run directory kept: $RUN_DIR"; else rm -rf "$RUN_DIR"; fi
  exit "$status"
}

# run_child OUT ERR COMMAND...: runs COMMAND in the background, stdout to OUT and stderr to ERR, and waits for it, so
# that a signal to the script stops it at once (bench_cleanup kills it). Returns the command's exit code.
run_child() {
  local out="$1" err="$2" rc=0; shift 2
  "$@" > "$out" 2> "$err" < /dev/null &
  CHILD_PID=$!
  wait "$CHILD_PID" || rc=$?
  CHILD_PID=""
  return "$rc"
}

# result_header NAME PATH...: sets RESULT to $MODULE_DIR/target/bench/NAME-<time>.md and writes to it, and shows, the
# run's name and time, the commit (noting uncommitted changes under the PATHs), the machine and the uptime.
result_header() {
  local name="$1" stamp paths modified=""; shift
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  RESULT="$MODULE_DIR/target/bench/$name-$stamp.md"
  printf -v paths '%s or ' "$@"
  git -C "$ROOT_DIR" diff --quiet HEAD -- "$@" 2>/dev/null || modified=" (${paths% or } modified)"
  {
    echo "# $name $stamp"
    echo "# commit $(git -C "$ROOT_DIR" rev-parse --short HEAD 2>/dev/null || echo unknown)$modified"
    machine_line
    echo "# uptime before: $(uptime)"
  } | tee "$RESULT"
}
