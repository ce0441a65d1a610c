#!/usr/bin/env bash
# Pretraining claim (make pretrain-claim): does pretraining on 11 tabletop tasks, half of that corpus action-free,
# help a policy learn the 12th task from a few demonstrations?
#
#   pretrain  wm:    tabletop-mode-wm (MoDE + UWM world-model head) on 11 tasks: a labelled corpus and an
#                    action-free one (same size, its actions deleted), weights 0.5 / 0.5
#   pretrain  no-wm: the same network without the world-model head (Policy:Mode:WorldModel=false) on the labelled
#                    corpus only (a policy without the head learns nothing from states alone)
#   pretrain  wm-labelled: the world-model network on the labelled corpus only (separates the head from the
#                    action-free data, which halves the labelled batches of the wm run at equal steps)
#   fine-tune on task 11 with N demonstrations (N in DEMOS) for FINETUNE_STEPS steps, from each pretrained
#   checkpoint (--init: new task table, fresh optimiser) and from scratch (same architecture as wm)
#   evaluate every fine-tuned policy on task 11 (EVAL_EPISODES episodes, seed 5000, 95% Wilson intervals)
#
# Writes OUT/results.tsv (condition, demos, successes, episodes), OUT/results.md and OUT/results.png; about 2.5 hours
# on 2 cores.
#
#   tools/quality/pretrain_finetune.sh [OUT]
#   env: PRETRAIN_STEPS (10000) FINETUNE_STEPS (2000) DEMOS ("10 25 50") PRETRAIN_EPISODES (1100 per corpus)
#        EVAL_EPISODES (100) ROBOTICS
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-reports/pretrain}
PRETRAIN_STEPS=${PRETRAIN_STEPS:-10000}
FINETUNE_STEPS=${FINETUNE_STEPS:-2000}
DEMOS=${DEMOS:-"10 25 50"}
PRETRAIN_EPISODES=${PRETRAIN_EPISODES:-1100}
EVAL_EPISODES=${EVAL_EPISODES:-100}
ROBOTICS=${ROBOTICS:-"dotnet tools/Robotics.Cli/bin/Release/net10.0/robotics.dll"}
PRETRAIN_TASKS=0,1,2,3,4,5,6,7,8,9,10
NEW_TASK=11
mkdir -p "$OUT/logs" "$OUT/data" "$OUT/eval"

# Data: two disjoint pretraining corpora (different seeds), one stripped of its actions with h5py (an independent
# writer: play data as another tool would hand it over), and the new task's demonstrations.
[ -f "$OUT/data/pretrain-labelled.hdf5" ] || $ROBOTICS dataset generate tabletop-push --tasks $PRETRAIN_TASKS --episodes "$PRETRAIN_EPISODES" --seed 21 --out "$OUT/data/pretrain-labelled.hdf5"
if [ ! -f "$OUT/data/pretrain-play.hdf5" ]; then
  $ROBOTICS dataset generate tabletop-push --tasks $PRETRAIN_TASKS --episodes "$PRETRAIN_EPISODES" --seed 22 --out "$OUT/data/pretrain-play.tmp.hdf5"
  /usr/bin/python3 -c 'import h5py, sys; f = h5py.File(sys.argv[1], "r+"); del f["actions"]; f.close()' "$OUT/data/pretrain-play.tmp.hdf5"
  mv "$OUT/data/pretrain-play.tmp.hdf5" "$OUT/data/pretrain-play.hdf5"
fi
for n in $DEMOS; do
  [ -f "$OUT/data/task$NEW_TASK-$n.hdf5" ] || $ROBOTICS dataset generate tabletop-push --tasks $NEW_TASK --episodes "$n" --seed 31 --out "$OUT/data/task$NEW_TASK-$n.hdf5"
done

train() { # run [train arguments]
  local run=$1; shift
  [ -f "$OUT/runs/$run/final/model.safetensors" ] && return 0
  $ROBOTICS train --preset tabletop-mode-wm --out "$OUT/runs/$run" --seed 0 --set Torch:Threads=1 --set Training:CheckpointEvery=1000000 "$@" \
    > "$OUT/logs/train-$run.log" 2>&1
}

echo "pretraining wm and no-wm side by side, then wm-labelled ($PRETRAIN_STEPS steps each)"
train pretrain-wm --data "$OUT/data/pretrain-labelled.hdf5@0.5" "$OUT/data/pretrain-play.hdf5@0.5" --steps "$PRETRAIN_STEPS" & a=$!
train pretrain-nowm --data "$OUT/data/pretrain-labelled.hdf5" --steps "$PRETRAIN_STEPS" --set Policy:Mode:WorldModel=false & b=$!
wait $a; wait $b
train pretrain-wmlab --data "$OUT/data/pretrain-labelled.hdf5" --steps "$PRETRAIN_STEPS"

# Fine-tuning changes only the data and the start: same preset, steps, seed and learning-rate schedule.
for n in $DEMOS; do
  demos="$OUT/data/task$NEW_TASK-$n.hdf5"
  echo "fine-tuning on $n demonstrations ($FINETUNE_STEPS steps each)"
  train ft-wm-$n --data "$demos" --steps "$FINETUNE_STEPS" --init "$OUT/runs/pretrain-wm/final" & a=$!
  train ft-nowm-$n --data "$demos" --steps "$FINETUNE_STEPS" --init "$OUT/runs/pretrain-nowm/final" & b=$!
  wait $a; wait $b
  train ft-wmlab-$n --data "$demos" --steps "$FINETUNE_STEPS" --init "$OUT/runs/pretrain-wmlab/final" & a=$!
  train scratch-$n --data "$demos" --steps "$FINETUNE_STEPS" & b=$!
  wait $a; wait $b
done

for n in $DEMOS; do
  for condition in scratch ft-nowm ft-wmlab ft-wm; do
    json="$OUT/eval/$condition-$n.json"
    [ -f "$json" ] || $ROBOTICS eval --checkpoint "$OUT/runs/$condition-$n/final" --env tabletop-push --tasks $NEW_TASK \
      --episodes "$EVAL_EPISODES" --seed 5000 --json "$json" > "$OUT/logs/eval-$condition-$n.log" 2>&1
  done
done
/usr/bin/python3 tools/python/pretrain_report.py "$OUT" $DEMOS
$ROBOTICS plot rates "$OUT/plot.tsv" --out "$OUT/results.png" --title "task $NEW_TASK after $FINETUNE_STEPS fine-tuning steps ($EVAL_EPISODES episodes each)"
cat "$OUT/results.md"
