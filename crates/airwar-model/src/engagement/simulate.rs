//! One replication of an engagement: the round-by-round entity model.
//!
//! Flow of one replication:
//! 1. **Warning and climb.** Each defending fighter takes off after a random scramble delay and
//!    climbs to the raid's altitude; if it gets there within the warning it meets the raid with
//!    position, otherwise it joins in a later round without it. Attacking fighters arrive at
//!    altitude and have position in the first round.
//! 2. **Rounds.** Each round, every active armed fighter makes one firing pass: it turns on an
//!    enemy that attacked it last round (with the tie-up probability), else picks a target by role
//!    (interceptors go for bombers, escorts and sweeps for fighters), unless it mistakes a friend
//!    for a foe. Pass outcomes come from the precomputed [`PassTable`]; a bomber's gunners fire
//!    back during the pass. Outcomes are applied at the end of the round (passes are
//!    simultaneous).
//! 3. **Bombing.** In the target round, bombers still in formation drop; on an airfield each
//!    parked aircraft (and each defender still on the ground) is destroyed with a probability set
//!    by the tonnage, the altitude and whether the bombers were under attack.
//! 4. **Disengagement.** Fighters leave when out of ammunition or fuel; a side leaves when its
//!    losses pass the break-off share; the raid turns home after bombing. The other side may
//!    pursue a leaving enemy only as far as its rules allow (its no-pursuit line).
//! 5. **Going home.** Damaged aircraft may be lost on the way; crews of lost aircraft survive or
//!    not, and survivors are recovered over their own ground or captured over the enemy's.
//!
//! Every loop is over aircraft (never over pairs), so a replication costs O(aircraft × rounds).

use serde::Serialize;

use super::prepare::{sigmoid, ForceStats, PreparedEngagement};
use crate::rng::{chance, index, mean_one_lognormal, normal, uniform, ModelRng};

/// How an aircraft ends the engagement. Every aircraft ends in exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fate {
    Survived,
    LostInCombat,
    LostOnWayHome,
    DestroyedOnGround,
    ShotDownByOwnSide,
}

impl Fate {
    pub const ALL: [Fate; 5] = [
        Fate::Survived,
        Fate::LostInCombat,
        Fate::LostOnWayHome,
        Fate::DestroyedOnGround,
        Fate::ShotDownByOwnSide,
    ];
    pub fn name(self) -> &'static str {
        match self {
            Fate::Survived => "survived",
            Fate::LostInCombat => "lost_in_combat",
            Fate::LostOnWayHome => "lost_on_way_home",
            Fate::DestroyedOnGround => "destroyed_on_ground",
            Fate::ShotDownByOwnSide => "shot_down_by_own_side",
        }
    }
    pub fn is_loss(self) -> bool {
        self != Fate::Survived
    }
}

/// What happened to one force (or one group of parked aircraft) in a replication.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FateCounts {
    pub survived: u32,
    pub lost_in_combat: u32,
    pub lost_on_way_home: u32,
    pub destroyed_on_ground: u32,
    pub shot_down_by_own_side: u32,
    /// Of the survivors, how many came home damaged.
    pub damaged: u32,
}

impl FateCounts {
    pub fn add(&mut self, fate: Fate) {
        match fate {
            Fate::Survived => self.survived += 1,
            Fate::LostInCombat => self.lost_in_combat += 1,
            Fate::LostOnWayHome => self.lost_on_way_home += 1,
            Fate::DestroyedOnGround => self.destroyed_on_ground += 1,
            Fate::ShotDownByOwnSide => self.shot_down_by_own_side += 1,
        }
    }
    pub fn get(&self, fate: Fate) -> u32 {
        match fate {
            Fate::Survived => self.survived,
            Fate::LostInCombat => self.lost_in_combat,
            Fate::LostOnWayHome => self.lost_on_way_home,
            Fate::DestroyedOnGround => self.destroyed_on_ground,
            Fate::ShotDownByOwnSide => self.shot_down_by_own_side,
        }
    }
    pub fn total(&self) -> u32 {
        Fate::ALL.iter().map(|f| self.get(*f)).sum()
    }
    pub fn losses(&self) -> u32 {
        self.total() - self.survived
    }
}

/// What became of the crews of one side's lost aircraft.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CrewFates {
    pub killed: u32,
    pub captured: u32,
    pub recovered: u32,
}

/// The result of one replication.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EngagementOutcome {
    /// One entry per force, in the prepared order.
    pub forces: Vec<FateCounts>,
    /// One entry per parked group.
    pub parked: Vec<FateCounts>,
    /// Air kills claimed by each side's pilots and gunners.
    pub claims: [u32; 2],
    /// Air kills claimed against each force's aircraft (by the other side), in the prepared
    /// order of forces: claims split by the type claimed.
    pub claims_against: Vec<u32>,
    /// Aircraft each side claimed destroyed on the ground.
    pub ground_claims: [u32; 2],
    pub crews: [CrewFates; 2],
    /// Firing passes made (fighters' passes; defensive fire is part of a pass).
    pub passes: u32,
    /// Rounds the fight lasted.
    pub rounds: u32,
}

impl EngagementOutcome {
    /// Aircraft lost by a side, every cause, forces and parked aircraft together.
    pub fn side_losses(&self, prepared: &PreparedEngagement, side: usize) -> u32 {
        let forces: u32 = self
            .forces
            .iter()
            .zip(&prepared.forces)
            .filter(|(_, f)| f.side == side)
            .map(|(c, _)| c.losses())
            .sum();
        let parked: u32 = self
            .parked
            .iter()
            .zip(&prepared.parked)
            .filter(|(_, p)| p.0 == side)
            .map(|(c, _)| c.losses())
            .sum();
        forces + parked
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Not yet at the fight (climbing, or still on the ground).
    Waiting,
    Active,
    /// Left the fight undamaged (out of fuel or ammunition, or broke off).
    Home,
    /// Left the fight damaged; its fate is settled on the way home.
    Damaged,
    /// Destroyed (fate already set).
    Gone,
}

const NONE: u32 = u32::MAX;

#[derive(Debug, Clone, Copy)]
struct Aircraft {
    force: u16,
    side: u8,
    state: State,
    /// First round in which it can fight.
    join_round: u16,
    /// Round in which it has position (height and surprise), if any.
    position_round: u16,
    ammo: u16,
    fuel: u16,
    /// Minutes after the warning at which it leaves the ground.
    takeoff_minutes: f32,
    /// Who last attacked it (not by mistake), in round `attacked_by_round`: it may turn on
    /// that attacker in the next round.
    attacked_by: u32,
    attacked_by_round: u16,
    /// The last round in which it was attacked (bombers under attack bomb less accurately).
    attacked_in_round: u16,
    /// Joined after the enemy turned home, so had to catch it up first.
    chasing: bool,
    fate: Fate,
    /// Its force's [`ForceFlags`], kept beside it for the round loop.
    flags: ForceFlags,
}

impl Aircraft {
    /// Its side, 0 or 1 (masked, so indexing a pair by it needs no bounds check).
    #[inline(always)]
    fn side(&self) -> usize {
        usize::from(self.side & 1)
    }
}

#[derive(Debug, Clone, Copy)]
struct Pass {
    shooter: u32,
    target: u32,
    friendly: bool,
}

/// One replication's hit probabilities for a pair of forces, each worked out when a pass first
/// needs it (NaN until then): most pairs and positions are never used in a replication, and
/// each costs an `exp`.
#[derive(Debug, Clone, Copy, Default)]
struct PassOdds {
    hit: [f64; 3],
    return_hit: f64,
}

impl PassOdds {
    const UNKNOWN: PassOdds = PassOdds {
        hit: [f64::NAN; 3],
        return_hit: f64::NAN,
    };
}

/// Claim probabilities of one side in one replication: when the target was destroyed,
/// damaged, or missed.
#[derive(Debug, Clone, Copy)]
struct ClaimOdds {
    destroyed: f64,
    damaged: f64,
    missed: f64,
}

impl ClaimOdds {
    fn new(p: &crate::ModelParameters, scale: f64) -> Self {
        ClaimOdds {
            destroyed: (p.claim_when_destroyed * scale).min(1.0),
            damaged: (p.claim_when_damaged * scale).min(1.0),
            missed: (p.claim_when_missed * scale).min(1.0),
        }
    }
}

/// What the round loop asks of a force, worked out once per replication (reading the full
/// [`ForceStats`] and matching its role for every aircraft in every round was a large part of
/// a replication's cost).
#[derive(Debug, Clone, Copy)]
struct ForceFlags {
    is_bomber: bool,
    /// A fighter role with guns ([`ForceStats::attacks`]).
    attacks: bool,
    /// No faster than the enemy leaves: it cannot follow a leaving enemy.
    slow: bool,
}

/// Reusable buffers, so that replications on one thread do not allocate.
#[derive(Debug, Default)]
pub struct Workspace {
    aircraft: Vec<Aircraft>,
    /// The aircraft still waiting or active, in index order: the only ones a round can change
    /// (the others have gone home, been damaged or destroyed, and stay so).
    alive: Vec<u32>,
    bombers: [Vec<u32>; 2],
    fighters: [Vec<u32>; 2],
    passes: Vec<Pass>,
    /// This replication's pass probabilities, with the sides' fortunes applied.
    odds: Vec<PassOdds>,
    destroyed: Vec<(u32, bool)>,
    damaged: Vec<u32>,
    /// Fly every round, quiet or not (see [`Workspace::flying_every_round`]).
    fly_every_round: bool,
}

impl Workspace {
    pub fn new() -> Self {
        Self::default()
    }

    /// A workspace that takes no shortcut: it flies every round of a fight instead of counting
    /// its quiet stretches at once (see `quiet_stretch` in this module) or drawing only the
    /// friendly-fire chances of its circling stretches (`circling_stretch`), and lists who is
    /// in the fight afresh every round instead of keeping lists that still hold. Slower, with
    /// exactly the same draws and outcomes; it exists for the tests that check so.
    pub fn flying_every_round() -> Self {
        Workspace {
            fly_every_round: true,
            ..Self::default()
        }
    }
}

/// Run one replication.
pub fn simulate(
    p: &PreparedEngagement,
    rng: &mut ModelRng,
    ws: &mut Workspace,
) -> EngagementOutcome {
    let mut out = EngagementOutcome::default();
    simulate_into(p, rng, ws, &mut out);
    out
}

/// Run one replication into `out`, reusing its buffers (a campaign fights thousands of small
/// engagements; allocating three vectors for each was a tenth of its time). `out` is reset
/// first, so the result is exactly [`simulate`]'s.
pub fn simulate_into(
    p: &PreparedEngagement,
    rng: &mut ModelRng,
    ws: &mut Workspace,
    out: &mut EngagementOutcome,
) {
    // The generator's state is worked on in a local copy, which the compiler can keep in
    // registers instead of loading and storing it through `rng` at every draw.
    let mut local = rng.clone();
    replicate(p, &mut local, ws, out);
    *rng = local;
}

#[inline(always)]
fn replicate(
    p: &PreparedEngagement,
    rng: &mut ModelRng,
    ws: &mut Workspace,
    out: &mut EngagementOutcome,
) {
    let params = &p.params;
    let defender = 1 - p.attacker;
    let rm = params.round_minutes;
    out.forces.clear();
    out.forces.resize(p.forces.len(), FateCounts::default());
    out.parked.clear();
    out.parked.resize(p.parked.len(), FateCounts::default());
    out.claims_against.clear();
    out.claims_against.resize(p.forces.len(), 0);
    out.claims = [0; 2];
    out.ground_claims = [0; 2];
    out.crews = Default::default();
    out.passes = 0;
    out.rounds = 0;

    // 0. This engagement's fortunes and claim propensities, one draw per side.
    let fortune = [
        normal(rng) * params.fortune_sd,
        normal(rng) * params.fortune_sd,
    ];
    let scales = [
        mean_one_lognormal(rng, params.claim_sd),
        mean_one_lognormal(rng, params.claim_sd),
    ];
    let claims = [
        ClaimOdds::new(params, scales[0]),
        ClaimOdds::new(params, scales[1]),
    ];
    let gunner_claims = [
        ClaimOdds::new(params, scales[0] * params.gunner_claim_factor),
        ClaimOdds::new(params, scales[1] * params.gunner_claim_factor),
    ];
    let n = p.forces.len();
    ws.odds.clear();
    ws.odds.resize(n * n, PassOdds::UNKNOWN);

    // 1. Warning and climb.
    ws.aircraft.clear();
    for (fi, f) in p.forces.iter().enumerate() {
        let flags = ForceFlags {
            is_bomber: f.is_bomber(),
            attacks: f.attacks(),
            slow: f.speed_kmh <= p.sides[f.side].enemy_speed_kmh,
        };
        for _ in 0..f.count {
            let mut a = Aircraft {
                force: fi as u16,
                side: f.side as u8,
                state: State::Active,
                join_round: 0,
                position_round: u16::MAX,
                ammo: f.passes,
                fuel: f.fuel_rounds,
                takeoff_minutes: 0.0,
                attacked_by: NONE,
                attacked_by_round: u16::MAX,
                attacked_in_round: u16::MAX,
                chasing: false,
                fate: Fate::Survived,
                flags,
            };
            if f.side == defender {
                // Fighters wait on the ground until they must climb to meet the raid, but
                // cannot leave before the scramble delay has passed.
                let scramble = params.scramble_minutes * (0.5 + uniform(rng));
                let takeoff = scramble.max(p.warning_minutes - f.climb_minutes);
                let ready = takeoff + f.climb_minutes;
                a.takeoff_minutes = takeoff as f32;
                if ready <= p.warning_minutes {
                    a.position_round = 0;
                } else {
                    a.state = State::Waiting;
                    a.join_round = ((ready - p.warning_minutes) / rm).ceil().min(10_000.0) as u16;
                }
            } else if f.role.is_fighter() {
                a.position_round = 0;
            }
            ws.aircraft.push(a);
        }
    }
    ws.alive.clear();
    ws.alive.extend(0..ws.aircraft.len() as u32);

    // 2-4. Rounds.
    let mut leave_round: [Option<u16>; 2] = [None, None];
    let mut lost_share_count = [0u32; 2];
    let initial = [side_total(p, 0), side_total(p, 1)];
    let mut rounds = 0u32;
    let mut next_round = 0u16;
    // Whether the lists of who is in the fight still hold: no aircraft has changed its state
    // since they were made. Then, unless an aircraft joins this round or the pursuer's reach
    // sends a leaving side home, making them again would give the same lists, so they are kept
    // (most of a Korean fight's rounds are fighters circling: they fly on, and only draw
    // whether they take a friend for a foe).
    let mut lists_hold = false;
    // The earliest round in which an aircraft still on the ground may join.
    let mut next_join = 0u16;
    while next_round < p.max_rounds {
        let round = next_round;
        next_round += 1;
        let beyond_reach = |s: usize| {
            leave_round[s]
                .is_some_and(|left| round.saturating_sub(left) > p.sides[1 - s].pursuit_rounds)
                && !(ws.bombers[s].is_empty() && ws.fighters[s].is_empty())
        };
        if !(lists_hold
            && next_join > round
            && !beyond_reach(0)
            && !beyond_reach(1)
            && !ws.fly_every_round)
        {
            make_lists(p, ws, round, &leave_round);
            lists_hold = true;
        }

        // Firing passes.
        let rng_at_passes = rng.clone();
        ws.passes.clear();
        for s in 0..2 {
            let enemy = 1 - s;
            // A leaving side starts no new fights, but its fighters still turn on attackers.
            let leaving = leave_round[s].is_some();
            let fighters = &ws.fighters[s];
            for (k, &i) in fighters.iter().enumerate() {
                let i = i as usize;
                let a = ws.aircraft[i];
                let flags = a.flags;
                if a.ammo == 0 || !flags.attacks {
                    continue;
                }
                // A fighter no faster than the leaving enemy cannot keep up with it.
                if flags.slow && leave_round[enemy].is_some_and(|left| round > left) {
                    continue;
                }
                // Friendly fire: a friend taken for a foe.
                if !leaving && fighters.len() > 1 && chance(rng, p.sides[s].friendly_fire) {
                    let mut j = fighters[index(rng, fighters.len())];
                    if j as usize == i {
                        j = fighters[(k + 1) % fighters.len()];
                    }
                    ws.passes.push(Pass {
                        shooter: i as u32,
                        target: j,
                        friendly: true,
                    });
                    continue;
                }
                // Who attacked it last round (the stamp replaces a reset of every aircraft
                // at the start of each round's resolution).
                let turn_on = if round > 0 && a.attacked_by_round == round - 1 {
                    a.attacked_by
                } else {
                    NONE
                };
                let target = if turn_on != NONE
                    && ws.aircraft[turn_on as usize].state == State::Active
                    && chance(rng, params.tie_up_probability)
                {
                    Some(turn_on)
                } else if leaving {
                    None
                } else {
                    pick_target(
                        &p.forces[a.force as usize],
                        &ws.bombers[enemy],
                        &ws.fighters[enemy],
                        rng,
                    )
                };
                if let Some(t) = target {
                    ws.passes.push(Pass {
                        shooter: i as u32,
                        target: t,
                        friendly: false,
                    });
                }
            }
        }

        // Resolve passes against the state at the start of the round.
        ws.destroyed.clear();
        ws.damaged.clear();
        for &pass in &ws.passes {
            let (si, ti) = (pass.shooter as usize, pass.target as usize);
            let (shooter, target) = (ws.aircraft[si], ws.aircraft[ti]);
            let table = p.pass(shooter.force as usize, target.force as usize);
            let pos = 1 + usize::from(shooter.position_round == round)
                - usize::from(target.position_round == round);
            out.passes += 1;
            ws.aircraft[si].ammo = ws.aircraft[si].ammo.saturating_sub(1);
            // A friend's fire is not an enemy to turn on (turning on it made a same-side pass
            // that counted as a claim against one's own side).
            if !pass.friendly {
                ws.aircraft[ti].attacked_by = pass.shooter;
                ws.aircraft[ti].attacked_by_round = round;
            }
            ws.aircraft[ti].attacked_in_round = round;
            let claimant = shooter.side();
            let cell = shooter.force as usize * n + target.force as usize;
            let odds = &mut ws.odds[cell];
            let mut hit = odds.hit[pos];
            if hit.is_nan() {
                hit = sigmoid(table.hit_logit[pos] + fortune[claimant]);
                odds.hit[pos] = hit;
            }
            let claim = &claims[claimant];
            if chance(rng, hit) {
                if chance(rng, table.destroy) {
                    ws.destroyed.push((pass.target, pass.friendly));
                    if !pass.friendly && chance(rng, claim.destroyed) {
                        out.claims[claimant] += 1;
                        out.claims_against[target.force as usize] += 1;
                    }
                } else if chance(rng, table.damage) {
                    ws.damaged.push(pass.target);
                    if !pass.friendly && chance(rng, claim.damaged) {
                        out.claims[claimant] += 1;
                        out.claims_against[target.force as usize] += 1;
                    }
                } else if !pass.friendly && chance(rng, claim.missed) {
                    out.claims[claimant] += 1;
                    out.claims_against[target.force as usize] += 1;
                }
            } else if !pass.friendly && chance(rng, claim.missed) {
                out.claims[claimant] += 1;
                out.claims_against[target.force as usize] += 1;
            }
            // The target's gunners fire back.
            let return_hit = if pass.friendly {
                0.0
            } else {
                let odds = &mut ws.odds[cell];
                if odds.return_hit.is_nan() {
                    odds.return_hit = table
                        .return_logit
                        .map_or(0.0, |z| sigmoid(z + fortune[target.side()]));
                }
                odds.return_hit
            };
            if return_hit > 0.0 {
                let gunner_side = target.side();
                let claim = &gunner_claims[gunner_side];
                if chance(rng, return_hit) {
                    if chance(rng, table.return_destroy) {
                        ws.destroyed.push((pass.shooter, false));
                        if chance(rng, claim.destroyed) {
                            out.claims[gunner_side] += 1;
                            out.claims_against[shooter.force as usize] += 1;
                        }
                    } else if chance(rng, table.damage) {
                        ws.damaged.push(pass.shooter);
                        if chance(rng, claim.damaged) {
                            out.claims[gunner_side] += 1;
                            out.claims_against[shooter.force as usize] += 1;
                        }
                    }
                } else if chance(rng, claim.missed) {
                    out.claims[gunner_side] += 1;
                    out.claims_against[shooter.force as usize] += 1;
                }
            }
        }
        // Apply: destruction first, then damage to those still flying.
        lists_hold &= ws.destroyed.is_empty() && ws.damaged.is_empty();
        for &(i, friendly) in &ws.destroyed {
            let a = &mut ws.aircraft[i as usize];
            if a.state == State::Active {
                a.state = State::Gone;
                a.fate = if friendly {
                    Fate::ShotDownByOwnSide
                } else {
                    Fate::LostInCombat
                };
                lost_share_count[a.side()] += 1;
            }
        }
        for &i in &ws.damaged {
            let a = &mut ws.aircraft[i as usize];
            if a.state == State::Active {
                a.state = State::Damaged;
                lost_share_count[a.side()] += 1;
            }
        }

        // Bombing.
        if round == p.target_round && leave_round[p.attacker].is_none() {
            lists_hold = false;
            bomb(p, ws, rng, out, round, &claims[p.attacker]);
            if matches!(
                p.mission,
                airwar_scenario::Mission::AirfieldStrike | airwar_scenario::Mission::Strike
            ) {
                leave_round[p.attacker] = Some(round + 1);
            }
        }

        // Fuel, ammunition and break-off; in the same pass, whether each side still has an
        // armed fighter that may attack (in the air or still to join).
        // Only alive aircraft can be active or waiting; those that are not any more drop out.
        let mut armed = [false; 2];
        let mut kept = 0;
        next_join = u16::MAX;
        for r in 0..ws.alive.len() {
            let i = ws.alive[r];
            let a = &mut ws.aircraft[i as usize];
            let attacks = a.flags.attacks;
            if a.state == State::Active {
                a.fuel = a.fuel.saturating_sub(1);
                if a.fuel == 0 || (attacks && a.ammo == 0) {
                    a.state = State::Home;
                    lists_hold = false;
                }
            } else if a.state == State::Waiting {
                next_join = next_join.min(a.join_round);
            }
            if matches!(a.state, State::Active | State::Waiting) {
                if a.ammo > 0 && attacks {
                    armed[a.side()] = true;
                }
                ws.alive[kept] = i;
                kept += 1;
            }
        }
        ws.alive.truncate(kept);
        for s in 0..2 {
            if leave_round[s].is_none()
                && initial[s] > 0
                && lost_share_count[s] as f64 >= params.break_off_loss_share * initial[s] as f64
            {
                leave_round[s] = Some(round + 1);
            }
        }
        rounds = round as u32 + 1;
        // The fight is over when neither side has an armed fighter left that may attack.
        let can_attack = |s: usize| leave_round[s].is_none() && armed[s];
        let raid_pending = round < p.target_round;
        if !raid_pending && !can_attack(0) && !can_attack(1) {
            break;
        }
        // A quiet stretch: after a round that made no pass and drew nothing, the rounds
        // before anything can change (up to the end of the fight, if nothing will) are flown
        // in one step (see `quiet_stretch`).
        let quiet = ws.passes.is_empty() && *rng == rng_at_passes && !ws.fly_every_round;
        if quiet {
            match quiet_stretch(p, ws, round, next_join, &leave_round) {
                Stretch::Resume(resume) => {
                    // Fuel burnt in the stretch may have sent aircraft home.
                    lists_hold &= resume == next_round;
                    next_round = resume;
                    rounds = u32::from(resume);
                }
                Stretch::Ends(last) => {
                    rounds = u32::from(last) + 1;
                    break;
                }
            }
        } else if lists_hold && !ws.fly_every_round && ws.passes.iter().all(|x| x.friendly) {
            // A circling stretch: the rounds in which fighters with no enemy in reach only
            // draw whether they take a friend for a foe are drawn without the walks over the
            // aircraft, up to the first such draw that comes up (see `circling_stretch`).
            let resume = circling_stretch(p, ws, rng, round, next_join, &leave_round);
            next_round = resume;
            rounds = u32::from(resume);
        }
    }
    out.rounds = rounds;
    // Parked aircraft the bombs did not destroy survive.
    for (counts, group) in out.parked.iter_mut().zip(&p.parked) {
        counts.survived = group.3 - counts.destroyed_on_ground;
    }

    // 5. Going home and crews.
    for a in ws.aircraft.iter_mut() {
        let s = a.side();
        if a.state == State::Damaged {
            if chance(rng, p.sides[s].lost_on_way_home) {
                a.fate = Fate::LostOnWayHome;
            } else {
                out.forces[a.force as usize].damaged += 1;
            }
        }
        out.forces[a.force as usize].add(a.fate);
        if a.fate.is_loss() && a.fate != Fate::DestroyedOnGround {
            let crew = p.forces[a.force as usize].crew;
            let own_ground = a.fate == Fate::LostOnWayHome || p.ground_below == s;
            for _ in 0..crew {
                if !chance(rng, params.crew_survival) {
                    out.crews[s].killed += 1;
                } else if own_ground {
                    out.crews[s].recovered += 1;
                } else {
                    out.crews[s].captured += 1;
                }
            }
        }
    }
}

/// Who is in the fight this round: late fighters join (or set off after an enemy already
/// leaving), a leaving side beyond the pursuer's reach goes home, and the aircraft still in it
/// are listed by side as bombers and fighters, in index order. Aircraft that leave the fight
/// here drop out of the alive list.
fn make_lists(
    p: &PreparedEngagement,
    ws: &mut Workspace,
    round: u16,
    leave_round: &[Option<u16>; 2],
) {
    let rm = p.params.round_minutes;
    for s in 0..2 {
        ws.bombers[s].clear();
        ws.fighters[s].clear();
    }
    // Aircraft that leave the fight here drop out of the alive list.
    let mut kept = 0;
    for r in 0..ws.alive.len() {
        let i = ws.alive[r] as usize;
        let a = &mut ws.aircraft[i];
        if a.state == State::Waiting && a.join_round <= round {
            let s = a.side();
            match leave_round[1 - s] {
                // The enemy is already on its way home: a late fighter must first catch it.
                Some(left) if round > left && !a.chasing => {
                    a.chasing = true;
                    let enemy_speed = p.sides[s].enemy_speed_kmh;
                    let speed = p.forces[a.force as usize].speed_kmh;
                    a.join_round = if speed > enemy_speed {
                        let extra =
                            ((round - left) as f64 * enemy_speed / (speed - enemy_speed)).ceil();
                        round.saturating_add(extra.min(10_000.0) as u16)
                    } else {
                        u16::MAX
                    };
                }
                _ => a.join_round = round,
            }
            if a.join_round <= round {
                // Fuel has been burning since take-off.
                let airborne = p.warning_minutes + round as f64 * rm - a.takeoff_minutes as f64;
                let used = (airborne / rm).floor().clamp(0.0, u16::MAX as f64) as u16;
                a.fuel = a.fuel.saturating_sub(used);
                a.state = if a.fuel == 0 {
                    State::Home
                } else {
                    State::Active
                };
            }
        }
        if a.state != State::Active {
            if a.state == State::Waiting {
                ws.alive[kept] = i as u32;
                kept += 1;
            }
            continue;
        }
        let s = a.side();
        // A side that is leaving can be caught only while the pursuer's rules allow.
        if let Some(left) = leave_round[s] {
            if round.saturating_sub(left) > p.sides[1 - s].pursuit_rounds {
                a.state = State::Home;
                continue;
            }
        }
        if a.flags.is_bomber {
            ws.bombers[s].push(i as u32);
        } else {
            ws.fighters[s].push(i as u32);
        }
        ws.alive[kept] = i as u32;
        kept += 1;
    }
    ws.alive.truncate(kept);
}

/// Where a quiet stretch of a fight leads (see [`quiet_stretch`]).
enum Stretch {
    /// The next round that must be flown (the round after the quiet one if none can be
    /// skipped).
    Resume(u16),
    /// The fight ends at the end of this round, before anything else happens.
    Ends(u16),
}

/// Fly the quiet rounds after `round`, a round that made no pass and drew nothing. Until an
/// aircraft still on the ground joins (in round `next_join` at the earliest), or the raid
/// reaches its target round (which is always flown), every later round is as quiet: who may
/// fight only shrinks (aircraft run out of fuel or go home beyond the pursuer's reach), so no
/// fighter finds a target or a friend to mistake that it did not find in this round; nobody was
/// attacked, so nobody turns on an attacker; no losses, so no side starts to break off. Such a
/// round only burns a round of fuel, sends home those that run dry, and may end the fight: once
/// the raid has reached its target, the fight ends when no side that is not leaving has an
/// armed fighter left, in the air or still to join. So the stretch up to the first round that
/// can differ is flown here at once: the same draws and outcome, without the walks over the
/// aircraft.
///
/// Two kinds of fight gain most. A raid on a Chinese airfield bombs in its first round and turns
/// home, and a defender that cannot catch it used to keep the fight going, round by empty
/// round, to the longest fuel endurance (185 rounds); and a Chinese bomber raid whose defenders
/// take off too late, climb for a dozen rounds and then cannot catch it up was flown round by
/// empty round while they climbed, a quarter of the rounds a Chinese replication flew.
fn quiet_stretch(
    p: &PreparedEngagement,
    ws: &mut Workspace,
    round: u16,
    next_join: u16,
    leave_round: &[Option<u16>; 2],
) -> Stretch {
    let next = round + 1;
    let resume = next_change(p, next, next_join);
    // Per side: an armed fighter still to join; the most fuel of an armed one in the air.
    let mut waiting_armed = [false; 2];
    let mut fuel = [0u16; 2];
    for &i in &ws.alive {
        let a = &ws.aircraft[i as usize];
        let armed = a.flags.attacks && a.ammo > 0;
        match a.state {
            State::Waiting => waiting_armed[a.side()] |= armed,
            State::Active if armed => {
                let s = a.side();
                fuel[s] = fuel[s].max(a.fuel);
            }
            _ => {}
        }
    }
    if next > p.target_round {
        // The last round in which a side that is not leaving can still attack, and so the
        // round at whose end the fight is over.
        let last = (0..2)
            .filter(|&s| leave_round[s].is_none())
            .map(|s| {
                if waiting_armed[s] {
                    u16::MAX
                } else {
                    round.saturating_add(fuel[s])
                }
            })
            .max()
            .unwrap_or(round);
        if last < resume {
            return Stretch::Ends(last.max(next));
        }
    }
    if resume <= next {
        return Stretch::Resume(next);
    }
    let skipped = resume - next;
    for &i in &ws.alive {
        let a = &mut ws.aircraft[i as usize];
        if a.state == State::Active {
            a.fuel = a.fuel.saturating_sub(skipped);
            if a.fuel == 0 {
                a.state = State::Home;
            }
        }
    }
    Stretch::Resume(resume)
}

/// The first round from `next` on that a stretch must leave to the round loop, whatever the
/// aircraft do: an aircraft still on the ground may join (`next_join`), the raid reaches its
/// target round, or, once past it, the last round.
fn next_change(p: &PreparedEngagement, next: u16, next_join: u16) -> u16 {
    next_join.min(if next <= p.target_round {
        p.target_round
    } else {
        p.max_rounds
    })
}

/// Draw the circling rounds after `round` and return the next round to fly in full.
///
/// The caller has flown `round`, in which no aircraft changed its state, the lists of who is in
/// the fight still hold and nobody was attacked by an enemy. If only one side is in the fight,
/// its fighters have no enemy to pick or turn on, so until something can change (an aircraft
/// joins, the raid's target round, an aircraft's fuel running out, the last round) each round
/// is the same: every fighter that may attack draws once whether it takes a friend for a foe,
/// and if none does the round only burns a round of fuel. Those rounds are drawn here, in the
/// same order as the round loop draws them. At the first round in which a draw comes up, the
/// generator is set back to that round's start and the round is left to the loop, which draws
/// the same numbers and flies the friendly pass. So the draws and the outcome are exactly those
/// of flying every round.
///
/// Most of the rounds a Korean replication flew were such rounds, MiGs circling once the enemy
/// had gone home: it flies about 5,600 rounds in full now, against about 14,500 before.
fn circling_stretch(
    p: &PreparedEngagement,
    ws: &mut Workspace,
    rng: &mut ModelRng,
    round: u16,
    next_join: u16,
    leave_round: &[Option<u16>; 2],
) -> u16 {
    let next = round + 1;
    let present = |s: usize| !ws.bombers[s].is_empty() || !ws.fighters[s].is_empty();
    if present(0) && present(1) {
        return next;
    }
    let mut limit = next_change(p, next, next_join).min(p.max_rounds);
    // A leaving side passing beyond the pursuer's reach needs no limit: if it is the side in
    // the fight, it draws nothing (it starts no fights and nobody attacks it), and the stretch
    // ends below before it starts.
    for left in leave_round.iter().flatten() {
        // The other side's slow fighters stop following a leaving side after the round it
        // left. Today that round is always past when a stretch starts (a side starts to leave
        // in a round that changes the lists, or, with a break-off share of zero, both sides
        // leave after the first round and then nobody draws), so this only keeps the stretch
        // from resting on how sides come to leave.
        if next <= *left {
            limit = limit.min(left + 1);
        }
    }
    let mut fuel = u16::MAX;
    for &i in &ws.alive {
        let a = &ws.aircraft[i as usize];
        if a.state == State::Active {
            fuel = fuel.min(a.fuel);
        }
    }
    // An aircraft with `fuel` rounds left runs dry in round `round + fuel`, which is flown.
    limit = limit.min(round.saturating_add(fuel));
    if limit <= next {
        return next;
    }
    // How many fighters of each side draw a friendly-fire chance each round, as the round
    // loop decides it.
    let mut draws = [0u32; 2];
    for (s, count) in draws.iter_mut().enumerate() {
        let fighters = &ws.fighters[s];
        if leave_round[s].is_some() || fighters.len() <= 1 {
            continue;
        }
        let enemy_left = leave_round[1 - s].is_some_and(|left| next > left);
        for &i in fighters {
            let a = &ws.aircraft[i as usize];
            if a.ammo > 0 && a.flags.attacks && !(a.flags.slow && enemy_left) {
                *count += 1;
            }
        }
    }
    if draws == [0, 0] {
        return next;
    }
    let chances = [p.sides[0].friendly_fire, p.sides[1].friendly_fire];
    let mut resume = next;
    'rounds: while resume < limit {
        let at_start = rng.clone();
        for s in 0..2 {
            for _ in 0..draws[s] {
                if chance(rng, chances[s]) {
                    *rng = at_start;
                    break 'rounds;
                }
            }
        }
        resume += 1;
    }
    let burnt = resume - next;
    if burnt > 0 {
        for &i in &ws.alive {
            let a = &mut ws.aircraft[i as usize];
            if a.state == State::Active {
                a.fuel -= burnt;
            }
        }
    }
    resume
}

fn side_total(p: &PreparedEngagement, side: usize) -> u32 {
    p.forces
        .iter()
        .filter(|f| f.side == side)
        .map(|f| f.count)
        .sum()
}

#[inline]
fn pick_target(
    f: &ForceStats,
    bombers: &[u32],
    fighters: &[u32],
    rng: &mut ModelRng,
) -> Option<u32> {
    use airwar_scenario::Role;
    let (first, second): (&[u32], &[u32]) = match f.role {
        Role::Interceptor => (bombers, fighters),
        Role::Sweep => (fighters, bombers),
        Role::Escort => (fighters, &[]),
        Role::Bomber | Role::Attack => (&[], &[]),
    };
    let pool = if !first.is_empty() { first } else { second };
    if pool.is_empty() {
        None
    } else {
        Some(pool[index(rng, pool.len())])
    }
}

/// Bombs fall in the target round. On an airfield each parked aircraft, and each defending
/// aircraft that has not yet taken off, is destroyed with probability 1 - exp(-k · T · L), where
/// T is the effective tonnage: each bomber's load times its accuracy (falling with altitude, and
/// lower for bombers under attack this round), and L the raid's luck, a log-normal multiplier
/// with mean 1 and log standard deviation `bombing_sd` drawn once per raid.
fn bomb(
    p: &PreparedEngagement,
    ws: &mut Workspace,
    rng: &mut ModelRng,
    out: &mut EngagementOutcome,
    round: u16,
    claim: &ClaimOdds,
) {
    if p.mission != airwar_scenario::Mission::AirfieldStrike {
        return;
    }
    let params = &p.params;
    let mut tonnes = 0.0;
    for &b in &ws.bombers[p.attacker] {
        let a = &ws.aircraft[b as usize];
        if a.state != State::Active {
            continue;
        }
        let under_attack = a.attacked_in_round == round;
        let accuracy = p.altitude_accuracy
            * if under_attack {
                params.bombing_under_attack
            } else {
                1.0
            };
        tonnes += p.forces[a.force as usize].bomb_tonnes * accuracy;
    }
    if tonnes <= 0.0 {
        return;
    }
    // The raid's luck: where its sticks fell. Drawn only for a raid that drops, so engagements
    // without one consume the same random numbers as before.
    let luck = mean_one_lognormal(rng, params.bombing_sd);
    let kill = 1.0 - (-params.lethal_share_per_tonne * tonnes * luck).exp();
    // A hit that does not destroy leaves the aircraft damaged, which crews may claim.
    let damage = (kill * (1.0 + params.damage_share)).min(1.0);
    let claimant = p.attacker;
    for (gi, group) in p.parked.iter().enumerate() {
        for _ in 0..group.3 {
            let u = uniform(rng);
            if u < kill {
                out.parked[gi].add(Fate::DestroyedOnGround);
                if chance(rng, claim.destroyed) {
                    out.ground_claims[claimant] += 1;
                }
            } else {
                if u < damage && chance(rng, claim.damaged) {
                    out.ground_claims[claimant] += 1;
                }
            }
        }
    }
    // Defenders still on the ground when the bombs fall.
    let bombs_fall_at = (round as f64 + 0.5) * params.round_minutes + p.warning_minutes;
    for a in ws.aircraft.iter_mut() {
        if a.side as usize != p.attacker
            && a.state == State::Waiting
            && (a.takeoff_minutes as f64) > bombs_fall_at
            && chance(rng, kill)
        {
            a.state = State::Gone;
            a.fate = Fate::DestroyedOnGround;
            if chance(rng, claim.destroyed) {
                out.ground_claims[claimant] += 1;
            }
        }
    }
}
