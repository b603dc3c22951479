#!/usr/bin/env bash
# Ensures MariaDB, Redis, Temporal and Kafka (or the named ones) answer on loopback, then writes
# .data/infra.env with their addresses. Safe to run twice: a running instance is reused.
source "$(dirname "$0")/lib.sh"
services="$(selected_services "$@")"
for s in $services; do "ensure_$s"; done
write_env_file
log "ready; connection settings in $DATA/infra.env"
