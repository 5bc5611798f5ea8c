//! Use case: paired comparison. A battle or a campaign as it stands and with changes, both arms
//! on common random numbers (replication i of each arm draws from the same streams), and the
//! effect of the changes on every figure as the mean of the paired differences.
//!
//! Data flow: the request with its changes → the base request (no changes) → both runs, each
//! keeping every replication's figures → [`paired_effects`] (battles) or
//! `airwar_campaign::compare::effects` (campaigns) → a comparison with the changed arm's
//! provenance.

use crate::battle::{run_battle, BattleRequest, BattleRun};
use crate::campaign::{run_campaign, CampaignRequest, CampaignRun};
use crate::error::Result;

/// A paired effect: the same fields for battles as for campaigns.
pub use airwar_campaign::compare::{Difference, Effect};

/// Effects on every figure from paired replications: `base` and `changed` are each arm's
/// figures by replication, in the order of their `columns`. A figure only one arm has (a
/// type the changes add or remove) counts as 0 in the other.
pub fn paired_effects(
    base_columns: &[String],
    base: &[(u64, Vec<u32>)],
    changed_columns: &[String],
    changed: &[(u64, Vec<u32>)],
) -> Vec<Effect> {
    let mut metrics: Vec<&String> = base_columns.iter().collect();
    metrics.extend(changed_columns.iter().filter(|c| !base_columns.contains(c)));
    let n = base.len().min(changed.len());
    let column = |columns: &[String], rows: &[(u64, Vec<u32>)], name: &String| -> Vec<f64> {
        match columns.iter().position(|c| c == name) {
            Some(k) => rows.iter().take(n).map(|r| f64::from(r.1[k])).collect(),
            None => vec![0.0; n],
        }
    };
    metrics
        .into_iter()
        .map(|name| {
            let xs = column(base_columns, base, name);
            let ys = column(changed_columns, changed, name);
            airwar_campaign::compare::paired(name, &xs, &ys)
        })
        .collect()
}

/// A battle as it stands and with the request's changes.
#[derive(Debug, Clone)]
pub struct BattleComparison {
    pub base: BattleRun,
    /// The changed arm; its provenance is the comparison's.
    pub changed: BattleRun,
    pub effects: Vec<Effect>,
}

/// Compare the request's battle without and with its `set` changes; `progress` hears the
/// replications finished in both arms together.
pub fn compare_battle(
    request: &BattleRequest,
    threads: Option<usize>,
    command: &str,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<BattleComparison> {
    let arm = request
        .replications
        .map_or(request.runs, |r| r.end - r.start);
    let base = run_battle(&base_battle_request(request), threads, command, progress)?;
    let changed = run_battle(&changed_battle_request(request), threads, command, &|d| {
        progress(arm + d)
    })?;
    Ok(battle_comparison(base, changed))
}

/// The request of a battle comparison's base arm: the battle without the changes.
pub fn base_battle_request(request: &BattleRequest) -> BattleRequest {
    BattleRequest {
        set: Vec::new(),
        ..changed_battle_request(request)
    }
}

/// The request of a battle comparison's changed arm, keeping every replication's figures.
pub fn changed_battle_request(request: &BattleRequest) -> BattleRequest {
    BattleRequest {
        keep_replications: true,
        ..request.clone()
    }
}

/// The comparison of two arms that ran on common random numbers (whole, or merged from
/// shards: the rows are in replication order either way).
pub fn battle_comparison(base: BattleRun, changed: BattleRun) -> BattleComparison {
    let rows = |r: &BattleRun| r.results.per_replication.clone().unwrap_or_default();
    let effects = paired_effects(
        &columns(&base),
        &rows(&base),
        &columns(&changed),
        &rows(&changed),
    );
    BattleComparison {
        base,
        changed,
        effects,
    }
}

/// The names of a battle run's per-replication figures.
pub fn columns(run: &BattleRun) -> Vec<String> {
    let sides: Vec<String> = run
        .engagement
        .sides
        .iter()
        .map(|s| s.name.clone())
        .collect();
    airwar_engine::replication_columns(&run.prepared, &sides)
}

/// A campaign as it stands and with the request's changes.
#[derive(Debug, Clone)]
pub struct CampaignComparison {
    pub base: CampaignRun,
    /// The changed arm; its provenance is the comparison's.
    pub changed: CampaignRun,
    pub effects: Vec<airwar_campaign::compare::Effect>,
}

/// Compare the request's campaign without and with its changes: without and with its
/// `counterfactual`, both arms with the `set` changes; or, with no counterfactual, without and
/// with the `set` changes.
pub fn compare_campaign(
    request: &CampaignRequest,
    threads: Option<usize>,
    command: &str,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<CampaignComparison> {
    let arm = request
        .replications
        .map_or(request.runs, |r| r.end - r.start);
    let base = run_campaign(&base_campaign_request(request), threads, command, progress)?;
    let changed = run_campaign(&changed_campaign_request(request), threads, command, &|d| {
        progress(arm + d)
    })?;
    Ok(campaign_comparison(base, changed))
}

/// The request of a campaign comparison's base arm: without the counterfactual, with the
/// `set` changes (the question is asked of the changed scenario); or, with no
/// counterfactual, without the `set` changes (they are the change).
pub fn base_campaign_request(request: &CampaignRequest) -> CampaignRequest {
    CampaignRequest {
        set: if request.counterfactual.is_some() {
            request.set.clone()
        } else {
            Vec::new()
        },
        counterfactual: None,
        ..changed_campaign_request(request)
    }
}

/// The request of a campaign comparison's changed arm, keeping every replication's totals.
pub fn changed_campaign_request(request: &CampaignRequest) -> CampaignRequest {
    CampaignRequest {
        keep_replications: true,
        ..request.clone()
    }
}

/// The comparison of two campaign arms that ran on common random numbers.
pub fn campaign_comparison(base: CampaignRun, changed: CampaignRun) -> CampaignComparison {
    let effects = airwar_campaign::compare::effects(&base.results, &changed.results);
    CampaignComparison {
        base,
        changed,
        effects,
    }
}

/// `replications.csv` of a comparison: the columns `replication` and `arm` (`base` or
/// `changed`), then every figure of `metrics` (a figure an arm lacks counts 0); the base
/// arm's rows first, each arm in replication order.
pub fn paired_rows<T: Copy + Into<u64>>(
    metrics: &[&str],
    base: (&[String], &[(u64, Vec<T>)]),
    changed: (&[String], &[(u64, Vec<T>)]),
) -> Vec<Vec<String>> {
    let mut out = vec![["replication", "arm"]
        .into_iter()
        .chain(metrics.iter().copied())
        .map(str::to_string)
        .collect()];
    for (arm, (columns, rows)) in [("base", base), ("changed", changed)] {
        let index: Vec<Option<usize>> = metrics
            .iter()
            .map(|m| columns.iter().position(|c| c == m))
            .collect();
        for (i, values) in rows {
            let mut row = vec![i.to_string(), arm.to_string()];
            row.extend(
                index
                    .iter()
                    .map(|k| k.map_or(0, |k| values[k].into()).to_string()),
            );
            out.push(row);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inputs::RunInputs;

    #[test]
    fn paired_effects_of_a_shift_are_exact_and_a_new_figure_counts_from_zero() {
        let cols = vec!["a".to_string()];
        let base = vec![(0, vec![1]), (1, vec![5]), (2, vec![9])];
        let shifted = vec![(0, vec![3]), (1, vec![7]), (2, vec![11])];
        let e = paired_effects(&cols, &base, &cols, &shifted);
        assert_eq!(e[0].difference.mean, 2.0);
        assert_eq!(e[0].width_paired, 0.0);
        assert!(e[0].width_independent > 0.0);
        let cols2 = vec!["a".to_string(), "b".to_string()];
        let more = vec![(0, vec![1, 4]), (1, vec![5, 4]), (2, vec![9, 4])];
        let e = paired_effects(&cols, &base, &cols2, &more);
        assert_eq!(e.len(), 2);
        assert_eq!((e[1].base, e[1].alternative), (0.0, 4.0));
        assert_eq!(e[0].difference.mean, 0.0);
    }

    /// The largest count a run's progress callback heard.
    fn heard(run: impl FnOnce(&(dyn Fn(u64) + Sync))) -> u64 {
        let max = std::sync::atomic::AtomicU64::new(0);
        run(&|d| {
            max.fetch_max(d, std::sync::atomic::Ordering::Relaxed);
        });
        max.into_inner()
    }

    fn battle(runs: u64) -> BattleRequest {
        BattleRequest {
            battle: crate::BattleSource::BuiltIn("wuhan-1938-04-29".into()),
            runs,
            inputs: RunInputs::default(),
            replications: None,
            set: vec!["context.warning_minutes=5".into()],
            keep_replications: false,
        }
    }

    #[test]
    fn progress_counts_replications_once_each_arm() {
        let one = heard(|p| {
            crate::run_battle(&battle(3000), Some(1), "t", p).unwrap();
        });
        assert_eq!(one, 3000);
        let two = heard(|p| {
            compare_battle(&battle(3000), Some(1), "t", p).unwrap();
        });
        assert_eq!(two, 6000, "the CLI's bar is built for runs × 2 arms");
        let campaign = CampaignRequest {
            scenario: "korea-1950".into(),
            runs: 3,
            inputs: RunInputs::default(),
            replications: None,
            set: Vec::new(),
            counterfactual: None,
            keep_replications: false,
        };
        let c = heard(|p| {
            crate::run_campaign(&campaign, Some(1), "t", p).unwrap();
        });
        assert_eq!(c, 3, "replications, not days");
    }

    #[test]
    fn set_with_a_counterfactual_changes_both_arms() {
        let request = CampaignRequest {
            scenario: "korea-1950".into(),
            runs: 2,
            inputs: RunInputs::default(),
            replications: None,
            set: vec!["params.lethality=0.01".into()],
            counterfactual: Some("korea-no-coast-rule".into()),
            keep_replications: false,
        };
        let c = compare_campaign(&request, Some(1), "t", &|_| {}).unwrap();
        assert_eq!(c.base.provenance.changes, ["params.lethality=0.01"]);
        let changed = &c.changed.provenance.changes;
        assert_eq!(changed[0], "params.lethality=0.01");
        assert!(changed.len() > 1, "{changed:?}");
        // Without a counterfactual, `set` is the change and the base is as it stands.
        let plain = CampaignRequest {
            counterfactual: None,
            ..request
        };
        let c = compare_campaign(&plain, Some(1), "t", &|_| {}).unwrap();
        assert!(c.base.provenance.changes.is_empty());
        assert_eq!(c.changed.provenance.changes, ["params.lethality=0.01"]);
    }
}
