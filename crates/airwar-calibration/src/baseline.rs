//! The naive baseline every battle prediction is scored against.
//!
//! A model earns its complexity only if it predicts better than a rule of thumb. The rule here:
//! an observed figure is a negative binomial count whose mean is a ratio times the number of
//! aircraft the figure is about ([`exposure`]: the side's aircraft for its losses, the other
//! side's for its claims, the parked aircraft for ground figures), the ratio and the
//! dispersion fitted on the *other* battles' figures of the same kind (losses or claims, in the
//! air or on the ground): the same leave-one-out folds as the model's. The skill of the model
//! is then 1 − CRPS(model) / CRPS(baseline): above 0 it beats the rule of thumb.

use airwar_scenario::engagement::Observation;
use airwar_scenario::{Engagement, ObservedMetric, Where};

use crate::distribution::Distribution;

/// The number of aircraft an observed figure is about.
pub fn exposure(e: &Engagement, o: &Observation) -> f64 {
    let side = match o.metric {
        ObservedMetric::Losses => o.side,
        ObservedMetric::Claims => 1 - o.side.min(1),
    };
    let Some(s) = e.sides.get(side) else {
        return 0.0;
    };
    let of_type = |t: &str| o.type_id.as_deref().is_none_or(|want| want == t);
    let flying: u32 = s
        .forces
        .iter()
        .filter(|f| of_type(&f.type_id))
        .map(|f| f.count.value)
        .sum();
    let parked: u32 = s
        .parked
        .iter()
        .filter(|p| of_type(&p.type_id))
        .map(|p| p.count.value)
        .sum();
    match o.where_ {
        Where::Air => flying as f64,
        Where::Ground if parked > 0 => parked as f64,
        Where::Ground => flying as f64,
    }
}

fn kind_key(o: &Observation) -> (bool, bool) {
    (o.metric == ObservedMetric::Losses, o.where_ == Where::Air)
}

/// log Γ by the Lanczos approximation (g = 7, n = 9), accurate to about 1e-15.
fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        std::f64::consts::PI.ln() - (std::f64::consts::PI * x).sin().ln() - ln_gamma(1.0 - x)
    } else {
        let x = x - 1.0;
        let t = x + 7.5;
        let mut a = C[0];
        for (i, c) in C.iter().enumerate().skip(1) {
            a += c / (x + i as f64);
        }
        0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
    }
}

/// log P(Y = y) for a negative binomial of mean `mu` and size `r` (variance mu + mu²/r).
pub fn nb_log_pmf(y: u32, mu: f64, r: f64) -> f64 {
    let y = y as f64;
    if mu <= 0.0 {
        return if y == 0.0 { 0.0 } else { f64::NEG_INFINITY };
    }
    ln_gamma(y + r) - ln_gamma(r) - ln_gamma(y + 1.0)
        + r * (r / (r + mu)).ln()
        + y * (mu / (r + mu)).ln()
}

/// The negative binomial as a [`Distribution`] (truncated where the tail holds under 1e-9).
pub fn nb_distribution(mu: f64, r: f64) -> Distribution {
    let mut p = Vec::new();
    let mut total = 0.0;
    let mut y = 0u32;
    while total < 1.0 - 1e-9 && y < 1_000_000 {
        let q = nb_log_pmf(y, mu, r).exp();
        p.push(q);
        total += q;
        y += 1;
        if mu <= 0.0 {
            break;
        }
    }
    Distribution::from_probabilities(p)
}

/// A fitted baseline: ratio of the figure to its exposure, and the negative binomial size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Baseline {
    pub ratio: f64,
    pub size: f64,
}

/// Fit a baseline to (value, exposure) pairs: the ratio by Σvalue / Σexposure, the size by
/// maximum likelihood on a grid of its logarithm (0.05 to 1,000).
pub fn fit(pairs: &[(u32, f64)]) -> Baseline {
    let total_y: f64 = pairs.iter().map(|(y, _)| *y as f64).sum();
    let total_x: f64 = pairs.iter().map(|(_, x)| *x).sum();
    let ratio = if total_x > 0.0 {
        (total_y / total_x).max(1e-6)
    } else {
        0.0
    };
    let mut best = (f64::NEG_INFINITY, 1.0);
    for k in 0..=120 {
        let r = (0.05f64.ln() + k as f64 / 120.0 * (1000.0f64.ln() - 0.05f64.ln())).exp();
        let ll: f64 = pairs
            .iter()
            .map(|(y, x)| nb_log_pmf(*y, (ratio * x).max(1e-6), r))
            .sum();
        if ll > best.0 {
            best = (ll, r);
        }
    }
    Baseline {
        ratio,
        size: best.1,
    }
}

/// The baseline's predictive distribution for every observed figure of every battle, each
/// fitted without its own battle. Figures of a kind no other battle has fall back to a fit on
/// every other battle's figures.
pub fn leave_one_out(battles: &[Engagement]) -> Vec<Vec<Distribution>> {
    let all: Vec<(usize, (bool, bool), u32, f64)> = battles
        .iter()
        .enumerate()
        .flat_map(|(b, e)| {
            e.observed
                .iter()
                .map(move |o| (b, kind_key(o), o.value, exposure(e, o)))
        })
        .collect();
    battles
        .iter()
        .enumerate()
        .map(|(b, e)| {
            e.observed
                .iter()
                .map(|o| {
                    let key = kind_key(o);
                    let same: Vec<(u32, f64)> = all
                        .iter()
                        .filter(|x| x.0 != b && x.1 == key)
                        .map(|x| (x.2, x.3))
                        .collect();
                    let pairs = if same.len() >= 2 {
                        same
                    } else {
                        all.iter()
                            .filter(|x| x.0 != b)
                            .map(|x| (x.2, x.3))
                            .collect()
                    };
                    let fitted = fit(&pairs);
                    nb_distribution(fitted.ratio * exposure(e, o), fitted.size)
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_negative_binomial_sums_to_one_with_its_mean() {
        for (mu, r) in [(0.5, 0.3), (4.0, 2.0), (30.0, 50.0)] {
            let d = nb_distribution(mu, r);
            assert!(
                (d.mean() - mu).abs() < 1e-4 * mu.max(1.0),
                "{mu} {r}: {}",
                d.mean()
            );
        }
    }

    #[test]
    fn ln_gamma_matches_factorials() {
        let mut f = 1.0f64;
        for n in 1..20u32 {
            f *= n as f64;
            assert!((ln_gamma(n as f64 + 1.0) - f.ln()).abs() < 1e-10);
        }
    }

    #[test]
    fn the_fit_recovers_ratio_and_dispersion_from_simulated_counts() {
        // Poisson-gamma draws with ratio 0.2 and size 2 at exposures 10..60 (fixed seed);
        // 3,000 pairs pin the ratio to about ±2% and the size to about ±20%.
        use airwar_model::rng::{stream, uniform};
        let mut rng = stream(5, 0);
        let mut pairs = Vec::new();
        for i in 0..3000 {
            let x = 10.0 + (i % 51) as f64;
            // Gamma(2, mu/2) as the sum of two exponentials.
            let mu = 0.2 * x;
            let lambda = -(mu / 2.0) * (uniform(&mut rng).ln() + uniform(&mut rng).ln());
            // Poisson by inversion.
            let (mut k, mut p, u) = (0u32, (-lambda).exp(), uniform(&mut rng));
            let mut cdf = p;
            while u > cdf && k < 10_000 {
                k += 1;
                p *= lambda / k as f64;
                cdf += p;
            }
            pairs.push((k, x));
        }
        let b = fit(&pairs);
        assert!((b.ratio - 0.2).abs() < 0.01, "{b:?}");
        assert!((b.size - 2.0).abs() < 0.5, "{b:?}");
    }
}
