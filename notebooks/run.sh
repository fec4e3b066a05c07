#!/bin/sh
# Executes notebooks/sweep_report.ipynb headless on a sweep folder that has a report (qspark report DIR).
# Usage: notebooks/run.sh SWEEP_DIR [OUTPUT_DIR]
# Needs jupyter nbconvert, ipykernel, pandas and matplotlib (Debian: jupyter-nbconvert python3-ipykernel
# python3-pandas python3-matplotlib). The executed copy goes to OUTPUT_DIR (default: SWEEP_DIR/report).
set -eu

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 SWEEP_DIR [OUTPUT_DIR]" >&2
  exit 2
fi
sweep_dir=$(cd "$1" && pwd)
output_dir=${2:-$sweep_dir/report}
if [ ! -d "$sweep_dir/report" ]; then
  echo "Cannot run the notebook: $sweep_dir/report is missing; run 'qspark report $sweep_dir' first" >&2
  exit 2
fi
if ! command -v jupyter >/dev/null 2>&1; then
  echo "Cannot run the notebook: jupyter is not installed (Debian: apt-get install jupyter-nbconvert python3-ipykernel python3-pandas python3-matplotlib)" >&2
  exit 3
fi
notebook_dir=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$output_dir"
QSPARK_SWEEP_DIR=$sweep_dir jupyter nbconvert --to notebook --execute \
  --ExecutePreprocessor.timeout=300 --output-dir "$output_dir" --output sweep_report.executed.ipynb \
  "$notebook_dir/sweep_report.ipynb"
