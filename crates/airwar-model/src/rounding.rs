//! Rounding to the nearest whole number without a library call.
//!
//! The baseline x86-64 instruction set has no rounding instruction, so `f64::round` compiles to
//! a call into the compiler's runtime library; a campaign rounds a few numbers on every day and
//! in every fight (aircraft counts scaled to what flies, the day's debt and exposure), and those
//! calls were about 1.5% of a Chinese replication. [`round`] gives exactly `f64::round`'s result
//! (halves away from zero, the sign of zero kept, NaN and infinities unchanged) with a
//! truncating conversion and one comparison.

/// 2^52: every float at least this large in magnitude is already a whole number.
const WHOLE_FROM: f64 = 4_503_599_627_370_496.0;

/// The nearest whole number to `x`, halves away from zero: bit for bit `x.round()`.
#[inline]
pub fn round(x: f64) -> f64 {
    let magnitude = x.abs();
    // NaN stays NaN.
    if magnitude >= WHOLE_FROM || magnitude.is_nan() {
        return x;
    }
    let whole = (magnitude as u64) as f64;
    // Exact: the fraction of a float below 2^52 is itself a float.
    let fraction = magnitude - whole;
    let rounded = if fraction >= 0.5 { whole + 1.0 } else { whole };
    rounded.copysign(x)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn same(x: f64) {
        assert_eq!(round(x).to_bits(), x.round().to_bits(), "x = {x:e}");
    }

    #[test]
    fn the_edges_round_as_the_standard_library_does() {
        let half_below = 0.5f64.next_down();
        for x in [
            0.0,
            -0.0,
            0.5,
            -0.5,
            half_below,
            -half_below,
            1.5,
            2.5,
            -2.5,
            WHOLE_FROM - 0.5,
            WHOLE_FROM,
            WHOLE_FROM + 1.0,
            f64::MAX,
            f64::MIN_POSITIVE,
            f64::INFINITY,
            f64::NEG_INFINITY,
            u64::MAX as f64,
        ] {
            same(x);
        }
        assert!(round(f64::NAN).is_nan());
    }

    proptest! {
        #[test]
        fn any_float_rounds_as_the_standard_library_does(bits in any::<u64>()) {
            let x = f64::from_bits(bits);
            prop_assume!(!x.is_nan());
            same(x);
        }

        #[test]
        fn counts_and_their_halves_round_as_the_standard_library_does(
            whole in 0u32..1_000_000,
            eighths in 0u32..8,
            scale in 0.0f64..3.0,
        ) {
            let x = whole as f64 + eighths as f64 / 8.0;
            same(x);
            same(-x);
            same(x * scale);
        }
    }
}
