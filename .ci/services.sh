#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL + Redis on loopback, then stop them:
#   .ci/services.sh .venv/bin/pytest
# Ports are below the ephemeral range (32768+): PG_PORT (default 25432), REDIS_PORT (default 26379).
set -euo pipefail
PG_PORT=${PG_PORT:-25432}
REDIS_PORT=${REDIS_PORT:-26379}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
RUNDIR=$(mktemp -d /tmp/dateline-services.XXXXXX)
chmod 755 "$RUNDIR"

as_postgres() {  # PostgreSQL refuses to run as root
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

stop() {
  set +e
  [ -f "$RUNDIR/pg/postmaster.pid" ] && as_postgres "$PGBIN/pg_ctl" -D "$RUNDIR/pg" -m fast -w stop >/dev/null
  [ -f "$RUNDIR/redis.pid" ] && kill "$(cat "$RUNDIR/redis.pid")" 2>/dev/null
  rm -rf "$RUNDIR"
}
trap stop EXIT

mkdir -p "$RUNDIR/pg" "$RUNDIR/pgrun"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$RUNDIR/pg" "$RUNDIR/pgrun"
chmod 700 "$RUNDIR/pg"
as_postgres "$PGBIN/initdb" -D "$RUNDIR/pg" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
as_postgres "$PGBIN/pg_ctl" -D "$RUNDIR/pg" -l "$RUNDIR/pgrun/pg.log" -w -t 60 start \
  -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $RUNDIR/pgrun -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres dateline
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --dir "$RUNDIR" \
  --daemonize yes --pidfile "$RUNDIR/redis.pid" --logfile "$RUNDIR/redis.log"
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/dateline"
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
export PGDATA_DIR="$RUNDIR/pg"  # tests that restart PostgreSQL (tests/test_faults.py) need its data folder
echo "PostgreSQL on $PG_PORT, Redis on $REDIS_PORT"
"$@"
