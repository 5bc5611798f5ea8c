//! # airwar-outputs: what the user sees
//!
//! Turns the engine's streamed results into the JSON contracts other tools depend on
//! ([`json`]) and readable terminal tables ([`table`]). Nothing here runs a model: every function
//! takes finished results and formats them, so the same results always give the same bytes.

pub mod campaign;
pub mod csv;
pub mod grid;
pub mod json;
pub mod report;
pub mod sparkline;
pub mod table;
pub mod terminal;
pub mod text;
pub mod view;

/// One observed figure beside the model's distribution for it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Comparison {
    pub metric: String,
    #[serde(rename = "where")]
    pub where_: String,
    pub side: String,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub type_id: Option<String>,
    pub observed: u32,
    pub source: String,
    pub section: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub doubtful: bool,
    /// The model's distribution for the same figure, when the model produces it.
    pub simulated: Option<airwar_statistics::Summary>,
    /// Whether the observed value lies inside the simulated 5-95% range.
    pub inside_90: Option<bool>,
}

/// Pair every observation of an engagement with the simulated figure it corresponds to.
pub fn compare(
    e: &airwar_scenario::Engagement,
    results: &airwar_engine::EngagementResults,
) -> Vec<Comparison> {
    use airwar_scenario::{ObservedMetric, Where};
    e.observed
        .iter()
        .zip(&results.observed)
        .map(|(o, simulated)| {
            let summary = simulated.as_ref().map(|s| s.summary());
            let inside = summary.map(|s| (o.value as f64) >= s.p05 && (o.value as f64) <= s.p95);
            Comparison {
                metric: match o.metric {
                    ObservedMetric::Losses => "losses",
                    ObservedMetric::Claims => "claims",
                }
                .to_string(),
                where_: match o.where_ {
                    Where::Air => "air",
                    Where::Ground => "ground",
                }
                .to_string(),
                side: e.sides[o.side].name.clone(),
                type_id: o.type_id.clone(),
                observed: o.value,
                source: o.citation.source.clone(),
                section: o.citation.section.clone(),
                note: o.note.clone(),
                doubtful: o.doubtful,
                simulated: summary,
                inside_90: inside,
            }
        })
        .collect()
}
