"""B3' verification.
Part 1: the mean bounds (Frobenius / Gram / symmetrisation) on E||Pi N||_2 against Monte Carlo means,
        for Pi = P_perp (with and without the off-support block), P, I; and the conjecture
        E||Pi N|| <= tau (sqrt(rank) + sqrt(T)) (Gordon's Gaussian value, not proved).
Part 2: coverage of B3' (free form and E0 form), B3'-Wedin, and the normalised-column (kappa) forms
        over random configurations.
Part 3: median bound / measured on MODEL section 7's scenario at n = 40 and n = 20480."""
import sys
import numpy as np
from common import draw_instance, soft, top_r, sin_theta, normalise_cols
from b3p_lib import entry_stats, noise_mean_bounds, b3p_bound, b3p_wedin_bound

rng = np.random.default_rng(2024)
part = sys.argv[1] if len(sys.argv) > 1 else "123"


def spec(X):
    return np.linalg.norm(X, 2)


if "1" in part:
    print("== Part 1: mean bounds on E||Pi N|| vs Monte Carlo (200 draws per instance) ==")
    viol = {"frob": 0, "gram": 0, "sym": 0, "conj": 0}
    ncase = 0
    worst = {"frob": 9, "gram": 9, "sym": 9, "conj": 9}
    for d, s, r, T, n, snr, eps in [(500, 20, 4, 20, 40, 1.5, 0.3), (500, 20, 4, 20, 40, 1.5, 0.1), (500, 20, 4, 20, 20480, 1.5, 0.0345),
                                    (100, 10, 2, 5, 10, 0.7, 0.2), (100, 100, 4, 80, 40, 1.5, 0.2), (2000, 80, 4, 10, 160, 3.0, 0.3),
                                    (200, 40, 1, 20, 640, 1.0, 0.05), (300, 12, 8, 80, 40, 5.0, 0.6), (500, 500, 4, 20, 40, 1.5, 0.3),
                                    (1000, 200, 2, 10, 20, 1.5, 0.1), (60, 6, 3, 3, 5, 2.0, 0.4), (400, 20, 4, 40, 160, 0.3, 0.05)]:
        tau = 1 / np.sqrt(n)
        B, S, W, _ = draw_instance(d, s, r, T, snr, rng)
        st = entry_stats(B, S, W, tau, eps)
        BS = B[S]
        Ppar = BS @ BS.T
        Pperp = np.eye(s) - Ppar
        mfull = np.zeros((d, T)); mfull[S] = st['m']
        off_rows = np.setdiff1d(np.arange(d), S)
        vals = {k: [] for k in ["perp_free", "perp_E0", "par", "all_free"]}
        for _ in range(200):
            Mth = soft(B @ W + tau * rng.standard_normal((d, T)), eps)
            N = Mth - mfull
            NS = N[S]
            PpNS = Pperp @ NS
            vals["perp_E0"].append(spec(PpNS))
            vals["perp_free"].append(spec(np.vstack([PpNS, N[off_rows]])))
            vals["par"].append(spec(BS.T @ NS))
            vals["all_free"].append(spec(N))
        off = (d - s, st['v0'], st['m40']) if s < d else None
        cases = [("perp_free", noise_mean_bounds(Pperp, st['v'], st['k3'], st['m4'], tau, s - r, off=off), d - r),
                 ("perp_E0", noise_mean_bounds(Pperp, st['v'], st['k3'], st['m4'], tau, s - r), s - r),
                 ("par", noise_mean_bounds(Ppar, st['v'], st['k3'], st['m4'], tau, r), r),
                 ("all_free", noise_mean_bounds(np.eye(s), st['v'], st['k3'], st['m4'], tau, s, off=off), d)]
        line = []
        for name, nb, rank in cases:
            mc = np.mean(vals[name]); se = np.std(vals[name]) / np.sqrt(200)
            conj = tau * (np.sqrt(rank) + np.sqrt(T))
            ncase += 1
            for k, b in [("frob", nb['frob']), ("gram", nb['gram']), ("sym", nb['sym']), ("conj", conj)]:
                if b < mc - 3 * se:
                    viol[k] += 1
                worst[k] = min(worst[k], b / mc)
            line.append(f"{name}: mc {mc:.3f} F {nb['frob']:.3f} G {nb['gram']:.3f} K {nb['sym']:.3f} conj {conj:.3f}")
        print(f"(d={d},s={s},r={r},T={T},n={n},snr={snr},eps={eps}) " + " | ".join(line))
    print(f"cases {ncase}; violations (bound < MC mean - 3 SE): {viol}; smallest bound/MC ratio: " + ", ".join(f"{k} {v:.3f}" for k, v in worst.items()))

if "2" in part:
    print("\n== Part 2: coverage over random configurations (t = 1.0: promise 1 - 2 e^{-1/2} = 0.213 free form) ==")
    t = 1.0
    tot = dict(free=0, free_n=0, e0=0, e0_n=0, nE0=0, wed=0, wed_n=0, defined_free=0, defined_wed=0, N=0)
    rows = 0
    cfg_rng = np.random.default_rng(7)
    for _ in range(60):
        d = int(cfg_rng.choice([100, 500, 2000]))
        r = int(cfg_rng.choice([1, 2, 4]))
        s = int(cfg_rng.choice([max(r + 1, 5), 20, d // 5, d]))
        s = max(s, r + 1)
        T = int(cfg_rng.choice([5, 20, 80]))
        T = max(T, r)
        n = int(cfg_rng.choice([10, 40, 640, 20480]))
        snr = float(cfg_rng.choice([0.7, 1.5, 5.0]))
        tau = 1 / np.sqrt(n)
        eps = float(cfg_rng.choice([0.5, 1.5, 3.0])) * tau * float(cfg_rng.choice([1.0, 2.0]))
        R = 40 if d < 2000 else 15
        for _ in range(R):
            B, S, W, _ = draw_instance(d, s, r, T, snr, rng)
            Z = rng.standard_normal((d, T))
            Mth = soft(B @ W + tau * Z, eps)
            U, _ = top_r(Mth, r)
            stv = sin_theta(U, B)[0]
            Mn, nrm = normalise_cols(Mth)
            keep = nrm > 0
            if keep.sum() >= r:
                Un, _ = top_r(Mn[:, keep], r)
                stn = sin_theta(Un, B)[0]
                kappa = nrm[keep].max() / nrm[keep].min()
            else:
                stn, kappa = 1.0, np.inf
            st = entry_stats(B, S, W, tau, eps)
            of = b3p_bound(B, S, W, tau, eps, t, False, d)
            ow = b3p_wedin_bound(B, S, W, tau, eps, t, False, d, st=st)
            tot['N'] += 1
            tot['free'] += stv <= min(of['bound'], 1.0) + 1e-12
            tot['free_n'] += stn <= min(kappa * of['bound'], 1.0) + 1e-12
            tot['wed'] += stv <= min(ow['bound'], 1.0) + 1e-12
            tot['wed_n'] += 0  # kappa may not multiply the Wedin form (it does not bound the B1 ratio)
            tot['defined_free'] += of['bound'] < 1
            tot['defined_wed'] += ow['bound'] < 1
            offv = np.abs(Mth[np.setdiff1d(np.arange(d), S)]).max() if s < d else 0.0
            if offv == 0:
                oe = b3p_bound(B, S, W, tau, eps, t, True, d)
                owe = b3p_wedin_bound(B, S, W, tau, eps, t, True, d, st=st)
                tot['nE0'] += 1
                tot['e0'] += stv <= min(oe['bound'], owe['bound'], 1.0) + 1e-12
                tot['e0_n'] += stn <= min(kappa * oe['bound'], 1.0) + 1e-12
    print(tot)
    print(f"free-form coverage {tot['free']}/{tot['N']} (normalised x kappa {tot['free_n']}/{tot['N']}); informative (<1) in {tot['defined_free']}")
    print(f"Wedin coverage {tot['wed']}/{tot['N']}; informative in {tot['defined_wed']}")
    print(f"E0-form coverage among replicates where E0 held: {tot['e0']}/{tot['nE0']} (normalised {tot['e0_n']}/{tot['nE0']})")

if "3" in part:
    print("\n== Part 3: MODEL section 7 scenario (d=500, s=20, r=4, T=20, snr=1.5), t = 2.5 ==")
    d, s, r, T, snr, t = 500, 20, 4, 20, 1.5, 2.5
    for n, epss in [(40, [0.1, 0.2, 0.3, 0.4]), (20480, [0.0345, 0.02, 0.05])]:
        tau = 1 / np.sqrt(n)
        for eps in epss:
            rat, ratn, vals, meas, measn, cov, covn, best = [], [], [], [], [], 0, 0, []
            e0c = 0
            for _ in range(200):
                B, S, W, _ = draw_instance(d, s, r, T, snr, rng)
                Mth = soft(B @ W + tau * rng.standard_normal((d, T)), eps)
                U, _ = top_r(Mth, r)
                stv = sin_theta(U, B)[0]
                Mn, nrm = normalise_cols(Mth)
                keep = nrm > 0
                Un, _ = top_r(Mn[:, keep], r)
                stn = sin_theta(Un, B)[0]
                kappa = nrm[keep].max() / nrm[keep].min()
                st = entry_stats(B, S, W, tau, eps)
                bmain = b3p_bound(B, S, W, tau, eps, t, False, d)['bound']
                b = min(bmain, b3p_wedin_bound(B, S, W, tau, eps, t, False, d, st=st)['bound'])
                vals.append(b); meas.append(stv); measn.append(stn)
                rat.append(b / stv); ratn.append(kappa * bmain / stn)
                cov += stv <= min(b, 1); covn += stn <= min(kappa * bmain, 1)
            print(f"n={n} eps={eps}: mean sinTheta unnorm {np.mean(meas):.4f} norm {np.mean(measn):.4f}; bound median {np.median(vals):.4f}; "
                  f"median ratio unnorm {np.median(rat):.3f} norm {np.median(ratn):.3f}; coverage {cov}/200, {covn}/200")
