#!/usr/bin/env bash
# One employee's phone on the terminal app: builds `qamqor`, fills a demo
# employee's database with four weeks of realistic work days (sessions, late evenings, a
# weekend, check-ins, tasks, a burnout questionnaire), then shows their statistics.
# Usage: scripts/demo.sh [DATA_DIR]   (default: ./demo-phone, recreated each run)
# The whole product's demo (an organisation, its server and panel) is
# `cargo run --release -p qamqor-server -- --data-dir demo-data serve --demo` (docs/DEMO.md).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-demo-phone}
cargo build --release -q -p qamqor-cli
Q=(./target/release/qamqor --data-dir "$DATA")
rm -rf "$DATA"

today=$(date -u +%F)
at() { # at DAYS_AGO HH:MM -> RFC 3339 instant of that local (Almaty, UTC+5) time
  date -u -d "$today -$1 days $2 +0500" +%Y-%m-%dT%H:%M:%SZ
}
QAMQOR_NOW=$(at 28 08:00) "${Q[@]}" profile set --name "Айгерім Сейітова" --department "Platform" \
  --position "Backend developer" --level 6 --days mon,tue,wed,thu,fri --start 09:00 --end 18:00 \
  --tz Asia/Almaty --remote false --language kk >/dev/null

for ago in $(seq 27 -1 0); do
  dow=$(date -u -d "$today -$ago days" +%u)   # 1 = Monday .. 7 = Sunday
  day=$(date -u -d "$today -$ago days" +%F)
  # Weeks get longer towards today: the demo person is drifting towards overload.
  late=$(( (27 - ago) / 7 ))                   # 0..3 extra evening hours
  if [ "$dow" -le 5 ]; then
    QAMQOR_NOW=$(at "$ago" 23:00) "${Q[@]}" session add --from "${day}T09:00" --to "${day}T13:00" >/dev/null
    QAMQOR_NOW=$(at "$ago" 23:00) "${Q[@]}" session add --from "${day}T14:00" --to "${day}T$(printf %02d $((18 + late))):00" >/dev/null
  elif [ "$dow" -eq 6 ] && [ "$ago" -lt 10 ]; then
    QAMQOR_NOW=$(at "$ago" 23:00) "${Q[@]}" session add --from "${day}T11:00" --to "${day}T15:00" --note "release weekend" >/dev/null
  fi
  if [ $((ago % 5)) -ne 3 ]; then              # a skipped check-in now and then
    QAMQOR_NOW=$(at "$ago" 21:00) "${Q[@]}" checkin --fatigue $((3 + late + (ago % 2))) --stress $((2 + late / 2)) \
      --mood $((4 - late / 2)) --sleep "$(awk "BEGIN{print 7.5 - $late * 0.5}")" >/dev/null
  fi
done

QAMQOR_NOW=$(at 20 10:00) "${Q[@]}" task add "Migrate the billing service" --due "$(date -u -d "$today -6 days" +%F)" --estimate 900 --assigned-by "Ерлан Б." >/dev/null
QAMQOR_NOW=$(at 12 10:00) "${Q[@]}" task add "Review the on-call runbook" --due "$(date -u -d "$today +3 days" +%F)" --estimate 120 >/dev/null
id=$(QAMQOR_NOW=$(at 12 10:05) "${Q[@]}" --json task add "Fix flaky integration test" --estimate 60 | sed -n 's/.*"id": "\(.*\)".*/\1/p' | head -1)
QAMQOR_NOW=$(at 11 16:00) "${Q[@]}" task "done" "$id" >/dev/null
QAMQOR_NOW=$(at 2 20:00) "${Q[@]}" cbi --answers "3,3,2,1,3,1,3,2,2,3,2,2,2,-,-,-,-,-,-" >/dev/null

echo "Demo employee in $DATA. Try: ${Q[*]} stats | risk | task list | profile | export --format json"
echo
"${Q[@]}" stats
echo
QAMQOR_NOW=$(at 0 23:30) "${Q[@]}" risk
