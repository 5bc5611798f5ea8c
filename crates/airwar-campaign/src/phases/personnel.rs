//! Personnel, the day's third phase. Airmen: the covert force keeps at least its cited
//! strength in airmen and, for each aircraft it holds, its crew (the crew of each type from
//! the aircraft data, so a bomber brings three or more) with a unit's spare aircrew on top
//! (`airmen_per_crew_seat` to a seat); the killed and captured are
//! replaced the next day by new airmen at the new pilots' quality, and at the end of a tour
//! everyone goes home and as many new ones come. Every arrival counts as an airman who served.
//! Ground crew come with the aircraft they service, stay to the end of their own tour (where
//! the record gives one) even when those aircraft are lost or handed over, and are then
//! relieved in the numbers needed. The drivers of a supply road's trucks come when the road
//! opens (`drivers_per_truck` to a truck) and stay until the force withdraws.

use super::State;
use crate::campaign::Campaign;
use crate::metrics::Total;
use crate::params::CampaignParameters;
use airwar_model::rounding::round;

pub(crate) fn run(c: &Campaign, p: &CampaignParameters, s: &mut State, day: u32) {
    if s.withdrawn {
        return;
    }
    if day >= s.tour_start + c.tour_days {
        s.counts[Total::PilotsRotated] += s.pilots as u64;
        s.pilots = 0;
        s.tour_start = day;
    }
    let airmen = airmen_needed(c, p, s);
    if s.pilots < airmen {
        let arriving = airmen - s.pilots;
        // The force's mean quality mixes those who stay with the newcomers.
        s.quality =
            (s.quality * s.pilots as f64 + p.new_pilot_quality * arriving as f64) / airmen as f64;
        s.pilots = airmen;
        s.counts[Total::PilotsServed] += arriving as u64;
    }
    if let Some(tour) = c.ground_crew_tour_days {
        if day >= s.ground_tour_start + tour {
            s.ground_crew_rotated += s.ground_crew as u64;
            s.ground_crew = 0;
            s.ground_tour_start = day;
        }
    }
    let need = round(p.ground_crew_per_aircraft * s.held(0) as f64) as u32;
    top_up(&mut s.ground_crew, &mut s.ground_crew_arrived, need);
    top_up(
        &mut s.drivers,
        &mut s.drivers_arrived,
        drivers_needed(c, p, day),
    );
    let present = s.pilots as u64 + s.ground_crew as u64 + s.drivers as u64;
    let peak = &mut s.counts[Total::PersonnelPeak];
    *peak = (*peak).max(present);
}

/// Bring `present` up to `need`, counting the newcomers in `arrived`; never sends anyone home.
fn top_up(present: &mut u32, arrived: &mut u64, need: u32) {
    if *present < need {
        *arrived += (need - *present) as u64;
        *present = need;
    }
}

/// Drivers of the supply roads open by `day`: each road's cited trucks, `drivers_per_truck`
/// a truck. They stay to the end (no tour is cited for them) and leave with the force.
fn drivers_needed(c: &Campaign, p: &CampaignParameters, day: u32) -> u32 {
    let trucks: u64 = c
        .roads
        .iter()
        .filter(|(opened, _)| *opened <= day)
        .map(|(_, trucks)| *trucks as u64)
        .sum();
    // `as` saturates: a huge `--set` value cannot wrap the count.
    round(trucks as f64 * p.drivers_per_truck) as u32
}

/// Airmen the covert force needs today: its cited strength, or the crews of the aircraft it
/// holds with their spares when that is more.
fn airmen_needed(c: &Campaign, p: &CampaignParameters, s: &State) -> u32 {
    let seats: u64 = s.hand[0]
        .iter()
        .zip(&c.crew_seats)
        .map(|(&held, &seats)| held as u64 * seats as u64)
        .sum();
    let crews = (seats as f64 * p.airmen_per_crew_seat).ceil();
    // The float comparison saturates: a huge `--set` value cannot wrap the count.
    crews.max(c.initial_pilots as f64).min(u32::MAX as f64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phases::tests::compiled;

    #[test]
    fn the_fallen_are_replaced_and_everyone_rotates_at_the_end_of_a_tour() {
        let (c, p) = compiled("china-1937");
        let mut s = State::new(&c, &p);
        let strength = c.initial_pilots;
        s.pilots = strength - 3;
        s.quality = p.new_pilot_quality + 0.2;
        run(&c, &p, &mut s, 1);
        assert_eq!(s.pilots, strength);
        assert_eq!(s.counts[Total::PilotsServed], strength as u64 + 3);
        let mixed = ((strength - 3) as f64 * (p.new_pilot_quality + 0.2)
            + 3.0 * p.new_pilot_quality)
            / strength as f64;
        assert!((s.quality - mixed).abs() < 1e-12);
        assert_eq!(s.counts[Total::PilotsRotated], 0);
        run(&c, &p, &mut s, c.tour_days);
        assert_eq!(s.counts[Total::PilotsRotated], strength as u64);
        assert_eq!(s.pilots, strength);
        assert_eq!(s.quality, p.new_pilot_quality);
        assert_eq!(s.counts[Total::PilotsServed], 2 * strength as u64 + 3);
    }

    #[test]
    fn bombers_bring_their_crews_and_ground_crew_follow_the_aircraft() {
        let (c, p) = compiled("china-1937");
        let sb = c
            .types
            .iter()
            .position(|t| t == "SB")
            .expect("china flies the SB");
        assert_eq!(
            c.crew_seats[sb], 3,
            "the SB's crew in data/aircraft/sb.toml"
        );
        let mut s = State::new(&c, &p);
        let bombers = c.initial_pilots; // three seats each: more than the cited strength
        s.hand[0][sb] = bombers;
        run(&c, &p, &mut s, 1);
        let airmen = (3.0 * bombers as f64 * p.airmen_per_crew_seat).ceil() as u32;
        assert!(airmen > 3 * bombers, "a unit keeps spare aircrew");
        assert_eq!(s.pilots, airmen);
        assert_eq!(s.counts[Total::PilotsServed], airmen as u64);
        let crews = (p.ground_crew_per_aircraft * bombers as f64).round() as u32;
        assert_eq!(s.ground_crew, crews);
        // Crews stay when their aircraft go.
        s.hand[0][sb] = 0;
        run(&c, &p, &mut s, 2);
        assert_eq!(s.ground_crew, crews);
        assert_eq!(s.pilots, airmen, "airmen are not sent home early");
        assert!(s.counts[Total::PersonnelPeak] >= (airmen + crews) as u64);
    }

    #[test]
    fn a_roads_drivers_come_when_it_opens_and_count_among_the_people() {
        let (c, p) = compiled("china-1937");
        let &(opened, trucks) = c
            .roads
            .first()
            .expect("china's truck road is cited with its trucks");
        assert!(opened > 0, "the road opened after the war began");
        let mut s = State::new(&c, &p);
        run(&c, &p, &mut s, opened - 1);
        assert_eq!(s.drivers, 0, "no drivers before the road opened");
        run(&c, &p, &mut s, opened);
        let drivers = (trucks as f64 * p.drivers_per_truck).round() as u32;
        assert_eq!(s.drivers, drivers);
        run(&c, &p, &mut s, opened + 1);
        assert_eq!(s.drivers_arrived, drivers as u64, "they come once");
        assert_eq!(
            s.total(Total::PersonnelDeployed),
            s.counts[Total::PilotsServed] + s.ground_crew_arrived + drivers as u64
        );
        assert!(s.counts[Total::PersonnelPeak] >= (s.pilots + s.ground_crew + drivers) as u64);
    }
}
