//! What one replication says about an observed figure.
//!
//! Each `[[observed]]` row of an engagement names a side, a metric (losses or claims), where
//! (air or ground) and optionally a type. [`observed_value`] reads the same figure off one
//! replication's outcome, so the model's distribution for it can be set beside the record. It is
//! the one place where that mapping lives: the runner, validation and calibration all use it.

use airwar_scenario::engagement::Observation;
use airwar_scenario::{ObservedMetric, Where};

use super::prepare::PreparedEngagement;
use super::simulate::EngagementOutcome;

/// The replication's value of an observed figure, or None when the model does not produce it
/// (ground claims split by type).
pub fn observed_value(
    p: &PreparedEngagement,
    out: &EngagementOutcome,
    o: &Observation,
) -> Option<u32> {
    let side = o.side;
    match (o.metric, o.where_, &o.type_id) {
        (ObservedMetric::Losses, _, Some(type_id)) => {
            let forces: u32 = out
                .forces
                .iter()
                .zip(&p.forces)
                .filter(|(_, f)| f.side == side && &f.type_id == type_id)
                .map(|(c, _)| match o.where_ {
                    Where::Air => c.losses() - c.destroyed_on_ground,
                    Where::Ground => c.destroyed_on_ground,
                })
                .sum();
            let parked: u32 = out
                .parked
                .iter()
                .zip(&p.parked)
                .filter(|(_, g)| g.0 == side && &g.2 == type_id && o.where_ == Where::Ground)
                .map(|(c, _)| c.destroyed_on_ground)
                .sum();
            Some(forces + parked)
        }
        (ObservedMetric::Losses, Where::Air, None) => Some(
            out.forces
                .iter()
                .zip(&p.forces)
                .filter(|(_, f)| f.side == side)
                .map(|(c, _)| c.losses() - c.destroyed_on_ground)
                .sum(),
        ),
        (ObservedMetric::Losses, Where::Ground, None) => Some(
            out.forces
                .iter()
                .zip(&p.forces)
                .filter(|(_, f)| f.side == side)
                .map(|(c, _)| c.destroyed_on_ground)
                .sum::<u32>()
                + out
                    .parked
                    .iter()
                    .zip(&p.parked)
                    .filter(|(_, g)| g.0 == side)
                    .map(|(c, _)| c.destroyed_on_ground)
                    .sum::<u32>(),
        ),
        // Claims of one type: those the side made against the other side's aircraft of it.
        (ObservedMetric::Claims, Where::Air, Some(type_id)) => Some(
            out.claims_against
                .iter()
                .zip(&p.forces)
                .filter(|(_, f)| f.side != side && &f.type_id == type_id)
                .map(|(c, _)| *c)
                .sum(),
        ),
        // Ground claims are not split by type: the model's bombs do not tell types apart.
        (ObservedMetric::Claims, Where::Ground, Some(_)) => None,
        (ObservedMetric::Claims, Where::Air, None) => Some(out.claims[side]),
        (ObservedMetric::Claims, Where::Ground, None) => Some(out.ground_claims[side]),
    }
}

/// A short label for an observed figure, e.g. `losses air Imperial Japanese Navy G3M`.
pub fn observation_label(e: &airwar_scenario::Engagement, o: &Observation) -> String {
    let metric = match o.metric {
        ObservedMetric::Losses => "losses",
        ObservedMetric::Claims => "claims",
    };
    let place = match o.where_ {
        Where::Air => "air",
        Where::Ground => "ground",
    };
    let mut label = format!("{metric} {place} {}", e.sides[o.side].name);
    if let Some(t) = &o.type_id {
        label.push(' ');
        label.push_str(t);
    }
    label
}
