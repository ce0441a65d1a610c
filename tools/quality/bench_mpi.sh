#!/usr/bin/env bash
# Data-parallel training throughput on this machine: the same run (tabletop-mode preset, global batch 64, one libtorch
# thread per process) on 1 process and on 2 MPI ranks, samples/s of each, their ratio, and the all-reduce time per
# step that rank 0 reports. Run it on a quiet machine (nothing else training) and give the load average with it.
#
#   tools/quality/bench_mpi.sh [STEPS]        env: ROBOTICS
set -euo pipefail
cd "$(dirname "$0")/../.."
STEPS=${1:-300}
ROBOTICS=${ROBOTICS:-"dotnet tools/Robotics.Cli/bin/Release/net10.0/robotics.dll"}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export COLUMNS=200
$ROBOTICS dataset generate tabletop-push --episodes 200 --seed 5 --out "$WORK/push.hdf5" > /dev/null
TRAIN=(train --preset tabletop-mode --data "$WORK/push.hdf5" --steps "$STEPS" --batch-size 64 --seed 0 --set Torch:Threads=1
       --set Training:CheckpointEvery=1000000 --set Training:ValidateEvery=1000000)
uptime
$ROBOTICS "${TRAIN[@]}" --out "$WORK/one" > "$WORK/one.log" 2>&1
mpirun --allow-run-as-root --oversubscribe -np 2 $ROBOTICS "${TRAIN[@]}" --out "$WORK/two" > "$WORK/two.log" 2>&1
uptime
rate() { grep -E "^│ *$STEPS " "$1" | awk -F'│' '{gsub(/ /, "", $5); print $5}'; }
one=$(rate "$WORK/one.log"); two=$(rate "$WORK/two.log")
echo "1 process: $one samples/s; 2 ranks: $two samples/s; ratio $(python3 -c "print(f'{$two/$one:.2f}')")"
grep "all-reduce" "$WORK/two.log"
