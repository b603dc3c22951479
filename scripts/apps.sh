#!/usr/bin/env bash
# Sourced by start.sh and test.sh: starts the four apps in the background, waits for /readyz, and
# stops them on exit. Expects bootstrap.sh to have run (services up, build done, env loaded).

WEB_PORT="${WEB_PORT:-3000}" API_PORT="${API_PORT:-4000}" ALERTING_PORT="${ALERTING_PORT:-4100}" WORKER_PORT="${WORKER_PORT:-4200}"
export WEB_PORT API_PORT ALERTING_PORT WORKER_PORT
export API_URL="${API_URL:-http://127.0.0.1:$API_PORT}" WEB_URL="${WEB_URL:-http://127.0.0.1:$WEB_PORT}"
mkdir -p .data/logs

# The console and API need an admin key: keep one in .data (never in the repo) unless one is given.
if [[ -z "${ADMIN_API_KEY:-}" ]]; then
  [[ -s .data/admin-api-key ]] || { (umask 077; echo "tk_admin_$(head -c 24 /dev/urandom | base64 | tr -d '/+=')" >.data/admin-api-key); }
  ADMIN_API_KEY="$(cat .data/admin-api-key)"
fi
export ADMIN_API_KEY

# The console and the API share a secret: only requests carrying it may use console sessions and name the
# browser's address. Generated once into .data unless given.
if [[ -z "${CONSOLE_SECRET:-}" ]]; then
  [[ -s .data/console-secret ]] || { (umask 077; head -c 32 /dev/urandom | base64 | tr -d '/+=' >.data/console-secret); }
  CONSOLE_SECRET="$(cat .data/console-secret)"
fi
export CONSOLE_SECRET

# Routing destinations' secrets are sealed in MySQL with this key (AES-256-GCM; the API and the alerting
# service share it). Generated once into .data unless given; losing it means re-entering those secrets.
if [[ -z "${DESTINATION_SECRETS_KEY:-}" ]]; then
  [[ -s .data/destination-secrets-key ]] || { (umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >.data/destination-secrets-key); }
  DESTINATION_SECRETS_KEY="$(cat .data/destination-secrets-key)"
fi
export DESTINATION_SECRETS_KEY

app_pids=()
declare -A app_pid

stop_apps() {
  ((${#app_pids[@]})) || return 0
  step "stopping apps"
  for pid in "${app_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait "${app_pids[@]}" 2>/dev/null || true
  app_pids=()
}

run_app() { # name, dir, command...
  local name="$1" dir="$2"; shift 2
  (cd "$dir" && exec "$@") > >(sed -u "s/^/[$name] /" >>".data/logs/$name.log") 2>&1 &
  app_pids+=($!); app_pid[$name]=$!
}

# True when the URL answers 2xx (Node's fetch: no curl needed on a bare machine).
http_ok() { node -e 'fetch(process.argv[1], { signal: AbortSignal.timeout(2000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$1"; }

wait_ready() { # name, url
  for _ in $(seq 1 240); do
    http_ok "$2" && return 0
    kill -0 "${app_pid[$1]}" 2>/dev/null || { echo "$1 exited during start; last lines of .data/logs/$1.log:" >&2; tail -n 20 ".data/logs/$1.log" >&2; return 1; }
    sleep 0.5
  done
  echo "$1 did not become ready at $2; last lines of .data/logs/$1.log:" >&2; tail -n 20 ".data/logs/$1.log" >&2; return 1
}

start_apps() {
  step "starting apps (logs in .data/logs/)"
  run_app api apps/api node dist/server.js
  run_app worker apps/worker node dist/server.js
  run_app alerting apps/alerting node dist/server.js
  run_app web apps/web pnpm exec next start -H 127.0.0.1 -p "$WEB_PORT"
  wait_ready api "$API_URL/readyz"
  wait_ready worker "http://127.0.0.1:$WORKER_PORT/readyz"
  wait_ready alerting "http://127.0.0.1:$ALERTING_PORT/readyz"
  wait_ready web "$WEB_URL/readyz"
}
