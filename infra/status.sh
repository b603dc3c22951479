#!/usr/bin/env bash
# One line per service: name, up/down, address, pid (or external), data dir.
source "$(dirname "$0")/lib.sh"
services="$(selected_services "$@")"
for s in $services; do "status_$s"; done
