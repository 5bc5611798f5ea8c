//! Entry points for fuzzing and property tests: each takes arbitrary bytes, runs one loader as
//! the command line does, and checks the loader's contract. A loader may accept the input or
//! refuse it with located errors; it may not panic, hang or return an error that names no
//! place. A broken contract panics here, which is what fuzzers and property tests look for.
//!
//! The cargo-fuzz targets in `fuzz/` and the property test `tests/loaders_never_panic.rs` call
//! these, so both exercise one definition of "handled well".

use std::collections::BTreeMap;
use std::sync::OnceLock;

use airwar_campaign::{Campaign, CampaignParameters};
use airwar_model::ModelParameters;
use airwar_scenario::change::{load_changed, Change};
use airwar_scenario::{DataErrors, Library};

/// The name loaders are given for fuzzed input.
pub const NAME: &str = "fuzzed.toml";

/// What a loader made of an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Accepted,
    /// Refused, with the first message.
    Refused(String),
}

struct Fixed {
    library: Library,
    battle_dates: BTreeMap<String, airwar_scenario::Date>,
    params: ModelParameters,
    cparams: CampaignParameters,
}

/// The built-in data, loaded once per process.
fn fixed() -> &'static Fixed {
    static FIXED: OnceLock<Fixed> = OnceLock::new();
    FIXED.get_or_init(|| {
        let mut inputs = crate::inputs::Inputs::load(&[]).expect("the built-in data loads");
        let params = inputs.model_parameters(None).expect("the defaults load");
        let cparams = inputs.campaign_parameters().expect("the defaults load");
        let battle_dates = airwar_scenario::builtin::battle_dates(&inputs.library.battles);
        Fixed {
            library: inputs.library,
            battle_dates,
            params,
            cparams,
        }
    })
}

/// Panics unless every error names the file and a place inside the text (or line 0 for an
/// error in a `--set` change, which has no line) and says what is wrong.
fn assert_located(text: &str, errors: &DataErrors) -> String {
    assert!(!errors.0.is_empty(), "a refusal with no error");
    let lines = text.split('\n').count();
    for e in &errors.0 {
        assert!(
            !e.message.trim().is_empty(),
            "an error with no message: {e:?}"
        );
        assert!(!e.file.is_empty(), "an error with no file: {e:?}");
        if e.line > 0 {
            assert!(
                e.line <= lines,
                "line {} of a {lines}-line text: {e:?}",
                e.line
            );
            assert!(e.column >= 1, "column 0: {e:?}");
        }
    }
    errors.0[0].message.clone()
}

fn outcome<T>(text: &str, r: Result<T, DataErrors>) -> Outcome {
    match r {
        Ok(_) => Outcome::Accepted,
        Err(e) => Outcome::Refused(assert_located(text, &e)),
    }
}

/// An engagement file, checked and, when accepted, prepared for the model.
pub fn engagement(bytes: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(bytes);
    let f = fixed();
    let lib = &f.library;
    let r = airwar_scenario::engagement::load_engagement(
        NAME,
        &text,
        &lib.aircraft,
        &lib.sources,
        false,
    );
    if let Ok(e) = &r {
        prepare_engagement(e, &text);
    }
    outcome(&text, r)
}

/// Prepare an accepted engagement: the sizes a checked file allows must be preparable.
fn prepare_engagement(e: &airwar_scenario::Engagement, text: &str) {
    let f = fixed();
    // An error is a refusal the run would report; only a panic breaks the contract.
    if e.aircraft.is_empty() {
        let _ = airwar_model::engagement::prepare(e, &f.library.aircraft, &f.params);
    } else {
        // Types the file declares join the library, as for a run.
        let mut lib = f.library.clone();
        if let Ok(e) = lib.load_engagement(NAME, text, false) {
            let _ = airwar_model::engagement::prepare(&e, &lib.aircraft, &f.params);
        }
    }
}

/// An aircraft file.
pub fn aircraft(bytes: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(bytes);
    let r = airwar_scenario::aircraft::load_aircraft(NAME, &text, &fixed().library.sources, false);
    outcome(&text, r)
}

/// A theatre file, checked and, when accepted, built into a campaign.
pub fn theatre(bytes: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(bytes);
    let f = fixed();
    let lib = &f.library;
    let r = airwar_scenario::theatre::load_theatre(
        NAME,
        &text,
        &lib.aircraft,
        &lib.sources,
        &f.battle_dates,
        false,
    );
    if let Ok(t) = &r {
        let _ = Campaign::new(t, lib, &f.params, &f.cparams);
    }
    outcome(&text, r)
}

/// A model parameter file (`--params`).
pub fn parameters(bytes: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(bytes);
    match crate::inputs::model_parameters(Some((NAME, &text))) {
        Ok(p) => {
            assert!(
                p.validate().is_ok(),
                "accepted parameters that do not validate"
            );
            Outcome::Accepted
        }
        Err(e) => {
            let m = e.to_string();
            assert!(
                m.contains(NAME),
                "a parameter error that names no file: {m}"
            );
            Outcome::Refused(m)
        }
    }
}

/// `--set` changes, one `PATH=VALUE` a line (at most 8).
fn changes(bytes: &[u8]) -> Result<Vec<Change>, Outcome> {
    let text = String::from_utf8_lossy(bytes);
    let changes: Result<Vec<Change>, _> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(8)
        .map(str::parse::<Change>)
        .collect();
    match changes {
        Ok(c) if !c.is_empty() => Ok(c),
        Ok(_) => Err(Outcome::Refused("no change".into())),
        Err(e) => Err(Outcome::Refused(e.to_string())),
    }
}

/// `--set` changes applied as `airwar battle` applies them to the Wuhan battle.
pub fn set_on_battle(bytes: &[u8]) -> Outcome {
    changes(bytes).map_or_else(|o| o, |c| set_battle(&c))
}

/// `--set` changes applied as `airwar run` applies them to the Korean theatre.
pub fn set_on_theatre(bytes: &[u8]) -> Outcome {
    changes(bytes).map_or_else(|o| o, |c| set_theatre(&c))
}

/// `--set` changes applied to a battle and to a theatre; accepted when either takes them.
pub fn set(bytes: &[u8]) -> Outcome {
    let battle = set_on_battle(bytes);
    let theatre = set_on_theatre(bytes);
    match (battle, theatre) {
        (Outcome::Accepted, _) | (_, Outcome::Accepted) => Outcome::Accepted,
        (refused, _) => refused,
    }
}

fn set_battle(changes: &[Change]) -> Outcome {
    let f = fixed();
    let mut params = f.params.clone();
    let mut figures = Vec::new();
    for c in changes {
        match c.path.strip_prefix("params.") {
            Some(name) => {
                match airwar_scenario::change::set_field(&params, name, &c.value, &c.path) {
                    Ok(p) if p.validate().is_ok() => params = p,
                    Ok(_) => return Outcome::Refused("parameter out of range".into()),
                    Err(e) => return Outcome::Refused(e.to_string()),
                }
            }
            None => figures.push(c.clone()),
        }
    }
    let (path, text) = airwar_scenario::builtin::embedded_files("battles/wuhan-1938-04-29.toml")
        .next()
        .expect("the Wuhan battle is built in");
    let lib = &f.library;
    let loaded = load_changed(path, text, &figures, |n, t| {
        airwar_scenario::engagement::load_engagement(n, t, &lib.aircraft, &lib.sources, false)
    });
    match loaded {
        Err(e) => Outcome::Refused(e.to_string()),
        Ok(Err(errors)) => Outcome::Refused(errors.0.first().map_or(String::new(), |e| {
            assert!(!e.message.is_empty());
            e.message.clone()
        })),
        Ok(Ok(e)) => {
            let _ = airwar_model::engagement::prepare(&e, &lib.aircraft, &params);
            Outcome::Accepted
        }
    }
}

fn set_theatre(changes: &[Change]) -> Outcome {
    let f = fixed();
    let (mut params, mut cparams) = (f.params.clone(), f.cparams.clone());
    let rest = match airwar_campaign::counterfactual::apply_parameter_changes(
        changes,
        &mut params,
        &mut cparams,
    ) {
        Ok(rest) => rest,
        Err(e) => return Outcome::Refused(e.to_string()),
    };
    let (path, text) = airwar_scenario::builtin::embedded_files("scenarios/korea-1950.toml")
        .next()
        .expect("the Korean theatre is built in");
    let lib = &f.library;
    let loaded = load_changed(path, text, &rest, |n, t| {
        airwar_scenario::theatre::load_theatre(
            n,
            t,
            &lib.aircraft,
            &lib.sources,
            &f.battle_dates,
            false,
        )
    });
    match loaded {
        Err(e) => Outcome::Refused(e.to_string()),
        Ok(Err(errors)) => Outcome::Refused(errors.0.first().map_or(String::new(), |e| {
            assert!(!e.message.is_empty());
            e.message.clone()
        })),
        Ok(Ok(t)) => match Campaign::new(&t, lib, &params, &cparams) {
            Ok(_) => Outcome::Accepted,
            Err(e) => Outcome::Refused(e.to_string()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn built_in(path: &str) -> &'static [u8] {
        airwar_scenario::builtin::embedded_files(path)
            .next()
            .unwrap()
            .1
            .as_bytes()
    }

    #[test]
    fn the_built_in_files_are_accepted_and_garbage_is_refused_with_a_place() {
        assert_eq!(
            engagement(built_in("battles/wuhan-1938-04-29.toml")),
            Outcome::Accepted
        );
        assert_eq!(
            theatre(built_in("scenarios/korea-1950.toml")),
            Outcome::Accepted
        );
        assert_eq!(aircraft(built_in("aircraft/")), Outcome::Accepted);
        assert_eq!(parameters(b"lethality = 0.01\n"), Outcome::Accepted);
        assert_eq!(
            set(b"params.lethality=0.01\ncontext.warning_minutes=5"),
            Outcome::Accepted
        );
        for f in [engagement, aircraft, theatre, parameters, set] {
            assert!(matches!(f(b"[[[\xff"), Outcome::Refused(_)));
        }
    }
}
