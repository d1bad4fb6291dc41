#!/usr/bin/env bash
# Try the shared deployment on one machine: N Streamlit replicas behind a private nginx.
#
#   deploy/run-local.sh N [PORT]        (PORT: where nginx listens on 127.0.0.1, default 8080)
#
# Starts N `streamlit run app.py` on free 127.0.0.1 ports, writes nginx.conf from deploy/nginx.conf.template into
# a temporary prefix (pid, logs and temp files there: the system's nginx is not touched), waits until every replica
# and nginx answer /_stcore/health, prints "ready: URL", and stops everything on Ctrl-C / TERM.
# The replicas share the library through its one setting ($SHIFENG_LIBRARY_DB or secrets `library_db`): SQLite on
# this machine, or PostgreSQL when replicas run on several machines.
set -euo pipefail
N=${1:?usage: deploy/run-local.sh N [PORT]}
PORT=${2:-8080}
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
[ -x "$PY" ] || PY=python3
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
[ -x "$NGINX" ] || { echo "nginx not found: apt-get install nginx" >&2; exit 2; }

PREFIX=$(mktemp -d "${TMPDIR:-/tmp}/shifeng-deploy.XXXXXX")
mkdir -p "$PREFIX/tmp"
pids=()
stop() {
  trap - INT TERM EXIT
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for _ in $(seq 50); do  # up to 5 s, then kill what is left
    alive=0
    for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
    [ "$alive" = 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
  echo "stopped (logs in $PREFIX)"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_health() {  # URL TIMEOUT_S: until /_stcore/health answers ok
  "$PY" - "$1" "$2" <<'PYEOF'
import sys, time, urllib.request
url, deadline = sys.argv[1] + "/_stcore/health", time.time() + float(sys.argv[2])
while time.time() < deadline:
    try:
        if urllib.request.urlopen(url, timeout=2).read() == b"ok":
            sys.exit(0)
    except OSError:
        pass
    time.sleep(0.1)
sys.exit(f"no health from {url}")
PYEOF
}

# the app's modules byte-compiled once (where PYTHONDONTWRITEBYTECODE is set, every replica's start compiled them)
"$PY" -m compileall -q app.py pages ui model >/dev/null || true

# a shared cookie secret, so a signed cookie made by one replica is valid on the others
export STREAMLIT_SERVER_COOKIE_SECRET=${STREAMLIT_SERVER_COOKIE_SECRET:-$("$PY" -c 'import secrets; print(secrets.token_hex(32))')}
ports=()
upstreams=""
for i in $(seq 1 "$N"); do
  p=$(free_port)
  "$PY" -m ui.serve run app.py --server.headless true --server.port "$p" --server.address 127.0.0.1 \
    --browser.gatherUsageStats false --server.fileWatcherType none >"$PREFIX/replica-$p.log" 2>&1 &
  pids+=("$!")
  ports+=("$p")
  echo "replica $i: pid $! port $p"
  upstreams+="        server 127.0.0.1:$p max_fails=1 fail_timeout=10s;"$'\n'
done

max_mb=$(sed -n 's/^maxUploadSize *= *\([0-9][0-9]*\).*/\1/p' .streamlit/config.toml 2>/dev/null | head -1)
conf=$(<deploy/nginx.conf.template)
conf=${conf//"{{PREFIX}}"/$PREFIX}
conf=${conf//"{{PORT}}"/$PORT}
conf=${conf//"{{MAX_BODY}}"/${max_mb:-200}m}
conf=${conf//"{{UPSTREAMS}}"/${upstreams%$'\n'}}
printf '%s\n' "$conf" >"$PREFIX/nginx.conf"

for p in "${ports[@]}"; do wait_health "http://127.0.0.1:$p" 60; done
"$NGINX" -c "$PREFIX/nginx.conf" -p "$PREFIX" -e "$PREFIX/error.log" &
pids+=("$!")
echo "nginx: pid $! port $PORT prefix $PREFIX"
wait_health "http://127.0.0.1:$PORT" 20
echo "ready: http://127.0.0.1:$PORT"
# until Ctrl-C / TERM (a replica that dies is left out by nginx; the others carry on)
while :; do wait || true; sleep 1; done
