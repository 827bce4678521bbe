#!/usr/bin/env bash
# The request-path benchmark with JDK 25's ahead-of-time cache (JEP 483 classes loaded and linked, JEP 515 method
# profiles), one cache per process, trained by the benchmark itself. Three runs of deploy/bench/request-path.sh, back
# to back, all on the given JDK:
#
#   1. none:  no cache (the baseline on that JDK)
#   2. train: each JVM records (-XX:AOTCacheOutput) and writes its cache when `deploy/moat down` stops it
#   3. use:   each JVM starts from its cache (-XX:AOTCache)
#
#   deploy/bench/aot-trial.sh JDK_HOME [request-path options, e.g. --seconds 15 --warm-up 60]
#
# The services must be packaged as Quarkus' aot-jar first (application classes on the class path, where the cache
# can hold them): ./mvnw -B -q package -DskipTests -Dquarkus.package.jar.type=aot-jar. The script runs each JVM
# through a wrapper `java` in deploy/target/bench/aot-jdk/ (the JDK's files, and a `java` that adds the cache option
# for the process named by deploy/moat's -Dmoat-stack marker); caches go to deploy/target/bench/aot-cache/.
# Output: the three runs' tables, deploy/target/bench/aot-trial-{none,train,use}.out. See docs/benchmarks.md.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
JDK="${1:?usage: deploy/bench/aot-trial.sh JDK_HOME [request-path options]}"; shift
[[ -x "$JDK/bin/java" ]] || { echo "aot-trial: $JDK/bin/java not found" >&2; exit 1; }
"$JDK/bin/java" -XX:AOTMode=off -version >/dev/null 2>&1 \
  || { echo "aot-trial: $JDK does not know -XX:AOTMode (JDK 25 or newer is needed)" >&2; exit 1; }
OUT="$ROOT/deploy/target/bench"
FAKE="$OUT/aot-jdk"
CACHE="$OUT/aot-cache"
rm -rf "$FAKE" "$CACHE" && mkdir -p "$FAKE/bin" "$CACHE"
for f in "$JDK"/*; do [[ "$(basename "$f")" == bin ]] || ln -s "$f" "$FAKE/$(basename "$f")"; done
for f in "$JDK"/bin/*; do [[ "$(basename "$f")" == java ]] || ln -s "$f" "$FAKE/bin/$(basename "$f")"; done
cat > "$FAKE/bin/java" <<EOF
#!/usr/bin/env bash
# written by deploy/bench/aot-trial.sh: $JDK/bin/java with the AOT cache of the deploy/moat process it starts
name=""
for a in "\$@"; do case "\$a" in -Dmoat-stack=*) name="\${a#-Dmoat-stack=}"; name="\${name%%@*}" ;; esac; done
extra=()
if [[ -n "\$name" ]]; then
  case "\${MOAT_AOT_MODE:-}" in
    train) extra=("-XX:AOTCacheOutput=$CACHE/\$name.aot") ;;
    use) [[ -f "$CACHE/\$name.aot" ]] && extra=("-XX:AOTCache=$CACHE/\$name.aot") ;;
  esac
fi
exec "$JDK/bin/java" "\${extra[@]}" "\$@"
EOF
chmod +x "$FAKE/bin/java"

# writing a cache at exit takes a JVM up to half a minute more: deploy/moat down waits for it
export JAVA_HOME="$FAKE" MOAT_STOP_TIMEOUT=300
for mode in none train use; do
  echo "aot-trial: run '$mode'..." >&2
  MOAT_AOT_MODE="$([[ "$mode" == none ]] || echo "$mode")" \
    "$ROOT/deploy/bench/request-path.sh" --no-build "$@" > "$OUT/aot-trial-$mode.out" 2>&1
  echo "## $mode"
  grep -E '^\| (path|ceiling|allowed|firewall|token|access)|^One connection|ready in|^Half of' "$OUT/aot-trial-$mode.out"
done
ls -l "$CACHE"
