//! One replication of a campaign, a day at a time: the [`State`] it carries and the phases of
//! its day.
//!
//! [`Campaign::simulate`] draws the replication's fitted parameters, then runs every day of the
//! theatre's period through these phases, in this order:
//!
//! 1. [`supply`]: deliveries leave on their dates and wait for room on their route; lost
//!    aircraft are reordered; aircraft arrive after their transit, less ferry losses.
//! 2. [`events`]: handovers to the host and the withdrawal of the covert force.
//! 3. [`personnel`]: pilots rotate at the end of their tour; ground crew come with the aircraft
//!    and serve their own tour.
//! 4. [`combat`]: the day's historical battles and the engagements drawn at the day's rate,
//!    each resolved by the engagement model; losses, claims, pilots killed and captured,
//!    accidents, experience; each capture, wreck on enemy ground and radio slip is noted for
//!    the exposure phase.
//! 5. [`exposure`]: each noted event may become public proof; the probability that proof
//!    exists accumulates and never falls.
//! 6. [`finance`]: loans are drawn, accrue interest and are repaid in commodities.
//! 7. [`record`]: the day's series, and the totals history recorded on that day.
//!
//! After the last day [`record::finish`] gives the replication's totals and its conservation
//! ledger. Every random draw comes from a stream named in [`crate::streams`].

pub mod combat;
pub(crate) mod events;
pub(crate) mod exposure;
pub(crate) mod finance;
pub(crate) mod personnel;
pub(crate) mod record;
pub(crate) mod supply;

use airwar_model::rng::unit_interval;

use crate::campaign::{Campaign, CampaignOutcome, Owner, Pending};
use crate::metrics::{Total, Totals};
use crate::params::CampaignParameters;
use crate::streams::Streams;
use airwar_model::rounding::round;

/// Aircraft on their way: they arrive on `arrive` (a day of the period).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct InTransit {
    pub arrive: u32,
    pub owner: Owner,
    pub type_slot: usize,
    pub count: u32,
}

/// Everything a replication changes as its days pass.
#[derive(Debug, Clone)]
pub(crate) struct State {
    /// Aircraft on hand by owner (0 covert, 1 host) and type slot.
    pub hand: [Vec<u32>; 2],
    pub transit: Vec<InTransit>,
    /// Departures waiting for room on their route.
    pub queue: Vec<Pending>,
    /// The next planned delivery (they are in departure order).
    pub next_delivery: usize,
    /// Per route: (first day of the current 30-day window, aircraft sent in it).
    pub route_used: Vec<(u32, f64)>,
    /// Aircraft lost since the last replacement order, by owner and type.
    pub lost_by_type: [Vec<u32>; 2],
    /// Aircraft lost and reordered so far, by owner and type: the share reordered is kept
    /// exact over the run without a random draw.
    pub lost_so_far: [Vec<u64>; 2],
    pub reordered: [Vec<u64>; 2],
    /// Aircraft that have arrived over the routes.
    pub arrived: u64,
    pub withdrawn: bool,

    pub pilots: u32,
    /// The covert pilots' mean quality.
    pub quality: f64,
    pub tour_start: u32,
    pub ground_crew: u32,
    pub ground_tour_start: u32,
    pub ground_crew_arrived: u64,
    pub ground_crew_rotated: u64,
    /// Drivers of the supply roads' trucks present, and all who came.
    pub drivers: u32,
    pub drivers_arrived: u64,
    pub drivers_withdrawn: u64,

    /// Covert aircraft flown into engagements.
    pub sorties: u64,
    /// Today's events that may make proof public: the chance each does.
    pub exposure_events: Vec<f64>,
    /// Probability that no proof exists yet.
    pub no_proof: f64,
    pub exposure_never_fell: bool,
    pub last_exposure: u64,

    /// What each loan is owed now (thousand USD).
    pub loan_balance: Vec<f64>,
    pub borrowed: f64,
    pub repaid: f64,
    pub debt: f64,
    pub debt_never_negative: bool,

    /// Running counts of the totals that are counted as they happen (the rest are derived by
    /// [`State::total`]).
    pub counts: Totals,
}

impl State {
    pub(crate) fn new(c: &Campaign, p: &CampaignParameters) -> State {
        let nt = c.types.len();
        let mut counts = Totals::default();
        counts[Total::PilotsServed] = c.initial_pilots as u64;
        State {
            hand: [vec![0; nt], vec![0; nt]],
            transit: Vec::new(),
            queue: Vec::new(),
            next_delivery: 0,
            route_used: vec![(0, 0.0); c.route_capacity.len()],
            lost_by_type: [vec![0; nt], vec![0; nt]],
            lost_so_far: [vec![0; nt], vec![0; nt]],
            reordered: [vec![0; nt], vec![0; nt]],
            arrived: 0,
            withdrawn: false,
            pilots: c.initial_pilots,
            quality: p.new_pilot_quality,
            tour_start: 0,
            ground_crew: 0,
            ground_tour_start: 0,
            ground_crew_arrived: 0,
            ground_crew_rotated: 0,
            drivers: 0,
            drivers_arrived: 0,
            drivers_withdrawn: 0,
            sorties: 0,
            exposure_events: Vec::new(),
            no_proof: 1.0,
            exposure_never_fell: true,
            last_exposure: 0,
            loan_balance: vec![0.0; c.loans.len()],
            borrowed: 0.0,
            repaid: 0.0,
            debt: 0.0,
            debt_never_negative: true,
            counts,
        }
    }

    /// Aircraft `owner` holds (0 covert, 1 host).
    pub(crate) fn held(&self, owner: usize) -> u32 {
        self.hand[owner].iter().sum()
    }

    /// The probability that proof exists, in ten-thousandths.
    pub(crate) fn exposure(&self) -> u64 {
        round((1.0 - self.no_proof) * 1e4) as u64
    }

    /// Total `t` as it stands now.
    pub(crate) fn total(&self, t: Total) -> u64 {
        let cost = |per: u64| {
            if per > 0 {
                round(self.borrowed / per as f64) as u64
            } else {
                0
            }
        };
        match t {
            Total::PersonnelDeployed => {
                self.counts[Total::PilotsServed] + self.ground_crew_arrived + self.drivers_arrived
            }
            Total::ExposurePer10k => self.exposure(),
            Total::DebtEndThousandUsd => round(self.debt).max(0.0) as u64,
            Total::RepaidThousandUsd => round(self.repaid) as u64,
            Total::CostPerAircraftThousandUsd => cost(self.arrived),
            Total::CostPerEnemyDestroyedThousandUsd => cost(self.counts[Total::EnemyLosses]),
            counted => self.counts[counted],
        }
    }
}

impl Campaign {
    /// Run replication `replication` of a run seeded with `seed`.
    pub fn simulate(&self, seed: u64, replication: u64) -> CampaignOutcome {
        self.simulate_with(seed, replication, &mut self.scratch())
    }

    /// What [`Campaign::simulate_with`] reuses from one replication to the next on a thread.
    pub fn scratch(&self) -> combat::Scratch {
        combat::Scratch::new(&self.shapes)
    }

    /// [`Campaign::simulate`], reusing `scratch` (made by [`Campaign::scratch`] for this
    /// campaign): the same result, without preparing the campaign's engagements again.
    pub fn simulate_with(
        &self,
        seed: u64,
        replication: u64,
        scratch: &mut combat::Scratch,
    ) -> CampaignOutcome {
        let streams = Streams::new(seed, replication);
        // This replication's fitted parameters (a draw from the fitted posterior, if any).
        let p = self
            .cparams
            .for_replication(unit_interval(&mut streams.parameters()));
        let mut state = State::new(self, &p);
        let mut out = record::outcome(self);
        for day in 0..self.days {
            let mut rng = streams.day(day);
            supply::run(self, &p, &mut state, day, &mut rng);
            events::run(self, &mut state, day);
            personnel::run(self, &p, &mut state, day);
            // The engagements were prepared when the campaign was compiled; each fight sets
            // the figures that vary (counts, quality, home distance, rules).
            combat::run(self, &p, &mut state, scratch, day, &mut rng, &streams);
            // A day without evidence draws nothing from its exposure stream, so the stream
            // is made only when there is some.
            if state.exposure_events.is_empty() {
                exposure::settle(&mut state);
            } else {
                exposure::run(&mut state, &mut streams.exposure(day));
            }
            finance::run(self, &mut state, day);
            record::day(self, &state, day, &mut out);
        }
        record::finish(&state, &mut out);
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use airwar_model::ModelParameters;
    use airwar_scenario::Library;

    /// A built-in theatre compiled with default parameters.
    pub(crate) fn compiled(id: &str) -> (Campaign, CampaignParameters) {
        let lib = Library::load().expect("built-in data");
        let cparams = CampaignParameters::default();
        let c = Campaign::new(
            lib.theatre(id).expect("built-in theatre"),
            &lib,
            &ModelParameters::default(),
            &cparams,
        )
        .expect("compiles");
        (c, cparams)
    }

    #[test]
    fn a_reused_scratch_gives_what_a_fresh_one_gives() {
        for id in ["china-1937", "korea-1950"] {
            let (c, _) = compiled(id);
            let mut scratch = c.scratch();
            for i in 0..4 {
                assert_eq!(
                    c.simulate_with(11, i, &mut scratch),
                    c.simulate(11, i),
                    "{id} {i}"
                );
            }
        }
    }

    #[test]
    fn totals_derived_from_the_state_follow_their_parts() {
        let (c, p) = compiled("china-1937");
        let mut s = State::new(&c, &p);
        s.borrowed = 1000.0;
        s.arrived = 4;
        s.ground_crew_arrived = 10;
        s.no_proof = 0.75;
        assert_eq!(s.total(Total::CostPerAircraftThousandUsd), 250);
        assert_eq!(s.total(Total::CostPerEnemyDestroyedThousandUsd), 0);
        assert_eq!(
            s.total(Total::PersonnelDeployed),
            c.initial_pilots as u64 + 10
        );
        assert_eq!(s.total(Total::ExposurePer10k), 2500);
    }
}
