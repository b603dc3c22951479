#!/usr/bin/env bash
# Stops what up.sh started (by pid file), in reverse order. Data under .data/ is kept.
source "$(dirname "$0")/lib.sh"
services="$(selected_services "$@")"
for s in $(tr " " "\n" <<<"$services" | tac); do "stop_$s"; done
