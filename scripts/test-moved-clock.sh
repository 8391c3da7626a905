#!/usr/bin/env bash
# Runs the tests with the system clock moved to other days, to show they do not depend on the day they run.
#   bash scripts/test-moved-clock.sh [DATE|"DATE TIME"]...   (default: the four days of issue 12)
#   FERRY_MOVED_CLOCK_CMD="npm test" bash scripts/test-moved-clock.sh 2027-02-28   (browser tests too)
# The clock is moved by an offset (libfaketime "+N" seconds), not set to a fixed start, so child processes the
# tests spawn (`ferry sync`, `ferry demo`) see the same moved time as the test that spawned them.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v faketime >/dev/null; then
  echo "faketime is not installed (Debian package 'faketime'): apt-get install -y faketime" >&2
  exit 2
fi

cmd="${FERRY_MOVED_CLOCK_CMD:-npx vitest run}"
dates=("$@")
[ ${#dates[@]} -gt 0 ] || dates=("2026-11-30" "2026-12-31" "2027-02-28" "2027-03-29")

for d in "${dates[@]}"; do
  # A bare day means noon UTC of that day.
  [[ "$d" == *" "* || "$d" == *T* ]] || d="$d 12:00:00"
  target=$(date -u -d "$d" +%s) || { echo "\"$d\" is not a date (e.g. 2027-02-28 or \"2027-02-28 23:30:00\")" >&2; exit 2; }
  offset=$((target - $(date -u +%s)))
  sign="+"; [ "$offset" -lt 0 ] && sign=""
  echo "== $cmd with the clock at $(date -u -d "@$target" '+%Y-%m-%d %H:%M:%S') UTC (offset ${sign}${offset} s)"
  faketime -f "${sign}${offset}" bash -c "$cmd"
done
