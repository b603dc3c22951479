#!/usr/bin/env bash
# `pnpm bench [--only NAME] [--skip NAME] [--quick] [--list]`: every benchmark with its baseline, one
# table at the end (packages/bench). Uses the services named by DATABASE_URL, REDIS_URL,
# TEMPORAL_ADDRESS and KAFKA_BROKERS when all four are set; otherwise infra/up.sh ensures them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export NEXT_TELEMETRY_DISABLED=1 TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

if [[ -n "${DATABASE_URL:-}" && -n "${REDIS_URL:-}" && -n "${TEMPORAL_ADDRESS:-}" && -n "${KAFKA_BROKERS:-}" ]]; then
  echo "bench: using the services in DATABASE_URL, REDIS_URL, TEMPORAL_ADDRESS and KAFKA_BROKERS" >&2
else
  bash infra/up.sh
  set -a; source .data/infra.env; set +a
fi

# The benchmarks run built code; the console is built only when the timeline benchmark may run.
filters=()
if [[ " $* " == *" --only"* && " $* " != *timeline* ]] || [[ " $* " == *"--skip"*timeline* ]]; then filters=(--filter='!@timekeeper/web'); fi
pnpm exec turbo run build "${filters[@]}" --output-logs=errors-only >&2
exec node packages/bench/dist/run.js "$@"
