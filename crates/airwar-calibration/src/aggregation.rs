//! The multi-resolution check: how much is lost by aggregating an engagement to a Lanchester
//! model.
//!
//! For each battle, the entity model is run; the attacker is Blue and the defender Red, each
//! with its airborne aircraft, breaking off where the entity model's sides do
//! (`break_off_loss_share`). The stochastic square law's rate ratio a/b (its only free
//! parameter: time scale does not change the end state) is fitted by bisection so that its mean
//! ratio of Red to Blue losses matches the entity model's. What the Lanchester model then gets
//! wrong (each side's mean and spread of losses) is the aggregation error.

use airwar_engine::{run_engagement, RunConfig};
use airwar_model::engagement::prepare;
use airwar_model::lanchester::LanchesterBattle;
use airwar_model::ModelParameters;
use airwar_scenario::{AircraftDatabase, Engagement};
use serde::Serialize;

use crate::CalibrationError;

/// One battle's comparison.
#[derive(Debug, Clone, Serialize)]
pub struct AggregationCheck {
    pub id: String,
    pub blue: u32,
    pub red: u32,
    /// Fitted Blue-to-Red rate ratio a/b.
    pub rate_ratio: f64,
    pub entity_blue_losses: [f64; 2],
    pub lanchester_blue_losses: [f64; 2],
    pub entity_red_losses: [f64; 2],
    pub lanchester_red_losses: [f64; 2],
    /// |Lanchester − entity| mean total losses, relative to the entity model's (or to 1 aircraft
    /// when the entity model loses fewer).
    pub relative_error_total: f64,
}

/// Run the check for one battle (`runs` entity replications).
pub fn check(
    e: &Engagement,
    db: &AircraftDatabase,
    params: &ModelParameters,
    runs: u64,
    seed: u64,
) -> Result<AggregationCheck, CalibrationError> {
    let p = prepare(e, db, params)?;
    let r = run_engagement(
        &p,
        RunConfig {
            runs,
            seed,
            threads: None,
            replications: None,
        },
        &|_| {},
    )?;
    let blue_side = p.attacker;
    let red_side = 1 - p.attacker;
    let blue = e.sides[blue_side].airborne();
    let red = e.sides[red_side].airborne();
    let (bl, rl) = (
        &r.sides[blue_side].air_losses,
        &r.sides[red_side].air_losses,
    );
    let entity_blue = [bl.mean(), bl.sd()];
    let entity_red = [rl.mean(), rl.sd()];
    let keep = |n: u32| ((n as f64) * (1.0 - params.break_off_loss_share)).floor() as u32;
    let battle = |ratio: f64| LanchesterBattle {
        blue,
        red,
        blue_rate: ratio,
        red_rate: 1.0,
        blue_break: keep(blue),
        red_break: keep(red),
    };
    let target = (entity_red[0] + 0.5) / (entity_blue[0] + 0.5);
    let lanchester_ratio = |ratio: f64| -> Result<(f64, f64, f64, f64), CalibrationError> {
        let s = battle(ratio).exact()?;
        Ok((
            s.blue_losses_mean,
            s.blue_losses_sd,
            s.red_losses_mean,
            s.red_losses_sd,
        ))
    };
    // Bisection on log(a/b): the Red/Blue loss ratio rises with a/b.
    let (mut lo, mut hi) = (-12.0f64, 12.0f64);
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        let (b_mean, _, r_mean, _) = lanchester_ratio(mid.exp())?;
        if (r_mean + 0.5) / (b_mean + 0.5) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let ratio = (0.5 * (lo + hi)).exp();
    let (b_mean, b_sd, r_mean, r_sd) = lanchester_ratio(ratio)?;
    let entity_total = entity_blue[0] + entity_red[0];
    Ok(AggregationCheck {
        id: e.id.clone(),
        blue,
        red,
        rate_ratio: ratio,
        entity_blue_losses: entity_blue,
        lanchester_blue_losses: [b_mean, b_sd],
        entity_red_losses: entity_red,
        lanchester_red_losses: [r_mean, r_sd],
        relative_error_total: ((b_mean + r_mean) - entity_total).abs() / entity_total.max(1.0),
    })
}
