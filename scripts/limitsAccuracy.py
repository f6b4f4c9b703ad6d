"""Accuracy of the limits of MODEL §8 over a sweep run with "evaluation": {"limits": {}}.

Reads the sweep's results.jsonl (per replicate: the measured metric and the limit's prediction for
the same replicate's truth), and prints, per (cell, method), the paired difference measured -
predicted with its paired SE and z, then the mean absolute error, the median, the worst cell and
the share within 3 SE, overall and by group. Markdown on stdout.

  python3 scripts/limitsAccuracy.py L1 out/l1grid/results.jsonl [--near 0.9] [--r 4] [--cells]
  python3 scripts/limitsAccuracy.py L2 docs/results/where-linf-helps/limits-l2-grid/d100/results.jsonl --d 100
"""
import json
import math
import sys
from statistics import mean, median


SKIPPED = []


def rows_of(path, limit, metric="sinTheta"):
    out = []
    for line in open(path):
        rec = json.loads(line)
        for m in rec["methods"]:
            mets = m["metrics"]
            key = f"limit.{metric}.{limit}"
            if key not in mets or metric not in mets:
                # The estimator failed in every replicate (e.g. fewer than r tasks kept): nothing measured.
                SKIPPED.append((rec["point"], m["method"], (m["failures"] or [{"reason": "-"}])[0]["reason"]))
                continue
            x, y = mets[metric], mets[key]
            pairs = [(a, b) for a, b in zip(x, y) if a is not None and b is not None]
            k = len(pairs)
            diffs = [a - b for a, b in pairs]
            dm = mean(diffs)
            se = math.sqrt(sum((d - dm) ** 2 for d in diffs) / (k - 1) / k) if k > 1 else float("nan")
            out.append({**rec["point"], "method": m["method"], "measured": mean(a for a, _ in pairs), "predicted": mean(b for _, b in pairs), "err": dm, "se": se, "z": dm / se if se > 0 else (0.0 if dm == 0 else math.inf), "k": k})
    return out


def summary(label, xs):
    w = max(xs, key=lambda r: abs(r["err"]))
    where = ", ".join(f"{k} = {w[k]}" for k in w if k not in ("measured", "predicted", "err", "se", "z", "k"))
    return f"| {label} | {len(xs)} | {mean(abs(r['err']) for r in xs):.4f} | {median(abs(r['err']) for r in xs):.4f} | {w['err']:+.3f} ({where}; measured {w['measured']:.3f}) | {sum(abs(r['z']) <= 3 for r in xs)}/{len(xs)} |"


def main():
    limit, path = sys.argv[1], sys.argv[2]
    args = sys.argv[3:]
    near = float(args[args.index("--near") + 1]) if "--near" in args else 0.9
    d = args[args.index("--d") + 1] if "--d" in args else None
    rs = rows_of(path, limit)
    if d is not None:
        for r in rs:
            r["d"] = int(d)
    print(f"{limit} against the measured mean sinTheta, {path} ({rs[0]['k']} replicates per cell; paired differences measured - predicted)\n")
    print("| group | (cell, method) pairs | mean abs. error | median abs. error | worst | within 3 SE |")
    print("| --- | --- | --- | --- | --- | --- |")
    print(summary("all", rs))
    far = [r for r in rs if r["predicted"] < near]
    if far:
        print(summary(f"predicted < {near} (every direction above the detection threshold)", far))
    nr = [r for r in rs if r["predicted"] >= near]
    if nr:
        print(summary(f"predicted >= {near} (near or below the threshold)", nr))
    r_ = int(args[args.index("--r") + 1]) if "--r" in args else 4
    if "s" in rs[0]:
        print(summary(f"s > r = {r_}", [r for r in rs if r["s"] > r_]))
        print(summary(f"s > r = {r_}, eps <= 0.3", [r for r in rs if r["s"] > r_ and r.get("eps", 0) <= 0.3]))
    keys = [k for k in rs[0] if k not in ("measured", "predicted", "err", "se", "z", "k")]
    for k in keys:
        for v in sorted({r[k] for r in rs}, key=lambda v: (isinstance(v, str), v)):
            print(summary(f"{k} = {v}", [r for r in rs if r[k] == v]))
    if SKIPPED:
        print(f"\nLeft out ({len(SKIPPED)} (cell, method) pairs where the estimator failed in every replicate): " + "; ".join(f"{', '.join(f'{k} = {v}' for k, v in p.items())} ({m}: {why})" for p, m, why in SKIPPED))
    if "--cells" in args:
        print("\n| " + " | ".join(keys) + " | measured | predicted | measured - predicted | z |")
        print("| " + " | ".join("---" for _ in keys) + " | --- | --- | --- | --- |")
        for r in rs:
            print("| " + " | ".join(str(r[k]) for k in keys) + f" | {r['measured']:.4f} | {r['predicted']:.4f} | {r['err']:+.4f} ± {r['se']:.4f} | {r['z']:+.1f} |")


if __name__ == "__main__":
    main()
