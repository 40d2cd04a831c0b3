#!/usr/bin/env bash
# Makes sure the machine's own services that the tests use are up, starting each with the machine's own
# command when its port does not answer. Usable by developers too: `bash scripts/services.sh`.
set -u

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local name=$1 port=$2 i
  for i in $(seq 1 60); do
    port_open "$port" && return 0
    sleep 1
  done
  echo "services: $name did not come up on port $port within 60 s" >&2
  return 1
}

ensure() {
  local name=$1 port=$2
  shift 2
  if port_open "$port"; then
    echo "services: $name is up (port $port)"
    return 0
  fi
  echo "services: $name is down; starting it"
  "$@" >/dev/null 2>&1 || echo "services: starting $name returned $?" >&2
  wait_port "$name" "$port" && echo "services: $name started (port $port)"
}

# ensure_tool NAME PACKAGE CHECK...: runs CHECK; when it fails, installs Debian's PACKAGE (updating the package
# lists once if the first try fails) and runs CHECK again.
ensure_tool() {
  name=$1 package=$2
  shift 2
  "$@" >/dev/null 2>&1 && return 0
  echo "services: $name is missing; installing Debian's $package package"
  { apt-get install -y --no-install-recommends "$package" >/dev/null 2>&1 ||
    { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends "$package" >/dev/null 2>&1; }; } &&
    "$@" >/dev/null 2>&1 || { echo "services: could not install $name" >&2; return 1; }
}

status=0
# zsh: packages/cli/test/completion.int.test.ts types into a real zsh to check the completion script.
ensure_tool zsh zsh command -v zsh || status=1
# promtool (Debian's prometheus package) checks the daemon's /metrics output in tests/e2e/metrics.test.ts.
ensure_tool promtool prometheus command -v promtool || status=1
# Debian's chromium drives the dashboard's browser tests (tests/browser) through playwright-core: never a
# downloaded browser.
ensure_tool chromium chromium test -x /usr/bin/chromium || status=1
ensure redis 6379 redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
  --dir /var/lib/redis --logfile /var/log/redis/ci.log || status=1
ensure postgresql 5432 sh -c 'pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start' || status=1
ensure rabbitmq 5672 rabbitmq-server -detached || status=1
ensure nats 4222 start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
  -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log || status=1
exit $status
