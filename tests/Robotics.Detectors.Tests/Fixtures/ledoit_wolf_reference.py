"""Ledoit-Wolf shrinkage from Ledoit & Wolf (2004), "A well-conditioned estimator for large-dimensional covariance
matrices", Lemma 3.2-3.4 with the identity target scaled by m = <S, I> (the normalised Frobenius inner product
<A, B> = tr(A B^T) / p), written independently of the C# code.

Input: {"rows": [[...], ...]}. Output: shrinkage rho = b2 / d2 and the covariance rho m I + (1 - rho) S.
"""
import json
import sys

import numpy as np


def main():
    x = np.array(json.load(sys.stdin)["rows"], dtype=np.float64)
    n, p = x.shape
    xc = x - x.mean(axis=0)
    s = xc.T @ xc / n
    ident = np.eye(p)
    inner = lambda a, b: np.trace(a @ b.T) / p
    m = inner(s, ident)
    d2 = inner(s - m * ident, s - m * ident)
    bbar2 = sum(inner(np.outer(r, r) - s, np.outer(r, r) - s) for r in xc) / n ** 2
    b2 = min(bbar2, d2)
    rho = b2 / d2
    cov = rho * m * ident + (1 - rho) * s
    json.dump({"shrinkage": float(rho), "covariance": cov.tolist()}, sys.stdout)


main()
