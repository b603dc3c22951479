# MariaDB from Debian's mariadb-server, run as root without systemd and without /etc/mysql (--no-defaults).
MARIADB_DIR="$DATA/mariadb"
MARIADB_PID="$MARIADB_DIR/mariadbd.pid"
MARIADB_SOCK="$MARIADB_DIR/mariadbd.sock"
MARIADB_LOG="$MARIADB_DIR/mariadbd.log"
MARIADB_DB="${MARIADB_DATABASE:-timekeeper}"

mariadb_url() { echo "${DATABASE_URL:-mysql://timekeeper:$(mariadb_password)@127.0.0.1:$MARIADB_PORT/$MARIADB_DB}"; }

ensure_mariadb() {
  if [[ -n "${DATABASE_URL:-}" ]]; then
    url_answers "$DATABASE_URL" || die "DATABASE_URL points at $(url_hostport "$DATABASE_URL"), which does not answer"
    log "mariadb: using DATABASE_URL ($(url_hostport "$DATABASE_URL"))"; return
  fi
  if reusable_instance mariadb "$MARIADB_PID" "timeout 5 mariadb-admin --no-defaults --socket='$MARIADB_SOCK' -uroot ping"; then return; fi
  require_free_port mariadb "$MARIADB_PORT" MARIADB_PORT
  command -v mariadbd >/dev/null || [[ -x /usr/sbin/mariadbd ]] || apt_install mariadb-server
  export PATH="$PATH:/usr/sbin"
  mkdir -p "$MARIADB_DIR/data"
  if [[ ! -d "$MARIADB_DIR/data/mysql" ]]; then
    log "mariadb: initialising $MARIADB_DIR/data"
    mariadb-install-db --no-defaults --user=root --datadir="$MARIADB_DIR/data" \
      --auth-root-authentication-method=normal --skip-test-db >"$MARIADB_LOG" 2>&1 \
      || { tail -n 25 "$MARIADB_LOG" >&2; die "mariadb-install-db failed (log: $MARIADB_LOG)"; }
  fi
  log "mariadb: starting on 127.0.0.1:$MARIADB_PORT"
  setsid nohup mariadbd --no-defaults --user=root --datadir="$MARIADB_DIR/data" --socket="$MARIADB_SOCK" \
    --pid-file="$MARIADB_PID" --bind-address=127.0.0.1 --port="$MARIADB_PORT" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --innodb-buffer-pool-size=512M --max-connections=500 >>"$MARIADB_LOG" 2>&1 </dev/null &
  wait_until mariadb "mariadb-admin --no-defaults --socket='$MARIADB_SOCK' -uroot ping" "$MARIADB_LOG"
  local pw; pw="$(mariadb_password)"
  # The app user may also create throwaway databases named timekeeper_* (one per test suite).
  mariadb --no-defaults --socket="$MARIADB_SOCK" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS \`$MARIADB_DB\`;
CREATE USER IF NOT EXISTS 'timekeeper'@'127.0.0.1' IDENTIFIED BY '$pw';
CREATE USER IF NOT EXISTS 'timekeeper'@'localhost' IDENTIFIED BY '$pw';
GRANT ALL PRIVILEGES ON \`timekeeper%\`.* TO 'timekeeper'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`timekeeper%\`.* TO 'timekeeper'@'localhost';
FLUSH PRIVILEGES;
SQL
}

stop_mariadb() { stop_pidfile mariadb "$MARIADB_PID"; }
status_mariadb() { status_line mariadb DATABASE_URL "127.0.0.1:$MARIADB_PORT" "$MARIADB_PID" "$MARIADB_DIR"; }
log_mariadb() { echo "$MARIADB_LOG"; }
