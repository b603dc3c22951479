#!/usr/bin/env bash
# Shared set-up for `npm start` and `npm test` on a machine that has only Node and npm:
# pnpm (pinned), dependencies from the lockfile, local services, a build, and migrations.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PNPM_VERSION="12.4.2"   # keep in step with "packageManager" in package.json (the lockfile records it)
export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

step() { printf '\n\033[1m==> %s\033[0m\n' "$*" >&2; }

if ! command -v pnpm >/dev/null || [[ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]]; then
  step "installing pnpm $PNPM_VERSION"
  npm install -g --silent "pnpm@$PNPM_VERSION"
fi

step "installing dependencies"
mkdir -p .data/logs
if ! pnpm install --frozen-lockfile --reporter=append-only >.data/logs/install.log 2>&1; then
  tail -n 40 .data/logs/install.log >&2
  echo "pnpm install failed (full log: .data/logs/install.log)" >&2
  exit 1
fi
tail -n 2 .data/logs/install.log

step "starting services (infra/up.sh)"
bash infra/up.sh
set -a; source .data/infra.env; set +a

step "building"
pnpm exec turbo run build --output-logs=errors-only

step "migrating the database"
pnpm --silent --filter @timekeeper/db run migrate
