//! Events, the day's second phase: on a handover date the covert force gives the host its
//! cited share of each type; on withdrawal it hands over everything, and its pilots and ground
//! crew go home.

use super::State;
use crate::campaign::Campaign;
use crate::metrics::Total;
use airwar_model::rounding::round;

pub(crate) fn run(c: &Campaign, s: &mut State, day: u32) {
    if s.withdrawn {
        return;
    }
    let [covert, host] = &mut s.hand;
    if c.handover_days.contains(&day) {
        for (ch, h) in covert.iter_mut().zip(host.iter_mut()) {
            let n = round(*ch as f64 * c.handover_share) as u32;
            *ch -= n;
            *h += n;
            s.counts[Total::HandedOver] += n as u64;
        }
    }
    if day >= c.withdrawal_day {
        s.withdrawn = true;
        for (ch, h) in covert.iter_mut().zip(host.iter_mut()) {
            s.counts[Total::HandedOver] += *ch as u64;
            *h += *ch;
            *ch = 0;
        }
        s.counts[Total::PilotsRotated] += s.pilots as u64;
        s.pilots = 0;
        s.ground_crew_rotated += s.ground_crew as u64;
        s.ground_crew = 0;
        s.drivers_withdrawn += s.drivers as u64;
        s.drivers = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phases::tests::compiled;

    #[test]
    fn a_handover_gives_the_share_and_withdrawal_gives_the_rest() {
        let (mut c, p) = compiled("china-1937");
        // China's handover comes with its withdrawal; give this one a handover of its own.
        c.handover_days = vec![10];
        let mut s = State::new(&c, &p);
        s.hand[0][0] = 10;
        s.ground_crew = 40;
        let handover = 10;
        run(&c, &mut s, handover);
        let given = (10.0 * c.handover_share).round() as u32;
        assert_eq!((s.hand[0][0], s.hand[1][0]), (10 - given, given));
        assert!(!s.withdrawn);
        run(&c, &mut s, c.withdrawal_day);
        assert!(s.withdrawn);
        assert_eq!((s.held(0), s.held(1)), (0, 10));
        assert_eq!(s.counts[Total::HandedOver], 10);
        assert_eq!((s.pilots, s.ground_crew), (0, 0));
        assert_eq!(s.counts[Total::PilotsRotated], c.initial_pilots as u64);
        // Nothing happens after withdrawal.
        s.hand[0][0] = 3;
        run(&c, &mut s, handover.max(c.withdrawal_day) + 1);
        assert_eq!(s.hand[0][0], 3);
    }
}
