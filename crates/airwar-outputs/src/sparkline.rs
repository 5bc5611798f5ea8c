//! Sparklines: a campaign's main daily series as one line of block characters (▁▂▃▄▅▆▇█) each,
//! for the end of `airwar run` on a terminal. Each line is the daily median over the
//! replications, squeezed to a fixed width (each character the mean of its days' medians),
//! with the median's smallest and largest value, the last day's median and 90% range, and the
//! unit.

use std::fmt::Write as _;

use airwar_campaign::{Campaign, CampaignResults, Series};

/// The eight heights, lowest first.
pub const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// Characters of a sparkline by default.
pub const WIDTH: usize = 48;

/// The series shown, in order: forces, what they cost, what they won, money and secrecy.
pub const SHOWN: &[Series] = &[
    Series::AircraftCovert,
    Series::PilotsCovert,
    Series::CovertLosses,
    Series::Claims,
    Series::DebtThousandUsd,
    Series::ExposurePer10k,
];

/// `values` as at most `width` block characters between the lowest and highest value (a flat
/// series is a row of the lowest block; a value that is not a number, a space). With more
/// values than characters, each character is the mean of its share of the values.
pub fn sparkline(values: &[f64], width: usize) -> String {
    let n = values.len().min(width.max(1));
    if n == 0 {
        return String::new();
    }
    let buckets: Vec<f64> = (0..n)
        .map(|b| {
            let (i0, i1) = (b * values.len() / n, (b + 1) * values.len() / n);
            let part = &values[i0..i1.max(i0 + 1)];
            part.iter().sum::<f64>() / part.len() as f64
        })
        .collect();
    let finite = buckets.iter().copied().filter(|v| v.is_finite());
    let lo = finite.clone().fold(f64::INFINITY, f64::min);
    let hi = finite.fold(f64::NEG_INFINITY, f64::max);
    buckets
        .iter()
        .map(|v| {
            if !v.is_finite() {
                ' '
            } else if hi - lo < 1e-12 {
                BARS[0]
            } else {
                let k = ((v - lo) / (hi - lo) * (BARS.len() - 1) as f64).round() as usize;
                BARS[k.min(BARS.len() - 1)]
            }
        })
        .collect()
}

/// A number for a sparkline's legend: whole numbers with thousands separators, small values
/// to one decimal.
fn short(x: f64) -> String {
    let digits = if x.abs() < 10.0 && x.fract() != 0.0 {
        1
    } else {
        0
    };
    let s = format!("{x:.digits$}");
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let (sign, int) = int.strip_prefix('-').map_or(("", int), |r| ("-", r));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

/// The [`SHOWN`] series of a campaign run as sparklines of their daily medians, `width`
/// characters each, under a heading with the period and the number of replications.
pub fn campaign_sparklines(c: &Campaign, r: &CampaignResults, width: usize) -> String {
    let days = c.days as usize;
    let mut out = String::new();
    if days == 0 || r.runs == 0 {
        return out;
    }
    let _ = writeln!(
        out,
        "\nDaily median of {} replications, {} to {} (min and max of the median; last day: median [90%]):",
        r.runs,
        c.date(0),
        c.date(c.days.saturating_sub(1))
    );
    let name_width = SHOWN.iter().map(|s| s.name().len()).max().unwrap_or(0);
    for &s in SHOWN {
        let Some(sums) = r.series.get(s.index()) else {
            continue;
        };
        let daily: Vec<[f64; 3]> = (0..days)
            .map(|d| {
                sums.percentiles(d).unwrap_or_else(|| {
                    let m = sums.mean_sd(d, r.runs).0;
                    [m, m, m]
                })
            })
            .collect();
        let medians: Vec<f64> = daily.iter().map(|p| p[1]).collect();
        let min = medians.iter().copied().fold(f64::INFINITY, f64::min);
        let max = medians.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let last = daily[days - 1];
        let _ = writeln!(
            out,
            "{:<name_width$}  {}  min {}  max {}  last {} [{}-{}] {}",
            s.name(),
            sparkline(&medians, width),
            short(min),
            short(max),
            short(last[1]),
            short(last[0]),
            short(last[2]),
            s.info().unit
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rising_series_climbs_every_block() {
        let v: Vec<f64> = (0..8).map(f64::from).collect();
        assert_eq!(sparkline(&v, 48), "▁▂▃▄▅▆▇█");
        let down: Vec<f64> = v.iter().rev().copied().collect();
        assert_eq!(sparkline(&down, 48), "█▇▆▅▄▃▂▁");
    }

    #[test]
    fn long_series_are_squeezed_to_the_width_by_means() {
        // 100 days: 50 at 0, 50 at 10 → 4 characters, two low and two high.
        let v: Vec<f64> = (0..100).map(|i| if i < 50 { 0.0 } else { 10.0 }).collect();
        assert_eq!(sparkline(&v, 4), "▁▁██");
        assert_eq!(sparkline(&v, 4).chars().count(), 4);
        assert_eq!(sparkline(&v, 1000).chars().count(), 100);
        // A step inside a character's share gives a middle block.
        assert_eq!(sparkline(&[0.0, 10.0, 10.0, 10.0, 0.0, 0.0], 3), "▅█▁");
    }

    #[test]
    fn flat_empty_and_missing_values_do_not_panic() {
        assert_eq!(sparkline(&[5.0; 10], 5), "▁▁▁▁▁");
        assert_eq!(sparkline(&[], 5), "");
        assert_eq!(sparkline(&[1.0, 2.0], 0), "▁");
        assert_eq!(sparkline(&[0.0, f64::NAN, 7.0], 10), "▁ █");
    }

    #[test]
    fn legend_numbers_are_short() {
        assert_eq!(short(1234567.0), "1,234,567");
        assert_eq!(short(2.5), "2.5");
        assert_eq!(short(12.4), "12");
        assert_eq!(short(-1500.0), "-1,500");
        assert_eq!(short(0.0), "0");
    }
}
