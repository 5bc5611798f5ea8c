//! Counterfactuals: changing any scenario value or model parameter, and comparing two arms on
//! common random numbers.
//!
//! A change is written `PATH=VALUE`:
//! - `params.NAME=VALUE` sets an engagement-model parameter, `campaign.NAME=VALUE` a campaign
//!   parameter (unknown names get a "did you mean").
//! - Any other path walks the theatre file: `routes[id=alma-ata-lanzhou].transit_days=3`
//!   (the path syntax, shared with engagement files, is `airwar_scenario::change`). The file's
//!   text is edited in place and checked exactly like a file on disk; an error is located in
//!   the file as written or in the change that caused it.

use airwar_model::ModelParameters;
use airwar_scenario::change::{load_changed, set_field, ChangeError};
use airwar_scenario::{Library, Theatre};
use serde::Serialize;

use crate::params::CampaignParameters;
use crate::CampaignError;

/// One `PATH=VALUE` change (the path machinery is `airwar_scenario::change`, shared with
/// engagement files).
pub use airwar_scenario::change::Change;

impl From<ChangeError> for CampaignError {
    fn from(e: ChangeError) -> Self {
        CampaignError::Set(e.0)
    }
}

/// Apply changes to parameters in place; returns the changes left for the theatre.
pub fn apply_parameter_changes(
    changes: &[Change],
    params: &mut ModelParameters,
    cparams: &mut CampaignParameters,
) -> Result<Vec<Change>, CampaignError> {
    let mut rest = Vec::new();
    for c in changes {
        if let Some(name) = c.path.strip_prefix("params.") {
            *params = set_field(params, name, &c.value, &c.path)?;
            params
                .validate()
                .map_err(|e| CampaignError::Set(format!("`{}`: {e}", c.path)))?;
        } else if let Some(name) = c.path.strip_prefix("campaign.") {
            *cparams = set_field(cparams, name, &c.value, &c.path)?;
            // Setting a fitted parameter fixes it: its fitted spread no longer applies.
            cparams.fix(name);
            cparams
                .validate()
                .map_err(|e| CampaignError::Set(format!("`{}`: {e}", c.path)))?;
        } else {
            rest.push(c.clone());
        }
    }
    Ok(rest)
}

/// Apply theatre changes to the text of a theatre file (in place, so its layout and line
/// numbers stay) and check the result like a file: an error is located in the file as written
/// or in the change that caused it.
pub fn apply_theatre_changes(
    lib: &mut Library,
    name: &str,
    text: &str,
    changes: &[Change],
) -> Result<Theatre, CampaignError> {
    load_changed(name, text, changes, |n, t| lib.load_theatre(n, t, false))?
        .map_err(|e| CampaignError::Data(e.to_string()))
}

/// A named counterfactual: the question it answers and the changes it makes.
#[derive(Debug, Clone, Serialize)]
pub struct Counterfactual {
    pub name: &'static str,
    pub scenario: &'static str,
    pub question: &'static str,
    /// The changes, as `PATH=VALUE`; `{withdrawal-365}` stands for the withdrawal date a year
    /// earlier (filled from the data).
    pub changes: &'static [&'static str],
}

pub const COUNTERFACTUALS: &[Counterfactual] = &[
    Counterfactual {
        name: "korea-no-coast-rule",
        scenario: "korea-1950",
        question: "What did the rule against flying near the coast and the front line cost the 64th Fighter Corps in losses and kills, and what did it buy in secrecy?",
        changes: &["rules[kind=no-fly-area]=none"],
    },
    Counterfactual {
        name: "korea-shared-radio-language",
        scenario: "korea-1950",
        question: "Had the Soviet pilots been free to speak Russian on the radio, how much friendly fire would they have been spared, and how much sooner would their presence have been proven?",
        changes: &["rules[kind=radio-language]=none"],
    },
    Counterfactual {
        name: "china-unlimited-route",
        scenario: "china-1937",
        question: "Had the Alma Ata to Lanzhou route carried aircraft as fast as they were sent, how much more could the Soviet Volunteer Group have fought and claimed?",
        changes: &["routes.capacity_aircraft_per_month=100000"],
    },
    Counterfactual {
        name: "china-early-withdrawal",
        scenario: "china-1937",
        question: "What if the Soviet Volunteer Group had been withdrawn a year earlier: how many fewer Japanese aircraft destroyed, and how many Soviet pilots spared?",
        changes: &["events[kind=withdrawal].date={withdrawal-365}"],
    },
];

/// The named counterfactual `name`, with its changes resolved against `theatre`.
pub fn named(name: &str, theatre: &Theatre) -> Result<Vec<Change>, CampaignError> {
    let cf = COUNTERFACTUALS
        .iter()
        .find(|c| c.name == name)
        .ok_or_else(|| {
            let hint =
                airwar_scenario::error::closest(name, COUNTERFACTUALS.iter().map(|c| c.name))
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
            CampaignError::Counterfactual(format!(
                "no counterfactual `{name}`{hint}; `airwar counterfactuals` lists them"
            ))
        })?;
    if cf.scenario != theatre.id {
        return Err(CampaignError::Counterfactual(format!(
            "the counterfactual `{name}` is a question about {}, not {}; run it with `airwar \
             compare {} --counterfactual {name}`",
            cf.scenario, theatre.id, cf.scenario
        )));
    }
    let withdrawal = theatre
        .events
        .iter()
        .filter(|e| e.kind == airwar_scenario::theatre::EventKind::Withdrawal)
        .map(|e| e.date.value)
        .min()
        .unwrap_or(theatre.end.value)
        .day_number();
    let withdrawal = crate::dates::date_of(withdrawal - 365);
    cf.changes
        .iter()
        .map(|c| {
            c.replace("{withdrawal-365}", &format!("\"{withdrawal}\""))
                .parse()
                .map_err(CampaignError::from)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_changes_are_checked() {
        let (mut p, mut c) = (ModelParameters::default(), CampaignParameters::default());
        let rest = apply_parameter_changes(
            &[
                "params.lethality=0.01".parse().unwrap(),
                "routes.t=1".parse().unwrap(),
            ],
            &mut p,
            &mut c,
        )
        .unwrap();
        assert_eq!(p.lethality, 0.01);
        assert_eq!(rest.len(), 1);
        let err = apply_parameter_changes(&["params.lethalty=1".parse().unwrap()], &mut p, &mut c)
            .unwrap_err()
            .to_string();
        assert!(err.contains("did you mean `lethality`"), "{err}");
        assert!(apply_parameter_changes(
            &["params.crew_survival=3".parse().unwrap()],
            &mut p,
            &mut c
        )
        .is_err());
    }

    #[test]
    fn setting_the_contact_share_fixes_it() {
        let (mut p, mut c) = (ModelParameters::default(), CampaignParameters::default());
        c.posterior = vec![crate::params::PosteriorDraw {
            weight: 1.0,
            values: [("contact_share".to_string(), 0.05)].into(),
            log_likelihood: Default::default(),
        }];
        apply_parameter_changes(
            &["campaign.contact_share=0.3".parse().unwrap()],
            &mut p,
            &mut c,
        )
        .unwrap();
        assert_eq!(c.for_replication(0.99).contact_share, 0.3);
    }
}
