//! Pareto-smoothed importance sampling (PSIS; Vehtari, Simpson, Gelman, Yao and Gabry, 2024,
//! "Pareto smoothed importance sampling", JMLR 25): the diagnostic that says whether a
//! posterior sample can be reweighted to leave some evidence out.
//!
//! Leave-one-out by reweighting divides each posterior draw's weight by that draw's likelihood
//! of the held-out evidence. When a few draws take almost all the weight, the reweighted
//! sample is an estimate resting on those few, and its error is unbounded. PSIS fits a
//! generalised Pareto distribution to the largest weights: its shape `k` says how heavy their
//! tail is. Below 0.5 the reweighting is reliable, up to 0.7 usable, above 0.7 it cannot be
//! trusted and the fold must be refitted without the held-out evidence. The fitted tail also
//! replaces the largest raw weights by its expected order statistics (the smoothing).

/// The result of smoothing one set of importance weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Smoothed {
    /// Normalised, smoothed weights (same order as the input).
    pub weights: Vec<f64>,
    /// The estimated Pareto shape of the weights' tail; `NaN` when the sample is too small to
    /// fit one, −∞ when the largest weights are all equal (no tail).
    pub k: f64,
    /// (Σw)² / Σw² of the smoothed weights.
    pub effective_sample_size: f64,
}

/// Above this shape the reweighting cannot be trusted (Vehtari et al.'s threshold for
/// samples of any size above about 2,000; stricter for small samples, see [`k_threshold`]).
pub const K_LIMIT: f64 = 0.7;

/// The sample-size-dependent threshold min(1 − 1/log10(S), 0.7) of Vehtari et al. (2024).
pub fn k_threshold(draws: usize) -> f64 {
    let s = draws.max(2) as f64;
    (1.0 - 1.0 / s.log10()).min(K_LIMIT)
}

/// Whether a fold whose reweighting has shape `k` over `draws` draws must be refitted: k above
/// the threshold, or not estimable.
pub fn needs_refit(k: f64, draws: usize) -> bool {
    k.is_nan() || k > k_threshold(draws)
}

/// Smooth importance weights given as logarithms (`log_ratios[i]`: log of draw i's weight,
/// up to a constant), for draws that were equally weighted before.
pub fn smooth(log_ratios: &[f64]) -> Smoothed {
    let s = log_ratios.len();
    let max = log_ratios
        .iter()
        .copied()
        .filter(|x| x.is_finite())
        .fold(f64::NEG_INFINITY, f64::max);
    let mut w: Vec<f64> = log_ratios
        .iter()
        .map(|l| if l.is_finite() { (l - max).exp() } else { 0.0 })
        .collect();
    // Tail size: M = min(0.2 S, 3 √S).
    let m = ((0.2 * s as f64).min(3.0 * (s as f64).sqrt())).ceil() as usize;
    let mut k = f64::NAN;
    if s >= 10 && m >= 5 && m < s {
        let mut order: Vec<usize> = (0..s).collect();
        order.sort_by(|a, b| w[*a].total_cmp(&w[*b]));
        let cutoff = w[order[s - m - 1]];
        let tail: Vec<f64> = order[s - m..].iter().map(|i| w[*i] - cutoff).collect();
        // Every tail weight equal to the cutoff: no tail at all (a likelihood that is a step
        // function of the parameters gives this), and the reweighting is as good as it gets.
        if cutoff > 0.0 && tail.iter().all(|x| *x == 0.0) {
            k = f64::NEG_INFINITY;
        }
        if cutoff > 0.0 && tail.iter().all(|x| *x >= 0.0) && tail.iter().any(|x| *x > 0.0) {
            let (shape, scale) = gpd_fit(&tail);
            k = shape;
            if shape.is_finite() && scale > 0.0 {
                let wmax = order.iter().map(|i| w[*i]).fold(0.0, f64::max);
                for (j, i) in order[s - m..].iter().enumerate() {
                    let p = (j as f64 + 0.5) / m as f64;
                    let smoothed = cutoff + gpd_quantile(p, shape, scale);
                    w[*i] = smoothed.min(wmax);
                }
            }
        }
    }
    // Truncate at S^(3/4) times the mean weight.
    let mean = w.iter().sum::<f64>() / s.max(1) as f64;
    let cap = (s as f64).powf(0.75) * mean;
    for x in &mut w {
        *x = x.min(cap);
    }
    let total: f64 = w.iter().sum();
    let weights: Vec<f64> = if total > 0.0 {
        w.iter().map(|x| x / total).collect()
    } else {
        vec![1.0 / s.max(1) as f64; s]
    };
    let effective_sample_size = 1.0 / weights.iter().map(|x| x * x).sum::<f64>();
    Smoothed {
        weights,
        k,
        effective_sample_size,
    }
}

fn gpd_quantile(p: f64, k: f64, sigma: f64) -> f64 {
    if k.abs() < 1e-12 {
        -sigma * (1.0 - p).ln()
    } else {
        sigma * ((1.0 - p).powf(-k) - 1.0) / k
    }
}

/// The generalised Pareto fit of Zhang and Stephens (2009) with the weakly informative prior
/// of Vehtari et al.: returns (shape k, scale σ) for exceedances `x` (all ≥ 0).
fn gpd_fit(x: &[f64]) -> (f64, f64) {
    let mut x = x.to_vec();
    x.sort_by(f64::total_cmp);
    let n = x.len();
    let prior = 3.0;
    let m = 30 + (n as f64).sqrt() as usize;
    let xmax = x[n - 1];
    if xmax <= 0.0 {
        return (f64::NAN, 0.0);
    }
    // Draws resampled by a sequential Monte Carlo sampler repeat, so several tail weights can
    // tie with the cutoff (zero exceedance); the first quartile then falls back to the smallest
    // positive exceedance.
    let quartile = match x[((n as f64) / 4.0 + 0.5).floor() as usize - 1] {
        q if q > 0.0 => q,
        _ => x.iter().copied().find(|v| *v > 0.0).unwrap_or(xmax),
    };
    let thetas: Vec<f64> = (1..=m)
        .map(|j| 1.0 / xmax + (1.0 - (m as f64 / (j as f64 - 0.5)).sqrt()) / (prior * quartile))
        .collect();
    let profile = |theta: f64| -> f64 {
        let k = x.iter().map(|v| (-theta * v).ln_1p()).sum::<f64>() / n as f64;
        n as f64 * ((-theta / k).ln() - k - 1.0)
    };
    let log_lik: Vec<f64> = thetas.iter().map(|t| profile(*t)).collect();
    let weights: Vec<f64> = log_lik
        .iter()
        .map(|l| 1.0 / log_lik.iter().map(|o| (o - l).exp()).sum::<f64>())
        .collect();
    let theta: f64 = thetas
        .iter()
        .zip(&weights)
        .filter(|(_, w)| w.is_finite())
        .map(|(t, w)| t * w)
        .sum();
    let k = x.iter().map(|v| (-theta * v).ln_1p()).sum::<f64>() / n as f64;
    let sigma = -k / theta;
    // Shrink k towards 0.5 (the prior of Vehtari et al.).
    let k = (n as f64 * k + 10.0 * 0.5) / (n as f64 + 10.0);
    (k, sigma)
}

#[cfg(test)]
mod tests {
    use super::*;
    use airwar_model::rng::{stream, uniform};

    /// Log weights whose weights follow a Pareto tail of shape `k` (quantile transform of
    /// uniforms, fixed seed).
    fn pareto_log_weights(k: f64, draws: usize) -> Vec<f64> {
        let mut rng = stream(42, 0);
        (0..draws)
            .map(|_| {
                let u = uniform(&mut rng);
                (((1.0 - u).powf(-k) - 1.0) / k).ln_1p()
            })
            .collect()
    }

    #[test]
    fn the_shape_is_recovered_from_a_known_tail() {
        // With 4,000 draws the tail has 190 points; the estimator's standard error for k
        // near 0.5 is about (1 + k)/√190 ≈ 0.11, so 0.25 is over two standard errors.
        for truth in [0.3, 0.9] {
            let s = smooth(&pareto_log_weights(truth, 4000));
            assert!((s.k - truth).abs() < 0.25, "k {} for truth {truth}", s.k);
        }
    }

    #[test]
    fn equal_weights_are_left_alone_and_fully_effective() {
        let s = smooth(&vec![0.0; 100]);
        assert_eq!(s.k, f64::NEG_INFINITY);
        assert!(s.weights.iter().all(|w| (w - 0.01).abs() < 1e-12));
        assert!((s.effective_sample_size - 100.0).abs() < 1e-6);
    }

    #[test]
    fn one_dominant_draw_is_flagged() {
        let mut l = vec![0.0; 200];
        l[7] = 40.0;
        l[9] = 30.0;
        l[11] = 20.0;
        let s = smooth(&l);
        assert!(s.k > K_LIMIT || s.effective_sample_size < 5.0, "{s:?}");
    }
}
