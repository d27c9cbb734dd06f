#!/usr/bin/env bash
# nginx in auth_request mode (deploy/nginx/nginx-gate-auth-request.conf) in
# front of `beian gate serve`'s /gate/check, with its 10-second answer cache,
# against the same nginx without the gate. Usage (after bench/run.sh, whose
# output folder holds hosts.lua):
#   DATABASE_URL=... bench/auth_request.sh /tmp/bench-out
# Both nginx proxy to a third server block that answers 200 (the backend), so
# the only difference is the gate. Hosts: "hot" = 1 000 filed hosts (most
# answers come from nginx's cache), "cold" = ~66 000 filed hosts (most go to
# the application). Knobs: RUNS (3).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-/tmp/beian-bench}
PY=.venv/bin/python
RUNS=${RUNS:-3}
D="$OUT/nginx-auth"
rm -rf "$D"; mkdir -p "$D/run" "$D/cache"

$PY - "$OUT" <<'PYEOF'
import re, sys
out = sys.argv[1]
text = open(f"{out}/hosts.lua").read()
hosts = re.search(r"hosts = \{\n(.*?)\n\}", text, re.S).group(1).split(",\n")
with open(f"{out}/hot.lua", "w") as f:
    f.write(text.replace(",\n".join(hosts), ",\n".join(hosts[:1000]), 1))
PYEOF

# The gate server of the deploy configuration (`beian gate serve`, granian).
$PY -m beian gate serve --host 127.0.0.1 --port 18001 --workers 1 >"$D/gate-serve.log" 2>&1 &
APP=$!
trap 'kill $APP 2>/dev/null || true' EXIT
until curl -s -o /dev/null "http://127.0.0.1:18001/gate/check?host=x"; do sleep 1; done

$PY - "$PWD/deploy/nginx/nginx-gate-auth-request.conf" "$D" <<'PYEOF'
import sys
src, d = sys.argv[1], sys.argv[2]
conf = open(src).read()
for old, new in {
    "user www-data;": "user root;",
    "worker_processes auto;": "worker_processes 1;",
    "/run/beian/": f"{d}/run/",
    "/var/log/nginx/": f"{d}/",
    "/var/cache/beian-gate": f"{d}/cache",
    "server 127.0.0.1:8001;": "server 127.0.0.1:18001;",
    "server 127.0.0.1:8080;": "server 127.0.0.1:18083;",
}.items():
    assert old in conf, old
    conf = conf.replace(old, new)
backend = '    server {\n        listen 127.0.0.1:18083;\n        return 200 "ok\\n";\n    }\n}\n'
with_gate = conf.replace("listen 80 default_server reuseport;", "listen 127.0.0.1:18082;")
with_gate = with_gate[: with_gate.rstrip().rfind("}")] + backend
without = with_gate.replace("listen 127.0.0.1:18082;", "listen 127.0.0.1:18084;")
without = without.replace("auth_request /__beian_gate;", "")
without = without.replace("listen 127.0.0.1:18083;", "listen 127.0.0.1:18085;")
without = without.replace("server 127.0.0.1:18083;", "server 127.0.0.1:18085;")
without = without.replace(f"{d}/run/nginx-gate-auth.pid", f"{d}/run/without.pid")
without = without.replace(f"{d}/cache", f"{d}/cache-without")
open(f"{d}/with.conf", "w").write(with_gate)
open(f"{d}/without.conf", "w").write(without)
PYEOF
mkdir -p "$D/cache-without"
declare -A PORT=([with]=18082 [without]=18084) NG
for v in with without; do
  /usr/sbin/nginx -p "$D" -c "$D/$v.conf" -e "$D/error-$v.log" -g "daemon off;" &
  NG[$v]=$!
  until curl -s -o /dev/null "http://127.0.0.1:${PORT[$v]}/"; do sleep 0.2; done
done
trap 'kill $APP ${NG[with]} ${NG[without]} 2>/dev/null || true' EXIT
echo "check: filed host $(curl -s -o /dev/null -w '%{http_code}' -H "Host: $(grep -m1 -o '"[^"]*"' "$OUT/hot.lua" | tr -d '"')" http://127.0.0.1:18082/)," \
     "unfiled host $(curl -s -o /dev/null -w '%{http_code}' -H 'Host: www.unfiled-bench.com' http://127.0.0.1:18082/)"

echo "-- wrk -t1 -c64 -d10s, $RUNS interleaved runs (requests/s, p99)"
for i in $(seq 1 "$RUNS"); do
  for case in "with hot" "with hosts" "without hosts"; do
    set -- $case
    wrk -t1 -c64 -d10s --latency -s "$OUT/$2.lua" "http://127.0.0.1:${PORT[$1]}/" \
      | awk -v c="$case" '/Requests\/sec/ {r=$2} / 99%/ {p=$2} END {print c ": " r " req/s, p99 " p}'
  done
done
