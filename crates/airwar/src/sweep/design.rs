//! The design of a sweep: which values each varied input takes at each design point.
//!
//! Sobol indices by the Saltelli/Jansen estimators need two independent samples `A` and `B`
//! of `N` points in the `k` varied inputs and, for each input `i`, the matrix `AB_i`: `A` with
//! column `i` taken from `B`. So a `sobol` or `lhs` design of `N` points runs `N·(k+2)` design
//! points, in blocks of `k+2` per base row `j`: `A_j`, `B_j`, `AB_1j`, ..., `AB_kj`. Keeping a
//! row's block together means a shard of design points holds whole rows as often as it can,
//! and the order never depends on how the design is split.
//!
//! - `sobol`: `A` and `B` are the first and last `k` coordinates of one Owen-scrambled Sobol
//!   sequence in `2k` dimensions (the `sobol_burley` crate; at most 65,536 points and 128
//!   inputs), as Saltelli (2002) recommends.
//! - `lhs`: `A` and `B` are two independent Latin hypercubes drawn on airwar's seeded streams.
//! - `grid`: `N` evenly spaced levels per input (ends included), the full factorial: `N^k`
//!   points, whose variance decomposition is computed exactly (see `sensitivity`).

use std::str::FromStr;

use airwar_model::rng::{index, stream, uniform};
use airwar_scenario::limits::MAX_DESIGN_POINTS;
use serde::{Deserialize, Serialize};

/// Stream key of a Latin hypercube's columns: `stream(seed ^ LHS_KEY, matrix·k + column)`.
pub const LHS_KEY: u64 = 0x1A71_4C0B_E000_0001;
/// Stream key of the Sobol sequence's scramble: `stream(seed ^ SOBOL_KEY, 0)`.
pub const SOBOL_KEY: u64 = 0x50B0_1000_5C4A_3B1E;

/// Which kind of design.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DesignKind {
    Sobol,
    Lhs,
    Grid,
}

impl DesignKind {
    pub fn name(self) -> &'static str {
        match self {
            DesignKind::Sobol => "sobol",
            DesignKind::Lhs => "lhs",
            DesignKind::Grid => "grid",
        }
    }
}

impl FromStr for DesignKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "sobol" => Ok(DesignKind::Sobol),
            "lhs" => Ok(DesignKind::Lhs),
            "grid" => Ok(DesignKind::Grid),
            _ => Err(format!("no design `{s}`: expected sobol, lhs or grid")),
        }
    }
}

/// One varied input: a `--set` path and its range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Factor {
    /// The path, as `--set PATH=VALUE` takes it.
    pub path: String,
    pub lo: f64,
    pub hi: f64,
    /// Whole numbers from `lo` to `hi` (both bounds written without a decimal point).
    pub integer: bool,
}

impl FromStr for Factor {
    type Err = String;
    /// `PATH=LO:HI`. The path may itself hold `=` (`forces[type=A5M].count`), so the range is
    /// what follows the last `=`.
    fn from_str(s: &str) -> Result<Self, String> {
        let (path, range) = s
            .rsplit_once('=')
            .ok_or_else(|| format!("expected PATH=LO:HI, found `{s}`"))?;
        let (lo, hi) = range
            .split_once(':')
            .ok_or_else(|| format!("expected PATH=LO:HI, found `{s}` (no `:` in `{range}`)"))?;
        let path = path.trim();
        if path.is_empty() {
            return Err(format!("no path before `=` in `{s}`"));
        }
        let whole = |t: &str| t.trim().parse::<i64>().is_ok();
        let num = |t: &str| {
            t.trim()
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("expected a number, found `{t}` in `{s}`"))
        };
        let f = Factor {
            path: path.to_string(),
            lo: num(lo)?,
            hi: num(hi)?,
            integer: whole(lo) && whole(hi),
        };
        if f.lo >= f.hi {
            return Err(format!(
                "the range of `{path}` is empty: LO ({lo}) must be below HI ({hi})"
            ));
        }
        Ok(f)
    }
}

impl std::fmt::Display for Factor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.integer {
            write!(f, "{}={}:{}", self.path, self.lo as i64, self.hi as i64)
        } else {
            write!(f, "{}={:?}:{:?}", self.path, self.lo, self.hi)
        }
    }
}

impl Factor {
    /// The value at `u` in [0, 1): a real in `[lo, hi)`, or a whole number in `lo..=hi`, each
    /// whole number as likely as the others.
    pub fn at(&self, u: f64) -> f64 {
        if self.integer {
            let n = (self.hi - self.lo) + 1.0;
            (self.lo + (u * n).floor()).min(self.hi)
        } else {
            self.lo + u * (self.hi - self.lo)
        }
    }

    /// Level `l` of `levels` evenly spaced from `lo` to `hi` (rounded for whole numbers; one
    /// level is the middle).
    pub fn level(&self, l: u64, levels: u64) -> f64 {
        let t = if levels <= 1 {
            0.5
        } else {
            l as f64 / (levels - 1) as f64
        };
        let v = self.lo + t * (self.hi - self.lo);
        if self.integer {
            v.round()
        } else {
            v
        }
    }

    /// The value as `--set` text.
    pub fn text(&self, v: f64) -> String {
        if self.integer {
            format!("{}", v as i64)
        } else {
            format!("{v:?}")
        }
    }
}

/// Where the design points come from, for the estimator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Blocks of `k+2` points per base row: `A_j`, `B_j`, `AB_1j`, ..., `AB_kj`.
    Saltelli { base: u64, factors: usize },
    /// The full factorial of `levels` per input; point `p`'s level of input `i` is digit `i`
    /// of `p` in base `levels` (input 0 the fastest).
    Grid { levels: u64, factors: usize },
}

impl Layout {
    /// How many design points a design of `points` base points over `factors` inputs runs.
    pub fn new(kind: DesignKind, points: u64, factors: usize) -> Result<Layout, String> {
        if factors == 0 {
            return Err("a sweep needs at least one input to vary".into());
        }
        if points == 0 {
            return Err("a sweep needs at least one point".into());
        }
        let layout = match kind {
            DesignKind::Sobol | DesignKind::Lhs => {
                if kind == DesignKind::Sobol && (points > 1 << 16 || factors > 128) {
                    return Err(format!(
                        "a Sobol design holds at most 65,536 points over at most 128 inputs ({points} points over {factors} inputs asked)"
                    ));
                }
                Layout::Saltelli {
                    base: points,
                    factors,
                }
            }
            DesignKind::Grid => Layout::Grid {
                levels: points,
                factors,
            },
        };
        let n = layout.len().unwrap_or(u64::MAX);
        airwar_scenario::limits::check("design points of a sweep", n, MAX_DESIGN_POINTS)
            .map_err(|e| format!("{e}; ask for fewer points or inputs"))?;
        Ok(layout)
    }

    /// The number of design points.
    pub fn len(self) -> Option<u64> {
        match self {
            Layout::Saltelli { base, factors } => base.checked_mul(factors as u64 + 2),
            Layout::Grid { levels, factors } => levels.checked_pow(u32::try_from(factors).ok()?),
        }
    }

    pub fn is_empty(self) -> bool {
        self.len() == Some(0)
    }
}

/// A design: the layout and every point's values.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    pub kind: DesignKind,
    pub layout: Layout,
    pub factors: Vec<Factor>,
    /// `points[p][i]`: the value of input `i` at design point `p`.
    pub points: Vec<Vec<f64>>,
}

impl Design {
    /// The design of `points` base points (levels per input for a grid) over `factors`.
    pub fn new(
        kind: DesignKind,
        points: u64,
        factors: Vec<Factor>,
        seed: u64,
    ) -> Result<Design, String> {
        let k = factors.len();
        let layout = Layout::new(kind, points, k)?;
        let pts = match layout {
            Layout::Saltelli { base, .. } => {
                let (a, b) = match kind {
                    DesignKind::Sobol => sobol_pair(base, k, seed),
                    _ => (lhs(base, k, seed, 0), lhs(base, k, seed, 1)),
                };
                let mut pts = Vec::with_capacity((base as usize) * (k + 2));
                for j in 0..base as usize {
                    pts.push(a[j].clone());
                    pts.push(b[j].clone());
                    for i in 0..k {
                        let mut ab = a[j].clone();
                        ab[i] = b[j][i];
                        pts.push(ab);
                    }
                }
                pts.into_iter()
                    .map(|u| u.iter().zip(&factors).map(|(u, f)| f.at(*u)).collect())
                    .collect()
            }
            Layout::Grid { levels, .. } => {
                let n = layout.len().unwrap_or(0);
                (0..n)
                    .map(|p| {
                        let mut rest = p;
                        factors
                            .iter()
                            .map(|f| {
                                let l = rest % levels;
                                rest /= levels;
                                f.level(l, levels)
                            })
                            .collect()
                    })
                    .collect()
            }
        };
        Ok(Design {
            kind,
            layout,
            factors,
            points: pts,
        })
    }
}

/// The Sobol sequence's 32-bit scramble seed for a sweep seed.
fn sobol_seed(seed: u64) -> u32 {
    let mut rng = stream(seed ^ SOBOL_KEY, 0);
    (uniform(&mut rng) * 4_294_967_296.0) as u32
}

/// `A` (dimensions `0..k`) and `B` (dimensions `k..2k`) of one scrambled Sobol sequence.
fn sobol_pair(n: u64, k: usize, seed: u64) -> (Vec<Vec<f64>>, Vec<Vec<f64>>) {
    let s = sobol_seed(seed);
    let row = |j: u64, offset: usize| -> Vec<f64> {
        (0..k)
            .map(|i| sobol_burley::sample(j as u32, (offset + i) as u32, s) as f64)
            .collect()
    };
    (
        (0..n).map(|j| row(j, 0)).collect(),
        (0..n).map(|j| row(j, k)).collect(),
    )
}

/// A Latin hypercube of `n` points in `k` dimensions: each column a random permutation of
/// the `n` strata, each point uniform within its stratum.
fn lhs(n: u64, k: usize, seed: u64, matrix: u64) -> Vec<Vec<f64>> {
    let n = n as usize;
    let mut out = vec![vec![0.0; k]; n];
    #[allow(clippy::needless_range_loop)] // column i of every row
    for i in 0..k {
        let mut rng = stream(seed ^ LHS_KEY, matrix * k as u64 + i as u64);
        let mut strata: Vec<usize> = (0..n).collect();
        for j in (1..n).rev() {
            strata.swap(j, index(&mut rng, j + 1));
        }
        for (j, s) in strata.iter().enumerate() {
            out[j][i] = (*s as f64 + uniform(&mut rng)) / n as f64;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(s: &str) -> Factor {
        s.parse().unwrap()
    }

    #[test]
    fn factors_parse_with_equals_in_the_path() {
        let x = f("sides[0].forces[type=A5M].count=30:60");
        assert_eq!(x.path, "sides[0].forces[type=A5M].count");
        assert!(x.integer);
        let y = f("params.lethality=0.01:0.03");
        assert!(!y.integer);
        assert_eq!((y.lo, y.hi), (0.01, 0.03));
        assert!("params.x=1:1".parse::<Factor>().is_err());
        assert!("params.x=a:1".parse::<Factor>().is_err());
        assert!("params.x".parse::<Factor>().is_err());
        assert_eq!(f(&y.to_string()), y);
        assert_eq!(f(&x.to_string()), x);
    }

    #[test]
    fn whole_number_factors_take_every_value_equally() {
        let x = f("a=3:5");
        let mut counts = [0; 3];
        for j in 0..300 {
            let v = x.at((j as f64 + 0.5) / 300.0);
            counts[(v - 3.0) as usize] += 1;
        }
        assert_eq!(counts, [100, 100, 100]);
        assert_eq!(x.text(4.0), "4");
    }

    #[test]
    fn saltelli_blocks_share_columns_as_the_estimator_needs() {
        for kind in [DesignKind::Sobol, DesignKind::Lhs] {
            let d = Design::new(kind, 8, vec![f("a=0.0:1.0"), f("b=10.0:20.0")], 5).unwrap();
            assert_eq!(d.points.len(), 8 * 4);
            for j in 0..8 {
                let blk = &d.points[j * 4..j * 4 + 4];
                let (a, b) = (&blk[0], &blk[1]);
                assert_eq!(blk[2], vec![b[0], a[1]]);
                assert_eq!(blk[3], vec![a[0], b[1]]);
                assert!(a[1] >= 10.0 && a[1] < 20.0);
            }
        }
    }

    #[test]
    fn latin_hypercube_puts_one_point_in_each_stratum() {
        let a = lhs(50, 3, 9, 0);
        for i in 0..3 {
            let mut strata: Vec<usize> = a.iter().map(|p| (p[i] * 50.0) as usize).collect();
            strata.sort();
            assert_eq!(strata, (0..50).collect::<Vec<_>>());
        }
        assert_ne!(lhs(50, 3, 9, 0), lhs(50, 3, 9, 1));
        assert_eq!(lhs(50, 3, 9, 0), a);
    }

    #[test]
    fn grids_are_full_factorials_with_the_ends() {
        let d = Design::new(DesignKind::Grid, 3, vec![f("a=0.0:1.0"), f("b=1:5")], 1).unwrap();
        assert_eq!(d.points.len(), 9);
        assert_eq!(d.points[0], vec![0.0, 1.0]);
        assert_eq!(d.points[1], vec![0.5, 1.0]);
        assert_eq!(d.points[8], vec![1.0, 5.0]);
        assert_eq!(d.points[3], vec![0.0, 3.0]);
    }

    #[test]
    fn oversized_designs_are_refused() {
        assert!(Layout::new(DesignKind::Sobol, 1 << 17, 2).is_err());
        assert!(Layout::new(DesignKind::Grid, 1000, 4).is_err());
        assert!(Layout::new(DesignKind::Lhs, 10, 0).is_err());
    }
}
