//! The campaign model (docs/model.md; its day in docs/architecture.md): a theatre compiled for
//! daily simulation.
//!
//! [`Campaign::new`] compiles a checked [`Theatre`] (with its battles, the aircraft database and
//! both parameter sets) into the schedule a replication follows: deliveries in departure order,
//! route capacities, the engagement rate and the days of major operations, the front's distance
//! by day, the battles each prepared once for the engagement model (one shape per choice of
//! opponents), bases and who holds them when, loans, rules, tours, and the observed totals to
//! read on their dates. No recorded total is read: unknown figures are the fitted campaign
//! parameters.
//!
//! [`Campaign::simulate`] (in `phases`) then runs one replication, a day at a time, through
//! the phases of the day in a fixed order: supply, events, personnel, combat, exposure,
//! finance, record. Every draw of day `d` comes from a stream named in [`crate::streams`] and
//! derived from (seed, replication, day), so two arms of a comparison meet the same luck on the
//! same day (common random numbers).

use std::collections::BTreeMap;

use airwar_model::rng::{chance, uniform, ModelRng};
use airwar_model::ModelParameters;
use airwar_scenario::aircraft::AircraftRole;
use airwar_scenario::theatre::{EventKind, RuleKind, Theatre};
use airwar_scenario::{Date, Engagement, Library};
use serde::Serialize;

use crate::dates::date_of;
use crate::metrics::{Series, Total};
use crate::params::CampaignParameters;
use crate::phases::combat::{self, Shapes};
use crate::CampaignError;

/// Who holds an aircraft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Owner {
    Covert,
    Host,
}

#[derive(Debug, Clone)]
pub(crate) struct PlannedDelivery {
    pub(crate) depart_day: u32,
    pub(crate) transit_days: u32,
    pub(crate) owner: Owner,
    pub(crate) type_slot: usize,
    pub(crate) count: u32,
    pub(crate) ferry_loss: f64,
    pub(crate) route: Option<usize>,
}

/// A departure waiting for room on its route.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub(crate) route: Option<usize>,
    pub(crate) transit_days: u32,
    pub(crate) owner: Owner,
    pub(crate) type_slot: usize,
    pub(crate) ferry_loss: f64,
    pub(crate) remaining: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct Template {
    pub(crate) engagement: Engagement,
    pub(crate) friendly: usize,
    pub(crate) friendly_needed: u32,
    /// Day of the historical battle, if within the theatre's period.
    pub(crate) day: Option<u32>,
}

/// How often the covert force fights.
#[derive(Debug, Clone, Copy)]
pub(crate) enum EngagementRate {
    /// Engagements a day, whatever the force's strength.
    PerDay(f64),
    /// Engagements a day per covert aircraft on hand.
    PerAircraftDay(f64),
}

/// The size of a typical engagement, as the record gives it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum TypicalSize {
    /// Covert aircraft that actually fought.
    Fought(f64),
    /// Covert sorties flown per engagement (most never fired).
    Flew(f64),
}

/// A base: where it is, and on which days the friendly side holds it.
#[derive(Debug, Clone)]
pub(crate) struct BaseTrack {
    pub(crate) latitude: f64,
    pub(crate) longitude: f64,
    /// (first day, friendly from then on?), in date order; the first entry is day 0.
    pub(crate) holder: Vec<(u32, bool)>,
}

impl BaseTrack {
    pub(crate) fn friendly_on(&self, day: u32) -> bool {
        self.holder
            .iter()
            .rev()
            .find(|(from, _)| *from <= day)
            .is_some_and(|(_, friendly)| *friendly)
    }
}

/// Great-circle distance in km.
pub(crate) fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6371.0 * a.sqrt().asin()
}

#[derive(Debug, Clone)]
pub(crate) struct LoanPlan {
    pub(crate) day: u32,
    pub(crate) amount_thousand_usd: f64,
    pub(crate) annual_rate: f64,
    /// First day of repayment (may lie after the theatre's period).
    pub(crate) repayment_day: i64,
    pub(crate) repayment_months: f64,
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
    pub(crate) deliveries: Vec<PlannedDelivery>,
    /// Aircraft a 30-day window each route can carry, where the record cites it (else the
    /// fitted `route_capacity_aircraft_per_month`).
    pub(crate) route_capacity: Vec<Option<f64>>,
    pub(crate) engagement_rate: EngagementRate,
    /// Whether a cited major air operation of the theatre is under way, by day: engagements
    /// then come `operation_rate_multiplier` times as often.
    pub(crate) operation_days: Vec<bool>,
    /// By day, how much farther (km) the front is than at its closest over the period (None:
    /// the theatre records no front line, or the enemy has taken no place yet).
    pub(crate) front_excess_km: Vec<Option<f64>>,
    pub(crate) templates: Vec<Template>,
    /// Each template prepared for the engagement model, once per choice of opponents.
    pub(crate) shapes: Vec<Shapes>,
    /// Per template, how far its place is from the nearest base the friendly side holds:
    /// (from day, km; None when it holds none), changing only when a base changes hands.
    pub(crate) home_km: Vec<Vec<(u32, Option<f64>)>>,
    /// The enemy types the covert force met, by cited share of its fights: (type index in
    /// the aircraft database, type id, fighter?, share).
    pub(crate) opponents: Vec<(usize, String, bool, f64)>,
    /// Whether the host's aircraft fly in the covert force's fights.
    pub(crate) fights_with_host: bool,
    pub(crate) pursuit_rule: bool,
    pub(crate) radio_rule: bool,
    pub(crate) tour_days: u32,
    /// Days ground crew serve before they are relieved (None: the whole period).
    pub(crate) ground_crew_tour_days: Option<u32>,
    /// Roads worked by trucks with their drivers: (the day the road opened, its trucks).
    pub(crate) roads: Vec<(u32, u32)>,
    /// The covert force's strength in airmen when the record gives it (else the parameter
    /// `default_pilots`): the force keeps at least this many, and at least one crew for each
    /// aircraft it holds.
    pub(crate) initial_pilots: u32,
    /// Airmen one aircraft of each tracked type needs (its crew from the aircraft data, at
    /// least 1), by slot.
    pub(crate) crew_seats: Vec<u32>,
    pub(crate) handover_days: Vec<u32>,
    pub(crate) handover_share: f64,
    pub(crate) withdrawal_day: u32,
    pub(crate) loans: Vec<LoanPlan>,
    /// Share of each delivery to the host that the covert force flies itself (the rest the
    /// host does), when the theatre records such a split.
    pub(crate) covert_share_of_host_deliveries: f64,
    /// Observed theatre totals the model produces: (the total, day to read it on).
    pub snapshots: Vec<(Total, u32)>,
    /// How lost aircraft are reordered: the route, transit and ferry loss of the most used
    /// supply route (None when the theatre is not supplied over routes). The share reordered
    /// is the fitted `loss_replacement_share`.
    pub(crate) loss_replacement: Option<Pending>,
    /// Strength the covert force is kept at by replacements, when the record gives its
    /// strength but no delivery total: (aircraft, type slot, transit days).
    pub(crate) replacements: Option<(u32, usize, u32)>,
    /// The covert force's aircraft in a typical engagement (sorties / engagements), if cited.
    pub(crate) typical_engagement: Option<TypicalSize>,
    /// Accidental deaths per combat death, if the record gives the share of deaths in accidents.
    pub(crate) accidents_per_combat_death: Option<f64>,
    /// The theatre's bases and who holds them when.
    pub(crate) bases: Vec<BaseTrack>,
    pub cparams: CampaignParameters,
}

/// Names of the daily series a replication records, in this order ([`Series`]).
pub const SERIES: &[&str] = Series::NAMES;

/// Names of the totals a replication records, in this order ([`Total`]).
pub const TOTALS: &[&str] = Total::NAMES;

/// The result of one replication.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CampaignOutcome {
    /// `series[s][d]`: series `s` of [`Series::ALL`] on day `d`.
    pub series: Vec<Vec<u64>>,
    /// `on_hand[owner][type][day]` (owner 0 covert, 1 host).
    pub on_hand: [Vec<Vec<u32>>; 2],
    /// One per [`Total::ALL`].
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
    pub drivers_arrived: u64,
    pub drivers_withdrawn: u64,
    pub drivers_present_at_end: u64,
    /// Debt never fell below zero.
    pub debt_never_negative: bool,
    /// Exposure never fell.
    pub exposure_never_fell: bool,
}

pub(crate) fn binomial(rng: &mut ModelRng, n: u32, p: f64) -> u32 {
    (0..n).filter(|_| chance(rng, p)).count() as u32
}

pub(crate) fn poisson(rng: &mut ModelRng, lambda: f64) -> u32 {
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
        let start_day = theatre.start.value.day_number();
        let end_day = theatre.end.value.day_number();
        let days = (end_day - start_day + 1).clamp(1, 40_000) as u32;
        let rel = |date: Date| -> i64 { date.day_number() - start_day };
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
            let day = rel(d.date.value);
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
            let (from, to) = (rel(o.from.value), rel(o.to.value));
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
                day: within(rel(e.date.value)),
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
                .filter_map(|e| within(rel(e.date.value)))
                .collect()
        };
        let withdrawal_day = event_days(EventKind::Withdrawal)
            .into_iter()
            .min()
            .unwrap_or(days);
        let loans = theatre
            .loans
            .iter()
            .map(|l| {
                let day = rel(l.date.value).clamp(0, days as i64 - 1) as u32;
                LoanPlan {
                    day,
                    amount_thousand_usd: l.amount_million_usd.value * 1000.0,
                    annual_rate: l.annual_interest_percent.value / 100.0,
                    repayment_day: l
                        .repayment_from
                        .as_ref()
                        .map_or(day as i64, |r| rel(r.value))
                        .max(day as i64),
                    repayment_months: l
                        .repayment_years
                        .as_ref()
                        .map_or(cparams.repayment_years, |y| y.value)
                        * 12.0,
                }
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
                    .map(|c| (rel(c.date.value), friendly_holder(&c.owner)))
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
            .map(|f| (rel(f.taken.value), f.latitude.value, f.longitude.value))
            .collect();
        // Each base's distance to each taken place, worked out once (a day-by-day loop over
        // pairs of trigonometric calls was most of the time it took to compile a campaign,
        // which a sweep does at every design point).
        let base_to_taken: Vec<Vec<f64>> = bases
            .iter()
            .map(|b| {
                taken
                    .iter()
                    .map(|(_, lat, lon)| distance_km(b.latitude, b.longitude, *lat, *lon))
                    .collect()
            })
            .collect();
        let front_distance: Vec<Option<f64>> = (0..days)
            .map(|day| {
                let held: Vec<usize> = (0..bases.len())
                    .filter(|&b| bases[b].friendly_on(day))
                    .collect();
                taken
                    .iter()
                    .enumerate()
                    .filter(|(_, (t, _, _))| *t <= day as i64)
                    .flat_map(|(k, _)| {
                        let distances = &base_to_taken;
                        held.iter().map(move |&b| distances[b][k])
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
                let day =
                    o.to.map_or(days - 1, |d| rel(d).clamp(0, days as i64 - 1) as u32);
                Some((total, day))
            })
            .collect();
        let opponents: Vec<(usize, String, bool, f64)> = doctrine
            .opponents
            .iter()
            .filter_map(|o| {
                let index = lib.aircraft.find(&o.type_id)?;
                let fighter = lib.aircraft.types[index].role == AircraftRole::Fighter;
                Some((index, o.type_id.clone(), fighter, o.share.value))
            })
            .collect();
        let mut epochs: Vec<u32> = bases
            .iter()
            .flat_map(|b| b.holder.iter().map(|h| h.0))
            .chain([0])
            .collect();
        epochs.sort_unstable();
        epochs.dedup();
        let home_km = templates
            .iter()
            .map(|t| {
                let (lat, lon) = (
                    t.engagement.context.latitude.value,
                    t.engagement.context.longitude.value,
                );
                epochs
                    .iter()
                    .map(|&day| {
                        let nearest = bases
                            .iter()
                            .filter(|b| b.friendly_on(day))
                            .map(|b| distance_km(b.latitude, b.longitude, lat, lon))
                            .fold(f64::INFINITY, f64::min);
                        (day, nearest.is_finite().then_some(nearest))
                    })
                    .collect()
            })
            .collect();
        let shapes = templates
            .iter()
            .map(|t| combat::shapes(&t.engagement, t.friendly, &opponents, &lib.aircraft, params))
            .collect();
        let crew_seats = types
            .iter()
            .map(|id| {
                lib.aircraft
                    .find(id)
                    .map_or(1, |i| lib.aircraft.types[i].crew.value.max(1))
            })
            .collect();
        Ok(Campaign {
            theatre_id: theatre.id.clone(),
            crew_seats,
            shapes,
            home_km,
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
            roads: theatre
                .routes
                .iter()
                .filter_map(|r| {
                    let trucks = r.trucks.as_ref()?.value;
                    let opened = r.opened.as_ref().map_or(0, |d| rel(d.value));
                    // A road opened after the period brings no one within it.
                    Some((opened.clamp(0, u32::MAX as i64) as u32, trucks))
                })
                .collect(),
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
            cparams: cparams.clone(),
        })
    }

    pub fn date(&self, day: u32) -> String {
        date_of(self.start_day + day as i64)
    }

    /// The theatre's rules as the model applies them: (no-pursuit rule, radio-language rule).
    pub fn rules(&self) -> (bool, bool) {
        (self.pursuit_rule, self.radio_rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn korea(cparams: CampaignParameters) -> Campaign {
        let lib = Library::load().unwrap();
        let theatre = lib.theatre("korea-1950").unwrap().clone();
        Campaign::new(&theatre, &lib, &ModelParameters::default(), &cparams).unwrap()
    }

    #[test]
    fn host_aircraft_stay_out_of_fights_where_the_record_says_so() {
        let c = korea(CampaignParameters {
            contact_share: 0.1,
            ..CampaignParameters::default()
        });
        assert!(!c.fights_with_host);
        let o = c.simulate(3, 0);
        assert!(o.totals[Total::Engagements.index()] > 0);
        assert_eq!(o.totals[Total::HostAircraftLost.index()], 0);
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
    fn a_road_opened_after_the_period_is_never_reached() {
        let lib = Library::load().unwrap();
        let mut theatre = lib.theatre("china-1937").unwrap().clone();
        let road = theatre.routes.iter_mut().find(|r| r.trucks.is_some());
        let opened = road.expect("china's road cites its trucks").opened.as_mut();
        opened.expect("and its opening").value = Date::parse("1950-01-01").unwrap();
        let (p, cp) = (ModelParameters::default(), CampaignParameters::default());
        let c = Campaign::new(&theatre, &lib, &p, &cp).unwrap();
        assert!(c.roads.iter().all(|(day, _)| *day >= c.days));
    }

    #[test]
    fn ground_crew_follow_the_aircraft_and_rotate_only_on_a_cited_tour() {
        let c = china();
        let o = c.simulate(7, 1);
        let (aircraft, crew) = (
            &o.series[Series::AircraftCovert.index()],
            &o.series[Series::GroundCrewCovert.index()],
        );
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
        let korea = korea(CampaignParameters::default());
        assert!(korea.simulate(7, 1).ledger.ground_crew_rotated > 0);
    }

    #[test]
    fn loans_are_repaid_from_their_cited_dates() {
        let c = china();
        let o = c.simulate(1, 0);
        let shipped = &o.series[Series::ShipmentsThousandUsd.index()];
        // The first credit (1 March 1938) is repaid from 31 October 1938, monthly.
        let day = |d: &str| (Date::parse(d).unwrap().day_number() - c.start_day) as usize;
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
