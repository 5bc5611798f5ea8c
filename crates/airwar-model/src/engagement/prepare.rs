//! From a checked [`Engagement`] to the numbers the simulation loop needs.
//!
//! Everything that does not change between replications is computed here once: each force's
//! speed, climb time, firepower, toughness, ammunition and fuel in rounds; the per-pair pass
//! probabilities (a small force × force table, so the hot loop does no `exp`); each side's
//! friendly-fire risk and pursuit limit.

use airwar_scenario::aircraft::{AircraftDatabase, AircraftType};
use airwar_scenario::{Engagement, Mission, Posture, Role};

use crate::params::{ModelParameters, ParameterError};

/// Reference calibre and rate: a 7.62 mm gun firing 1,000 rounds a minute has firepower 1.
const REFERENCE_CALIBRE_MM: f64 = 7.62;
const REFERENCE_RATE_RPM: f64 = 1000.0;
/// Rate of fire assumed when a gun's file gives none: slower for heavier guns (a 7.62 mm gun
/// ~1,000 rpm, 12.7 mm ~800, 20 mm ~700, 37 mm ~400 are typical of the period).
fn default_rate_rpm(calibre_mm: f64) -> f64 {
    if calibre_mm < 10.0 {
        1000.0
    } else if calibre_mm < 15.0 {
        800.0
    } else if calibre_mm < 30.0 {
        700.0
    } else {
        400.0
    }
}
/// Rounds per gun assumed when a file gives none: enough for 15 seconds of fire.
const DEFAULT_SECONDS_OF_FIRE: f64 = 15.0;
/// Toughness is weight relative to this (a light fighter of the late 1930s).
const REFERENCE_WEIGHT_KG: f64 = 2000.0;
/// The speed at which a pass's firing window is the reference one (a fighter of the late
/// 1930s); a shooter twice as fast has half the time on target.
const REFERENCE_SPEED_KMH: f64 = 400.0;
/// Relative speed advantage beyond which extra speed no longer improves the chance of hits.
const MAX_SPEED_ADVANTAGE: f64 = 0.25;

/// Firepower of a set of guns: projectile mass (∝ calibre³) times rate of fire, relative to one
/// 7.62 mm gun at 1,000 rounds a minute.
pub fn firepower(guns: &[airwar_scenario::aircraft::Gun]) -> f64 {
    guns.iter()
        .map(|g| {
            let rate = g
                .rate_rpm
                .as_ref()
                .map_or_else(|| default_rate_rpm(g.calibre_mm), |r| r.value);
            g.count.value as f64
                * (g.calibre_mm / REFERENCE_CALIBRE_MM).powi(3)
                * (rate / REFERENCE_RATE_RPM)
        })
        .sum()
}

/// Firing passes the ammunition allows: the gun that runs dry first sets it (at least 1 if armed).
fn passes(ty: &AircraftType, burst_seconds: f64) -> u16 {
    ty.guns
        .iter()
        .map(|g| {
            let rate = g
                .rate_rpm
                .as_ref()
                .map_or_else(|| default_rate_rpm(g.calibre_mm), |r| r.value);
            let rounds = g
                .rounds_per_gun
                .as_ref()
                .map_or(rate / 60.0 * DEFAULT_SECONDS_OF_FIRE, |r| r.value as f64);
            (rounds / (rate / 60.0 * burst_seconds)).floor().max(1.0)
        })
        .fold(f64::INFINITY, f64::min)
        .min(u16::MAX as f64) as u16
        * u16::from(!ty.guns.is_empty())
}

/// One force, ready for simulation.
#[derive(Debug, Clone)]
pub struct ForceStats {
    pub side: usize,
    pub type_index: usize,
    pub type_id: String,
    pub role: Role,
    pub count: u32,
    pub quality: f64,
    pub speed_kmh: f64,
    /// Minutes from take-off to the raid's altitude.
    pub climb_minutes: f64,
    pub firepower: f64,
    pub toughness: f64,
    pub defensive_firepower: f64,
    /// Firing passes the ammunition allows.
    pub passes: u16,
    /// Combat rounds the fuel allows.
    pub fuel_rounds: u16,
    pub crew: u32,
    pub family: String,
    pub bomb_tonnes: f64,
}

impl ForceStats {
    pub fn attacks(&self) -> bool {
        self.role.is_fighter() && self.passes > 0
    }
    pub fn is_bomber(&self) -> bool {
        matches!(self.role, Role::Bomber | Role::Attack)
    }
}

/// Per-side constants.
#[derive(Debug, Clone)]
pub struct SideStats {
    pub name: String,
    pub posture: Posture,
    /// Probability that one pass goes at a friendly aircraft.
    pub friendly_fire: f64,
    /// Rounds this side may pursue an enemy that is leaving before its rules stop it.
    pub pursuit_rounds: u16,
    pub home_distance_km: f64,
    /// Speed of the enemy's slowest aircraft: the speed at which the enemy leaves.
    pub enemy_speed_kmh: f64,
    /// Probability that a damaged aircraft of this side is lost on the way home.
    pub lost_on_way_home: f64,
}

/// Probabilities of one pass by a shooter force on a target force, by position difference
/// (index 0: target has position, 1: neither or both, 2: shooter has position).
#[derive(Debug, Clone, Copy, Default)]
pub struct PassTable {
    /// Log-odds of hits by position difference (before the sides' fortunes are added).
    pub hit_logit: [f64; 3],
    /// Given a hit, probability the target is destroyed.
    pub destroy: f64,
    /// Given a hit that does not destroy, probability it is damaged.
    pub damage: f64,
    /// Log-odds that the target's gunners hit the shooter during the pass; None when the
    /// target has no defensive guns.
    pub return_logit: Option<f64>,
    /// Given a return hit, probability the shooter is destroyed.
    pub return_destroy: f64,
    /// The hit log-odds' speed term, which the pilots' quality does not change (kept so that
    /// [`PreparedEngagement::set_side_quality`] recomputes only the quality term).
    speed_term: f64,
    /// Whether the target has defensive guns (a return log-odds at all).
    gunners: bool,
}

/// An engagement compiled for the simulation loop.
#[derive(Debug, Clone)]
pub struct PreparedEngagement {
    pub id: String,
    pub mission: Mission,
    pub forces: Vec<ForceStats>,
    pub sides: [SideStats; 2],
    pub attacker: usize,
    pub warning_minutes: f64,
    pub raid_altitude_m: f64,
    pub ground_below: usize,
    /// Round in which the raid reaches its target (strikes) and after which it turns home.
    pub target_round: u16,
    /// Rounds after which the fight ends whatever happens (the longest fuel endurance).
    pub max_rounds: u16,
    /// Parked aircraft at the target: (side, type index, type id, count).
    pub parked: Vec<(usize, usize, String, u32)>,
    /// pass[shooter_force * n + target_force].
    pub pass: Vec<PassTable>,
    /// Share of parked aircraft destroyed per effective tonne (see `ModelParameters`).
    pub params: ModelParameters,
    /// Bombing accuracy at the raid's altitude, with no interference.
    pub altitude_accuracy: f64,
    /// The figures history recorded for this engagement (see [`super::observed_value`]).
    pub observed: Vec<airwar_scenario::engagement::Observation>,
}

impl PreparedEngagement {
    pub fn pass(&self, shooter: usize, target: usize) -> &PassTable {
        &self.pass[shooter * self.forces.len() + target]
    }
}

/// One pass of shooter `s` on target `t`.
fn pass_table(s: &ForceStats, t: &ForceStats, params: &ModelParameters) -> PassTable {
    let (speed_term, gunners) = quality_free_terms(s, t, params);
    let (hit_logit, return_logit) = pass_logits(speed_term, gunners, s.quality, t.quality, params);
    // The firing window of a pass shrinks as the shooter flies faster: hits land in proportion
    // to rate of fire times time on target.
    let window = REFERENCE_SPEED_KMH / s.speed_kmh.max(1.0);
    let destroy = 1.0 - (-params.lethality * s.firepower * window / t.toughness).exp();
    let return_fp = t.defensive_firepower * (1.0 + params.formation_support);
    let return_destroy = 1.0 - (-params.lethality * return_fp * window / s.toughness).exp();
    PassTable {
        hit_logit,
        destroy,
        damage: params.damage_share,
        return_logit,
        return_destroy,
        speed_term,
        gunners,
    }
}

/// The parts of a pass that depend on the pilots' quality: the log-odds of hits by position,
/// and of the target's gunners hitting back.
fn pass_logits(
    speed_term: f64,
    gunners: bool,
    shooter_quality: f64,
    target_quality: f64,
    params: &ModelParameters,
) -> ([f64; 3], Option<f64>) {
    // Summed in the order the terms are written (base, quality, speed), so a table recomputed
    // for a new quality has exactly the bits of one prepared with it.
    let z = params.hit_logit_base
        + params.quality_weight * (shooter_quality - target_quality)
        + speed_term;
    let return_logit = gunners.then_some(
        params.gunner_hit_logit + params.quality_weight * (target_quality - shooter_quality),
    );
    (
        [z - params.position_weight, z, z + params.position_weight],
        return_logit,
    )
}

/// The parts of a pass's log-odds that the pilots' quality does not change: the speed term of
/// the hit log-odds, and whether the target has gunners to fire back.
fn quality_free_terms(s: &ForceStats, t: &ForceStats, params: &ModelParameters) -> (f64, bool) {
    // Speed buys the initiative up to a point; beyond it a faster shooter only closes faster,
    // which does not help it hit.
    let speed_adv = ((s.speed_kmh - t.speed_kmh) / t.speed_kmh)
        .clamp(-MAX_SPEED_ADVANTAGE, MAX_SPEED_ADVANTAGE);
    let return_fp = t.defensive_firepower * (1.0 + params.formation_support);
    (params.speed_weight * speed_adv, return_fp > 0.0)
}

/// Probability that a damaged aircraft is lost flying `home_km` home.
fn lost_on_way_home(home_km: f64, params: &ModelParameters) -> f64 {
    1.0 - (-home_km / params.damaged_mean_range_km).exp()
}

impl PreparedEngagement {
    /// Give every force of `side` pilots of quality `quality`, exactly as if the engagement had
    /// been prepared with it (the pass table's quality terms are recomputed; nothing else
    /// depends on quality). Lets a campaign prepare an engagement once and reuse it.
    pub fn set_side_quality(&mut self, side: usize, quality: f64) {
        let n = self.forces.len();
        for f in self.forces.iter_mut().filter(|f| f.side == side) {
            f.quality = quality;
        }
        for (i, shooter) in self.forces.iter().enumerate() {
            let row = &mut self.pass[i * n..(i + 1) * n];
            for (cell, target) in row.iter_mut().zip(&self.forces) {
                if shooter.side == side || target.side == side {
                    let (hit, ret) = pass_logits(
                        cell.speed_term,
                        cell.gunners,
                        shooter.quality,
                        target.quality,
                        &self.params,
                    );
                    cell.hit_logit = hit;
                    cell.return_logit = ret;
                }
            }
        }
    }

    /// Set how far `side` flies home after the fight, as if prepared with it.
    pub fn set_home_distance(&mut self, side: usize, home_km: f64) {
        self.sides[side].home_distance_km = home_km;
        self.sides[side].lost_on_way_home = lost_on_way_home(home_km, &self.params);
    }
}

pub(crate) fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PrepareError {
    #[error(transparent)]
    Parameter(#[from] ParameterError),
    #[error("engagement `{0}` has no side with posture \"attacker\"")]
    NoAttacker(String),
    #[error("engagement `{0}` refers to an aircraft type missing from the database")]
    MissingType(String),
}

/// Compile an engagement for simulation.
pub fn prepare(
    e: &Engagement,
    db: &AircraftDatabase,
    params: &ModelParameters,
) -> Result<PreparedEngagement, PrepareError> {
    params.validate()?;
    let attacker = e
        .sides
        .iter()
        .position(|s| s.posture == Posture::Attacker)
        .ok_or_else(|| PrepareError::NoAttacker(e.id.clone()))?;
    let altitude = e.context.raid_altitude_m.value;
    let mut forces = Vec::new();
    for (side_index, side) in e.sides.iter().enumerate() {
        for f in &side.forces {
            let ty = db
                .types
                .get(f.type_index)
                .ok_or_else(|| PrepareError::MissingType(e.id.clone()))?;
            let perf = db
                .performance(f.type_index)
                .ok_or_else(|| PrepareError::MissingType(e.id.clone()))?;
            let ceiling = ty.ceiling_m.value;
            let speed = ty.max_speed_kmh.value;
            let endurance_minutes = perf.range_km / (0.7 * speed) * 60.0;
            let fuel_rounds = (params.combat_fuel_share * endurance_minutes / params.round_minutes)
                .round()
                .clamp(1.0, 1000.0) as u16;
            forces.push(ForceStats {
                side: side_index,
                type_index: f.type_index,
                type_id: f.type_id.clone(),
                role: f.role,
                count: f.count.value,
                quality: f.quality.value.value,
                speed_kmh: speed,
                climb_minutes: airwar_scenario::aircraft::minutes_to_altitude(
                    perf.climb_rate_m_per_min,
                    altitude.min(0.95 * ceiling),
                    ceiling,
                ),
                firepower: firepower(&ty.guns),
                toughness: (perf.loaded_weight_kg / REFERENCE_WEIGHT_KG)
                    .powf(params.toughness_exponent),
                defensive_firepower: firepower(&ty.defensive_guns),
                passes: passes(ty, params.burst_seconds),
                fuel_rounds,
                crew: ty.crew.value.max(1),
                family: ty.family.clone(),
                bomb_tonnes: ty.bomb_load_kg.value / 1000.0,
            });
        }
    }

    let n = forces.len();
    let mut pass = vec![PassTable::default(); n * n];
    for (i, s) in forces.iter().enumerate() {
        for (j, t) in forces.iter().enumerate() {
            pass[i * n + j] = pass_table(s, t, params);
        }
    }

    let round_hours = params.round_minutes / 60.0;
    let sides: Vec<SideStats> = e
        .sides
        .iter()
        .enumerate()
        .map(|(si, side)| {
            let own_families: Vec<&str> = forces
                .iter()
                .filter(|f| f.side == si)
                .map(|f| f.family.as_str())
                .collect();
            let similar = forces
                .iter()
                .any(|f| f.side != si && own_families.contains(&f.family.as_str()));
            let mut ff = params.friendly_fire_base;
            if !similar {
                ff *= params.friendly_fire_dissimilar;
            }
            if side.shares_radio_language.value {
                ff *= params.friendly_fire_shared_language;
            }
            if side.iff.value {
                ff *= params.friendly_fire_iff;
            }
            // The enemy leaves at the speed of its slowest aircraft.
            let enemy_speed = forces
                .iter()
                .filter(|f| f.side != si)
                .map(|f| f.speed_kmh)
                .fold(f64::INFINITY, f64::min);
            let pursuit_rounds = match &side.no_pursuit_line_km {
                Some(line) if enemy_speed.is_finite() => (line.value / (enemy_speed * round_hours))
                    .floor()
                    .min(1000.0) as u16,
                _ => 1000,
            };
            let home = side
                .home_distance_km
                .as_ref()
                .map_or(params.default_home_distance_km, |h| h.value);
            SideStats {
                name: side.name.clone(),
                posture: side.posture,
                friendly_fire: ff,
                pursuit_rounds,
                home_distance_km: home,
                enemy_speed_kmh: enemy_speed,
                lost_on_way_home: lost_on_way_home(home, params),
            }
        })
        .collect();
    let sides: [SideStats; 2] = match <[SideStats; 2]>::try_from(sides) {
        Ok(s) => s,
        Err(_) => return Err(PrepareError::NoAttacker(e.id.clone())),
    };

    // The raid reaches its target after flying the target distance at its slowest bomber's speed.
    let raid_speed = forces
        .iter()
        .filter(|f| f.side == attacker && f.is_bomber())
        .map(|f| f.speed_kmh)
        .fold(f64::INFINITY, f64::min);
    let target_round = match (e.mission, &e.context.target_distance_km) {
        (Mission::AirfieldStrike | Mission::Strike, Some(d)) if raid_speed.is_finite() => {
            (d.value / (raid_speed * round_hours)).ceil().min(500.0) as u16
        }
        _ => 0,
    };
    let max_rounds = forces
        .iter()
        .map(|f| f.fuel_rounds)
        .max()
        .unwrap_or(1)
        .max(target_round + 1);

    let parked = e
        .sides
        .iter()
        .enumerate()
        .flat_map(|(si, s)| {
            s.parked
                .iter()
                .map(move |p| (si, p.type_index, p.type_id.clone(), p.count.value))
        })
        .collect();

    Ok(PreparedEngagement {
        id: e.id.clone(),
        mission: e.mission,
        forces,
        sides,
        attacker,
        warning_minutes: e.context.warning_minutes.value,
        raid_altitude_m: altitude,
        ground_below: e.context.ground_below,
        target_round,
        max_rounds,
        parked,
        pass,
        params: params.clone(),
        altitude_accuracy: 1.0 / (1.0 + altitude / params.bombing_reference_altitude_m),
        observed: e.observed.clone(),
    })
}
