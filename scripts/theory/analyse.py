"""Summaries of results_L1.jsonl, results_L2.jsonl, results_U.jsonl (accuracy tables)."""
import json, sys
import numpy as np


def load(f):
    return [json.loads(l) for l in open(f)]


def acc(rows, key):
    diffs = np.array([r[key][0] for r in rows])
    ses = np.array([r[key][1] for r in rows])
    ok = np.abs(diffs) < 3 * np.maximum(ses, 1e-12)
    return diffs, ses, ok


if "L1" in sys.argv:
    rows = load("results_L1.jsonl")
    print("L1 (standard training; prediction = BGN with each replicate's sigma_i(W)); paired differences measured - predicted")
    for key, name in [("diff_u", "spectral sinTheta, unnormalised"), ("diff_n", "spectral sinTheta, normalised"), ("diff_frob", "Frobenius sinTheta, unnormalised"),
                      ("diff_cos2", "L1t: cos^2(phi), normalised"), ("diff_ex", "L1t: E[excess | U], normalised, n0 = 20")]:
        dfs, ses, ok = acc(rows, key)
        w = int(np.argmax(np.abs(dfs)))
        print(f"  {name}: MAE {np.mean(np.abs(dfs)):.4f}, max |diff| {np.abs(dfs).max():.4f} at (d={rows[w]['d']}, T={rows[w]['T']}, n={rows[w]['n']}), within 3 SE in {ok.sum()}/{len(ok)} cells; |diff| < 0.01 in {(np.abs(dfs) < 0.01).sum()}, < 0.02 in {(np.abs(dfs) < 0.02).sum()}")
    print("  cells outside 3 SE (spectral, normalised): " + "; ".join(f"d={r['d']} T={r['T']} n={r['n']}: meas {r['mn'][0]:.3f} pred {r['pred'][0]:.3f} diff {r['diff_n'][0]:+.3f}+-{r['diff_n'][1]:.3f}" for r, o in zip(rows, acc(rows, 'diff_n')[2]) if not o))
    print("  table (normalised spectral): d T n | measured | predicted | diff +- SE")
    for r in rows:
        print(f"   {r['d']:5d} {r['T']:3d} {r['n']:4d} | {r['mn'][0]:.3f} | {r['pred'][0]:.3f} | {r['diff_n'][0]:+.3f} +- {r['diff_n'][1]:.3f} | cos2 {r['cos2m'][0]:.3f} vs {r['cos2p'][0]:.3f} | excess {r['exm'][0]:.3f} vs {r['exp'][0]:.3f}")

if "L2" in sys.argv:
    rows = load("results_L2.jsonl")
    print(f"L2 (l-inf training), {len(rows)} cells; paired differences measured - predicted")
    for key, name in [("d_hu", "hom, unnormalised"), ("d_hn", "hom, normalised"), ("d_fn", "full profile, normalised"), ("d_fpn", "full profile + S-row correction, normalised")]:
        dfs, ses, ok = acc(rows, key)
        good = np.isfinite(dfs)
        dfs, ses, ok = dfs[good], ses[good], ok[good]
        rr = [r for r, g in zip(rows, good) if g]
        w = int(np.argmax(np.abs(dfs)))
        print(f"  {name}: MAE {np.mean(np.abs(dfs)):.4f}, median |diff| {np.median(np.abs(dfs)):.4f}, within 3 SE {ok.sum()}/{len(ok)}, |diff|<0.03 in {(np.abs(dfs)<0.03).sum()}, worst {dfs[w]:+.3f} at d={rr[w]['d']} s={rr[w]['s']} T={rr[w]['T']} n={rr[w]['n']} eps={rr[w]['eps']}")
    # breakdowns for the full profile
    for key in ["d_fn", "d_hn"]:
        print(f"  breakdown of {key}: MAE by group")
        for gname, gf in [("s/d", lambda r: round(r['s'] / r['d'], 2)), ("s<=r", lambda r: r['s'] <= 4), ("T", lambda r: r['T']), ("n", lambda r: r['n']), ("eps", lambda r: r['eps']), ("d", lambda r: r['d'])]:
            groups = {}
            for r in rows:
                if np.isfinite(r[key][0]):
                    groups.setdefault(gf(r), []).append(abs(r[key][0]))
            print(f"    {gname}: " + ", ".join(f"{k}: {np.mean(v):.3f} (n={len(v)})" for k, v in sorted(groups.items(), key=lambda kv: str(kv[0]))))
    # excluding s = r degenerate support
    sub = [r for r in rows if r['s'] > 4]
    for key in ["d_hn", "d_fn", "d_fpn"]:
        dfs = np.array([r[key][0] for r in sub]); ses = np.array([r[key][1] for r in sub])
        good = np.isfinite(dfs)
        print(f"  excluding s = r = 4 cells ({good.sum()} cells), {key}: MAE {np.mean(np.abs(dfs[good])):.4f}, within 3 SE {(np.abs(dfs[good]) < 3 * ses[good]).sum()}, |diff| < 0.03 in {(np.abs(dfs[good]) < 0.03).sum()}")
    # best radius per (d, s, T, n): argmin of measured vs predicted
    print("  best radius (argmin over eps in 0.1..0.6 of the normalised mean sinTheta): measured vs full vs hom")
    keyset = sorted(set((r['d'], r['s'], r['T'], r['n']) for r in rows))
    agree = tot = 0
    for k in keyset:
        rr = sorted([r for r in rows if (r['d'], r['s'], r['T'], r['n']) == k], key=lambda r: r['eps'])
        if len(rr) < 6:
            continue
        em = rr[int(np.argmin([r['mn'][0] for r in rr]))]['eps']
        ef = rr[int(np.argmin([r['fn'][0] for r in rr]))]['eps']
        eh = rr[int(np.argmin([r['hn'][0] for r in rr]))]['eps']
        tot += 1; agree += abs(em - ef) <= 0.1 + 1e-9
        print(f"    d={k[0]} s={k[1]} T={k[2]} n={k[3]}: measured {em} (sinTheta {min(r['mn'][0] for r in rr):.3f}), full {ef}, hom {eh}")
    print(f"  full-profile argmin within 0.1 of the measured argmin in {agree}/{tot} settings")

if "U" in sys.argv:
    rows = load("results_U.jsonl")
    print("U-curve, MODEL section 7 (d=500, s=20, r=4, T=20, n=40), 100 replicates per eps")
    print("  eps | measured unnorm | measured norm | hom (norm) | full (norm) | diff full +- SE")
    for r in rows:
        print(f"  {r['eps']:.2f} | {r['mu'][0]:.3f} +- {r['mu'][1]:.3f} | {r['mn'][0]:.3f} +- {r['mn'][1]:.3f} | {r['hn'][0]:.3f} | {r['fn'][0]:.3f} | {r['d_fn'][0]:+.3f} +- {r['d_fn'][1]:.3f}")
    em = rows[int(np.argmin([r['mn'][0] for r in rows]))]
    ef = rows[int(np.argmin([r['fn'][0] for r in rows]))]
    eh = rows[int(np.argmin([r['hn'][0] for r in rows]))]
    print(f"  argmin: measured (norm) {em['eps']} ({em['mn'][0]:.3f}); full {ef['eps']} ({ef['fn'][0]:.3f}); hom {eh['eps']} ({eh['hn'][0]:.3f})")
