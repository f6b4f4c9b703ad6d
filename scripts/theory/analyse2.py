import json, numpy as np
rows = [json.loads(l) for l in open("results_L2.jsonl")]
def stats(sub, key, label):
    d = np.array([r[key][0] for r in sub]); se = np.array([r[key][1] for r in sub])
    w = int(np.argmax(np.abs(d)))
    r = sub[w]
    print(f"  {label} [{key}]: cells {len(sub)}, MAE {np.mean(np.abs(d)):.4f}, median {np.median(np.abs(d)):.4f}, within 3 SE {(np.abs(d) < 3*np.maximum(se,1e-12)).sum()}, |d|<0.02 {(np.abs(d)<0.02).sum()}, |d|<0.05 {(np.abs(d)<0.05).sum()}, worst {d[w]:+.3f} (d={r['d']} s={r['s']} T={r['T']} n={r['n']} eps={r['eps']}: meas {r['mn'][0]:.3f})")
nondeg = [r for r in rows if r['s'] > 4]
inf = [r for r in nondeg if 0.05 < r['mn'][0] < 0.95]
print("non-degenerate cells (s > r):")
for k in ["d_hn", "d_fn", "d_fpn", "d_hu"]:
    stats(nondeg, k, "s>r")
print("informative non-degenerate cells (0.05 < measured < 0.95):")
for k in ["d_hn", "d_fn", "d_fpn", "d_hu"]:
    stats(inf, k, "informative")
# by s/d within informative
for f in [0.04, 0.2, 1.0]:
    sub = [r for r in inf if abs(r['s'] / r['d'] - f) < 1e-9]
    if sub:
        stats(sub, "d_fn", f"informative, s/d={f}")
        stats(sub, "d_hn", f"informative, s/d={f}")
for e in [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]:
    sub = [r for r in inf if r['eps'] == e]
    stats(sub, "d_fn", f"informative, eps={e}")
for T in [10, 20, 80]:
    sub = [r for r in inf if r['T'] == T]
    stats(sub, "d_fn", f"informative, T={T}")
for d in [100, 500, 2000]:
    sub = [r for r in inf if r['d'] == d]
    stats(sub, "d_fn", f"informative, d={d}")
# sign of error at large eps
big = [r for r in inf if r['eps'] >= 0.5]
print("  mean signed error (full+) at eps >= 0.5:", np.mean([r['d_fpn'][0] for r in big]), "cells", len(big))
# best radius, settings with a U shape (measured min < 0.9 and s > r)
keys = sorted(set((r['d'], r['s'], r['T'], r['n']) for r in nondeg))
ag_f = ag_fp = ag_h = tot = 0
lines = []
for k in keys:
    rr = sorted([r for r in nondeg if (r['d'], r['s'], r['T'], r['n']) == k], key=lambda r: r['eps'])
    mins = [r['mn'][0] for r in rr]
    if min(mins) > 0.95 or max(mins) - min(mins) < 0.02:
        continue
    tot += 1
    em = rr[int(np.argmin(mins))]['eps']
    ef = rr[int(np.argmin([r['fn'][0] for r in rr]))]['eps']
    efp = rr[int(np.argmin([r['fpn'][0] for r in rr]))]['eps']
    eh = rr[int(np.argmin([r['hn'][0] for r in rr]))]['eps']
    ag_f += abs(em - ef) < 0.1 + 1e-9; ag_fp += abs(em - efp) < 0.1 + 1e-9; ag_h += abs(em - eh) < 0.1 + 1e-9
    # regret: measured sinTheta at predicted argmin minus measured min
    reg = rr[int(np.argmin([r['fpn'][0] for r in rr]))]['mn'][0] - min(mins)
    lines.append(f"    d={k[0]} s={k[1]} T={k[2]} n={k[3]}: measured argmin {em} ({min(mins):.3f}); full {ef}, full+ {efp}, hom {eh}; regret of full+ {reg:.3f}")
print(f"best radius in {tot} settings with a non-flat curve (s > r): full within 0.1 in {ag_f}, full+ {ag_fp}, hom {ag_h}")
print("\n".join(lines))
