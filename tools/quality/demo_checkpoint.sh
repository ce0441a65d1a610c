#!/usr/bin/env bash
# The demo's shipped MoDE checkpoint, rebuilt from scratch: the demo's three tasks (push the red block to the left,
# right and far zones), 600 scripted expert episodes (seed 11), the tabletop-mode preset trained 6000 steps (seed 0).
# Writes policies/checkpoints/demo-mode/ (config.json, model.safetensors, normalization.json, recipe.json) with only
# what inference needs. About 6 minutes on 2 cores.
#
#   tools/quality/demo_checkpoint.sh [OUT]        env: STEPS (6000) EPISODES (600) ROBOTICS
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-policies/checkpoints/demo-mode}
STEPS=${STEPS:-6000}
EPISODES=${EPISODES:-600}
ROBOTICS=${ROBOTICS:-"dotnet tools/Robotics.Cli/bin/Release/net10.0/robotics.dll"}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

GENERATE=(dataset generate tabletop-push --episodes "$EPISODES" --tasks 0,1,2 --seed 11 --style scripted --out "$WORK/demo-tasks.hdf5")
TRAIN=(train --preset tabletop-mode --data "$WORK/demo-tasks.hdf5" --steps "$STEPS" --seed 0 --out "$WORK/run" --device cpu --set Training:CheckpointEvery=1000000)
$ROBOTICS "${GENERATE[@]}"
$ROBOTICS "${TRAIN[@]}"

rm -rf "$OUT.tmp" && mkdir -p "$OUT.tmp"
cp "$WORK/run/final/config.json" "$WORK/run/final/model.safetensors" "$WORK/run/final/normalization.json" "$OUT.tmp/"
python3 - "$OUT.tmp/recipe.json" "$STEPS" "$EPISODES" "${GENERATE[*]}" "${TRAIN[*]}" "$WORK" <<'PY'
import json, sys, datetime
path, steps, episodes, generate, train, work = sys.argv[1:]
json.dump({
    "made_by": "make demo-checkpoint (tools/quality/demo_checkpoint.sh)",
    "made_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    "data": {"env": "tabletop-push", "tasks": [0, 1, 2], "episodes": int(episodes), "seed": 11, "style": "scripted"},
    "training": {"preset": "tabletop-mode", "steps": int(steps), "seed": 0},
    "commands": ["robotics " + generate.replace(work, "WORK"), "robotics " + train.replace(work, "WORK")],
}, open(path, "w"), indent=2)
PY
rm -rf "$OUT" && mv "$OUT.tmp" "$OUT"
echo "wrote $OUT"
