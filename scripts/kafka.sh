#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft) for development and CI, without Docker.
#   scripts/kafka.sh start|stop|status|restart|logs
# The broker jars come from Maven Central through mvn (cached in ~/.m2); nothing is downloaded by hand.
# Idempotent: `start` on a running broker only checks it, `stop` on a stopped one does nothing.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
state="${THIHANH_KAFKA_DIR:-$root/.kafka}"
host="${KAFKA_HOST:-127.0.0.1}"
port="${KAFKA_PORT:-9092}"
controller_port="${KAFKA_CONTROLLER_PORT:-9093}"
heap="${KAFKA_HEAP:-512m}"
wait_seconds="${KAFKA_WAIT_SECONDS:-90}"
pidfile="$state/broker.pid"
logfile="$state/broker.log"
cpfile="$state/classpath.txt"

log() { printf '[kafka] %s\n' "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/$host/$1") 2>/dev/null; }

running_pid() {
  [[ -f "$pidfile" ]] || return 1
  local pid; pid="$(cat "$pidfile")"
  kill -0 "$pid" 2>/dev/null && { echo "$pid"; return 0; }
  return 1
}

resolve_classpath() {
  local pom="$here/kafka/pom.xml"
  if [[ -s "$cpfile" && "$cpfile" -nt "$pom" ]] && tr ':' '\n' <"$cpfile" | while read -r jar; do [[ -f "$jar" ]] || exit 1; done; then
    return 0
  fi
  command -v mvn >/dev/null || { log "mvn is not installed: it is needed to fetch the Kafka jars"; exit 1; }
  command -v java >/dev/null || { log "java is not installed: the broker needs Java 17+"; exit 1; }
  log "resolving the Kafka broker jars with Maven (first run only)"
  mvn -q -B -f "$pom" dependency:build-classpath -Dmdep.outputFile="$cpfile" >"$state/mvn.log" 2>&1 \
    || { cat "$state/mvn.log" >&2; log "mvn failed"; exit 1; }
}

write_config() {
  mkdir -p "$state/data"
  cat >"$state/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$host:$controller_port
listeners=PLAINTEXT://$host:$port,CONTROLLER://$host:$controller_port
advertised.listeners=PLAINTEXT://$host:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$state/data
num.partitions=3
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=5
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
log.retention.hours=-1
log.retention.bytes=-1
PROPS
  cat >"$state/log4j2.properties" <<'PROPS'
rootLogger.level=INFO
rootLogger.appenderRef.stdout.ref=STDOUT
appender.stdout.type=Console
appender.stdout.name=STDOUT
appender.stdout.layout.type=PatternLayout
appender.stdout.layout.pattern=[%d] %p %m (%c)%n
logger.kafka.name=kafka
logger.kafka.level=WARN
logger.apache.name=org.apache.kafka
logger.apache.level=WARN
logger.started.name=kafka.server.KafkaRaftServer
logger.started.level=INFO
PROPS
}

java_cmd() {
  java -Xms128m -Xmx"$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$state/log4j2.properties" -cp "$(cat "$cpfile")" "$@"
}

format_store() {
  [[ -f "$state/data/meta.properties" ]] && return 0
  local cluster_id
  cluster_id="$(java_cmd kafka.tools.StorageTool random-uuid | tail -n 1)"
  log "formatting the KRaft store (cluster $cluster_id)"
  java_cmd kafka.tools.StorageTool format -t "$cluster_id" -c "$state/server.properties" >>"$state/format.log" 2>&1 \
    || { cat "$state/format.log" >&2; exit 1; }
}

start() {
  mkdir -p "$state"
  if pid="$(running_pid)"; then
    wait_ready "$pid"
    log "already running (pid $pid) on $host:$port"
    return 0
  fi
  if port_open "$port"; then
    log "something else already listens on $host:$port; refusing to start a second broker"
    exit 1
  fi
  resolve_classpath
  write_config
  format_store
  log "starting the broker on $host:$port"
  : >"$logfile"
  nohup java -Xms128m -Xmx"$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$state/log4j2.properties" -cp "$(cat "$cpfile")" \
    kafka.Kafka "$state/server.properties" >>"$logfile" 2>&1 </dev/null &
  echo $! >"$pidfile"
  wait_ready "$(cat "$pidfile")"
  log "ready on $host:$port (pid $(cat "$pidfile"))"
}

wait_ready() {
  local pid="$1" deadline=$((SECONDS + wait_seconds))
  until port_open "$port" && grep -q "Kafka Server started\|started (kafka.server.KafkaRaftServer)" "$logfile" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$logfile" >&2 || true
      log "the broker exited while starting"
      exit 1
    fi
    if ((SECONDS > deadline)); then
      tail -n 40 "$logfile" >&2 || true
      log "the broker did not answer within ${wait_seconds}s"
      exit 1
    fi
    sleep 0.5
  done
}

stop() {
  local pid
  if ! pid="$(running_pid)"; then
    log "not running"
    rm -f "$pidfile"
    return 0
  fi
  log "stopping pid $pid"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "still running after 30s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

status() {
  if pid="$(running_pid)" && port_open "$port"; then
    echo "running (pid $pid) on $host:$port"
  else
    echo "stopped"
    return 3
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  logs) tail -n "${2:-100}" "$logfile" ;;
  reset) stop; rm -rf "$state/data"; log "store removed" ;;
  *) echo "usage: $0 start|stop|restart|status|logs [n]|reset" >&2; exit 2 ;;
esac
