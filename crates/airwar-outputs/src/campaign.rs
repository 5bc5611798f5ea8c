//! Campaign outputs: the JSON contract, CSV files and terminal tables.

use std::fmt::Write as _;

use airwar_campaign::compare::Effect;
use airwar_campaign::totals::totals;
use airwar_campaign::{Campaign, CampaignResults, SERIES};
use airwar_scenario::Theatre;
use serde_json::{json, Value};

use crate::grid;

/// `airwar run SCENARIO --json` (and summary.json).
pub fn summary_json(c: &Campaign, t: &Theatre, r: &CampaignResults, seed: u64) -> Value {
    json!({
        "runs": r.runs,
        "seed": seed,
        "scenario": t.id,
        "start": t.start.value,
        "end": t.end.value,
        "rules": { "no_pursuit": c.rules().0, "radio_language": c.rules().1 },
        "totals": totals(c, t, r),
        "commodities": shipments(t, r),
    })
}

/// The mean repayments split by commodity, as far as the record allows.
fn shipments(t: &Theatre, r: &CampaignResults) -> Vec<airwar_campaign::commodities::Shipment> {
    let repaid = r.total("repaid_thousand_usd").map_or(0.0, |s| s.mean());
    airwar_campaign::commodities::shipments(&t.commodities, repaid)
}

/// totals.csv: metric, mean, p05, p95, observed, observed_metric, source, section.
pub fn totals_csv(c: &Campaign, t: &Theatre, r: &CampaignResults) -> String {
    let mut rows = vec![[
        "metric",
        "mean",
        "p05",
        "p95",
        "observed",
        "observed_metric",
        "source",
        "section",
    ]
    .map(str::to_string)
    .to_vec()];
    for x in totals(c, t, r) {
        let (obs, m, s, sec) = x.observed.as_ref().map_or(
            (String::new(), String::new(), String::new(), String::new()),
            |ob| {
                (
                    ob.value.to_string(),
                    ob.metric.clone(),
                    ob.source.clone(),
                    ob.section.clone(),
                )
            },
        );
        rows.push(vec![
            x.metric.to_string(),
            x.mean.to_string(),
            x.p05.to_string(),
            x.p95.to_string(),
            obs,
            m,
            s,
            sec,
        ]);
    }
    crate::csv::render(&rows)
}

/// timeseries.csv: date, metric, mean, sd, p05, p50, p95 for every series, and date, metric,
/// mean, sd for every type on hand (its percentile cells empty).
pub fn series_csv(c: &Campaign, r: &CampaignResults) -> String {
    let mut rows = vec![["date", "metric", "mean", "sd", "p05", "p50", "p95"]
        .map(str::to_string)
        .to_vec()];
    for d in 0..c.days as usize {
        let date = c.date(d as u32);
        for (s, name) in SERIES.iter().enumerate() {
            let (m, sd) = r.series[s].mean_sd(d, r.runs);
            let mut row = vec![
                date.clone(),
                name.to_string(),
                format!("{m:.4}"),
                format!("{sd:.4}"),
            ];
            match r.series[s].percentiles(d) {
                Some(p) => row.extend(p.iter().map(|x| x.to_string())),
                None => row.extend(std::iter::repeat_n(String::new(), 3)),
            }
            rows.push(row);
        }
        for (owner, label) in [(0, "covert"), (1, "host")] {
            for (t, type_id) in c.types.iter().enumerate() {
                let (m, sd) = r.on_hand[owner][t].mean_sd(d, r.runs);
                if m > 0.0 {
                    rows.push(vec![
                        date.clone(),
                        format!("on_hand.{label}.{type_id}"),
                        format!("{m:.4}"),
                        format!("{sd:.4}"),
                        String::new(),
                        String::new(),
                        String::new(),
                    ]);
                }
            }
        }
    }
    crate::csv::render(&rows)
}

/// replications.csv of a campaign: `replication`, then every total, one row per replication
/// (empty when the run did not keep them).
pub fn replications_csv(r: &CampaignResults) -> String {
    let columns: Vec<String> = airwar_campaign::TOTALS
        .iter()
        .map(|t| t.to_string())
        .collect();
    crate::csv::replications(&columns, r.per_replication.as_deref().unwrap_or(&[]))
}

/// `airwar run`: totals beside the record, each with its unit, mean, median and 5-95% range;
/// totals that were 0 in every replication and that history does not record are listed under
/// the table instead of filling it.
pub fn totals_table(c: &Campaign, t: &Theatre, r: &CampaignResults, seed: u64) -> String {
    let mut o = String::new();
    let title = format!(
        "{} ({} to {}); {} replications, seed {}",
        t.title,
        t.start.value,
        t.end.value,
        grid::count(r.runs),
        seed
    );
    o.push_str(&grid::wrap(&title, grid::WIDTH as usize, 0, 2));
    let (pursuit, radio) = c.rules();
    let _ = writeln!(
        o,
        "covert force `{}`; rules in force: no-pursuit line {}, radio-language ban {}\n",
        c.covert_id,
        if pursuit { "yes" } else { "no" },
        if radio { "yes" } else { "no" }
    );
    let header = ["total", "unit", "mean", "median", "5-95%"];
    let mut table = grid::table(&header, &[2, 3, 4]);
    let history_header = [
        "total",
        "recorded",
        "on",
        "model\nthen, mean",
        "model then\n5-95%",
        "inside\n5-95%?",
        "source",
    ];
    let mut history = grid::table(&history_header, &[1, 3, 4]);
    let mut zero = Vec::new();
    for x in totals(c, t, r) {
        let words = x.metric.replace('_', " ");
        let unit =
            airwar_campaign::metrics::Total::from_name(&x.metric).map_or("", |m| m.info().unit);
        let median = r.total(&x.metric).map_or(0.0, |s| s.summary().p50);
        if x.observed.is_none() && x.mean == 0.0 && x.p95 == 0.0 {
            zero.push(words);
            continue;
        }
        if let Some(ob) = &x.observed {
            let other = if ob.alternatives.is_empty() {
                String::new()
            } else {
                let v: Vec<String> = ob.alternatives.iter().map(|a| grid::whole(*a)).collect();
                format!("; other sources: {}", v.join(", "))
            };
            history.add_row(vec![
                words.clone(),
                grid::whole(ob.value),
                ob.to.clone().unwrap_or_else(|| "the end".into()),
                grid::mean(ob.model_mean),
                grid::interval(ob.model_p05, ob.model_p95),
                if ob.inside_90 { "yes" } else { "NO" }.to_string(),
                format!("{}, {}{other}", ob.source, ob.section),
            ]);
        }
        table.add_row(vec![
            words,
            unit.to_string(),
            grid::mean(x.mean),
            grid::whole(median),
            grid::interval(x.p05, x.p95),
        ]);
    }
    o.push_str(&grid::render(&table));
    if !history.is_empty() {
        o.push_str("\nhistory beside the model (the model's total on the day history gives):\n");
        o.push_str(&grid::render(&history));
    }
    if !zero.is_empty() {
        let note = format!(
            "0 in every replication (not shown; --json has them): {}",
            zero.join(", ")
        );
        o.push('\n');
        o.push_str(&grid::wrap(&note, grid::WIDTH as usize, 0, 2));
    }
    if !t.loans.is_empty() {
        let split = shipments(t, r);
        let _ = writeln!(o, "\nrepayments by commodity:");
        if split.is_empty() {
            let goods: Vec<&str> = t.commodities.iter().map(|c| c.name.as_str()).collect();
            let _ = writeln!(
                o,
                "{}",
                grid::wrap(
                    &format!(
                        "not split: the record names the goods ({}) but cites no share, and no \
                         quantity with a price, for any of them",
                        goods.join(", ")
                    ),
                    grid::WIDTH as usize,
                    2,
                    4
                )
                .trim_end()
            );
        }
        for x in &split {
            let _ = writeln!(
                o,
                "  {:<28} {:>6.1}%  {:>12.1} thousand USD{}  ({})",
                x.name,
                x.share * 100.0,
                x.value_thousand_usd,
                x.quantity
                    .map_or(String::new(), |q| format!(", {q:.0} {}", x.unit)),
                x.basis
            );
        }
    }
    o
}

/// `airwar compare`: every effect on a campaign's totals, each with its unit and interval.
pub fn effects_table(scenario: &str, changes: &[String], effects: &[Effect], runs: u64) -> String {
    let rows: Vec<EffectRow> = effects
        .iter()
        .map(|e| EffectRow {
            label: e.metric.replace('_', " "),
            unit: airwar_campaign::metrics::Total::from_name(&e.metric)
                .map_or("", |t| t.info().unit),
            effect: Some(e),
        })
        .collect();
    effect_rows_table(scenario, changes, &rows, runs)
}

/// `airwar compare --battle`: every effect on a battle's figures (named as `replications.csv`
/// names them: `SIDE.FIGURE`, `SIDE.losses.TYPE`, `force.N.losses`, `passes`, `rounds`), each
/// side's under a row with its name, each with its unit and interval.
pub fn battle_effects_table(
    battle: &str,
    sides: &[String],
    changes: &[String],
    effects: &[Effect],
    runs: u64,
) -> String {
    let mut rows = Vec::new();
    let mut last_side = None;
    for e in effects {
        let side = sides.iter().find(|s| {
            e.metric
                .strip_prefix(s.as_str())
                .is_some_and(|r| r.starts_with('.'))
        });
        let figure = side.map_or(e.metric.as_str(), |s| &e.metric[s.len() + 1..]);
        if side.is_some() && side != last_side {
            rows.push(EffectRow {
                label: format!("{}:", side.map_or("", |s| s.as_str())),
                unit: "",
                effect: None,
            });
        }
        last_side = side;
        let (label, unit) = match figure.split('.').collect::<Vec<_>>()[..] {
            ["passes"] => ("firing passes".to_string(), "passes"),
            ["rounds"] => ("combat rounds".to_string(), "rounds"),
            ["force", n, "losses"] => (format!("force {n} losses"), "aircraft"),
            ["losses", ty] => (format!("losses of {ty}"), "aircraft"),
            [f] if f.starts_with("crew_") => (f.replace('_', " "), "crew"),
            _ if side.is_some() => (figure.replace('_', " "), "aircraft"),
            _ => (figure.replace('_', " "), ""),
        };
        rows.push(EffectRow {
            label,
            unit,
            effect: Some(e),
        });
    }
    effect_rows_table(battle, changes, &rows, runs)
}

/// One row of an effects table: a figure's label and unit, and its effect (none for a row that
/// only heads the rows under it).
#[derive(Debug, Clone)]
pub struct EffectRow<'a> {
    pub label: String,
    pub unit: &'static str,
    pub effect: Option<&'a Effect>,
}

/// A paired difference, signed, with one decimal: `+1.5`, `-0.3`, `0.0`.
fn signed(x: f64) -> String {
    let text = grid::mean(x);
    if x > 0.0 && text != "0.0" {
        format!("+{text}")
    } else {
        text
    }
}

/// The effects of a comparison (a campaign's totals or a battle's figures) as a table.
pub fn effect_rows_table(
    subject: &str,
    changes: &[String],
    rows: &[EffectRow],
    runs: u64,
) -> String {
    let title = format!(
        "{subject}: {} ({} replications per arm, common random numbers)",
        changes.join(" "),
        grid::count(runs)
    );
    let mut o = grid::wrap(&title, grid::WIDTH as usize, 0, 2);
    o.push('\n');
    let header = [
        "figure",
        "unit",
        "base\nmean",
        "changed\nmean",
        "effect\nmean",
        "effect\n95%",
        "width\npaired",
        "width\nunpaired",
    ];
    let mut t = grid::table(&header, &[2, 3, 4, 5, 6, 7]);
    for row in rows {
        let mut cells = vec![row.label.clone(), row.unit.to_string()];
        if let Some(e) = row.effect {
            let d = &e.difference;
            cells.extend([
                grid::mean(e.base),
                grid::mean(e.alternative),
                signed(d.mean),
                format!("{} to {}", signed(d.lo), signed(d.hi)),
                format!("{:.2}", e.width_paired),
                format!("{:.2}", e.width_independent),
            ]);
        }
        t.add_row(cells);
    }
    o.push_str(&grid::render(&t));
    o.push('\n');
    o.push_str(&grid::wrap(
        "effect: the changed arm's mean less the base arm's, with its 95% interval; width \
         paired: that interval's width with common random numbers; unpaired: its width had the \
         arms been run on independent streams.",
        grid::WIDTH as usize,
        0,
        2,
    ));
    o
}
