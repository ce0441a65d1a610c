#!/usr/bin/env bash
# Training half of the policies quality bar (make quality): generate the corpora with the sims' experts (tabletop
# scripted and multimodal, maze2d-umaze, maze2d-umaze with 30-step holds) and train MoDE, the dense transformer and
# MLP-BC for the same number of steps on each, into OUT/runs/<corpus>-<policy>/final. The evaluation is the sweep
# sweeps/quality.json (robotics sweep run), so the quality table is a sweep report with intervals and letters.
# The two diffusion models train side by side with one libtorch thread each (on a 2-core machine that is nearly
# twice the throughput of one 2-thread run).
#
# Tabletop runs are 36000 steps (about 16 epochs; at 12000 every diffusion model was undertrained) and the tabletop
# MoDE uses a shared expert plus one routed expert (each 4 x width: the dense model's active size), the variant that
# did best at 12000 steps. About 4 hours on 2 cores with the sweep.
#
#   tools/quality/train_quality.sh [OUT]
#   env: TABLETOP_STEPS MAZE_STEPS TABLETOP_EPISODES TABLETOP_MODE_ARGS
#        CORPORA (default "multimodal scripted maze2d maze2d-hold"; maze2d-hold is generated with --hold-steps 30:
#        D4RL's procedure draws the next target the step one is reached, so its corpora never show stopping)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-reports/quality}
TABLETOP_STEPS=${TABLETOP_STEPS:-36000}
TABLETOP_MODE_ARGS=${TABLETOP_MODE_ARGS:-"--set Policy:Mode:SharedExpert=true --set Policy:Mode:TopK=1"}
MAZE_STEPS=${MAZE_STEPS:-4000}
TABLETOP_EPISODES=${TABLETOP_EPISODES:-2400}
CORPORA=${CORPORA:-"multimodal scripted maze2d maze2d-hold"}
ROBOTICS=${ROBOTICS:-"dotnet tools/Robotics.Cli/bin/Release/net10.0/robotics.dll"}
mkdir -p "$OUT/logs"

[ -f "$OUT/tabletop-scripted.hdf5" ] || $ROBOTICS dataset generate tabletop-push --episodes "$TABLETOP_EPISODES" --seed 7 --style scripted --out "$OUT/tabletop-scripted.hdf5"
[ -f "$OUT/tabletop-multimodal.hdf5" ] || $ROBOTICS dataset generate tabletop-push --episodes "$TABLETOP_EPISODES" --seed 7 --style multimodal --out "$OUT/tabletop-multimodal.hdf5"
[ -f "$OUT/maze2d-umaze.hdf5" ] || $ROBOTICS dataset generate maze2d-umaze --samples 200000 --seed 1 --out "$OUT/maze2d-umaze.hdf5"
[ -f "$OUT/maze2d-umaze-hold.hdf5" ] || $ROBOTICS dataset generate maze2d-umaze --samples 200000 --seed 1 --hold-steps 30 --out "$OUT/maze2d-umaze-hold.hdf5"

train() { # run preset data steps [extra train arguments]
  [ -f "$OUT/runs/$1/final/model.safetensors" ] && return 0
  local run=$1 preset=$2 data=$3 steps=$4; shift 4
  $ROBOTICS train --preset "$preset" --data "$data" --steps "$steps" --out "$OUT/runs/$run" --set Torch:Threads=1 \
    --set Training:CheckpointEvery=6000 "$@" > "$OUT/logs/train-$run.log" 2>&1
}

for corpus in $CORPORA; do
  case $corpus in
    multimodal|scripted) family=tabletop; data="$OUT/tabletop-$corpus.hdf5"; steps=$TABLETOP_STEPS; mode_args=$TABLETOP_MODE_ARGS ;;
    maze2d) family=maze2d; data="$OUT/maze2d-umaze.hdf5"; steps=$MAZE_STEPS; mode_args="" ;;
    maze2d-hold) family=maze2d; data="$OUT/maze2d-umaze-hold.hdf5"; steps=$MAZE_STEPS; mode_args="" ;;
    *) echo "unknown corpus $corpus" >&2; exit 2 ;;
  esac
  echo "$corpus: training $family-mode and $family-dense side by side, then $family-mlp ($steps steps each)"
  # shellcheck disable=SC2086 # mode_args is a list of arguments
  train $corpus-mode $family-mode "$data" "$steps" $mode_args & mode=$!
  train $corpus-dense $family-dense "$data" "$steps" & dense=$!
  wait $mode; wait $dense
  train $corpus-mlp $family-mlp "$data" "$steps"
done
