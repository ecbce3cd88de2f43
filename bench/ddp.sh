#!/usr/bin/env bash
# DDP throughput, run by hand (not part of mvn verify): the fashion CNN and the MLP at a fixed global batch, as one
# process with one intra-op thread against two processes with one thread each over Gloo on 127.0.0.1
# (io.torchlight.bench.DdpThroughput), each after a warm-up epoch; prints steps/s, the speed-up and the mean gradient
# all-reduce time per step.
#
#   bench/ddp.sh [steps per epoch=60] [epochs=3]
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-60} epochs=${2:-3}
if [ ! -d bench/target/classes ]; then
  mvn -B -q install -DskipTests
fi
work=$(mktemp -d /tmp/torchlight-ddp-bench.XXXXXX)
mvn -B -q -pl bench dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/classpath" >/dev/null
cp="bench/target/classes:$(cat "$work/classpath")"
run() { # model global-batch world
  local port=$((29700 + RANDOM % 200)) pids=()
  for ((r = 0; r < $3; r++)); do
    OPENBLAS_NUM_THREADS=1 MASTER_ADDR=127.0.0.1 MASTER_PORT=$port WORLD_SIZE=$3 RANK=$r LOCAL_RANK=$r \
      java -cp "$cp" io.torchlight.bench.DdpThroughput "$1" "$2" "$steps" "$epochs" >"$work/$1-$3-$r.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  grep -h "^rank 0" "$work/$1-$3-0.log"
}
for model in cnn mlp; do
  batch=$([ "$model" = cnn ] && echo 128 || echo 64)
  one=$(run "$model" "$batch" 1)
  two=$(run "$model" "$batch" 2)
  echo "$one"
  echo "$two"
  awk -v a="$(echo "$one" | sed -E 's/.* ([0-9.]+) steps\/s.*/\1/')" -v b="$(echo "$two" | sed -E 's/.* ([0-9.]+) steps\/s.*/\1/')" \
    -v m="$model" 'BEGIN { printf "%s: 2 processes x 1 thread / 1 process x 1 thread = %.2fx\n", m, b / a }'
done
