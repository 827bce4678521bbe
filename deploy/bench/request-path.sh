#!/usr/bin/env bash
# Request-path benchmark: what one vault-service data-plane request costs, each path beside the framework's own
# ceiling, measured side by side in one run with wrk (Debian package `wrk`). Starts its own local stack (free ports,
# data under deploy/target/bench/), stops it on exit (also on error or Ctrl-C), and prints one Markdown table:
#
#   - ceiling:          GET /q/health/live on the management interface (Quarkus and Vert.x, no Moat code)
#   - unknown vault:    GET on a vault host that does not exist (the data-plane TLS listener, Moat's router, a 404)
#   - allowed read:     GET of a secret through a 127-rule firewall (token check, policy-service's Check over gRPC,
#                       the access policy, the decrypting read, the decision event to the spool and Kafka)
#   - firewall denial:  the same request from an address no rule admits (403 ForbiddenByFirewall)
#   - token refused:    the same request with a token that does not verify (401)
#   - access policy:    an allowed address and a valid token asking for a key, which the access policy does not grant
#                       (403 ForbiddenByPolicy)
#   - one connection:   every data-plane path again on one connection, its latency percentiles (where a lone
#                       client's time goes: the listener, the token, the firewall's gRPC call, the read)
#   - trail stopped:    the allowed read once more, last, with Kafka and audit-service stopped (SIGSTOP) while it is
#                       measured: what the request path serves when the audit trail's processes take none of the
#                       two cores. Events wait in vault-service's spool, forced to disk as always, and go to Kafka
#                       when both are continued (SIGCONT) right after
#   - CPU per request:  for each path, the CPU time (user + system, /proc/PID/stat) each of the four processes used
#                       while it was measured, over the requests served; and wrk's own (the load generator shares the
#                       two cores: what it takes, the stack cannot have)
#   - time to warm:     from the moment `deploy/moat up` returns, the allowed read for 40 s on the same connections,
#                       its answers counted per second (deploy/bench/per-second.lua), and the first second that
#                       reaches half of its warm figure; with the CPU each process used in that run, and how much of
#                       it went to its JIT compiler threads (C1, C2) and its garbage collector (/proc/PID/task/*/stat).
#                       `up` warms the request path before it returns, as a user's does (deploy/README.md, "The
#                       warm-up"); MOAT_WARM_UP=0 (or another number of seconds) in the environment changes that
#
#   deploy/bench/request-path.sh [--no-build] [--seconds 20] [--connections 32] [--threads 2] [--warm-up 60]
#                                [--profile DIR]
#
# --warm-up SECONDS: after the time-to-warm slices and before the measured paths, load shared out over the five
# data-plane paths (the JIT compiles what the measured paths run).
#
# --profile DIR: while each path is measured, async-profiler (tools.profiler:async-profiler from Maven Central,
# loaded through the attach API by deploy/bench/AsyncProfiler.java) samples the CPU of all four processes (itimer);
# their collapsed stacks go to DIR/<path>-<process>.collapsed and deploy/bench/profile-summary.py DIR sums them up.
# Profiling costs throughput: compare figures of runs without it.
#
# Clients play other addresses with X-Forwarded-For: the stack is started with --trust-loopback-proxy.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD=yes
SECONDS_PER_PATH=20
CONNECTIONS=32
THREADS=2
PROFILE_DIR=""
WARM_UP=60
WARM_SECONDS=40
PROFILE_INTERVAL_MS=5
ASYNC_PROFILER_VERSION=4.5
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-build) BUILD=no; shift ;;
    --seconds) SECONDS_PER_PATH="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --threads) THREADS="$2"; shift 2 ;;
    --warm-up) WARM_UP="$2"; shift 2 ;;
    --profile) PROFILE_DIR="$(mkdir -p "$2" && cd "$2" && pwd)"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "request-path: wrk is missing (apt-get install wrk)" >&2; exit 1; }

cd "$ROOT"
if [[ "$BUILD" == yes ]]; then
  echo "request-path: building (./mvnw -B -q -DskipTests package)..." >&2
  ./mvnw -B -q -DskipTests package
fi

PROFILER_LIB=""
if [[ -n "$PROFILE_DIR" ]]; then
  AP_DIR="$ROOT/deploy/target/bench/async-profiler-$ASYNC_PROFILER_VERSION"
  if [[ ! -f "$AP_DIR/linux-x64/libasyncProfiler.so" ]]; then
    ./mvnw -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$ASYNC_PROFILER_VERSION:jar:linux-x64" \
      -DoutputDirectory="$AP_DIR" >&2
    (cd "$AP_DIR" && unzip -q -o "async-profiler-$ASYNC_PROFILER_VERSION-linux-x64.jar" 'linux-x64/*')
  fi
  PROFILER_LIB="$AP_DIR/linux-x64/libasyncProfiler.so"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
DATA="$ROOT/deploy/target/bench/request-path-$(date +%Y%m%dT%H%M%S)"
VAULT_PORT=$(free_port)
MANAGEMENT_PORT=$(free_port)
ARGS=(--no-build --data-dir "$DATA" --trust-loopback-proxy --kafka-port "$(free_port)"
      --kafka-controller-port "$(free_port)" --policy-http-port "$(free_port)" --policy-grpc-port "$(free_port)"
      --vault-port "$VAULT_PORT" --vault-management-port "$MANAGEMENT_PORT" --audit-port "$(free_port)"
      --audit-management-port "$(free_port)" --console-port "$(free_port)" --console-management-port "$(free_port)")
STOPPED_PIDS=()
# a stopped process would not act on `down`'s SIGTERM: continue them first
trap '(( ${#STOPPED_PIDS[@]} == 0 )) || kill -CONT "${STOPPED_PIDS[@]}" 2>/dev/null; deploy/moat down "${ARGS[@]}" >&2 || true' EXIT
deploy/moat up "${ARGS[@]}" >&2
UP_AT=$(date +%s.%N)

# shellcheck disable=SC1091
source "$DATA/credentials.env"
CA="$DATA/vault/tls/ca.crt"
BASE="https://localhost:$VAULT_PORT"
token() {
  curl -sS --fail-with-body --cacert "$CA" "$BASE/$MOAT_TENANT_ID/oauth2/v2.0/token" -d grant_type=client_credentials \
    -d client_id="$1" -d client_secret="$2" -d scope="$3" | sed -E 's/.*"access_token":"([^"]+)".*/\1/'
}
MGMT=$(token "$MOAT_ADMIN_CLIENT_ID" "$MOAT_ADMIN_CLIENT_SECRET" https://management.localhost/.default)
DATA_TOKEN=$(token "$MOAT_APP_CLIENT_ID" "$MOAT_APP_CLIENT_SECRET" "https://vault.localhost:$VAULT_PORT/.default")

# 127 IP rules: 126 ranges no client here uses, then the one that admits the benchmark's client (the last one)
ALLOWED=203.0.113.9
DENIED=198.51.100.7
rules=""
for i in $(seq 1 126); do rules+="{\"value\":\"52.$i.0.0/16\"},"; done
rules+="{\"value\":\"203.0.113.0/24\"}"
curl -sS --fail-with-body --cacert "$CA" -X PUT -H "Authorization: Bearer $MGMT" -H 'Content-Type: application/json' \
  "$BASE/subscriptions/s1/resourceGroups/bench/providers/Microsoft.KeyVault/vaults/bench?api-version=2023-02-01" \
  -d '{"location":"local","properties":{"tenantId":"'"$MOAT_TENANT_ID"'","sku":{"family":"A","name":"standard"},
       "accessPolicies":[{"tenantId":"'"$MOAT_TENANT_ID"'","objectId":"'"$MOAT_APP_OBJECT_ID"'","permissions":{"secrets":["get","set"]}}],
       "networkAcls":{"defaultAction":"Deny","bypass":"None","ipRules":['"$rules"']}}}' > /dev/null
HOST="bench.vault.localhost:$VAULT_PORT"
SECRET_URL="https://127.0.0.1:$VAULT_PORT/secrets/db-password?api-version=7.5"
curl -sS --fail-with-body --http1.1 --cacert "$CA" --resolve "bench.vault.localhost:$VAULT_PORT:127.0.0.1" -X PUT \
  -H "Authorization: Bearer $DATA_TOKEN" -H "X-Forwarded-For: $ALLOWED" -H 'Content-Type: application/json' \
  -d '{"value":"benchmark-value"}' "https://$HOST/secrets/db-password?api-version=7.5" > /dev/null
# every path must answer what it claims to measure, or the figures mean nothing
expect() {
  local status="$1"; shift
  local got; got=$(curl -s -o /dev/null -w '%{http_code}' --http1.1 -k "$@")
  [[ "$got" == "$status" ]] || { echo "request-path: expected $status, got $got for $*" >&2; exit 1; }
}
expect 200 -H "Host: $HOST" -H "Authorization: Bearer $DATA_TOKEN" -H "X-Forwarded-For: $ALLOWED" "$SECRET_URL"
expect 403 -H "Host: $HOST" -H "Authorization: Bearer $DATA_TOKEN" -H "X-Forwarded-For: $DENIED" "$SECRET_URL"
expect 401 -H "Host: $HOST" -H "Authorization: Bearer not-a-token" -H "X-Forwarded-For: $ALLOWED" "$SECRET_URL"
KEY_URL="https://127.0.0.1:$VAULT_PORT/keys/signing?api-version=7.5"
expect 403 -H "Host: $HOST" -H "Authorization: Bearer $DATA_TOKEN" -H "X-Forwarded-For: $ALLOWED" "$KEY_URL"
expect 404 -H "Host: nosuchvault.vault.localhost:$VAULT_PORT" "$SECRET_URL"
expect 200 "http://127.0.0.1:$MANAGEMENT_PORT/q/health/live"

# rps of one wrk run; wrk's own "Requests/sec" line; non-2xx/3xx answers are expected for the refusals
rps() { awk '/^Requests\/sec:/ { print $2 }'; }
run() { # seconds connections threads url headers...
  local seconds="$1" connections="$2" threads="$3" url="$4"; shift 4
  local headers=()
  for h in "$@"; do headers+=(-H "$h"); done
  wrk -d "${seconds}s" -c "$connections" -t "$threads" --latency "${headers[@]}" "$url"
}

PROCESSES=(kafka policy-service vault-service audit-service)
# CPU ticks (user + system) of every thread of the four processes, one line each: process, thread id, kind, ticks;
# the kind is C2 or C1 for the JIT's compiler threads, GC for the collector's, other for the rest
thread_ticks() {
  local p pids=()
  for p in "${PROCESSES[@]}"; do pids+=("$p=$(head -n1 "$DATA/run/$p.pid")"); done
  python3 - "${pids[@]}" <<'PY'
import glob, re, sys
for arg in sys.argv[1:]:
    name, pid = arg.split("=")
    for task in glob.glob(f"/proc/{pid}/task/*"):
        try:
            stat = open(f"{task}/stat").read()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        kind = ("C2" if comm.startswith("C2 Compiler") else "C1" if comm.startswith("C1 Compiler")
                else "GC" if re.match(r"GC Thread|G1 ", comm) else "other")
        print(name, task.rsplit("/", 1)[1], kind, int(fields[11]) + int(fields[12]))
PY
}
WARM_TICKS_BEFORE=$(thread_ticks)

# time to warm: the allowed read from the moment `up` returned, before anything else warms it, on the same 32
# connections throughout (as clients that start with the service keep theirs), counted per wall-clock second
warm_run=$(wrk -d "${WARM_SECONDS}s" -c "$CONNECTIONS" -t "$THREADS" -s "$ROOT/deploy/bench/per-second.lua" \
  -H "Host: $HOST" -H "Authorization: Bearer $DATA_TOKEN" -H "X-Forwarded-For: $ALLOWED" "$SECRET_URL")
WARM_TICKS_AFTER=$(thread_ticks)
warm_slices=()
while read -r _ second count; do
  warm_slices+=("$second $count")
done < <(grep '^second ' <<< "$warm_run")

profiler() { # command-for-each-process (with {name} for the process's name)
  [[ -n "$PROFILER_LIB" ]] || return 0
  local p pid
  for p in "${PROCESSES[@]}"; do
    pid=$(head -n1 "$DATA/run/$p.pid")
    [[ " ${STOPPED_PIDS[*]} " != *" $pid "* ]] || continue # a stopped JVM does not answer the attach API
    java "$ROOT/deploy/bench/AsyncProfiler.java" "$pid" "$PROFILER_LIB" "${1//\{name\}/$p}" >/dev/null
  done
}

warm_up() { # the five data-plane paths, WARM_UP seconds in all
  local each=$(( WARM_UP / 5 ))
  (( each > 0 )) || return 0
  echo "request-path: warming up ${WARM_UP} s..." >&2
  run "$each" "$CONNECTIONS" "$THREADS" "$SECRET_URL" "Host: $HOST" "Authorization: Bearer $DATA_TOKEN" "X-Forwarded-For: $ALLOWED" >/dev/null
  run "$each" "$CONNECTIONS" "$THREADS" "$SECRET_URL" "Host: $HOST" "Authorization: Bearer $DATA_TOKEN" "X-Forwarded-For: $DENIED" >/dev/null
  run "$each" "$CONNECTIONS" "$THREADS" "$SECRET_URL" "Host: $HOST" "Authorization: Bearer not-a-token" "X-Forwarded-For: $ALLOWED" >/dev/null
  run "$each" "$CONNECTIONS" "$THREADS" "$KEY_URL" "Host: $HOST" "Authorization: Bearer $DATA_TOKEN" "X-Forwarded-For: $ALLOWED" >/dev/null
  run "$each" "$CONNECTIONS" "$THREADS" "$SECRET_URL" "Host: nosuchvault.vault.localhost:$VAULT_PORT" >/dev/null
}
warm_up

# CPU time (user + system, clock ticks) of each of the four processes, in PROCESSES order, then that of this
# script's finished children (cutime + cstime of this shell: a wrk run's, once its command substitution returned)
cpu_ticks() {
  local p pid
  for p in "${PROCESSES[@]}"; do
    pid=$(head -n1 "$DATA/run/$p.pid")
    awk '{ print $14 + $15 }' "/proc/$pid/stat"
  done
  awk '{ print $16 + $17 }' "/proc/$$/stat"
}
TICKS_PER_SECOND=$(getconf CLK_TCK)

declare -A RESULT LAT CPU
measure() { # name url headers...
  local name="$1"; shift
  profiler "start,event=itimer,interval=${PROFILE_INTERVAL_MS}ms"
  local before; before=$(cpu_ticks)
  local out; out=$(run "$SECONDS_PER_PATH" "$CONNECTIONS" "$THREADS" "$@")
  local after; after=$(cpu_ticks)
  profiler "stop,collapsed,file=$PROFILE_DIR/$name-{name}.collapsed"
  RESULT[$name]=$(rps <<< "$out")
  # CPU per request of each process and of wrk: the ticks it used while the path was measured, over the requests served
  CPU[$name]=$(paste <(echo "$before") <(echo "$after") | awk -v r="${RESULT[$name]}" -v s="$SECONDS_PER_PATH" \
    -v hz="$TICKS_PER_SECOND" '{ printf "%s%d", (NR > 1 ? " / " : ""), ($2 - $1) / hz * 1e6 / (r * s) }')
  LAT[$name]=$(awk '/^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 } END { print p50 " / " p99 }' <<< "$out")
}
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "request-path: measuring ${SECONDS_PER_PATH} s per path, $CONNECTIONS connections, $THREADS wrk threads..." >&2
measure ceiling "http://127.0.0.1:$MANAGEMENT_PORT/q/health/live"
measure unknown "$SECRET_URL" "Host: nosuchvault.vault.localhost:$VAULT_PORT"
measure allowed "$SECRET_URL" "Host: $HOST" "Authorization: Bearer $DATA_TOKEN" "X-Forwarded-For: $ALLOWED"
measure firewall "$SECRET_URL" "Host: $HOST" "Authorization: Bearer $DATA_TOKEN" "X-Forwarded-For: $DENIED"
measure token "$SECRET_URL" "Host: $HOST" "Authorization: Bearer not-a-token" "X-Forwarded-For: $ALLOWED"
measure policy "$KEY_URL" "Host: $HOST" "Authorization: Bearer $DATA_TOKEN" "X-Forwarded-For: $ALLOWED"
declare -A ONE_RPS ONE_LAT
one() { # name url headers...: the path on one connection
  local name="$1"; shift
  local out; out=$(run "$SECONDS_PER_PATH" 1 1 "$@")
  ONE_RPS[$name]=$(rps <<< "$out")
  ONE_LAT[$name]=$(awk '/^ +50%/ { p50 = $2 } /^ +90%/ { p90 = $2 } /^ +99%/ { p99 = $2 }
    END { print p50 " / " p90 " / " p99 }' <<< "$out")
}
one allowed "$SECRET_URL" "Host: $HOST" "Authorization: Bearer $DATA_TOKEN" "X-Forwarded-For: $ALLOWED"
one ceiling "http://127.0.0.1:$MANAGEMENT_PORT/q/health/live"
one unknown "$SECRET_URL" "Host: nosuchvault.vault.localhost:$VAULT_PORT"
one token "$SECRET_URL" "Host: $HOST" "Authorization: Bearer not-a-token" "X-Forwarded-For: $ALLOWED"
one firewall "$SECRET_URL" "Host: $HOST" "Authorization: Bearer $DATA_TOKEN" "X-Forwarded-For: $DENIED"
one policy "$KEY_URL" "Host: $HOST" "Authorization: Bearer $DATA_TOKEN" "X-Forwarded-For: $ALLOWED"

# last, so that the backlog's delivery afterwards slows nothing measured: the allowed read with the audit trail's
# processes stopped; their events wait in the spool and are delivered once they are continued
STOPPED_PIDS=("$(head -n1 "$DATA/run/kafka.pid")" "$(head -n1 "$DATA/run/audit-service.pid")")
kill -STOP "${STOPPED_PIDS[@]}"
measure trail-stopped "$SECRET_URL" "Host: $HOST" "Authorization: Bearer $DATA_TOKEN" "X-Forwarded-For: $ALLOWED"
kill -CONT "${STOPPED_PIDS[@]}"
STOPPED_PIDS=()

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo "# request-path $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD), $(nproc) CPUs, $SECONDS_PER_PATH s per path, $CONNECTIONS connections"
echo "# load average before the measured paths: $LOAD_BEFORE"
echo
echo "| path | requests/s | of the ceiling | of the allowed read | latency p50 / p99 | CPU µs per request: Kafka / policy / vault / audit / wrk |"
echo "|---|---:|---:|---:|---:|---:|"
label() {
  case "$1" in
    ceiling) echo "ceiling: GET /q/health/live (management interface)" ;;
    unknown) echo "unknown vault host: 404 (data-plane TLS listener)" ;;
    allowed) echo "allowed GET secret, 127 IP rules" ;;
    firewall) echo "firewall denial: 403" ;;
    token) echo "token refused: 401" ;;
    policy) echo "access policy denial: 403" ;;
    trail-stopped) echo "allowed GET secret, Kafka and audit-service stopped (measured last)" ;;
  esac
}
for name in ceiling unknown allowed firewall token policy trail-stopped; do
  echo "| $(label "$name") | ${RESULT[$name]} | $(ratio "${RESULT[$name]}" "${RESULT[ceiling]}") | $(ratio "${RESULT[$name]}" "${RESULT[allowed]}") | ${LAT[$name]} | ${CPU[$name]} |"
done
echo
echo "One connection, allowed read: ${ONE_RPS[allowed]} requests/s; latency p50 / p90 / p99: ${ONE_LAT[allowed]}"
echo
echo "One connection, each path (measured after the allowed read, in this order):"
echo
echo "| path | requests/s | latency p50 / p90 / p99 |"
echo "|---|---:|---:|"
for name in ceiling unknown token firewall policy allowed; do
  echo "| $(label "$name") | ${ONE_RPS[$name]} | ${ONE_LAT[$name]} |"
done
echo
half=$(awk -v a="${RESULT[allowed]}" 'BEGIN { print a / 2 }')
echo "Time to warm (allowed read, answers per wall-clock second on $CONNECTIONS connections opened when \`up\` returned; half of warm = $half requests/s):"
echo
echo "| second after up | requests/s |"
echo "|---:|---:|"
reached=""
for slice in "${warm_slices[@]}"; do
  read -r at value <<< "$slice"
  since=$(awk -v a="$at" -v u="$UP_AT" 'BEGIN { printf "%d", a - int(u) }')
  echo "| $since | $value |"
  if [[ -z "$reached" ]] && awk -v v="$value" -v h="$half" 'BEGIN { exit !(v >= h) }'; then reached="$since"; fi
done
echo
echo "Half of the warm throughput reached in second ${reached:-(not within the run)} after \`up\` returned."
echo
echo "CPU seconds each process used during those ${WARM_SECONDS} s, and the part its JIT compiler threads and its garbage"
echo "collector took:"
echo
echo "| process | CPU s | C2 compiler | C1 compiler | GC | the rest |"
echo "|---|---:|---:|---:|---:|---:|"
# per thread, what it used between the two readings (a thread that started during the run: all it used; one that
# ended: nothing, its last figures are gone with it)
awk -v hz="$TICKS_PER_SECOND" -v order="${PROCESSES[*]}" '
  NR == FNR { before[$1, $2] = $4; next }
  { d = ($4 - before[$1, $2]) / hz; v[$1, $3] += d; total[$1] += d }
  END { n = split(order, ps, " ")
        for (i = 1; i <= n; i++) { p = ps[i]
          printf "| %s | %.1f | %.1f | %.1f | %.1f | %.1f |\n", p, total[p], v[p, "C2"], v[p, "C1"], v[p, "GC"],
            v[p, "other"] } }' <(echo "$WARM_TICKS_BEFORE") <(echo "$WARM_TICKS_AFTER")
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if [[ -n "$PROFILE_DIR" ]]; then
  echo
  echo "## CPU profiles (async-profiler, itimer, during each measured path)"
  echo
  served=""
  for name in ceiling unknown allowed firewall token policy trail-stopped; do
    served+="${served:+,}$name=$(awk -v r="${RESULT[$name]}" -v s="$SECONDS_PER_PATH" 'BEGIN { printf "%d", r * s }')"
  done
  python3 "$ROOT/deploy/bench/profile-summary.py" "$PROFILE_DIR" --interval-ms "$PROFILE_INTERVAL_MS" --requests "$served"
fi
