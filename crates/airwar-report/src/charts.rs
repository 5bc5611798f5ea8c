//! Charts of a campaign's daily series: lines over the calendar with their 5-95% bands
//! ([`time_chart`]), and bars by month ([`month_bars`]). Each chart is a standalone SVG with an
//! id, axis labels with units (from [`Series::info`]) and the Okabe-Ito palette.

use std::fmt::Write as _;

use airwar_campaign::results::SeriesSums;
use airwar_campaign::{Campaign, CampaignResults, Series, Total};

use crate::svg::{self, c, esc};
use crate::Figure;

/// One line of a time chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: String,
    pub colour: &'static str,
    /// (day number, value).
    pub points: Vec<(f64, f64)>,
    /// (day number, low, high): the band drawn under the line (empty: none).
    pub band: Vec<(f64, f64, f64)>,
    pub dashed: bool,
}

/// A point marked on a chart: (day number, value, colour, tooltip).
pub type Mark = (f64, f64, &'static str, String);

/// A chart of lines over the calendar.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeChart {
    pub id: String,
    pub title: String,
    /// The y axis's label, with its unit.
    pub y_label: String,
    /// First and last day numbers of the x axis.
    pub d0: i64,
    pub d1: i64,
    pub lines: Vec<Line>,
    pub marks: Vec<Mark>,
    pub caption: String,
}

const W: f64 = 720.0;
const H: f64 = 300.0;
const LEFT: f64 = 70.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 40.0;

fn frame(out: &mut String, id: &str, title: &str, y_label: &str, y: &svg::Scale, y_max: f64) {
    svg::open(out, id, W, H, title, y_label);
    svg::text(
        out,
        LEFT,
        18.0,
        "start",
        " font-weight=\"bold\" font-size=\"12\"",
        title,
    );
    for t in svg::ticks(0.0, y_max, 5) {
        let py = y.at(t);
        let _ = writeln!(
            out,
            "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#e5e5e5\"/>",
            c(LEFT),
            c(py),
            c(W - RIGHT)
        );
        let digits = if y_max <= 5.0 { 1 } else { 0 };
        svg::text(out, LEFT - 5.0, py + 4.0, "end", "", &svg::num(t, digits));
    }
    let _ = writeln!(
        out,
        "<text x=\"14\" y=\"{}\" text-anchor=\"middle\" transform=\"rotate(-90 14 {})\">{}</text>",
        c((TOP + H - BOTTOM) / 2.0),
        c((TOP + H - BOTTOM) / 2.0),
        esc(y_label)
    );
    let _ = writeln!(
        out,
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#333333\"/><line x1=\"{0}\" y1=\"{2}\" x2=\"{3}\" y2=\"{2}\" stroke=\"#333333\"/>",
        c(LEFT),
        c(TOP),
        c(H - BOTTOM),
        c(W - RIGHT)
    );
}

fn legend(out: &mut String, entries: &[(String, &'static str, bool)]) {
    let mut x = LEFT + 8.0;
    let y = TOP + 10.0;
    for (label, colour, band) in entries {
        if *band {
            let _ = write!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"14\" height=\"8\" fill=\"{colour}\" fill-opacity=\"0.2\"/>",
                c(x),
                c(y - 4.0)
            );
        }
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{2}\" x2=\"{}\" y2=\"{2}\" stroke=\"{colour}\" stroke-width=\"2\"/>",
            c(x),
            c(x + 14.0),
            c(y)
        );
        svg::text(out, x + 18.0, y + 4.0, "start", "", label);
        x += 30.0 + label.chars().count() as f64 * 5.8;
    }
}

/// A time chart as SVG.
pub fn time_chart(chart: &TimeChart) -> Figure {
    let y_top = chart
        .lines
        .iter()
        .flat_map(|l| {
            l.points
                .iter()
                .map(|p| p.1)
                .chain(l.band.iter().map(|b| b.2))
        })
        .chain(chart.marks.iter().map(|m| m.1))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let y_max = svg::nice_max(y_top);
    let x = svg::Scale::new(chart.d0 as f64, chart.d1 as f64, LEFT, W - RIGHT);
    let y = svg::Scale::new(0.0, y_max, H - BOTTOM, TOP);
    let mut out = String::new();
    frame(&mut out, &chart.id, &chart.title, &chart.y_label, &y, y_max);
    for (day, label) in svg::calendar_ticks(chart.d0, chart.d1) {
        let px = x.at(day as f64);
        let _ = writeln!(
            out,
            "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#333333\"/>",
            c(px),
            c(H - BOTTOM),
            c(H - BOTTOM + 4.0)
        );
        svg::text(&mut out, px, H - BOTTOM + 16.0, "middle", "", &label);
    }
    svg::text(
        &mut out,
        (LEFT + W - RIGHT) / 2.0,
        H - 6.0,
        "middle",
        " fill=\"#555555\"",
        "date",
    );
    for l in &chart.lines {
        if l.band.len() > 1 {
            let mut poly: Vec<(f64, f64)> = l
                .band
                .iter()
                .map(|(d, lo, _)| (x.at(*d), y.at(*lo)))
                .collect();
            poly.extend(l.band.iter().rev().map(|(d, _, hi)| (x.at(*d), y.at(*hi))));
            svg::polygon(
                &mut out,
                &poly,
                &format!(
                    "fill=\"{}\" fill-opacity=\"0.2\" stroke=\"none\" class=\"band\"",
                    l.colour
                ),
            );
        }
    }
    for l in &chart.lines {
        let pts: Vec<(f64, f64)> = l
            .points
            .iter()
            .filter(|p| p.1.is_finite())
            .map(|(d, v)| (x.at(*d), y.at(*v)))
            .collect();
        svg::polyline(
            &mut out,
            &pts,
            &format!(
                "stroke=\"{}\" stroke-width=\"1.8\"{} class=\"line\"",
                l.colour,
                if l.dashed {
                    " stroke-dasharray=\"5 3\""
                } else {
                    ""
                }
            ),
        );
    }
    for (d, v, colour, tip) in &chart.marks {
        let _ = writeln!(
            out,
            "<circle class=\"recorded\" cx=\"{}\" cy=\"{}\" r=\"4.5\" fill=\"#ffffff\" stroke=\"{colour}\" stroke-width=\"2\"><title>{}</title></circle>",
            c(x.at(*d)),
            c(y.at(*v)),
            esc(tip)
        );
    }
    let entries: Vec<(String, &'static str, bool)> = chart
        .lines
        .iter()
        .map(|l| (l.label.clone(), l.colour, l.band.len() > 1))
        .collect();
    legend(&mut out, &entries);
    out.push_str("</svg>\n");
    Figure {
        id: chart.id.clone(),
        caption: chart.caption.clone(),
        svg: out,
    }
}

/// Bars by month: `months` are (first day number, label); `series` are (label, colour, one
/// value a month).
pub fn month_bars(
    id: &str,
    title: &str,
    y_label: &str,
    months: &[(i64, String)],
    series: &[(String, &'static str, Vec<f64>)],
    caption: &str,
) -> Figure {
    let y_top = series
        .iter()
        .flat_map(|s| s.2.iter().copied())
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let y_max = svg::nice_max(y_top);
    let y = svg::Scale::new(0.0, y_max, H - BOTTOM, TOP);
    let mut out = String::new();
    frame(&mut out, id, title, y_label, &y, y_max);
    let n = months.len().max(1) as f64;
    let slot = (W - RIGHT - LEFT) / n;
    let bar = (slot * 0.8 / series.len().max(1) as f64).max(0.5);
    for (m, (_, label)) in months.iter().enumerate() {
        let x0 = LEFT + slot * m as f64 + slot * 0.1;
        for (s, (name, colour, values)) in series.iter().enumerate() {
            let v = values.get(m).copied().unwrap_or(0.0).max(0.0);
            let top = y.at(v);
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{colour}\"><title>{}</title></rect>",
                c(x0 + bar * s as f64),
                c(top),
                c(bar),
                c(H - BOTTOM - top),
                esc(&format!("{label}: {name} {}", svg::num(v, 1)))
            );
        }
        // A label every January (or every month when there are few).
        if label.ends_with("-01") || months.len() <= 14 {
            svg::text(
                &mut out,
                x0 + slot * 0.4,
                H - BOTTOM + 14.0,
                "middle",
                " font-size=\"9\"",
                label,
            );
        }
    }
    svg::text(
        &mut out,
        (LEFT + W - RIGHT) / 2.0,
        H - 6.0,
        "middle",
        " fill=\"#555555\"",
        "month",
    );
    let entries: Vec<(String, &'static str, bool)> =
        series.iter().map(|s| (s.0.clone(), s.1, false)).collect();
    legend(&mut out, &entries);
    out.push_str("</svg>\n");
    Figure {
        id: id.to_string(),
        caption: caption.to_string(),
        svg: out,
    }
}

/// Days sampled for drawing: every `step`-th day and the last (at most about 500 points).
fn sample_days(days: usize) -> Vec<usize> {
    let step = days.div_ceil(500).max(1);
    let mut v: Vec<usize> = (0..days).step_by(step).collect();
    if days > 0 && v.last() != Some(&(days - 1)) {
        v.push(days - 1);
    }
    v
}

fn series_of(r: &CampaignResults, s: Series) -> &SeriesSums {
    &r.series[s.index()]
}

/// A line of a series: the median with its 5-95% band (where percentiles are kept), else the
/// mean.
fn banded(c: &Campaign, r: &CampaignResults, s: Series, label: &str, colour: &'static str) -> Line {
    let sums = series_of(r, s);
    let days = sample_days(c.days as usize);
    let mut points = Vec::new();
    let mut band = Vec::new();
    for d in days {
        let x = (c.start_day + d as i64) as f64;
        match sums.percentiles(d) {
            Some([lo, mid, hi]) => {
                points.push((x, mid));
                band.push((x, lo, hi));
            }
            None => points.push((x, sums.mean_sd(d, r.runs).0)),
        }
    }
    Line {
        label: label.to_string(),
        colour,
        points,
        band,
        dashed: false,
    }
}

/// The mean of a series by day (every day).
fn means(r: &CampaignResults, s: Series, days: usize) -> Vec<f64> {
    let sums = series_of(r, s);
    (0..days).map(|d| sums.mean_sd(d, r.runs).0).collect()
}

fn unit(s: Series) -> &'static str {
    s.info().unit
}

/// Months of the period: (first day number, `YYYY-MM`, index of the month's last day).
fn months(c: &Campaign) -> Vec<(i64, String, usize)> {
    let mut out: Vec<(i64, String, usize)> = Vec::new();
    for d in 0..c.days as usize {
        let day = c.start_day + d as i64;
        let (y, m) = svg::year_month(day);
        let label = format!("{y:04}-{m:02}");
        match out.last_mut() {
            Some(last) if last.1 == label => last.2 = d,
            _ => out.push((svg::month_start(y, m).unwrap_or(day), label, d)),
        }
    }
    out
}

/// Differences by month of a cumulative series' mean.
fn monthly(cumulative: &[f64], months: &[(i64, String, usize)]) -> Vec<f64> {
    let mut prev = 0.0;
    months
        .iter()
        .map(|(_, _, last)| {
            let v = cumulative.get(*last).copied().unwrap_or(prev);
            let d = v - prev;
            prev = v;
            d
        })
        .collect()
}

/// The recorded totals a series answers, as marks: (day, value, tooltip), from the
/// campaign's snapshots and the theatre's observed rows.
fn recorded_marks(
    c: &Campaign,
    theatre: Option<&airwar_scenario::Theatre>,
    total: Total,
    colour: &'static str,
) -> Vec<Mark> {
    let Some(theatre) = theatre else {
        return Vec::new();
    };
    let rows = theatre.observed.iter().filter(|o| {
        airwar_campaign::totals::model_total(&o.metric, &o.force, &c.covert_id).is_some()
    });
    c.snapshots
        .iter()
        .zip(rows)
        .filter(|((t, _), _)| *t == total)
        .map(|((_, day), o)| {
            (
                (c.start_day + *day as i64) as f64,
                o.value.value,
                colour,
                format!(
                    "Recorded {} by {}: {}",
                    o.metric,
                    airwar_campaign::dates::date_of(c.start_day + *day as i64),
                    crate::cite::figure(&o.value)
                ),
            )
        })
        .collect()
}

/// Every chart of a campaign's results, in the report's order.
pub fn campaign_charts(
    c: &Campaign,
    r: &CampaignResults,
    theatre: Option<&airwar_scenario::Theatre>,
) -> Vec<Figure> {
    let d0 = c.start_day;
    let d1 = c.start_day + c.days.max(1) as i64 - 1;
    let band_note = format!(
        "Lines are medians over {} replications; shaded bands run from the 5th to the 95th percentile of each day.",
        r.runs
    );
    let chart = |id: &str,
                 title: &str,
                 y_label: String,
                 lines: Vec<Line>,
                 marks: Vec<Mark>,
                 caption: String| {
        time_chart(&TimeChart {
            id: id.to_string(),
            title: title.to_string(),
            y_label,
            d0,
            d1,
            lines,
            marks,
            caption,
        })
    };
    let mut out = Vec::new();
    out.push(chart(
        "chart-aircraft",
        "Aircraft on hand",
        format!("{} at the end of the day", unit(Series::AircraftCovert)),
        vec![
            banded(c, r, Series::AircraftCovert, "covert force", svg::colour(0)),
            banded(c, r, Series::AircraftHost, "host air force", svg::colour(2)),
        ],
        Vec::new(),
        format!("Aircraft the covert force and the host air force hold. {band_note}"),
    ));
    let cumulative_marks = [
        recorded_marks(c, theatre, Total::Claims, svg::colour(1)),
        recorded_marks(c, theatre, Total::CovertAircraftLost, svg::colour(0)),
    ]
    .concat();
    out.push(chart(
        "chart-cumulative",
        "Claims and losses so far",
        format!("{} (cumulative)", unit(Series::Claims)),
        vec![
            banded(c, r, Series::CovertLosses, "covert losses", svg::colour(0)),
            banded(c, r, Series::Claims, "claims", svg::colour(1)),
            banded(c, r, Series::EnemyLosses, "enemy actually lost", svg::colour(2)),
        ],
        cumulative_marks,
        format!("Covert aircraft lost, enemy aircraft claimed and enemy aircraft actually destroyed, each counted from the start. Open circles: the totals history records by a date (hover for the source and other sources' values). {band_note}"),
    ));
    let ms = months(c);
    let days = c.days as usize;
    let losses = means(r, Series::CovertLosses, days);
    let claims = means(r, Series::Claims, days);
    out.push(month_bars(
        "chart-monthly",
        "Losses and claims by month",
        &format!("{} a month (mean)", unit(Series::CovertLosses)),
        &ms.iter().map(|m| (m.0, m.1.clone())).collect::<Vec<_>>(),
        &[
            ("covert losses".to_string(), svg::colour(0), monthly(&losses, &ms)),
            ("claims".to_string(), svg::colour(1), monthly(&claims, &ms)),
        ],
        &format!(
            "Mean covert losses and claims in each month over {} replications: differences of the mean cumulative series at each month's last day (the daily sums give the means of such differences exactly, not their spread).",
            r.runs
        ),
    ));
    let mut ratio = Vec::new();
    for d in sample_days(days) {
        if losses[d] >= 1.0 {
            ratio.push(((c.start_day + d as i64) as f64, claims[d] / losses[d]));
        }
    }
    out.push(chart(
        "chart-exchange",
        "Exchange ratio so far",
        "claims per covert aircraft lost".to_string(),
        vec![Line {
            label: "claims / covert losses".to_string(),
            colour: svg::colour(4),
            points: ratio,
            band: Vec::new(),
            dashed: false,
        }],
        Vec::new(),
        format!("Mean cumulative claims divided by mean cumulative covert losses, from the first day the mean losses reach one aircraft ({} replications). It is a ratio of means: each replication's own ratio is not kept by day.", r.runs),
    ));
    out.push(chart(
        "chart-money",
        "Debt and repayments",
        unit(Series::DebtThousandUsd).to_string(),
        vec![
            banded(c, r, Series::DebtThousandUsd, "debt with interest", svg::colour(3)),
            banded(c, r, Series::ShipmentsThousandUsd, "repaid in commodities so far", svg::colour(2)),
        ],
        Vec::new(),
        format!("Loans drawn with interest and not yet repaid, and the value of commodities shipped in repayment so far. {band_note}"),
    ));
    out.push(chart(
        "chart-exposure",
        "Exposure",
        unit(Series::ExposurePer10k).to_string(),
        vec![banded(
            c,
            r,
            Series::ExposurePer10k,
            "probability proof exists",
            svg::colour(1),
        )],
        Vec::new(),
        format!("{} {band_note}", Series::ExposurePer10k.info().description),
    ));
    out.push(chart(
        "chart-personnel",
        "People of the covert force",
        format!("{} present", unit(Series::PersonnelCovert)),
        vec![
            banded(
                c,
                r,
                Series::PersonnelCovert,
                "pilots, ground crew and drivers",
                svg::colour(0),
            ),
            banded(
                c,
                r,
                Series::GroundCrewCovert,
                "ground crew",
                svg::colour(2),
            ),
            banded(c, r, Series::PilotsCovert, "pilots", svg::colour(3)),
        ],
        Vec::new(),
        format!("The covert force's people present each day. {band_note}"),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monthly_differences_add_back_to_the_total() {
        let cumulative = [0.0, 1.0, 3.0, 3.0, 7.0, 10.0];
        let months = vec![
            (0, "a".to_string(), 1),
            (2, "b".to_string(), 3),
            (4, "c".to_string(), 5),
        ];
        let m = monthly(&cumulative, &months);
        assert_eq!(m, vec![1.0, 2.0, 7.0]);
        assert_eq!(m.iter().sum::<f64>(), 10.0);
    }

    #[test]
    fn sampled_days_end_on_the_last() {
        assert_eq!(sample_days(3), vec![0, 1, 2]);
        let s = sample_days(1371);
        assert_eq!(s.last(), Some(&1370));
        assert!(s.len() <= 501);
    }
}
