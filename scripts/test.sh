#!/usr/bin/env bash
# `npm test`: set everything up, then lint, typecheck and run every package's tests against the
# real services that infra/up.sh started.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

step "lint and typecheck"
pnpm exec turbo run lint typecheck --output-logs=errors-only

step "tests"
# Two at a time: the integration suites share two cores with MariaDB, Temporal and Kafka.
pnpm exec turbo run test --concurrency=2 --output-logs=full
