//! Monte Carlo replications of the engagement model, streamed into per-side, per-type and
//! per-force summaries.

use std::collections::BTreeMap;

use airwar_model::engagement::{observed_value, simulate, Fate, PreparedEngagement, Workspace};
use airwar_statistics::CountSummary;

use crate::{run_replications, Accumulator, EngineError, RunConfig};

/// Streamed results for one force.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ForceResult {
    pub losses: CountSummary,
    /// Total aircraft over all replications in each fate, in [`Fate::ALL`] order.
    pub fates: [u64; 5],
}

/// Streamed results for one aircraft type on one side (forces and parked aircraft together).
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TypeResult {
    pub initial: u32,
    pub losses: CountSummary,
}

/// Streamed results for one side.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SideResult {
    /// Aircraft lost, every cause (in the air, on the way home, on the ground, by friendly fire).
    pub losses: CountSummary,
    /// Aircraft lost in the air (in combat, on the way home, to friendly fire).
    pub air_losses: CountSummary,
    /// Aircraft destroyed on the ground.
    pub ground_losses: CountSummary,
    /// Aircraft shot down by their own side.
    pub friendly_fire_losses: CountSummary,
    /// Air kills the side's pilots and gunners claimed.
    pub claims: CountSummary,
    /// Aircraft the side claimed destroyed on the ground.
    pub ground_claims: CountSummary,
    pub crew_killed: CountSummary,
    pub crew_captured: CountSummary,
    pub crew_recovered: CountSummary,
    /// By canonical type id.
    pub by_type: BTreeMap<String, TypeResult>,
}

/// Streamed results of an engagement run.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EngagementResults {
    pub runs: u64,
    pub sides: Vec<SideResult>,
    pub forces: Vec<ForceResult>,
    /// Firing passes over all replications.
    pub passes: u64,
    pub rounds: CountSummary,
    /// One entry per observed figure of the engagement: the model's distribution for it, or
    /// None when the model does not produce that figure.
    pub observed: Vec<Option<CountSummary>>,
    /// Each replication's figures, in [`replication_columns`] order, by replication index;
    /// kept only when asked for (memory then grows with the runs).
    pub per_replication: Option<Vec<(u64, Vec<u32>)>>,
}

/// The figures of one side each replication reports, in order (see [`replication_columns`]).
pub const SIDE_FIGURES: [&str; 9] = [
    "losses",
    "air_losses",
    "ground_losses",
    "friendly_fire_losses",
    "claims",
    "ground_claims",
    "crew_killed",
    "crew_captured",
    "crew_recovered",
];

/// The names of a replication's figures, as `replications.csv` heads them: for each side (by
/// its name in the file) the [`SIDE_FIGURES`], then its losses by type
/// (`SIDE.losses.TYPE`), then each force's losses (`force.N.losses`, in file order), then the
/// firing passes and the rounds fought.
pub fn replication_columns(p: &PreparedEngagement, side_names: &[String]) -> Vec<String> {
    let empty = EngagementResults::empty(p, false);
    let mut cols = Vec::new();
    for (si, side) in empty.sides.iter().enumerate() {
        let name = side_names
            .get(si)
            .cloned()
            .unwrap_or_else(|| format!("side{si}"));
        cols.extend(SIDE_FIGURES.iter().map(|f| format!("{name}.{f}")));
        cols.extend(side.by_type.keys().map(|t| format!("{name}.losses.{t}")));
    }
    cols.extend((0..p.forces.len()).map(|f| format!("force.{f}.losses")));
    cols.push("passes".to_string());
    cols.push("rounds".to_string());
    cols
}

impl Accumulator for EngagementResults {
    fn merge(&mut self, other: Self) {
        self.runs += other.runs;
        self.passes += other.passes;
        self.rounds.merge(&other.rounds);
        for (a, b) in self.observed.iter_mut().zip(other.observed) {
            if let (Some(a), Some(b)) = (a, b) {
                a.merge(&b);
            }
        }
        for (a, b) in self.forces.iter_mut().zip(other.forces) {
            a.losses.merge(&b.losses);
            for (x, y) in a.fates.iter_mut().zip(b.fates) {
                *x += y;
            }
        }
        for (a, b) in self.sides.iter_mut().zip(other.sides) {
            for (x, y) in [
                (&mut a.losses, &b.losses),
                (&mut a.air_losses, &b.air_losses),
                (&mut a.ground_losses, &b.ground_losses),
                (&mut a.friendly_fire_losses, &b.friendly_fire_losses),
                (&mut a.claims, &b.claims),
                (&mut a.ground_claims, &b.ground_claims),
                (&mut a.crew_killed, &b.crew_killed),
                (&mut a.crew_captured, &b.crew_captured),
                (&mut a.crew_recovered, &b.crew_recovered),
            ] {
                x.merge(y);
            }
            for (k, v) in b.by_type {
                a.by_type.entry(k).or_default().losses.merge(&v.losses);
            }
        }
        if let (Some(a), Some(b)) = (&mut self.per_replication, other.per_replication) {
            a.extend(b);
            a.sort_by_key(|r| r.0);
        }
    }
}

impl EngagementResults {
    fn empty(p: &PreparedEngagement, keep: bool) -> Self {
        let mut sides: Vec<SideResult> = (0..2).map(|_| SideResult::default()).collect();
        for f in &p.forces {
            sides[f.side]
                .by_type
                .entry(f.type_id.clone())
                .or_default()
                .initial += f.count;
        }
        for (side, _, id, count) in &p.parked {
            sides[*side].by_type.entry(id.clone()).or_default().initial += count;
        }
        EngagementResults {
            runs: 0,
            sides,
            forces: vec![ForceResult::default(); p.forces.len()],
            passes: 0,
            rounds: CountSummary::new(),
            observed: p
                .observed
                .iter()
                .map(|o| {
                    let produced =
                        o.type_id.is_none() || o.metric == airwar_scenario::ObservedMetric::Losses;
                    produced.then(CountSummary::new)
                })
                .collect(),
            per_replication: keep.then(Vec::new),
        }
    }
}

/// Run `config.runs` replications of a prepared engagement.
pub fn run_engagement(
    p: &PreparedEngagement,
    config: RunConfig,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<EngagementResults, EngineError> {
    run_engagement_keeping(p, config, false, progress)
}

/// [`run_engagement`], keeping each replication's figures too when `keep_per_replication`.
pub fn run_engagement_keeping(
    p: &PreparedEngagement,
    config: RunConfig,
    keep_per_replication: bool,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<EngagementResults, EngineError> {
    // Per-type slots per side, so each replication sums losses by type without a map lookup.
    let mut type_slots: [Vec<String>; 2] = [Vec::new(), Vec::new()];
    let slot = |slots: &mut [Vec<String>; 2], side: usize, id: &str| {
        if let Some(i) = slots[side].iter().position(|t| t == id) {
            i
        } else {
            slots[side].push(id.to_string());
            slots[side].len() - 1
        }
    };
    let force_slot: Vec<usize> = p
        .forces
        .iter()
        .map(|f| slot(&mut type_slots, f.side, &f.type_id))
        .collect();
    let parked_slot: Vec<usize> = p
        .parked
        .iter()
        .map(|(s, _, id, _)| slot(&mut type_slots, *s, id))
        .collect();
    // A row lists each side's types in id order (as `by_type` holds them): their slots, once.
    let row_slots: [Vec<usize>; 2] = [0, 1].map(|side| {
        let mut order: Vec<usize> = (0..type_slots[side].len()).collect();
        order.sort_by(|a, b| type_slots[side][*a].cmp(&type_slots[side][*b]));
        order
    });
    let (type_slots, row_slots) = (&type_slots, &row_slots);
    run_replications(
        config,
        || {
            let sums: [Vec<u32>; 2] = [vec![0; type_slots[0].len()], vec![0; type_slots[1].len()]];
            (
                EngagementResults::empty(p, keep_per_replication),
                (Workspace::new(), sums, Vec::<CountSummary>::new()),
            )
        },
        |acc, (ws, sums, _), rng, i| {
            let out = simulate(p, rng, ws);
            acc.runs += 1;
            for (summary, o) in acc.observed.iter_mut().zip(&p.observed) {
                if let (Some(s), Some(v)) = (summary, observed_value(p, &out, o)) {
                    s.add(v);
                }
            }
            acc.passes += out.passes as u64;
            acc.rounds.add(out.rounds);
            for s in sums.iter_mut() {
                s.iter_mut().for_each(|v| *v = 0);
            }
            let mut air = [0u32; 2];
            let mut ground = [0u32; 2];
            let mut friendly = [0u32; 2];
            for (fi, counts) in out.forces.iter().enumerate() {
                let side = p.forces[fi].side;
                let r = &mut acc.forces[fi];
                r.losses.add(counts.losses());
                for (k, fate) in Fate::ALL.iter().enumerate() {
                    r.fates[k] += counts.get(*fate) as u64;
                }
                air[side] +=
                    counts.lost_in_combat + counts.lost_on_way_home + counts.shot_down_by_own_side;
                ground[side] += counts.destroyed_on_ground;
                friendly[side] += counts.shot_down_by_own_side;
                sums[side][force_slot[fi]] += counts.losses();
            }
            for (gi, counts) in out.parked.iter().enumerate() {
                let side = p.parked[gi].0;
                ground[side] += counts.destroyed_on_ground;
                sums[side][parked_slot[gi]] += counts.losses();
            }
            for side in 0..2 {
                let r = &mut acc.sides[side];
                r.losses.add(air[side] + ground[side]);
                r.air_losses.add(air[side]);
                r.ground_losses.add(ground[side]);
                r.friendly_fire_losses.add(friendly[side]);
                r.claims.add(out.claims[side]);
                r.ground_claims.add(out.ground_claims[side]);
                r.crew_killed.add(out.crews[side].killed);
                r.crew_captured.add(out.crews[side].captured);
                r.crew_recovered.add(out.crews[side].recovered);
                for (k, id) in type_slots[side].iter().enumerate() {
                    if let Some(t) = r.by_type.get_mut(id) {
                        t.losses.add(sums[side][k]);
                    }
                }
            }
            if let Some(rows) = &mut acc.per_replication {
                // The order of `replication_columns`.
                let mut row = Vec::new();
                for side in 0..2 {
                    row.extend([
                        air[side] + ground[side],
                        air[side],
                        ground[side],
                        friendly[side],
                        out.claims[side],
                        out.ground_claims[side],
                        out.crews[side].killed,
                        out.crews[side].captured,
                        out.crews[side].recovered,
                    ]);
                    row.extend(row_slots[side].iter().map(|k| sums[side][*k]));
                }
                row.extend(out.forces.iter().map(|c| c.losses()));
                row.push(out.passes);
                row.push(out.rounds);
                rows.push((i, row));
            }
        },
        progress,
    )
}
