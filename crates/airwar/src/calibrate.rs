//! Use case: calibration. Fit the global model parameters to the observed battles, or the
//! campaign parameters to the theatres' recorded totals, and give the parameter file to write.
//!
//! Data flow: [`CalibrateRequest`] → its [`RunInputs`] loaded → the battles ([`select_battles`])
//! → the fit (`airwar-calibration`) → [`Calibration`]: the fit and the file's text, which carries the
//! provenance in a `[provenance]` table.

use airwar_calibration::campaign_fit::CampaignFit;
use airwar_calibration::fit::FitResult;
use airwar_campaign::CampaignParameters;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::inputs::{params_sha256, RunInputs};
use crate::provenance::Provenance;
use crate::validate::{pool, select_battles, BattleSelection, CampaignFitSettings, FitSettings};

/// A battle fit, as asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalibrateRequest {
    pub selection: BattleSelection,
    pub fit: FitSettings,
    /// The seed, the base parameters (the unfitted ones are kept from here) and the user's
    /// aircraft files.
    #[serde(flatten)]
    pub inputs: RunInputs,
}

/// A campaign fit, as asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignCalibrateRequest {
    pub fit: CampaignFitSettings,
    /// The seed, the model parameters the campaigns' engagements use and the user's aircraft
    /// files.
    #[serde(flatten)]
    pub inputs: RunInputs,
}

/// A finished fit: what was found, and the parameter file to write.
#[derive(Debug, Clone)]
pub struct Calibration<F> {
    pub fit: F,
    /// The parameter file, with its `[provenance]` table.
    pub text: String,
    pub provenance: Provenance,
}

/// Fit the global model parameters; `progress` hears how many parameter sets were scored.
pub fn calibrate(
    request: &CalibrateRequest,
    threads: Option<usize>,
    command: &str,
    progress: &(dyn Fn(usize) + Sync),
) -> Result<Calibration<FitResult>> {
    let mut inputs = request.inputs.load()?;
    let battles = select_battles(&mut inputs, &request.selection)?;
    let base = inputs.model_parameters(request.inputs.params.as_deref())?;
    let fit = airwar_calibration::fit::fit(
        &battles,
        &inputs.library.aircraft,
        &base,
        request.fit.config(request.inputs.seed, threads),
        progress,
    )?;
    let provenance = inputs.provenance(
        command,
        request.inputs.seed,
        Vec::new(),
        params_sha256(&base, None),
        None,
    );
    let record = airwar_calibration::record::CalibrationRecord::from_fit(&fit);
    let text = airwar_calibration::record::to_toml(&fit.parameters, &record);
    Ok(Calibration {
        text: with_provenance(text, &provenance)?,
        fit,
        provenance,
    })
}

/// Fit the campaign model's unknown inputs to every theatre's recorded totals.
pub fn calibrate_campaign(
    request: &CampaignCalibrateRequest,
    threads: Option<usize>,
    command: &str,
) -> Result<Calibration<CampaignFit>> {
    let mut inputs = request.inputs.load()?;
    let params = inputs.model_parameters(request.inputs.params.as_deref())?;
    let base = CampaignParameters::default();
    let fit = pool(threads)?.install(|| {
        airwar_calibration::campaign_fit::fit_campaign(
            &inputs.library,
            &params,
            &base,
            request.fit.config(request.inputs.seed),
            &[],
        )
    })?;
    let provenance = inputs.provenance(
        command,
        request.inputs.seed,
        Vec::new(),
        params_sha256(&params, Some(&base)),
        None,
    );
    let text = airwar_calibration::campaign_fit::to_toml(&fit)?;
    Ok(Calibration {
        text: with_provenance(text, &provenance)?,
        fit,
        provenance,
    })
}

/// A parameter file's text with the provenance appended as a `[provenance]` table.
fn with_provenance(text: String, provenance: &Provenance) -> Result<String> {
    #[derive(Serialize)]
    struct Table<'a> {
        provenance: &'a Provenance,
    }
    let table = toml::to_string(&Table { provenance }).map_err(|e| Error::Output(e.to_string()))?;
    Ok(format!("{}\n{table}", text.trim_end()))
}
