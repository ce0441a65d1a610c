#!/usr/bin/env bash
# The policies quality bar, end to end and reproducible: generate the corpora with the sims' experts,
# train MoDE, the dense transformer and MLP-BC for the same number of steps, evaluate each closed loop,
# and write one table (reports/quality/summary.md). The two diffusion models train side by side with one
# libtorch thread each (on a 2-core machine that is nearly twice the throughput of one 2-thread run).
#
#   tools/quality/quality_bar.sh [OUT]        env: TABLETOP_STEPS MAZE_STEPS TABLETOP_EPISODES EVAL_TABLETOP EVAL_MAZE
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-reports/quality}
TABLETOP_STEPS=${TABLETOP_STEPS:-8000}
MAZE_STEPS=${MAZE_STEPS:-4000}
TABLETOP_EPISODES=${TABLETOP_EPISODES:-2400}
EVAL_TABLETOP=${EVAL_TABLETOP:-120}
EVAL_MAZE=${EVAL_MAZE:-50}
ROBOTICS=${ROBOTICS:-"dotnet tools/Robotics.Cli/bin/Release/net10.0/robotics.dll"}
mkdir -p "$OUT/logs" "$OUT/results"

[ -f "$OUT/tabletop-push.hdf5" ] || $ROBOTICS dataset generate tabletop-push --episodes "$TABLETOP_EPISODES" --seed 7 --out "$OUT/tabletop-push.hdf5"
[ -f "$OUT/maze2d-umaze.hdf5" ] || $ROBOTICS dataset generate maze2d-umaze --samples 200000 --seed 1 --out "$OUT/maze2d-umaze.hdf5"

train() { # preset data steps
  [ -f "$OUT/runs/$1/final/model.safetensors" ] && return 0
  $ROBOTICS train --preset "$1" --data "$2" --steps "$3" --out "$OUT/runs/$1" --set Torch:Threads=1 \
    --set Training:CheckpointEvery=1000000 > "$OUT/logs/train-$1.log" 2>&1
}
evaluate() { # preset episodes
  $ROBOTICS eval --checkpoint "$OUT/runs/$1/final" --episodes "$2" --json "$OUT/results/$1.json" --set Torch:Threads=1 > "$OUT/logs/eval-$1.log" 2>&1
}

for env in tabletop maze2d; do
  if [ $env = tabletop ]; then data="$OUT/tabletop-push.hdf5"; steps=$TABLETOP_STEPS; episodes=$EVAL_TABLETOP;
  else data="$OUT/maze2d-umaze.hdf5"; steps=$MAZE_STEPS; episodes=$EVAL_MAZE; fi
  echo "$env: training $env-mode and $env-dense side by side, then $env-mlp ($steps steps each)"
  train $env-mode "$data" "$steps" & mode=$!
  train $env-dense "$data" "$steps" & dense=$!
  wait $mode; wait $dense
  train $env-mlp "$data" "$steps"
  for kind in mode dense mlp; do evaluate $env-$kind "$episodes" & done; wait
done

python3 - "$OUT" <<'PY'
import json, sys, os, re
out = sys.argv[1]
rows = ["| policy | environment | episodes | success (95% Wilson CI) | normalised score (95% CI) | train loss | samples/s |", "|---|---|---|---|---|---|---|"]
for env in ("tabletop", "maze2d"):
    for kind in ("mode", "dense", "mlp"):
        name = f"{env}-{kind}"
        s = json.load(open(f"{out}/results/{name}.json"))["summary"]
        log = open(f"{out}/logs/train-{name}.log").read()
        m = re.findall(r"│\s*(\d+)\s*│\s*([\d.]+)\s*│\s*([\d.-]+)\s*│\s*(\d+)\s*│", log)
        steps, loss, _, sps = m[-1] if m else ("?", "?", "?", "?")
        score = "-" if s["normalizedScore"] is None else f"{s['normalizedScore']:.1f} ± {s['normalizedHalfWidth']:.1f}"
        rows.append(f"| {name} | {env} | {s['episodes']} | {s['successRate']:.3f} [{s['successLow']:.3f}, {s['successHigh']:.3f}] | {score} | {loss} | {sps} |")
text = "\n".join(rows) + "\n"
open(f"{out}/summary.md", "w").write(text)
print(text)
PY
