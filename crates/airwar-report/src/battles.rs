//! The simulated distribution of every observed figure, with what history recorded marked on
//! it: a battle's figures ([`battle_histograms`]) and a theatre's recorded totals with the
//! other sources' values ([`total_histograms`]).

use std::fmt::Write as _;

use airwar_campaign::{Campaign, CampaignResults};
use airwar_model::engagement::observation_label;
use airwar_statistics::CountSummary;

use crate::cite;
use crate::svg::{self, c, esc};
use crate::{BattleResult, Figure};

/// A value marked on a histogram.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub value: f64,
    pub label: String,
    pub colour: &'static str,
    pub dashed: bool,
    pub tooltip: String,
}

const W: f64 = 520.0;
const H: f64 = 220.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 34.0;
const BOTTOM: f64 = 40.0;
/// Most bars drawn: wider spans are shown in merged bins.
const MAX_BARS: u64 = 60;

/// A histogram of a simulated count with its 90% interval shaded and markers drawn.
pub fn histogram(
    id: &str,
    title: &str,
    x_label: &str,
    s: &CountSummary,
    markers: &[Marker],
    caption: String,
) -> Figure {
    let n = s.count().max(1) as f64;
    let width = s.bin_width();
    let lo = s.offset() as u64;
    let hi = lo + s.histogram().len() as u64 * width; // one past the last value counted
    let span = (hi - lo).max(1);
    // Merge bins so that at most MAX_BARS are drawn.
    let per = span.div_ceil(MAX_BARS).div_ceil(width).max(1) * width;
    let mut bars: Vec<(u64, f64)> = Vec::new();
    for (b, count) in s.histogram().iter().enumerate() {
        let v = lo + b as u64 * width;
        let start = lo + (v - lo) / per * per;
        match bars.last_mut() {
            Some(last) if last.0 == start => last.1 += *count as f64 / n,
            _ => bars.push((start, *count as f64 / n)),
        }
    }
    let x_min = markers
        .iter()
        .map(|m| m.value)
        .fold(lo as f64, f64::min)
        .max(0.0);
    let x_max = markers
        .iter()
        .map(|m| m.value + 1.0)
        .fold(hi as f64, f64::max);
    let x = svg::Scale::new(x_min, x_max, LEFT, W - RIGHT);
    let y_max = svg::nice_max(bars.iter().map(|b| b.1).fold(0.0, f64::max));
    let y = svg::Scale::new(0.0, y_max, H - BOTTOM, TOP);
    let mut out = String::new();
    svg::open(&mut out, id, W, H, title, x_label);
    svg::text(
        &mut out,
        LEFT,
        16.0,
        "start",
        " font-weight=\"bold\"",
        title,
    );
    // 90% interval of the simulation.
    let (p05, p95) = (s.quantile(0.05), s.quantile(0.95));
    let _ = writeln!(
        out,
        "<rect class=\"interval\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#999999\" fill-opacity=\"0.15\"><title>{}</title></rect>",
        c(x.at(p05)),
        c(TOP),
        c((x.at(p95 + 1.0) - x.at(p05)).max(1.0)),
        c(H - BOTTOM - TOP),
        esc(&format!(
            "simulated 90% interval: {} to {}, mean {}",
            svg::num(p05, 1),
            svg::num(p95, 1),
            svg::num(s.mean(), 1)
        ))
    );
    for t in svg::ticks(0.0, y_max, 4) {
        let py = y.at(t);
        let _ = writeln!(
            out,
            "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#e5e5e5\"/>",
            c(LEFT),
            c(py),
            c(W - RIGHT)
        );
        svg::text(&mut out, LEFT - 4.0, py + 4.0, "end", "", &svg::num(t, 2));
    }
    for (start, p) in &bars {
        let x0 = x.at(*start as f64);
        let x1 = x.at((*start + per) as f64);
        let _ = writeln!(
            out,
            "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#0072B2\"><title>{}</title></rect>",
            c(x0 + 0.5),
            c(y.at(*p)),
            c((x1 - x0 - 1.0).max(0.6)),
            c(H - BOTTOM - y.at(*p)),
            esc(&if per == 1 {
                format!("{start}: {:.1}%", p * 100.0)
            } else {
                format!("{start}-{}: {:.1}%", start + per - 1, p * 100.0)
            })
        );
    }
    let _ = writeln!(
        out,
        "<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#333333\"/>",
        c(LEFT),
        c(H - BOTTOM),
        c(W - RIGHT)
    );
    for t in svg::ticks(x_min, x_max, 8) {
        let px = x.at(t + 0.5);
        if px > W - RIGHT {
            continue;
        }
        svg::text(
            &mut out,
            px,
            H - BOTTOM + 14.0,
            "middle",
            "",
            &svg::num(t, 0),
        );
    }
    svg::text(
        &mut out,
        (LEFT + W - RIGHT) / 2.0,
        H - 8.0,
        "middle",
        " fill=\"#555555\"",
        x_label,
    );
    let _ = writeln!(
        out,
        "<text x=\"12\" y=\"{0}\" text-anchor=\"middle\" transform=\"rotate(-90 12 {0})\">share of replications</text>",
        c((TOP + H - BOTTOM) / 2.0)
    );
    for (i, m) in markers.iter().enumerate() {
        let px = x.at(m.value + 0.5);
        let _ = writeln!(
            out,
            "<g class=\"marker\"><title>{}</title><line x1=\"{1}\" y1=\"{2}\" x2=\"{1}\" y2=\"{3}\" stroke=\"{4}\" stroke-width=\"2\"{5}/>",
            esc(&m.tooltip),
            c(px),
            c(TOP - 2.0),
            c(H - BOTTOM),
            m.colour,
            if m.dashed { " stroke-dasharray=\"4 3\"" } else { "" }
        );
        let anchor = if px > W * 0.7 { "end" } else { "start" };
        let dx = if anchor == "end" { -3.0 } else { 3.0 };
        svg::text(
            &mut out,
            px + dx,
            TOP + 8.0 + 11.0 * i as f64,
            anchor,
            &format!(" fill=\"{}\" font-size=\"10\"", m.colour),
            &m.label,
        );
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    Figure {
        id: id.to_string(),
        caption,
        svg: out,
    }
}

/// One histogram per observed figure of a battle that the model produces.
pub fn battle_histograms(b: &BattleResult) -> Vec<Figure> {
    let e = b.engagement;
    let mut out = Vec::new();
    for (i, o) in e.observed.iter().enumerate() {
        let Some(Some(s)) = b.results.observed.get(i) else {
            continue;
        };
        let label = observation_label(e, o);
        let marker = Marker {
            value: o.value as f64,
            label: format!("recorded {}{}", o.bound.symbol(), o.value),
            colour: svg::colour(1),
            dashed: false,
            tooltip: format!(
                "Recorded: {}{} [{}]{}",
                o.bound.symbol(),
                o.value,
                cite::citation(&o.citation),
                o.note.as_ref().map_or(String::new(), |n| format!(". {n}"))
            ),
        };
        let inside = (s.quantile(0.05)..=s.quantile(0.95)).contains(&(o.value as f64));
        out.push(histogram(
            &format!("battle-{}-{}", e.id, i),
            &svg::shorten(&label, 70),
            "aircraft",
            s,
            &[marker],
            format!(
                "{} ({}): the simulated {} over {} replications, with the recorded {}{} [{}] marked; the grey band is the simulated 90% interval, which the recorded value is {}.",
                e.title,
                e.date.value,
                label,
                s.count(),
                o.bound.symbol(),
                o.value,
                cite::citation(&o.citation),
                if inside { "inside" } else { "outside" }
            ),
        ));
    }
    out
}

/// One histogram per recorded theatre total the model produces, with the recorded value and
/// every other source's value marked.
pub fn total_histograms(
    c: &Campaign,
    theatre: &airwar_scenario::Theatre,
    r: &CampaignResults,
) -> Vec<Figure> {
    let rows = theatre.observed.iter().filter(|o| {
        airwar_campaign::totals::model_total(&o.metric, &o.force, &c.covert_id).is_some()
    });
    let mut out = Vec::new();
    for (k, ((total, day), o)) in c.snapshots.iter().zip(rows).enumerate() {
        let Some(s) = r.observed.get(k) else {
            continue;
        };
        let date = airwar_campaign::dates::date_of(c.start_day + *day as i64);
        let mut markers = vec![Marker {
            value: o.value.value,
            label: format!(
                "recorded {}{}",
                o.value.bound.symbol(),
                svg::num(o.value.value, 0)
            ),
            colour: svg::colour(1),
            dashed: false,
            tooltip: format!(
                "Recorded: {}{} [{}]",
                o.value.bound.symbol(),
                svg::num(o.value.value, 0),
                cite::of(&o.value)
            ),
        }];
        for a in &o.value.alternatives {
            markers.push(Marker {
                value: a.value,
                label: format!("{}{}", a.bound.symbol(), svg::num(a.value, 0)),
                colour: svg::colour(3),
                dashed: true,
                tooltip: format!(
                    "Another source: {}{} [{}]{}",
                    a.bound.symbol(),
                    svg::num(a.value, 0),
                    cite::citation(&a.citation),
                    a.note.as_ref().map_or(String::new(), |n| format!(". {n}"))
                ),
            });
        }
        out.push(histogram(
            &format!("total-{}-{k}", theatre.id),
            &format!("{} {} by {date}", theatre.id, o.metric),
            total.info().unit,
            s,
            &markers,
            format!(
                "The simulated {} ({}) of the covert force on {date}, over {} replications, with the recorded value (solid) and other sources' values (dashed); hover for each source.",
                o.metric,
                total.name(),
                s.count()
            ),
        ));
    }
    out
}
