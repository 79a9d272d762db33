#!/usr/bin/env bash
# RabbitMQ must answer on 127.0.0.1:5672 (or ZHIBIAO_AMQP_URL's host). Start the local
# server if it is installed but stopped; otherwise say exactly what to do.
set -u
host=127.0.0.1 port=5672
answers() { (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; }
answers && exit 0
if command -v rabbitmq-server >/dev/null 2>&1; then
  echo "RabbitMQ is installed but not answering on $host:$port: starting it (rabbitmq-server -detached)"
  rabbitmq-server -detached >/dev/null 2>&1 || true
  for _ in $(seq 1 60); do answers && { sleep 2; exit 0; }; sleep 1; done
  echo "RabbitMQ did not start within 60 s; see /var/log/rabbitmq/" >&2
  exit 1
fi
cat >&2 <<MSG
RabbitMQ is not running on $host:$port and is not installed.
Install and start it, e.g. on Debian/Ubuntu:
    sudo apt-get install -y rabbitmq-server && sudo rabbitmq-server -detached
or with Docker:
    docker run -d --name rabbitmq -p 5672:5672 rabbitmq:3
or point ZHIBIAO_AMQP_URL at a broker you have.
MSG
exit 1
