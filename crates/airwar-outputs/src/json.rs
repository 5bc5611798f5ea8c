//! The JSON contracts. Field names here are promises to other tools: add fields freely, never
//! rename or remove one.

use airwar_engine::{EngagementResults, LanchesterResults};
use airwar_model::engagement::{Fate, PreparedEngagement};
use airwar_model::lanchester::{DeterministicOutcome, ExactSolution, LanchesterBattle};
use airwar_scenario::Engagement;
use serde_json::{json, Map, Value};

use crate::compare;

/// `airwar engage FILE --json` and `airwar battle ID --json`.
pub fn engagement(
    e: &Engagement,
    p: &PreparedEngagement,
    r: &EngagementResults,
    seed: u64,
) -> Value {
    let sides: Vec<Value> = e
        .sides
        .iter()
        .enumerate()
        .map(|(si, side)| {
            let res = &r.sides[si];
            let mut by_type = Map::new();
            for (id, t) in &res.by_type {
                by_type.insert(
                    id.clone(),
                    json!({ "initial": t.initial, "losses": t.losses.summary() }),
                );
            }
            let mut fates = Map::new();
            for (k, fate) in Fate::ALL.iter().enumerate() {
                let total: u64 = r
                    .forces
                    .iter()
                    .zip(&p.forces)
                    .filter(|(_, f)| f.side == si)
                    .map(|(fr, _)| fr.fates[k])
                    .sum();
                fates.insert(fate.name().to_string(), json!(total as f64 / r.runs as f64));
            }
            json!({
                "name": side.name,
                "nation": side.nation,
                "markings": side.markings,
                "posture": side.posture,
                "initial": side.airborne(),
                "parked": side.parked.iter().map(|x| x.count.value).sum::<u32>(),
                "losses": res.losses.summary(),
                "air_losses": res.air_losses.summary(),
                "ground_losses": res.ground_losses.summary(),
                "friendly_fire_losses": res.friendly_fire_losses.summary(),
                "claims": res.claims.summary(),
                "ground_claims": res.ground_claims.summary(),
                "crew": {
                    "killed": res.crew_killed.summary(),
                    "captured": res.crew_captured.summary(),
                    "recovered": res.crew_recovered.summary(),
                },
                "fates_mean": fates,
                "by_type": by_type,
            })
        })
        .collect();
    let mut out = json!({
        "id": e.id,
        "title": e.title,
        "date": e.date.value,
        "runs": r.runs,
        "seed": seed,
        "sides": sides,
        "passes_per_run": r.passes as f64 / r.runs as f64,
        "rounds": r.rounds.summary(),
    });
    if !e.observed.is_empty() {
        out["observed"] = serde_json::to_value(compare(e, r)).unwrap_or(Value::Null);
    }
    out
}

/// `airwar battles --json`.
pub fn battle_list(battles: &[Engagement]) -> Value {
    Value::Array(
        battles
            .iter()
            .map(|b| {
                json!({
                    "id": b.id,
                    "date": b.date.value,
                    "title": b.title,
                    "mission": b.mission.name(),
                    "aircraft": b.airborne(),
                })
            })
            .collect(),
    )
}

/// `airwar lanchester --exact --json`.
pub fn lanchester_exact(b: &LanchesterBattle, s: &ExactSolution) -> Value {
    json!({
        "method": "exact",
        "battle": b,
        "blue_losses_mean": s.blue_losses_mean,
        "red_losses_mean": s.red_losses_mean,
        "blue_losses_sd": s.blue_losses_sd,
        "red_losses_sd": s.red_losses_sd,
        "p_blue_wins": s.p_blue_wins,
        "total_probability": s.total_probability,
    })
}

/// `airwar lanchester --runs N --json`.
pub fn lanchester_monte_carlo(b: &LanchesterBattle, r: &LanchesterResults, seed: u64) -> Value {
    json!({
        "method": "monte-carlo",
        "battle": b,
        "runs": r.runs,
        "seed": seed,
        "blue_losses_mean": r.blue_losses.mean(),
        "red_losses_mean": r.red_losses.mean(),
        "blue_losses_se": r.blue_losses.se(),
        "red_losses_se": r.red_losses.se(),
        "blue_losses": r.blue_losses.summary(),
        "red_losses": r.red_losses.summary(),
        "p_blue_wins": r.p_blue_wins(),
        "p_blue_wins_se": r.p_blue_wins_se(),
        "events": r.events,
    })
}

/// `airwar lanchester --law square|linear --json`.
pub fn lanchester_deterministic(
    b: &LanchesterBattle,
    law: &str,
    o: &DeterministicOutcome,
) -> Value {
    json!({
        "method": format!("deterministic-{law}"),
        "battle": b,
        "blue_losses_mean": o.blue_losses,
        "red_losses_mean": o.red_losses,
        "p_blue_wins": if o.blue_wins { 1.0 } else { 0.0 },
    })
}
