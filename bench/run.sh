#!/usr/bin/env bash
# Measure the gate on a generated database. Usage:
#   DATABASE_URL=sqlite:////tmp/bench-1m.sqlite3 bench/run.sh /tmp/bench-out
# Needs /usr/sbin/nginx (+ libnginx-mod-stream), /usr/bin/wrk, /usr/bin/time.
# Knobs: EXPORT_RUNS (3), RUNS (5 interleaved nginx runs), MAP_HASH_MAX (http),
# MAP_HASH_MAX_SNI, MAP_HASH_BUCKET,
# SKIP_NGINX=1 (the nginx figures depend only on the map file, not the database),
# NGINX_ONLY=1 (only the nginx part, on the map files already in the output folder),
# SKIP_AUTH_REQUEST=1 (skip nginx in auth_request mode, bench/auth_request.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-/tmp/beian-bench}
mkdir -p "$OUT"
PY=.venv/bin/python
T="/usr/bin/time -f %e_s_%M_KB"

if [ -z "${NGINX_ONLY:-}" ]; then  # NGINX_ONLY=1: reuse the map files already in $OUT
echo "== exports (wall time, peak RSS)"
for fmt in nginx-http nginx-sni haproxy txt; do
  for i in $(seq 1 "${EXPORT_RUNS:-3}"); do
    echo -n "$fmt run $i: "
    $T .venv/bin/beian gate export --format "$fmt" --output "$OUT/gate.$fmt" 2>&1 | tail -2 | tr '\n' ' '; echo
  done
done
ls -l "$OUT"/gate.*

echo "== in-process decisions"
$PY bench/decisions.py --from-db

echo "== public query"
$PY bench/query.py --samples 2000
fi

# Hosts for wrk: a third filed with www., a third deeper subdomains, a third unfiled
# (/gate/check gets the mix; nginx gets the filed ones, see below).
$PY - "$OUT" <<'PYEOF'
import random, sys
out = sys.argv[1]
rows = [l.split()[0] for l in open(f"{out}/gate.haproxy") if not l.startswith("#")]
rng = random.Random(3)
hosts = []
for i in range(100000):
    d = rng.choice(rows)
    hosts.append(["www." + d, "img.cdn." + d, f"www.unfiled{rng.randrange(10**9)}.com"][i % 3])
# Same responses with and without the map: only filed hosts (the map's only cost is the look-up).
filed = [h for h in hosts if "unfiled" not in h]
with open(f"{out}/hosts.lua", "w") as f:
    f.write("hosts = {\n" + ",\n".join(f'"{h}"' for h in filed) + "\n}\n")
    f.write("math.randomseed(7)\n")
    f.write("request = function()\n  wrk.headers['Host'] = hosts[math.random(#hosts)]\n  return wrk.format('GET', '/')\nend\n")
    f.write("\n")
with open(f"{out}/check.lua", "w") as f:
    f.write("hosts = {\n" + ",\n".join(f'"{h}"' for h in hosts[:20000]) + "\n}\n")
    f.write("math.randomseed(7)\n")
    f.write("request = function()\n  return wrk.format('GET', '/gate/check?host=' .. hosts[math.random(#hosts)])\nend\n")
PYEOF

if [ -z "${NGINX_ONLY:-}" ]; then
echo "== /gate/check with wrk (waitress, 8 threads)"
$PY -m waitress --host=127.0.0.1 --port=18000 --threads=8 beian.wsgi:application >"$OUT/waitress.log" 2>&1 &
APP=$!
start=$(date +%s.%N)
for _ in $(seq 1 600); do curl -s -o /dev/null "http://127.0.0.1:18000/gate/check?host=x" && break; sleep 1; done
echo "first answer (Django start + first snapshot load) after $(echo "$(date +%s.%N) - $start" | bc) s"
echo "app process RSS with the snapshot: $(ps -o rss= -p $APP) KB"
for i in 1 2 3; do
  wrk -t2 -c32 -d10s --latency -s "$OUT/check.lua" http://127.0.0.1:18000 \
    | awk '/Requests\/sec/ {r=$2} / 50%/ {p50=$2} / 99%/ {p99=$2} END {print "run: " r " req/s, p50 " p50 ", p99 " p99}'
done
kill "$APP"; wait "$APP" 2>/dev/null || true
fi

if [ -n "${SKIP_NGINX:-}" ]; then echo "== nginx skipped (SKIP_NGINX)"; exit 0; fi
echo "== nginx with and without the map"
# Both variants run side by side (with: 18080 + 18443, without: 18081) so the
# wrk runs can be interleaved: load from other processes hits both alike.
RUNS=${RUNS:-5}
mk_conf() {  # $1 = with|without, $2 = HTTP port
  mkdir -p "$OUT/nginx-$1/run"
  sed -e "s#user www-data;#user root;#" \
      -e "s#worker_processes auto;#worker_processes 1;#" \
      -e "s#listen 80 #listen 127.0.0.1:$2 #" -e "s#listen 443 #listen 127.0.0.1:18443 #" \
      -e "s#/etc/beian/gate/http.map#$OUT/gate.nginx-http#" -e "s#/etc/beian/gate/sni.map#$OUT/gate.nginx-sni#" \
      -e "s#/run/beian/#$OUT/nginx-$1/run/#g" -e "s#/var/log/nginx/#$OUT/nginx-$1/#" \
      -e "s#/usr/share/beian#$PWD/deploy/nginx#" \
      -e "s#map_hash_max_size 4194304;#map_hash_max_size ${MAP_HASH_MAX:-4194304};#" \
      -e "s#map_hash_max_size 262144;#map_hash_max_size ${MAP_HASH_MAX_SNI:-262144};#" \
      -e "s#map_hash_bucket_size 256;#map_hash_bucket_size ${MAP_HASH_BUCKET:-256};#" \
      -e 's#proxy_pass http://beian_backend;#return 200 "ok\\n";#' \
      deploy/nginx/nginx-gate-map.conf > "$OUT/nginx-$1/nginx.conf"
  if [ "$1" = without ]; then
    $PY - "$OUT/nginx-$1/nginx.conf" <<'PYEOF'
import re, sys
p = sys.argv[1]; s = open(p).read()
s = re.sub(r"\s*if \(\$beian_gate_allowed = 0\) \{\s*return 403;\s*\}", "", s)
s = re.sub(r"include [^;]*gate.nginx-http;", "", s)
s = re.sub(r"(?s)\nstream \{.*", "\n", s)
open(p, "w").write(s)
PYEOF
  fi
}
declare -A PIDS PORTS=([with]=18080 [without]=18081)
for variant in with without; do
  mk_conf $variant ${PORTS[$variant]}
  ng=(/usr/sbin/nginx -p "$OUT/nginx-$variant" -c "$OUT/nginx-$variant/nginx.conf" -e "$OUT/nginx-$variant/error.log")
  echo "-- $variant map: nginx -t (parse + build the hashes: time, peak RSS)"
  $T "${ng[@]}" -t 2>&1 | tail -1
  start=$(date +%s.%N)
  "${ng[@]}" -g "daemon off;" &
  PIDS[$variant]=$!
  until curl -s -o /dev/null "http://127.0.0.1:${PORTS[$variant]}/"; do sleep 0.2; done
  echo "start until the first answer $(echo "$(date +%s.%N) - $start" | bc) s"
  ps -o pid=,rss=,cmd= --ppid ${PIDS[$variant]} -p ${PIDS[$variant]}
  ps -o rss= --ppid ${PIDS[$variant]} -p ${PIDS[$variant]} | awk '{s+=$1} END {print "RSS master+worker " s " KB (shared pages counted twice)"}'
done
echo "-- wrk -t1 -c64 -d10s on filed hosts, $RUNS interleaved runs each (requests/s)"
for variant in with without; do : >"$OUT/rps-$variant"; done
for i in $(seq 1 "$RUNS"); do
  for variant in with without; do
    wrk -t1 -c64 -d10s -s "$OUT/hosts.lua" "http://127.0.0.1:${PORTS[$variant]}/" \
      | awk '/Requests\/sec/ {print $2}' >>"$OUT/rps-$variant"
  done
done
for variant in with without; do
  echo "$variant: $(tr '\n' ' ' <"$OUT/rps-$variant") median $(sort -n "$OUT/rps-$variant" | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')"
done
echo "-- reload with the maps (SIGHUP until the old worker has been replaced)"
NG=${PIDS[with]}
old=$(ps --ppid $NG -o pid= | tr -d ' ')
start=$(date +%s.%N); kill -HUP $NG
# The master parses the new configuration (the slow part) before it starts
# new workers; done when no old worker is left.
while true; do
  now=$(ps --ppid $NG -o pid= | tr -d ' ' | sort | tr '\n' ' ')
  if [ -n "$now" ] && ! echo " $now " | grep -q " $old "; then break; fi
  sleep 0.1
done
echo "reload $(echo "$(date +%s.%N) - $start" | bc) s"
ps -o pid=,rss=,cmd= --ppid $NG -p $NG
for variant in with without; do kill -QUIT ${PIDS[$variant]}; wait ${PIDS[$variant]} 2>/dev/null || true; done

if [ -z "${SKIP_AUTH_REQUEST:-}" ]; then
  echo "== nginx in auth_request mode, in front of /gate/check"
  bench/auth_request.sh "$OUT"
fi
