//! The HTML page around the figures: a style sheet inline, no script, sections with anchors,
//! the timeline's table, the provenance block and the sources cited.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use airwar_scenario::source::{Source, SourceRegistry};
use airwar_scenario::Engagement;

use crate::svg::esc;
use crate::{timeline, BattleReportInput, CampaignReportInput, Figure, ValidationRows};

const STYLE: &str = "body{font-family:sans-serif;max-width:1000px;margin:1em auto;padding:0 1em;color:#222;line-height:1.4}\
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}\
figure{margin:1em 0}figcaption{font-size:.9em;color:#444;max-width:960px}\
svg.chart{max-width:100%;height:auto;display:block}\
table{border-collapse:collapse;font-size:.85em}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top;overflow-wrap:anywhere}\
nav a{margin-right:1em}code{font-size:.95em}.muted{color:#666}\
.grid{display:flex;flex-wrap:wrap;gap:0 16px}.grid figure{max-width:520px}";

fn head(out: &mut String, title: &str) {
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(title)
    );
}

fn figure(out: &mut String, f: &Figure) {
    let _ = write!(
        out,
        "<figure id=\"fig-{}\">\n{}<figcaption>{}</figcaption>\n</figure>\n",
        esc(&f.id),
        f.svg,
        esc(&f.caption)
    );
}

fn figures_with_prefix(out: &mut String, figures: &[Figure], prefix: &str) {
    for f in figures.iter().filter(|f| f.id.starts_with(prefix)) {
        figure(out, f);
    }
}

/// The provenance block: each field of the JSON object in a row.
fn provenance(out: &mut String, p: Option<&serde_json::Value>) {
    out.push_str("<h2 id=\"provenance\">Provenance</h2>\n");
    let Some(p) = p else {
        out.push_str("<p class=\"muted\">No provenance was given to the report.</p>\n");
        return;
    };
    let Some(fields) = p.as_object() else {
        let _ = writeln!(out, "<pre>{}</pre>", esc(&p.to_string()));
        return;
    };
    out.push_str("<table>\n");
    // serde_json's map keeps its keys sorted (no preserve_order feature): same bytes each time.
    for (k, v) in fields {
        let text = match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Array(a) if a.is_empty() => "none".to_string(),
            serde_json::Value::Array(a) => a
                .iter()
                .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_string))
                .collect::<Vec<_>>()
                .join("; "),
            other => other.to_string(),
        };
        let _ = writeln!(
            out,
            "<tr><th>{}</th><td><code>{}</code></td></tr>",
            esc(k),
            esc(&text)
        );
    }
    out.push_str("</table>\n");
}

/// What the validation section says about held-out rows: where they came from, or why there
/// are none and how to get them.
fn validation_note(out: &mut String, validation: Option<&ValidationRows>) {
    match validation {
        Some(v) if v.mode == "leave-one-out" => out.push_str("<p>Rows marked <code>[held out]</code> come from <code>airwar validate --leave-one-out --json</code>, given to the report with <code>--validation</code>: each battle predicted by the fit without its own figures, each theatre's totals by the fit without that theatre.</p>\n"),
        Some(v) => {
            let _ = writeln!(
                out,
                "<p>Rows marked <code>[{}]</code> come from a validation (mode <code>{}</code>) given to the report with <code>--validation</code>.</p>",
                v.label(),
                esc(&v.mode)
            );
        }
        None => out.push_str("<p>No leave-one-out rows: predicting each figure without its own evidence takes a refit for each battle (minutes, not seconds), so the report does not do it. Run <code>airwar validate --leave-one-out --json &gt; v.json</code> and pass <code>--validation v.json</code> to show those intervals here, marked <code>[held out]</code>.</p>\n"),
    }
}

/// Every `"source"` string in a serialised value.
fn cited_ids(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("source", serde_json::Value::String(s)) => {
                        out.insert(s.clone());
                    }
                    _ => cited_ids(x, out),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| cited_ids(x, out)),
        _ => {}
    }
}

/// The list of sources cited, with their titles and addresses.
fn bibliography(
    out: &mut String,
    ids: &BTreeSet<String>,
    local: &[&Source],
    registry: &SourceRegistry,
) {
    out.push_str("<h2 id=\"sources\">Sources cited</h2>\n<table>\n<tr><th>id</th><th>title</th><th>address</th></tr>\n");
    for id in ids {
        let found = local
            .iter()
            .copied()
            .find(|s| &s.id == id)
            .or_else(|| registry.get(id));
        let (title, url, doubtful) = match found {
            Some(s) => (s.title.clone(), s.url.clone(), s.doubtful),
            None if id.starts_with("http://") || id.starts_with("https://") => (
                "(cited by its address)".to_string(),
                Some(id.clone()),
                false,
            ),
            None => ("(not in the bibliography)".to_string(), None, false),
        };
        let link = url.map_or(String::new(), |u| {
            format!("<a href=\"{0}\" rel=\"noreferrer\">{0}</a>", esc(&u))
        });
        let _ = writeln!(
            out,
            "<tr><td><code>{}</code></td><td>{}{}</td><td>{}</td></tr>",
            esc(id),
            esc(&title),
            if doubtful { " <em>(doubtful)</em>" } else { "" },
            link
        );
    }
    out.push_str("</table>\n");
}

pub(crate) fn campaign_page(input: &CampaignReportInput, figures: &[Figure]) -> String {
    let t = input.theatre;
    let mut out = String::new();
    let title = format!("airwar report: {}", t.title);
    head(&mut out, &title);
    let _ = writeln!(
        out,
        "<h1>{}</h1>\n<p>{} to {}; {} replications of the campaign. Every mark on the map and timeline, and every recorded value on the charts, shows its source when hovered over.</p>",
        esc(&title),
        esc(&t.start.value.to_string()),
        esc(&t.end.value.to_string()),
        input.results.runs
    );
    out.push_str("<nav><a href=\"#map-section\">Map</a><a href=\"#timeline-section\">Timeline</a><a href=\"#charts\">Charts</a><a href=\"#battles\">Battles</a><a href=\"#totals\">Recorded totals</a><a href=\"#validation\">Validation</a><a href=\"#provenance\">Provenance</a><a href=\"#sources\">Sources</a></nav>\n");
    out.push_str("<h2 id=\"map-section\">Map</h2>\n");
    figures_with_prefix(&mut out, figures, "map");
    out.push_str("<h2 id=\"timeline-section\">Timeline</h2>\n");
    figures_with_prefix(&mut out, figures, "timeline");
    let engagements: Vec<&Engagement> = input.battles.iter().map(|b| b.engagement).collect();
    out.push_str("<details><summary>Every dated item, as a table</summary>\n<table>\n<tr><th>date</th><th>lane</th><th>what</th><th>source</th></tr>\n");
    for it in timeline::items(t, &engagements) {
        let _ = writeln!(
            out,
            "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&it.date.to_string()),
            it.until
                .as_ref()
                .map_or(String::new(), |u| format!(" to {}", esc(&u.to_string()))),
            timeline::LANES[it.lane],
            esc(&it.text),
            esc(&it.citation)
        );
    }
    out.push_str("</table>\n</details>\n");
    out.push_str("<h2 id=\"charts\">Charts</h2>\n");
    figures_with_prefix(&mut out, figures, "chart-");
    out.push_str("<h2 id=\"battles\">Battles</h2>\n<p>Each battle of the theatre replayed on its own: the simulated distribution of every figure history recorded for it, with the recorded value marked.</p>\n");
    for b in &input.battles {
        let e = b.engagement;
        let _ = writeln!(
            out,
            "<h3 id=\"battle-{}\">{} ({}, {} replications)</h3>\n<div class=\"grid\">",
            esc(&e.id),
            esc(&e.title),
            esc(&e.date.value.to_string()),
            b.results.runs
        );
        figures_with_prefix(&mut out, figures, &format!("battle-{}-", e.id));
        out.push_str("</div>\n");
    }
    out.push_str("<h2 id=\"totals\">Recorded totals</h2>\n<p>The theatre's totals that history records and the model produces, each beside the simulated distribution on the day it is recorded for, with every other source's value.</p>\n<div class=\"grid\">\n");
    figures_with_prefix(&mut out, figures, "total-");
    out.push_str("</div>\n<h2 id=\"validation\">Validation</h2>\n");
    out.push_str("<p>The campaign rows come from this run and the battle rows from the battles replayed for this report with the calibrated parameters (in-sample: they were fitted to these figures).</p>\n");
    validation_note(&mut out, input.validation.as_ref());
    figures_with_prefix(&mut out, figures, "forest");
    provenance(&mut out, input.provenance);
    let mut ids = BTreeSet::new();
    if let Ok(v) = serde_json::to_value(t) {
        cited_ids(&v, &mut ids);
    }
    let mut local: Vec<&Source> = t.sources.iter().collect();
    for b in &input.battles {
        if let Ok(v) = serde_json::to_value(b.engagement) {
            cited_ids(&v, &mut ids);
        }
        local.extend(b.engagement.sources.iter());
    }
    if let Some(v) = &input.validation {
        let mut about: Vec<&str> = vec![t.id.as_str()];
        about.extend(t.battles.iter().map(String::as_str));
        ids.extend(v.about(&about).into_iter().map(|r| r.source));
    }
    ids.remove("");
    bibliography(&mut out, &ids, &local, input.sources);
    out.push_str("</body>\n</html>\n");
    out
}

pub(crate) fn battle_page(input: &BattleReportInput, figures: &[Figure]) -> String {
    let e = input.battle.engagement;
    let mut out = String::new();
    let title = format!("airwar report: {}", e.title);
    head(&mut out, &title);
    let _ = writeln!(
        out,
        "<h1>{}</h1>\n<p>{} at {}; {} replications.</p>\n<p>{}</p>",
        esc(&title),
        esc(&e.date.value.to_string()),
        esc(&e.context.place),
        input.battle.results.runs,
        esc(&e.summary)
    );
    out.push_str("<nav><a href=\"#map-section\">Map</a><a href=\"#battles\">Observed figures</a><a href=\"#validation\">Validation</a><a href=\"#provenance\">Provenance</a><a href=\"#sources\">Sources</a></nav>\n");
    out.push_str("<h2 id=\"map-section\">Map</h2>\n");
    figures_with_prefix(&mut out, figures, "map");
    out.push_str("<h2 id=\"battles\">Observed figures</h2>\n<div class=\"grid\">\n");
    figures_with_prefix(&mut out, figures, "battle-");
    out.push_str("</div>\n<h2 id=\"validation\">Validation</h2>\n<p>The rows without a mark come from this report's run with the calibrated parameters (in-sample for a built-in battle: the fit used its figures).</p>\n");
    validation_note(&mut out, input.validation.as_ref());
    figures_with_prefix(&mut out, figures, "forest");
    provenance(&mut out, input.provenance);
    let mut ids = BTreeSet::new();
    if let Ok(v) = serde_json::to_value(e) {
        cited_ids(&v, &mut ids);
    }
    let local: Vec<&Source> = e.sources.iter().collect();
    bibliography(&mut out, &ids, &local, input.sources);
    out.push_str("</body>\n</html>\n");
    out
}
