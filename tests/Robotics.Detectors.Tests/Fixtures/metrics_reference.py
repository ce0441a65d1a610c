"""Ranking metrics written from their definitions, independently of the C# code.

Input (JSON on stdin): {"scores": [...], "failed": [true/false, ...], "values": [...], "q": [...]}.
ROC-AUC: the share of (failure, success) pairs the failure wins, ties counting 1/2.
Average precision: the mean over failures of the precision among rollouts scoring at least that failure's score.
Percentiles: numpy's default (linear) percentile of "values" at each q.
"""
import json
import sys

import numpy as np


def main():
    spec = json.load(sys.stdin)
    s = np.array(spec["scores"], dtype=np.float64)
    y = np.array(spec["failed"], dtype=bool)
    pos, neg = s[y], s[~y]
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    roc = wins / (len(pos) * len(neg))
    precisions = [((s >= p) & y).sum() / (s >= p).sum() for p in pos]
    ap = float(np.mean(precisions))
    values = np.array(spec["values"], dtype=np.float64)
    percentiles = [float(np.percentile(values, 100 * q)) for q in spec["q"]]
    json.dump({"roc": float(roc), "ap": ap, "percentiles": percentiles}, sys.stdout)


main()
