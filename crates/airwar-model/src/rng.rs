//! Random streams: replication `i` of a run with seed `s` draws from a stream derived from
//! `(s, i)` alone, so results do not depend on how replications are spread over threads.

use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator every model uses.
pub type ModelRng = Xoshiro256PlusPlus;

/// SplitMix64's finaliser: a bijective mix of 64 bits.
#[inline]
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The stream for replication `index` of a run seeded with `seed`.
pub fn stream(seed: u64, index: u64) -> ModelRng {
    let a = mix(seed);
    let b = mix(a ^ mix(index.wrapping_add(0x5851_F42D_4C95_7F2D)));
    let c = mix(b.wrapping_add(1));
    let d = mix(c.wrapping_add(2));
    let mut bytes = [0u8; 32];
    for (chunk, word) in bytes.chunks_exact_mut(8).zip([a, b, c, d]) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    ModelRng::from_seed(bytes)
}

/// A uniform draw from [0, 1) with 53 bits of precision.
#[inline]
pub fn uniform(rng: &mut ModelRng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// A uniform draw from [0, 1) with 52 bits of precision, made by filling a float's mantissa
/// (cheaper than an integer-to-float conversion; used in the Lanchester hot loop).
#[inline]
pub fn unit_interval(rng: &mut ModelRng) -> f64 {
    f64::from_bits(0x3FF0_0000_0000_0000 | (rng.next_u64() >> 12)) - 1.0
}

/// A standard normal draw (Box-Muller).
pub fn normal(rng: &mut ModelRng) -> f64 {
    let u1 = 1.0 - uniform(rng); // in (0, 1]
    let u2 = uniform(rng);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// A log-normal multiplier with mean 1 and log standard deviation `sd`, from one normal draw:
/// the engagement model's per-engagement spreads (claim propensity, bombing luck).
pub fn mean_one_lognormal(rng: &mut ModelRng, sd: f64) -> f64 {
    (sd * normal(rng) - sd * sd / 2.0).exp()
}

/// True with probability `p`.
#[inline]
pub fn chance(rng: &mut ModelRng, p: f64) -> bool {
    uniform(rng) < p
}

/// A uniform index below `n` (n > 0), by Lemire's multiply-shift (bias below 2^-32 for the
/// small n used here).
#[inline]
pub fn index(rng: &mut ModelRng, n: usize) -> usize {
    (((rng.next_u64() >> 32) * n as u64) >> 32) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_depend_on_seed_and_index_only() {
        let a: Vec<u64> = (0..4).map(|_| stream(7, 3).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        assert_ne!(stream(7, 3).next_u64(), stream(7, 4).next_u64());
        assert_ne!(stream(7, 3).next_u64(), stream(8, 3).next_u64());
    }

    #[test]
    fn uniform_draws_are_in_range_and_centred() {
        for draw in [uniform, unit_interval] {
            let mut r = stream(1, 0);
            let n = 100_000;
            let mut sum = 0.0;
            for _ in 0..n {
                let u = draw(&mut r);
                assert!((0.0..1.0).contains(&u));
                sum += u;
            }
            // Mean of U(0,1) has sd 1/sqrt(12 n); allow 5 sd.
            let sd = (1.0 / (12.0 * n as f64)).sqrt();
            assert!((sum / n as f64 - 0.5).abs() < 5.0 * sd);
        }
    }

    #[test]
    fn the_lognormal_multiplier_has_mean_one() {
        let (sd, n): (f64, u32) = (0.8, 200_000);
        let mut r = stream(2, 0);
        let mean = (0..n).map(|_| mean_one_lognormal(&mut r, sd)).sum::<f64>() / n as f64;
        // Its variance is exp(sd²) - 1; allow 5 standard errors of the mean.
        let se = ((sd * sd).exp_m1() / n as f64).sqrt();
        assert!((mean - 1.0).abs() < 5.0 * se, "mean {mean}");
        assert_eq!(mean_one_lognormal(&mut r, 0.0), 1.0);
    }
}
