//! Streaming campaign results: per-day sums and histograms for the time series, exact
//! histograms for the totals. Everything is a whole number merged by addition, so results do
//! not depend on the number of threads, and memory grows with the length of the campaign (and,
//! for the series' percentiles, at most [`SERIES_MAX_BINS`] bins a day), never with the number
//! of replications.

use airwar_engine::{run_replications, Accumulator, EngineError, RunConfig};
use airwar_statistics::CountSummary;

use crate::campaign::{Campaign, CampaignOutcome, SERIES, TOTALS};

/// Bins a day's histogram of a series may have: percentiles are exact while a day's values
/// span at most this many whole numbers, and within a bin's width beyond (see
/// [`CountSummary`]).
pub const SERIES_MAX_BINS: u32 = 32;

/// Per-day running sums of one series and, for the main series, a histogram a day for its
/// percentiles.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SeriesSums {
    pub sum: Vec<u128>,
    pub sum_sq: Vec<u128>,
    /// One histogram per day (empty when percentiles are not kept for this series).
    #[serde(default)]
    pub days: Vec<CountSummary>,
}

impl SeriesSums {
    fn new(days: usize, percentiles: bool) -> Self {
        SeriesSums {
            sum: vec![0; days],
            sum_sq: vec![0; days],
            days: if percentiles {
                vec![CountSummary::with_max_bins(SERIES_MAX_BINS); days]
            } else {
                Vec::new()
            },
        }
    }
    fn add(&mut self, values: impl Iterator<Item = u64>) {
        let mut days = self.days.iter_mut();
        for ((s, q), v) in self.sum.iter_mut().zip(self.sum_sq.iter_mut()).zip(values) {
            *s += v as u128;
            *q += (v as u128) * (v as u128);
            if let Some(h) = days.next() {
                h.add(v.min(u32::MAX as u64) as u32);
            }
        }
    }
    fn merge(&mut self, o: &SeriesSums) {
        for (a, b) in self.sum.iter_mut().zip(&o.sum) {
            *a += b;
        }
        for (a, b) in self.sum_sq.iter_mut().zip(&o.sum_sq) {
            *a += b;
        }
        for (a, b) in self.days.iter_mut().zip(&o.days) {
            a.merge(b);
        }
    }

    /// The 5th, 50th and 95th percentiles on day `d`, if kept.
    pub fn percentiles(&self, d: usize) -> Option<[f64; 3]> {
        let h = self.days.get(d)?;
        Some([h.quantile(0.05), h.quantile(0.5), h.quantile(0.95)])
    }
    /// Mean and standard deviation on day `d` over `n` replications.
    pub fn mean_sd(&self, d: usize, n: u64) -> (f64, f64) {
        let n128 = n as u128;
        let mean = self.sum[d] as f64 / n as f64;
        let var = if n > 1 {
            (n128 * self.sum_sq[d] - self.sum[d] * self.sum[d]) as f64
                / (n as f64 * (n as f64 - 1.0))
        } else {
            0.0
        };
        (mean, var.max(0.0).sqrt())
    }
}

/// A campaign run's results.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CampaignResults {
    pub runs: u64,
    /// One per [`SERIES`].
    pub series: Vec<SeriesSums>,
    /// `on_hand[owner][type]`.
    pub on_hand: [Vec<SeriesSums>; 2],
    /// One per [`TOTALS`].
    pub totals: Vec<CountSummary>,
    /// One per [`Campaign::snapshots`].
    pub observed: Vec<CountSummary>,
    /// Per-replication totals are needed for paired comparisons; kept only when asked for.
    pub per_replication: Option<Vec<(u64, Vec<u64>)>>,
}

impl Accumulator for CampaignResults {
    fn merge(&mut self, other: Self) {
        self.runs += other.runs;
        for (a, b) in self.series.iter_mut().zip(&other.series) {
            a.merge(b);
        }
        for o in 0..2 {
            for (a, b) in self.on_hand[o].iter_mut().zip(&other.on_hand[o]) {
                a.merge(b);
            }
        }
        for (a, b) in self.totals.iter_mut().zip(&other.totals) {
            a.merge(b);
        }
        for (a, b) in self.observed.iter_mut().zip(&other.observed) {
            a.merge(b);
        }
        if let (Some(a), Some(b)) = (&mut self.per_replication, other.per_replication) {
            a.extend(b);
            a.sort_by_key(|r| r.0);
        }
    }
}

impl CampaignResults {
    fn empty(c: &Campaign, keep: bool) -> Self {
        let days = c.days as usize;
        CampaignResults {
            runs: 0,
            series: (0..SERIES.len())
                .map(|_| SeriesSums::new(days, true))
                .collect(),
            on_hand: [
                (0..c.types.len())
                    .map(|_| SeriesSums::new(days, false))
                    .collect(),
                (0..c.types.len())
                    .map(|_| SeriesSums::new(days, false))
                    .collect(),
            ],
            totals: vec![CountSummary::new(); TOTALS.len()],
            observed: vec![CountSummary::new(); c.snapshots.len()],
            per_replication: keep.then(Vec::new),
        }
    }

    fn add(&mut self, i: u64, o: &CampaignOutcome) {
        self.runs += 1;
        for (s, values) in self.series.iter_mut().zip(&o.series) {
            s.add(values.iter().copied());
        }
        for owner in 0..2 {
            for (s, values) in self.on_hand[owner].iter_mut().zip(&o.on_hand[owner]) {
                s.add(values.iter().map(|v| *v as u64));
            }
        }
        for (s, v) in self.totals.iter_mut().zip(&o.totals) {
            s.add((*v).min(u32::MAX as u64) as u32);
        }
        for (s, v) in self.observed.iter_mut().zip(&o.observed) {
            s.add((*v).min(u32::MAX as u64) as u32);
        }
        if let Some(r) = &mut self.per_replication {
            r.push((i, o.totals.clone()));
        }
    }

    /// The summary of total `name`.
    pub fn total(&self, name: &str) -> Option<&CountSummary> {
        TOTALS
            .iter()
            .position(|t| *t == name)
            .map(|i| &self.totals[i])
    }
}

/// Run `config.runs` replications of a campaign. With `keep_per_replication`, each
/// replication's totals are kept too (for paired comparisons; memory then grows with runs).
pub fn run_campaign(
    c: &Campaign,
    config: RunConfig,
    keep_per_replication: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<CampaignResults, EngineError> {
    run_replications(
        config,
        || (CampaignResults::empty(c, keep_per_replication), c.scratch()),
        |acc, scratch, _, i| {
            let o = c.simulate_with(config.seed, i, scratch);
            acc.add(i, &o);
        },
        progress,
    )
}
