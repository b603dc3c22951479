# Redis from Debian's redis-server, daemonised with a pid file, behind a generated password: any local
# process could otherwise read the lock keys or inject live-stream entries that reach every console.
REDIS_DIR="$DATA/redis"
REDIS_PID="$REDIS_DIR/redis.pid"
REDIS_LOG="$REDIS_DIR/redis.log"
REDIS_CONF="$REDIS_DIR/redis.conf"
REDIS_PASSWORD_FILE="$REDIS_DIR/password"

# The password of the Redis we start, kept in .data/redis/password (mode 0600) like MariaDB's app password.
redis_password() {
  if [[ ! -s "$REDIS_PASSWORD_FILE" ]]; then
    mkdir -p "$REDIS_DIR"; (umask 077; head -c 24 /dev/urandom | base64 | tr -d '/+=' >"$REDIS_PASSWORD_FILE")
  fi
  cat "$REDIS_PASSWORD_FILE"
}

# A Redis started before passwords (no password file beside a running server) is used as it is, with a warning.
redis_url() {
  if [[ -n "${REDIS_URL:-}" ]]; then echo "$REDIS_URL"; return; fi
  if [[ -s "$REDIS_PASSWORD_FILE" ]]; then echo "redis://:$(cat "$REDIS_PASSWORD_FILE")@127.0.0.1:$REDIS_PORT"; else echo "redis://127.0.0.1:$REDIS_PORT"; fi
}

ensure_redis() {
  if [[ -n "${REDIS_URL:-}" ]]; then
    url_answers "$REDIS_URL" || die "REDIS_URL points at $(url_hostport "$REDIS_URL"), which does not answer"
    log "redis: using REDIS_URL"; return
  fi
  if reusable_instance redis "$REDIS_PID" "timeout 2 redis-cli -p '$REDIS_PORT' ping | grep -qE 'PONG|NOAUTH'"; then
    [[ -s "$REDIS_PASSWORD_FILE" ]] || log "redis: WARNING: it was started without a password; restart it (pnpm infra:down redis && pnpm infra:up redis) to get one"
    return
  fi
  require_free_port redis "$REDIS_PORT" REDIS_PORT
  command -v redis-server >/dev/null || apt_install redis-server
  mkdir -p "$REDIS_DIR"
  local pw; pw="$(redis_password)"
  # The password goes in a 0600 config file, not on the command line (where ps would show it).
  (umask 077; cat >"$REDIS_CONF" <<CONF
port $REDIS_PORT
bind 127.0.0.1
protected-mode yes
requirepass $pw
daemonize yes
pidfile $REDIS_PID
dir $REDIS_DIR
logfile $REDIS_LOG
save 60 1000
appendonly no
CONF
)
  log "redis: starting on 127.0.0.1:$REDIS_PORT (password in ${REDIS_PASSWORD_FILE#$ROOT/})"
  redis-server "$REDIS_CONF" >/dev/null
  wait_until redis "REDISCLI_AUTH='$pw' redis-cli -p '$REDIS_PORT' ping | grep -q PONG" "$REDIS_LOG"
}

stop_redis() { stop_pidfile redis "$REDIS_PID"; }
status_redis() { status_line redis REDIS_URL "127.0.0.1:$REDIS_PORT" "$REDIS_PID" "$REDIS_DIR"; }
log_redis() { echo "$REDIS_LOG"; }
