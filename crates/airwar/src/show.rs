//! Use case: a battle's inputs as cited (`airwar show`), with any `--set` changes applied, and
//! the sources the data marks doubtful.

use std::collections::BTreeSet;
use std::path::PathBuf;

use airwar_scenario::Engagement;

use crate::battle::{prepare_battle, BattleRequest, BattleSource};
use crate::error::Result;
use crate::inputs::{Inputs, RunInputs};

/// Which battle to show, changed how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShowRequest {
    pub battle: BattleSource,
    /// Changes, `PATH=VALUE`, as for a run (`params.*` changes are checked but not shown).
    pub set: Vec<String>,
    /// User aircraft files.
    pub aircraft: Vec<PathBuf>,
}

impl ShowRequest {
    /// The battle a front end names ([`battle_source`]), with its changes.
    pub fn named(battle: &str, set: Vec<String>, aircraft: Vec<PathBuf>) -> Self {
        ShowRequest {
            battle: battle_source(battle),
            set,
            aircraft,
        }
    }
}

/// A battle's inputs: the checked engagement and the ids of the sources marked doubtful (the
/// built-in registry's and the file's own).
#[derive(Debug, Clone)]
pub struct BattleInputs {
    pub engagement: Engagement,
    pub doubtful_sources: BTreeSet<String>,
}

/// `BATTLE_OR_FILE` as the command line names it: a path (with a `/` or ending in `.toml`) is
/// a file, anything else a built-in battle id.
pub fn battle_source(name: &str) -> BattleSource {
    if name.ends_with(".toml") || name.contains(std::path::MAIN_SEPARATOR) {
        BattleSource::File(PathBuf::from(name))
    } else {
        BattleSource::BuiltIn(name.to_string())
    }
}

/// Load the battle the request names, with its changes, as a run would see it.
pub fn show_battle(request: &ShowRequest) -> Result<BattleInputs> {
    let run = BattleRequest {
        battle: request.battle.clone(),
        runs: 1,
        inputs: RunInputs {
            seed: 0,
            params: None,
            aircraft: request.aircraft.clone(),
        },
        replications: None,
        set: request.set.clone(),
        keep_replications: false,
    };
    let prepared = prepare_battle(&run, "airwar show")?;
    let registry = Inputs::load(&request.aircraft)?.library.sources;
    let doubtful_sources = registry
        .sources
        .iter()
        .chain(&prepared.engagement.sources)
        .filter(|s| s.doubtful)
        .map(|s| s.id.clone())
        .collect();
    Ok(BattleInputs {
        engagement: prepared.engagement,
        doubtful_sources,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_built_in_battle_is_shown_with_its_changes() {
        let request = ShowRequest {
            battle: battle_source("wuhan-1938-04-29"),
            set: vec!["context.warning_minutes=5".into()],
            aircraft: Vec::new(),
        };
        let shown = show_battle(&request).unwrap();
        assert_eq!(shown.engagement.context.warning_minutes.value, 5.0);
        assert_eq!(shown.engagement.sides.len(), 2);
        assert_eq!(
            battle_source("./x.toml"),
            BattleSource::File("./x.toml".into())
        );
    }
}
