#!/usr/bin/env bash
# Corpora larger than memory (make larger-than-memory): a synthetic D4RL corpus ROWS rows long (2M rows: 317 MiB of
# row data) is written, converted (d4rl -> d4rl with --max-episode-steps) and trained on by processes whose GC heap
# is capped at HEAP_MB (64: the corpus is 4.9x that), each under /usr/bin/time for its peak resident set. Training
# throughput from streaming (block-shuffled, 16 MiB row cache, heap capped) is compared with the same run holding the
# corpus in memory (1 GiB row cache, uniform sampling, no cap): same preset, steps, seed and thread count.
# Resident sets include libtorch's native memory, which the GC heap limit does not cover. About 4 minutes.
#
#   tools/quality/larger_than_memory.sh [OUT]     env: ROWS (2000000) HEAP_MB (64) STEPS (600) ROBOTICS
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-reports/larger-than-memory}
ROWS=${ROWS:-2000000}
HEAP_MB=${HEAP_MB:-64}
STEPS=${STEPS:-600}
ROBOTICS=${ROBOTICS:-"dotnet tools/Robotics.Cli/bin/Release/net10.0/robotics.dll"}
mkdir -p "$OUT"
LIMIT=$(printf '0x%X' $((HEAP_MB << 20)))

measure() { # name env... -- command...: runs it under /usr/bin/time, appends "name peak_kib seconds" to OUT/measures.tsv
  local name=$1; shift
  /usr/bin/time -f "%M %e" -o "$OUT/$name.time" env "$@" > "$OUT/$name.log" 2>&1
  printf '%s\t%s\n' "$name" "$(cat "$OUT/$name.time")" >> "$OUT/measures.tsv"
}

: > "$OUT/measures.tsv"
rm -f "$OUT/corpus.hdf5" "$OUT/converted.hdf5"
measure synthesize DOTNET_GCHeapHardLimit=$LIMIT $ROBOTICS dataset synthesize --rows "$ROWS" --seed 1 --out "$OUT/corpus.hdf5"
measure convert DOTNET_GCHeapHardLimit=$LIMIT $ROBOTICS dataset convert "$OUT/corpus.hdf5" "$OUT/converted.hdf5" --to d4rl --max-episode-steps 500
TRAIN=(train --preset tabletop-mode --data "$OUT/corpus.hdf5" --steps "$STEPS" --seed 0 --set Torch:Threads=1
       --set Training:ValidateEvery=1000000 --set Training:CheckpointEvery=1000000)
rm -rf "$OUT/run-streaming" "$OUT/run-memory"
measure train-streaming DOTNET_GCHeapHardLimit=$LIMIT $ROBOTICS "${TRAIN[@]}" --out "$OUT/run-streaming" \
  --set Training:DataResidentBlocks=8 --set Training:DataCacheMegabytes=16
measure train-memory $ROBOTICS "${TRAIN[@]}" --out "$OUT/run-memory" --set Training:DataCacheMegabytes=1024

# The samples/s cell of the result table's row (steps | final loss | validation loss | samples/s | checkpoint).
rate() { awk -F'│' '$2 ~ /^ *[0-9]+ *$/ { gsub(/ /, "", $5); print $5 }' "$OUT/$1.log" | tail -1; }
streaming=$(rate train-streaming); memory=$(rate train-memory)
{
  echo "corpus: $ROWS rows, $(grep -o '[0-9.]* MiB of row data' "$OUT/synthesize.log"); GC heap limit $HEAP_MB MiB; load $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "| step | peak resident set (MiB) | wall (s) |"
  echo "|---|---|---|"
  while IFS=$'\t' read -r name values; do
    read -r kib seconds <<< "$values"
    echo "| $name | $((kib / 1024)) | $seconds |"
  done < "$OUT/measures.tsv"
  echo
  echo "training samples/s: streaming $streaming, in memory $memory, ratio $(awk -v s="$streaming" -v m="$memory" 'BEGIN { printf "%.3f", s / m }')"
} | tee "$OUT/report.md"
