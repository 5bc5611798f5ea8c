//! Parameter files: the model parameters, and, for a calibrated set, where they came from.
//!
//! A parameter file is TOML. Either bare parameter fields (any subset; the rest keep their
//! defaults), or a `[parameters]` table beside a `[calibration]` table recording the method,
//! the battles used, the seed, the version and each fitted parameter's posterior range.
//! `data/parameters.toml` is such a file, written by `airwar calibrate`; it is embedded and is
//! what every command uses unless `--params` says otherwise.

use std::collections::BTreeMap;

use airwar_model::ModelParameters;
use serde::{Deserialize, Serialize};

use crate::fit::{FitResult, ParameterRange, FITTED};

/// Where a calibrated parameter set came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrationRecord {
    pub method: String,
    pub airwar_version: String,
    pub seed: u64,
    pub particles: usize,
    /// Metropolis moves per particle per tempering stage.
    pub moves: usize,
    pub stages: usize,
    pub acceptance: f64,
    pub runs_per_battle: u64,
    pub effective_sample_size: f64,
    pub battles: Vec<String>,
    /// Posterior mean and 5/50/95% quantiles of each fitted parameter.
    pub ranges: BTreeMap<String, RangeRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeRecord {
    pub mean: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
    /// The prior range searched.
    pub prior: [f64; 2],
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FullFile {
    parameters: ModelParameters,
    #[serde(default)]
    calibration: Option<CalibrationRecord>,
    /// What produced the file (written by `airwar calibrate`; not read back).
    #[serde(default, skip_serializing, rename = "provenance")]
    _provenance: Option<toml::Value>,
}

pub const METHOD: &str = "Bayesian synthetic likelihood (approximate Bayesian computation) by a sequential Monte Carlo sampler with likelihood tempering: uniform priors on the fitted parameters; each battle's observed figures scored jointly by a multivariate Student t density (4 degrees of freedom) on their simulated means and covariance; common random numbers across parameter sets; each stage keeps half the particles effective, resamples and moves them by Metropolis steps; point estimate = posterior mean";

impl CalibrationRecord {
    pub fn from_fit(fit: &FitResult) -> Self {
        let ranges = fit
            .ranges
            .iter()
            .map(|(name, r): (&&str, &ParameterRange)| {
                let prior = FITTED
                    .iter()
                    .find(|f| f.name == *name)
                    .map_or([f64::NAN, f64::NAN], |f| [f.lo, f.hi]);
                (
                    name.to_string(),
                    RangeRecord {
                        mean: r.mean,
                        p05: r.p05,
                        p50: r.p50,
                        p95: r.p95,
                        prior,
                    },
                )
            })
            .collect();
        CalibrationRecord {
            method: METHOD.to_string(),
            airwar_version: env!("CARGO_PKG_VERSION").to_string(),
            seed: fit.config.seed,
            particles: fit.config.particles,
            moves: fit.config.moves,
            stages: fit.stages,
            acceptance: fit.acceptance,
            runs_per_battle: fit.config.runs,
            effective_sample_size: fit.effective_sample_size,
            battles: fit.battle_ids.clone(),
            ranges,
        }
    }
}

/// The text of a calibrated parameter file.
pub fn to_toml(parameters: &ModelParameters, record: &CalibrationRecord) -> String {
    let file = FullFile {
        parameters: parameters.clone(),
        calibration: Some(record.clone()),
        _provenance: None,
    };
    format!(
        "# Written by `airwar calibrate`; do not edit by hand (run it again).\n{}",
        toml::to_string(&file).unwrap_or_default()
    )
}

/// Read a parameter file in either form.
pub fn parse(text: &str) -> Result<(ModelParameters, Option<CalibrationRecord>), toml::de::Error> {
    let has_table = text
        .lines()
        .any(|l| l.trim_start().starts_with("[parameters]"));
    if has_table {
        let f: FullFile = toml::from_str(text)?;
        Ok((f.parameters, f.calibration))
    } else {
        Ok((ModelParameters::from_toml(text)?, None))
    }
}

/// Read a parameter file (either form) over `base`: the values it sets replace `base`'s, the
/// rest are kept (so `--params` with a few values keeps the calibrated set for the others).
/// Unknown names and wrong types are errors, as in [`parse`].
pub fn parse_over(
    text: &str,
    base: &ModelParameters,
) -> Result<(ModelParameters, Option<CalibrationRecord>), toml::de::Error> {
    use serde::de::Error as _;
    // The strict read reports syntax errors, unknown names and wrong types with their place.
    let (_, record) = parse(text)?;
    let mut given: toml::Table = toml::from_str(text)?;
    let given = match given.remove("parameters") {
        Some(toml::Value::Table(t)) => t,
        _ => given,
    };
    let mut merged =
        toml::Table::try_from(base).map_err(|e| toml::de::Error::custom(e.to_string()))?;
    for (k, v) in given {
        merged.insert(k, v);
    }
    let parameters: ModelParameters = merged.try_into()?;
    Ok((parameters, record))
}

/// The embedded parameter file could not be read (a build with broken data).
#[derive(Debug, thiserror::Error)]
#[error("<built-in>/data/parameters.toml: {0}")]
pub struct EmbeddedParametersError(String);

/// The parameters every command uses by default: the embedded calibrated set (the code's
/// defaults only when no file is embedded). An embedded file that does not parse is an error,
/// never a silent fall-back to the defaults.
pub fn default_parameters(
) -> Result<(ModelParameters, Option<CalibrationRecord>), EmbeddedParametersError> {
    match airwar_scenario::builtin::embedded_files("parameters.toml").next() {
        Some((_, text)) => parse(text).map_err(|e| EmbeddedParametersError(e.to_string())),
        None => Ok((ModelParameters::default(), None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_forms_parse() {
        let (p, r) = parse("lethality = 0.5\n").unwrap();
        assert_eq!(p.lethality, 0.5);
        assert!(r.is_none());
        let record = CalibrationRecord {
            method: METHOD.into(),
            airwar_version: "0".into(),
            seed: 1,
            particles: 2,
            moves: 1,
            stages: 1,
            acceptance: 0.5,
            runs_per_battle: 3,
            effective_sample_size: 1.5,
            battles: vec!["a".into()],
            ranges: BTreeMap::new(),
        };
        let text = to_toml(&p, &record);
        let (back, r) = parse(&text).unwrap();
        assert_eq!(back, p);
        assert_eq!(r.unwrap(), record);
    }

    #[test]
    fn embedded_defaults_are_valid() {
        let (p, _) = default_parameters().unwrap();
        p.validate().unwrap();
    }

    #[test]
    fn a_partial_file_keeps_the_base_values() {
        let base = ModelParameters {
            lethality: 0.042,
            ..ModelParameters::default()
        };
        let (p, _) = parse_over("claim_sd = 0.3\n", &base).unwrap();
        assert_eq!(p.claim_sd, 0.3);
        assert_eq!(p.lethality, 0.042);
        let (q, _) = parse_over("[parameters]\nclaim_sd = 0.4\n", &base).unwrap();
        assert_eq!(q.claim_sd, 0.4);
        assert_eq!(q.lethality, 0.042);
        assert!(parse_over("lethalty = 0.3\n", &base).is_err());
        assert!(parse_over("lethality = \"high\"\n", &base).is_err());
    }
}
