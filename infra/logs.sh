#!/usr/bin/env bash
# Prints the last lines of each service's log; -f follows them.
source "$(dirname "$0")/lib.sh"
follow=""; [[ "${1:-}" == "-f" ]] && { follow=1; shift; }
services="$(selected_services "$@")"
files=(); for s in $services; do f="$("log_$s")"; [[ -f "$f" ]] && files+=("$f"); done
[[ ${#files[@]} -gt 0 ]] || die "no logs yet under $DATA"
if [[ -n "$follow" ]]; then tail -n 20 -F "${files[@]}"; else tail -n 30 "${files[@]}"; fi
