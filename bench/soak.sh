#!/usr/bin/env bash
# Reliability soak, run by hand (not part of mvn verify): random damage to checkpoints, SIGKILL of training
# processes at random points with resume, logger bundle swaps under a live run in the container, and a long
# run with its resident memory sampled. Prints, for each part, what was tried, the clear errors and the data lost.
#
#   bench/soak.sh [--mutations N] [--kills N] [--swaps N] [--minutes M]     (defaults 20000, 40, 1000, 60)
set -euo pipefail
cd "$(dirname "$0")/.."
mutations=20000 kills=40 swaps=1000 minutes=60
while [ $# -gt 0 ]; do
  case "$1" in
    --mutations) mutations=$2; shift 2 ;;
    --kills) kills=$2; shift 2 ;;
    --swaps) swaps=$2; shift 2 ;;
    --minutes) minutes=$2; shift 2 ;;
    *) echo "soak: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
dist=distribution/target/torchlight
if [ ! -x "$dist/bin/torchlight" ] || [ ! -d bench/target/classes ]; then
  mvn -B -q install -DskipTests
fi
work=$(mktemp -d /tmp/torchlight-soak.XXXXXX)
echo "soak: work folder $work"

# 1 and 2: checkpoints damaged at random, and training processes killed at random steps
cp=$(mvn -B -q -pl bench dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/classpath" >/dev/null && cat "$work/classpath")
java -cp "bench/target/classes:$cp" io.torchlight.bench.soak.Soak "$mutations" "$kills"

# 3: logger bundle stopped and started $swaps times while a run trains in the container
mkdir -p "$work/deploy"
cp "$dist"/deploy/io.torchlight.examples.fashion*.jar "$work/deploy/"
mkfifo "$work/shell.in"
TORCHLIGHT_DEPLOY="$work/deploy" TORCHLIGHT_RUNS="$work/runs" TORCHLIGHT_DATA="$work/data" \
  "$dist/bin/torchlight" <"$work/shell.in" >"$work/shell.out" 2>"$work/shell.err" &
pid=$!
exec 3>"$work/shell.in"
until grep -q "Torchlight is running" "$work/shell.out"; do sleep 0.5; done
echo "lb -s" >&3
sleep 2
csv=$(grep "io.torchlight.logger.csv" "$work/shell.out" | head -1 | sed 's/^ *\([0-9]*\).*/\1/')
echo "tl:fit fashion-mlp max_epochs=-1 max_time=00:00:30:00 loggers=csv enable_progress_bar=false log_every_n_steps=1" >&3
until [ -n "$(ls "$work"/runs/fashion-mlp/version_0/metrics.csv 2>/dev/null)" ]; do sleep 0.5; done
fds_before=$(ls /proc/$pid/fd | wc -l); threads_before=$(awk '/^Threads/{print $2}' /proc/$pid/status)
for i in $(seq "$swaps"); do
  echo "stop $csv" >&3; sleep 0.05
  echo "start $csv" >&3; sleep 0.05
done
sleep 2
fds_after=$(ls /proc/$pid/fd | wc -l); threads_after=$(awk '/^Threads/{print $2}' /proc/$pid/status)
echo "tl:stop 1" >&3
runlog="$work/runs/fashion-mlp/version_0/run.log"
for _ in $(seq 240); do grep -q "Z \(completed\|stopped: \|failed: \)" "$runlog" && break; sleep 0.5; done
status="run $(grep -o "Z \(completed\|stopped: .*\|failed: .*\)" "$runlog" | head -1 | cut -c3-120)"
echo "exit 0" >&3
exec 3>&-
wait $pid || true
csvfile="$work/runs/fashion-mlp/version_0/metrics.csv"
fields=$(head -1 "$csvfile" | awk -F, '{print NF}')
bad_rows=$(awk -F, -v n="$fields" 'NR > 1 && NF != n' "$csvfile" | wc -l)
echo "logger swaps in a live run: $swaps stop/start pairs, $status, metrics.csv $(($(wc -l <"$csvfile") - 1)) rows," \
  "$bad_rows malformed (data lost), open files $fds_before -> $fds_after, threads $threads_before -> $threads_after"

# 4: one long run; resident memory of the container process sampled every 30 s
TORCHLIGHT_DEPLOY="$work/deploy" TORCHLIGHT_RUNS="$work/runs-long" TORCHLIGHT_DATA="$work/data-long" \
  "$dist/bin/torchlight" fit fashion-mlp max_epochs=-1 "max_time=00:00:$(printf '%02d' "$minutes"):00" \
  enable_progress_bar=false >"$work/long.out" 2>&1 &
pid=$!
samples=()
sleep 60
while kill -0 $pid 2>/dev/null; do
  rss=$(awk '/^VmRSS/{print $2}' /proc/$pid/status 2>/dev/null || true)
  [ -n "$rss" ] && samples+=("$rss")
  sleep 30
done
wait $pid && code=0 || code=$?
echo "long run: $minutes min, exit $code, $(tail -2 "$work/long.out" | head -1 | cut -c1-80)," \
  "resident memory ${samples[0]:-?} kB after 1 min -> ${samples[-1]:-?} kB at the end (${#samples[@]} samples)"
