#!/usr/bin/env bash
# The policies quality bar, end to end and reproducible: generate the corpora with the sims' experts (tabletop
# scripted and multimodal, maze2d-umaze), train MoDE, the dense transformer and MLP-BC for the same number of steps
# on each, evaluate each closed loop, and write one table (reports/quality/summary.md). The two diffusion models
# train side by side with one libtorch thread each (on a 2-core machine that is nearly twice the throughput of one
# 2-thread run).
#
#   tools/quality/quality_bar.sh [OUT]
#   env: TABLETOP_STEPS MAZE_STEPS TABLETOP_EPISODES EVAL_TABLETOP EVAL_MAZE
#        CORPORA (default "multimodal scripted maze2d maze2d-hold"; maze2d-hold is generated with --hold-steps 30:
#        D4RL's procedure draws the next target the step one is reached, so its corpora never show stopping)
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:-reports/quality}
TABLETOP_STEPS=${TABLETOP_STEPS:-12000}
MAZE_STEPS=${MAZE_STEPS:-4000}
TABLETOP_EPISODES=${TABLETOP_EPISODES:-2400}
EVAL_TABLETOP=${EVAL_TABLETOP:-120}
EVAL_MAZE=${EVAL_MAZE:-60}
CORPORA=${CORPORA:-"multimodal scripted maze2d maze2d-hold"}
ROBOTICS=${ROBOTICS:-"dotnet tools/Robotics.Cli/bin/Release/net10.0/robotics.dll"}
mkdir -p "$OUT/logs" "$OUT/results"

[ -f "$OUT/tabletop-scripted.hdf5" ] || $ROBOTICS dataset generate tabletop-push --episodes "$TABLETOP_EPISODES" --seed 7 --style scripted --out "$OUT/tabletop-scripted.hdf5"
[ -f "$OUT/tabletop-multimodal.hdf5" ] || $ROBOTICS dataset generate tabletop-push --episodes "$TABLETOP_EPISODES" --seed 7 --style multimodal --out "$OUT/tabletop-multimodal.hdf5"
[ -f "$OUT/maze2d-umaze.hdf5" ] || $ROBOTICS dataset generate maze2d-umaze --samples 200000 --seed 1 --out "$OUT/maze2d-umaze.hdf5"
[ -f "$OUT/maze2d-umaze-hold.hdf5" ] || $ROBOTICS dataset generate maze2d-umaze --samples 200000 --seed 1 --hold-steps 30 --out "$OUT/maze2d-umaze-hold.hdf5"

train() { # run preset data steps
  [ -f "$OUT/runs/$1/final/model.safetensors" ] && return 0
  $ROBOTICS train --preset "$2" --data "$3" --steps "$4" --out "$OUT/runs/$1" --set Torch:Threads=1 \
    --set Training:CheckpointEvery=1000000 > "$OUT/logs/train-$1.log" 2>&1
}
evaluate() { # run episodes
  [ -f "$OUT/results/$1.json" ] && return 0
  $ROBOTICS eval --checkpoint "$OUT/runs/$1/final" --episodes "$2" --json "$OUT/results/$1.json" --plot "$OUT/results/$1.png" --set Torch:Threads=1 > "$OUT/logs/eval-$1.log" 2>&1
}

for corpus in $CORPORA; do
  case $corpus in
    multimodal|scripted) family=tabletop; data="$OUT/tabletop-$corpus.hdf5"; steps=$TABLETOP_STEPS; episodes=$EVAL_TABLETOP ;;
    maze2d) family=maze2d; data="$OUT/maze2d-umaze.hdf5"; steps=$MAZE_STEPS; episodes=$EVAL_MAZE ;;
    maze2d-hold) family=maze2d; data="$OUT/maze2d-umaze-hold.hdf5"; steps=$MAZE_STEPS; episodes=$EVAL_MAZE ;;
    *) echo "unknown corpus $corpus" >&2; exit 2 ;;
  esac
  echo "$corpus: training $family-mode and $family-dense side by side, then $family-mlp ($steps steps each)"
  train $corpus-mode $family-mode "$data" "$steps" & mode=$!
  train $corpus-dense $family-dense "$data" "$steps" & dense=$!
  wait $mode; wait $dense
  train $corpus-mlp $family-mlp "$data" "$steps"
  evaluate $corpus-mode "$episodes" & a=$!
  evaluate $corpus-dense "$episodes" & b=$!
  wait $a; wait $b
  evaluate $corpus-mlp "$episodes"
done

python3 - "$OUT" $CORPORA <<'PY'
import json, sys, re, os
out, corpora = sys.argv[1], sys.argv[2:]
rows = ["| corpus | policy | episodes | success (95% Wilson CI) | normalised score (95% CI) | train loss | samples/s |", "|---|---|---|---|---|---|---|"]
for corpus in corpora:
    for kind in ("mode", "dense", "mlp"):
        name = f"{corpus}-{kind}"
        if not os.path.exists(f"{out}/results/{name}.json"):
            continue
        s = json.load(open(f"{out}/results/{name}.json"))["summary"]
        log = open(f"{out}/logs/train-{name}.log").read()
        m = re.findall(r"│\s*(\d+)\s*│\s*([\d.]+)\s*│\s*([\d.-]+)\s*│\s*(\d+)\s*│", log)
        steps, loss, _, sps = m[-1] if m else ("?", "?", "?", "?")
        score = "-" if s["normalizedScore"] is None else f"{s['normalizedScore']:.1f} ± {s['normalizedHalfWidth']:.1f}"
        rows.append(f"| {corpus} | {kind} | {s['episodes']} | {s['successRate']:.3f} [{s['successLow']:.3f}, {s['successHigh']:.3f}] | {score} | {loss} | {sps} |")
text = "\n".join(rows) + "\n"
open(f"{out}/summary.md", "w").write(text)
print(text)
PY
