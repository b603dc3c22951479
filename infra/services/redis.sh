# Redis from Debian's redis-server, daemonised with a pid file.
REDIS_DIR="$DATA/redis"
REDIS_PID="$REDIS_DIR/redis.pid"
REDIS_LOG="$REDIS_DIR/redis.log"

redis_url() { echo "${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}"; }

ensure_redis() {
  if [[ -n "${REDIS_URL:-}" ]]; then
    url_answers "$REDIS_URL" || die "REDIS_URL points at $(url_hostport "$REDIS_URL"), which does not answer"
    log "redis: using REDIS_URL"; return
  fi
  if reusable_instance redis "$REDIS_PID" "timeout 2 redis-cli -p '$REDIS_PORT' ping | grep -qE 'PONG|NOAUTH'"; then return; fi
  require_free_port redis "$REDIS_PORT" REDIS_PORT
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p "$REDIS_DIR"
  log "redis: starting on 127.0.0.1:$REDIS_PORT"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --pidfile "$REDIS_PID" \
    --dir "$REDIS_DIR" --logfile "$REDIS_LOG" --save 60 1000 --appendonly no >/dev/null
  wait_until redis "redis-cli -p '$REDIS_PORT' ping | grep -q PONG" "$REDIS_LOG"
}

stop_redis() { stop_pidfile redis "$REDIS_PID"; }
status_redis() { status_line redis REDIS_URL "127.0.0.1:$REDIS_PORT" "$REDIS_PID" "$REDIS_DIR"; }
log_redis() { echo "$REDIS_LOG"; }
