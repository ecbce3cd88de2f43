#!/usr/bin/env bash
# The prepared GPU check, run by hand on a machine with an NVIDIA GPU (never part of mvn verify): builds the GPU
# distribution (or reuses it), checks the host has the CUDA libraries Maven Central does not carry (as the GPU
# distribution does at start), then trains fashion-cnn for one epoch on CUDA in 32 and 16-mixed and on the CPU and
# compares the loss curves, moves a live run CPU -> CUDA -> CPU, and measures CUDA steps/s of the Trainer against a
# raw libtorch CUDA loop in the same process (io.torchlight.bench.GpuCheck). Prints a short report.
#
#   bench/gpu-check.sh [rounds=10]
#
# Exit 0: every check passed; 1: a check failed (or the host lacks a CUDA library: the line says which); 2: no GPU.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L >/dev/null 2>&1; then
  echo "gpu-check: no NVIDIA GPU on this machine (nvidia-smi finds none): run it where there is one"
  exit 2
fi
nvidia-smi -L
dist=distribution/target/torchlight-gpu
fragment() { ls bundles/io.torchlight.torch.linux-x86_64-gpu/target/io.torchlight.torch.linux-x86_64-gpu-*.jar 2>/dev/null | head -1; }
if [ ! -x "$dist/bin/torchlight" ] || [ -z "$(fragment)" ] || [ ! -d bench/target/classes ]; then
  echo "gpu-check: building the GPU distribution (mvn -Pgpu install -DskipTests; about 1 GB of natives)"
  mvn -B -q -Pgpu install -DskipTests
fi
work=$(mktemp -d /tmp/torchlight-gpu-check.XXXXXX)
# the GPU distribution's own start check: one line naming each CUDA library the host lacks
if ! TORCHLIGHT_DATA="$work/data" TORCHLIGHT_RUNS="$work/runs" "$dist/bin/torchlight" fit boring max_epochs=1 \
    limit_train_batches=4 limit_val_batches=0 accelerator=cuda >"$work/dist.out" 2>&1; then
  cat "$work/dist.out"
  echo "gpu-check: the GPU distribution did not train boring on CUDA (above); fix that first"
  exit 1
fi
echo "gpu-check: the GPU distribution trained boring with accelerator=cuda"
mvn -B -q -pl bench dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/classpath" >/dev/null
# the CPU natives give way to the GPU build's (the fragment: libtorch's CUDA build and the CUDA libraries it carries)
cp=$(tr ':' '\n' <"$work/classpath" | grep -v "pytorch-.*-linux-x86_64.jar" | paste -sd: -)
timeout 900 java -Dorg.bytedeco.javacpp.platform.extension=-gpu -Dorg.bytedeco.javacpp.cachedir="$work/natives" \
  -cp "bench/target/classes:$cp:$(fragment)" io.torchlight.bench.GpuCheck "${1:-10}"
