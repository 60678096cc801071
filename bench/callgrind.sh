#!/usr/bin/env bash
# bench/callgrind.sh - instructions per request for a fixed workload, under
# valgrind --tool=callgrind: a number that does not move with the machine's
# load, so a regression shows even on a noisy box.
#
#   bench/callgrind.sh            build/duban, a data set at BENCH_SCALE
#                                 (default 0.1: 10,000 tasks), made once
#                                 into bench/out/callgrind.db
#   CALLGRIND_PHASES="lights" bench/callgrind.sh    only some phases
#
# The server runs under callgrind with collection only inside the request
# callback (on_request, and what it calls) and the writer thread (where
# group commit runs the write units); between the phases the
# counters are dumped and zeroed (callgrind_control), so each phase's
# instruction count (Ir) divided by its requests is the cost of one.
# Everything stays on 127.0.0.1; every phase is a fixed number of curl
# requests.
set -euo pipefail

cd "$(dirname "$0")/.."
DUBAN=${DUBAN_BIN:-build/duban}
OUT=${BENCH_OUT:-bench/out}
SCALE=${BENCH_SCALE:-0.1}
PORT=${CALLGRIND_PORT:-18181}
DB=$OUT/callgrind.db
PASSWORD=Bench-Pass-2026
mkdir -p "$OUT"

for tool in valgrind callgrind_control curl sqlite3; do
  command -v $tool >/dev/null || { echo "callgrind.sh: $tool is missing" >&2; exit 1; }
done
if [[ ! -f $DB || $DB -ot bench/gen.sh || $DB -ot $DUBAN ]]; then
  BENCH_SCALE=$SCALE DUBAN_BIN=$DUBAN bench/gen.sh "$DB" >/dev/null 2>&1
fi
cp "$DB" "$OUT/callgrind-run.db"
rm -f "$OUT"/callgrind.out.*

valgrind --tool=callgrind --toggle-collect=on_request \
  --toggle-collect=writer_main \
  --callgrind-out-file="$OUT/callgrind.out.%p" \
  "$DUBAN" serve --db "$OUT/callgrind-run.db" --listen 127.0.0.1:$PORT \
  --threads 1 --access-log 0 >"$OUT/callgrind.serve.out" \
  2>"$OUT/callgrind.serve.log" &
VG=$!
trap 'kill $VG 2>/dev/null || true' EXIT
for _ in $(seq 600); do
  grep -q listening "$OUT/callgrind.serve.out" 2>/dev/null && break
  kill -0 $VG 2>/dev/null || { cat "$OUT/callgrind.serve.log" >&2; exit 1; }
  sleep 0.1
done
BASE=http://127.0.0.1:$PORT
TOKEN=$(curl -sf -X POST $BASE/api/v1/session \
  -d "{\"username\":\"admin\",\"password\":\"$PASSWORD\"}" |
  sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
[[ -n $TOKEN ]] || { echo "callgrind.sh: login failed" >&2; exit 1; }
AUTH="Authorization: Bearer $TOKEN"
PARENTS=$(sqlite3 "$DB" "SELECT count(*) FROM tasks WHERE parent_id IS NULL")
TASKS=$(sqlite3 "$DB" "SELECT count(*) FROM tasks")

phase() { # name count curl-args-producing function
  local name=$1 n=$2 fn=$3
  callgrind_control -z $VG >/dev/null 2>&1
  for i in $(seq "$n"); do
    $fn "$i" >/dev/null
  done
  callgrind_control -d "$name" $VG >/dev/null 2>&1
  local f ir
  f=$(ls -t "$OUT"/callgrind.out.$VG.* | head -1)
  ir=$(awk '/^summary:|^totals:/ { print $2; exit }' "$f")
  printf '%-28s %6d requests %14d Ir/request\n' "$name" "$n" $((ir / n))
}
get_task() { curl -sf -H "$AUTH" "$BASE/api/v1/tasks/$((PARENTS + 1 + ($1 * 7919) % (TASKS - PARENTS)))?as_of=2026-11-23"; }
page() { curl -sf -H "$AUTH" "$BASE/api/v1/tasks?campaign_id=1&unit_id=$((17 + $1 % 120))&per_page=25&as_of=2026-11-23"; }
report() {
  local t=$((PARENTS + 1 + ($1 * 7919) % (TASKS - PARENTS)))
  curl -sf -H "$AUTH" -X POST "$BASE/api/v1/tasks/$t/reports" -d \
    "{\"period\":\"2026-11\",\"summary\":\"十一月调度\",\"indicator_values\":[{\"indicator_id\":$((t - PARENTS)),\"value\":70}]}"
}
lights() { curl -sf -H "$AUTH" "$BASE/api/v1/campaigns/1/lights?as_of=2026-11-23"; }
healthz() { curl -sf "$BASE/healthz"; }

echo "callgrind: $TASKS tasks (BENCH_SCALE=$SCALE), $DUBAN"
for p in ${CALLGRIND_PHASES:-healthz get_task page report lights}; do
  case $p in
  healthz) phase "GET /healthz" 50 healthz ;;
  get_task) phase "GET /tasks/{id}" 100 get_task ;;
  page) phase "GET /tasks page of 25" 50 page ;;
  report) phase "POST /tasks/{id}/reports" 50 report ;;
  lights) phase "GET /campaigns/1/lights" 3 lights ;;
  esac
done
kill -TERM $VG
wait $VG || true
trap - EXIT
