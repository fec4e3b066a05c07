#!/usr/bin/env bash
# Runs the kernel benchmarks (JMH, one thread) and prints params/s per config family, group size and
# kernel path, with the ratio to a plain copy of the same bfloat16 bytes measured in the same run.
# Not part of `mvn verify`: it compiles against kernels/target/classes and fetches JMH from Maven
# Central into ~/.m2 on the first run. Extra arguments go to JMH, e.g. `-p family=int4-plain`;
# JMH_OPTIONS replaces the warm-up and measurement settings. With `--cpu-time ROUNDS SPEC...` the
# script runs CpuTimeRun instead of JMH (thread CPU time, configurations taking turns in one JVM),
# e.g. `--cpu-time 5 copy int4-plain:128:VECTOR int4-plain:128:SCALAR`.
set -euo pipefail

bench_dir="$(cd "$(dirname "$0")" && pwd)"
repo_dir="$(cd "$bench_dir/../.." && pwd)"
jmh_version=1.37
out_dir="$bench_dir/target"

cd "$repo_dir"
mvn -B -q -Dstyle.color=never -o -pl kernels compile || mvn -B -q -Dstyle.color=never -pl kernels compile
for artifact in jmh-core jmh-generator-annprocess; do
  mvn -B -q -Dstyle.color=never -o dependency:get -Dartifact=org.openjdk.jmh:$artifact:$jmh_version 2>/dev/null \
    || mvn -B -q -Dstyle.color=never dependency:get -Dartifact=org.openjdk.jmh:$artifact:$jmh_version
done
mvn -B -q -Dstyle.color=never -o dependency:get -Dartifact=org.slf4j:slf4j-simple:2.0.17 2>/dev/null \
  || mvn -B -q -Dstyle.color=never dependency:get -Dartifact=org.slf4j:slf4j-simple:2.0.17

m2="$HOME/.m2/repository"
classpath="$repo_dir/kernels/target/classes"
for jar in \
  "$m2/org/openjdk/jmh/jmh-core/$jmh_version/jmh-core-$jmh_version.jar" \
  "$m2/org/openjdk/jmh/jmh-generator-annprocess/$jmh_version/jmh-generator-annprocess-$jmh_version.jar" \
  "$m2"/net/sf/jopt-simple/jopt-simple/*/jopt-simple-*.jar \
  "$m2"/org/apache/commons/commons-math3/*/commons-math3-*.jar \
  "$m2/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar" \
  "$m2/org/slf4j/slf4j-simple/2.0.17/slf4j-simple-2.0.17.jar"; do
  classpath="$classpath:$jar"
done

rm -rf "$out_dir" && mkdir -p "$out_dir/classes"
javac --release 17 --add-modules jdk.incubator.vector -nowarn -XDsuppressNotes -cp "$classpath" -d "$out_dir/classes" \
  "$bench_dir"/src/dev/qspark/kernels/bench/*.java 2>&1 | grep -v -e "incubator" -e "^[0-9]* warning" || true

if [ "${1:-}" = "--cpu-time" ]; then
  shift
  java --add-modules jdk.incubator.vector -Xmx8g -cp "$out_dir/classes:$classpath" \
    dev.qspark.kernels.bench.CpuTimeRun "$@" 2>&1 | grep -v -e "^WARNING: Using incubator" -e " INFO "
  exit
fi

java --add-modules jdk.incubator.vector -cp "$out_dir/classes:$classpath" org.openjdk.jmh.Main \
  -f 1 -t 1 ${JMH_OPTIONS:--wi 2 -w 2s -i 3 -r 2s} -jvmArgs "--add-modules jdk.incubator.vector -Xmx6g" \
  -rf json -rff "$out_dir/jmh.json" "$@" 2>&1 | grep -v "^WARNING: Using incubator" | tail -n 60

python3 "$bench_dir/summarize.py" "$out_dir/jmh.json"
