#!/usr/bin/env bash
# Starts a standalone Flink 1.20 session cluster on this machine without a Flink distribution: one JobManager
# (StandaloneSessionClusterEntrypoint) and N TaskManagers (TaskManagerRunner), each in its own JVM, on the classpath
# the flink-cluster module resolves from Maven Central. Their configuration is the project's flink-conf/config.yaml
# with the settings a single machine needs (localhost addresses, ports, memory sizes, file:// checkpoints and
# savepoints under the work directory) put over it by Flink's own tool, into <work dir>/conf, which cluster/flink
# (Flink's CLI) reads too. Returns once the REST API reports every TaskManager registered. Stop it with
# cluster/stop-cluster.sh.
set -euo pipefail
# shellcheck source=cluster/cluster-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/cluster-env.sh"

usage() {
  cat <<EOF
usage: cluster/start-cluster.sh [options]
  --taskmanagers N     TaskManager processes (default ${TASKMANAGERS})
  --slots N            task slots per TaskManager (default ${SLOTS})
  --rest-port P        REST API and web UI (default ${REST_PORT})
  --rpc-port P         JobManager RPC (default ${RPC_PORT})
  --prom-ports RANGE   Prometheus reporter ports, one per process, taken in order (default ${PROM_PORTS})
  --jm-memory SIZE     JobManager process memory (default ${JM_MEMORY})
  --tm-memory SIZE     TaskManager process memory (default ${TM_MEMORY})
  --work-dir DIR       config, logs, pids, checkpoints, savepoints, uploads (default ${WORK_DIR})
  --timeout SECONDS    readiness wait (default ${TIMEOUT})
  -D key=value         any further Flink option, e.g. -D execution.checkpointing.interval=10s
Environment variables of the same names (IMLMA_CLUSTER_WORK_DIR, IMLMA_REST_PORT, ...) set the defaults.
EOF
  exit "${1:-1}"
}

TASKMANAGERS=${IMLMA_TASKMANAGERS:-1}
SLOTS=${IMLMA_SLOTS:-2}
REST_PORT=${IMLMA_REST_PORT:-8081}
RPC_PORT=${IMLMA_RPC_PORT:-6123}
PROM_PORTS=${IMLMA_PROM_PORTS:-9249-9259}
JM_MEMORY=${IMLMA_JM_MEMORY:-768m}
TM_MEMORY=${IMLMA_TM_MEMORY:-1280m}
WORK_DIR=${IMLMA_CLUSTER_WORK_DIR:-$ROOT/cluster/work}
TIMEOUT=${IMLMA_CLUSTER_TIMEOUT:-120}
EXTRA=()

while [[ $# -gt 0 ]]; do
  case $1 in
    --taskmanagers) TASKMANAGERS=$2; shift 2 ;;
    --slots) SLOTS=$2; shift 2 ;;
    --rest-port) REST_PORT=$2; shift 2 ;;
    --rpc-port) RPC_PORT=$2; shift 2 ;;
    --prom-ports) PROM_PORTS=$2; shift 2 ;;
    --jm-memory) JM_MEMORY=$2; shift 2 ;;
    --tm-memory) TM_MEMORY=$2; shift 2 ;;
    --work-dir) WORK_DIR=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    -D) EXTRA+=(-D "$2"); shift 2 ;;
    -D*) EXTRA+=(-D "${1#-D}"); shift ;;
    -h|--help) usage 0 ;;
    *) echo "unknown option: $1" >&2; usage ;;
  esac
done

mkdir -p "$WORK_DIR"
WORK_DIR="$(cd "$WORK_DIR" && pwd)"
CONF_DIR=$WORK_DIR/conf
LOG_DIR=$WORK_DIR/log
PID_DIR=$WORK_DIR/pid

for pid_file in "$PID_DIR"/*.pid; do
  if [[ -f $pid_file ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    echo "a cluster from $WORK_DIR is running (pid $(cat "$pid_file")); stop it first: cluster/stop-cluster.sh --work-dir $WORK_DIR" >&2
    exit 1
  fi
done

CLASSPATH=$(cluster_classpath)

mkdir -p "$CONF_DIR" "$LOG_DIR" "$PID_DIR" "$WORK_DIR/checkpoints" "$WORK_DIR/savepoints" "$WORK_DIR/tmp" \
  "$WORK_DIR/upload"

# one machine instead of the production hosts; everything else stays as flink-conf/config.yaml says
LOCAL=(
  -D jobmanager.rpc.address=localhost -D jobmanager.rpc.port="$RPC_PORT" -D jobmanager.bind-host=localhost
  -D taskmanager.host=localhost -D taskmanager.bind-host=localhost
  -D rest.address=localhost -D rest.bind-address=localhost -D rest.port="$REST_PORT"
  -D jobmanager.memory.process.size="$JM_MEMORY" -D taskmanager.memory.process.size="$TM_MEMORY"
  -D taskmanager.numberOfTaskSlots="$SLOTS"
  -D execution.checkpointing.dir="file://$WORK_DIR/checkpoints"
  -D execution.checkpointing.savepoint-dir="file://$WORK_DIR/savepoints"
  -D io.tmp.dirs="$WORK_DIR/tmp" -D web.tmpdir="$WORK_DIR/tmp" -D web.upload.dir="$WORK_DIR/upload"
  -D metrics.reporter.prom.port="$PROM_PORTS"
  ${EXTRA[@]+"${EXTRA[@]}"}
)

# The effective configuration, flink-conf/config.yaml with the settings above put over it, written by Flink's own
# tool (as the Flink image's entrypoint writes its conf): every process and cluster/flink read this one file.
{
  echo "# written by cluster/start-cluster.sh: $ROOT/flink-conf/config.yaml with this machine's settings"
  bash_java_utils UPDATE_AND_GET_FLINK_CONFIGURATION --configDir "$ROOT/flink-conf" "${LOCAL[@]}"
} >"$CONF_DIR/config.yaml"
cp "$ROOT/flink-conf/log4j.properties" "$CONF_DIR/"

# Memory: Flink's BashJavaUtils turns the configured process size into JVM flags (-Xmx, -XX:MaxDirectMemorySize,
# ...) and, for TaskManagers, the derived memory options the runner requires, exactly as bin/jobmanager.sh and
# bin/taskmanager.sh get them.
resource_params() {
  bash_java_utils "$1" --configDir "$CONF_DIR"
}

# launch <name> <main class> <resource params command> [extra -D ...]: a JVM in the background, as flink-daemon.sh
launch() {
  local name=$1 main=$2 params jvm dynamic
  shift 2
  params=$(resource_params "$1"); shift
  jvm=$(sed -n 1p <<<"$params")
  dynamic=$(sed -n 2p <<<"$params")
  # shellcheck disable=SC2086 # BashJavaUtils prints space-separated flags without spaces inside values
  nohup "$JAVA" $jvm "${JVM_OPTIONS[@]}" ${IMLMA_JVM_ARGS:-} \
    -Dlog.file="$LOG_DIR/$name.log" -Dlog4j.configurationFile="file:$CONF_DIR/log4j.properties" \
    -cp "$CLASSPATH" "$main" --configDir "$CONF_DIR" $dynamic "$@" \
    >"$LOG_DIR/$name.out" 2>&1 </dev/null &
  echo $! >"$PID_DIR/$name.pid"
  echo "started $name (pid $!, log $LOG_DIR/$name.log)"
}

launch jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint GET_JM_RESOURCE_PARAMS
for i in $(seq 1 "$TASKMANAGERS"); do
  launch "taskmanager-$i" org.apache.flink.runtime.taskexecutor.TaskManagerRunner GET_TM_RESOURCE_PARAMS \
    -D taskmanager.resource-id="taskmanager-$i"
done

# Ready when the REST API answers and lists every TaskManager; fails early when a process has exited.
deadline=$((SECONDS + TIMEOUT))
while true; do
  registered=$(curl -sf "http://localhost:$REST_PORT/overview" | grep -o '"taskmanagers":[0-9]*' | cut -d: -f2 || true)
  [[ ${registered:-0} -ge $TASKMANAGERS ]] && break
  for pid_file in "$PID_DIR"/*.pid; do
    if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then
      name=$(basename "$pid_file" .pid)
      echo "$name exited during start-up; end of $LOG_DIR/$name.log and .out:" >&2
      tail -n 30 "$LOG_DIR/$name.log" "$LOG_DIR/$name.out" >&2 || true
      "$ROOT/cluster/stop-cluster.sh" --work-dir "$WORK_DIR" >&2
      exit 1
    fi
  done
  if ((SECONDS >= deadline)); then
    echo "cluster not ready within ${TIMEOUT}s (${registered:-no} TaskManagers registered); logs in $LOG_DIR" >&2
    exit 1
  fi
  sleep 1 # poll interval of the readiness check
done

cat <<EOF
Flink cluster ready: $TASKMANAGERS TaskManager(s) x $SLOTS slots
  web UI / REST  http://localhost:$REST_PORT
  Prometheus     each process takes the next free port of $PROM_PORTS
  checkpoints    file://$WORK_DIR/checkpoints   savepoints file://$WORK_DIR/savepoints
  logs           $LOG_DIR
  stop           cluster/stop-cluster.sh${WORK_DIR:+ --work-dir $WORK_DIR}
EOF
