//! Use case: the multi-resolution check. A Lanchester model fitted to each battle's simulated
//! outcome, and what it gets wrong.

use airwar_calibration::aggregation::AggregationCheck;
use airwar_scenario::Engagement;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::inputs::RunInputs;

/// Which battles to check, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AggregationRequest {
    /// Built-in battle ids (empty: every built-in battle).
    pub battles: Vec<String>,
    pub runs: u64,
    #[serde(flatten)]
    pub inputs: RunInputs,
}

/// Check every chosen battle in which both sides fly.
pub fn aggregation(request: &AggregationRequest) -> Result<Vec<AggregationCheck>> {
    let mut inputs = request.inputs.load()?;
    let params = inputs.model_parameters(request.inputs.params.as_deref())?;
    let lib = &inputs.library;
    let battles: Vec<&Engagement> = if request.battles.is_empty() {
        lib.battles.iter().collect()
    } else {
        request
            .battles
            .iter()
            .map(|id| {
                lib.battle(id).ok_or_else(|| Error::UnknownBattle {
                    id: id.clone(),
                    suggestion: lib.suggest_battle(id).map(str::to_string),
                })
            })
            .collect::<Result<_>>()?
    };
    Ok(battles
        .iter()
        .filter(|b| b.sides.iter().all(|s| s.airborne() > 0))
        .map(|b| {
            airwar_calibration::aggregation::check(
                b,
                &lib.aircraft,
                &params,
                request.runs,
                request.inputs.seed,
            )
        })
        .collect::<Result<Vec<_>, _>>()?)
}
