//! Supply, the day's first phase: deliveries leave on their dates and travel their route
//! (transit days, ferry losses), held back by the route's capacity (aircraft a 30-day window;
//! where the record gives none, the fitted `route_capacity_aircraft_per_month`). A fitted share
//! of lost aircraft (`loss_replacement_share`) is reordered over the theatre's main route, or,
//! where the theatre has no routes but a cited strength, the force is kept at that strength.
//! No recorded total is read.

use airwar_model::rng::ModelRng;

use super::{InTransit, State};
use crate::campaign::{binomial, Campaign, Owner, Pending};
use crate::metrics::Total;
use crate::params::CampaignParameters;
use airwar_model::rounding::round;

pub(crate) fn run(
    c: &Campaign,
    p: &CampaignParameters,
    s: &mut State,
    day: u32,
    rng: &mut ModelRng,
) {
    depart(c, s, day);
    reorder_losses(c, p, s);
    dispatch(c, p, s, day, rng);
    arrive(c, s, day);
    keep_at_strength(c, s, day);
}

/// Planned deliveries whose day has come join the queue.
fn depart(c: &Campaign, s: &mut State, day: u32) {
    while let Some(d) = c
        .deliveries
        .get(s.next_delivery)
        .filter(|d| d.depart_day <= day)
    {
        s.queue.push(Pending {
            route: d.route,
            transit_days: d.transit_days,
            owner: d.owner,
            type_slot: d.type_slot,
            ferry_loss: d.ferry_loss,
            remaining: d.count,
        });
        s.next_delivery += 1;
    }
}

/// Replacements for yesterday's losses join the queue.
fn reorder_losses(c: &Campaign, p: &CampaignParameters, s: &mut State) {
    let Some(r) = &c.loss_replacement else {
        return;
    };
    for (o, owner) in [(0, Owner::Covert), (1, Owner::Host)] {
        if owner == Owner::Covert && s.withdrawn {
            s.lost_by_type[o].iter_mut().for_each(|n| *n = 0);
            continue;
        }
        for (t, n) in s.lost_by_type[o].iter_mut().enumerate() {
            if *n == 0 {
                continue;
            }
            s.lost_so_far[o][t] += *n as u64;
            *n = 0;
            // `as` truncates toward zero and saturates: for this product, never negative, the same
            // as `floor()`, without a call into libm.
            let due = (s.lost_so_far[o][t] as f64 * p.loss_replacement_share) as u64;
            let order = due.saturating_sub(s.reordered[o][t]) as u32;
            if order > 0 {
                s.reordered[o][t] += order as u64;
                s.queue.push(Pending {
                    owner,
                    type_slot: t,
                    remaining: order,
                    ..r.clone()
                });
            }
        }
    }
}

/// Send what the routes have room for; the rest waits.
fn dispatch(c: &Campaign, p: &CampaignParameters, s: &mut State, day: u32, rng: &mut ModelRng) {
    // Taken out and put back (not rebuilt), so the queue keeps its allocation from day to day.
    let mut queue = std::mem::take(&mut s.queue);
    queue.retain_mut(|d| {
        let allowed = match d.route {
            Some(r) => {
                let (window_start, used) = &mut s.route_used[r];
                if day >= *window_start + 30 {
                    *window_start = day;
                    *used = 0.0;
                }
                let capacity =
                    c.route_capacity[r].unwrap_or(p.route_capacity_aircraft_per_month.max(1.0));
                let room = (capacity - *used).max(0.0) as u32;
                let n = d.remaining.min(room);
                *used += n as f64;
                n
            }
            None => d.remaining,
        };
        if allowed > 0 {
            s.counts[Total::Delivered] += allowed as u64;
            let lost = binomial(rng, allowed, d.ferry_loss);
            s.counts[Total::FerryLost] += lost as u64;
            s.lost_by_type[usize::from(d.owner == Owner::Host)][d.type_slot] += lost;
            s.transit.push(InTransit {
                arrive: day + d.transit_days,
                owner: d.owner,
                type_slot: d.type_slot,
                count: allowed - lost,
            });
        }
        d.remaining -= allowed;
        d.remaining > 0
    });
    s.queue = queue;
}

/// Aircraft whose transit is over join their owner (after withdrawal, the host).
fn arrive(c: &Campaign, s: &mut State, day: u32) {
    let withdrawn = s.withdrawn;
    let (hand, arrived) = (&mut s.hand, &mut s.arrived);
    s.transit.retain(|x| {
        if x.arrive > day {
            return true;
        }
        let owner = if withdrawn { Owner::Host } else { x.owner };
        let to_covert = match owner {
            Owner::Covert => x.count,
            Owner::Host if !withdrawn => {
                round(x.count as f64 * c.covert_share_of_host_deliveries) as u32
            }
            Owner::Host => 0,
        };
        hand[0][x.type_slot] += to_covert;
        hand[1][x.type_slot] += x.count - to_covert;
        *arrived += x.count as u64;
        false
    });
}

/// Replacements keep the covert force at its cited strength (arriving after a short transit).
fn keep_at_strength(c: &Campaign, s: &mut State, day: u32) {
    let (Some((strength, t, transit_days)), false) = (c.replacements, s.withdrawn) else {
        return;
    };
    let held = s.held(0);
    let coming: u32 = s
        .transit
        .iter()
        .filter(|x| x.owner == Owner::Covert)
        .map(|x| x.count)
        .sum();
    if held + coming < strength {
        let n = strength - held - coming;
        s.counts[Total::Delivered] += n as u64;
        s.transit.push(InTransit {
            arrive: day + transit_days,
            owner: Owner::Covert,
            type_slot: t,
            count: n,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phases::tests::compiled;
    use airwar_model::rng::stream;

    #[test]
    fn deliveries_wait_for_the_route_and_arrive_after_their_transit() {
        let (c, mut p) = compiled("china-1937");
        p.route_capacity_aircraft_per_month = 1e9;
        let mut s = State::new(&c, &p);
        let first = c.deliveries.first().expect("China has deliveries").clone();
        let mut rng = stream(1, 1);
        for day in 0..=first.depart_day {
            run(&c, &p, &mut s, day, &mut rng);
        }
        assert!(s.counts[Total::Delivered] >= first.count as u64);
        // Nothing arrives before its transit is over (unless the transit takes no time).
        if first.transit_days > 0 {
            assert!(s.transit.iter().any(|x| x.arrive > first.depart_day));
        }
        for day in first.depart_day + 1..=first.depart_day + first.transit_days {
            run(&c, &p, &mut s, day, &mut rng);
        }
        // Aircraft are conserved: sent = arrived + ferry losses + still on the way.
        let sent = s.counts[Total::Delivered];
        let on_way: u64 = s.transit.iter().map(|x| x.count as u64).sum();
        assert_eq!(sent, s.arrived + s.counts[Total::FerryLost] + on_way);
        assert_eq!(s.arrived, (s.held(0) + s.held(1)) as u64);
    }

    #[test]
    fn a_route_carries_no_more_than_its_capacity_in_a_window() {
        let (c, mut p) = compiled("china-1937");
        p.route_capacity_aircraft_per_month = 5.0;
        let mut s = State::new(&c, &p);
        let mut rng = stream(2, 2);
        for day in 0..30 {
            run(&c, &p, &mut s, day, &mut rng);
        }
        // The first window: at most 5 aircraft for each route without a cited capacity.
        let limit: f64 = c.route_capacity.iter().map(|cap| cap.unwrap_or(5.0)).sum();
        assert!(s.counts[Total::Delivered] as f64 <= limit);
    }

    #[test]
    fn losses_are_reordered_in_the_fitted_share() {
        let (c, mut p) = compiled("china-1937");
        p.loss_replacement_share = 0.5;
        let mut s = State::new(&c, &p);
        let slot = 0;
        s.lost_by_type[0][slot] = 7;
        reorder_losses(&c, &p, &mut s);
        let ordered: u32 = s.queue.iter().map(|q| q.remaining).sum();
        assert_eq!(ordered, 3, "half of 7, rounded down");
        s.lost_by_type[0][slot] = 1;
        reorder_losses(&c, &p, &mut s);
        let ordered: u32 = s.queue.iter().map(|q| q.remaining).sum();
        assert_eq!(ordered, 4, "half of 8 over the run, exactly");
    }
}
