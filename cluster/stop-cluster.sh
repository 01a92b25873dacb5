#!/usr/bin/env bash
# Stops the processes cluster/start-cluster.sh started (pid files under <work dir>/pid): TaskManagers first, then
# the JobManager; SIGTERM, then SIGKILL for a process still alive after --timeout seconds. Running jobs are
# cancelled by the shutdown; stop a job with a savepoint first to resume it later (see cluster/README.md).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK_DIR=${IMLMA_CLUSTER_WORK_DIR:-$ROOT/cluster/work}
TIMEOUT=30

while [[ $# -gt 0 ]]; do
  case $1 in
    --work-dir) WORK_DIR=$2; shift 2 ;;
    --timeout) TIMEOUT=$2; shift 2 ;;
    *) echo "usage: cluster/stop-cluster.sh [--work-dir DIR] [--timeout SECONDS]" >&2; exit 1 ;;
  esac
done

PID_DIR=$WORK_DIR/pid
shopt -s nullglob
pid_files=("$PID_DIR"/taskmanager-*.pid "$PID_DIR"/jobmanager.pid)
if [[ ${#pid_files[@]} -eq 0 ]]; then
  echo "no cluster processes recorded in $PID_DIR"
  exit 0
fi

stop() {
  local pid_file=$1 name pid
  name=$(basename "$pid_file" .pid)
  pid=$(cat "$pid_file")
  if kill "$pid" 2>/dev/null; then
    local deadline=$((SECONDS + TIMEOUT))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
      sleep 0.2 # poll interval while the JVM shuts down
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$name (pid $pid) still running after ${TIMEOUT}s; killing it"
      kill -9 "$pid" 2>/dev/null || true
    fi
    echo "stopped $name (pid $pid)"
  else
    echo "$name (pid $pid) was not running"
  fi
  rm -f "$pid_file"
}

for pid_file in "${pid_files[@]}"; do
  stop "$pid_file"
done
