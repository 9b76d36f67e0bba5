# shellcheck shell=bash
# Shared helpers for deploy/local/*.sh. Source it; it defines functions and a
# few variables and runs nothing else.
#
#   LP_REPO_ROOT  repository root (found from this file, not from $PWD)
#   LP_RUN_DIR    ${LEADPOOL_RUN_DIR:-<repo>/.run}: all runtime state
#   LP_CACHE      ${LEADPOOL_CACHE:-$HOME/.cache/leadpool}: downloads kept across runs
#   LP_NAME       set by the sourcing script; used in messages

LP_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
LP_RUN_DIR="${LEADPOOL_RUN_DIR:-$LP_REPO_ROOT/.run}"
case "$LP_RUN_DIR" in
  /*) ;;
  *) LP_RUN_DIR="$PWD/$LP_RUN_DIR" ;;
esac
LP_CACHE="${LEADPOOL_CACHE:-$HOME/.cache/leadpool}"
LP_NAME="${LP_NAME:-service}"

lp_log() { printf '[%s] %s\n' "$LP_NAME" "$*"; }
lp_err() { printf '[%s] ERROR: %s\n' "$LP_NAME" "$*" >&2; }
lp_die() { lp_err "$*"; exit 1; }

# lp_require CMD...: fail clearly when a needed program is missing.
lp_require() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || lp_die "'$cmd' not found on PATH"
  done
}

# lp_lock DIR: serialise start/stop of one service (held until the script exits).
lp_lock() {
  mkdir -p "$1"
  exec 9>"$1/.lock"
  flock -w 120 9 || lp_die "could not lock $1/.lock within 120 s"
}

# lp_pid PIDFILE: print the pid recorded in PIDFILE, or nothing.
lp_pid() {
  local pid=""
  [[ -f "$1" ]] && read -r pid <"$1" 2>/dev/null || true
  [[ "$pid" =~ ^[0-9]+$ ]] && printf '%s' "$pid"
  return 0
}

# lp_alive PIDFILE PATTERN: true when the recorded pid is alive and its command
# line contains PATTERN (so a recycled pid is never mistaken for ours).
lp_alive() {
  local pid
  pid="$(lp_pid "$1")"
  [[ -n "$pid" ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 0
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$2"
}

# lp_spawn PIDFILE LOGFILE CMD...: run CMD detached (own session, no stdin,
# output appended to LOGFILE) and record its pid in PIDFILE.
lp_spawn() {
  local pidfile="$1" logfile="$2"
  shift 2
  rm -f "$pidfile"
  # The inner shell writes its own pid and then execs CMD, so the pid is CMD's.
  nohup setsid bash -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' \
    "$pidfile" "$@" >>"$logfile" 2>&1 </dev/null 8>&- 9>&- &
  local deadline=$((SECONDS + 10))
  until [[ -s "$pidfile" ]]; do
    ((SECONDS < deadline)) || lp_die "process did not record its pid in $pidfile"
    sleep 0.05
  done
}

# lp_wait_ready TIMEOUT_S PIDFILE PATTERN LOGFILE CMD...: poll CMD until it
# succeeds; fail early if the process dies, or at the deadline (stopping it),
# showing the log.
lp_wait_ready() {
  local timeout="$1" pidfile="$2" pattern="$3" logfile="$4"
  shift 4
  local deadline=$((SECONDS + timeout))
  while :; do
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    if ! lp_alive "$pidfile" "$pattern"; then
      lp_err "process exited during startup; last lines of $logfile:"
      lp_tail "$logfile"
      rm -f "$pidfile"
      exit 1
    fi
    if ((SECONDS >= deadline)); then
      lp_err "not ready after ${timeout}s; last lines of $logfile:"
      lp_tail "$logfile"
      # Leave no half-started process that a later start would take as ready.
      lp_stop "$pidfile" "$pattern" 30 >&2
      exit 1
    fi
    sleep 0.2
  done
}

lp_tail() {
  if [[ -f "$1" ]]; then
    tail -n "${2:-40}" "$1" | sed 's/^/    /' >&2
  else
    echo "    ($1 does not exist)" >&2
  fi
}

# lp_stop PIDFILE PATTERN [TIMEOUT_S]: SIGTERM the recorded process, wait,
# then SIGKILL. Harmless when nothing runs. Never touches any other process.
lp_stop() {
  local pidfile="$1" pattern="$2" timeout="${3:-30}"
  local pid
  pid="$(lp_pid "$pidfile")"
  if ! lp_alive "$pidfile" "$pattern"; then
    rm -f "$pidfile"
    lp_log "not running"
    return 0
  fi
  lp_log "stopping (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + timeout))
  while kill -0 "$pid" 2>/dev/null; do
    if ((SECONDS >= deadline)); then
      lp_err "pid $pid still alive after ${timeout}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
      break
    fi
    sleep 0.1
  done
  rm -f "$pidfile"
  lp_log "stopped"
}

# lp_status PIDFILE PATTERN: print running/stopped; exit 0 / 3 (LSB style).
lp_status() {
  if lp_alive "$1" "$2"; then
    lp_log "running (pid $(lp_pid "$1"))"
    return 0
  fi
  lp_log "stopped"
  return 3
}

# lp_tcp_open HOST PORT: true when something accepts TCP connections there.
lp_tcp_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# lp_port_free_or_die PORT: refuse to start when the port is already taken.
lp_port_free_or_die() {
  if lp_tcp_open 127.0.0.1 "$1"; then
    lp_die "port $1 on 127.0.0.1 is already in use by a process this script did not start"
  fi
}

# lp_main "$@": dispatch start|stop|status|restart to lp_cmd_<name> functions.
lp_main() {
  local cmd="${1:-}"
  case "$cmd" in
    start | stop | status) "lp_cmd_$cmd" ;;
    restart) lp_cmd_stop && lp_cmd_start ;;
    *)
      if [[ -n "$cmd" ]] && declare -F "lp_cmd_$cmd" >/dev/null; then
        "lp_cmd_$cmd"
      else
        echo "usage: $(basename "$0") start|stop|status|restart" >&2
        exit 2
      fi
      ;;
  esac
}
