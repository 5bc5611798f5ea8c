//! Personnel, the day's third phase: at the end of a tour the covert force's pilots go home and
//! as many new ones come, at the new pilots' quality; ground crew come with the aircraft they
//! service, stay to the end of their own tour (where the record gives one) even when those
//! aircraft are lost or handed over, and are then relieved in the numbers needed.

use super::State;
use crate::campaign::Campaign;
use crate::metrics::Total;
use crate::params::CampaignParameters;

pub(crate) fn run(c: &Campaign, p: &CampaignParameters, s: &mut State, day: u32) {
    if s.withdrawn {
        return;
    }
    if day >= s.tour_start + c.tour_days {
        s.counts[Total::PilotsRotated] += s.pilots as u64;
        s.counts[Total::PilotsServed] += c.initial_pilots as u64;
        s.pilots = c.initial_pilots;
        s.quality = p.new_pilot_quality;
        s.tour_start = day;
    }
    if let Some(tour) = c.ground_crew_tour_days {
        if day >= s.ground_tour_start + tour {
            s.ground_crew_rotated += s.ground_crew as u64;
            s.ground_crew = 0;
            s.ground_tour_start = day;
        }
    }
    let need = (p.ground_crew_per_aircraft * s.held(0) as f64).round() as u32;
    if s.ground_crew < need {
        s.ground_crew_arrived += (need - s.ground_crew) as u64;
        s.ground_crew = need;
    }
    let present = s.pilots as u64 + s.ground_crew as u64;
    let peak = &mut s.counts[Total::PersonnelPeak];
    *peak = (*peak).max(present);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phases::tests::compiled;

    #[test]
    fn pilots_rotate_at_the_end_of_a_tour_and_crews_follow_the_aircraft() {
        let (c, p) = compiled("china-1937");
        let mut s = State::new(&c, &p);
        s.pilots = c.initial_pilots.saturating_sub(3);
        s.quality = p.new_pilot_quality + 0.2;
        s.hand[0][0] = 20;
        run(&c, &p, &mut s, 1);
        let crews = (p.ground_crew_per_aircraft * 20.0).round() as u32;
        assert_eq!(s.ground_crew, crews);
        assert_eq!(s.counts[Total::PilotsRotated], 0);
        run(&c, &p, &mut s, c.tour_days);
        assert_eq!(
            s.counts[Total::PilotsRotated],
            c.initial_pilots.saturating_sub(3) as u64
        );
        assert_eq!(s.pilots, c.initial_pilots);
        assert_eq!(s.quality, p.new_pilot_quality);
        assert_eq!(s.counts[Total::PilotsServed], 2 * c.initial_pilots as u64);
        // Crews stay when their aircraft go.
        s.hand[0][0] = 0;
        run(&c, &p, &mut s, c.tour_days + 1);
        assert_eq!(s.ground_crew, crews);
        assert!(s.counts[Total::PersonnelPeak] >= (c.initial_pilots + crews) as u64);
    }
}
