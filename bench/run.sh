#!/usr/bin/env bash
# bench/run.sh - the benchmarks of bench/README.md (`make bench`).
#
# On one machine, in one run: the province-scale data set (bench/gen.sh,
# made once into bench/out/province.db), duban serving a copy of it, and
# wrk against four hot endpoints; beside them two baselines: nginx serving
# a 2 KB static file (the ceiling for a read) and SQLite committing one row
# per fsync (the floor group commit must beat).  Each figure is printed as
# a ratio to its baseline, with p50/p99 latency and peak RSS, and written
# to bench/out/results.md.
#
# Everything listens on 127.0.0.1 only; every run is bounded (BENCH_SECONDS
# per wrk run, default 10; BENCH_FSYNC_ROWS commits for the fsync floor).
# wrk and nginx come from Debian (installed here when missing, not by
# `make test`).
set -euo pipefail

cd "$(dirname "$0")/.."
DUBAN=${DUBAN_BIN:-build/duban}
OUT=${BENCH_OUT:-bench/out}
SECONDS_PER_RUN=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-64}
FSYNC_ROWS=${BENCH_FSYNC_ROWS:-300}
THREADS=${BENCH_THREADS:-16}
PORT=${BENCH_PORT:-18280}
NGINX_PORT=${BENCH_NGINX_PORT:-18281}
PASSWORD=Bench-Pass-2026
AS_OF=2026-11-23
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# --- tools ---------------------------------------------------------------
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need+=(nginx-light)
command -v sqlite3 >/dev/null || need+=(sqlite3)
command -v curl >/dev/null || need+=(curl)
if ((${#need[@]})); then
  echo "bench: installing ${need[*]} (Debian)"
  sudo=""
  [[ $(id -u) -eq 0 ]] || sudo=sudo
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x $DUBAN ]] || { echo "bench: no binary at $DUBAN (make bench builds it)" >&2; exit 1; }

PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

# --- helpers -------------------------------------------------------------
# prints "rps p50_ms p99_ms errors" from a wrk --latency output
wrk_figures() {
  awk '
    function ms(v) {
      if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
      if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
      if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
      return v
    }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Requests\/sec:/ { rps = $2 }
    /Non-2xx or 3xx responses:/ { err = $NF }
    /Socket errors:/ { serr = 1 }
    END { printf "%.1f %.2f %.2f %d\n", rps, p50, p99, err + 0 }'
}
rss_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
run_wrk() { # name conns script url
  local name=$1 conns=$2 script=$3 url=$4 threads=2
  ((conns < 2)) && threads=1
  wrk -t$threads -c"$conns" -d"${SECONDS_PER_RUN}s" --latency -s "$script" \
    "$url" >"$OUT/wrk-$name.txt" 2>&1
  wrk_figures <"$OUT/wrk-$name.txt"
}

echo "bench: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr), $DUBAN"

# --- the data set ----------------------------------------------------------
DB=$OUT/province.db
if [[ ! -f $DB || $DB -ot bench/gen.sh || $DB -ot $DUBAN ]]; then
  echo "bench: generating the province data set"
  DUBAN_BIN=$DUBAN bench/gen.sh "$DB" 2>/dev/null | sed 's/^/bench: /'
fi
cp "$DB" "$OUT/run.db"
rm -f "$OUT/run.db-wal" "$OUT/run.db-shm"
PARENTS=$(sqlite3 "$DB" "SELECT count(*) FROM tasks WHERE parent_id IS NULL")
TASKS=$(sqlite3 "$DB" "SELECT count(*) FROM tasks")

# --- baseline 1: nginx, a 2 KB file on loopback ---------------------------
mkdir -p "$OUT/nginx/html" "$OUT/nginx/tmp"
head -c 2048 /dev/zero | tr '\0' 'x' >"$OUT/nginx/html/static-2k.html"
cat >"$OUT/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $OUT/nginx/tmp;
  proxy_temp_path $OUT/nginx/tmp;
  fastcgi_temp_path $OUT/nginx/tmp;
  uwsgi_temp_path $OUT/nginx/tmp;
  scgi_temp_path $OUT/nginx/tmp;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $OUT/nginx/html;
  }
}
EOF
"$NGINX" -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" &
NGX=$!
PIDS+=($NGX)
for _ in $(seq 50); do
  curl -sf -o /dev/null "http://127.0.0.1:$NGINX_PORT/static-2k.html" && break
  sleep 0.1
done
read -r n_rps n_p50 n_p99 n_err < <(run_wrk nginx "$CONNS" bench/wrk/static.lua \
  "http://127.0.0.1:$NGINX_PORT")
n_rss=0
for p in $(pgrep -P $NGX) $NGX; do n_rss=$((n_rss + $(rss_kb "$p"))); done
kill -QUIT $NGX 2>/dev/null || true
wait $NGX 2>/dev/null || true

# --- baseline 2: SQLite, one row per fsync ----------------------------------
# in the same directory as duban's database (the same file system), WAL and
# synchronous=FULL as duban's writer: every INSERT its own transaction
rm -f "$OUT/fsync.db"*
sqlite3 "$OUT/fsync.db" "PRAGMA journal_mode=WAL;" \
  "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);" >/dev/null
{
  echo "PRAGMA synchronous=FULL;"
  for i in $(seq "$FSYNC_ROWS"); do echo "INSERT INTO t (v) VALUES ('row $i');"; done
} >"$OUT/fsync.sql"
t0=$(date +%s.%N)
sqlite3 "$OUT/fsync.db" <"$OUT/fsync.sql"
t1=$(date +%s.%N)
f_rate=$(awk -v n="$FSYNC_ROWS" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", n / (b - a) }')
f_ms=$(awk -v n="$FSYNC_ROWS" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) * 1000 / n }')

# --- duban -------------------------------------------------------------------
"$DUBAN" serve --db "$OUT/run.db" --listen 127.0.0.1:$PORT --threads "$THREADS" \
  --db-readers "$THREADS" --access-log 0 --public-rate 1000000 \
  >"$OUT/serve.out" 2>"$OUT/serve.log" &
DB_PID=$!
PIDS+=($DB_PID)
for _ in $(seq 300); do
  grep -q listening "$OUT/serve.out" 2>/dev/null && break
  kill -0 $DB_PID 2>/dev/null || break
  sleep 0.1
done
grep -q listening "$OUT/serve.out" 2>/dev/null ||
  { echo "bench: duban did not start; see $OUT/serve.log" >&2; tail -5 "$OUT/serve.log" >&2; exit 1; }
BASE=http://127.0.0.1:$PORT
TOKEN=$(curl -sf -X POST "$BASE/api/v1/session" \
  -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" |
  sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[[ -n $TOKEN ]] || { echo "bench: login failed; see $OUT/serve.log" >&2; exit 1; }
export BENCH_TOKEN=$TOKEN BENCH_PARENTS=$PARENTS BENCH_TASKS=$TASKS \
  BENCH_AS_OF=$AS_OF BENCH_WRK_DIR=$PWD/bench/wrk

# one cold request each, outside the figures
for u in "/api/v1/tasks/$((PARENTS + 1))" "/api/v1/campaigns/1/lights"; do
  curl -sf -o /dev/null -H "Authorization: Bearer $TOKEN" "$BASE$u?as_of=$AS_OF"
done
# the lights of 100,000 tasks, one request at a time (what one office sees)
lights_one=$(curl -sf -o /dev/null -w "%{time_total}" \
  -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/campaigns/1/lights?as_of=$AS_OF")

read -r g_rps g_p50 g_p99 g_err < <(run_wrk get_task "$CONNS" bench/wrk/get_task.lua "$BASE")
read -r p_rps p_p50 p_p99 p_err < <(run_wrk page "$CONNS" bench/wrk/page.lua "$BASE")
read -r w_rps w_p50 w_p99 w_err < <(run_wrk report "$CONNS" bench/wrk/report.lua "$BASE")
read -r l_rps l_p50 l_p99 l_err < <(run_wrk lights 1 bench/wrk/lights.lua "$BASE")
read -r t_rps t_p50 t_p99 t_err < <(run_wrk transition "$CONNS" bench/wrk/transition.lua "$BASE")
read -r c_rps c_p50 c_p99 c_err < <(run_wrk complaint "$CONNS" bench/wrk/complaint.lua "$BASE")
# the ledger over the million problems, and its workbook, one request
# each; private memory sampled while the workbook is made
ledger_s=$(curl -sf -o /dev/null -w "%{time_total}" \
  -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/campaigns/1/ledger?as_of=$AS_OF" || echo 0)
anon_peak=0
(while kill -0 $DB_PID 2>/dev/null; do
  awk '/^RssAnon:/ { print $2 }' "/proc/$DB_PID/status"; sleep 0.1
done >"$OUT/anon.txt") &
SAMPLER=$!
xlsx_s=$(curl -sf -o "$OUT/ledger.xlsx" -w "%{time_total}" --max-time 120 \
  -H "Authorization: Bearer $TOKEN" "$BASE/api/v1/campaigns/1/ledger.xlsx?as_of=$AS_OF" || echo 0)
kill $SAMPLER 2>/dev/null || true
wait $SAMPLER 2>/dev/null || true
anon_peak=$(sort -n "$OUT/anon.txt" | tail -1)
xlsx_rows=$(sqlite3 "$DB" "SELECT count(*) FROM problems WHERE campaign_id = 1" 2>/dev/null || echo 0)
metrics=$(curl -sf "$BASE/metrics" -H "Authorization: Bearer $TOKEN" || true)
batches=$(awk '/^duban_db_write_batches_total/ { print $2 }' <<<"$metrics")
writes=$(awk '/^duban_db_writes_total/ { print $2 }' <<<"$metrics")
commit_s=$(awk '/^duban_db_commit_seconds_sum/ { print $2 }' <<<"$metrics")
d_rss=$(rss_kb $DB_PID)
d_anon=$(awk '/^RssAnon:/ { print $2 }' "/proc/$DB_PID/status")
kill -TERM $DB_PID
wait $DB_PID || true

# --- the table -------------------------------------------------------------
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }
{
  echo "| figure | req/s | ratio | baseline | p50 ms | p99 ms | non-2xx |"
  echo "|---|---:|---:|---|---:|---:|---:|"
  echo "| nginx: 2 KB static file, $CONNS conns | $n_rps | 1.00 | itself | $n_p50 | $n_p99 | $n_err |"
  echo "| SQLite: one row per fsync | $f_rate | 1.00 | itself | $f_ms | | |"
  echo "| GET /tasks/{id}, $CONNS conns | $g_rps | $(ratio "$g_rps" "$n_rps") | nginx | $g_p50 | $g_p99 | $g_err |"
  echo "| GET /tasks page of 25 from a county, $CONNS conns | $p_rps | $(ratio "$p_rps" "$n_rps") | nginx | $p_p50 | $p_p99 | $p_err |"
  echo "| POST /tasks/{id}/reports (durable), $CONNS conns | $w_rps | $(ratio "$w_rps" "$f_rate") | fsync | $w_p50 | $w_p99 | $w_err |"
  echo "| GET /campaigns/1/lights ($TASKS tasks), 1 conn | $l_rps | | | $l_p50 | $l_p99 | $l_err |"
  echo "| POST /problems/{id}/transition (durable), $CONNS conns | $t_rps | $(ratio "$t_rps" "$f_rate") | fsync | $t_p50 | $t_p99 | $t_err |"
  echo "| POST /public/complaints (durable), $CONNS conns | $c_rps | $(ratio "$c_rps" "$f_rate") | fsync | $c_p50 | $c_p99 | $c_err |"
  echo
  echo "- lights, first request after the warm-up: $(awk -v s="$lights_one" 'BEGIN { printf "%.0f ms", s * 1000 }')"
  echo "- ledger of $xlsx_rows problems: $(awk -v s="$ledger_s" 'BEGIN { printf "%.0f ms", s * 1000 }');" \
    "ledger.xlsx: $(awk -v s="$xlsx_s" 'BEGIN { printf "%.1f s", s }'), $(stat -c %s "$OUT/ledger.xlsx" 2>/dev/null | awk '{ printf "%.0f MB", $1 / 1048576 }')," \
    "private memory up to $(mb "${anon_peak:-0}") while it was made"
  echo "- group commit: $writes writes in $batches transactions" \
    "($(awk -v w="$writes" -v b="$batches" 'BEGIN { printf "%.1f", (b ? w / b : 0) }') per COMMIT)," \
    "$(awk -v s="$commit_s" -v b="$batches" 'BEGIN { printf "%.2f", (b ? s * 1000 / b : 0) }') ms per COMMIT"
  echo "- peak RSS: duban $(mb "$d_rss") ($(mb "$d_anon") of it private memory, the rest the database's pages mapped from the page cache), nginx $(mb "$n_rss") (all processes)"
  echo "- data: $TASKS tasks; $(date -u +%Y-%m-%d), $(nproc) cores, ${SECONDS_PER_RUN}s per run, duban --threads $THREADS"
} | tee "$OUT/results.md"
