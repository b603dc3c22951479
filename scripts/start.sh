#!/usr/bin/env bash
# `npm start`: set everything up, run the four apps until Ctrl-C, then stop them (services and data stay).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

WEB_PORT="${WEB_PORT:-3000}" API_PORT="${API_PORT:-4000}" ALERTING_PORT="${ALERTING_PORT:-4100}" WORKER_PORT="${WORKER_PORT:-4200}"
export WEB_PORT API_PORT ALERTING_PORT WORKER_PORT
mkdir -p .data/logs
pids=()
stop_apps() {
  trap - INT TERM EXIT
  step "stopping apps"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "apps stopped; services keep running (npm run infra:down stops them), data kept in .data/" >&2
}
trap stop_apps INT TERM EXIT

declare -A app_pid
run_app() { # name, dir, command...
  local name="$1" dir="$2"; shift 2
  (cd "$dir" && exec "$@") > >(sed -u "s/^/[$name] /" | tee -a ".data/logs/$name.log") 2>&1 &
  pids+=($!); app_pid[$name]=$!
}

step "starting apps"
run_app api apps/api node dist/server.js
run_app worker apps/worker node dist/server.js
run_app alerting apps/alerting node dist/server.js
run_app web apps/web pnpm exec next start -H 127.0.0.1 -p "$WEB_PORT"

wait_ready() { # name, url
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$2" 2>/dev/null && return 0
    kill -0 "${app_pid[$1]}" 2>/dev/null || { echo "$1 exited during start; its log: .data/logs/$1.log" >&2; return 1; }
    sleep 0.5
  done
  echo "$1 did not become ready at $2; its log: .data/logs/$1.log" >&2; return 1
}
wait_ready api "http://127.0.0.1:$API_PORT/readyz"
wait_ready worker "http://127.0.0.1:$WORKER_PORT/readyz"
wait_ready alerting "http://127.0.0.1:$ALERTING_PORT/readyz"
wait_ready web "http://127.0.0.1:$WEB_PORT/readyz"

cat >&2 <<MSG

  Timekeeper is running.
    Console      http://127.0.0.1:$WEB_PORT
    API          http://127.0.0.1:$API_PORT   (docs at /docs)
    Temporal UI  http://127.0.0.1:${TEMPORAL_UI_PORT:-8233}
  Ctrl-C stops the apps.

MSG
wait
