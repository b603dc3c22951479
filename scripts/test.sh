#!/usr/bin/env bash
# `npm test`: set everything up, then lint, typecheck and run every package's tests against the
# real services that infra/up.sh started; then the end-to-end suite against the full stack.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

step "lint and typecheck"
pnpm exec turbo run lint typecheck --output-logs=errors-only

step "unit and integration tests"
# Two at a time: the integration suites share two cores with MariaDB, Temporal and Kafka.
mkdir -p .data/logs
pnpm exec turbo run test --concurrency=2 --output-logs=full 2>&1 | tee .data/logs/test-output.log

step "chaos suite, short form (a private stack of its own on ports 5700-5799: it kills services)"
# Exits non-zero when a target is missed; its table is in the log. The shared services are not touched.
pnpm --silent chaos --short 2>&1 | tee .data/logs/chaos-output.log

step "end-to-end tests (full stack, Chromium)"
# Playwright cannot download a browser here: use Debian's Chromium, installed if missing.
if [[ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]]; then (source infra/lib.sh && apt_install chromium); fi
# A stack of its own: other ports, its own database and schedule owner, no config jobs, so it never
# touches what `npm start` runs.
export API_PORT=4300 WEB_PORT=3300 ALERTING_PORT=4400 WORKER_PORT=4500
export DATABASE_URL="${DATABASE_URL%/*}/timekeeper_e2e" TIMEKEEPER_INSTANCE=e2e TEMPORAL_TASK_QUEUE=timekeeper-e2e SYNC_JOBS_CONFIG=false
# Redis keys of its own too: the alerting lease and the live stream belong to one installation.
export ALERTING_LEASE_KEY=tk:e2e:alerting:lease LIVE_STREAM_KEY=tk:e2e:live
export ADMIN_API_KEY="${ADMIN_API_KEY:-tk_e2e_$(head -c 24 /dev/urandom | base64 | tr -d '/+=')}"
# A fresh database each run: the API's first drift pass then deletes the schedules earlier runs left behind.
pnpm --silent --filter @timekeeper/db run migrate -- --recreate
source "$ROOT/scripts/apps.sh"
trap stop_apps EXIT
start_apps
pnpm --filter @timekeeper/e2e run e2e 2>&1 | tee .data/logs/e2e-output.log

# One closing line over every runner: vitest's "Tests  N passed" lines, Playwright's "N passed" and the
# chaos suite's targets met (each a checked figure; a missed one would have stopped the run above).
passed=$(sed 's/\x1b\[[0-9;]*m//g' .data/logs/test-output.log | grep -oE 'Tests +[0-9]+ passed' | grep -oE '[0-9]+' | awk '{ s += $1 } END { print s + 0 }')
e2e=$(sed 's/\x1b\[[0-9;]*m//g' .data/logs/e2e-output.log | grep -oE '^ *[0-9]+ passed' | grep -oE '[0-9]+' | tail -n 1)
chaos=$(sed 's/\x1b\[[0-9;]*m//g' .data/logs/chaos-output.log | grep -oE '^chaos: [0-9]+ targets met' | grep -oE '[0-9]+' | tail -n 1)
echo "vitest tests ${passed}, playwright tests ${e2e:-0}, chaos targets ${chaos:-0}"
echo "$((passed + ${e2e:-0} + ${chaos:-0})) passed, 0 failed"
