# Single-node Kafka in KRaft mode from Maven Central jars (infra/kafka/pom.xml), storage formatted once.
KAFKA_DIR="$DATA/kafka"
KAFKA_PID="$KAFKA_DIR/kafka.pid"
KAFKA_LOG="$KAFKA_DIR/kafka.log"
KAFKA_LIBS="$TOOLS/kafka/libs"   # the jars, shared by every stack using the same TK_TOOLS_DIR

kafka_brokers() { echo "${KAFKA_BROKERS:-127.0.0.1:$KAFKA_PORT}"; }
kafka_java() { java -Xms128m -Xmx512m -Dlog4j.configuration="file:$KAFKA_DIR/log4j.properties" -cp "$KAFKA_LIBS/*" "$@"; }

install_kafka() {
  command -v java >/dev/null || apt_install openjdk-17-jre-headless
  command -v mvn >/dev/null || apt_install maven
  if [[ ! -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ]]; then
    log "kafka: resolving Kafka $KAFKA_VERSION jars from Maven Central"
    mkdir -p "$KAFKA_LIBS"
    mvn -q -B -f "$ROOT/infra/kafka/pom.xml" dependency:copy-dependencies -DoutputDirectory="$KAFKA_LIBS" \
      >"$TOOLS/kafka/mvn.log" 2>&1 || { tail -n 25 "$TOOLS/kafka/mvn.log" >&2; die "maven could not fetch Kafka (log: $TOOLS/kafka/mvn.log)"; }
  fi
}

write_kafka_config() {
  cat >"$KAFKA_DIR/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DIR/data
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
  cat >"$KAFKA_DIR/log4j.properties" <<PROPS
log4j.rootLogger=WARN, stdout
log4j.logger.kafka.server.KafkaServer=INFO
log4j.logger.kafka.server.KafkaRaftServer=INFO
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
PROPS
}

create_kafka_topics() {
  local existing; existing="$(kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --list 2>>"$KAFKA_LOG")"
  for t in $KAFKA_TOPICS; do
    grep -qx "$t" <<<"$existing" && continue
    log "kafka: creating topic $t"
    kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --create --if-not-exists \
      --topic "$t" --partitions 3 --replication-factor 1 >>"$KAFKA_LOG" 2>&1 || die "could not create topic $t (log: $KAFKA_LOG)"
  done
}

ensure_kafka() {
  if [[ -n "${KAFKA_BROKERS:-}" ]]; then
    url_answers "$KAFKA_BROKERS" || die "KAFKA_BROKERS points at $(url_hostport "$KAFKA_BROKERS"), which does not answer"
    log "kafka: using KAFKA_BROKERS (create topics $KAFKA_TOPICS there if they are missing)"; return
  fi
  if reusable_instance kafka "$KAFKA_PID" "port_open 127.0.0.1 $KAFKA_PORT"; then return; fi
  require_free_port kafka "$KAFKA_PORT" KAFKA_PORT
  require_free_port kafka-controller "$KAFKA_CONTROLLER_PORT" KAFKA_CONTROLLER_PORT
  mkdir -p "$KAFKA_DIR"
  install_kafka
  write_kafka_config
  if [[ ! -f "$KAFKA_DIR/data/meta.properties" ]]; then
    log "kafka: formatting storage in $KAFKA_DIR/data"
    kafka_java kafka.tools.StorageTool format -t "$(kafka_java kafka.tools.StorageTool random-uuid)" \
      -c "$KAFKA_DIR/server.properties" >>"$KAFKA_LOG" 2>&1 || { tail -n 25 "$KAFKA_LOG" >&2; die "kafka storage format failed (log: $KAFKA_LOG)"; }
  fi
  log "kafka: starting on 127.0.0.1:$KAFKA_PORT"
  setsid nohup java -Xms256m -Xmx768m -Dlog4j.configuration="file:$KAFKA_DIR/log4j.properties" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_DIR/server.properties" >>"$KAFKA_LOG" 2>&1 </dev/null &
  echo $! >"$KAFKA_PID"
  wait_until kafka "port_open 127.0.0.1 $KAFKA_PORT && pid_alive '$KAFKA_PID'" "$KAFKA_LOG"
  create_kafka_topics
}

stop_kafka() { stop_pidfile kafka "$KAFKA_PID"; }
status_kafka() { status_line kafka KAFKA_BROKERS "127.0.0.1:$KAFKA_PORT" "$KAFKA_PID" "$KAFKA_DIR"; }
log_kafka() { echo "$KAFKA_LOG"; }
