//! Lanchester baselines: the deterministic square and linear laws, and the stochastic square law
//! as a jump chain with an exact solution by dynamic programming.
//!
//! Notation: Blue has `x` aircraft and kills at rate `a` per aircraft; Red has `y` and kills at
//! rate `b`. In the jump chain, at each event Red loses one aircraft with probability
//! a·x / (a·x + b·y), otherwise Blue loses one; the battle ends as soon as x ≤ the Blue break
//! point or y ≤ the Red break point. Blue wins when Red breaks.

use serde::Serialize;

use crate::rng::ModelRng;

/// One Lanchester battle: forces, rates and break points.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LanchesterBattle {
    pub blue: u32,
    pub red: u32,
    pub blue_rate: f64,
    pub red_rate: f64,
    pub blue_break: u32,
    pub red_break: u32,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LanchesterError {
    #[error("rates must be finite and 0 or more (blue-rate {0}, red-rate {1})")]
    NegativeRate(f64, f64),
    #[error("at least one of blue-rate and red-rate must be above 0")]
    BothRatesZero,
    #[error("forces of {0} x {1} are too large for the exact solution (the product must stay below {2})")]
    TooLargeForExact(u32, u32, u64),
}

/// The jump chain's generator: wyrand, a 64-bit generator with one multiply per draw, small
/// enough that [`LANES`] of them stay in registers. Seeded from the replication's stream, so a
/// replication still depends on (seed, index) alone.
#[derive(Debug, Clone, Copy)]
pub struct WyRand(u64);

impl WyRand {
    pub fn from_stream(rng: &mut ModelRng) -> Self {
        use rand_core::RngCore;
        WyRand(rng.next_u64())
    }

    #[inline(always)]
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0xa076_1d64_78bd_642f);
        let t = (self.0 as u128).wrapping_mul((self.0 ^ 0xe703_7ed1_a0b4_28db) as u128);
        ((t >> 64) ^ t) as u64
    }

    /// Uniform on [0, 1) with 52 bits, by filling a float's mantissa.
    #[inline(always)]
    pub fn unit(&mut self) -> f64 {
        f64::from_bits(0x3FF0_0000_0000_0000 | (self.next_u64() >> 12)) - 1.0
    }
}

/// Replications [`LanchesterBattle::simulate_range`] advances side by side.
pub const LANES: usize = 8;

/// Largest (blue+1)·(red+1) the exact solver accepts (time grows with the product).
pub const EXACT_STATE_LIMIT: u64 = 400_000_000;

impl LanchesterBattle {
    pub fn validate(&self) -> Result<(), LanchesterError> {
        let ok = |r: f64| r.is_finite() && r >= 0.0;
        if !ok(self.blue_rate) || !ok(self.red_rate) {
            return Err(LanchesterError::NegativeRate(self.blue_rate, self.red_rate));
        }
        if self.blue_rate == 0.0 && self.red_rate == 0.0 {
            return Err(LanchesterError::BothRatesZero);
        }
        Ok(())
    }

    fn over(&self, x: u32, y: u32) -> bool {
        x <= self.blue_break || y <= self.red_break
    }

    /// One run of the jump chain from the replication's stream; returns (blue losses, red
    /// losses). Draws come from a [`WyRand`] seeded by the stream.
    pub fn simulate(&self, rng: &mut ModelRng) -> (u32, u32) {
        let mut chain = WyRand::from_stream(rng);
        self.finish(&mut chain, self.blue as f64, self.red as f64)
    }

    /// Fight on from (x, y) to the end; returns (blue losses, red losses). The counts are kept
    /// as floats (no conversions in the loop), and each 64-bit draw decides two events, 32 bits
    /// each; the second half is unused if the battle ends on the first.
    fn finish(&self, chain: &mut WyRand, mut x: f64, mut y: f64) -> (u32, u32) {
        let (xb, yb) = (self.blue_break as f64, self.red_break as f64);
        'fight: while x > xb && y > yb {
            let r = chain.next_u64();
            for half in [r as u32, (r >> 32) as u32] {
                let red_loses = self.red_loses(half, x, y);
                y -= red_loses;
                x -= 1.0 - red_loses;
                if !(x > xb && y > yb) {
                    break 'fight;
                }
            }
        }
        (self.blue - x as u32, self.red - y as u32)
    }

    /// 1.0 if the next event costs Red an aircraft, else 0.0, from 32 random bits: Red loses
    /// when u·(a·x + b·y) < a·x for u uniform on [0, 1). No branch: the outcome is a coin flip
    /// the processor could not predict.
    #[inline(always)]
    fn red_loses(&self, bits: u32, x: f64, y: f64) -> f64 {
        let u = f64::from_bits(0x3FF0_0000_0000_0000 | ((bits as u64) << 20)) - 1.0;
        let ax = self.blue_rate * x;
        (u * (ax + self.red_rate * y) < ax) as u8 as f64
    }

    /// Run replications `range` of a run seeded with `seed`, calling `visit(blue losses, red
    /// losses)` for each, in no particular order. Replication `i` draws from `stream(seed, i)`
    /// exactly as [`Self::simulate`] does, so its result is the same; but [`LANES`]
    /// replications advance side by side with no unpredictable branch, so the processor
    /// overlaps their independent chains of arithmetic instead of waiting on one.
    pub fn simulate_range(
        &self,
        seed: u64,
        range: std::ops::Range<u64>,
        mut visit: impl FnMut(u32, u32),
    ) {
        let (xb, yb) = (self.blue_break as f64, self.red_break as f64);
        let chain = |i: u64| WyRand::from_stream(&mut crate::rng::stream(seed, i));
        if self.over(self.blue, self.red) || range.end - range.start < LANES as u64 {
            for i in range {
                let (bl, rl) = self.finish(&mut chain(i), self.blue as f64, self.red as f64);
                visit(bl, rl);
            }
            return;
        }
        let mut next = range.start + LANES as u64;
        let mut chains: [WyRand; LANES] = std::array::from_fn(|k| chain(range.start + k as u64));
        let mut x = [self.blue as f64; LANES];
        let mut y = [self.red as f64; LANES];
        loop {
            // Fast path: no battle can end in fewer events than the smallest distance of any
            // lane to a break point, so that many events need no test at all.
            let safe = (0..LANES)
                .map(|k| (x[k] - xb).min(y[k] - yb))
                .fold(f64::INFINITY, f64::min);
            if safe >= 3.0 {
                for _ in 0..((safe - 1.0) / 2.0) as u32 {
                    for k in 0..LANES {
                        let r = chains[k].next_u64();
                        let red_loses = self.red_loses(r as u32, x[k], y[k]);
                        y[k] -= red_loses;
                        x[k] -= 1.0 - red_loses;
                        let red_loses = self.red_loses((r >> 32) as u32, x[k], y[k]);
                        y[k] -= red_loses;
                        x[k] -= 1.0 - red_loses;
                    }
                }
                continue;
            }
            // Hot path near the end: every lane is still fighting here (the cold path below
            // restarts any that ended), so each takes two events from one draw, the second
            // masked off if the first ended its battle, exactly as `finish` uses its draws.
            let mut all_live = true;
            for k in 0..LANES {
                let r = chains[k].next_u64();
                let red_loses = self.red_loses(r as u32, x[k], y[k]);
                y[k] -= red_loses;
                x[k] -= 1.0 - red_loses;
                let live = ((x[k] > xb) & (y[k] > yb)) as u8 as f64;
                let red_loses = self.red_loses((r >> 32) as u32, x[k], y[k]) * live;
                y[k] -= red_loses;
                x[k] -= live - red_loses;
                all_live &= (x[k] > xb) & (y[k] > yb);
            }
            if all_live {
                continue;
            }
            // Cold path: report the battles that ended and start new ones in their lanes.
            let mut parked = false;
            for k in 0..LANES {
                if !(x[k] > xb && y[k] > yb) {
                    visit(self.blue - x[k] as u32, self.red - y[k] as u32);
                    if next < range.end {
                        chains[k] = chain(next);
                        next += 1;
                        (x[k], y[k]) = (self.blue as f64, self.red as f64);
                    } else {
                        (x[k], y[k]) = (f64::NAN, f64::NAN);
                        parked = true;
                    }
                }
            }
            if parked {
                // No battle left to start: the lanes still fighting finish one at a time.
                for k in 0..LANES {
                    if !x[k].is_nan() {
                        let (bl, rl) = self.finish(&mut chains[k], x[k], y[k]);
                        visit(bl, rl);
                    }
                }
                return;
            }
        }
    }

    /// The exact distribution of the end state by dynamic programming, summarised.
    ///
    /// States are visited with x descending and, within x, y descending: every transition goes
    /// to (x, y-1) or (x-1, y), so a state's probability is complete when it is visited. Only two
    /// rows are kept, so memory is O(red).
    pub fn exact(&self) -> Result<ExactSolution, LanchesterError> {
        self.validate()?;
        let states = (self.blue as u64 + 1) * (self.red as u64 + 1);
        if states > EXACT_STATE_LIMIT {
            return Err(LanchesterError::TooLargeForExact(
                self.blue,
                self.red,
                EXACT_STATE_LIMIT,
            ));
        }
        let (bx, ry) = (self.blue as usize, self.red as usize);
        let (a, b) = (self.blue_rate, self.red_rate);
        // prev[y] = probability mass entering (x+1, y) ... we push mass forward instead:
        // `row` holds mass at (x, ·); `next` accumulates mass flowing to (x-1, ·).
        let mut row = vec![0.0f64; ry + 1];
        let mut next = vec![0.0f64; ry + 1];
        row[ry] = 1.0;
        let mut acc = Moments::default();
        for x in (0..=bx).rev() {
            next.iter_mut().for_each(|v| *v = 0.0);
            for y in (0..=ry).rev() {
                let p = row[y];
                if p == 0.0 {
                    continue;
                }
                if self.over(x as u32, y as u32) {
                    acc.add(
                        p,
                        (bx - x) as f64,
                        (ry - y) as f64,
                        y as u32 <= self.red_break && x as u32 > self.blue_break,
                    );
                    continue;
                }
                let ax = a * x as f64;
                let red_loses = ax / (ax + b * y as f64);
                // y > red_break >= 0 here, so y - 1 is valid; likewise x - 1.
                row[y - 1] += p * red_loses;
                next[y] += p * (1.0 - red_loses);
            }
            std::mem::swap(&mut row, &mut next);
        }
        Ok(acc.finish())
    }
}

#[derive(Default)]
struct Moments {
    mass: f64,
    blue: f64,
    blue2: f64,
    red: f64,
    red2: f64,
    blue_wins: f64,
}

impl Moments {
    fn add(&mut self, p: f64, blue_losses: f64, red_losses: f64, blue_wins: bool) {
        self.mass += p;
        self.blue += p * blue_losses;
        self.blue2 += p * blue_losses * blue_losses;
        self.red += p * red_losses;
        self.red2 += p * red_losses * red_losses;
        if blue_wins {
            self.blue_wins += p;
        }
    }
    fn finish(self) -> ExactSolution {
        ExactSolution {
            blue_losses_mean: self.blue,
            red_losses_mean: self.red,
            blue_losses_sd: (self.blue2 - self.blue * self.blue).max(0.0).sqrt(),
            red_losses_sd: (self.red2 - self.red * self.red).max(0.0).sqrt(),
            p_blue_wins: self.blue_wins,
            total_probability: self.mass,
        }
    }
}

/// The exact solution of the stochastic square law.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ExactSolution {
    pub blue_losses_mean: f64,
    pub red_losses_mean: f64,
    pub blue_losses_sd: f64,
    pub red_losses_sd: f64,
    pub p_blue_wins: f64,
    /// Total probability of the end states (1 up to rounding; reported as a check).
    pub total_probability: f64,
}

/// Which deterministic law.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Law {
    /// dx/dt = -b·y, dy/dt = -a·x (aimed fire): a(X² - x²) = b(Y² - y²).
    Square,
    /// dx/dt = -b·x·y, dy/dt = -a·x·y (area fire): a(X - x) = b(Y - y).
    Linear,
}

/// The end state of a deterministic Lanchester battle.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DeterministicOutcome {
    pub blue_losses: f64,
    pub red_losses: f64,
    pub blue_wins: bool,
}

/// Solve a deterministic law to the first break point, using the law's conserved quantity.
pub fn deterministic(
    battle: &LanchesterBattle,
    law: Law,
) -> Result<DeterministicOutcome, LanchesterError> {
    battle.validate()?;
    let (x0, y0) = (battle.blue as f64, battle.red as f64);
    let (xb, yb) = (battle.blue_break as f64, battle.red_break as f64);
    let (a, b) = (battle.blue_rate, battle.red_rate);
    if x0 <= xb || y0 <= yb {
        return Ok(DeterministicOutcome {
            blue_losses: 0.0,
            red_losses: 0.0,
            blue_wins: y0 <= yb && x0 > xb,
        });
    }
    // "Strength" f(n) is n² for the square law and n for the linear law; a·(f(X) - f(x)) =
    // b·(f(Y) - f(y)) along the whole trajectory.
    let f = |n: f64| match law {
        Law::Square => n * n,
        Law::Linear => n,
    };
    let finv = |v: f64| match law {
        Law::Square => v.max(0.0).sqrt(),
        Law::Linear => v.max(0.0),
    };
    // Where is Red when Blue reaches its break point?
    let red_when_blue_breaks = if b == 0.0 {
        // Blue never loses; Red falls to its break point.
        f64::NEG_INFINITY
    } else {
        f(y0) - a / b * (f(x0) - f(xb))
    };
    if red_when_blue_breaks > f(yb) {
        Ok(DeterministicOutcome {
            blue_losses: x0 - xb,
            red_losses: y0 - finv(red_when_blue_breaks),
            blue_wins: false,
        })
    } else {
        let blue_left = if a == 0.0 {
            xb
        } else {
            finv(f(x0) - b / a * (f(y0) - f(yb)))
        };
        Ok(DeterministicOutcome {
            blue_losses: x0 - blue_left,
            red_losses: y0 - yb,
            blue_wins: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;

    fn battle(blue: u32, red: u32, a: f64, b: f64) -> LanchesterBattle {
        LanchesterBattle {
            blue,
            red,
            blue_rate: a,
            red_rate: b,
            blue_break: 0,
            red_break: 0,
        }
    }

    #[test]
    fn one_against_one_is_a_coin_toss() {
        let s = battle(1, 1, 1.0, 1.0).exact().unwrap();
        assert!((s.p_blue_wins - 0.5).abs() < 1e-15);
        assert!((s.blue_losses_mean - 0.5).abs() < 1e-15);
        assert!((s.red_losses_mean - 0.5).abs() < 1e-15);
    }

    #[test]
    fn two_against_one_by_hand() {
        // (2,1) -> (2,0) w.p. 2/3; -> (1,1) w.p. 1/3, then (1,0) or (0,1) w.p. 1/2 each.
        let s = battle(2, 1, 1.0, 1.0).exact().unwrap();
        assert!((s.p_blue_wins - 5.0 / 6.0).abs() < 1e-15);
        assert!((s.blue_losses_mean - 0.5).abs() < 1e-15);
        assert!((s.red_losses_mean - 5.0 / 6.0).abs() < 1e-15);
        // Blue losses are 0 (2/3), 1 (1/6), 2 (1/6): E[L^2] = 1/6 + 4/6, var = 5/6 - 1/4.
        assert!((s.blue_losses_sd - (5.0f64 / 6.0 - 0.25).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn break_points_stop_the_battle() {
        // Blue breaks at 1: from (2,1), (1,1) is terminal.
        let mut b = battle(2, 1, 1.0, 1.0);
        b.blue_break = 1;
        let s = b.exact().unwrap();
        assert!((s.p_blue_wins - 2.0 / 3.0).abs() < 1e-15);
        assert!((s.blue_losses_mean - 1.0 / 3.0).abs() < 1e-15);
        // A battle that starts at a break point has no events.
        b.blue_break = 2;
        let s = b.exact().unwrap();
        assert_eq!(
            (s.blue_losses_mean, s.red_losses_mean, s.p_blue_wins),
            (0.0, 0.0, 0.0)
        );
    }

    #[test]
    fn unequal_rates_by_hand() {
        // (1,1), a = 3, b = 1: Red loses w.p. 3/4.
        let s = battle(1, 1, 3.0, 1.0).exact().unwrap();
        assert!((s.p_blue_wins - 0.75).abs() < 1e-15);
        let s = battle(1, 2, 1.0, 0.0).exact().unwrap();
        assert_eq!(s.p_blue_wins, 1.0);
        assert_eq!(s.red_losses_mean, 2.0);
    }

    #[test]
    fn total_probability_is_one() {
        let s = battle(60, 54, 0.05, 0.06).exact().unwrap();
        assert!((s.total_probability - 1.0).abs() < 1e-9);
    }

    #[test]
    fn monte_carlo_agrees_with_exact() {
        let b = LanchesterBattle {
            blue_break: 10,
            red_break: 5,
            ..battle(30, 25, 1.0, 1.2)
        };
        let exact = b.exact().unwrap();
        let n = 20_000;
        let mut sum = 0.0;
        let mut wins = 0u32;
        for i in 0..n {
            let (bl, rl) = b.simulate(&mut stream(11, i));
            sum += bl as f64;
            if b.red - rl <= b.red_break && b.blue - bl > b.blue_break {
                wins += 1;
            }
        }
        let se = exact.blue_losses_sd / (n as f64).sqrt();
        assert!((sum / n as f64 - exact.blue_losses_mean).abs() < 4.0 * se);
        let p = exact.p_blue_wins;
        let se_p = (p * (1.0 - p) / n as f64).sqrt();
        assert!((wins as f64 / n as f64 - p).abs() < 4.0 * se_p);
    }

    #[test]
    fn side_by_side_replications_equal_one_at_a_time() {
        let b = LanchesterBattle {
            blue_break: 3,
            ..battle(17, 15, 1.0, 1.3)
        };
        let mut together = Vec::new();
        b.simulate_range(5, 10..47, |bl, rl| together.push((bl, rl)));
        let mut alone: Vec<(u32, u32)> = (10..47).map(|i| b.simulate(&mut stream(5, i))).collect();
        together.sort_unstable();
        alone.sort_unstable();
        assert_eq!(together, alone);
        // Fewer replications than lanes, and a battle over before it starts.
        let mut few = Vec::new();
        b.simulate_range(5, 10..13, |bl, rl| few.push((bl, rl)));
        assert_eq!(few.len(), 3);
        let over = LanchesterBattle {
            blue_break: 17,
            ..b
        };
        let mut none = Vec::new();
        over.simulate_range(5, 0..20, |bl, rl| none.push((bl, rl)));
        assert!(none.len() == 20 && none.iter().all(|v| *v == (0, 0)));
    }

    #[test]
    fn bad_rates_are_rejected() {
        assert_eq!(
            battle(1, 1, 0.0, 0.0).exact(),
            Err(LanchesterError::BothRatesZero)
        );
        assert!(battle(1, 1, -1.0, 1.0).exact().is_err());
        assert!(battle(1, 1, f64::NAN, 1.0).exact().is_err());
    }

    #[test]
    fn square_law_by_hand() {
        // a = b = 1, 5 against 3: Blue ends with sqrt(25 - 9) = 4, losing 1.
        let o = deterministic(&battle(5, 3, 1.0, 1.0), Law::Square).unwrap();
        assert!(o.blue_wins);
        assert!((o.blue_losses - 1.0).abs() < 1e-12);
        assert_eq!(o.red_losses, 3.0);
        // Linear law: Blue ends with 5 - 3 = 2.
        let o = deterministic(&battle(5, 3, 1.0, 1.0), Law::Linear).unwrap();
        assert!((o.blue_losses - 3.0).abs() < 1e-12);
        // Red wins when stronger: 3 against 5 under the square law leaves Red with 4.
        let o = deterministic(&battle(3, 5, 1.0, 1.0), Law::Square).unwrap();
        assert!(!o.blue_wins);
        assert!((o.red_losses - 1.0).abs() < 1e-12);
    }
}
