#!/usr/bin/env bash
# One line per service: name, up/down, address, pid (or external), data dir.
source "$(dirname "$0")/lib.sh"
for s in $(selected_services "$@"); do "status_$s"; done
