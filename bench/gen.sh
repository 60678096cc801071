#!/usr/bin/env bash
# bench/gen.sh DB - a province-scale data set for the benchmarks, loaded
# straight into SQLite through the sqlite3 CLI (a minute at most, where the
# business operations would take hours):
#
#   root office → 1 province → 14 cities → 120 counties → 1,500 townships,
#   and 3,000 departments (120 provincial, 60 per city, 17 per county);
#   one province-wide campaign (2026) with 100,000 tasks: 10,000 led by
#   counties, each with 9 subtasks led by townships of that county; an
#   indicator per subtask, two milestones per task; two monthly reports
#   (2026-09 accepted, 2026-10 submitted) per subtask with their values;
#   1,000,000 problems and 100,000 complaints over the townships and
#   departments, when this build has those tables.
#
# The rows keep the app's invariants: unit paths "/1/2/…/" with depth,
# task paths "/parent/child/", subtasks led inside their parent's county,
# indicators and values that belong to their task.  The database is made
# by `duban init` first (schema, root unit, admin with $BENCH_PASSWORD).
# Sizes shrink with BENCH_SCALE=0.1 (a quick run).
set -euo pipefail

DB=${1:?usage: bench/gen.sh DB}
DUBAN=${DUBAN_BIN:-build/duban}
SCALE=${BENCH_SCALE:-1}
PASSWORD=${BENCH_PASSWORD:-Bench-Pass-2026}

scaled() { awk -v n="$1" -v s="$SCALE" 'BEGIN { v = int(n * s); print (v < 1 ? 1 : v) }'; }
PARENTS=$(scaled 10000)        # top-level tasks; 9 subtasks each
PROBLEMS=$(scaled 1000000)
COMPLAINTS=$(scaled 100000)

rm -f "$DB" "$DB-wal" "$DB-shm"
DUBAN_ADMIN_PASSWORD=$PASSWORD "$DUBAN" init --db "$DB" >/dev/null

t0=$(date +%s.%N)
sqlite3 -bail "$DB" <<SQL
PRAGMA foreign_keys = ON;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -262144;
BEGIN;
-- ids: province 2, cities 3..16, counties 17..136, townships 137..1636,
-- departments 1637..4636
INSERT INTO units (id, parent_id, name, kind, code, path, depth, created_at)
VALUES (2, 1, '辽宁省', 'province', 'P2', '/1/2/', 1, 1767196800);
WITH RECURSIVE s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s WHERE k < 13)
INSERT INTO units (id, parent_id, name, kind, code, path, depth, created_at)
SELECT 3 + k, 2, '市' || (3 + k), 'city', 'C' || (3 + k),
       '/1/2/' || (3 + k) || '/', 2, 1767196800 FROM s;
WITH RECURSIVE s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s WHERE k < 119)
INSERT INTO units (id, parent_id, name, kind, code, path, depth, created_at)
SELECT 17 + k, p.id, '县' || (17 + k), 'county', 'K' || (17 + k),
       p.path || (17 + k) || '/', 3, 1767196800
FROM s JOIN units p ON p.id = 3 + k % 14;
WITH RECURSIVE s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s WHERE k < 1499)
INSERT INTO units (id, parent_id, name, kind, code, path, depth, created_at)
SELECT 137 + k, p.id, '乡镇' || (137 + k), 'township', 'T' || (137 + k),
       p.path || (137 + k) || '/', 4, 1767196800
FROM s JOIN units p ON p.id = 17 + k % 120;
WITH RECURSIVE s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s WHERE k < 2999)
INSERT INTO units (id, parent_id, name, kind, code, path, depth, created_at)
SELECT 1637 + k, p.id, '部门' || (1637 + k), 'department', 'D' || (1637 + k),
       p.path || (1637 + k) || '/', p.depth + 1, 1767196800
FROM s JOIN units p ON p.id = CASE
    WHEN k < 120 THEN 2
    WHEN k < 960 THEN 3 + (k - 120) / 60
    ELSE 17 + (k - 960) / 17 END;

INSERT INTO campaigns (id, parent_id, unit_id, title, doc_number, starts_on,
  ends_on, themes, due_soon_workdays, report_due_workday, created_at)
VALUES (1, NULL, 2, '作风建设年活动', '辽政办发〔2026〕1号', '2026-01-01',
  '2026-12-31', '["不能为","不想为","不敢为"]', 3, 5, 1767196800);
INSERT INTO campaign_phases (campaign_id, seq, name, starts_on, ends_on) VALUES
  (1, 1, '动员部署', '2026-01-01', '2026-01-31'),
  (1, 2, '攻坚推进', '2026-02-01', '2026-09-30'),
  (1, 3, '总结提升', '2026-10-01', '2026-12-31');
INSERT INTO campaign_categories (campaign_id, seq, code, name, planned_tasks)
VALUES (1, 1, 'ZDZB', '重点指标', 0), (1, 2, 'ZDXM', '重大项目', 0),
  (1, 3, 'ZDPT', '重大平台', 0), (1, 4, 'ZDGJ', '重点攻坚', 0),
  (1, 5, 'ZDMS', '重点民生', 0), (1, 6, 'ZDCX', '重大制度性创新', 0);

-- top-level tasks 1..P, led by counties
WITH RECURSIVE s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s
                        WHERE k < $PARENTS - 1)
INSERT INTO tasks (id, campaign_id, parent_id, path, category_code, title,
  lead_unit_id, leader_name, team, starts_on, due_on, created_at)
SELECT 1 + k, 1, NULL, '/' || (1 + k) || '/',
  CASE k % 6 WHEN 0 THEN 'ZDZB' WHEN 1 THEN 'ZDXM' WHEN 2 THEN 'ZDPT'
             WHEN 3 THEN 'ZDGJ' WHEN 4 THEN 'ZDMS' ELSE 'ZDCX' END,
  '重点任务' || (1 + k), 17 + k % 120, '副县长', '["科长"]', '2026-01-01',
  '2026-12-31', 1767196800 FROM s;
-- 9 subtasks each, led by a township of the parent's county, due between
-- June and December
WITH RECURSIVE s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s
                        WHERE k < 9 * $PARENTS - 1)
INSERT INTO tasks (id, campaign_id, parent_id, path, category_code, title,
  lead_unit_id, leader_name, team, starts_on, due_on, created_at)
SELECT $PARENTS + 1 + k, 1, p.id, p.path || ($PARENTS + 1 + k) || '/',
  p.category_code, '子任务' || ($PARENTS + 1 + k),
  137 + (p.lead_unit_id - 17) + 120 * (k % 12), '乡镇长', '[]', '2026-01-01',
  printf('2026-%02d-28', 6 + k % 7), 1767196800
FROM s JOIN tasks p ON p.id = 1 + k / 9;

-- an indicator per subtask (id = task id - P), two milestones per task
INSERT INTO indicators (id, task_id, seq, name, unit, target, comparator)
SELECT id - $PARENTS, id, 1, '完成率', '%', 100, '>='
FROM tasks WHERE id > $PARENTS;
INSERT INTO milestones (task_id, seq, title, due_on, completed_on, evidence)
SELECT id, 1, '方案制定', '2026-03-31',
  CASE WHEN id % 10 < 8 THEN '2026-03-25' END,
  CASE WHEN id % 10 < 8 THEN '印发文件' END FROM tasks;
INSERT INTO milestones (task_id, seq, title, due_on, completed_on, evidence)
SELECT id, 2, '中期评估', '2026-09-30',
  CASE WHEN id % 10 < 6 THEN '2026-09-20' END,
  CASE WHEN id % 10 < 6 THEN '评估报告' END FROM tasks;

-- two monthly reports per subtask, with the indicator's value
INSERT INTO reports (task_id, period, summary, blockers, next_steps, status,
  submitted_by, submitted_at, reviewed_by, reviewed_at)
SELECT id, '2026-09', '九月调度情况：按计划推进', '无', '继续推进', 'accepted',
  1, 1790000000, 1, 1790100000 FROM tasks WHERE id > $PARENTS;
INSERT INTO reports (task_id, period, summary, blockers, next_steps, status,
  submitted_by, submitted_at)
SELECT id, '2026-10', '十月调度情况：按计划推进', '无', '继续推进',
  'submitted', 1, 1792600000 FROM tasks WHERE id > $PARENTS;
INSERT INTO report_values (report_id, indicator_id, value)
SELECT r.id, r.task_id - $PARENTS,
  CASE r.period WHEN '2026-09' THEN 40 + r.task_id % 50
                ELSE 50 + r.task_id % 51 END
FROM reports r;
COMMIT;
SQL

# the problem ledger and the complaints, when this build has them
if sqlite3 "$DB" "SELECT 1 FROM problems LIMIT 0" 2>/dev/null; then
sqlite3 -bail "$DB" <<SQL
PRAGMA synchronous = OFF;
PRAGMA cache_size = -262144;
BEGIN;
WITH RECURSIVE s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s
                        WHERE k < $PROBLEMS - 1)
INSERT INTO problems (campaign_id, unit_id, source, category, description,
  measures, responsible_name, found_on, due_on, status, created_by,
  created_at)
SELECT 1, CASE WHEN k % 3 = 0 THEN 1637 + k % 3000 ELSE 137 + k % 1500 END,
  CASE k % 5 WHEN 0 THEN 'self' WHEN 1 THEN 'public' WHEN 2 THEN 'superior'
             WHEN 3 THEN 'inspection' ELSE 'audit' END,
  '作风问题', '问题' || k || '：办事拖沓，群众反映强烈', '限期整改', '责任人',
  printf('2026-%02d-%02d', 1 + k % 10, 1 + k % 28),
  printf('2026-%02d-%02d', 2 + k % 11, 1 + k % 28),
  CASE WHEN k % 10 < 6 THEN 'closed' WHEN k % 10 < 8 THEN 'rectifying'
       WHEN k % 10 < 9 THEN 'rectified' ELSE 'open' END,
  1, 1767196800 + k FROM s;
COMMIT;
SQL
fi
if sqlite3 "$DB" "SELECT 1 FROM complaints LIMIT 0" 2>/dev/null; then
sqlite3 -bail "$DB" <<SQL
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE s(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM s
                        WHERE k < $COMPLAINTS - 1)
INSERT INTO complaints (tracking_code, channel, category, content, unit_id,
  owner_unit_id, status, received_on, due_on, created_at)
SELECT printf('BX%08d', k), 'web',
  CASE k % 4 WHEN 0 THEN 'general' WHEN 1 THEN 'conduct'
             WHEN 2 THEN 'service' ELSE 'complex' END,
  '投诉' || k || '：窗口办事效率低', 137 + k % 1500, 137 + k % 1500,
  CASE WHEN k % 3 = 0 THEN 'received' ELSE 'assigned' END,
  printf('2026-%02d-%02d', 1 + k % 10, 1 + k % 28),
  printf('2026-%02d-%02d', 2 + k % 10, 1 + k % 28), 1767196800 + k FROM s;
COMMIT;
SQL
fi
sqlite3 "$DB" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
t1=$(date +%s.%N)
sqlite3 -separator ' ' "$DB" "SELECT 'loaded in', printf('%.1f s:', $t1 - $t0),
  (SELECT count(*) FROM units), 'units,',
  (SELECT count(*) FROM tasks), 'tasks,',
  (SELECT count(*) FROM indicators), 'indicators,',
  (SELECT count(*) FROM milestones), 'milestones,',
  (SELECT count(*) FROM reports), 'reports'"
for t in problems complaints; do
  sqlite3 "$DB" "SELECT count(*) || ' $t' FROM $t" 2>/dev/null || true
done
"$DUBAN" audit verify --db "$DB"
