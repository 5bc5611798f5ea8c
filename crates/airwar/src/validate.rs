//! Use case: validation. Every observed figure of the chosen battles (and the theatres'
//! recorded campaign totals) set beside the model's predictive distribution, in-sample or
//! leave-one-out.
//!
//! Data flow: [`ValidateRequest`] → [`Inputs`] → the battles ([`select_battles`]) → in-sample
//! runs, or a fit and its leave-one-out predictions (`airwar-calibration`) → each theatre's
//! campaign totals ([`validate_theatre`]) → [`ValidationRun`], with its provenance.

use std::fmt;
use std::path::PathBuf;

use airwar_calibration::campaign_fit::CampaignFitConfig;
use airwar_calibration::fit::FitConfig;
use airwar_calibration::validate::{FoldReport, Item, Validation};
use airwar_campaign::CampaignParameters;
use airwar_engine::RunConfig;
use airwar_model::ModelParameters;
use airwar_scenario::{DataErrors, Engagement, Library, Theatre};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::inputs::{params_sha256, Inputs, RunInputs};
use crate::provenance::Provenance;

/// Which battles a validation or a fit uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BattleSelection {
    /// Only the built-in battles of this theatre (None: every theatre).
    pub theatre: Option<String>,
    /// Engagement files to add (they need not be built in).
    pub files: Vec<PathBuf>,
    /// Only the files, no built-in battles.
    pub only_files: bool,
}

impl BattleSelection {
    /// The built-in battles of `theatre` as a front end names it (a theatre id, or `all` for
    /// every theatre), with the engagement `files` added (or, `only_files`, the files alone).
    pub fn new(theatre: &str, files: Vec<PathBuf>, only_files: bool) -> Self {
        BattleSelection {
            theatre: (theatre != "all").then(|| theatre.to_string()),
            files,
            only_files,
        }
    }
}

/// The settings of a battle fit (tempered SMC).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FitSettings {
    /// Parameter sets carried through the fit.
    pub particles: usize,
    /// Metropolis moves per particle at each tempering stage.
    pub moves: usize,
    /// Replications of each battle for each parameter set.
    pub runs: u64,
}

impl FitSettings {
    pub fn new(particles: usize, moves: usize, runs: u64) -> Self {
        FitSettings {
            particles,
            moves,
            runs,
        }
    }

    pub fn config(&self, seed: u64, threads: Option<usize>) -> FitConfig {
        FitConfig {
            particles: self.particles,
            moves: self.moves,
            runs: self.runs,
            seed,
            threads,
        }
    }
}

/// The settings of a campaign fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignFitSettings {
    /// Campaign replications per theatre and parameter set.
    pub runs: u64,
    pub particles: usize,
    pub moves: usize,
}

impl CampaignFitSettings {
    pub fn new(runs: u64, particles: usize, moves: usize) -> Self {
        CampaignFitSettings {
            runs,
            particles,
            moves,
        }
    }

    pub fn config(&self, seed: u64) -> CampaignFitConfig {
        CampaignFitConfig {
            particles: self.particles,
            moves: self.moves,
            runs: self.runs,
            seed,
        }
    }
}

/// A validation, as asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidateRequest {
    pub selection: BattleSelection,
    /// Refit without each battle (and theatre) in turn and predict it.
    pub leave_one_out: bool,
    /// The fit (leave-one-out only).
    pub fit: FitSettings,
    /// Replications per battle (in-sample only).
    pub runs: u64,
    /// The seed, the parameter file and the user's aircraft files.
    #[serde(flatten)]
    pub inputs: RunInputs,
    /// Campaign replications for the theatres' totals (0 leaves them out).
    pub campaign_runs: u64,
    /// The campaign refits leave-one-theatre-out needs where reweighting cannot be trusted.
    pub campaign_fit: CampaignFitSettings,
}

/// A finished validation.
#[derive(Debug, Clone)]
pub struct ValidationRun {
    pub validation: Validation,
    pub provenance: Provenance,
}

/// A stage of a long validation worth telling the user about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stage {
    /// Refitting the battle parameters without battle `id` (the `done`-th of `of`).
    RefitBattle { id: String, done: usize, of: usize },
    /// Refitting the campaign parameters without theatre `id`.
    RefitTheatre { id: String },
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stage::RefitBattle { id, done, of } => {
                write!(f, "refitting without {id} ({done} of {of})")
            }
            Stage::RefitTheatre { id } => write!(f, "refitting the campaign without {id}"),
        }
    }
}

/// How a long use case reports: parameter sets scored so far, and stages.
pub struct Progress<'a> {
    pub scored: &'a (dyn Fn(usize) + Sync),
    pub stage: &'a (dyn Fn(&Stage) + Sync),
}

impl Progress<'_> {
    /// Report nothing.
    pub fn silent() -> Progress<'static> {
        Progress {
            scored: &|_| {},
            stage: &|_| {},
        }
    }
}

/// The battles a validation or fit uses: the built-in battles of the theatre that record an
/// outcome, then the selection's files (each checked against the library).
pub fn select_battles(inputs: &mut Inputs, sel: &BattleSelection) -> Result<Vec<Engagement>> {
    let theatre_battles: Option<Vec<String>> = match &sel.theatre {
        None => None,
        Some(id) => Some(theatre(&inputs.library, id)?.battles.clone()),
    };
    let mut battles: Vec<Engagement> = if sel.only_files {
        Vec::new()
    } else {
        inputs
            .library
            .battles
            .iter()
            .filter(|b| {
                theatre_battles
                    .as_ref()
                    .is_none_or(|ids| ids.contains(&b.id))
            })
            .filter(|b| !b.observed.is_empty())
            .cloned()
            .collect()
    };
    let mut errors = Vec::new();
    for path in &sel.files {
        let text = inputs.read(path)?;
        let name = path.display().to_string();
        match inputs.library.load_engagement(&name, &text, false) {
            Ok(e) => battles.push(e),
            Err(e) => errors.extend(e.0),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Data {
            what: "the battle files".into(),
            errors: DataErrors(errors),
        });
    }
    if battles.is_empty() {
        return Err(Error::NoBattles);
    }
    Ok(battles)
}

/// The built-in theatre `id`, or an error listing them.
pub fn theatre<'l>(lib: &'l Library, id: &str) -> Result<&'l Theatre> {
    lib.theatre(id).ok_or_else(|| Error::UnknownTheatre {
        id: id.to_string(),
        known: lib.theatres.iter().map(|t| t.id.clone()).collect(),
    })
}

/// A worker pool of `threads` (None: every core).
pub(crate) fn pool(threads: Option<usize>) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::Threads(e.to_string()))
}

/// Run the validation; `command` is recorded in the provenance.
pub fn validate(
    request: &ValidateRequest,
    threads: Option<usize>,
    command: &str,
    progress: &Progress,
) -> Result<ValidationRun> {
    use airwar_scenario::limits::{check, MAX_FIT_RUNS};
    // Sizes first, before anything is read or run.
    if !request.leave_one_out {
        if request.runs == 0 {
            return Err(Error::Limit(
                "replications per battle must be at least 1".into(),
            ));
        }
        check("replications per battle", request.runs, MAX_FIT_RUNS).map_err(Error::Limit)?;
    }
    check(
        "campaign replications per theatre",
        request.campaign_runs,
        MAX_FIT_RUNS,
    )
    .map_err(Error::Limit)?;
    let mut inputs = request.inputs.load()?;
    let battles = select_battles(&mut inputs, &request.selection)?;
    // The battles the parameters in use were fitted to are scored in-sample.
    let (params, fitted_to) =
        inputs.model_parameters_with_record(request.inputs.params.as_deref())?;
    let fitted_to = fitted_to.map(|r| r.battles).unwrap_or_default();
    let cparams = inputs.campaign_parameters()?;
    let pool = pool(threads)?;
    let lib = &inputs.library;
    let validation = if request.leave_one_out {
        let config = request.fit.config(request.inputs.seed, threads);
        let fit = airwar_calibration::fit::fit(
            &battles,
            &lib.aircraft,
            &params,
            config,
            progress.scored,
        )?;
        pool.install(|| {
            airwar_calibration::validate::validate_leave_one_out(
                &fit,
                &battles,
                &lib.aircraft,
                &params,
                config,
                &|id, done, of| {
                    (progress.stage)(&Stage::RefitBattle {
                        id: id.to_string(),
                        done,
                        of,
                    })
                },
            )
        })?
    } else {
        pool.install(|| {
            airwar_calibration::validate::validate(
                &battles,
                &lib.aircraft,
                &params,
                request.runs,
                request.inputs.seed,
                &fitted_to,
            )
        })?
    };
    let validation = if request.campaign_runs > 0 && !request.selection.only_files {
        let (mut items, mut folds) = (Vec::new(), Vec::new());
        for t in lib.theatres.iter().filter(|t| {
            request
                .selection
                .theatre
                .as_ref()
                .is_none_or(|id| *id == t.id)
        }) {
            let (i, f) = pool.install(|| {
                validate_theatre(lib, t, &params, &cparams, request, threads, progress)
            })?;
            items.extend(i);
            folds.extend(f);
        }
        airwar_calibration::validate::extend(validation, items, folds)
    } else {
        validation
    };
    let provenance = inputs.provenance(
        command,
        request.inputs.seed,
        Vec::new(),
        params_sha256(&params, Some(&cparams)),
        None,
    );
    Ok(ValidationRun {
        validation,
        provenance,
    })
}

/// A theatre's campaign totals beside the totals history records, as validation items: with
/// the embedded posterior `embedded` (in-sample), or with the theatre left out of it
/// (leave-one-out; refitted without the theatre where PSIS says the reweighting cannot be
/// trusted).
pub fn validate_theatre(
    lib: &Library,
    theatre: &Theatre,
    params: &ModelParameters,
    embedded: &CampaignParameters,
    request: &ValidateRequest,
    threads: Option<usize>,
    progress: &Progress,
) -> Result<(Vec<Item>, Vec<FoldReport>)> {
    use airwar_calibration::campaign_validate::{campaign_items, held_out_parameters};
    let config = RunConfig {
        runs: request.campaign_runs,
        seed: request.inputs.seed,
        threads,
        replications: None,
    };
    let (cparams, fitted_here, fold) = if request.leave_one_out {
        match held_out_parameters(embedded, &theatre.id) {
            Some((held, k, ess)) => {
                let refitted = airwar_calibration::psis::needs_refit(k, embedded.posterior.len());
                let cparams = if refitted {
                    (progress.stage)(&Stage::RefitTheatre {
                        id: theatre.id.clone(),
                    });
                    let others: Vec<String> = lib
                        .theatres
                        .iter()
                        .filter(|t| t.id != theatre.id)
                        .map(|t| t.id.clone())
                        .collect();
                    airwar_calibration::campaign_fit::fit_campaign(
                        lib,
                        params,
                        &CampaignParameters::default(),
                        request.campaign_fit.config(request.inputs.seed),
                        &others,
                    )?
                    .parameters
                } else {
                    held
                };
                let fold = FoldReport {
                    id: theatre.id.clone(),
                    kind: "theatre",
                    pareto_k: k,
                    effective_sample_size: ess,
                    refitted,
                };
                (cparams, false, Some(fold))
            }
            None => (embedded.clone(), false, None),
        }
    } else {
        let fitted_here = embedded
            .posterior
            .iter()
            .any(|d| d.log_likelihood.contains_key(&theatre.id));
        (embedded.clone(), fitted_here, None)
    };
    let campaign = airwar_campaign::Campaign::new(theatre, lib, params, &cparams)?;
    let results = airwar_campaign::run_campaign(&campaign, config, false, &|_| {})?;
    Ok((
        campaign_items(
            &campaign,
            theatre,
            &results,
            fitted_here,
            &airwar_calibration::campaign_validate::record_discrepancy_draws(&cparams),
        ),
        fold.into_iter().collect(),
    ))
}
