//! Streaming campaign results: per-day sums and histograms for the time series, exact
//! histograms for the totals. Everything is a whole number merged by addition, so results do
//! not depend on the number of threads, and memory grows with the length of the campaign (and,
//! for the series' percentiles, at most [`SERIES_MAX_BINS`] bins a day), never with the number
//! of replications.
//!
//! Replications are folded in a batch at a time ([`BATCH`] on each thread): each day's sums
//! and histogram take the batch's values for that day together. A theatre of four years keeps
//! some 20,000 day histograms, more than a core's cache holds, so folding one replication at a
//! time fetched every one of them from memory for each replication (a tenth of a China run).

use airwar_engine::{
    run_block_replications, run_replications, Accumulator, EngineError, RunConfig,
};
use airwar_statistics::CountSummary;

use crate::campaign::{Campaign, CampaignOutcome, SERIES, TOTALS};
use crate::phases::combat::Scratch;

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
    /// Fold in a batch of replications' values, one slice of days per replication: day by
    /// day, so each day's sums and histogram are fetched once for the whole batch.
    fn add_batch<V: Copy + Into<u64>>(&mut self, replications: &[&[V]]) {
        let days = replications.iter().map(|r| r.len()).min().unwrap_or(0);
        let days = days.min(self.sum.len());
        for d in 0..days {
            let (mut sum, mut sum_sq) = (0u128, 0u128);
            let mut histogram = self.days.get_mut(d);
            for r in replications {
                let v: u64 = r[d].into();
                sum += v as u128;
                sum_sq += (v as u128) * (v as u128);
                if let Some(h) = histogram.as_mut() {
                    h.add(v.min(u32::MAX as u64) as u32);
                }
            }
            self.sum[d] += sum;
            self.sum_sq[d] += sum_sq;
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

    /// Fold in a batch of replications (index, outcome), in index order.
    fn add_batch(&mut self, batch: &[(u64, CampaignOutcome)]) {
        self.runs += batch.len() as u64;
        let mut columns: Vec<&[u64]> = Vec::with_capacity(batch.len());
        for (k, sums) in self.series.iter_mut().enumerate() {
            columns.clear();
            columns.extend(
                batch
                    .iter()
                    .filter_map(|(_, o)| o.series.get(k))
                    .map(Vec::as_slice),
            );
            sums.add_batch(&columns);
        }
        let mut columns: Vec<&[u32]> = Vec::with_capacity(batch.len());
        for owner in 0..2 {
            for (k, sums) in self.on_hand[owner].iter_mut().enumerate() {
                columns.clear();
                columns.extend(
                    batch
                        .iter()
                        .filter_map(|(_, o)| o.on_hand[owner].get(k))
                        .map(Vec::as_slice),
                );
                sums.add_batch(&columns);
            }
        }
        for (i, o) in batch {
            for (s, v) in self.totals.iter_mut().zip(&o.totals) {
                s.add((*v).min(u32::MAX as u64) as u32);
            }
            for (s, v) in self.observed.iter_mut().zip(&o.observed) {
                s.add((*v).min(u32::MAX as u64) as u32);
            }
            if let Some(r) = &mut self.per_replication {
                r.push((*i, o.totals.clone()));
            }
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
    run_block_replications(
        config,
        || Folding {
            results: CampaignResults::empty(c, keep_per_replication),
            scratch: c.scratch(),
            batch: Vec::with_capacity(BATCH),
        },
        |acc, range| {
            for i in range {
                let o = c.simulate_with(config.seed, i, &mut acc.scratch);
                acc.batch.push((i, o));
                if acc.batch.len() == BATCH {
                    acc.flush();
                }
            }
        },
        progress,
    )
    .map(|mut folding| {
        folding.flush();
        folding.results
    })
}

/// Each replication's totals (index, totals in [`TOTALS`] order), in index order, and nothing
/// else: what a sweep keeps of a design point. The same figures as [`run_campaign`]'s
/// `per_replication`, without the day-by-day statistics it folds for every replication.
pub fn run_campaign_totals(
    c: &Campaign,
    config: RunConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<Vec<(u64, Vec<u64>)>, EngineError> {
    run_replications(
        config,
        || (TotalsOnly(Vec::new()), c.scratch()),
        |acc, scratch, _, i| {
            acc.0
                .push((i, c.simulate_with(config.seed, i, scratch).totals))
        },
        progress,
    )
    .map(|totals| totals.0)
}

/// Replications' totals, merged in index order.
struct TotalsOnly(Vec<(u64, Vec<u64>)>);

impl Accumulator for TotalsOnly {
    fn merge(&mut self, other: Self) {
        self.0.extend(other.0);
        self.0.sort_by_key(|r| r.0);
    }
}

/// Replications folded into the results together (see the module doc): enough that a day's
/// histogram is fetched once for many values, few enough that the batch's outcomes (about
/// 200 kB each for a four-year theatre) stay small beside the results.
const BATCH: usize = 16;

/// One thread's results, its scratch and the batch of outcomes not yet folded in. A batch
/// runs on across blocks (a run of a few hundred replications has blocks of a few), so it is
/// folded in when full, before a merge and at the end.
struct Folding {
    results: CampaignResults,
    scratch: Scratch,
    batch: Vec<(u64, CampaignOutcome)>,
}

impl Folding {
    fn flush(&mut self) {
        if !self.batch.is_empty() {
            self.results.add_batch(&self.batch);
            self.batch.clear();
        }
    }
}

impl Accumulator for Folding {
    fn merge(&mut self, mut other: Self) {
        self.flush();
        other.flush();
        self.results.merge(other.results);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phases::tests::compiled;

    /// The results of folding the replications one at a time, the plain way.
    fn folded_one_by_one(c: &Campaign, seed: u64, runs: u64) -> CampaignResults {
        let mut r = CampaignResults::empty(c, true);
        for i in 0..runs {
            let o = c.simulate(seed, i);
            r.runs += 1;
            for (sums, values) in r.series.iter_mut().zip(&o.series) {
                for (d, v) in values.iter().enumerate() {
                    sums.sum[d] += *v as u128;
                    sums.sum_sq[d] += (*v as u128) * (*v as u128);
                    sums.days[d].add(*v as u32);
                }
            }
            for owner in 0..2 {
                for (sums, values) in r.on_hand[owner].iter_mut().zip(&o.on_hand[owner]) {
                    for (d, v) in values.iter().enumerate() {
                        sums.sum[d] += *v as u128;
                        sums.sum_sq[d] += (*v as u128) * (*v as u128);
                    }
                }
            }
            for (s, v) in r.totals.iter_mut().zip(&o.totals) {
                s.add(*v as u32);
            }
            for (s, v) in r.observed.iter_mut().zip(&o.observed) {
                s.add(*v as u32);
            }
            if let Some(p) = &mut r.per_replication {
                p.push((i, o.totals.clone()));
            }
        }
        r
    }

    #[test]
    fn folding_in_batches_or_keeping_only_totals_gives_what_folding_one_by_one_gives() {
        let (c, _) = compiled("korea-1950");
        // One replication, whose only batch is folded in at the end; and runs that fill two
        // batches and part of a third on one thread (in blocks of one replication each, so
        // batches run across blocks), and on two, whose threads each leave a part-filled
        // batch to fold in before they merge.
        for runs in [1, 2 * BATCH as u64 + 5] {
            let expected = folded_one_by_one(&c, 3, runs);
            for threads in [1, 2] {
                let config = RunConfig {
                    runs,
                    seed: 3,
                    threads: Some(threads),
                    replications: None,
                };
                let got = run_campaign(&c, config, true, &|_| {}).expect("runs");
                assert_eq!(got, expected, "{runs} runs, {threads} threads");
                let totals = run_campaign_totals(&c, config, &|_| {}).expect("runs");
                assert_eq!(
                    Some(totals),
                    expected.per_replication,
                    "{runs} runs, {threads} threads"
                );
            }
        }
    }
}
