"""Functional conformal band written from ANCHORS.md section 4 (SAFE), independently of the C# code.

Input (JSON on stdin): {"cal": [[...], ...], "conf": [[...], ...], "alpha": "0.1"} with curves of unequal length.
Output (JSON): mu, sigma, h, band.
"""
import json
import math
import sys
from fractions import Fraction

import numpy as np


def pad(curves, length):
    # repeat the last value up to the common length
    return np.array([list(c) + [c[-1]] * (length - len(c)) for c in curves], dtype=np.float64)


def kth_smallest(values, alpha):
    n = len(values)
    # exact rational rank ceil((n+1)(1-alpha)); past n fall back to the largest value
    k = math.ceil(Fraction(n + 1) * (1 - alpha))
    k = min(max(k, 1), n)
    return float(np.sort(values)[k - 1])


def main():
    spec = json.load(sys.stdin)
    alpha = Fraction(spec["alpha"])
    length = max(len(c) for c in spec["cal"] + spec["conf"])
    cal = pad(spec["cal"], length)
    conf = pad(spec["conf"], length)

    mu = cal.mean(axis=0)
    dev = np.abs(cal - mu)
    sup = dev.max(axis=1)
    gamma = kth_smallest(sup, alpha)
    keep = sup <= gamma
    sigma = dev[keep].max(axis=0) + 1e-8

    r = ((conf - mu) / sigma).max(axis=1)
    h = kth_smallest(r, alpha)
    band = mu + h * sigma
    json.dump({"mu": mu.tolist(), "sigma": sigma.tolist(), "h": h, "band": band.tolist(),
               "gamma": gamma}, sys.stdout)


main()
