//! The forest plot: every observed figure against the model's 90% interval for it, on a
//! log(1 + value) axis so that battle figures (a few aircraft) and campaign totals (a thousand)
//! share one plot, each row with its citation.

use std::fmt::Write as _;

use airwar_calibration::distribution::Distribution;
use airwar_model::engagement::observation_label;
use airwar_scenario::{Bound, Date, ObservedMetric};
use serde::{Deserialize, Serialize};

use crate::svg::{self, c, esc};
use crate::{BattleResult, Figure};

/// One observed figure beside the model: what the forest plot draws. Made from an
/// `airwar validate` item ([`From<&Item>`](airwar_calibration::validate::Item)), from a
/// battle's run ([`rows_from_battle`]), or read from JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ForestRow {
    /// The battle's or theatre's id.
    pub id: String,
    pub date: Date,
    /// What the figure counts.
    pub metric: String,
    /// `losses`, `claims` or `campaign`.
    pub kind: String,
    pub observed: f64,
    #[serde(default)]
    pub bound: Bound,
    pub mean: f64,
    pub p05: f64,
    pub p95: f64,
    pub inside_90: bool,
    /// Whether a fit used this very figure (in-sample).
    #[serde(default)]
    pub fitted: bool,
    pub source: String,
    pub section: String,
}

impl From<&airwar_calibration::validate::Item> for ForestRow {
    fn from(i: &airwar_calibration::validate::Item) -> Self {
        ForestRow {
            id: i.id.clone(),
            date: i.date,
            metric: i.metric.clone(),
            kind: i.kind.to_string(),
            observed: i.observed as f64,
            bound: i.bound,
            mean: i.simulated.mean,
            p05: i.simulated.p05,
            p95: i.simulated.p95,
            inside_90: i.inside_90,
            fitted: i.fitted,
            source: i.source.clone(),
            section: i.section.clone(),
        }
    }
}

/// The rows of one battle's observed figures, from its own run (one parameter set, as
/// `airwar validate` without `--leave-one-out` scores them). A figure the source gives as a
/// bound is inside when the interval reaches the side the bound allows.
pub fn rows_from_battle(b: &BattleResult) -> Vec<ForestRow> {
    let e = b.engagement;
    let mut out = Vec::new();
    for (i, o) in e.observed.iter().enumerate() {
        let Some(Some(s)) = b.results.observed.get(i) else {
            continue;
        };
        let interval = Distribution::from_summary(s).interval();
        let v = o.value as f64;
        let inside_90 = if o.bound.is_exact() {
            (interval.p05..=interval.p95).contains(&v)
        } else {
            o.bound.admits(v, interval.p05) || o.bound.admits(v, interval.p95)
        };
        out.push(ForestRow {
            id: e.id.clone(),
            date: e.date.value,
            metric: observation_label(e, o),
            kind: match o.metric {
                ObservedMetric::Losses => "losses",
                ObservedMetric::Claims => "claims",
            }
            .to_string(),
            observed: v,
            bound: o.bound,
            mean: interval.mean,
            p05: interval.p05,
            p95: interval.p95,
            inside_90,
            fitted: false,
            source: o.citation.source.clone(),
            section: o.citation.section.clone(),
        });
    }
    out
}

/// Rows of a validation computed beforehand (`airwar validate --json`, in-sample or
/// leave-one-out), for the forest plot beside the rows of the report's own run.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationRows {
    /// The validation's `mode`: `leave-one-out` or `parameters` (in-sample).
    pub mode: String,
    pub rows: Vec<ForestRow>,
}

impl ValidationRows {
    /// What the rows' labels carry: `held out` for leave-one-out, else `validate`.
    pub fn label(&self) -> &'static str {
        if self.mode == "leave-one-out" {
            "held out"
        } else {
            "validate"
        }
    }

    /// The rows about `ids` (battles or theatres), each id marked with [`Self::label`].
    pub fn about(&self, ids: &[&str]) -> Vec<ForestRow> {
        let label = self.label();
        self.rows
            .iter()
            .filter(|r| ids.contains(&r.id.as_str()))
            .map(|r| ForestRow {
                id: format!("{} [{label}]", r.id),
                ..r.clone()
            })
            .collect()
    }
}

/// Read the output of `airwar validate --json`: its `mode` and each item (the simulated
/// interval is the item's `simulated` object). A value of another shape is an error that says
/// what is missing.
pub fn validation_rows(v: &serde_json::Value) -> Result<ValidationRows, crate::ReportError> {
    let bad = |what: String| crate::ReportError::Validation(what);
    let mode = v
        .get("mode")
        .and_then(|m| m.as_str())
        .ok_or_else(|| bad("no `mode`: not the output of `airwar validate --json`".into()))?;
    let items = v
        .get("items")
        .and_then(|i| i.as_array())
        .ok_or_else(|| bad("no `items`: not the output of `airwar validate --json`".into()))?;
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let mut flat = item.clone();
            if let (Some(obj), Some(sim)) = (flat.as_object_mut(), item.get("simulated")) {
                for k in ["mean", "p05", "p95"] {
                    obj.insert(k.into(), sim.get(k).cloned().unwrap_or_default());
                }
            }
            serde_json::from_value::<ForestRow>(flat).map_err(|e| bad(format!("item {i}: {e}")))
        })
        .collect::<Result<_, _>>()?;
    Ok(ValidationRows {
        mode: mode.to_string(),
        rows,
    })
}

const W: f64 = 960.0;
const LABEL: f64 = 430.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 40.0;
const ROW: f64 = 16.0;

fn log1p_axis(v: f64) -> f64 {
    (1.0 + v.max(0.0)).log10()
}

/// The forest plot of `rows`, in their order.
pub fn forest_plot(id: &str, title: &str, rows: &[ForestRow]) -> Figure {
    let top = rows
        .iter()
        .flat_map(|r| [r.p95, r.observed])
        .filter(|v| v.is_finite())
        .fold(1.0, f64::max);
    // Axis ticks: 0, 1, 2, 5, 10, 20, 50, ... up past the largest value.
    let mut tick_values = vec![0.0];
    let mut m = 1.0;
    'outer: loop {
        for k in [1.0, 2.0, 5.0] {
            tick_values.push(k * m);
            if k * m >= top {
                break 'outer;
            }
        }
        m *= 10.0;
    }
    let x_max = tick_values.last().copied().unwrap_or(1.0);
    let x = svg::Scale::new(0.0, log1p_axis(x_max), LABEL, W - RIGHT);
    let h = TOP + ROW * rows.len().max(1) as f64 + 40.0;
    let mut out = String::new();
    svg::open(&mut out, id, W, h, title, "Each row: the simulated 90% interval (line), its mean (grey dot) and the recorded value (diamond: blue inside, vermillion outside).");
    svg::text(
        &mut out,
        8.0,
        16.0,
        "start",
        " font-weight=\"bold\" font-size=\"12\"",
        title,
    );
    let inside = rows.iter().filter(|r| r.inside_90).count();
    svg::text(
        &mut out,
        8.0,
        30.0,
        "start",
        " fill=\"#555555\"",
        &format!(
            "{inside} of {} recorded figures inside the simulated 90% interval",
            rows.len()
        ),
    );
    let bottom = TOP + ROW * rows.len() as f64;
    for t in &tick_values {
        let px = x.at(log1p_axis(*t));
        let _ = writeln!(
            out,
            "<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#e5e5e5\"/>",
            c(px),
            c(TOP - 4.0),
            c(bottom)
        );
        svg::text(&mut out, px, bottom + 14.0, "middle", "", &svg::num(*t, 0));
    }
    svg::text(
        &mut out,
        (LABEL + W - RIGHT) / 2.0,
        bottom + 30.0,
        "middle",
        " fill=\"#555555\"",
        "aircraft, pilots or people (scale: log of 1 + value)",
    );
    for (i, r) in rows.iter().enumerate() {
        let y = TOP + ROW * (i as f64 + 0.5);
        if i % 2 == 0 {
            let _ = writeln!(
                out,
                "<rect x=\"0\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#f6f6f6\"/>",
                c(y - ROW / 2.0),
                c(W),
                c(ROW)
            );
        }
        let mut label = if r.kind == "campaign" {
            format!(
                "{} {} by {}",
                r.id,
                r.metric.trim_start_matches("campaign "),
                r.date
            )
        } else {
            format!("{} {}", r.id, r.metric)
        };
        if label.chars().count() > 72 {
            label = label.chars().take(71).collect::<String>() + "…";
        }
        if r.fitted {
            label.push_str(" (fitted)");
        }
        let tip = format!(
            "{} ({}), {}: recorded {}{} [{}, {}]; simulated mean {}, 90% interval {} to {}{}",
            r.id,
            r.date,
            r.metric,
            r.bound.symbol(),
            svg::num(r.observed, 0),
            r.source,
            r.section,
            svg::num(r.mean, 1),
            svg::num(r.p05, 1),
            svg::num(r.p95, 1),
            if r.fitted {
                "; a fit used this figure (in-sample)"
            } else {
                ""
            }
        );
        let _ = writeln!(out, "<g class=\"row\"><title>{}</title>", esc(&tip));
        svg::text(
            &mut out,
            LABEL - 8.0,
            y + 4.0,
            "end",
            " font-size=\"10\"",
            &label,
        );
        let (a, b) = (x.at(log1p_axis(r.p05)), x.at(log1p_axis(r.p95)));
        let _ = writeln!(
            out,
            "<line x1=\"{}\" y1=\"{2}\" x2=\"{}\" y2=\"{2}\" stroke=\"#333333\" stroke-width=\"2\"/>",
            c(a),
            c(b.max(a + 1.0)),
            c(y)
        );
        let _ = writeln!(
            out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"#999999\"/>",
            c(x.at(log1p_axis(r.mean))),
            c(y)
        );
        let ox = x.at(log1p_axis(r.observed));
        let colour = if r.inside_90 {
            svg::colour(0)
        } else {
            svg::colour(1)
        };
        let _ = writeln!(
            out,
            "<path class=\"observed\" d=\"M{} {}l4 4l-4 4l-4 -4z\" fill=\"{colour}\"/>",
            c(ox),
            c(y - 4.0)
        );
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    Figure {
        id: id.to_string(),
        caption: format!(
            "{title}. Line: the simulated 90% interval; grey dot: its mean; diamond: the recorded value, blue when inside the interval and vermillion when outside. Hover over a row for its source. Rows marked fitted are in-sample: a fit used that very figure."
        ),
        svg: out,
    }
}
