#!/usr/bin/env bash
# Stops what up.sh started (by pid file), in reverse order. Data under .data/ is kept.
source "$(dirname "$0")/lib.sh"
for s in $(selected_services "$@" | tr ' ' '\n' | tac); do "stop_$s"; done
