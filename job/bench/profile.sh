#!/usr/bin/env bash
# Profiles a qspark command with async-profiler (not a test). The first run fetches
# tools.profiler:async-profiler from Maven Central into job/target/async-profiler. The agent samples
# the CPU time of every thread, Java and native frames alike: zstd, memory copies, the garbage
# collector and the JIT compiler are included. The script then prints where the samples fell, by
# category and by method. JFR's execution samples see only Java frames, so they leave zstd and the
# copies out.
#
# Usage: job/bench/profile.sh [--interval MS] OUT.collapsed -- ./qspark COMMAND [ARGS]
#   e.g. job/bench/profile.sh /tmp/sweep.collapsed -- ./qspark sweep --model M --configs versions \
#          --out /tmp/sweep --master 'local[2]' --no-report --overwrite
# --interval is the CPU time between samples of a thread, 5 ms by default. The profile is written in
# async-profiler's collapsed-stack format and the summary goes to standard output after the
# command's own output. Needs Linux x86_64, Maven, unzip and python3. The class data sharing archive
# is off for the profiled run (QSPARK_CDS=0), because the JVM cannot record one while a native agent
# is loaded. When the command fails, the script exits with its status and prints no summary.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
version=4.1
interval_ms=5
if [[ ${1:-} == --interval ]]; then
  interval_ms=$2
  shift 2
fi
if [[ $# -lt 3 || $2 != -- ]]; then
  sed -n '2,16p' "$0" >&2
  exit 2
fi
out=$1
shift 2

dir="$root/job/target/async-profiler"
library="$dir/linux-x64/libasyncProfiler.so"
if [[ ! -f $library ]]; then
  if [[ $(uname -sm) != "Linux x86_64" ]]; then
    echo "profile.sh: unsupported platform $(uname -sm): only Linux x86_64 is set up" >&2
    exit 2
  fi
  mkdir -p "$dir"
  # Maven's console writes color reset codes even in batch mode, so they are stripped.
  mvn -B -q -N -f "$root/pom.xml" -Dstyle.color=never dependency:copy -Dartifact="tools.profiler:async-profiler:$version" \
    -DoutputDirectory="$dir" 2>&1 | sed 's/\x1b\[[0-9;]*m//g' >&2
  (cd "$dir" && unzip -q -o "async-profiler-$version.jar" 'linux-x64/*')
fi

QSPARK_CDS=0 QSPARK_JAVA_OPTS="${QSPARK_JAVA_OPTS:+$QSPARK_JAVA_OPTS }-agentpath:$library=start,event=itimer,interval=${interval_ms}ms,file=$out,collapsed,loglevel=warn" \
  "$@"
python3 "$root/job/bench/profile_summary.py" "$out" "$interval_ms"
