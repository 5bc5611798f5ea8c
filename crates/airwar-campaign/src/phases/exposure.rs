//! Exposure, the day's fifth phase: each event the combat phase noted (a pilot captured, a
//! wreck on the enemy's ground, a radio slip into the covert force's own language) may become
//! public proof with its fitted chance. The probability that proof exists by now accumulates
//! from those chances and never falls; whether proof did come out is drawn from the day's
//! exposure stream.

use airwar_model::rng::{chance, ModelRng};

use super::State;
use crate::metrics::Total;

pub(crate) fn run(s: &mut State, rng: &mut ModelRng) {
    for pe in s.exposure_events.drain(..) {
        s.no_proof *= 1.0 - pe;
        if chance(rng, pe) {
            s.counts[Total::Proof] = 1;
        }
    }
    settle(s);
}

/// What [`run`] does after the day's events: whether exposure ever fell.
pub(crate) fn settle(s: &mut State) {
    let exposure = s.exposure();
    if exposure < s.last_exposure {
        s.exposure_never_fell = false;
    }
    s.last_exposure = exposure;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phases::tests::compiled;
    use airwar_model::rng::stream;

    #[test]
    fn exposure_accumulates_and_a_certain_event_is_proof() {
        let (c, p) = compiled("korea-1950");
        let mut s = State::new(&c, &p);
        let mut rng = stream(3, 3);
        s.exposure_events = vec![0.5, 0.5];
        run(&mut s, &mut rng);
        assert_eq!(s.exposure(), 7500);
        assert!(s.exposure_events.is_empty());
        run(&mut s, &mut rng);
        assert_eq!(s.exposure(), 7500, "no events, no change");
        s.exposure_events = vec![1.0];
        run(&mut s, &mut rng);
        assert_eq!((s.exposure(), s.counts[Total::Proof]), (10_000, 1));
        assert!(s.exposure_never_fell);
    }
}
