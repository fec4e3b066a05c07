#!/usr/bin/env bash
# Job benchmark (not a test). Builds synthetic Llama-shaped bf16 checkpoints with
# make_checkpoint.py, then times, for each model size, a file copy of the checkpoint and
# `qspark quantize` with Int4WeightOnlyConfig(group_size=128), and for the larger size the
# `versions` sweep (without its report, which is timed on its own), all in local[2]. The JVM's GC log
# gives the heap after each collection, which is the live set of the driver. In local mode the driver
# is also the executor, so comparing the two sizes shows whether either grows with the model. Last
# runs repeat the single-config job and the sweep with a 1 GiB heap to check that the work units and
# the open Parquet writers fit in it. Below the table: the bytes each job stored, and the fixed cost
# of a run, timed on the 260 K parameter stories260K checkpoint in ../shared/models.
#
# Usage: job/bench/run.sh [--preset 1.1b|7b] [--layers N] [--small-layers N] [--work DIR] [--no-sweep]
# Prints a Markdown table; the same table is written to WORK/results.md.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
preset=1.1b
layers=""
small_layers=4
work=/tmp/qspark-bench
sweep=1
config='Int4WeightOnlyConfig(group_size=128)'

while [[ $# -gt 0 ]]; do
  case $1 in
    --preset) preset=$2; shift 2 ;;
    --layers) layers=$2; shift 2 ;;
    --small-layers) small_layers=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --no-sweep) sweep=0; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1; see --help" >&2; exit 2 ;;
  esac
done

mkdir -p "$work"
echo "Disk space for $work:" >&2
df -h "$work" >&2

seconds() { date +%s.%N; }

# Runs a command, prints its wall time in seconds.
timed() {
  local start end
  start=$(seconds)
  "$@" >"$work/last.out" 2>"$work/last.err" || {
    echo "run.sh: failed: $*" >&2
    tail -20 "$work/last.err" >&2
    exit 1
  }
  end=$(seconds)
  echo "$end - $start" | bc -l
}

# Prints the largest heap after a collection in a GC log, in MiB.
max_live_mib() {
  grep -oE '[0-9]+M->[0-9]+M' "$1" | sed -E 's/.*->([0-9]+)M/\1/' | sort -n | tail -1
}

# Prints the largest heap before a collection in a GC log, in MiB.
max_used_mib() {
  grep -oE '[0-9]+M->[0-9]+M' "$1" | sed -E 's/([0-9]+)M->.*/\1/' | sort -n | tail -1
}

make_model() {
  local dir=$1 model_layers=$2
  if [[ ! -f $dir/model.safetensors.index.json ]]; then
    rm -rf "$dir"
    python3 "$root/job/bench/make_checkpoint.py" "$dir" --preset "$preset" ${model_layers:+--layers "$model_layers"} >&2
  fi
}

params_of() {
  python3 - "$1" <<'PY'
import json, sys, os, struct
folder = sys.argv[1]
index = json.load(open(os.path.join(folder, "model.safetensors.index.json")))
total = 0
for name in sorted(set(index["weight_map"].values())):
    with open(os.path.join(folder, name), "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
    for key, entry in header.items():
        if key != "__metadata__":
            count = 1
            for dim in entry["shape"]:
                count *= dim
            total += count
print(total)
PY
}

# Builds the jar once, outside the timings.
"$root/qspark" --version >/dev/null

results="$work/results.md"
{
  echo "| model | params | bytes | copy s | quantize s | params/s | quantize / copy | sweep s | sweep / quantize | report s | max heap after GC MiB | max heap before GC MiB |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
} >"$results"

run_size() {
  local name=$1 model_layers=$2 with_sweep=$3
  local model="$work/model-$name"
  make_model "$model" "$model_layers"
  local params bytes copy_s quantize_s sweep_s="-" sweep_ratio="-" report_s="-"
  params=$(params_of "$model")
  bytes=$(du -sb "$model" | cut -f1)

  rm -rf "$work/copy"
  copy_s=$(timed cp -r "$model" "$work/copy")
  rm -rf "$work/copy"

  local gc="$work/gc-quantize-$name.log"
  quantize_s=$(QSPARK_JAVA_OPTS="-Xlog:gc:file=$gc" timed "$root/qspark" quantize --model "$model" \
    --config "$config" --out "$work/out-$name" --master 'local[2]' --overwrite)
  echo "run.sh: $name: copy ${copy_s} s, quantize ${quantize_s} s, GC log $gc" >&2
  if [[ $with_sweep == 1 ]]; then
    # The report is timed on its own: the target compares the quantize jobs.
    sweep_s=$(timed "$root/qspark" sweep --model "$model" --configs versions --out "$work/sweep-$name" \
      --master 'local[2]' --overwrite --no-report)
    report_s=$(printf '%.1f' "$(timed "$root/qspark" report "$work/sweep-$name")")
    echo "run.sh: $name: sweep ${sweep_s} s, report ${report_s} s" >&2
    sweep_ratio=$(printf '%.2f' "$(echo "$sweep_s / $quantize_s" | bc -l)")
    sweep_s=$(printf '%.1f' "$sweep_s")
  fi
  printf '| %s | %s | %s | %.1f | %.1f | %.2f G | %.2f | %s | %s | %s | %s | %s |\n' "$name" "$params" "$bytes" \
    "$copy_s" "$quantize_s" "$(echo "$params / $quantize_s / 1000000000" | bc -l)" \
    "$(echo "$quantize_s / $copy_s" | bc -l)" "$sweep_s" "$sweep_ratio" "$report_s" "$(max_live_mib "$gc")" \
    "$(max_used_mib "$gc")" >>"$results"
}

# The first quantize after a build records the class data sharing archive of ./qspark, which costs
# several seconds once. An untimed run of the small model records it before the timings.
make_model "$work/model-small-${small_layers}-layers" "$small_layers"
"$root/qspark" quantize --model "$work/model-small-${small_layers}-layers" --config "$config" \
  --out "$work/out-warm-up" --master 'local[2]' --overwrite >/dev/null 2>&1
rm -rf "$work/out-warm-up"

run_size "small-${small_layers}-layers" "$small_layers" 0
run_size "$preset${layers:+-$layers-layers}" "$layers" "$sweep"

# The output each job wrote: the sweep writes several times the bytes of the single config, and
# compressing and writing them weighs on the sweep / quantize ratio.
large_name="$preset${layers:+-$layers-layers}"
echo "" >>"$results"
if [[ $sweep == 1 ]]; then
  printf 'Stored output of %s: quantize %s MiB, sweep %s MiB.\n' "$large_name" \
    "$(( $(du -sb "$work/out-$large_name" | cut -f1) >> 20 ))" \
    "$(( $(du -sb "$work/sweep-$large_name" | cut -f1) >> 20 ))" >>"$results"
fi

# The fixed cost of a run: the same kind of job on a checkpoint of 260 K parameters, whose quantize
# stage takes milliseconds, so nearly all of its time is JVM and Spark start-up, planning and the
# writes' commit. Skipped when ../shared/models is not beside the checkout.
tiny="$root/../shared/models/stories260K"
if [[ -d $tiny ]]; then
  tiny_s=$(timed "$root/qspark" quantize --model "$tiny" --config 'IntxWeightOnlyConfig(version=2)' \
    --out "$work/out-tiny" --master 'local[2]' --overwrite)
  printf 'Fixed cost: quantize of stories260K with IntxWeightOnlyConfig(version=2) took %.1f s.\n' "$tiny_s" \
    >>"$results"
fi

# The same single-config job with a 1 GiB heap: in local mode the driver runs the tasks, so this
# bounds executor memory for two concurrent work units of the default size.
large="$work/model-$preset${layers:+-$layers-layers}"
if (QSPARK_DRIVER_MEMORY=1g timed "$root/qspark" quantize --model "$large" --config "$config" \
  --out "$work/out-1g" --master 'local[2]' --overwrite >"$work/one-gib.s"); then
  printf 'With -Xmx1g (local[2]): the single-config job finished in %.1f s.\n' "$(cat "$work/one-gib.s")" >>"$results"
else
  echo "With -Xmx1g (local[2]): the single-config job failed; see $work/last.err." >>"$results"
fi

# The sweep with a 1 GiB heap: every config of a unit keeps its own Parquet writer open.
if [[ $sweep == 1 ]]; then
  if (QSPARK_DRIVER_MEMORY=1g QSPARK_JAVA_OPTS="-Xlog:gc:file=$work/gc-sweep-1g.log" timed "$root/qspark" sweep \
    --model "$large" --configs versions --out "$work/sweep-1g" --master 'local[2]' --overwrite --no-report \
    >"$work/sweep-one-gib.s"); then
    printf 'With -Xmx1g (local[2]): the versions sweep finished in %.1f s; largest heap after a GC %s MiB.\n' \
      "$(cat "$work/sweep-one-gib.s")" "$(max_live_mib "$work/gc-sweep-1g.log")" >>"$results"
  else
    echo "With -Xmx1g (local[2]): the versions sweep failed; see $work/last.err." >>"$results"
  fi
fi

cat "$results"
