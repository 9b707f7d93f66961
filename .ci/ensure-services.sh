#!/usr/bin/env bash
# Bring up the PostgreSQL and Redis the test suite talks to, when they are not already running.
# The suite expects PostgreSQL on 127.0.0.1:5432 (user postgres, trust auth, database "test")
# and Redis on 127.0.0.1:6379.
set -euo pipefail

postgres_up() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! postgres_up; then
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    bash "$(dirname "$0")/ensure-tools.sh" pg_ctlcluster:postgresql
  fi
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  # A throw-away test server: local TCP connections are trusted, as on the project's CI machines.
  if ! grep -q "mux-scheduler test" "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust # mux-scheduler test\nhost all all ::1/128 trust # mux-scheduler test' "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || pg_ctlcluster "$version" main start
  for _ in $(seq 1 30); do postgres_up && break; sleep 1; done
  postgres_up || { echo "PostgreSQL did not start" >&2; exit 1; }
fi
if ! psql -h 127.0.0.1 -U postgres -d test -c "select 1" >/dev/null 2>&1; then
  psql -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE test" >/dev/null
fi

if ! redis_up; then
  command -v redis-server >/dev/null 2>&1 || bash "$(dirname "$0")/ensure-tools.sh" redis-server:redis-server
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis_up && break; sleep 1; done
  redis_up || { echo "Redis did not start" >&2; exit 1; }
fi
echo "PostgreSQL and Redis are up."
