//! The campaign model (docs/model.md; its day in docs/architecture.md): the daily course of a theatre.
//!
//! [`Campaign::new`] compiles a checked [`Theatre`] (with its battles, the aircraft database and
//! both parameter sets) into the schedule a replication follows; [`Campaign::simulate`] runs
//! one replication day by day:
//!
//! 1. **Deliveries** leave on their dates, travel their route (transit days; ferry losses), and
//!    are held back by the route's capacity (aircraft a month; where the record gives none, the
//!    fitted `route_capacity_aircraft_per_month`). A fitted share of lost aircraft
//!    (`loss_replacement_share`) is replaced over the theatre's main route. No recorded total
//!    is read.
//! 2. **Bases** change hands and **events** happen on their dates: the covert force flies each
//!    fight from the nearest base its side still holds (so as bases fall, damaged aircraft have
//!    farther to go home); handovers give the host a share of the covert force's aircraft; on
//!    withdrawal it hands over everything and goes home.
//! 3. **Engagements**: each historical battle is fought on its date; further engagements come at
//!    a rate per covert aircraft on hand, each a typical fight shaped from one of the theatre's
//!    battles (its circumstances kept; the typical number of aircraft that fight, even numbers,
//!    the cited mix of opponents). The friendly side is scaled to the aircraft actually
//!    serviceable and flown by the covert force's current pilots, with the host's beside them
//!    where the record says they fought together; the covert force's rules act on it (a
//!    no-pursuit line; no shared radio language). The engagement model resolves it; losses and
//!    claims are split between the covert force and the host in proportion to their aircraft.
//! 4. **Attrition and people**: accidents on each sortie; pilots killed or captured; pilots gain
//!    experience as they fight and rotate home at the end of each tour, replaced by new ones;
//!    ground crew come with the aircraft and serve their own tour.
//! 5. **Money**: each loan is drawn on its date, accrues interest daily and is repaid monthly in
//!    commodity shipments from its cited repayment date over its cited term.
//! 6. **Exposure**: each captured pilot, each wreck on the enemy's ground and each radio slip
//!    into the covert force's own language may become public proof; the probability that proof
//!    exists accumulates and never falls.
//!
//! Every random draw of day `d` comes from a stream derived from (seed, replication, day), so
//! two arms of a comparison meet the same luck on the same day (common random numbers).

use std::collections::BTreeMap;

use airwar_model::engagement::{prepare, simulate as simulate_engagement, Workspace};
use airwar_model::rng::{chance, stream, uniform, unit_interval, ModelRng};
use airwar_model::ModelParameters;
use airwar_scenario::aircraft::AircraftRole;
use airwar_scenario::engagement::{Force, Role};
use airwar_scenario::theatre::{EventKind, RuleKind, Theatre};
use airwar_scenario::{AircraftDatabase, Engagement, Library};
use serde::Serialize;

use crate::dates::{date_of, day_number};
use crate::params::CampaignParameters;
use crate::CampaignError;

/// Who holds an aircraft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Owner {
    Covert,
    Host,
}

#[derive(Debug, Clone)]
struct PlannedDelivery {
    depart_day: u32,
    transit_days: u32,
    owner: Owner,
    type_slot: usize,
    count: u32,
    ferry_loss: f64,
    route: Option<usize>,
}

/// A departure waiting for room on its route.
#[derive(Debug, Clone)]
struct Pending {
    route: Option<usize>,
    transit_days: u32,
    owner: Owner,
    type_slot: usize,
    ferry_loss: f64,
    remaining: u32,
}

#[derive(Debug, Clone)]
struct Template {
    engagement: Engagement,
    friendly: usize,
    friendly_needed: u32,
    /// Day of the historical battle, if within the theatre's period.
    day: Option<u32>,
}

/// How often the covert force fights.
#[derive(Debug, Clone, Copy)]
enum EngagementRate {
    /// Engagements a day, whatever the force's strength.
    PerDay(f64),
    /// Engagements a day per covert aircraft on hand.
    PerAircraftDay(f64),
}

/// The size of a typical engagement, as the record gives it.
#[derive(Debug, Clone, Copy)]
enum TypicalSize {
    /// Covert aircraft that actually fought.
    Fought(f64),
    /// Covert sorties flown per engagement (most never fired).
    Flew(f64),
}

/// A base: where it is, and on which days the friendly side holds it.
#[derive(Debug, Clone)]
struct BaseTrack {
    latitude: f64,
    longitude: f64,
    /// (first day, friendly from then on?), in date order; the first entry is day 0.
    holder: Vec<(u32, bool)>,
}

impl BaseTrack {
    fn friendly_on(&self, day: u32) -> bool {
        self.holder
            .iter()
            .rev()
            .find(|(from, _)| *from <= day)
            .is_some_and(|(_, friendly)| *friendly)
    }
}

/// Great-circle distance in km.
fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().asin()
}

#[derive(Debug, Clone)]
struct LoanPlan {
    day: u32,
    amount_thousand_usd: f64,
    annual_rate: f64,
    /// First day of repayment (may lie after the theatre's period).
    repayment_day: i64,
    repayment_months: f64,
}

/// A theatre compiled for daily simulation.
#[derive(Debug, Clone)]
pub struct Campaign {
    pub theatre_id: String,
    pub start_day: i64,
    pub days: u32,
    /// Aircraft types tracked, by slot.
    pub types: Vec<String>,
    pub covert_id: String,
    pub host_id: Option<String>,
    deliveries: Vec<PlannedDelivery>,
    /// Aircraft a 30-day window each route can carry, where the record cites it (else the
    /// fitted `route_capacity_aircraft_per_month`).
    route_capacity: Vec<Option<f64>>,
    engagement_rate: EngagementRate,
    /// Whether a cited major air operation of the theatre is under way, by day: engagements
    /// then come `operation_rate_multiplier` times as often.
    operation_days: Vec<bool>,
    /// By day, how much farther (km) the front is than at its closest over the period (None:
    /// the theatre records no front line, or the enemy has taken no place yet).
    front_excess_km: Vec<Option<f64>>,
    templates: Vec<Template>,
    /// The enemy types the covert force met, by cited share of its fights: (type index in
    /// the aircraft database, type id, fighter?, share).
    opponents: Vec<(usize, String, bool, f64)>,
    /// Whether the host's aircraft fly in the covert force's fights.
    fights_with_host: bool,
    pursuit_rule: bool,
    radio_rule: bool,
    tour_days: u32,
    /// Days ground crew serve before they are relieved (None: the whole period).
    ground_crew_tour_days: Option<u32>,
    initial_pilots: u32,
    handover_days: Vec<u32>,
    handover_share: f64,
    withdrawal_day: u32,
    loans: Vec<LoanPlan>,
    /// Share of each delivery to the host that the covert force flies itself (the rest the
    /// host does), when the theatre records such a split.
    covert_share_of_host_deliveries: f64,
    /// Observed theatre totals the model produces: (index into [`TOTALS`], day to read it on).
    pub snapshots: Vec<(usize, u32)>,
    /// How lost aircraft are reordered: the route, transit and ferry loss of the most used
    /// supply route (None when the theatre is not supplied over routes). The share reordered
    /// is the fitted `loss_replacement_share`.
    loss_replacement: Option<Pending>,
    /// Strength the covert force is kept at by replacements, when the record gives its
    /// strength but no delivery total: (aircraft, type slot, transit days).
    replacements: Option<(u32, usize, u32)>,
    /// The covert force's aircraft in a typical engagement (sorties / engagements), if cited.
    typical_engagement: Option<TypicalSize>,
    /// Accidental deaths per combat death, if the record gives the share of deaths in accidents.
    accidents_per_combat_death: Option<f64>,
    /// The theatre's bases and who holds them when.
    bases: Vec<BaseTrack>,
    params: ModelParameters,
    pub cparams: CampaignParameters,
    db: AircraftDatabase,
}

/// Daily series a replication records, in this order.
pub const SERIES: &[&str] = &[
    "aircraft_covert",
    "aircraft_host",
    "pilots_covert",
    "engagements",
    "covert_losses",
    "claims",
    "enemy_losses",
    "delivered",
    "debt_thousand_usd",
    "shipments_thousand_usd",
    "exposure_per_10k",
    "sorties",
    "bases_held",
    "ground_crew_covert",
    "personnel_covert",
];

/// Totals a replication records, in this order.
pub const TOTALS: &[&str] = &[
    // Aircraft sent over the routes (arrivals are these less ferry losses).
    "delivered",
    "ferry_lost",
    "covert_aircraft_lost",
    "covert_combat_losses",
    "covert_accident_losses",
    "host_aircraft_lost",
    "pilots_killed",
    "pilots_captured",
    "pilots_rotated",
    // Most of the covert force's people (pilots and ground crew) present on one day.
    "personnel_peak",
    // Everyone the covert force brought in over the period: pilots, and pilots with ground crew.
    "pilots_served",
    "personnel_deployed",
    // Claims in the air and on the ground together (as the record usually counts them), then
    // each apart.
    "claims",
    "air_claims",
    "ground_claims",
    "enemy_losses",
    "handed_over",
    "friendly_fire_losses",
    "engagements",
    "exposure_per_10k",
    "proof",
    "debt_end_thousand_usd",
    "repaid_thousand_usd",
    "cost_per_aircraft_thousand_usd",
    "cost_per_enemy_destroyed_thousand_usd",
];

/// The result of one replication.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CampaignOutcome {
    /// `series[s][d]`: series `s` of [`SERIES`] on day `d`.
    pub series: Vec<Vec<u64>>,
    /// `on_hand[owner][type][day]` (owner 0 covert, 1 host).
    pub on_hand: [Vec<Vec<u32>>; 2],
    /// One per [`TOTALS`].
    pub totals: Vec<u64>,
    /// One per [`Campaign::snapshots`]: the total on the day history recorded it.
    pub observed: Vec<u64>,
    /// Conservation ledger: aircraft dispatched over routes, arrived, and pilots.
    pub ledger: Ledger,
}

/// What came in and went out, for the conservation checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    pub dispatched: u64,
    pub arrived: u64,
    pub ferry_lost: u64,
    pub in_transit_at_end: u64,
    pub lost: [u64; 2],
    pub handed_over: u64,
    pub on_hand_at_end: [u64; 2],
    pub pilots_arrived: u64,
    pub pilots_present_at_end: u64,
    pub pilots_rotated: u64,
    pub pilots_killed: u64,
    pub pilots_captured: u64,
    pub ground_crew_arrived: u64,
    pub ground_crew_rotated: u64,
    pub ground_crew_present_at_end: u64,
    /// Debt never fell below zero.
    pub debt_never_negative: bool,
    /// Exposure never fell.
    pub exposure_never_fell: bool,
}

fn binomial(rng: &mut ModelRng, n: u32, p: f64) -> u32 {
    (0..n).filter(|_| chance(rng, p)).count() as u32
}

fn poisson(rng: &mut ModelRng, lambda: f64) -> u32 {
    // Knuth's method; lambda here is a few a day at most.
    let limit = (-lambda).exp();
    let mut k = 0;
    let mut p = uniform(rng);
    while p > limit && k < 1000 {
        k += 1;
        p *= uniform(rng);
    }
    k
}

impl Campaign {
    /// Compile `theatre` for simulation.
    pub fn new(
        theatre: &Theatre,
        lib: &Library,
        params: &ModelParameters,
        cparams: &CampaignParameters,
    ) -> Result<Campaign, CampaignError> {
        params
            .validate()
            .map_err(|e| CampaignError::Invalid(e.to_string()))?;
        cparams
            .validate()
            .map_err(|e| CampaignError::Invalid(e.to_string()))?;
        let start_day = day_number(&theatre.start.value).ok_or(CampaignError::Date)?;
        let end_day = day_number(&theatre.end.value).ok_or(CampaignError::Date)?;
        let days = (end_day - start_day + 1).clamp(1, 40_000) as u32;
        let rel = |date: &str| -> Option<i64> { day_number(date).map(|d| d - start_day) };
        let within = |d: i64| (d >= 0 && d < days as i64).then_some(d as u32);

        let covert = theatre.forces.iter().find(|f| f.covert).ok_or_else(|| {
            CampaignError::Invalid(format!("theatre `{}` has no covert force", theatre.id))
        })?;
        let host = theatre
            .forces
            .iter()
            .find(|f| !f.covert && f.markings == covert.markings);
        let mut friendly_nations: Vec<String> = vec![covert.nation.clone()];
        for f in &theatre.forces {
            if f.markings == covert.markings {
                friendly_nations.push(f.nation.clone());
            }
        }

        let mut types: Vec<String> = Vec::new();
        let mut slot = |id: &str| -> usize {
            if let Some(i) = types.iter().position(|t| t == id) {
                i
            } else {
                types.push(id.to_string());
                types.len() - 1
            }
        };

        let route_ids: Vec<&str> = theatre.routes.iter().map(|r| r.id.as_str()).collect();
        let mut deliveries = Vec::new();
        for d in &theatre.deliveries {
            let (Some(type_id), airwar_scenario::theatre::DeliveryKind::Aircraft) =
                (&d.type_id, d.what)
            else {
                continue;
            };
            let Some(day) = rel(&d.date.value) else {
                continue;
            };
            let route = d
                .route
                .as_ref()
                .and_then(|r| route_ids.iter().position(|x| x == r));
            let (transit, loss) = route.map_or((0.0, 0.0), |r| {
                let route = &theatre.routes[r];
                (
                    route.transit_days.value,
                    route.ferry_loss_share.as_ref().map_or(0.0, |f| f.value),
                )
            });
            deliveries.push(PlannedDelivery {
                depart_day: day.clamp(0, days as i64 - 1) as u32,
                transit_days: transit.round() as u32,
                owner: if d.to == covert.id {
                    Owner::Covert
                } else {
                    Owner::Host
                },
                type_slot: slot(type_id),
                count: d.count.value,
                ferry_loss: loss,
                route,
            });
        }
        // Lost aircraft are reordered over the most used supply route (theatres supplied over
        // routes only); how many of them the supplier replaced is not in the record, so the
        // share is a fitted campaign parameter (`loss_replacement_share`), never read from the
        // recorded delivery totals.
        let loss_replacement = {
            let mut by_route: BTreeMap<usize, u32> = BTreeMap::new();
            for d in &deliveries {
                if let Some(r) = d.route {
                    *by_route.entry(r).or_default() += d.count;
                }
            }
            by_route
                .iter()
                .max_by_key(|(_, n)| **n)
                .and_then(|(route, _)| deliveries.iter().find(|d| d.route == Some(*route)))
                .map(|d| Pending {
                    route: d.route,
                    transit_days: d.transit_days,
                    owner: d.owner,
                    type_slot: d.type_slot,
                    ferry_loss: d.ferry_loss,
                    remaining: 0,
                })
        };
        // In departure order (stable, so same-day deliveries keep their order), so that a
        // replication walks them with a cursor instead of scanning them all every day.
        deliveries.sort_by_key(|d| d.depart_day);
        // A route's capacity: the cited one; else (None) the fitted campaign parameter
        // `route_capacity_aircraft_per_month`, drawn per replication.
        let route_capacity = theatre
            .routes
            .iter()
            .map(|route| {
                route
                    .capacity_aircraft_per_month
                    .as_ref()
                    .map(|c| c.value.max(1.0))
            })
            .collect();

        let mut operation_days = vec![false; days as usize];
        for o in &theatre.operations {
            let (Some(from), Some(to)) = (rel(&o.from.value), rel(&o.to.value)) else {
                continue;
            };
            for day in from.max(0)..=to.min(days as i64 - 1) {
                operation_days[day as usize] = true;
            }
        }
        let mut templates = Vec::new();
        for id in &theatre.battles {
            let Some(e) = lib.battle(id) else { continue };
            let Some(friendly) = e
                .sides
                .iter()
                .position(|s| friendly_nations.contains(&s.nation))
            else {
                continue;
            };
            for f in e.sides.iter().flat_map(|s| &s.forces) {
                slot(&f.type_id);
            }
            templates.push(Template {
                friendly_needed: e.sides[friendly].airborne(),
                day: rel(&e.date.value).and_then(within),
                friendly,
                engagement: e.clone(),
            });
        }
        if templates.is_empty() {
            return Err(CampaignError::Invalid(format!(
                "theatre `{}` lists no battle with a friendly side to draw engagements from",
                theatre.id
            )));
        }

        let doctrine = &theatre.doctrine;
        // Engagements come with the covert force's strength: a rate per aircraft on hand per
        // day, from the record's engagements over its period and strength where both are cited.
        let engagement_rate = match (&doctrine.engagements, &doctrine.aircraft_at_once) {
            (Some(e), Some(a)) if a.value > 0.0 => {
                EngagementRate::PerAircraftDay(e.value / (days as f64 * a.value))
            }
            (Some(e), _) => EngagementRate::PerDay(e.value / days as f64),
            _ => EngagementRate::PerAircraftDay(cparams.engagements_per_aircraft_day),
        };
        let rules_of = |k: RuleKind| {
            theatre
                .rules
                .iter()
                .any(|r| r.force == covert.id && r.kind == k)
        };
        let event_days = |k: EventKind| -> Vec<u32> {
            theatre
                .events
                .iter()
                .filter(|e| e.kind == k)
                .filter_map(|e| rel(&e.date.value).and_then(within))
                .collect()
        };
        let withdrawal_day = event_days(EventKind::Withdrawal)
            .into_iter()
            .min()
            .unwrap_or(days);
        let loans = theatre
            .loans
            .iter()
            .filter_map(|l| {
                rel(&l.date.value).map(|d| {
                    let day = d.clamp(0, days as i64 - 1) as u32;
                    LoanPlan {
                        day,
                        amount_thousand_usd: l.amount_million_usd.value * 1000.0,
                        annual_rate: l.annual_interest_percent.value / 100.0,
                        repayment_day: l
                            .repayment_from
                            .as_ref()
                            .and_then(|r| rel(&r.value))
                            .unwrap_or(day as i64)
                            .max(day as i64),
                        repayment_months: l
                            .repayment_years
                            .as_ref()
                            .map_or(cparams.repayment_years, |y| y.value)
                            * 12.0,
                    }
                })
            })
            .collect();
        // Replacements: where the record gives the force's strength and the theatre has no
        // supply route to reorder losses over, it is kept at that strength with the type its
        // battles fly most.
        let replacements = match (&doctrine.aircraft_at_once, &loss_replacement) {
            (Some(strength), None) => {
                let mut counts: BTreeMap<&str, u32> = BTreeMap::new();
                for t in &templates {
                    for f in &t.engagement.sides[t.friendly].forces {
                        *counts.entry(f.type_id.as_str()).or_default() += f.count.value;
                    }
                }
                counts
                    .iter()
                    .max_by_key(|(_, n)| **n)
                    .map(|(t, _)| (strength.value.round() as u32, slot(t), 7))
            }
            _ => None,
        };
        // A typical engagement's size: the aircraft that actually fought, where the record says;
        // else the sorties flown per engagement, of which only the contact share fights.
        let typical_engagement = match (
            &doctrine.engaged_per_engagement,
            &doctrine.sorties,
            &doctrine.engagements,
        ) {
            (Some(n), _, _) if n.value > 0.0 => Some(TypicalSize::Fought(n.value)),
            (None, Some(s), Some(e)) if e.value > 0.0 => Some(TypicalSize::Flew(s.value / e.value)),
            _ => None,
        };
        // Bases: the friendly side holds those not held by a force of an enemy nation (the
        // nations the theatre's battles set against the friendly side).
        let enemy_nations: Vec<&str> = templates
            .iter()
            .flat_map(|t| {
                t.engagement
                    .sides
                    .iter()
                    .enumerate()
                    .filter(move |(i, _)| *i != t.friendly)
                    .map(|(_, s)| s.nation.as_str())
            })
            .collect();
        let friendly_holder = |owner: &str| {
            let nation = theatre
                .forces
                .iter()
                .find(|f| f.id == owner)
                .map_or(owner, |f| f.nation.as_str());
            !enemy_nations.iter().any(|n| n.eq_ignore_ascii_case(nation))
        };
        let bases: Vec<BaseTrack> = theatre
            .bases
            .iter()
            .map(|b| {
                let mut holder = vec![(0u32, friendly_holder(&b.owner))];
                let mut changes: Vec<(i64, bool)> = b
                    .owner_changes
                    .iter()
                    .filter_map(|c| rel(&c.date.value).map(|d| (d, friendly_holder(&c.owner))))
                    .collect();
                changes.sort_by_key(|c| c.0);
                for (d, f) in changes {
                    if d <= 0 {
                        holder[0].1 = f;
                    } else if d < days as i64 {
                        holder.push((d as u32, f));
                    }
                }
                BaseTrack {
                    latitude: b.latitude.value,
                    longitude: b.longitude.value,
                    holder,
                }
            })
            .collect();
        // The front: each day, the distance from the friendly base nearest it to the nearest
        // place the enemy has taken; kept as the excess over its smallest value.
        let taken: Vec<(i64, f64, f64)> = theatre
            .front
            .iter()
            .filter_map(|f| Some((rel(&f.taken.value)?, f.latitude.value, f.longitude.value)))
            .collect();
        let front_distance: Vec<Option<f64>> = (0..days)
            .map(|day| {
                let held: Vec<&BaseTrack> = bases.iter().filter(|b| b.friendly_on(day)).collect();
                taken
                    .iter()
                    .filter(|(t, _, _)| *t <= day as i64)
                    .flat_map(|(_, lat, lon)| {
                        held.iter()
                            .map(move |b| distance_km(b.latitude, b.longitude, *lat, *lon))
                    })
                    .min_by(f64::total_cmp)
            })
            .collect();
        let closest = front_distance
            .iter()
            .flatten()
            .copied()
            .min_by(f64::total_cmp);
        let front_excess_km = front_distance
            .iter()
            .map(|d| Some(d.as_ref()? - closest?))
            .collect();
        let accidents_per_combat_death = doctrine
            .accident_share_of_deaths
            .as_ref()
            .filter(|a| a.value < 1.0)
            .map(|a| a.value / (1.0 - a.value));
        let snapshots = theatre
            .observed
            .iter()
            .filter_map(|o| {
                let total = crate::totals::model_total(&o.metric, &o.force, &covert.id)?;
                let index = TOTALS.iter().position(|t| *t == total)?;
                let day =
                    o.to.as_deref()
                        .and_then(rel)
                        .map_or(days - 1, |d| d.clamp(0, days as i64 - 1) as u32);
                Some((index, day))
            })
            .collect();
        let opponents = doctrine
            .opponents
            .iter()
            .filter_map(|o| {
                let index = lib.aircraft.find(&o.type_id)?;
                let fighter = lib.aircraft.types[index].role == AircraftRole::Fighter;
                Some((index, o.type_id.clone(), fighter, o.share.value))
            })
            .collect();
        Ok(Campaign {
            theatre_id: theatre.id.clone(),
            start_day,
            days,
            types,
            covert_id: covert.id.clone(),
            host_id: host.map(|h| h.id.clone()),
            deliveries,
            route_capacity,
            engagement_rate,
            operation_days,
            front_excess_km,
            templates,
            opponents,
            fights_with_host: doctrine.fights_with_host.as_ref().is_none_or(|b| b.value),
            pursuit_rule: rules_of(RuleKind::NoFlyArea) || rules_of(RuleKind::NoPursuit),
            radio_rule: rules_of(RuleKind::RadioLanguage),
            tour_days: doctrine
                .tour_days
                .as_ref()
                .map_or(cparams.default_tour_days, |t| t.value)
                .max(1.0) as u32,
            ground_crew_tour_days: doctrine
                .ground_crew_tour_days
                .as_ref()
                .map(|t| t.value.max(1.0) as u32),
            initial_pilots: doctrine
                .pilots_at_once
                .as_ref()
                .map_or(cparams.default_pilots, |p| p.value) as u32,
            handover_days: event_days(EventKind::Handover),
            handover_share: doctrine.handover_share.as_ref().map_or(0.5, |h| h.value),
            withdrawal_day,
            loans,
            covert_share_of_host_deliveries: doctrine
                .handover_share
                .as_ref()
                .map_or(0.0, |h| 1.0 - h.value),
            snapshots,
            loss_replacement,
            replacements,
            typical_engagement,
            accidents_per_combat_death,
            bases,
            params: params.clone(),
            cparams: cparams.clone(),
            db: lib.aircraft.clone(),
        })
    }

    pub fn date(&self, day: u32) -> String {
        date_of(self.start_day + day as i64)
    }

    /// Run replication `replication` of a run seeded with `seed`.
    pub fn simulate(&self, seed: u64, replication: u64) -> CampaignOutcome {
        let replication_seed = stream(seed, replication).next_seed();
        // This replication's fitted parameters (a draw from the fitted posterior, if any).
        let drawn = self
            .cparams
            .for_replication(unit_interval(&mut stream(replication_seed, u64::MAX)));
        let p = &drawn;
        let contact_share = p.contact_share;
        let days = self.days as usize;
        let nt = self.types.len();
        let mut out = CampaignOutcome {
            series: vec![vec![0; days]; SERIES.len()],
            on_hand: [vec![vec![0; days]; nt], vec![vec![0; days]; nt]],
            totals: vec![0; TOTALS.len()],
            observed: vec![0; self.snapshots.len()],
            ledger: Ledger {
                debt_never_negative: true,
                exposure_never_fell: true,
                ..Ledger::default()
            },
        };
        let mut hand = [vec![0u32; nt], vec![0u32; nt]];
        // Aircraft in transit: (arrival day, owner, type, count).
        let mut transit: Vec<(u32, Owner, usize, u32)> = Vec::new();
        // Departures waiting for route capacity.
        let mut queue: Vec<Pending> = Vec::new();
        // Aircraft lost since the last replacement order, by owner (covert, host) and type.
        let mut lost_by_type = [vec![0u32; nt], vec![0u32; nt]];
        // Aircraft lost and aircraft reordered so far, by owner and type: the share reordered
        // is kept exact over the run without a random draw.
        let mut lost_so_far = [vec![0u64; nt], vec![0u64; nt]];
        let mut reordered = [vec![0u64; nt], vec![0u64; nt]];
        let mut next_delivery = 0;
        let mut route_used: Vec<(u32, f64)> = vec![(0, 0.0); self.route_capacity.len()];
        let mut pilots = self.initial_pilots;
        out.ledger.pilots_arrived = pilots as u64;
        let mut quality = p.new_pilot_quality;
        let mut tour_start = 0u32;
        let mut debt = 0.0f64;
        let mut loan_balance = vec![0.0f64; self.loans.len()];
        let (mut borrowed, mut repaid) = (0.0f64, 0.0f64);
        let mut no_proof = 1.0f64;
        let mut proof = false;
        let mut withdrawn = false;
        let mut ws = Workspace::new();
        let (mut delivered, mut ferry_lost) = (0u64, 0u64);
        let (mut covert_lost, mut covert_combat, mut covert_accident, mut host_lost) =
            (0u64, 0u64, 0u64, 0u64);
        let (mut claims, mut enemy_losses, mut engagements, mut friendly_fire) =
            (0u64, 0u64, 0u64, 0u64);
        let (mut air_claims, mut ground_claims) = (0u64, 0u64);
        let mut handed_over = 0u64;
        let mut last_exposure = 0u64;
        let mut sorties = 0u64;
        let mut ground_crew = 0u32;
        let mut ground_tour_start = 0u32;
        let mut personnel_peak = 0u64;

        for day in 0..self.days {
            let mut rng = stream(replication_seed, day as u64);
            // 1. Deliveries depart (subject to route capacity) and arrive.
            while let Some(d) = self
                .deliveries
                .get(next_delivery)
                .filter(|d| d.depart_day <= day)
            {
                queue.push(Pending {
                    route: d.route,
                    transit_days: d.transit_days,
                    owner: d.owner,
                    type_slot: d.type_slot,
                    ferry_loss: d.ferry_loss,
                    remaining: d.count,
                });
                next_delivery += 1;
            }
            // Replacements for yesterday's losses join the queue.
            if let Some(r) = &self.loss_replacement {
                for (o, owner) in [(0, Owner::Covert), (1, Owner::Host)] {
                    if owner == Owner::Covert && withdrawn {
                        lost_by_type[o].iter_mut().for_each(|n| *n = 0);
                        continue;
                    }
                    for (t, n) in lost_by_type[o].iter_mut().enumerate() {
                        if *n == 0 {
                            continue;
                        }
                        lost_so_far[o][t] += *n as u64;
                        *n = 0;
                        let due =
                            (lost_so_far[o][t] as f64 * p.loss_replacement_share).floor() as u64;
                        let order = due.saturating_sub(reordered[o][t]) as u32;
                        if order > 0 {
                            reordered[o][t] += order as u64;
                            queue.push(Pending {
                                owner,
                                type_slot: t,
                                remaining: order,
                                ..r.clone()
                            });
                        }
                    }
                }
            }
            let mut still = Vec::new();
            for mut d in queue.drain(..) {
                let allowed = match d.route {
                    Some(r) => {
                        let (window_start, used) = &mut route_used[r];
                        if day >= *window_start + 30 {
                            *window_start = day;
                            *used = 0.0;
                        }
                        let capacity = self.route_capacity[r]
                            .unwrap_or(p.route_capacity_aircraft_per_month.max(1.0));
                        let room = (capacity - *used).max(0.0).floor() as u32;
                        let n = d.remaining.min(room);
                        *used += n as f64;
                        n
                    }
                    None => d.remaining,
                };
                if allowed > 0 {
                    out.ledger.dispatched += allowed as u64;
                    let lost = binomial(&mut rng, allowed, d.ferry_loss);
                    ferry_lost += lost as u64;
                    lost_by_type[usize::from(d.owner == Owner::Host)][d.type_slot] += lost;
                    transit.push((day + d.transit_days, d.owner, d.type_slot, allowed - lost));
                }
                if d.remaining > allowed {
                    d.remaining -= allowed;
                    still.push(d);
                }
            }
            queue = still;
            transit.retain(|&(arrive, owner, t, n)| {
                if arrive <= day {
                    // After withdrawal, the covert force's deliveries go to the host.
                    let owner = if withdrawn { Owner::Host } else { owner };
                    let to_covert = match owner {
                        Owner::Covert => n,
                        Owner::Host if !withdrawn => {
                            (n as f64 * self.covert_share_of_host_deliveries).round() as u32
                        }
                        Owner::Host => 0,
                    };
                    hand[0][t] += to_covert;
                    hand[1][t] += n - to_covert;
                    delivered += n as u64;
                    false
                } else {
                    true
                }
            });

            // Replacements keep the covert force at strength (arriving after a short transit).
            if let (Some((strength, t, transit_days)), false) = (self.replacements, withdrawn) {
                let held: u32 = hand[0].iter().sum();
                let coming: u32 = transit
                    .iter()
                    .filter(|x| x.1 == Owner::Covert)
                    .map(|x| x.3)
                    .sum();
                if held + coming < strength {
                    let n = strength - held - coming;
                    out.ledger.dispatched += n as u64;
                    transit.push((day + transit_days, Owner::Covert, t, n));
                }
            }

            // 2. Events: handovers and withdrawal.
            let [covert_hand, host_hand] = &mut hand;
            if !withdrawn && self.handover_days.contains(&day) {
                for (c, h) in covert_hand.iter_mut().zip(host_hand.iter_mut()) {
                    let n = (*c as f64 * self.handover_share).round() as u32;
                    *c -= n;
                    *h += n;
                    handed_over += n as u64;
                }
            }
            if !withdrawn && day >= self.withdrawal_day {
                withdrawn = true;
                for (c, h) in covert_hand.iter_mut().zip(host_hand.iter_mut()) {
                    handed_over += *c as u64;
                    *h += *c;
                    *c = 0;
                }
                out.ledger.pilots_rotated += pilots as u64;
                pilots = 0;
                out.ledger.ground_crew_rotated += ground_crew as u64;
                ground_crew = 0;
            }

            // 4a. Rotation at the end of a tour.
            if !withdrawn && day >= tour_start + self.tour_days {
                out.ledger.pilots_rotated += pilots as u64;
                let arriving = self.initial_pilots;
                out.ledger.pilots_arrived += arriving as u64;
                pilots = arriving;
                quality = p.new_pilot_quality;
                tour_start = day;
            }
            // Ground crew are relieved at the end of their own tours, where the record gives
            // one; the new ones come in the numbers needed.
            if let (Some(tour), false) = (self.ground_crew_tour_days, withdrawn) {
                if day >= ground_tour_start + tour {
                    out.ledger.ground_crew_rotated += ground_crew as u64;
                    ground_crew = 0;
                    ground_tour_start = day;
                }
            }
            // Ground crew come with the aircraft they service and stay to the end of their
            // tour, even when those aircraft are lost or handed over.
            if !withdrawn {
                let need = (p.ground_crew_per_aircraft * hand[0].iter().sum::<u32>() as f64).round()
                    as u32;
                if ground_crew < need {
                    out.ledger.ground_crew_arrived += (need - ground_crew) as u64;
                    ground_crew = need;
                }
            }
            personnel_peak = personnel_peak.max(pilots as u64 + ground_crew as u64);

            // 3. Engagements.
            if !withdrawn {
                // (template, historical?): the battles of the day, then the day's other
                // engagements drawn from them.
                let mut todays: Vec<(usize, bool)> = (0..self.templates.len())
                    .filter(|i| self.templates[*i].day == Some(day))
                    .map(|i| (i, true))
                    .collect();
                let expected = match self.engagement_rate {
                    EngagementRate::PerDay(r) => r,
                    EngagementRate::PerAircraftDay(r) => r * hand[0].iter().sum::<u32>() as f64,
                } * if self
                    .operation_days
                    .get(day as usize)
                    .copied()
                    .unwrap_or(false)
                {
                    p.operation_rate_multiplier
                } else {
                    1.0
                } * self
                    .front_excess_km
                    .get(day as usize)
                    .copied()
                    .flatten()
                    .map_or(1.0, |excess| (-excess / p.front_distance_scale_km).exp());
                for _ in 0..poisson(&mut rng, expected) {
                    let i = ((uniform(&mut rng) * self.templates.len() as f64) as usize)
                        .min(self.templates.len() - 1);
                    todays.push((i, false));
                }
                for (k, (ti, historical)) in todays.into_iter().enumerate() {
                    let template = &self.templates[ti];
                    let covert_hand: u32 = hand[0].iter().sum();
                    let host_hand: u32 = hand[1].iter().sum();
                    let covert_ready =
                        ((covert_hand as f64 * p.serviceable_share) as u32).min(pilots);
                    let host_ready = if self.fights_with_host {
                        (host_hand as f64 * p.serviceable_share) as u32
                    } else {
                        0
                    };
                    let available = covert_ready + host_ready;
                    if available == 0 || covert_ready == 0 || template.friendly_needed == 0 {
                        continue;
                    }
                    let mut e = template.engagement.clone();
                    let f = template.friendly;
                    if !historical {
                        self.shape_drawn_engagement(&mut e, template, contact_share, &mut rng);
                    }
                    let needed = e.sides[f].airborne().max(1);
                    let scale = (available as f64 / needed as f64).min(1.0);
                    for force in &mut e.sides[f].forces {
                        force.count.value = (force.count.value as f64 * scale).round() as u32;
                        force.quality.value.value = quality;
                    }
                    let flying: u32 = e.sides[f].airborne();
                    if flying == 0 {
                        continue;
                    }
                    // The covert force flies from the nearest base its side holds that day: as
                    // bases fall, its damaged aircraft have farther to go home.
                    let nearest = self
                        .bases
                        .iter()
                        .filter(|b| b.friendly_on(day))
                        .map(|b| {
                            distance_km(
                                b.latitude,
                                b.longitude,
                                e.context.latitude.value,
                                e.context.longitude.value,
                            )
                        })
                        .fold(f64::INFINITY, f64::min);
                    if nearest.is_finite() {
                        e.sides[f].home_distance_km =
                            Some(airwar_scenario::Figure::uncited(nearest.min(5000.0)));
                    }
                    // The covert force's rules act on the fight.
                    if !self.pursuit_rule {
                        e.sides[f].no_pursuit_line_km = None;
                        if chance(&mut rng, p.beyond_line_share) {
                            e.context.ground_below = 1 - f;
                        }
                    }
                    let language_allowed = !self.radio_rule;
                    if language_allowed {
                        e.sides[f].shares_radio_language.value = true;
                    }
                    let Ok(prepared) = prepare(&e, &self.db, &self.params) else {
                        continue;
                    };
                    let mut erng = stream(
                        replication_seed ^ 0x00E1_6A6E,
                        ((day as u64) << 16) | k as u64,
                    );
                    let result = simulate_engagement(&prepared, &mut erng, &mut ws);
                    engagements += 1;
                    let covert_share = covert_ready as f64 / available as f64;
                    let mut friendly_air_lost = 0u32;
                    let mut friendly_captured = 0u32;
                    let mut wrecks_on_enemy_ground = 0u32;
                    for (counts, force) in result.forces.iter().zip(&prepared.forces) {
                        if force.side == f {
                            friendly_air_lost += counts.losses();
                            friendly_fire += counts.shot_down_by_own_side as u64;
                            if e.context.ground_below != f {
                                wrecks_on_enemy_ground +=
                                    counts.lost_in_combat + counts.shot_down_by_own_side;
                            }
                        } else {
                            enemy_losses += counts.losses() as u64;
                        }
                    }
                    friendly_captured += result.crews[f].captured;
                    // The friendly side's claims (in the air and on the ground, as the record
                    // counts them) are shared like its losses: the host's crews claim for the
                    // host.
                    let air = binomial(&mut rng, result.claims[f], covert_share) as u64;
                    let ground = binomial(&mut rng, result.ground_claims[f], covert_share) as u64;
                    air_claims += air;
                    ground_claims += ground;
                    claims += air + ground;
                    // Split the friendly side's losses between covert force and host.
                    let covert_losses = binomial(&mut rng, friendly_air_lost, covert_share);
                    let host_losses = friendly_air_lost - covert_losses;
                    let covert_flying = ((flying as f64) * covert_share).round() as u32;
                    sorties += covert_flying as u64;
                    let accident_rate = match self.accidents_per_combat_death {
                        // As many accidental deaths, on average, per combat death as the record
                        // shows; an accident kills its pilot with the model's crew survival.
                        Some(ratio) if covert_flying > 0 => {
                            let combat_deaths = result.crews[f].killed as f64 * covert_share;
                            (ratio * combat_deaths
                                / (1.0 - self.params.crew_survival).max(0.05)
                                / covert_flying as f64)
                                .min(1.0)
                        }
                        _ => p.accident_rate_per_sortie,
                    };
                    let accidents = binomial(&mut rng, covert_flying, accident_rate);
                    let taken = take(
                        &mut hand[0],
                        covert_losses + accidents,
                        &mut lost_by_type[0],
                        &mut rng,
                    );
                    covert_combat += covert_losses.min(taken) as u64;
                    covert_accident += taken.saturating_sub(covert_losses) as u64;
                    covert_lost += taken as u64;
                    host_lost +=
                        take(&mut hand[1], host_losses, &mut lost_by_type[1], &mut rng) as u64;
                    // Pilots: killed or captured in the covert share, killed in accidents.
                    let covert_crews = binomial(&mut rng, result.crews[f].killed, covert_share)
                        + binomial(&mut rng, accidents, 1.0 - self.params.crew_survival);
                    let captured = binomial(&mut rng, friendly_captured, covert_share);
                    let killed = covert_crews.min(pilots);
                    pilots -= killed;
                    let captured = captured.min(pilots);
                    pilots -= captured;
                    out.ledger.pilots_killed += killed as u64;
                    out.ledger.pilots_captured += captured as u64;
                    // Those who flew gain experience; the force's mean quality rises by their
                    // share of its pilots.
                    if pilots > 0 {
                        let flew = (covert_flying as f64 / pilots as f64).min(1.0);
                        quality =
                            (quality + p.experience_per_engagement * flew).min(p.max_pilot_quality);
                    }
                    // Exposure.
                    let covert_wrecks = binomial(&mut rng, wrecks_on_enemy_ground, covert_share);
                    let slip = if language_allowed {
                        chance(&mut rng, p.radio_heard_when_allowed)
                    } else {
                        chance(&mut rng, p.radio_slip_per_engagement)
                    };
                    let mut events: Vec<f64> = Vec::new();
                    events.extend(std::iter::repeat_n(p.proof_per_capture, captured as usize));
                    events.extend(std::iter::repeat_n(
                        p.proof_per_wreck,
                        covert_wrecks as usize,
                    ));
                    if slip {
                        events.push(p.proof_per_radio_slip);
                    }
                    for pe in events {
                        no_proof *= 1.0 - pe;
                        if chance(&mut rng, pe) {
                            proof = true;
                        }
                    }
                }
            }

            // 5. Money: each loan is drawn on its date, accrues interest daily at its rate and
            // is repaid in equal monthly instalments (in commodities) from its repayment date.
            for (l, owed) in self.loans.iter().zip(loan_balance.iter_mut()) {
                if l.day == day {
                    *owed += l.amount_thousand_usd;
                    borrowed += l.amount_thousand_usd;
                }
                *owed += *owed * l.annual_rate / 365.0;
                let since = day as i64 - l.repayment_day;
                if since > 0 && since % 30 == 0 && *owed > 0.0 {
                    let months_left = (l.repayment_months - (since / 30 - 1) as f64).max(1.0);
                    let payment = (*owed / months_left).min(*owed);
                    *owed -= payment;
                    repaid += payment;
                }
            }
            debt = loan_balance.iter().sum();
            if debt < 0.0 {
                out.ledger.debt_never_negative = false;
            }

            // Record the day.
            let d = day as usize;
            let exposure = ((1.0 - no_proof) * 1e4).round() as u64;
            if exposure < last_exposure {
                out.ledger.exposure_never_fell = false;
            }
            last_exposure = exposure;
            let row = [
                hand[0].iter().sum::<u32>() as u64,
                hand[1].iter().sum::<u32>() as u64,
                pilots as u64,
                engagements,
                covert_lost,
                claims,
                enemy_losses,
                delivered,
                debt.round().max(0.0) as u64,
                repaid.round() as u64,
                exposure,
                sorties,
                self.bases.iter().filter(|b| b.friendly_on(day)).count() as u64,
                ground_crew as u64,
                pilots as u64 + ground_crew as u64,
            ];
            for (s, v) in row.into_iter().enumerate() {
                out.series[s][d] = v;
            }
            for (series, held) in out.on_hand.iter_mut().zip(&hand) {
                for (s, h) in series.iter_mut().zip(held) {
                    s[d] = *h;
                }
            }
            for (k, &(total, snap_day)) in self.snapshots.iter().enumerate() {
                if snap_day == day {
                    out.observed[k] = match TOTALS[total] {
                        "delivered" => out.ledger.dispatched,
                        "claims" => claims,
                        "air_claims" => air_claims,
                        "ground_claims" => ground_claims,
                        "covert_aircraft_lost" => covert_lost,
                        "pilots_killed" => out.ledger.pilots_killed,
                        "personnel_peak" => personnel_peak,
                        "pilots_served" => out.ledger.pilots_arrived,
                        "personnel_deployed" => {
                            out.ledger.pilots_arrived + out.ledger.ground_crew_arrived
                        }
                        _ => 0,
                    };
                }
            }
        }

        let cost = |per: u64| {
            if per > 0 {
                (borrowed / per as f64).round() as u64
            } else {
                0
            }
        };
        let totals = [
            out.ledger.dispatched,
            ferry_lost,
            covert_lost,
            covert_combat,
            covert_accident,
            host_lost,
            out.ledger.pilots_killed,
            out.ledger.pilots_captured,
            out.ledger.pilots_rotated,
            personnel_peak,
            out.ledger.pilots_arrived,
            out.ledger.pilots_arrived + out.ledger.ground_crew_arrived,
            claims,
            air_claims,
            ground_claims,
            enemy_losses,
            handed_over,
            friendly_fire,
            engagements,
            last_exposure,
            u64::from(proof),
            debt.round().max(0.0) as u64,
            repaid.round() as u64,
            cost(delivered),
            cost(enemy_losses),
        ];
        out.totals = totals.to_vec();
        out.ledger.arrived = delivered;
        out.ledger.ferry_lost = ferry_lost;
        out.ledger.in_transit_at_end = transit.iter().map(|t| t.3 as u64).sum();
        out.ledger.lost = [covert_lost, host_lost];
        out.ledger.handed_over = handed_over;
        out.ledger.on_hand_at_end = [
            hand[0].iter().map(|v| *v as u64).sum(),
            hand[1].iter().map(|v| *v as u64).sum(),
        ];
        out.ledger.pilots_present_at_end = pilots as u64;
        out.ledger.ground_crew_present_at_end = ground_crew as u64;
        out
    }

    /// Shape an engagement drawn from a famous battle into a typical one. Famous battles are
    /// selected by their outcome (large, lopsided), so a drawn engagement keeps only the
    /// battle's circumstances (place, height, warning, mission):
    /// - the covert side flies the typical number of aircraft (where the record says what that
    ///   is), of which the share `contact_share` actually fights;
    /// - the enemy sends `drawn_enemy_per_friendly` aircraft for each of them, rather than the
    ///   famous battle's odds;
    /// - the enemy's types follow the record of whom the covert force fought.
    fn shape_drawn_engagement(
        &self,
        e: &mut Engagement,
        template: &Template,
        contact_share: f64,
        rng: &mut ModelRng,
    ) {
        let f = template.friendly;
        let needed = template.friendly_needed as f64;
        let friendly = match self.typical_engagement {
            Some(TypicalSize::Fought(n)) => n.min(needed),
            Some(TypicalSize::Flew(n)) => n.min(needed) * contact_share,
            None => needed * contact_share,
        };
        // Rounded up with probability equal to the fraction, so that the expected number that
        // fight is the typical size exactly and moves smoothly with the contact share (plain
        // rounding made the campaign's likelihood a step function of it).
        let whole = friendly.floor() + f64::from(u8::from(unit_interval(rng) < friendly.fract()));
        let friendly_total = (whole as u32).max(1);
        let scale = friendly_total as f64 / needed;
        resize(&mut e.sides[f].forces, friendly_total);
        let enemy_total =
            ((friendly_total as f64 * self.cparams.drawn_enemy_per_friendly).round() as u32).max(1);
        for (i, side) in e.sides.iter_mut().enumerate() {
            if i != f {
                resize(&mut side.forces, enemy_total);
            }
            for parked in &mut side.parked {
                parked.count.value = (parked.count.value as f64 * scale).round() as u32;
            }
        }
        self.replace_opponents(e, f, rng);
    }

    /// A drawn engagement meets the enemy types the record says the covert force fought, in
    /// their cited shares: with an opponent's share, every enemy force becomes that type (a
    /// fighter flies a sweep and leaves parked aircraft alone); with the rest, the battle's own
    /// opponents stay. This undoes the famous battles' bias towards raids by bombers.
    fn replace_opponents(&self, e: &mut Engagement, friendly: usize, rng: &mut ModelRng) {
        let mut u = unit_interval(rng);
        let Some((index, type_id, fighter, _)) = self.opponents.iter().find(|o| {
            u -= o.3;
            u < 0.0
        }) else {
            return;
        };
        for (i, side) in e.sides.iter_mut().enumerate() {
            if i == friendly {
                continue;
            }
            for force in &mut side.forces {
                force.type_index = *index;
                force.type_id.clone_from(type_id);
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
    }

    /// The theatre's rules as the model applies them: (no-pursuit rule, radio-language rule).
    pub fn rules(&self) -> (bool, bool) {
        (self.pursuit_rule, self.radio_rule)
    }
}

/// Take `n` aircraft from `hand`, a type at a time in proportion to holdings; returns how many
/// were there to take.
/// Resize a side's forces to `total` aircraft, keeping their proportions (largest remainders, so
/// the total is exact).
fn resize(forces: &mut [Force], total: u32) {
    let now: u32 = forces.iter().map(|f| f.count.value).sum();
    if now == 0 || forces.is_empty() {
        return;
    }
    let exact: Vec<f64> = forces
        .iter()
        .map(|f| f.count.value as f64 * total as f64 / now as f64)
        .collect();
    for (force, x) in forces.iter_mut().zip(&exact) {
        force.count.value = x.floor() as u32;
    }
    let given: u32 = forces.iter().map(|f| f.count.value).sum();
    let mut order: Vec<usize> = (0..forces.len()).collect();
    order.sort_by(|a, b| {
        let ra = exact[*a] - exact[*a].floor();
        let rb = exact[*b] - exact[*b].floor();
        rb.total_cmp(&ra).then(a.cmp(b))
    });
    // Fewer remainders than forces are missing, so one pass over them is enough.
    for i in order.into_iter().take(total.saturating_sub(given) as usize) {
        forces[i].count.value += 1;
    }
}

/// Take `n` aircraft at random from those on hand (fewer if fewer are left), counting each
/// one taken in `removed` by type.
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

trait NextSeed {
    fn next_seed(self) -> u64;
}

impl NextSeed for ModelRng {
    fn next_seed(mut self) -> u64 {
        use rand_core::RngCore;
        self.next_u64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use airwar_model::rng::stream;
    use airwar_scenario::Figure;

    fn force(type_id: &str, count: u32) -> Force {
        Force {
            type_index: 0,
            type_id: type_id.to_string(),
            count: Figure::uncited(count),
            quality: Figure::uncited(airwar_scenario::engagement::Quality {
                value: 0.5,
                label: None,
            }),
            role: Role::Escort,
        }
    }

    #[test]
    fn resize_hits_the_total_and_keeps_proportions() {
        let mut forces = vec![force("a", 9), force("b", 70), force("c", 30)];
        resize(&mut forces, 11);
        let counts: Vec<u32> = forces.iter().map(|f| f.count.value).collect();
        assert_eq!(counts.iter().sum::<u32>(), 11);
        // 9/109, 70/109 and 30/109 of 11 are 0.91, 7.06 and 3.03.
        assert_eq!(counts, vec![1, 7, 3]);
        resize(&mut forces, 0);
        assert!(forces.iter().all(|f| f.count.value == 0));
    }

    fn korea(cparams: CampaignParameters) -> (Campaign, Library) {
        let lib = Library::load().unwrap();
        let theatre = lib.theatre("korea-1950").unwrap().clone();
        let c = Campaign::new(&theatre, &lib, &ModelParameters::default(), &cparams).unwrap();
        (c, lib)
    }

    #[test]
    fn drawn_engagements_are_typical_not_famous() {
        let cparams = CampaignParameters {
            contact_share: 0.2,
            drawn_enemy_per_friendly: 1.5,
            ..CampaignParameters::default()
        };
        let (c, _lib) = korea(cparams);
        // Korea cites 63,000 sorties over 2,000 engagements: 31.5 sorties, of which a fifth
        // fight (6.3: 6 or 7), against 1.5 enemy aircraft each.
        let mut sabres = 0;
        for (k, template) in c.templates.iter().enumerate() {
            for draw in 0..20u64 {
                let mut e = template.engagement.clone();
                let mut rng = stream(k as u64, draw);
                c.shape_drawn_engagement(&mut e, template, 0.2, &mut rng);
                let f = template.friendly;
                let friendly = e.sides[f].airborne();
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
                let enemy: u32 = e.sides[1 - f].airborne();
                assert_eq!(enemy, ((friendly as f64 * 1.5).round() as u32).max(1));
                if e.sides[1 - f].forces.iter().all(|x| x.type_id == "F-86E") {
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
    fn host_aircraft_stay_out_of_fights_where_the_record_says_so() {
        let (c, _lib) = korea(CampaignParameters {
            contact_share: 0.1,
            ..CampaignParameters::default()
        });
        assert!(!c.fights_with_host);
        let o = c.simulate(3, 0);
        let host_lost = TOTALS
            .iter()
            .position(|t| *t == "host_aircraft_lost")
            .unwrap();
        let engagements = TOTALS.iter().position(|t| *t == "engagements").unwrap();
        assert!(o.totals[engagements] > 0);
        assert_eq!(o.totals[host_lost], 0);
    }

    fn china() -> Campaign {
        let lib = Library::load().unwrap();
        let theatre = lib.theatre("china-1937").unwrap().clone();
        Campaign::new(
            &theatre,
            &lib,
            &ModelParameters::default(),
            &CampaignParameters::default(),
        )
        .unwrap()
    }

    #[test]
    fn ground_crew_follow_the_aircraft_and_rotate_only_on_a_cited_tour() {
        let c = china();
        let o = c.simulate(7, 1);
        let series = |name: &str| &o.series[SERIES.iter().position(|s| *s == name).unwrap()];
        let (aircraft, crew) = (series("aircraft_covert"), series("ground_crew_covert"));
        let per = CampaignParameters::default().ground_crew_per_aircraft;
        // Never fewer ground crew than the aircraft on hand need, while the force is there.
        for (a, g) in aircraft.iter().zip(crew) {
            assert!(
                *g as f64 >= (per * *a as f64).round() - 0.5,
                "{g} crew for {a} aircraft"
            );
        }
        // China cites no tour for its ground crew: none go home before the withdrawal.
        let withdrawal = c.withdrawal_day as usize;
        assert!(crew[..withdrawal].windows(2).all(|w| w[0] <= w[1]));
        // Korea cites a year for whole divisions, ground crew included.
        let (korea, _lib) = korea(CampaignParameters::default());
        assert!(korea.simulate(7, 1).ledger.ground_crew_rotated > 0);
    }

    #[test]
    fn loans_are_repaid_from_their_cited_dates() {
        let c = china();
        let o = c.simulate(1, 0);
        let shipped = &o.series[SERIES
            .iter()
            .position(|s| *s == "shipments_thousand_usd")
            .unwrap()];
        // The first credit (1 March 1938) is repaid from 31 October 1938, monthly.
        let day = |d: &str| (day_number(d).unwrap() - c.start_day) as usize;
        assert_eq!(shipped[day("1938-11-29")], 0);
        assert!(shipped[day("1938-12-01")] > 0);
        // Five years at 3%: about a sixtieth of US$50 million plus interest each month.
        let first = shipped[day("1938-12-01")] as f64;
        assert!(
            (800.0..1000.0).contains(&first),
            "first instalment {first} thousand"
        );
    }
}
