# shellcheck shell=bash
# Sourced by cluster/start-cluster.sh and cluster/flink (the part of a distribution's bin/config.sh they share): the
# project root, the Java command, the cluster classpath, the JVM options and Flink's BashJavaUtils.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
CLASSPATH_FILE=$ROOT/flink-cluster/target/cluster.classpath
# shellcheck disable=SC2034 # used by the scripts that source this file
mapfile -t JVM_OPTIONS < <(grep -v '^\s*\(#\|$\)' "$ROOT/cluster/jvm-options")

# The classpath the flink-cluster module resolves (what a distribution's lib/ holds); resolved again when a pom
# changed since.
cluster_classpath() {
  if [[ ! -f $CLASSPATH_FILE || $ROOT/flink-cluster/pom.xml -nt $CLASSPATH_FILE || $ROOT/pom.xml -nt $CLASSPATH_FILE ]]; then
    echo "Resolving the cluster classpath (mvn -B -q -pl flink-cluster generate-resources) ..." >&2
    (cd "$ROOT" && mvn -B -q -pl flink-cluster generate-resources >&2)
  fi
  cat "$CLASSPATH_FILE"
}

# bash_java_utils COMMAND ARGS...: the result lines of Flink's BashJavaUtils (those after its
# BASH_JAVA_UTILS_EXEC_RESULT: marker), as Flink's bin/config.sh reads them; exits with its output on failure.
bash_java_utils() {
  local output
  output=$("$JAVA" -cp "$(cluster_classpath)" -Dlog4j.configurationFile=/dev/null \
    org.apache.flink.runtime.util.bash.BashJavaUtils "$@" 2>&1) || {
    echo "Flink's BashJavaUtils $1 failed:" >&2; echo "$output" >&2; exit 1; }
  grep '^BASH_JAVA_UTILS_EXEC_RESULT:' <<<"$output" | sed 's/^BASH_JAVA_UTILS_EXEC_RESULT://'
}
