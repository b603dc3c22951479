#!/usr/bin/env bash
# `npm start`: set everything up, run the four apps until Ctrl-C, then stop them (services and data stay).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
source "$ROOT/scripts/apps.sh"
tail_pid=""
trap '[[ -n "$tail_pid" ]] && kill "$tail_pid" 2>/dev/null; stop_apps; echo "apps stopped; services keep running (pnpm infra:down stops them), data kept in .data/" >&2' EXIT
trap 'exit 130' INT TERM

step "seeding a small dataset if the database is empty"
pnpm --silent --filter @timekeeper/db run seed -- --if-empty
start_apps
cat >&2 <<MSG

  Timekeeper is running.
    Console      $WEB_URL
    API          $API_URL   (docs at /docs)
    Temporal UI  http://127.0.0.1:${TEMPORAL_UI_PORT:-8233}
    Admin key    in .data/admin-api-key (or your ADMIN_API_KEY): sign in to the console with it
  Logs: .data/logs/. Ctrl-C stops the apps.

MSG
tail -n 0 -F .data/logs/{api,worker,alerting,web}.log &
tail_pid=$!
wait "${app_pids[@]}"
