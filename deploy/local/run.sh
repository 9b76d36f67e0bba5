#!/usr/bin/env bash
# The whole pipeline on this machine: Kafka, Redis, (Prometheus when
# installed), the four services and a demo intake feed.
#
#   run.sh start   start everything not yet running, feed demo leads
#   run.sh stop    stop the services, then the infrastructure it started
#   run.sh status  what runs
set -euo pipefail
LP_NAME=leadpool
# shellcheck source=deploy/local/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SERVICES=(router claims hygiene metrics)
declare -A PORTS=([router]=8081 [claims]=8082 [hygiene]=8083 [metrics]=8084)
STATE="$LP_RUN_DIR/services"
LOGS="$LP_RUN_DIR/logs"
PY="$LP_REPO_ROOT/.venv/bin/python"
export KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:${KAFKA_PORT:-9092}"
export REDIS_URL="redis://127.0.0.1:${REDIS_PORT:-6379}/0"
export LEADPOOL_CONFIG_PATH="${LEADPOOL_CONFIG_PATH:-$LP_REPO_ROOT/deploy/config/leadpool.yaml}"
export LEADPOOL_DATA_DIR="$LP_RUN_DIR/data"

healthy() { curl -fsS "http://127.0.0.1:$1/health" | grep -q '"partitions": [1-9]'; }

start_service() {
  local name="$1" port="${PORTS[$1]}"
  local pidfile="$STATE/$name.pid" logfile="$LOGS/$name.log"
  if lp_alive "$pidfile" "services.$name"; then
    lp_log "$name already running (pid $(lp_pid "$pidfile"))"
    return 0
  fi
  lp_port_free_or_die "$port"
  LEADPOOL_WEB_PORT="$port" lp_spawn "$pidfile" "$logfile" \
    "$PY" -m "services.$name"
}

cmd_start() {
  mkdir -p "$STATE" "$LOGS"
  bash "$LP_REPO_ROOT/deploy/local/kafka.sh" start
  bash "$LP_REPO_ROOT/deploy/local/redis.sh" start
  if [[ -x /usr/bin/prometheus ]]; then
    bash "$LP_REPO_ROOT/deploy/local/prometheus.sh" start || \
      lp_err "prometheus did not start; the pipeline runs without it"
  fi

  "$PY" -m services.cli.main config publish "$LEADPOOL_CONFIG_PATH"
  for name in "${SERVICES[@]}"; do start_service "$name"; done
  for name in "${SERVICES[@]}"; do
    lp_wait_ready 90 "$STATE/$name.pid" "services.$name" "$LOGS/$name.log" \
      healthy "${PORTS[$name]}"
    lp_log "$name ready on http://127.0.0.1:${PORTS[$name]}"
  done

  "$PY" -m services.cli.main demo feed --count "${DEMO_LEADS:-60}"
  cat <<TEXT

Leadpool is running.
  claims API   http://127.0.0.1:8082  (tokens: demo-<user>, e.g. demo-dave)
  metrics      http://127.0.0.1:8084/metrics
  prometheus   http://127.0.0.1:${PROMETHEUS_PORT:-9090}
  logs         $LOGS/<service>.log
Claim the best hot lead:
  curl -s -X POST -H 'Authorization: Bearer demo-dave' http://127.0.0.1:8082/pools/hot/claim
Stop everything: make stop
TEXT
}

cmd_stop() {
  for name in "${SERVICES[@]}"; do
    LP_NAME="$name" lp_stop "$STATE/$name.pid" "services.$name" 30
  done
  if [[ -x /usr/bin/prometheus ]]; then
    bash "$LP_REPO_ROOT/deploy/local/prometheus.sh" stop
  fi
  bash "$LP_REPO_ROOT/deploy/local/redis.sh" stop
  bash "$LP_REPO_ROOT/deploy/local/kafka.sh" stop
}

cmd_status() {
  for name in "${SERVICES[@]}"; do
    LP_NAME="$name" lp_status "$STATE/$name.pid" "services.$name" || true
  done
  bash "$LP_REPO_ROOT/deploy/local/kafka.sh" status || true
  bash "$LP_REPO_ROOT/deploy/local/redis.sh" status || true
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *) echo "usage: $(basename "$0") start|stop|status" >&2; exit 2 ;;
esac
