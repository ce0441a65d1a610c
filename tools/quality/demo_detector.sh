#!/usr/bin/env bash
# The SAFE detector the demo ships beside its MoDE checkpoint: rollouts of policies/checkpoints/demo-mode on the demo's
# three tasks in tabletop-push-fixed (every episode runs its 200 steps, so failures have time to show), half of them
# with an injected fault (seed 7), then SAFE's protocol (grid on val_seen, conformal band at alpha 0.05) with every
# task seen (--unseen-share 0): the demo runs the detector on the tasks it was trained on, and its live stage is the
# held-out test. (With three tasks SAFE's 30% unseen share leaves one task out; its figures are in the closing notes.)
# Writes policies/checkpoints/demo-mode-detector/ (detector.json, model.safetensors, recipe.json) and the corpus'
# evaluation report beside it in report/. About 10 minutes on 2 cores.
#
#   tools/quality/demo_detector.sh [OUT]        env: EPISODES_PER_TASK (100) GRID (paper) POLICY ROBOTICS
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-policies/checkpoints/demo-mode-detector}
POLICY=${POLICY:-policies/checkpoints/demo-mode}
EPISODES_PER_TASK=${EPISODES_PER_TASK:-100}
GRID=${GRID:-paper}
ROBOTICS=${ROBOTICS:-"dotnet tools/Robotics.Cli/bin/Release/net10.0/robotics.dll"}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

COLLECT=(detector collect --checkpoint "$POLICY" --env tabletop-push-fixed --tasks 0,1,2 --episodes-per-task "$EPISODES_PER_TASK" --failures 0.5 --seed 7 --out "$WORK/corpus.h5")
TRAIN=(detector train --corpus "$WORK/corpus.h5" --out "$WORK/detector" --grid "$GRID" --alpha 0.05 --split-seed 0 --unseen-share 0 --set Torch:Threads=1)
EVAL=(detector eval --detector "$WORK/detector" --corpus "$WORK/corpus.h5" --out "$WORK/report" --baselines all)
$ROBOTICS "${COLLECT[@]}"
$ROBOTICS "${TRAIN[@]}"
$ROBOTICS "${EVAL[@]}"

rm -rf "$OUT.tmp" && mkdir -p "$OUT.tmp"
cp -r "$WORK/detector/." "$OUT.tmp/"
mkdir -p "$OUT.tmp/report" && cp "$WORK/report/"*.md "$WORK/report/"*.json "$WORK/report/"*.png "$OUT.tmp/report/" 2>/dev/null || true
python3 - "$OUT.tmp/recipe.json" "$POLICY" "$EPISODES_PER_TASK" "$GRID" "${COLLECT[*]}" "${TRAIN[*]}" "${EVAL[*]}" "$WORK" <<'PY'
import json, sys, datetime
path, policy, per_task, grid, collect, train, evaluate, work = sys.argv[1:]
json.dump({
    "made_by": "make demo-detector (tools/quality/demo_detector.sh)",
    "made_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "policy": policy,
    "data": {"env": "tabletop-push-fixed", "tasks": [0, 1, 2], "episodes_per_task": int(per_task), "failures": 0.5, "seed": 7},
    "training": {"grid": grid, "alpha": 0.05, "split_seed": 0, "unseen_share": 0},
    "commands": ["robotics " + c.replace(work, "WORK") for c in (collect, train, evaluate)],
}, open(path, "w"), indent=2)
PY
rm -rf "$OUT" && mv "$OUT.tmp" "$OUT"
echo "wrote $OUT"
