"""Table of the pretraining claim (tools/quality/pretrain_finetune.sh): success on the new task per condition and
number of demonstrations, with 95% Wilson intervals (the same interval as `robotics eval`).

    pretrain_report.py OUT N [N ...]     reads OUT/eval/<condition>-<N>.json, writes OUT/results.tsv, OUT/results.md
                                         and OUT/plot.tsv (for `robotics plot rates`)
"""
import json
import math
import os
import sys

CONDITIONS = [("scratch", "from scratch"), ("ft-nowm", "pretrained, no world-model head"),
              ("ft-wmlab", "pretrained with world-model head, labelled only"),
              ("ft-wm", "pretrained with world-model head (+ action-free half)")]


def wilson(k, n, z=1.959963984540054):
    if n == 0:
        return 0.0, 1.0
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, c - h), min(1.0, c + h)


def main(out, demos):
    tsv = ["condition\tdemos\tsuccesses\tepisodes"]
    plot = ["group\tseries\tsuccesses\tepisodes"]
    md = ["| demonstrations | condition | success | 95% interval | episodes |", "|---|---|---|---|---|"]
    for n in demos:
        for condition, label in CONDITIONS:
            episodes = json.load(open(os.path.join(out, "eval", f"{condition}-{n}.json")))["episodes"]
            k = sum(1 for e in episodes if e["success"])
            lo, hi = wilson(k, len(episodes))
            tsv.append(f"{condition}\t{n}\t{k}\t{len(episodes)}")
            plot.append(f"{n} demonstrations\t{label}\t{k}\t{len(episodes)}")
            md.append(f"| {n} | {label} | {k / len(episodes):.3f} | [{lo:.3f}, {hi:.3f}] | {len(episodes)} |")
    open(os.path.join(out, "results.tsv"), "w").write("\n".join(tsv) + "\n")
    open(os.path.join(out, "results.md"), "w").write("\n".join(md) + "\n")
    open(os.path.join(out, "plot.tsv"), "w").write("\n".join(plot) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
