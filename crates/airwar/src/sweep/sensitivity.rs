//! Sobol sensitivity indices of a sweep's outputs, with bootstrap confidence intervals.
//!
//! The output at a design point is the mean of its replications. For a `sobol` or `lhs`
//! design (the [`Layout::Saltelli`] blocks `A_j`, `B_j`, `AB_ij`), with `V` the variance of
//! the outputs at `A` and `B` together:
//!
//! - first order, Saltelli (2010): `S1_i = mean_j (f(B)_j − m)·(f(AB_i)_j − f(A)_j) / V`,
//!   with `m` the mean of the outputs at `A` and `B` (centring leaves the estimator's
//!   expectation as it is and takes away the variance a large mean adds);
//! - total order, Jansen (1999): `ST_i = mean_j (f(A)_j − f(AB_i)_j)² / (2V)`.
//!
//! Their 95% intervals are bootstrap percentiles over the base rows `j` ([`RESAMPLES`]
//! resamples with replacement, on a seeded stream), so the same sweep gives the same
//! intervals. For a `grid` the decomposition of the variance over the full factorial is
//! exact (`S1_i` = variance of the means over each level of input `i`; `ST_i` = mean over the
//! other inputs' combinations of the variance across input `i`'s levels, both over the
//! total variance), and the intervals resample each point's replications, so they show the
//! Monte Carlo noise only.
//!
//! The replication means carry Monte Carlo noise, which the estimators count as variance no
//! input explains: with few replications per point, small indices are biased up in `ST`
//! (noise in `f(A) − f(AB_i)`) and the sum of `S1` falls below 1.

use airwar_model::rng::{index, stream, ModelRng};
use serde::Serialize;

use super::design::Layout;

/// `(S1, ST)` of each input.
type Estimate = (Vec<f64>, Vec<f64>);

/// Bootstrap resamples behind each interval.
pub const RESAMPLES: usize = 1000;
/// Stream key of the bootstrap of metric `m`: `stream(seed ^ BOOTSTRAP_KEY, m)`.
pub const BOOTSTRAP_KEY: u64 = 0xB007_5743_0000_0001;

/// One input's indices for one metric, with 95% bootstrap intervals; `None` where the metric
/// does not vary over the design (its variance is 0).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Indices {
    pub s1: Option<f64>,
    pub s1_lo: Option<f64>,
    pub s1_hi: Option<f64>,
    pub st: Option<f64>,
    pub st_lo: Option<f64>,
    pub st_hi: Option<f64>,
}

/// `S1` and `ST` of each input from the outputs `y` at the design points, using base rows
/// `rows` (the estimate uses every row once; the bootstrap a resample). `None` when the
/// outputs do not vary.
pub fn saltelli(y: &[f64], k: usize, rows: &[usize]) -> Option<(Vec<f64>, Vec<f64>)> {
    let w = k + 2;
    let n = rows.len() as f64;
    let (ya, yb) = (|j: usize| y[j * w], |j: usize| y[j * w + 1]);
    let mean = rows.iter().map(|&j| ya(j) + yb(j)).sum::<f64>() / (2.0 * n);
    let var = rows
        .iter()
        .map(|&j| (ya(j) - mean).powi(2) + (yb(j) - mean).powi(2))
        .sum::<f64>()
        / (2.0 * n);
    if var.is_nan() || var <= 0.0 {
        return None;
    }
    let mut s1 = vec![0.0; k];
    let mut st = vec![0.0; k];
    for i in 0..k {
        let (mut a, mut b) = (0.0, 0.0);
        for &j in rows {
            let yab = y[j * w + 2 + i];
            // Centred: f(B) − mean has the same expectation in the product (f(AB_i) −
            // f(A) has mean 0) and far less variance when the mean dwarfs the spread.
            a += (yb(j) - mean) * (yab - ya(j));
            b += (ya(j) - yab).powi(2);
        }
        s1[i] = a / n / var;
        st[i] = b / (2.0 * n) / var;
    }
    Some((s1, st))
}

/// The exact variance decomposition of outputs `y` over a full factorial of `levels` per
/// input (point `p`'s level of input `i` is digit `i` of `p` in base `levels`).
pub fn grid(y: &[f64], levels: usize, k: usize) -> Option<(Vec<f64>, Vec<f64>)> {
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let var = y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n;
    if var.is_nan() || var <= 0.0 || levels < 2 {
        return None;
    }
    let groups = y.len() / levels;
    let mut s1 = vec![0.0; k];
    let mut st = vec![0.0; k];
    let mut stride = 1;
    for i in 0..k {
        // First order: the variance of the means over each level of input i.
        let mut level_sum = vec![0.0; levels];
        // Total order: the variance across input i's levels, for each combination of the
        // others (the point's number with digit i taken out).
        let mut group_sum = vec![0.0; groups];
        let mut group_sq = vec![0.0; groups];
        for (p, v) in y.iter().enumerate() {
            let l = (p / stride) % levels;
            let g = (p / (stride * levels)) * stride + p % stride;
            level_sum[l] += v;
            group_sum[g] += v;
            group_sq[g] += v * v;
        }
        let per_level = groups as f64;
        s1[i] = level_sum
            .iter()
            .map(|s| (s / per_level - mean).powi(2))
            .sum::<f64>()
            / levels as f64
            / var;
        let l = levels as f64;
        st[i] = group_sum
            .iter()
            .zip(&group_sq)
            .map(|(s, q)| (q / l - (s / l).powi(2)).max(0.0))
            .sum::<f64>()
            / groups as f64
            / var;
        stride *= levels;
    }
    Some((s1, st))
}

/// The indices of every input for one metric, from each design point's replication values
/// (`per_point[p]`, in design order), with bootstrap intervals drawn from `rng`.
pub fn indices(per_point: &[Vec<f64>], layout: Layout, rng: &mut ModelRng) -> Vec<Indices> {
    let means: Vec<f64> = per_point.iter().map(|r| mean(r)).collect();
    let (k, estimate, boots) = match layout {
        Layout::Saltelli { base, factors } => {
            let n = base as usize;
            let all: Vec<usize> = (0..n).collect();
            let estimate = saltelli(&means, factors, &all);
            let mut rows = vec![0; n];
            let boots: Vec<_> = (0..RESAMPLES)
                .map(|_| {
                    for r in rows.iter_mut() {
                        *r = index(rng, n);
                    }
                    saltelli(&means, factors, &rows)
                })
                .collect();
            (factors, estimate, boots)
        }
        Layout::Grid { levels, factors } => {
            let estimate = grid(&means, levels as usize, factors);
            let boots: Vec<_> = (0..RESAMPLES)
                .map(|_| {
                    let resampled: Vec<f64> = per_point
                        .iter()
                        .map(|r| {
                            if r.is_empty() {
                                return f64::NAN;
                            }
                            (0..r.len()).map(|_| r[index(rng, r.len())]).sum::<f64>()
                                / r.len() as f64
                        })
                        .collect();
                    grid(&resampled, levels as usize, factors)
                })
                .collect();
            (factors, estimate, boots)
        }
    };
    let Some((s1, st)) = estimate else {
        return vec![
            Indices {
                s1: None,
                s1_lo: None,
                s1_hi: None,
                st: None,
                st_lo: None,
                st_hi: None,
            };
            k
        ];
    };
    (0..k)
        .map(|i| {
            let interval = |pick: fn(&Estimate) -> &Vec<f64>| {
                let mut v: Vec<f64> = boots
                    .iter()
                    .flatten()
                    .map(|b| pick(b)[i])
                    .filter(|x| x.is_finite())
                    .collect();
                v.sort_by(f64::total_cmp);
                (quantile(&v, 0.025), quantile(&v, 0.975))
            };
            let (s1_lo, s1_hi) = interval(|b| &b.0);
            let (st_lo, st_hi) = interval(|b| &b.1);
            Indices {
                s1: Some(s1[i]),
                s1_lo,
                s1_hi,
                st: Some(st[i]),
                st_lo,
                st_hi,
            }
        })
        .collect()
}

/// The bootstrap stream of metric `m` of a sweep seeded with `seed`.
pub fn bootstrap_stream(seed: u64, m: usize) -> ModelRng {
    stream(seed ^ BOOTSTRAP_KEY, m as u64)
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        f64::NAN
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// The `q` quantile of sorted values, interpolated linearly between order statistics.
fn quantile(sorted: &[f64], q: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let h = q * (n - 1) as f64;
    let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sweep::design::{Design, DesignKind, Factor};
    use std::f64::consts::PI;

    fn factor(path: &str, lo: f64, hi: f64) -> Factor {
        Factor {
            path: path.into(),
            lo,
            hi,
            integer: false,
        }
    }

    fn ishigami(x: &[f64]) -> f64 {
        let (a, b) = (7.0, 0.1);
        x[0].sin() + a * x[1].sin().powi(2) + b * x[2].powi(4) * x[0].sin()
    }

    /// The Ishigami function's indices in closed form (a = 7, b = 0.1).
    fn ishigami_truth() -> ([f64; 3], [f64; 3]) {
        let (a, b) = (7.0f64, 0.1f64);
        let pi4 = PI.powi(4);
        let pi8 = PI.powi(8);
        let v1 = 0.5 * (1.0 + b * pi4 / 5.0).powi(2);
        let v2 = a * a / 8.0;
        let v13 = b * b * pi8 * (1.0 / 18.0 - 1.0 / 50.0);
        let v = v1 + v2 + v13;
        ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
    }

    /// The standard error of each estimator from its per-row terms: sd/√N over the variance.
    fn standard_errors(y: &[f64], k: usize, n: usize) -> (Vec<f64>, Vec<f64>) {
        let w = k + 2;
        let all: Vec<f64> = (0..n).flat_map(|j| [y[j * w], y[j * w + 1]]).collect();
        let m = all.iter().sum::<f64>() / all.len() as f64;
        let var = all.iter().map(|v| (v - m).powi(2)).sum::<f64>() / all.len() as f64;
        let se = |terms: Vec<f64>| {
            let m = terms.iter().sum::<f64>() / n as f64;
            let sd = (terms.iter().map(|t| (t - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
            sd / (n as f64).sqrt() / var
        };
        let s1 = (0..k)
            .map(|i| {
                se((0..n)
                    .map(|j| (y[j * w + 1] - m) * (y[j * w + 2 + i] - y[j * w]))
                    .collect())
            })
            .collect();
        let st = (0..k)
            .map(|i| {
                se((0..n)
                    .map(|j| (y[j * w] - y[j * w + 2 + i]).powi(2) / 2.0)
                    .collect())
            })
            .collect();
        (s1, st)
    }

    fn check_ishigami(kind: DesignKind, n: u64) {
        let factors = (1..=3).map(|i| factor(&format!("x{i}"), -PI, PI)).collect();
        let d = Design::new(kind, n, factors, 11).unwrap();
        let y: Vec<f64> = d.points.iter().map(|x| ishigami(x)).collect();
        let rows: Vec<usize> = (0..n as usize).collect();
        let (s1, st) = saltelli(&y, 3, &rows).unwrap();
        let (se1, set) = standard_errors(&y, 3, n as usize);
        let (t1, tt) = ishigami_truth();
        for i in 0..3 {
            // Four standard errors of the estimator at this N (plus the variance's own
            // relative error, about 1/√N, times the index).
            let tol1 = 4.0 * (se1[i] + t1[i] / (n as f64).sqrt());
            let tolt = 4.0 * (set[i] + tt[i] / (n as f64).sqrt());
            assert!(
                (s1[i] - t1[i]).abs() < tol1,
                "{kind:?} S1_{i}: {} vs {} (tolerance {tol1})",
                s1[i],
                t1[i]
            );
            assert!(
                (st[i] - tt[i]).abs() < tolt,
                "{kind:?} ST_{i}: {} vs {} (tolerance {tolt})",
                st[i],
                tt[i]
            );
            // The tolerances are tight enough to tell the inputs apart.
            assert!(tol1 < 0.07 && tolt < 0.07, "{tol1} {tolt}");
        }
    }

    #[test]
    fn saltelli_and_jansen_recover_the_ishigami_indices_on_a_sobol_design() {
        check_ishigami(DesignKind::Sobol, 16384);
    }

    #[test]
    fn saltelli_and_jansen_recover_the_ishigami_indices_on_a_latin_hypercube() {
        check_ishigami(DesignKind::Lhs, 16384);
    }

    #[test]
    fn a_linear_model_gets_its_shares_of_variance() {
        // y = 1·x1 + 2·x2 + 0·x3 on [0, 1]^3: S1 = ST = (1, 4, 0) / 5.
        let factors = (1..=3)
            .map(|i| factor(&format!("x{i}"), 0.0, 1.0))
            .collect();
        let n = 2048;
        let d = Design::new(DesignKind::Sobol, n, factors, 3).unwrap();
        let per_point: Vec<Vec<f64>> = d.points.iter().map(|x| vec![x[0] + 2.0 * x[1]]).collect();
        let mut rng = bootstrap_stream(1, 0);
        let ix = indices(&per_point, d.layout, &mut rng);
        let truth = [0.2, 0.8, 0.0];
        let tol = 4.0 / (n as f64).sqrt();
        for (i, t) in truth.iter().enumerate() {
            let x = ix[i];
            assert!((x.s1.unwrap() - t).abs() < tol, "S1_{i} {x:?}");
            assert!((x.st.unwrap() - t).abs() < tol, "ST_{i} {x:?}");
            assert!(x.s1_lo.unwrap() <= x.s1.unwrap() && x.s1.unwrap() <= x.s1_hi.unwrap());
            assert!(x.st_lo.unwrap() <= x.st.unwrap() && x.st.unwrap() <= x.st_hi.unwrap());
            // The 95% intervals hold the truth (with the same slack for the Sobol design's
            // points, which are better spread than the bootstrap assumes).
            assert!(x.s1_lo.unwrap() - tol / 4.0 <= *t && *t <= x.s1_hi.unwrap() + tol / 4.0);
        }
        // Same seed, same intervals.
        let again = indices(&per_point, d.layout, &mut bootstrap_stream(1, 0));
        assert_eq!(ix, again);
    }

    #[test]
    fn a_constant_output_has_no_indices() {
        let factors = vec![factor("a", 0.0, 1.0)];
        let d = Design::new(DesignKind::Lhs, 16, factors, 3).unwrap();
        let per_point = vec![vec![2.0, 2.0]; d.points.len()];
        let ix = indices(&per_point, d.layout, &mut bootstrap_stream(1, 0));
        assert_eq!(ix[0].s1, None);
        assert_eq!(ix[0].st_hi, None);
    }

    #[test]
    fn a_grid_decomposes_its_variance_exactly() {
        let factors = vec![factor("a", -1.0, 1.0), factor("b", -1.0, 1.0)];
        let d = Design::new(DesignKind::Grid, 5, factors, 1).unwrap();
        // Additive: shares 1 : 4.
        let y: Vec<f64> = d.points.iter().map(|x| x[0] + 2.0 * x[1]).collect();
        let (s1, st) = grid(&y, 5, 2).unwrap();
        for (got, want) in s1.iter().chain(&st).zip([0.2, 0.8, 0.2, 0.8]) {
            assert!((got - want).abs() < 1e-12, "{s1:?} {st:?}");
        }
        // A pure interaction on a centred grid: no first-order effect, all of it total.
        let y: Vec<f64> = d.points.iter().map(|x| x[0] * x[1]).collect();
        let (s1, st) = grid(&y, 5, 2).unwrap();
        for (got, want) in s1.iter().chain(&st).zip([0.0, 0.0, 1.0, 1.0]) {
            assert!((got - want).abs() < 1e-12, "{s1:?} {st:?}");
        }
    }

    #[test]
    fn quantiles_interpolate() {
        assert_eq!(quantile(&[0.0, 1.0, 2.0, 3.0, 4.0], 0.5), Some(2.0));
        assert_eq!(quantile(&[0.0, 1.0], 0.25), Some(0.25));
        assert_eq!(quantile(&[], 0.5), None);
    }
}
