//! Combat, the day's fourth phase. Each historical battle is fought on its date; further
//! engagements come at a rate per covert aircraft on hand (more during a cited major operation,
//! fewer as the front moves away), each a typical fight shaped from one of the theatre's
//! battles: its circumstances kept, the typical number of aircraft that fight, even numbers,
//! the cited mix of opponents. The friendly side is scaled to the aircraft actually serviceable
//! and flown by the covert force's current pilots, with the host's beside them where the record
//! says they fought together; the covert force flies from the nearest base its side still
//! holds, and its rules act on the fight (a no-pursuit line; no shared radio language). The
//! engagement model resolves it; losses and claims are split between the covert force and the
//! host in proportion to their aircraft.
//!
//! Engagements are prepared once, when the campaign is compiled: one [`Shape`] per battle and
//! choice of opponents. A fight sets only what varies on the day (the counts, the pilots'
//! quality, the distance home, the rules), so no engagement is cloned or prepared per draw.

use airwar_model::engagement::{
    prepare, simulate_into as simulate_engagement, EngagementOutcome, PreparedEngagement, Workspace,
};
use airwar_model::rng::{chance, uniform, unit_interval, ModelRng};
use airwar_model::ModelParameters;
use airwar_scenario::engagement::Role;
use airwar_scenario::{AircraftDatabase, Engagement};

use super::State;
use crate::campaign::{binomial, poisson, Campaign, EngagementRate, TypicalSize};
use crate::metrics::Total;
use crate::params::CampaignParameters;
use crate::streams::Streams;
use airwar_model::rounding::round;

/// One battle with one choice of opponents, prepared for the engagement model, with the
/// figures a fight changes kept as the battle gives them.
#[derive(Debug, Clone)]
pub(crate) struct Shape {
    pub prepared: PreparedEngagement,
    /// Aircraft of each prepared force, and of each parked group, as the battle gives them.
    counts: Vec<u32>,
    /// The prepared forces of each side (`prepare` lists them side by side).
    side_forces: [std::ops::Range<usize>; 2],
    parked: Vec<u32>,
    home_km: f64,
    ground_below: usize,
    pursuit_rounds: u16,
    friendly_fire: f64,
    /// The friendly side's friendly-fire risk when it may speak its own language on the radio.
    friendly_fire_shared_language: f64,
}

/// A battle's shapes: `[0]` with the battle's own opponents, then one per cited opponent
/// (None where the model cannot prepare it: that draw is not fought).
pub(crate) type Shapes = Vec<Option<Shape>>;

/// What a run's replications reuse on one thread, so that fights do not allocate: the
/// prepared shapes (each fight sets every figure that varies before it is fought) and buffers.
#[derive(Debug)]
pub struct Scratch {
    /// One entry per template.
    pub(crate) shapes: Vec<Shapes>,
    pub(crate) workspace: Workspace,
    outcome: EngagementOutcome,
    todays: Vec<(usize, bool)>,
    counts: Vec<u32>,
    parked: Vec<u32>,
    exact: Vec<f64>,
}

impl Scratch {
    pub(crate) fn new(shapes: &[Shapes]) -> Scratch {
        Scratch {
            shapes: shapes.to_vec(),
            workspace: Workspace::new(),
            outcome: EngagementOutcome::default(),
            todays: Vec::new(),
            counts: Vec::new(),
            parked: Vec::new(),
            exact: Vec::new(),
        }
    }
}

/// Prepare `e` as the campaign fights it, as [`Shape`]s: its own opponents, then each of
/// `opponents` (type index in the database, type id, fighter?) in its place.
pub(crate) fn shapes(
    e: &Engagement,
    friendly: usize,
    opponents: &[(usize, String, bool, f64)],
    db: &AircraftDatabase,
    params: &ModelParameters,
) -> Shapes {
    let mut out = vec![shape(e, friendly, db, params)];
    for (index, type_id, fighter, _) in opponents {
        let mut e = e.clone();
        for (i, side) in e.sides.iter_mut().enumerate() {
            if i == friendly {
                continue;
            }
            for force in &mut side.forces {
                force.type_index = *index;
                force.type_id.clone_from(type_id);
                // A fighter flies a sweep and leaves parked aircraft alone.
                if *fighter {
                    force.role = Role::Sweep;
                }
            }
        }
        if *fighter {
            for parked in &mut e.sides[friendly].parked {
                parked.count.value = 0;
            }
        }
        out.push(shape(&e, friendly, db, params));
    }
    out
}

fn shape(
    e: &Engagement,
    friendly: usize,
    db: &AircraftDatabase,
    params: &ModelParameters,
) -> Option<Shape> {
    let mut prepared = prepare(e, db, params).ok()?;
    // A campaign never reads a battle's recorded outcome.
    prepared.observed.clear();
    let mut talking = e.clone();
    talking.sides[friendly].shares_radio_language.value = true;
    let friendly_fire_shared_language =
        prepare(&talking, db, params).ok()?.sides[friendly].friendly_fire;
    let side = &prepared.sides[friendly];
    let first_of_side_1 = prepared.forces.partition_point(|f| f.side == 0);
    if prepared.forces[first_of_side_1..]
        .iter()
        .any(|f| f.side == 0)
    {
        return None;
    }
    Some(Shape {
        side_forces: [0..first_of_side_1, first_of_side_1..prepared.forces.len()],
        counts: prepared.forces.iter().map(|f| f.count).collect(),
        parked: prepared.parked.iter().map(|p| p.3).collect(),
        home_km: side.home_distance_km,
        ground_below: prepared.ground_below,
        pursuit_rounds: side.pursuit_rounds,
        friendly_fire: side.friendly_fire,
        friendly_fire_shared_language,
        prepared,
    })
}

/// The pursuit limit of a side with no no-pursuit line (as `prepare` gives it).
const NO_PURSUIT_LIMIT: u16 = 1000;

#[allow(clippy::too_many_arguments)]
pub(crate) fn run(
    c: &Campaign,
    p: &CampaignParameters,
    s: &mut State,
    scratch: &mut Scratch,
    day: u32,
    rng: &mut ModelRng,
    streams: &Streams,
) {
    if s.withdrawn {
        return;
    }
    // (template, historical?): the battles of the day, then the day's other engagements
    // drawn from them.
    let mut todays = std::mem::take(&mut scratch.todays);
    todays.clear();
    todays.extend(
        c.templates
            .iter()
            .enumerate()
            .filter(|(_, t)| t.day == Some(day))
            .map(|(i, _)| (i, true)),
    );
    for _ in 0..poisson(rng, expected_engagements(c, p, s, day)) {
        let i = ((uniform(rng) * c.templates.len() as f64) as usize).min(c.templates.len() - 1);
        todays.push((i, false));
    }
    for (k, &(ti, historical)) in todays.iter().enumerate() {
        fight(c, p, s, scratch, day, k, ti, historical, rng, streams);
    }
    scratch.todays = todays;
}

/// The expected number of engagements drawn on `day`.
fn expected_engagements(c: &Campaign, p: &CampaignParameters, s: &State, day: u32) -> f64 {
    let base = match c.engagement_rate {
        EngagementRate::PerDay(r) => r,
        EngagementRate::PerAircraftDay(r) => r * s.held(0) as f64,
    };
    let operation = if c.operation_days.get(day as usize).copied().unwrap_or(false) {
        p.operation_rate_multiplier
    } else {
        1.0
    };
    let front = c
        .front_excess_km
        .get(day as usize)
        .copied()
        .flatten()
        .map_or(1.0, |excess| (-excess / p.front_distance_scale_km).exp());
    base * operation * front
}

/// Fight the `k`-th engagement of the day, shaped from template `ti`.
#[allow(clippy::too_many_arguments)]
fn fight(
    c: &Campaign,
    p: &CampaignParameters,
    s: &mut State,
    scratch: &mut Scratch,
    day: u32,
    k: usize,
    ti: usize,
    historical: bool,
    rng: &mut ModelRng,
    streams: &Streams,
) {
    let template = &c.templates[ti];
    let f = template.friendly;
    let covert_ready = ((s.held(0) as f64 * p.serviceable_share) as u32).min(s.pilots);
    let host_ready = if c.fights_with_host {
        (s.held(1) as f64 * p.serviceable_share) as u32
    } else {
        0
    };
    let available = covert_ready + host_ready;
    if available == 0 || covert_ready == 0 || template.friendly_needed == 0 {
        return;
    }
    // The forces of the day: the battle's own, or a typical fight's.
    let variant = if historical {
        0
    } else {
        let Scratch {
            shapes,
            counts,
            parked,
            exact,
            ..
        } = scratch;
        drawn_shape(c, p, template, &shapes[ti], rng, counts, parked, exact)
    };
    let Some(shape) = scratch.shapes[ti][variant].as_mut() else {
        return;
    };
    let e = &mut shape.prepared;
    let (counts, parked) = if historical {
        (&shape.counts, &shape.parked)
    } else {
        (&scratch.counts, &scratch.parked)
    };
    for (force, n) in e.forces.iter_mut().zip(counts) {
        force.count = *n;
    }
    for (group, n) in e.parked.iter_mut().zip(parked) {
        group.3 = *n;
    }
    // The friendly side flies the aircraft it has, up to what the fight needs.
    let needed: u32 = side_count(e, f).max(1);
    let scale = (available as f64 / needed as f64).min(1.0);
    for force in e.forces.iter_mut().filter(|x| x.side == f) {
        force.count = round(force.count as f64 * scale) as u32;
    }
    let flying = side_count(e, f);
    if flying == 0 {
        return;
    }
    let beyond_line = !c.pursuit_rule && chance(rng, p.beyond_line_share);
    // Recomputing the pass table gives the table it has when the side already flies pilots of
    // this quality (the quality is the only input that changes), so that is skipped.
    if e.forces
        .iter()
        .any(|x| x.side == f && x.quality != s.quality)
    {
        e.set_side_quality(f, s.quality);
    }
    // The covert force flies from the nearest base its side holds that day: as bases fall,
    // its damaged aircraft have farther to go home.
    let epochs = &c.home_km[ti];
    let epoch = epochs
        .partition_point(|(from, _)| *from <= day)
        .saturating_sub(1);
    let home = match epochs.get(epoch).and_then(|(_, km)| *km) {
        Some(km) => km.min(5000.0),
        None => shape.home_km,
    };
    // Likewise the loss on the way home when the distance has not changed.
    if e.sides[f].home_distance_km != home {
        e.set_home_distance(f, home);
    }
    // The covert force's rules act on the fight: without a no-pursuit rule it may follow the
    // enemy home and fight over the enemy's ground; without the radio rule it shares a
    // language with its allies.
    e.sides[f].pursuit_rounds = if c.pursuit_rule {
        shape.pursuit_rounds
    } else {
        NO_PURSUIT_LIMIT
    };
    e.ground_below = if beyond_line {
        1 - f
    } else {
        shape.ground_below
    };
    let language_allowed = !c.radio_rule;
    e.sides[f].friendly_fire = if language_allowed {
        shape.friendly_fire_shared_language
    } else {
        shape.friendly_fire
    };

    let e = &shape.prepared;
    let result = &mut scratch.outcome;
    simulate_engagement(
        e,
        &mut streams.engagement(day, k),
        &mut scratch.workspace,
        result,
    );
    s.counts[Total::Engagements] += 1;
    let covert_share = covert_ready as f64 / available as f64;
    let mut friendly_air_lost = 0u32;
    let mut wrecks_on_enemy_ground = 0u32;
    for (counts, force) in result.forces.iter().zip(&e.forces) {
        if force.side == f {
            friendly_air_lost += counts.losses();
            s.counts[Total::FriendlyFireLosses] += counts.shot_down_by_own_side as u64;
            if e.ground_below != f {
                wrecks_on_enemy_ground += counts.lost_in_combat + counts.shot_down_by_own_side;
            }
        } else {
            s.counts[Total::EnemyLosses] += counts.losses() as u64;
        }
    }
    // The friendly side's claims (in the air and on the ground, as the record counts them)
    // are shared like its losses: the host's crews claim for the host.
    let air = binomial(rng, result.claims[f], covert_share) as u64;
    let ground = binomial(rng, result.ground_claims[f], covert_share) as u64;
    s.counts[Total::AirClaims] += air;
    s.counts[Total::GroundClaims] += ground;
    s.counts[Total::Claims] += air + ground;
    // Split the friendly side's losses between covert force and host.
    let covert_losses = binomial(rng, friendly_air_lost, covert_share);
    let host_losses = friendly_air_lost - covert_losses;
    let covert_flying = round((flying as f64) * covert_share) as u32;
    s.sorties += covert_flying as u64;
    let crew_survival = e.params.crew_survival;
    let accident_rate = match c.accidents_per_combat_death {
        // As many accidental deaths, on average, per combat death as the record shows; an
        // accident kills its pilot with the model's crew survival.
        Some(ratio) if covert_flying > 0 => {
            let combat_deaths = result.crews[f].killed as f64 * covert_share;
            (ratio * combat_deaths / (1.0 - crew_survival).max(0.05) / covert_flying as f64)
                .min(1.0)
        }
        _ => p.accident_rate_per_sortie,
    };
    let accidents = binomial(rng, covert_flying, accident_rate);
    let taken = take(
        &mut s.hand[0],
        covert_losses + accidents,
        &mut s.lost_by_type[0],
        rng,
    );
    s.counts[Total::CovertCombatLosses] += covert_losses.min(taken) as u64;
    s.counts[Total::CovertAccidentLosses] += taken.saturating_sub(covert_losses) as u64;
    s.counts[Total::CovertAircraftLost] += taken as u64;
    s.counts[Total::HostAircraftLost] +=
        take(&mut s.hand[1], host_losses, &mut s.lost_by_type[1], rng) as u64;
    // Pilots: killed or captured in the covert share, killed in accidents.
    let covert_crews = binomial(rng, result.crews[f].killed, covert_share)
        + binomial(rng, accidents, 1.0 - crew_survival);
    let captured = binomial(rng, result.crews[f].captured, covert_share);
    let killed = covert_crews.min(s.pilots);
    s.pilots -= killed;
    let captured = captured.min(s.pilots);
    s.pilots -= captured;
    s.counts[Total::PilotsKilled] += killed as u64;
    s.counts[Total::PilotsCaptured] += captured as u64;
    // Those who flew gain experience; the force's mean quality rises by their share of its
    // pilots.
    if s.pilots > 0 {
        let flew = (covert_flying as f64 / s.pilots as f64).min(1.0);
        s.quality = (s.quality + p.experience_per_engagement * flew).min(p.max_pilot_quality);
    }
    // What may expose the covert force, for the exposure phase.
    let covert_wrecks = binomial(rng, wrecks_on_enemy_ground, covert_share);
    let slip = if language_allowed {
        chance(rng, p.radio_heard_when_allowed)
    } else {
        chance(rng, p.radio_slip_per_engagement)
    };
    let events = &mut s.exposure_events;
    events.extend(std::iter::repeat_n(p.proof_per_capture, captured as usize));
    events.extend(std::iter::repeat_n(
        p.proof_per_wreck,
        covert_wrecks as usize,
    ));
    if slip {
        events.push(p.proof_per_radio_slip);
    }
}

fn side_count(e: &PreparedEngagement, side: usize) -> u32 {
    e.forces
        .iter()
        .filter(|f| f.side == side)
        .map(|f| f.count)
        .sum()
}

/// Shape an engagement drawn from a famous battle into a typical one: which [`Shape`] it uses
/// (whose opponents) and the counts of its forces and parked groups. Famous battles are
/// selected by their outcome (large, lopsided), so a drawn engagement keeps only the battle's
/// circumstances (place, height, warning, mission):
/// - the covert side flies the typical number of aircraft (where the record says what that
///   is), of which the share `contact_share` actually fights;
/// - the enemy sends `drawn_enemy_per_friendly` aircraft for each of them, rather than the
///   famous battle's odds;
/// - the enemy's types follow the record of whom the covert force fought, in their cited
///   shares (with the rest, the battle's own opponents stay). This undoes the famous battles'
///   bias towards raids by bombers.
#[allow(clippy::too_many_arguments)]
fn drawn_shape(
    c: &Campaign,
    p: &CampaignParameters,
    template: &crate::campaign::Template,
    shapes: &Shapes,
    rng: &mut ModelRng,
    counts: &mut Vec<u32>,
    parked: &mut Vec<u32>,
    exact: &mut Vec<f64>,
) -> usize {
    let f = template.friendly;
    let needed = template.friendly_needed as f64;
    let friendly = match c.typical_engagement {
        Some(TypicalSize::Fought(n)) => n.min(needed),
        Some(TypicalSize::Flew(n)) => n.min(needed) * p.contact_share,
        None => needed * p.contact_share,
    };
    // Rounded up with probability equal to the fraction, so that the expected number that
    // fight is the typical size exactly and moves smoothly with the contact share (plain
    // rounding made the campaign's likelihood a step function of it).
    let whole = friendly.floor() + f64::from(u8::from(unit_interval(rng) < friendly.fract()));
    let friendly_total = (whole as u32).max(1);
    let scale = friendly_total as f64 / needed;
    let enemy_total =
        (round(friendly_total as f64 * c.cparams.drawn_enemy_per_friendly) as u32).max(1);
    let mut u = unit_interval(rng);
    let variant = c
        .opponents
        .iter()
        .position(|o| {
            u -= o.3;
            u < 0.0
        })
        .map_or(0, |i| i + 1);
    counts.clear();
    parked.clear();
    let Some(shape) = shapes[variant].as_ref() else {
        return variant;
    };
    counts.extend_from_slice(&shape.counts);
    for (side, total) in [(f, friendly_total), (1 - f, enemy_total)] {
        resize(&mut counts[shape.side_forces[side].clone()], total, exact);
    }
    // Parked aircraft scale with the fight (the shape's own are zero where a fighter sweep
    // leaves them alone).
    parked.extend(shape.parked.iter().map(|n| round(*n as f64 * scale) as u32));
    variant
}

/// Resize counts to `total` aircraft, keeping their proportions (largest remainders, so the
/// total is exact; ties go to the earlier force). `exact` is a buffer.
pub(crate) fn resize(counts: &mut [u32], total: u32, exact: &mut Vec<f64>) {
    let now: u32 = counts.iter().sum();
    if now == 0 || counts.is_empty() {
        return;
    }
    exact.clear();
    exact.extend(counts.iter().map(|n| *n as f64 * total as f64 / now as f64));
    for (n, x) in counts.iter_mut().zip(exact.iter()) {
        // `as` truncates and saturates: `floor()` for these non-negative shares, no libm call.
        *n = *x as u32;
    }
    let given: u32 = counts.iter().sum();
    // Fewer remainders than forces are missing: give one each to the largest, a pass each.
    for _ in 0..total.saturating_sub(given) {
        let mut best: Option<(usize, f64)> = None;
        for (i, x) in exact.iter().enumerate() {
            let r = x - x.floor();
            if r >= 0.0 && best.is_none_or(|(_, b)| r > b) {
                best = Some((i, r));
            }
        }
        let Some((i, _)) = best else { break };
        counts[i] += 1;
        // Taken: never again in this resize.
        exact[i] = f64::NEG_INFINITY;
    }
}

/// Take `n` aircraft at random from those on hand (fewer if fewer are left), counting each
/// one taken in `removed` by type; returns how many were there to take.
fn take(hand: &mut [u32], n: u32, removed: &mut [u32], rng: &mut ModelRng) -> u32 {
    let mut taken = 0;
    for _ in 0..n {
        let total: u32 = hand.iter().sum();
        if total == 0 {
            break;
        }
        let mut pick = (uniform(rng) * total as f64) as u32;
        for (h, r) in hand.iter_mut().zip(removed.iter_mut()) {
            if pick < *h {
                *h -= 1;
                *r += 1;
                taken += 1;
                break;
            }
            pick -= *h;
        }
    }
    taken
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phases::tests::compiled;
    use airwar_model::rng::stream;

    #[test]
    fn resize_hits_the_total_and_keeps_proportions() {
        let mut buffer = Vec::new();
        let mut counts = [30, 10];
        resize(&mut counts, 7, &mut buffer);
        assert_eq!(counts, [5, 2]);
        let mut counts = [3, 3, 3];
        resize(&mut counts, 4, &mut buffer);
        assert_eq!(counts, [2, 1, 1]);
        // 9/109, 70/109 and 30/109 of 11 are 0.91, 7.06 and 3.03.
        let mut counts = [9, 70, 30];
        resize(&mut counts, 11, &mut buffer);
        assert_eq!(counts, [1, 7, 3]);
        let mut none = [0, 0];
        resize(&mut none, 5, &mut buffer);
        assert_eq!(none, [0, 0]);
    }

    #[test]
    fn drawn_engagements_are_typical_not_famous() {
        let (mut c, mut p) = compiled("korea-1950");
        p.contact_share = 0.2;
        c.cparams.drawn_enemy_per_friendly = 1.5;
        // Korea cites 63,000 sorties over 2,000 engagements: 31.5 sorties, of which a fifth
        // fight (6.3: 6 or 7), against 1.5 enemy aircraft each.
        let mut sabres = 0;
        for (k, template) in c.templates.iter().enumerate() {
            let f = template.friendly;
            for draw in 0..20u64 {
                let mut rng = stream(k as u64, draw);
                let (mut counts, mut parked, mut exact) = (Vec::new(), Vec::new(), Vec::new());
                let variant = drawn_shape(
                    &c,
                    &p,
                    template,
                    &c.shapes[k],
                    &mut rng,
                    &mut counts,
                    &mut parked,
                    &mut exact,
                );
                let shape = c.shapes[k][variant].as_ref().expect("prepared");
                let side = |s: usize| -> u32 {
                    counts
                        .iter()
                        .zip(&shape.prepared.forces)
                        .filter(|(_, x)| x.side == s)
                        .map(|(n, _)| n)
                        .sum()
                };
                let friendly = side(f);
                // The typical size, rounded up with probability equal to its fraction.
                let typical = 31.5f64.min(template.friendly_needed as f64) * 0.2;
                let (lo, hi) = (
                    typical.floor().max(1.0) as u32,
                    typical.ceil().max(1.0) as u32,
                );
                assert!(
                    (lo..=hi).contains(&friendly),
                    "{}: {friendly} not in {lo}-{hi}",
                    template.engagement.id
                );
                assert_eq!(side(1 - f), ((friendly as f64 * 1.5).round() as u32).max(1));
                if shape
                    .prepared
                    .forces
                    .iter()
                    .filter(|x| x.side != f)
                    .all(|x| x.type_id == "F-86E")
                {
                    sabres += 1;
                }
            }
        }
        // The cited share of fights against Sabres is 0.585 (more with the battles whose
        // opponents were Sabres anyway). Over 160 draws its standard error is
        // sqrt(0.585 × 0.415 / 160) = 0.039, so 0.45 lies 3.5 standard errors below.
        let share = sabres as f64 / (20 * c.templates.len()) as f64;
        assert!(share > 0.45, "share of drawn fights against Sabres {share}");
    }

    #[test]
    fn a_fight_never_takes_more_than_the_force_holds() {
        let (c, p) = compiled("korea-1950");
        let streams = Streams::new(4, 4);
        let mut scratch = Scratch::new(&c.shapes);
        let mut s = State::new(&c, &p);
        s.hand[0][0] = 6;
        s.hand[1][0] = 2;
        let mut rng = stream(4, 4);
        let pilots = s.pilots;
        for k in 0..200 {
            let ti = k % c.templates.len();
            fight(
                &c,
                &p,
                &mut s,
                &mut scratch,
                10,
                k,
                ti,
                false,
                &mut rng,
                &streams,
            );
        }
        let lost = s.counts[Total::CovertAircraftLost] + s.counts[Total::HostAircraftLost];
        assert_eq!(lost + s.held(0) as u64 + s.held(1) as u64, 8);
        assert!(s.counts[Total::PilotsKilled] + s.counts[Total::PilotsCaptured] <= pilots as u64);
        assert!(s.counts[Total::Engagements] > 0);
        assert!(
            s.counts[Total::Claims] == s.counts[Total::AirClaims] + s.counts[Total::GroundClaims]
        );
    }

    #[test]
    fn a_reused_shape_fights_as_a_freshly_prepared_engagement() {
        // The shape cache must not carry one fight's figures into the next: fighting the same
        // engagement after others gives what fighting it first gives.
        let (c, p) = compiled("china-1937");
        let run_one = |before: usize| {
            let streams = Streams::new(8, 1);
            let mut scratch = Scratch::new(&c.shapes);
            let mut s = State::new(&c, &p);
            s.hand[0][0] = 1000;
            s.pilots = 1000;
            for k in 0..before {
                let mut rng = stream(99, k as u64);
                fight(
                    &c,
                    &p,
                    &mut s,
                    &mut scratch,
                    300,
                    k,
                    k % c.templates.len(),
                    k % 2 == 0,
                    &mut rng,
                    &streams,
                );
            }
            let mut fresh = State::new(&c, &p);
            fresh.hand[0][0] = 1000;
            fresh.pilots = 1000;
            fresh.quality = 0.6;
            let mut rng = stream(5, 5);
            fight(
                &c,
                &p,
                &mut fresh,
                &mut scratch,
                600,
                0,
                0,
                false,
                &mut rng,
                &streams,
            );
            fresh.counts
        };
        assert_eq!(run_one(0), run_one(25));
    }
}
