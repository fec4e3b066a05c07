#!/usr/bin/env bash
# Benchmark (not a test): what one sweep saves against quantizing each of its configs in a run of its
# own. Times, in local[2], the `versions` sweep without its report, then each of the preset's 12
# configs as its own `qspark quantize`, then the sweep again, so that a change in the machine's load
# shows as a difference between the two sweeps. Each run writes a fresh folder under WORK, deleted
# after its timing. Prints a Markdown table, also written to WORK/separate-runs.md.
#
# Usage: job/bench/separate_runs.sh MODEL [WORK]   (WORK defaults to /tmp/qspark-bench)
#   e.g. job/bench/separate_runs.sh /tmp/qspark-bench/model-1.1b
# MODEL is any checkpoint quantize accepts; make_checkpoint.py writes the synthetic ones.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
model=$1
work=${2:-/tmp/qspark-bench}
preset="$root/job/src/main/resources/presets/versions.txt"
mkdir -p "$work"

# Runs a qspark command into $work/separate-out, prints its wall time in seconds, and deletes the folder.
timed_run() {
  local start end
  start=$(date +%s.%N)
  "$root/qspark" "$@" --out "$work/separate-out" --master 'local[2]' --overwrite \
    >"$work/separate.out" 2>"$work/separate.err" || {
    echo "separate_runs.sh: failed: qspark $*" >&2
    tail -20 "$work/separate.err" >&2
    exit 1
  }
  end=$(date +%s.%N)
  rm -rf "$work/separate-out"
  echo "$end - $start" | bc -l
}

# Builds the jar and records the class data sharing archive before any timing.
"$root/qspark" --version >/dev/null
timed_run quantize --model "$model" --config 'Int4WeightOnlyConfig(group_size=128)' >/dev/null

results="$work/separate-runs.md"
{
  echo "| run | seconds |"
  echo "|---|---|"
} >"$results"

first_sweep=$(timed_run sweep --model "$model" --configs versions --no-report)
printf '| sweep of versions, first | %.1f |\n' "$first_sweep" >>"$results"

total=0
while IFS= read -r config; do
  [[ -z $config || $config == \#* ]] && continue
  seconds=$(timed_run quantize --model "$model" --config "$config")
  printf '| quantize %s | %.1f |\n' "$config" "$seconds" >>"$results"
  total=$(echo "$total + $seconds" | bc -l)
done <"$preset"

second_sweep=$(timed_run sweep --model "$model" --configs versions --no-report)
printf '| sweep of versions, second | %.1f |\n' "$second_sweep" >>"$results"
{
  echo ""
  printf 'The 12 separate runs took %.1f s in all; the sweep took %.1f and %.1f s, %.2f and %.2f of that.\n' \
    "$total" "$first_sweep" "$second_sweep" "$(echo "$first_sweep / $total" | bc -l)" \
    "$(echo "$second_sweep / $total" | bc -l)"
} >>"$results"
cat "$results"
