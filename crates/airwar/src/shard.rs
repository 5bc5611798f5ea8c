//! Shards: one run cut into ranges of replications that run anywhere and merge exactly.
//!
//! A run with `replications` set writes, beside its ordinary files, `shard.json`: the request,
//! the provenance and the run's streamed results (whole-number histograms and sums). [`merge`]
//! reads the shard files of one run, checks that they come from the same request and data and
//! cover every replication exactly once, adds their results (addition is exact and does not
//! depend on the order) and renders the files the whole run writes, byte for byte (the
//! provenance aside: it names the merge). A comparison's shard holds both arms' results; the
//! merge adds each arm's and computes the paired effects from the merged replications.

use std::path::{Path, PathBuf};

use airwar_campaign::CampaignResults;
use airwar_engine::{Accumulator, EngagementResults, Replications};
use serde::{Deserialize, Serialize};

use crate::battle::{prepare_battle, BattleRequest, BattleRun};
use crate::campaign::{prepare_campaign, CampaignRequest, CampaignRun};
use crate::compare::{self, BattleComparison, CampaignComparison};
use crate::error::{Error, Result};
use crate::output::{
    battle_comparison_files, battle_files, campaign_comparison_files, campaign_files, OutputFile,
};
use crate::provenance::Provenance;

/// The name of a shard's own file in its output folder.
pub const SHARD_FILE: &str = "shard.json";

/// What a shard ran and what it found.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shard {
    Battle {
        request: BattleRequest,
        provenance: Provenance,
        results: EngagementResults,
    },
    Campaign {
        request: CampaignRequest,
        provenance: Provenance,
        results: CampaignResults,
    },
    /// A shard of `compare --battle`: both arms' results over the same replications.
    BattleComparison {
        request: BattleRequest,
        provenance: Provenance,
        base: EngagementResults,
        changed: EngagementResults,
    },
    /// A shard of `compare SCENARIO`.
    CampaignComparison {
        request: CampaignRequest,
        provenance: Provenance,
        base: CampaignResults,
        changed: CampaignResults,
    },
}

impl Shard {
    fn replications(&self) -> Option<Replications> {
        match self {
            Shard::Battle { request, .. } | Shard::BattleComparison { request, .. } => {
                request.replications
            }
            Shard::Campaign { request, .. } | Shard::CampaignComparison { request, .. } => {
                request.replications
            }
        }
    }
    fn runs(&self) -> u64 {
        match self {
            Shard::Battle { request, .. } | Shard::BattleComparison { request, .. } => request.runs,
            Shard::Campaign { request, .. } | Shard::CampaignComparison { request, .. } => {
                request.runs
            }
        }
    }
    fn provenance(&self) -> &Provenance {
        match self {
            Shard::Battle { provenance, .. }
            | Shard::Campaign { provenance, .. }
            | Shard::BattleComparison { provenance, .. }
            | Shard::CampaignComparison { provenance, .. } => provenance,
        }
    }
    /// The request with the shard's range taken out: equal for every shard of one run.
    fn whole_request(&self) -> serde_json::Value {
        let mut v = match self {
            Shard::Battle { request, .. } | Shard::BattleComparison { request, .. } => {
                serde_json::to_value(BattleRequest {
                    replications: None,
                    ..request.clone()
                })
            }
            Shard::Campaign { request, .. } | Shard::CampaignComparison { request, .. } => {
                serde_json::to_value(CampaignRequest {
                    replications: None,
                    ..request.clone()
                })
            }
        }
        .unwrap_or_default();
        v["kind"] = match self {
            Shard::Battle { .. } => "battle".into(),
            Shard::Campaign { .. } => "campaign".into(),
            Shard::BattleComparison { .. } => "battle-comparison".into(),
            Shard::CampaignComparison { .. } => "campaign-comparison".into(),
        };
        v
    }
}

/// The shard file of a battle run (written when the request names replications).
pub fn battle_shard(request: &BattleRequest, run: &BattleRun) -> OutputFile {
    shard_file(&Shard::Battle {
        request: request.clone(),
        provenance: run.provenance.clone(),
        results: run.results.clone(),
    })
}

/// The shard file of a campaign run (written when the request names replications).
pub fn campaign_shard(request: &CampaignRequest, run: &CampaignRun) -> OutputFile {
    shard_file(&Shard::Campaign {
        request: request.clone(),
        provenance: run.provenance.clone(),
        results: run.results.clone(),
    })
}

/// The shard file of a battle comparison (written when the request names replications).
pub fn battle_comparison_shard(request: &BattleRequest, c: &BattleComparison) -> OutputFile {
    shard_file(&Shard::BattleComparison {
        request: request.clone(),
        provenance: c.changed.provenance.clone(),
        base: c.base.results.clone(),
        changed: c.changed.results.clone(),
    })
}

/// The shard file of a campaign comparison (written when the request names replications).
pub fn campaign_comparison_shard(request: &CampaignRequest, c: &CampaignComparison) -> OutputFile {
    shard_file(&Shard::CampaignComparison {
        request: request.clone(),
        provenance: c.changed.provenance.clone(),
        base: c.base.results.clone(),
        changed: c.changed.results.clone(),
    })
}

fn shard_file(shard: &Shard) -> OutputFile {
    OutputFile {
        name: SHARD_FILE,
        text: serde_json::to_string(shard).unwrap_or_default() + "\n",
    }
}

/// Read the shard file of each folder.
pub fn read_shards(dirs: &[PathBuf]) -> Result<Vec<Shard>> {
    dirs.iter()
        .map(|d| {
            let path = d.join(SHARD_FILE);
            // A shard file is airwar's own output (a campaign's holds every day's histograms),
            // so it is not held to the input files' size limit.
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Read {
                path: path.clone(),
                source,
            })?;
            serde_json::from_str(&text).map_err(|e| {
                Error::Shard(format!(
                    "{} is not a shard file written by airwar: {e}",
                    path.display()
                ))
            })
        })
        .collect()
}

/// Merge the shards of one run into the files the whole run writes; `command` becomes the
/// merged output's provenance command.
pub fn merge(dirs: &[PathBuf], command: &str) -> Result<Vec<OutputFile>> {
    let shards = read_shards(dirs)?;
    let name = |i: usize| dirs[i].display().to_string();
    let Some(first) = shards.first() else {
        return Err(Error::Shard("no shard folders to merge".into()));
    };
    let whole = first.whole_request();
    for (i, s) in shards.iter().enumerate().skip(1) {
        if s.whole_request() != whole {
            return Err(Error::Shard(format!(
                "{} and {} are shards of different runs (their requests differ)",
                name(0),
                name(i)
            )));
        }
        let (a, b) = (first.provenance(), s.provenance());
        if (&a.data_sha256, &a.params_sha256, &a.version)
            != (&b.data_sha256, &b.params_sha256, &b.version)
        {
            return Err(Error::Shard(format!(
                "{} and {} ran on different data, parameters or versions of airwar",
                name(0),
                name(i)
            )));
        }
    }
    // Every replication exactly once.
    let runs = first.runs();
    let mut ranges: Vec<(Replications, usize)> = Vec::new();
    for (i, s) in shards.iter().enumerate() {
        let r = s
            .replications()
            .ok_or_else(|| Error::Shard(format!("{} holds a whole run, not a shard", name(i))))?;
        ranges.push((r, i));
    }
    ranges.sort_by_key(|(r, _)| (r.start, r.end));
    let mut next = 0;
    for (r, i) in &ranges {
        if r.start < next {
            return Err(Error::Shard(format!(
                "{} ({r}) overlaps another shard: replications from {} are counted twice",
                name(*i),
                r.start
            )));
        }
        if r.start > next {
            return Err(Error::Shard(format!(
                "no shard holds replications {next}..{}",
                r.start
            )));
        }
        next = r.end;
    }
    if next != runs {
        return Err(Error::Shard(format!(
            "no shard holds replications {next}..{runs}"
        )));
    }
    let mut shards = shards.into_iter();
    match shards.next() {
        Some(Shard::Battle {
            request,
            provenance,
            mut results,
        }) => {
            for s in shards {
                if let Shard::Battle { results: r, .. } = s {
                    results.merge(r);
                }
            }
            let request = BattleRequest {
                replications: None,
                ..request
            };
            let b = prepare_battle(&request, command)?;
            check_same_inputs(&provenance, &b.provenance)?;
            Ok(battle_files(&BattleRun {
                engagement: b.engagement,
                prepared: b.prepared,
                results,
                provenance: b.provenance,
            }))
        }
        Some(Shard::Campaign {
            request,
            provenance,
            mut results,
        }) => {
            for s in shards {
                if let Shard::Campaign { results: r, .. } = s {
                    results.merge(r);
                }
            }
            let request = CampaignRequest {
                replications: None,
                ..request
            };
            let c = prepare_campaign(&request, command)?;
            check_same_inputs(&provenance, &c.provenance)?;
            Ok(campaign_files(&CampaignRun {
                campaign: c.campaign,
                theatre: c.theatre,
                results,
                provenance: c.provenance,
            }))
        }
        Some(Shard::BattleComparison {
            request,
            provenance,
            mut base,
            mut changed,
        }) => {
            for s in shards {
                if let Shard::BattleComparison {
                    base: b,
                    changed: c,
                    ..
                } = s
                {
                    base.merge(b);
                    changed.merge(c);
                }
            }
            let request = BattleRequest {
                replications: None,
                ..request
            };
            let arm = |request: &BattleRequest, results| -> Result<BattleRun> {
                let b = prepare_battle(request, command)?;
                Ok(BattleRun {
                    engagement: b.engagement,
                    prepared: b.prepared,
                    results,
                    provenance: b.provenance,
                })
            };
            let base = arm(&compare::base_battle_request(&request), base)?;
            let changed = arm(&compare::changed_battle_request(&request), changed)?;
            check_same_inputs(&provenance, &changed.provenance)?;
            let c = compare::battle_comparison(base, changed);
            Ok(battle_comparison_files(&c, request.runs))
        }
        Some(Shard::CampaignComparison {
            request,
            provenance,
            mut base,
            mut changed,
        }) => {
            for s in shards {
                if let Shard::CampaignComparison {
                    base: b,
                    changed: c,
                    ..
                } = s
                {
                    base.merge(b);
                    changed.merge(c);
                }
            }
            let request = CampaignRequest {
                replications: None,
                ..request
            };
            let arm = |request: &CampaignRequest, results| -> Result<CampaignRun> {
                let c = prepare_campaign(request, command)?;
                Ok(CampaignRun {
                    campaign: c.campaign,
                    theatre: c.theatre,
                    results,
                    provenance: c.provenance,
                })
            };
            let base = arm(&compare::base_campaign_request(&request), base)?;
            let changed = arm(&compare::changed_campaign_request(&request), changed)?;
            check_same_inputs(&provenance, &changed.provenance)?;
            let c = compare::campaign_comparison(base, changed);
            Ok(campaign_comparison_files(&c, request.runs))
        }
        None => Err(Error::Shard("no shard folders to merge".into())),
    }
}

/// The data and parameters found now must be the ones the shards ran on.
fn check_same_inputs(shard: &Provenance, now: &Provenance) -> Result<()> {
    if shard.data_sha256 != now.data_sha256 || shard.params_sha256 != now.params_sha256 {
        return Err(Error::Shard(
            "the shards' data or parameter files have changed since they ran (their SHA-256 differ); merge where they ran, with the same files".into(),
        ));
    }
    Ok(())
}

/// Whether `dir` holds a shard file.
pub fn is_shard_folder(dir: &Path) -> bool {
    dir.join(SHARD_FILE).is_file()
}
