#!/usr/bin/env bash
# DDP throughput, run by hand (not part of mvn verify): the fashion CNN and the MLP at a fixed global batch, as one
# process with one intra-op thread against two processes with one thread each over Gloo on 127.0.0.1
# (io.torchlight.bench.DdpThroughput), each after a warm-up epoch; prints steps/s, the speed-up and how long a step
# waited for its gradients after backward (the all-reduce time the backward pass did not hide); then the all-reduce
# floor of this machine, two ranks doing nothing else (io.torchlight.bench.AllReduceLatency).
#
# Each model runs both ways in turn for several rounds and the medians are compared, as this machine's speed drifts.
# TORCHLIGHT_DDP_BUCKET_CAP_MB sets the gradient bucket size (torch's bucket_cap_mb, default 25).
#
#   bench/ddp.sh [steps per epoch=60] [epochs=3] [rounds=5]
set -euo pipefail
cd "$(dirname "$0")/.."
steps=${1:-60} epochs=${2:-3} rounds=${3:-5}
if [ ! -d bench/target/classes ]; then
  mvn -B -q install -DskipTests
fi
work=$(mktemp -d /tmp/torchlight-ddp-bench.XXXXXX)
mvn -B -q -pl bench dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/classpath" >/dev/null
cp="bench/target/classes:$(cat "$work/classpath")"
ranks() { # world main-class args...: runs the ranks, prints rank 0's line
  local world=$1 main=$2 port=$((29700 + RANDOM % 200)) pids=()
  shift 2
  for ((r = 0; r < world; r++)); do
    OPENBLAS_NUM_THREADS=1 MASTER_ADDR=127.0.0.1 MASTER_PORT=$port WORLD_SIZE=$world RANK=$r LOCAL_RANK=$r \
      java -cp "$cp" "io.torchlight.bench.$main" "$@" >"$work/$main-$world-$r.log" 2>&1 &
    pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p"; done
  grep -h "^rank 0" "$work/$main-$world-0.log"
}
run() { # model global-batch world
  ranks "$3" DdpThroughput "$1" "$2" "$steps" "$epochs"
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for model in cnn mlp; do
  batch=$([ "$model" = cnn ] && echo 128 || echo 64)
  : >"$work/$model-1" && : >"$work/$model-2" && : >"$work/$model-sync"
  for ((round = 1; round <= rounds; round++)); do # interleaved: this machine's speed drifts between runs
    for world in 1 2; do
      line=$(run "$model" "$batch" "$world")
      echo "round $round: $line"
      echo "$line" | sed -E 's/.* ([0-9.]+) steps\/s.*/\1/' >>"$work/$model-$world"
      if [ "$world" = 2 ]; then
        echo "$line" | sed -E 's/.*wait after backward ([0-9.]+) ms.*/\1/' >>"$work/$model-sync"
      fi
    done
  done
  one=$(median <"$work/$model-1") two=$(median <"$work/$model-2") sync=$(median <"$work/$model-sync")
  paired=$(paste "$work/$model-1" "$work/$model-2" | awk '{ print $2 / $1 }' | median) # each round's own ratio
  range=$(paste "$work/$model-1" "$work/$model-2" | awk '{ print $2 / $1 }' | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f-%.2f", lo, hi }')
  awk -v a="$one" -v b="$two" -v s="$sync" -v m="$model" -v n="$rounds" -v p="$paired" -v r="$range" 'BEGIN {
    printf "%s, medians of %d rounds: 1 process x 1 thread %.1f steps/s, 2 processes x 1 thread %.1f steps/s = %.2fx (per-round ratios %s, median %.2fx); gradient wait after backward %.2f ms/step\n", m, n, a, b, b / a, r, p, s }'
done
# the floor: two ranks doing nothing but all-reduce a tensor of the MLP's and the CNN's gradient size
for floats in 1000 101770 225034; do
  ranks 2 AllReduceLatency "$floats"
done
