#!/usr/bin/env bash
# A JVM setting for some of the stack's processes, tried against the same stack without it, back to back. Every JVM
# runs through a wrapper `java` (deploy/target/bench/trial-jdk/bin/java, the JDK on PATH or in JAVA_HOME otherwise)
# that adds the setting to the processes it names, by deploy/moat's -Dmoat-stack marker; the baseline goes through the
# same wrapper without it.
#
#   deploy/bench/jvm-trial.sh PROCESSES:OPTIONS [request-path options]      the request path, baseline then trial
#   deploy/bench/jvm-trial.sh --up-only PAIRS PROCESSES:OPTIONS             only `deploy/moat up` and `down`, PAIRS
#                                                                           times each, alternating; ready times
#
# PROCESSES: comma-separated names as deploy/moat gives them (kafka, policy-service, vault-service, audit-service,
# console; `kafka` also names kafka-1..3). OPTIONS: JVM options separated by spaces, or `appcds`: the Quarkus
# services start from the class-data archive Quarkus writes when packaged with
# -Dquarkus.package.jar.appcds.enabled=true (target/quarkus-app/app-cds.jsa, which names its jar relative to that
# directory, so the process runs there). Examples, in docs/benchmarks.md:
#
#   deploy/bench/jvm-trial.sh 'kafka,console:-XX:TieredStopAtLevel=1' --seconds 15 --warm-up 60
#   deploy/bench/jvm-trial.sh --up-only 2 'policy-service,vault-service,audit-service,console:appcds'
#
# Output: each run's table (request path) or ready times (--up-only); the whole outputs in
# deploy/target/bench/jvm-trial-{base,trial}*.out.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
UP_ONLY=0
if [[ "${1:-}" == --up-only ]]; then UP_ONLY="${2:?--up-only needs a number of pairs}"; shift 2; fi
SPEC="${1:?usage: deploy/bench/jvm-trial.sh [--up-only PAIRS] PROCESSES:OPTIONS [request-path options]}"; shift
[[ "$SPEC" == *:* ]] || { echo "jvm-trial: '$SPEC' is not PROCESSES:OPTIONS" >&2; exit 2; }
PROCESSES="${SPEC%%:*}"
OPTIONS="${SPEC#*:}"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then JDK="$JAVA_HOME"; else
  JDK="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"; fi
OUT="$ROOT/deploy/target/bench"
FAKE="$OUT/trial-jdk"
rm -rf "$FAKE" && mkdir -p "$FAKE/bin"
for f in "$JDK"/*; do [[ "$(basename "$f")" == bin ]] || ln -s "$f" "$FAKE/$(basename "$f")"; done
for f in "$JDK"/bin/*; do [[ "$(basename "$f")" == java ]] || ln -s "$f" "$FAKE/bin/$(basename "$f")"; done
cat > "$FAKE/bin/java" <<EOF
#!/usr/bin/env bash
# written by deploy/bench/jvm-trial.sh: $JDK/bin/java, with the trial's setting for the processes it names
name=""; jar=""; prev=""
for a in "\$@"; do
  case "\$a" in -Dmoat-stack=*) name="\${a#-Dmoat-stack=}"; name="\${name%%@*}" ;; esac
  [[ "\$prev" == -jar ]] && jar="\$a"; prev="\$a"
done
extra=()
if [[ -n "\${MOAT_JVM_TRIAL:-}" && -n "\$name" && ",$PROCESSES," == *",\${name%-[0-9]},"* ]]; then
  if [[ "$OPTIONS" == appcds ]]; then
    archive="\$(dirname "\$jar")/app-cds.jsa"
    [[ -f "\$archive" ]] \\
      || { echo "jvm-trial: no \$archive (package with -Dquarkus.package.jar.appcds.enabled=true)" >&2; exit 1; }
    cd "\$(dirname "\$jar")" && extra=(-XX:SharedArchiveFile="\$archive" -Xshare:on)
  else
    read -r -a extra <<< "$OPTIONS"
  fi
fi
exec "$JDK/bin/java" "\${extra[@]}" "\$@"
EOF
chmod +x "$FAKE/bin/java"
export JAVA_HOME="$FAKE"

ready_times() { grep -E 'ready in' "$1" | sed -E 's/ \(pid.*//; s/^ +//' | paste -sd ';' | sed 's/;/; /g'; }

if (( UP_ONLY > 0 )); then
  data="$OUT/jvm-trial-data"
  for pair in $(seq 1 "$UP_ONLY"); do
    for mode in base trial; do
      rm -rf "$data"
      log="$OUT/jvm-trial-$mode-$pair.out"
      MOAT_JVM_TRIAL="$([[ "$mode" == trial ]] && echo 1 || true)" \
        "$ROOT/deploy/moat" up --no-build --warm-up 0 --data-dir "$data" > "$log" 2>&1 \
        || { tail -n 30 "$log" >&2; "$ROOT/deploy/moat" down --data-dir "$data" >/dev/null 2>&1 || true; exit 1; }
      # a second start on the same data directory: the first one also creates keys, credentials and schemas
      "$ROOT/deploy/moat" down --data-dir "$data" >/dev/null 2>&1
      MOAT_JVM_TRIAL="$([[ "$mode" == trial ]] && echo 1 || true)" \
        "$ROOT/deploy/moat" up --no-build --warm-up 0 --data-dir "$data" > "$log" 2>&1 \
        || { tail -n 30 "$log" >&2; "$ROOT/deploy/moat" down --data-dir "$data" >/dev/null 2>&1 || true; exit 1; }
      "$ROOT/deploy/moat" down --data-dir "$data" >/dev/null 2>&1
      echo "$mode $pair: $(ready_times "$log")"
    done
  done
  exit 0
fi

for mode in base trial; do
  echo "jvm-trial: run '$mode'..." >&2
  MOAT_JVM_TRIAL="$([[ "$mode" == trial ]] && echo 1 || true)" \
    "$ROOT/deploy/bench/request-path.sh" --no-build "$@" > "$OUT/jvm-trial-$mode.out" 2>&1
  echo "## $mode"
  grep -E '^\| (path|ceiling:|unknown|allowed|firewall|token|access|1[4-6]) |^One connection|Moat is ready|^Half of' \
    "$OUT/jvm-trial-$mode.out"
done
